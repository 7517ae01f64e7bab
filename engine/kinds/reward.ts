/**
 * The reward node: a neuromodulator signal for reward-modulated plasticity.
 * Engine side: sim/plasticity/reward.ts.
 */
import { defineNodeKind } from './define.ts';

export const reward = defineNodeKind({
  id: 'reward',
  label: 'Reward',
  category: 'plasticity',
  help: [
    'A reward (neuromodulator) signal; wire "modulator" into a reward-modulated STDP node.',
    '  schedule: a piecewise-constant reward level R (per ms): R = values[i] from times[i] until the next time (0 before',
    '  the first); it acts continuously, dw/dt = η·R·e.',
    '  presentations: wire a classifier readout\'s "outcome" into "readout" (for the presentation times of its encoder). At',
    '  the end of train-phase presentation k it delivers an impulse r = values[k] (the list repeats): Δw = η·r·e.',
    '  readout: wire a classifier readout\'s "outcome" into "readout". At the end of every train-phase presentation the',
    '  readout scores, it delivers an impulse r = reward right (prediction = label) or reward wrong (otherwise, no answer',
    '  included): Δw = η·r·e. Nothing is delivered in the label and test phases.',
  ].join('\n'),
  inputs: [{ id: 'readout', label: 'readout outcome', type: 'label', role: 'inject', multiple: false }],
  outputs: [{ id: 'modulator', label: 'modulator', type: 'modulator' }],
  params: {
    source: {
      type: 'enum',
      default: 'schedule',
      options: [
        { value: 'schedule', label: 'Schedule (piecewise constant)' },
        { value: 'presentations', label: 'Per presentation (values)' },
        { value: 'readout', label: 'From a classifier readout' },
      ],
      label: 'Reward from',
      tooltip: 'A fixed schedule, a value per presentation, or right/wrong answers of a classifier readout.',
    },
    times_ms: {
      type: 'numbers',
      default: [0],
      min: 0,
      unit: 'ms',
      label: 'Times',
      tooltip: 'When each reward level starts.',
      when: { param: 'source', in: ['schedule'] },
    },
    values: {
      type: 'numbers',
      default: [0],
      min: -1e6,
      max: 1e6,
      label: 'Levels',
      tooltip: 'Reward level (per ms) from the matching time on; one per time.',
      when: { param: 'source', in: ['schedule'] },
    },
    presentation_values: {
      type: 'numbers',
      default: [1, -1],
      min: -1e6,
      max: 1e6,
      label: 'Values',
      tooltip: "Impulse at the end of presentation k: value k (the list repeats); presentations of the readout's encoder.",
      when: { param: 'source', in: ['presentations'] },
    },
    reward_right: {
      type: 'number',
      default: 1,
      min: -1e6,
      max: 1e6,
      label: 'Reward right',
      tooltip: "Impulse delivered when the readout's prediction is right.",
      when: { param: 'source', in: ['readout'] },
    },
    reward_wrong: {
      type: 'number',
      default: -1,
      min: -1e6,
      max: 1e6,
      label: 'Reward wrong',
      tooltip: 'Impulse delivered when it is wrong or gives no answer.',
      when: { param: 'source', in: ['readout'] },
    },
  },
  check: (p) => {
    if (p.source === 'schedule' && p.times_ms.length !== p.values.length) return [['values', `needs one level per time (${p.times_ms.length} times, ${p.values.length} levels)`]];
    if (p.source === 'presentations' && p.presentation_values.length === 0) return [['presentation_values', 'needs at least one value']];
    return [];
  },
  runtime: { role: 'modulator' },
});
