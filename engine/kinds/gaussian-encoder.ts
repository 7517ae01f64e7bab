import { defineNodeKind } from './define.ts';
import { INPUT_PARAMS, checkInput, inputLength, inputStream } from './encoder-input.ts';
import { GaussianEncoder } from '../sim/encoders.ts';

export const gaussianEncoder = defineNodeKind({
  id: 'gaussian-encoder',
  label: 'Gaussian population encoder',
  category: 'input',
  help: [
    'Population code with Gaussian receptive fields: each value drives n channels whose preferred values μ_k = k/(n − 1), k = 0 … n−1, tile [0, 1] (μ = 0.5 when n = 1).',
    'Channel i·n + k (value i, field k) fires at max_rate · exp(−(x_i − μ_k)² / (2σ²)), so the channels near x_i fire most. All channels are silent during a rest.',
    'Poisson: in each step of length dt, a channel spikes with probability min(1, rate · dt). Regular: evenly spaced spikes at the rate, counted from the start of the presentation.',
  ].join('\n'),
  inputs: [],
  outputs: [
    { id: 'spikes', label: 'spikes', type: 'spikes' },
    { id: 'label', label: 'label', type: 'label' },
  ],
  params: {
    ...INPUT_PARAMS,
    neurons_per_value: { type: 'number', default: 10, min: 1, max: 1000, integer: true, label: 'Fields per value', tooltip: 'Channels (receptive fields) per input value.' },
    sigma: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, max: 10, label: 'σ', tooltip: 'Width of each receptive field, in value units (the input range is [0, 1]).' },
    max_rate_hz: { type: 'number', default: 100, min: 0, max: 10_000, unit: 'Hz', label: 'Max rate', tooltip: 'Rate of a channel whose preferred value equals the input.' },
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
  size: (p) => Math.max(1, inputLength(p)) * p.neurons_per_value,
  check: (p) => checkInput(p),
  runtime: {
    role: 'spike-source',
    inputStream,
    bytesPerNeuron: 24,
    create: (params, _size, ctx) =>
      new GaussianEncoder(inputStream(params, ctx), params.neurons_per_value as number, params.sigma as number, params.max_rate_hz as number, params.mode === 'regular', ctx),
  },
});
