import { defineNodeKind } from './define.ts';
import { SpikeGenerator } from '../sim/sources.ts';

export const spikeGenerator = defineNodeKind({
  id: 'spike-generator',
  label: 'Spike generator',
  category: 'input',
  help:
    "Emits spikes at explicit times, as Brian2's SpikeGeneratorGroup: channel neurons[k] spikes at times_ms[k]. " +
    'A spike at t is emitted in the step that holds it, floor((t + 0.001·dt)/dt), exactly as Brian2 2.5.1 (at dt 0.1 ms, 0.05 and 0.06 ms give 0 ms, 0.14 ms gives 0.1 ms). ' +
    'Two spikes of one channel in one step count once (Brian2 refuses them).',
  inputs: [],
  outputs: [{ id: 'spikes', label: 'spikes', type: 'spikes' }],
  params: {
    size: { type: 'number', default: 1, min: 1, max: 10_000_000, integer: true, label: 'Channels', tooltip: 'Number of channels.' },
    neurons: { type: 'numbers', default: [0], min: 0, label: 'Channels of spikes', tooltip: 'Channel index of each spike (0-based), paired with the times below.' },
    times_ms: { type: 'numbers', default: [10], min: 0, unit: 'ms', label: 'Spike times', tooltip: 'Time of each spike.' },
  },
  size: (p) => p.size,
  check: (p) => {
    const out: [string, string][] = [];
    if (p.neurons.length !== p.times_ms.length) {
      out.push(['times_ms', `needs one time per channel entry (${p.neurons.length} channels, ${p.times_ms.length} times)`]);
    }
    const bad = p.neurons.findIndex((n) => !Number.isInteger(n) || n >= p.size);
    if (bad >= 0) out.push(['neurons', `item ${bad} (${p.neurons[bad]}) must be a whole number below the channel count ${p.size}`]);
    return out;
  },
  runtime: {
    role: 'spike-source',
    bytesPerNeuron: 0,
    create: (params, size, ctx) => new SpikeGenerator(size, params.neurons as number[], params.times_ms as number[], ctx.dtMs),
  },
});
