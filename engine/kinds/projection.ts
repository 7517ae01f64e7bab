/**
 * A wire from a spike source into a `projection` input port *is* a projection.
 * Its params live on the wire (the document edge); this is their one declaration.
 */
import type { ParamSpecs } from './define.ts';

export const PROJECTION_PARAMS = {
  rule: {
    type: 'enum',
    default: 'all-to-all',
    options: [
      { value: 'all-to-all', label: 'All to all' },
      { value: 'one-to-one', label: 'One to one' },
      { value: 'bernoulli', label: 'Random (Bernoulli p)' },
      { value: 'fixed-in-degree', label: 'Fixed in-degree' },
      { value: 'fixed-out-degree', label: 'Fixed out-degree' },
      { value: 'fixed-total', label: 'Fixed total number' },
    ],
    label: 'Connectivity',
    tooltip: 'How source and target neurons are paired.',
  },
  p: {
    type: 'number',
    default: 0.1,
    min: 0,
    max: 1,
    label: 'p',
    tooltip: 'Each (source, target) pair is connected independently with this probability.',
    when: { param: 'rule', in: ['bernoulli'] },
  },
  n: {
    type: 'number',
    default: 10,
    min: 0,
    integer: true,
    label: 'Count',
    tooltip: 'In-degree: sources per target. Out-degree: targets per source. Total: synapses in all.',
    when: { param: 'rule', in: ['fixed-in-degree', 'fixed-out-degree', 'fixed-total'] },
  },
  allow_autapses: {
    type: 'boolean',
    default: true,
    label: 'Autapses',
    tooltip: 'When a population projects onto itself, whether a neuron may connect to itself.',
  },
  allow_multapses: {
    type: 'boolean',
    default: false,
    label: 'Multapses',
    tooltip: 'Whether the same (source, target) pair may be connected more than once (fixed-count rules).',
    when: { param: 'rule', in: ['fixed-in-degree', 'fixed-out-degree', 'fixed-total'] },
  },
  weight: {
    type: 'dist',
    default: 1,
    families: ['constant', 'uniform', 'normal', 'lognormal'],
    min: 0,
    label: 'Weight',
    tooltip: 'Synaptic strength (≥ 0; the receptor sets the sign). Drawn values below 0 are clipped to 0.',
  },
  delay_ms: {
    type: 'dist',
    default: 0,
    families: ['constant', 'uniform', 'normal', 'lognormal'],
    min: 0,
    unit: 'ms',
    label: 'Delay',
    tooltip: 'Transmission delay, rounded to the nearest whole step (0 delivers in the step of the spike).',
  },
  receptor: {
    type: 'enum',
    default: 'exc',
    options: [
      { value: 'exc', label: 'Excitatory' },
      { value: 'inh', label: 'Inhibitory' },
    ],
    label: 'Receptor',
    tooltip: 'Which synaptic variable of the target the spikes act on.',
  },
} as const satisfies ParamSpecs;
