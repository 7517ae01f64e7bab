import { defineNodeKind } from './define.ts';

export const stateMonitor = defineNodeKind({
  id: 'state-monitor',
  label: 'State monitor',
  category: 'monitor',
  help:
    'Records one state variable (for example v, the membrane potential) of chosen neurons of the populations wired into it, ' +
    "every interval_ms, as Brian2's StateMonitor. Values are sampled at the end of each step, after the reset, " +
    'so a neuron that spiked shows its reset value. Its panel draws the traces. ' +
    'On long runs the app keeps the whole run (up to max_values), only the last window_ms (keep = window), ' +
    'or the whole run at a coarser interval (keep = decimate: each time the cap is reached every other sample is dropped).',
  inputs: [{ id: 'spikes', label: 'population', type: 'spikes', role: 'observe', multiple: true }],
  outputs: [],
  params: {
    variable: { type: 'string', default: 'v', label: 'Variable', tooltip: 'A state variable of the observed kind (see its help), e.g. v.' },
    neurons: { type: 'numbers', default: [0, 1, 2], min: 0, label: 'Neurons', tooltip: 'Indices of the neurons to record (0-based); indices past the population are ignored.' },
    interval_ms: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, unit: 'ms', label: 'Interval', tooltip: 'Sampling interval, rounded to whole steps.' },
    keep: {
      type: 'enum',
      default: 'all',
      options: [
        { value: 'all', label: 'Whole run' },
        { value: 'window', label: 'Last window' },
        { value: 'decimate', label: 'Decimate' },
      ],
      label: 'Keep',
      tooltip: 'Whole run: every sample up to the cap (later ones are dropped). Last window: only the last window_ms. Decimate: the whole run, halving the sampling rate each time the cap is reached.',
    },
    window_ms: {
      type: 'number',
      default: 10000,
      min: 0,
      exclusiveMin: true,
      unit: 'ms',
      label: 'Window',
      tooltip: 'With keep = window: how much of the most recent simulated time is kept.',
      when: { param: 'keep', in: ['window'] },
    },
    max_values: {
      type: 'number',
      default: 50_000_000,
      min: 1000,
      max: 1_000_000_000,
      integer: true,
      label: 'Value cap',
      tooltip: 'At most this many values (samples × neurons, 4 bytes each) are kept; what happens past it depends on keep.',
    },
  },
  check: (p) => {
    const bad = p.neurons.findIndex((n) => !Number.isInteger(n));
    const out: [string, string][] = [];
    if (bad >= 0) out.push(['neurons', `item ${bad} (${p.neurons[bad]}) must be a whole number`]);
    if (p.neurons.length > 1000) out.push(['neurons', `records at most 1000 neurons (got ${p.neurons.length})`]);
    return out;
  },
  runtime: { role: 'monitor', records: 'state' },
});
