import { defineNodeKind } from './define.ts';
import { INPUT_PARAMS, checkInput, inputLength, inputStream } from './encoder-input.ts';
import { RateEncoder } from '../sim/encoders.ts';

export const rateEncoder = defineNodeKind({
  id: 'rate-encoder',
  label: 'Rate encoder',
  category: 'input',
  help: [
    'Turns an input vector into firing rates: channel i fires at x_i · max_rate while a vector is shown (one channel per value, x_i in [0, 1]).',
    'Poisson: in each step of length dt, channel i spikes with probability min(1, x_i · max_rate · dt), independently of every other step and channel.',
    'Regular: each channel spikes every 1/(x_i · max_rate), counted from the start of the presentation; it fires floor(n · x_i · max_rate · dt) times in the first n steps.',
    'Input: fixed values, or the samples of a dataset, each shown for the presentation time (rounded to whole steps) then a rest with all inputs at 0.',
  ].join('\n'),
  inputs: [],
  outputs: [
    { id: 'spikes', label: 'spikes', type: 'spikes' },
    { id: 'label', label: 'label', type: 'label' },
  ],
  params: {
    ...INPUT_PARAMS,
    max_rate_hz: { type: 'number', default: 100, min: 0, max: 10_000, unit: 'Hz', label: 'Max rate', tooltip: 'The rate of a channel whose value is 1. Rates above one spike per step saturate.' },
    mode: {
      type: 'enum',
      default: 'poisson',
      options: [
        { value: 'poisson', label: 'Poisson' },
        { value: 'regular', label: 'Regular' },
      ],
      label: 'Spike trains',
      tooltip: 'Poisson: random spikes at the rate. Regular: evenly spaced spikes at the rate.',
    },
  },
  size: (p) => Math.max(1, inputLength(p)),
  check: (p) => checkInput(p),
  runtime: {
    role: 'spike-source',
    inputStream,
    bytesPerNeuron: 24,
    create: (params, _size, ctx) => new RateEncoder(inputStream(params, ctx), params.max_rate_hz as number, params.mode === 'regular', ctx),
  },
});
