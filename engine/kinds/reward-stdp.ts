/**
 * Reward-modulated STDP: a plastic projection (pre → node → post) whose pair
 * STDP fills an eligibility trace, turned into weight change by the signal of
 * a reward node wired into "modulator". Engine: sim/plasticity/reward-stdp.ts.
 */
import { defineNodeKind } from './define.ts';
import { RewardStdpSynapses, rewardStdpParamsOf, RSTDP_BYTES_PER_SYNAPSE, RSTDP_BYTES_PER_NEURON } from '../sim/plasticity/reward-stdp.ts';
import { PROJECTION_PARAMS } from './projection.ts';
import { LEARNING_HELP, NORMALISE_PARAMS } from './plasticity-common.ts';

export const rewardStdp = defineNodeKind({
  id: 'reward-stdp',
  label: 'STDP (reward-modulated)',
  category: 'plasticity',
  help: [
    'Reward-modulated STDP (Izhikevich 2007) on the projection that passes through this node: wire the presynaptic',
    'population into "pre", "post" into the target\'s synapse input, and a reward node into "modulator". Pair STDP',
    '(as in the pair STDP node, all-to-all traces) does not change the weight but a per-synapse eligibility trace e:',
    '  τe de/dt = −e;  presynaptic spike: e += A_post;  postsynaptic spike: e += A_pre',
    '  a modulator amount m in a step: w ← clip(w + η·m·e, 0, w_max)',
    'A reward impulse r (a readout-driven reward node, at the end of a presentation) gives Δw = η·r·e; a continuous',
    'reward level R (a scheduled reward node) gives dw/dt = η·R·e per ms. Without a modulator wire the weights never change.',
    "Weights are dimensionless multiples of the target's weight unit; initial weights are clipped to [0, w_max].",
    ...LEARNING_HELP,
  ].join('\n'),
  inputs: [
    { id: 'pre', label: 'pre', type: 'spikes', role: 'plastic', multiple: false },
    { id: 'modulator', label: 'modulator', type: 'modulator', role: 'inject', multiple: false },
  ],
  outputs: [{ id: 'post', label: 'post', type: 'spikes' }],
  params: {
    ...PROJECTION_PARAMS,
    weight: {
      ...PROJECTION_PARAMS.weight,
      default: { dist: 'uniform', low: 0, high: 1 },
      label: 'Initial weight',
      tooltip: 'Weight of each synapse at the start of the run (≥ 0; clipped to [0, w_max]; the receptor sets the sign).',
    },
    w_max: { type: 'number', default: 2, min: 0, exclusiveMin: true, label: 'w max', tooltip: 'Upper weight bound (the lower bound is 0).' },
    tau_pre_ms: { type: 'number', default: 20, min: 0, exclusiveMin: true, unit: 'ms', label: 'τ pre', tooltip: 'Decay time constant of the presynaptic trace.' },
    tau_post_ms: { type: 'number', default: 20, min: 0, exclusiveMin: true, unit: 'ms', label: 'τ post', tooltip: 'Decay time constant of the postsynaptic trace.' },
    a_pre: { type: 'number', default: 1, min: -1e6, max: 1e6, label: 'ΔA pre', tooltip: 'Eligibility added by a pre spike just before a post spike.' },
    a_post: { type: 'number', default: -1, min: -1e6, max: 1e6, label: 'ΔA post', tooltip: 'Eligibility added by a post spike just before a pre spike (negative: anti-causal pairs count against).' },
    tau_e_ms: {
      type: 'number',
      default: 200,
      min: 0,
      exclusiveMin: true,
      unit: 'ms',
      label: 'τ eligibility',
      tooltip: 'Decay time constant of the eligibility trace: how long a pairing waits for its reward.',
    },
    eta: { type: 'number', default: 0.01, min: 0, max: 1e6, label: 'η', tooltip: 'Learning rate: Δw = η · reward · eligibility.' },
    ...NORMALISE_PARAMS,
  },
  check: (p) => (typeof p.weight === 'number' && p.weight > p.w_max ? [['weight', `must not exceed w max (${p.w_max})`]] : []),
  runtime: {
    role: 'plasticity',
    bytesPerSynapse: RSTDP_BYTES_PER_SYNAPSE,
    bytesPerNeuron: RSTDP_BYTES_PER_NEURON,
    create: (params, csr, w, dtMs) => new RewardStdpSynapses(csr, w, rewardStdpParamsOf(params), dtMs),
  },
});
