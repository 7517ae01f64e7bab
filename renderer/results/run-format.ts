/**
 * Words and numbers for the run: the status line and the stats line. Pure.
 */
import type { RunStats } from '../../engine/sim/stats.ts';
import type { RunState } from '../store/run-state.ts';

/** Thousands separators, no locale surprises. */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 3 significant digits, with k/M/G for big counts. */
export function fmtCount(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  return fmtInt(n);
}

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** Simulated time as shown beside the progress bar, at the precision of dt. */
export function fmtSimTime(tMs: number, dtMs: number): string {
  const decimals = dtMs > 0 && dtMs < 1 ? Math.min(4, Math.ceil(-Math.log10(dtMs) - 1e-9)) : 0;
  return tMs.toFixed(decimals);
}

/** Fraction of the run done, 0…1. */
export function runFraction(run: Pick<RunState, 'step' | 'nSteps'>): number {
  return run.nSteps > 0 ? Math.min(1, Math.max(0, run.step / run.nSteps)) : 0;
}

/** The status text (`data-testid="run-status"`); lower case, and contains `finished` when a run completed. */
export function runStatusText(run: RunState): string {
  switch (run.phase) {
    case 'idle':
      return run.engine === 'ready' ? 'ready' : run.engine === 'down' ? 'engine unavailable' : 'starting engine…';
    case 'starting':
      return 'building network…';
    case 'running':
      return `running ${Math.floor(runFraction(run) * 100)}%`;
    case 'paused':
      return `paused at ${Math.floor(runFraction(run) * 100)}%`;
    case 'stopping':
      return 'stopping…';
    case 'finished':
      return run.stats ? `finished in ${fmtMs(run.stats.run_ms)}` : 'finished';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return 'failed';
    case 'refused':
      return `refused: ${run.issues.length} issue${run.issues.length === 1 ? '' : 's'}`;
  }
}

/** The stats line under the raster. */
export function statsItems(s: RunStats): { label: string; value: string; title?: string }[] {
  return [
    { label: 'neurons', value: fmtInt(s.neurons) },
    { label: 'inputs', value: fmtInt(s.source_channels), title: 'Channels of spike sources' },
    { label: 'synapses', value: fmtCount(s.synapses), title: fmtInt(s.synapses) },
    { label: 'spikes', value: fmtCount(s.spikes), title: `${fmtInt(s.spikes)} neuron spikes, ${fmtInt(s.source_spikes)} input spikes` },
    { label: 'mean rate', value: `${s.mean_rate_hz.toPrecision(3)} Hz` },
    { label: 'sparsity', value: `${(s.sparsity * 100).toPrecision(2)}%`, title: 'Fraction of neuron-steps with a spike' },
    { label: 'syn. events', value: fmtCount(s.synaptic_events), title: `${fmtInt(s.synaptic_events)} synapses walked (dense: ${fmtCount(s.dense_macs)} MACs)` },
    { label: 'build', value: fmtMs(s.build_ms) },
    { label: 'run', value: fmtMs(s.run_ms) },
    { label: 'speed', value: `${s.realtime_factor >= 10 ? Math.round(s.realtime_factor) : s.realtime_factor.toPrecision(2)}× real time` },
  ];
}
