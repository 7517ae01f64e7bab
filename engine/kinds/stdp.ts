/**
 * Pair STDP: a plastic projection. The node sits on the projection it makes
 * plastic (pre population → `pre` → node → `post` → target's `in`) and holds
 * both the projection's params (spread from {@link PROJECTION_PARAMS}) and the
 * rule's. The engine side is `sim/stdp.ts`.
 */
import { defineNodeKind } from './define.ts';
import { StdpSynapses, stdpParamsOf, STDP_BYTES_PER_SYNAPSE, STDP_BYTES_PER_NEURON } from '../sim/stdp.ts';
import { PROJECTION_PARAMS } from './projection.ts';
import { LEARNING_HELP, NORMALISE_PARAMS } from './plasticity-common.ts';

export const stdp = defineNodeKind({
  id: 'stdp',
  label: 'STDP (pair)',
  category: 'plasticity',
  help: [
    'Spike-timing-dependent plasticity on the projection that passes through this node: wire the presynaptic',
    'population or source into "pre", and "post" into the target population\'s synapse input. The node holds the',
    'projection\'s params (connectivity, initial weight, delay, receptor) and the rule\'s; the wire out of "post"',
    "carries none. Pair rule of Song, Miller & Abbott (2000) as written in Brian2's docs, event-driven:",
    '  traces decay between events: A_pre ← A_pre·e^(−Δt/τ_pre), A_post ← A_post·e^(−Δt/τ_post)',
    '  presynaptic spike:  g += w;  A_pre += a_pre;  w ← clip(w + A_post, 0, w_max)',
    '  postsynaptic spike: A_post += a_post;  w ← clip(w + A_pre, 0, w_max)  (for every synapse onto the neuron)',
    'So a pre spike Δt before a post spike changes w by a_pre·e^(−Δt/τ_pre); a post spike Δt before a pre spike by',
    'a_post·e^(−Δt/τ_post) (a_post < 0: depression). In a step with both, the presynaptic update runs first.',
    'Multiplicative mode scales potentiation by (1 − w/w_max) and depression by w/w_max (soft bounds).',
    'Nearest-spike pairing sets a trace to a_pre / a_post at each spike instead of adding to it.',
    "Weights and traces are dimensionless multiples of the target's weight unit (× g_L for conductance neurons).",
    'Initial weights are clipped to [0, w_max]. With a delay, the weight is delivered after the delay but the rule',
    'sees the presynaptic spike when it is emitted.',
    "Defaults: Song et al.'s ratios (a_pre = 0.01·w_max, a_post = −1.05·a_pre) scaled so that pre → STDP → post at",
    'defaults fires: w_max = 2 (mV on a LIF with current synapses), initial weights uniform in [0, 2], mean 1; the',
    'default Poisson source (100 channels at 40 Hz, all-to-all) then drives a mean R·I of 4 spikes/ms × 1 mV × 5 ms',
    "= 20 mV, past the 15 mV from rest to threshold. Song et al.'s own scale (w_max 0.01 × g_L over 1000 inputs) is",
    'for conductance neurons and large fan-in: set w_max, a_pre and a_post together.',
    ...LEARNING_HELP,
  ].join('\n'),
  inputs: [{ id: 'pre', label: 'pre', type: 'spikes', role: 'plastic', multiple: false }],
  outputs: [{ id: 'post', label: 'post', type: 'spikes' }],
  params: {
    ...PROJECTION_PARAMS,
    weight: {
      ...PROJECTION_PARAMS.weight,
      default: { dist: 'uniform', low: 0, high: 2 },
      label: 'Initial weight',
      tooltip: 'Weight of each synapse at the start of the run (≥ 0; clipped to [0, w_max]; the receptor sets the sign).',
    },
    w_max: { type: 'number', default: 2, min: 0, exclusiveMin: true, label: 'w max', tooltip: 'Upper weight bound (the lower bound is 0).' },
    tau_pre_ms: { type: 'number', default: 20, min: 0, exclusiveMin: true, unit: 'ms', label: 'τ pre', tooltip: 'Decay time constant of the presynaptic trace (potentiation window).' },
    tau_post_ms: { type: 'number', default: 20, min: 0, exclusiveMin: true, unit: 'ms', label: 'τ post', tooltip: 'Decay time constant of the postsynaptic trace (depression window).' },
    a_pre: {
      type: 'number',
      default: 0.02,
      min: -1e6,
      max: 1e6,
      label: 'ΔA pre',
      tooltip: 'Jump of the presynaptic trace at a presynaptic spike: the weight change of a pre spike just before a post spike (Song et al.: 0.01·w_max).',
    },
    a_post: {
      type: 'number',
      default: -0.021,
      min: -1e6,
      max: 1e6,
      label: 'ΔA post',
      tooltip: 'Jump of the postsynaptic trace at a postsynaptic spike: the weight change of a post spike just before a pre spike; negative for depression (Song et al.: −1.05·ΔA pre).',
    },
    mode: {
      type: 'enum',
      default: 'additive',
      options: [
        { value: 'additive', label: 'Additive (hard bounds)' },
        { value: 'multiplicative', label: 'Multiplicative (soft bounds)' },
      ],
      label: 'Weight dependence',
      tooltip: 'Additive: changes do not depend on w, clipped to [0, w_max]. Multiplicative: potentiation × (1 − w/w_max), depression × w/w_max.',
    },
    pairing: {
      type: 'enum',
      default: 'all-to-all',
      options: [
        { value: 'all-to-all', label: 'All-to-all (traces add up)' },
        { value: 'nearest', label: 'Nearest spike (traces reset)' },
      ],
      label: 'Pairing',
      tooltip: 'All-to-all: every earlier spike counts. Nearest: only the latest spike of the other side counts.',
    },
    ...NORMALISE_PARAMS,
  },
  check: (p) => (typeof p.weight === 'number' && p.weight > p.w_max ? [['weight', `must not exceed w max (${p.w_max})`]] : []),
  runtime: {
    role: 'plasticity',
    bytesPerSynapse: STDP_BYTES_PER_SYNAPSE,
    bytesPerNeuron: STDP_BYTES_PER_NEURON,
    create: (params, csr, w, dtMs) => new StdpSynapses(csr, w, stdpParamsOf(params), dtMs),
  },
});
