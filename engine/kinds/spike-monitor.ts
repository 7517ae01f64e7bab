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
    '(Wilting & Priesemann 2018). Its panel draws the distributions on log-log axes with the fitted lines, and the regression slopes r_k with their fit.',
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
