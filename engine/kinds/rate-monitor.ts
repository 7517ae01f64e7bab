import { defineNodeKind } from './define.ts';

export const rateMonitor = defineNodeKind({
  id: 'rate-monitor',
  label: 'Population rate',
  category: 'monitor',
  help:
    'The population firing rate of each population wired into it: spikes per bin of bin_ms, divided by the ' +
    "population size and the bin length (Hz), as Brian2's PopulationRateMonitor averaged over bins. Its panel draws it as steps, one per bin.",
  inputs: [{ id: 'spikes', label: 'population', type: 'spikes', role: 'observe', multiple: true }],
  outputs: [],
  params: {
    bin_ms: { type: 'number', default: 5, min: 0, exclusiveMin: true, max: 1e6, unit: 'ms', label: 'Bin width', tooltip: 'Width of the counting bins, rounded to whole steps.' },
  },
  runtime: { role: 'monitor', records: 'rate' },
});
