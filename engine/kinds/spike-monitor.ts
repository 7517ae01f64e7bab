import { defineNodeKind } from './define.ts';

export const spikeMonitor = defineNodeKind({
  id: 'spike-monitor',
  label: 'Spike monitor',
  category: 'monitor',
  help:
    'Records every spike of the populations wired into it as (neuron, time) pairs, as Brian2\'s SpikeMonitor. ' +
    'Its panel draws a raster. Time stamps are the start of the step in which the neuron crossed threshold.',
  inputs: [{ id: 'spikes', label: 'spikes', type: 'spikes', role: 'observe', multiple: true }],
  outputs: [],
  params: {},
  runtime: { role: 'monitor', records: 'spikes' },
});
