/**
 * Triplet STDP (Pfister & Gerstner 2006): a plastic projection, wired like
 * pair STDP (pre → node → post). The engine side is sim/plasticity/triplet.ts.
 */
import { defineNodeKind } from './define.ts';
import { TripletSynapses, tripletParamsOf, TRIPLET_BYTES_PER_SYNAPSE, TRIPLET_BYTES_PER_NEURON } from '../sim/plasticity/triplet.ts';
import { PROJECTION_PARAMS } from './projection.ts';
import { LEARNING_HELP, NORMALISE_PARAMS } from './plasticity-common.ts';

const tau = (label: string, def: number, tooltip: string) => ({ type: 'number', default: def, min: 0, exclusiveMin: true, unit: 'ms', label, tooltip }) as const;
const amp = (label: string, def: number, tooltip: string) => ({ type: 'number', default: def, min: 0, max: 1e6, label, tooltip }) as const;

export const tripletStdp = defineNodeKind({
  id: 'triplet-stdp',
  label: 'STDP (triplet)',
  category: 'plasticity',
  help: [
    'Triplet spike-timing-dependent plasticity (Pfister & Gerstner 2006) on the projection that passes through this node:',
    'wire the presynaptic population or source into "pre", and "post" into the target\'s synapse input; the node holds the',
    "projection's params and the rule's. Event-driven, additive, hard bounds [0, w_max]. Traces (dimensionless):",
    '  r1 (τ+), r2 (τx) of each presynaptic neuron; o1 (τ−), o2 (τy) of each postsynaptic neuron; each decays exponentially',
    '  presynaptic spike:  g += w;  w ← clip(w − o1·(A2− + A3−·r2), 0, w_max);  then r1, r2 jump',
    '  postsynaptic spike: w ← clip(w + r1·(A2+ + A3+·o2), 0, w_max);  then o1, o2 jump',
    "r2 and o2 are read just before their own neuron's jump. A jump adds 1 (all-to-all interaction) or sets the trace to 1",
    '(nearest spike). In a step with both spikes the presynaptic update runs first. A3+ = A3− = 0 gives pair STDP.',
    "Defaults: the paper's minimal all-to-all model fitted to visual cortex (Sjöström et al. 2001): τ+ 16.8 ms,",
    'τ− 33.7 ms, τy 114 ms, A2+ 0, A3+ 6.5e−3, A2− 7.1e−3, A3− 0 (τx is unused while A3− = 0; 101 ms in the full model).',
    'With them, 60 pairs at Δt = ±10 ms potentiate more the higher the pairing frequency, and post-before-pre pairs',
    'turn from depression to potentiation between 30 and 40 Hz (engine/sim/plasticity/triplet.test.ts).',
    "Weights are dimensionless multiples of the target's weight unit; initial weights are clipped to [0, w_max].",
    ...LEARNING_HELP,
  ].join('\n'),
  inputs: [{ id: 'pre', label: 'pre', type: 'spikes', role: 'plastic', multiple: false }],
  outputs: [{ id: 'post', label: 'post', type: 'spikes' }],
  params: {
    ...PROJECTION_PARAMS,
    weight: {
      ...PROJECTION_PARAMS.weight,
      default: { dist: 'uniform', low: 0, high: 0.5 },
      label: 'Initial weight',
      tooltip: 'Weight of each synapse at the start of the run (≥ 0; clipped to [0, w_max]; the receptor sets the sign).',
    },
    w_max: { type: 'number', default: 1, min: 0, exclusiveMin: true, label: 'w max', tooltip: 'Upper weight bound (the lower bound is 0).' },
    a2_plus: amp('A2+', 0, 'Pair potentiation amplitude: added per pre→post pair (× r1).'),
    a3_plus: amp('A3+', 6.5e-3, 'Triplet potentiation amplitude: × r1·o2 (earlier postsynaptic spikes boost potentiation).'),
    a2_minus: amp('A2−', 7.1e-3, 'Pair depression amplitude: subtracted per post→pre pair (× o1).'),
    a3_minus: amp('A3−', 0, 'Triplet depression amplitude: × o1·r2 (earlier presynaptic spikes boost depression).'),
    tau_plus_ms: tau('τ+', 16.8, 'Decay time constant of the presynaptic trace r1 (potentiation window).'),
    tau_minus_ms: tau('τ−', 33.7, 'Decay time constant of the postsynaptic trace o1 (depression window).'),
    tau_x_ms: tau('τx', 101, 'Decay time constant of the slow presynaptic trace r2 (triplet depression).'),
    tau_y_ms: tau('τy', 114, 'Decay time constant of the slow postsynaptic trace o2 (triplet potentiation).'),
    interaction: {
      type: 'enum',
      default: 'all-to-all',
      options: [
        { value: 'all-to-all', label: 'All-to-all (traces add up)' },
        { value: 'nearest', label: 'Nearest spike (traces saturate at 1)' },
      ],
      label: 'Interaction',
      tooltip: 'All-to-all: every earlier spike counts. Nearest spike: a spike sets its traces to 1, so only the latest counts.',
    },
    ...NORMALISE_PARAMS,
  },
  check: (p) => (typeof p.weight === 'number' && p.weight > p.w_max ? [['weight', `must not exceed w max (${p.w_max})`]] : []),
  runtime: {
    role: 'plasticity',
    bytesPerSynapse: TRIPLET_BYTES_PER_SYNAPSE,
    bytesPerNeuron: TRIPLET_BYTES_PER_NEURON,
    create: (params, csr, w, dtMs) => new TripletSynapses(csr, w, tripletParamsOf(params), dtMs),
  },
});
