import { defineNodeKind } from './define.ts';
import { INPUT_PARAMS, checkInput, inputLength, inputStream } from './encoder-input.ts';
import { DeltaEncoder } from '../sim/encoders.ts';

export const deltaEncoder = defineNodeKind({
  id: 'delta-encoder',
  label: 'Delta encoder',
  category: 'input',
  help: [
    "Send-on-change code with ON and OFF channels: 2 channels per value. For L values, channels 0 … L−1 are ON and L … 2L−1 are OFF (channel L + i is value i's OFF).",
    'Each value keeps a reference r, its input at its last spike (0 at the start, as if the input had been blank).',
    'When the input x changes (at the start of a presentation or of a rest), ON fires if x − r ≥ threshold and OFF fires if r − x ≥ threshold, both in that step; then r ← x.',
    'So a constant input fires at most once, at the start; a step up fires ON and a step down fires OFF. During a rest every input is 0.',
  ].join('\n'),
  inputs: [],
  outputs: [
    { id: 'spikes', label: 'spikes', type: 'spikes' },
    { id: 'label', label: 'label', type: 'label' },
  ],
  params: {
    ...INPUT_PARAMS,
    threshold: {
      type: 'number',
      default: 0.1,
      min: 0,
      exclusiveMin: true,
      max: 1,
      label: 'Threshold',
      tooltip: 'How far a value must move from its reference (its value at its last spike) to fire.',
    },
  },
  size: (p) => 2 * Math.max(1, inputLength(p)),
  check: (p) => checkInput(p),
  runtime: {
    role: 'spike-source',
    inputStream,
    bytesPerNeuron: 12,
    create: (params, _size, ctx) => new DeltaEncoder(inputStream(params, ctx), params.threshold as number),
  },
});
