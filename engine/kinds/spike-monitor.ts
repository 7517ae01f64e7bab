import { defineNodeKind } from './define.ts';

export const spikeMonitor = defineNodeKind({
  id: 'spike-monitor',
  label: 'Spike monitor',
  category: 'monitor',
  help:
    "Records every spike of the populations wired into it as (neuron, time) pairs, as Brian2's SpikeMonitor. " +
    'Its panel draws a raster. Time stamps are the start of the step in which the neuron crossed threshold. ' +
    'On long runs the app keeps either the whole run (up to max_spikes; later spikes are dropped) or only the last window_ms ' +
    '(keep = window; memory stays bounded and the panel says so).',
  inputs: [{ id: 'spikes', label: 'spikes', type: 'spikes', role: 'observe', multiple: true }],
  outputs: [],
  params: {
    keep: {
      type: 'enum',
      default: 'all',
      options: [
        { value: 'all', label: 'Whole run' },
        { value: 'window', label: 'Last window' },
      ],
      label: 'Keep',
      tooltip: 'Whole run: every spike up to the cap (later ones are dropped). Last window: only spikes of the last window_ms, so long runs use bounded memory.',
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
    max_spikes: {
      type: 'number',
      default: 25_000_000,
      min: 1000,
      max: 500_000_000,
      integer: true,
      label: 'Spike cap',
      tooltip: 'At most this many spikes are kept (8 bytes each). Past it, the whole-run mode drops later spikes and the window mode drops the oldest.',
    },
  },
  runtime: { role: 'monitor', records: 'spikes' },
});
