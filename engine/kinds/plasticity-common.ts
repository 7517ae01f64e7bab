/**
 * Params every plasticity node shares: weight normalisation (Diehl & Cook
 * 2015), applied by the engine in sim/plasticity/normalise.ts.
 */
import type { ParamSpecs } from './define.ts';

export const NORMALISE_PARAMS = {
  normalise: {
    type: 'boolean',
    default: false,
    label: 'Normalise weights',
    tooltip: 'Every interval, scale the weights onto each target neuron so that they sum to "Sum of weights" (then clip to [0, w_max]); only while learning.',
  },
  norm_total: {
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    label: 'Sum of weights',
    tooltip: 'The sum of the incoming weights of each target neuron after normalisation (same unit as the weights).',
    when: { param: 'normalise', in: [true] },
  },
  norm_interval_ms: {
    type: 'number',
    default: 100,
    min: 0,
    exclusiveMin: true,
    unit: 'ms',
    label: 'Normalise every',
    tooltip: "Interval between normalisations; rounded to whole steps (at least one). Matching the encoder's presentation + rest normalises once per sample.",
    when: { param: 'normalise', in: [true] },
  },
} as const satisfies ParamSpecs;

/** Help text lines about normalisation and phases, shared by the plasticity kinds. */
export const LEARNING_HELP = [
  'Normalisation (optional): every interval, the weights onto each target neuron are scaled to sum to a set value.',
  'Phases: a classifier readout with train/label/test presentations freezes every plastic projection after its train',
  'phase (weights are delivered but no longer change).',
];
