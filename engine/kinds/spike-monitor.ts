import { defineNodeKind } from './define.ts';
import type { CriticalityOptions } from '../analysis/criticality.ts';

export const spikeMonitor = defineNodeKind({
  id: 'spike-monitor',
  label: 'Spike monitor',
  category: 'monitor',
  help:
    "Records every spike of the populations wired into it as (neuron, time) pairs, as Brian2's SpikeMonitor. " +
    'Its panel draws a raster. Time stamps are the start of the step in which the neuron crossed threshold. ' +
    'On long runs the app keeps either the whole run (up to max_spikes; later spikes are dropped) or only the last window_ms ' +
    '(keep = window; memory stays bounded and the panel says so). ' +
    'Every spike monitor reports, for its populations taken together, the mean CV of inter-spike intervals (neurons with ≥ 3 spikes) and ' +
    "the CV of the population count in 1 ms bins after 100 ms (Brunel's synchrony indicator). " +
    'With Criticality on it also analyses neuronal avalanches (Beggs & Plenz 2003): the population activity in bins (of the width set, or of the ' +
    'mean interval between its spikes), an avalanche being a run of non-empty bins between empty ones; discrete power laws fitted to their sizes and ' +
    'durations by maximum likelihood with x_min chosen by the Kolmogorov–Smirnov distance, a bootstrap goodness of fit and likelihood-ratio tests ' +
    'against a lognormal and an exponential (Clauset, Shalizi & Newman 2009); the crackling-noise relation (α − 1)/(τ − 1) against the fitted growth of ' +
    'the mean size with duration (Sethna et al. 2001); and the branching ratio m by multistep regression, which subsampling does not bias ' +
    '(Wilting & Priesemann 2018). Its panel draws the distributions on log-log axes with the fitted lines, and the regression slopes r_k with their fit. ' +
    'With Memory capacity on it measures how much of an input population’s past a linear readout of the other populations recovers (Jaeger 2001): ' +
    'the input u is the spike count of the population named in Memory input (wired into this monitor) per bin, the state the other neurons’ counts per bin; ' +
    'for each delay k = 0 … Memory delays (0: the same bin) a ridge regression trained on the first 75 % of the bins after 100 ms predicts u(t − k), and its squared correlation ' +
    'with u(t − k) on the last 25 % is r²_k; the capacity is the sum of the r²_k.',
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
    criticality: {
      type: 'boolean',
      default: false,
      label: 'Criticality',
      tooltip: 'Analyse avalanches (size and duration power laws, crackling noise) and the branching ratio after the run.',
    },
    avalanche_bin_ms: {
      type: 'number',
      default: 0,
      min: 0,
      unit: 'ms',
      label: 'Avalanche bin',
      tooltip: 'Width of the time bins of the population activity (rounded to whole steps). 0: the mean interval between the population’s spikes.',
      when: { param: 'criticality', in: [true] },
    },
    transient_ms: {
      type: 'number',
      default: 100,
      min: 0,
      unit: 'ms',
      label: 'Transient',
      tooltip: 'The first part of the run left out of the criticality analysis.',
      when: { param: 'criticality', in: [true] },
    },
    branching_k_max: {
      type: 'number',
      default: 40,
      min: 1,
      max: 100000,
      integer: true,
      label: 'Regression steps',
      tooltip: 'The multistep regression fits r_k = b·m^k for k = 1 … this many bins; cover a few autocorrelation times.',
      when: { param: 'criticality', in: [true] },
    },
    bootstrap: {
      type: 'number',
      default: 100,
      min: 0,
      max: 10000,
      integer: true,
      label: 'Bootstrap sets',
      tooltip: 'Synthetic data sets for the power laws’ goodness-of-fit p-value (seeded by the run’s seed); 0 skips it. Each costs about a refit.',
      when: { param: 'criticality', in: [true] },
    },
    memory_capacity: {
      type: 'boolean',
      default: false,
      label: 'Memory capacity',
      tooltip: 'Measure how many past bins of an input population a linear readout of the other populations recovers (Jaeger 2001) after the run.',
    },
    memory_input: {
      type: 'string',
      default: '',
      label: 'Memory input',
      tooltip: 'Id of the population (wired into this monitor) whose spike count per bin is the input signal u; every other population wired in is the state.',
      when: { param: 'memory_capacity', in: [true] },
    },
    memory_bin_ms: {
      type: 'number',
      default: 5,
      min: 0,
      exclusiveMin: true,
      unit: 'ms',
      label: 'Memory bin',
      tooltip: 'Width of the time bins of the input and state counts (rounded to whole steps).',
      when: { param: 'memory_capacity', in: [true] },
    },
    memory_delays: {
      type: 'number',
      default: 20,
      min: 1,
      max: 1000,
      integer: true,
      label: 'Memory delays',
      tooltip: 'The readouts recall u(t − k) for k = 0 … this many bins; the capacity sums their r².',
      when: { param: 'memory_capacity', in: [true] },
    },
    memory_ridge: {
      type: 'number',
      default: 0.01,
      min: 0,
      label: 'Memory ridge',
      tooltip: 'Ridge penalty λ of the readouts on standardised counts (minimise mean squared error + λ|w|²); larger values overfit less.',
      when: { param: 'memory_capacity', in: [true] },
    },
  },
  runtime: { role: 'monitor', records: 'spikes' },
});

/** The criticality analysis a spike monitor's params ask for (null: none), as `engine/analysis` takes it. */
export function spikeMonitorCriticality(params: Readonly<Record<string, unknown>>): (CriticalityOptions & { transientMs: number }) | null {
  if (params.criticality !== true) return null;
  const num = (name: keyof typeof spikeMonitor.params) => {
    const v = params[name];
    const spec = spikeMonitor.params[name];
    return typeof v === 'number' ? v : spec.type === 'number' ? spec.default : 0;
  };
  return { binMs: num('avalanche_bin_ms'), transientMs: num('transient_ms'), kMax: num('branching_k_max'), bootstrap: num('bootstrap') };
}

/** The memory-capacity measurement a spike monitor's params ask for (null: none). */
export interface SpikeMonitorMemory {
  /** The input population's node id ('' when none is named). */
  readonly input: string;
  readonly binMs: number;
  readonly maxDelay: number;
  readonly ridge: number;
}

/** The memory capacity a spike monitor's params ask for (null: none), as `engine/analysis` takes it. */
export function spikeMonitorMemory(params: Readonly<Record<string, unknown>>): SpikeMonitorMemory | null {
  if (params.memory_capacity !== true) return null;
  const num = (name: 'memory_bin_ms' | 'memory_delays' | 'memory_ridge') => {
    const v = params[name];
    return typeof v === 'number' ? v : spikeMonitor.params[name].default;
  };
  const input = typeof params.memory_input === 'string' ? params.memory_input.trim() : '';
  return { input, binMs: num('memory_bin_ms'), maxDelay: num('memory_delays'), ridge: num('memory_ridge') };
}
