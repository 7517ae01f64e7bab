/**
 * The classifier readout: scores an output population's answers against the
 * labels of a dataset encoder, and defines the run's learning phases.
 * Engine side: sim/plasticity/readout.ts.
 */
import { defineNodeKind } from './define.ts';

const count = (label: string, tooltip: string) => ({ type: 'number', default: 0, min: 0, max: 1e7, integer: true, label, tooltip }) as const;

export const classifierReadout = defineNodeKind({
  id: 'classifier-readout',
  label: 'Classifier readout',
  category: 'monitor',
  help: [
    'Reads a class out of an output population and scores it against the dataset labels. Wire the output population',
    'into "spikes" and a dataset encoder\'s "label" output into "label" (the encoder must show a dataset: digits or yours).',
    "Per presentation of that encoder (its presentation and rest steps), the readout counts each output neuron's spikes",
    'and predicts a class:',
    '  fixed: the neurons form `classes` equal consecutive groups, group k answers class k; the group with most spikes wins;',
    '  Diehl & Cook: in the label phase each neuron is labelled with the class whose samples made it fire most on',
    '  average; afterwards the class whose labelled neurons fire most on average wins (Diehl & Cook 2015).',
    'A tie at the top, or no spike, is no answer and counts as wrong.',
    'Phases, in presentations from the start of the run:',
    '  train (first T): plastic projections and adaptive thresholds learn; fixed assignment scores train accuracy here;',
    '  label (next L): learning frozen; Diehl & Cook labels the neurons, and scores its train accuracy on these samples;',
    '  test (next E): learning frozen; the encoder shows the held-out samples [test first, test first + test count),',
    '  in order, instead of its own subset; predictions score the test accuracy. After the test phase nothing is scored.',
    'With T = L = E = 0 there are no phases: learning stays on and every presentation counts for the train accuracy',
    '(online accuracy; fixed assignment only). Accuracies appear in the run statistics ("readouts") and in',
    '`spikeflow run --json`. Its "outcome" output (+1 right / −1 wrong at the end of each presentation) feeds a reward node.',
    'One readout with phases per run: its phases apply to every plastic projection and adaptive threshold.',
  ].join('\n'),
  inputs: [
    { id: 'spikes', label: 'output spikes', type: 'spikes', role: 'observe', multiple: false },
    { id: 'label', label: 'label', type: 'label', role: 'inject', multiple: false },
  ],
  outputs: [{ id: 'outcome', label: 'outcome', type: 'label' }],
  params: {
    classes: { type: 'number', default: 10, min: 2, max: 1000, integer: true, label: 'Classes', tooltip: 'Number of classes (labels 0 … classes − 1; other labels are not scored).' },
    assignment: {
      type: 'enum',
      default: 'fixed',
      options: [
        { value: 'fixed', label: 'Fixed groups (group k ↔ class k)' },
        { value: 'diehl-cook', label: 'Diehl & Cook (label by strongest response)' },
      ],
      label: 'Assignment',
      tooltip: 'How output neurons map to classes: fixed consecutive groups, or learnt from the label phase.',
    },
    train_presentations: count('Train', 'Presentations of the train phase (learning on). 0 with label and test 0: no phases.'),
    label_presentations: count('Label', 'Presentations of the label phase (learning frozen; Diehl & Cook assigns neurons to classes).'),
    test_presentations: count('Test', 'Presentations of the test phase (learning frozen; held-out samples; test accuracy).'),
    test_first: { type: 'number', default: 0, min: 0, integer: true, label: 'Test first sample', tooltip: "First held-out sample shown in the test phase (0-based index into the encoder's dataset)." },
    test_count: {
      type: 'number',
      default: 0,
      min: 0,
      integer: true,
      label: 'Test samples',
      tooltip: "Held-out samples shown in order in the test phase, cycled; 0 keeps the encoder's own subset in the test phase.",
    },
  },
  check: (p) => {
    const out: [string, string][] = [];
    if (p.assignment === 'diehl-cook' && p.label_presentations === 0) out.push(['label_presentations', 'must be at least 1 for the Diehl & Cook assignment (it labels the neurons)']);
    return out;
  },
  runtime: { role: 'readout' },
});
