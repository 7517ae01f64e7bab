/**
 * Words and numbers for the run: the status line and the stats line. Pure.
 */
import type { RunStats } from '../../engine/sim/stats.ts';
import type { RunState } from '../store/run-state.ts';

// One formatter for the app: `toLocaleString` builds a new one per call, which a
// live run (many numbers per frame) pays for in main-thread time.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Thousands separators, no locale surprises. */
export function fmtInt(n: number): string {
  return INT.format(Math.round(n));
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

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** While the engine builds the network (before the first step), a cancel of the build included. */
export function isBuilding(run: Pick<RunState, 'phase' | 'build'>): boolean {
  return run.phase === 'starting' || (run.phase === 'stopping' && run.build !== null);
}

/** The engine's build phases (sim/build.ts, protocol/server.ts) in words; another phase is shown as the engine names it. */
const BUILD_WORDS: Readonly<Record<string, string>> = { populations: 'neurons', synapses: 'synapses', threads: 'simulation threads', done: 'ready' };

/** What the build is making, in words, e.g. `synapses`. */
export function buildWhat(build: NonNullable<RunState['build']>): string {
  return BUILD_WORDS[build.phase] ?? build.phase;
}

/**
 * What the toolbar's bar shows, 0…1: the build (done of total) while the engine builds,
 * epochs and batches during training, else simulated steps.
 */
export function progressFraction(run: Pick<RunState, 'phase' | 'step' | 'nSteps' | 'build' | 'training'>): number {
  if (isBuilding(run)) return run.build && run.build.total > 0 ? clamp01(run.build.done / run.build.total) : 0;
  const t = run.training;
  if (t && t.epochs > 0) return clamp01((t.epoch + (t.batches > 0 && t.epoch < t.epochs ? t.batch / t.batches : 0)) / t.epochs);
  return runFraction(run);
}

/**
 * The toolbar's clock (`run-time`): the build's units done of total during a build
 * (`52.6M / 125M`; empty before the engine reports), `epoch 3 / 20 · batch 12 / 45` for
 * a training run, else simulated time `t / T ms` at dt's precision.
 */
export function runClockText(run: Pick<RunState, 'phase' | 'step' | 'nSteps' | 'dtMs' | 'build' | 'training'>, sim: { readonly dt_ms: number; readonly duration_ms: number }): string {
  if (isBuilding(run)) return run.build && run.build.total > 1 ? `${fmtCount(run.build.done)} / ${fmtCount(run.build.total)}` : '';
  const t = run.training;
  if (t) return `epoch ${t.epoch} / ${t.epochs} · batch ${t.batch} / ${t.batches}`;
  const shown = run.phase !== 'idle' && run.phase !== 'refused';
  const dt = shown ? run.dtMs : sim.dt_ms;
  return `${fmtSimTime(shown ? run.step * run.dtMs : 0, dt)} / ${fmtSimTime(shown ? run.nSteps * run.dtMs : sim.duration_ms, dt)} ms`;
}

/**
 * The status text (`data-testid="run-status"`): `Building… 42 % · synapses` while the
 * engine builds, else lower case, and contains `finished` when a run completed.
 */
export function runStatusText(run: RunState): string {
  switch (run.phase) {
    case 'idle':
      return run.engine === 'ready' ? 'ready' : run.engine === 'down' ? 'engine unavailable' : 'starting engine…';
    case 'starting':
      return run.build ? `Building… ${Math.floor(progressFraction(run) * 100)} % · ${buildWhat(run.build)}` : 'Building…';
    case 'running':
      return run.training ? `training ${Math.floor(progressFraction(run) * 100)}%` : `running ${Math.floor(runFraction(run) * 100)}%`;
    case 'paused':
      return `paused at ${Math.floor(runFraction(run) * 100)}%`;
    case 'stopping':
      return run.build ? 'cancelling the build…' : 'stopping…';
    case 'finished':
      // A training run's time is its training and check, not only the simulation's.
      if (run.training && run.wallMs !== null) return `finished in ${fmtMs(run.wallMs)}`;
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

/** A rate in Hz to three significant digits (`0` stays `0`). */
export function fmtRate(hz: number): string {
  if (hz === 0) return '0';
  if (hz >= 1000) return fmtInt(hz);
  return hz.toPrecision(3);
}

/** One row of the per-population table. */
export interface PopulationRow {
  readonly nodeId: string;
  /** The node's label now (the id when it has none or is gone). */
  readonly label: string;
  /** The kind's label, e.g. `LIF (current, exp. synapses)`. */
  readonly kind: string;
  readonly category: string;
  readonly size: string;
  readonly spikes: string;
  readonly rate: string;
}

/** The per-population table: one row per neuron population and spike source, in plan order. */
export function populationRows(s: RunStats, labelOf: (nodeId: string) => string | undefined, kindOf: (kindId: string) => { label: string; category: string } | undefined): PopulationRow[] {
  return s.populations.map((p) => {
    const kind = kindOf(p.kind);
    return {
      nodeId: p.nodeId,
      label: labelOf(p.nodeId) || p.nodeId,
      kind: kind?.label ?? p.kind,
      category: kind?.category ?? 'input',
      size: fmtInt(p.size),
      spikes: fmtInt(p.spikes),
      rate: fmtRate(p.rate_hz),
    };
  });
}

/** The totals beside the table, every field of the run statistics people ask about. */
export function totalsItems(s: RunStats): { label: string; value: string; title?: string }[] {
  const rtf = s.realtime_factor;
  return [
    { label: 'Spikes', value: fmtInt(s.spikes), title: 'Spikes of neuron populations' },
    { label: 'Input spikes', value: fmtInt(s.source_spikes), title: 'Spikes of spike sources (Poisson, generators, encoders)' },
    { label: 'Mean rate', value: `${fmtRate(s.mean_rate_hz)} Hz`, title: 'Neuron spikes / (neurons × simulated seconds)' },
    { label: 'Sparsity', value: `${(s.sparsity * 100).toPrecision(3)} %`, title: 'Fraction of neuron-steps with a spike' },
    { label: 'Synaptic events', value: fmtInt(s.synaptic_events), title: 'Synapses walked because their source spiked' },
    { label: 'External events', value: fmtInt(s.external_events), title: 'Input events from drives (e.g. Poisson drive), not synapses' },
    { label: 'Dense MACs', value: fmtCount(s.dense_macs), title: `${fmtInt(s.dense_macs)}: synapses × steps, what a clock-driven dense pass would cost` },
    { label: 'Neurons', value: fmtInt(s.neurons) },
    { label: 'Synapses', value: fmtInt(s.synapses) },
    { label: 'Steps', value: `${fmtInt(s.steps)} × ${s.dt_ms} ms`, title: `${s.simulated_ms} ms simulated` },
    { label: 'Build', value: fmtMs(s.build_ms) },
    { label: 'Run', value: fmtMs(s.run_ms) },
    { label: 'Real-time factor', value: `${rtf >= 10 ? fmtInt(rtf) : rtf.toPrecision(2)}×`, title: 'Simulated time / wall time of the run (above 1: faster than real time)' },
  ];
}

/** One row of the plastic-projection table: the final weights of a projection that learned. */
export interface PlasticRow {
  readonly nodeId: string;
  readonly label: string;
  readonly synapses: string;
  /** Mean weight as a fraction of w_max, e.g. `0.42`. */
  readonly mean: string;
  readonly low: string;
  readonly high: string;
  /** The weight histogram scaled to [0, 1] per bin (tallest bin = 1), for a sparkline. */
  readonly bars: readonly number[];
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 0)} %`;
}

/** Rows for the plastic projections of a run (none when it had none). */
export function plasticRows(s: RunStats, labelOf: (nodeId: string) => string | undefined): PlasticRow[] {
  return (s.plastic ?? []).map((p) => {
    const top = Math.max(0, ...p.w_hist_20);
    return {
      nodeId: p.nodeId,
      label: labelOf(p.nodeId) || p.nodeId,
      synapses: fmtInt(p.synapses),
      mean: p.w_mean_over_wmax.toFixed(2),
      low: pct(p.frac_low),
      high: pct(p.frac_high),
      bars: p.w_hist_20.map((c) => (top > 0 ? c / top : 0)),
    };
  });
}

/** One classifier readout's accuracies, formatted for the statistics table (issue 5). */
export interface ReadoutRow {
  readonly nodeId: string;
  readonly label: string;
  readonly assignment: string;
  /** e.g. `86.9 % of 497`, or `—` when nothing was scored. */
  readonly train: string;
  readonly test: string;
}

function accuracy(acc: number | null, n: number): string {
  return acc === null ? '—' : `${(acc * 100).toFixed(1)} % of ${fmtInt(n)}`;
}

/** Rows for the classifier readouts of a run (none when it had none). */
export function readoutRows(s: RunStats, labelOf: (nodeId: string) => string | undefined): ReadoutRow[] {
  return (s.readouts ?? []).map((r) => ({
    nodeId: r.nodeId,
    label: labelOf(r.nodeId) || r.nodeId,
    assignment: r.assignment === 'diehl-cook' ? 'Diehl & Cook' : 'fixed groups',
    train: accuracy(r.train_accuracy, r.train_presentations),
    test: accuracy(r.test_accuracy, r.test_presentations),
  }));
}
