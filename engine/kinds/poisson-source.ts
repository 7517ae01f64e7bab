import { defineNodeKind } from './define.ts';
import { PoissonSource } from '../sim/sources.ts';

export const poissonSource = defineNodeKind({
  id: 'poisson-source',
  label: 'Poisson source',
  category: 'input',
  help:
    'Independent Poisson spike trains. In each step of length dt, each channel spikes with probability rate·dt, ' +
    'independently (as Brian2\'s PoissonGroup). Needs rate·dt ≤ 1. Spikes are drawn as gaps between events, ' +
    'so a sparse source costs work per spike, not per channel.',
  inputs: [],
  outputs: [{ id: 'spikes', label: 'spikes', type: 'spikes' }],
  params: {
    size: { type: 'number', default: 100, min: 1, max: 100_000_000, integer: true, label: 'Channels', tooltip: 'Number of independent spike trains.' },
    rate_hz: { type: 'number', default: 10, min: 0, max: 10_000, unit: 'Hz', label: 'Rate', tooltip: 'Mean firing rate of each channel.' },
  },
  size: (p) => p.size,
  runtime: {
    role: 'spike-source',
    bytesPerNeuron: 0,
    create: (params, size, ctx) => new PoissonSource(size, params.rate_hz as number, ctx),
  },
});
