import { defineNodeKind } from './define.ts';
import { PoissonSource } from '../sim/sources.ts';

export const poissonSource = defineNodeKind({
  id: 'poisson-source',
  label: 'Poisson source',
  category: 'input',
  help:
    'Independent Poisson spike trains. In each step of length dt, each channel spikes with probability rate·dt, ' +
    "independently (as Brian2's PoissonGroup). Needs rate·dt ≤ 1. Spikes are drawn as gaps between events, " +
    'so a sparse source costs work per spike, not per channel.\n' +
    'Piecewise rate: rates_hz[k] holds from times_ms[k] until the next time (the last one until the end), and the rate is 0 ' +
    "before the first time (as NEST's inhomogeneous_poisson_generator). A time is rounded up to a whole step: " +
    'piece k holds in step n when times_ms[k] ≤ n·dt < times_ms[k+1].',
  inputs: [],
  outputs: [{ id: 'spikes', label: 'spikes', type: 'spikes' }],
  params: {
    size: { type: 'number', default: 100, min: 1, max: 100_000_000, integer: true, label: 'Channels', tooltip: 'Number of independent spike trains.' },
    rate_mode: {
      type: 'enum',
      default: 'constant',
      options: [
        { value: 'constant', label: 'Constant' },
        { value: 'piecewise', label: 'Piecewise constant' },
      ],
      label: 'Rate over time',
      tooltip: 'One rate for the whole run, or a rate that steps to new values at given times.',
    },
    rate_hz: {
      type: 'number',
      default: 40,
      min: 0,
      max: 10_000,
      unit: 'Hz',
      label: 'Rate',
      tooltip: 'Mean firing rate of each channel.',
      when: { param: 'rate_mode', in: ['constant'] },
    },
    times_ms: {
      type: 'numbers',
      default: [0, 500],
      min: 0,
      unit: 'ms',
      label: 'Change times',
      tooltip: 'When each rate below starts, in increasing order. Before the first time the rate is 0.',
      when: { param: 'rate_mode', in: ['piecewise'] },
    },
    rates_hz: {
      type: 'numbers',
      default: [10, 50],
      min: 0,
      max: 10_000,
      unit: 'Hz',
      label: 'Rates',
      tooltip: 'The rate from each change time on, one per time.',
      when: { param: 'rate_mode', in: ['piecewise'] },
    },
  },
  size: (p) => p.size,
  check: (p) => {
    if (p.rate_mode !== 'piecewise') return [];
    const out: [string, string][] = [];
    if (p.times_ms.length === 0) out.push(['times_ms', 'needs at least one time']);
    if (p.rates_hz.length !== p.times_ms.length) {
      out.push(['rates_hz', `needs one rate per change time (${p.times_ms.length} times, ${p.rates_hz.length} rates)`]);
    }
    const bad = p.times_ms.findIndex((t, k) => k > 0 && !(t > p.times_ms[k - 1]));
    if (bad > 0) out.push(['times_ms', `must increase: item ${bad} (${p.times_ms[bad]} ms) is not after item ${bad - 1} (${p.times_ms[bad - 1]} ms)`]);
    return out;
  },
  runtime: {
    role: 'spike-source',
    bytesPerNeuron: 0,
    create: (params, size, ctx) =>
      new PoissonSource(size, params.rate_mode === 'piecewise' ? { timesMs: params.times_ms as number[], ratesHz: params.rates_hz as number[] } : (params.rate_hz as number), ctx),
  },
});
