/**
 * Weight monitor: snapshots of a plastic projection's weights during a run
 * (sim/weight-recorder.ts). It observes the projection through the plasticity
 * node's output: wire STDP's `post` into both the target population and this
 * monitor's `projection` input (a plasticity node's output may feed one
 * synapse input and any number of weight monitors).
 */
import { defineNodeKind } from './define.ts';

export const weightMonitor = defineNodeKind({
  id: 'weight-monitor',
  label: 'Weight monitor',
  category: 'monitor',
  help:
    'Records snapshots of the weights of a plastic projection every interval_ms, starting with the initial weights at t = 0. ' +
    'Wire the output of a plasticity node (e.g. STDP "post") into it, beside the wire into the target population. ' +
    'Its panel draws the latest snapshot as a heatmap (source neuron × target neuron) and a histogram, and, when the source is an ' +
    "encoder over images (e.g. the bundled 8×8 digits), each target neuron's receptive field as an image. " +
    'A snapshot of N synapses takes 4·N bytes; the panel keeps the latest one. Static wires do not change during a run, so they have no monitor.',
  inputs: [{ id: 'projection', label: 'plastic projection', type: 'spikes', role: 'observe', multiple: false }],
  outputs: [],
  params: {
    interval_ms: {
      type: 'number',
      default: 100,
      min: 0,
      exclusiveMin: true,
      unit: 'ms',
      label: 'Interval',
      tooltip: 'Time between snapshots, rounded to whole steps (at least one step).',
    },
  },
  runtime: { role: 'monitor', records: 'weights' },
});
