/**
 * The Sweep panel's state and what its buttons do: run the set-up's points on
 * `jobs` engines in Web Workers (one engine per job, reused point after point:
 * engine/protocol/sweep-lane.ts), cancel, open a point as a run of the run
 * history, save the set-up into the document, export the table.
 *
 * The open document is never changed by a sweep: each point is a copy
 * (engine/compile/sweep.ts applyPoint), and opening a point runs that copy
 * (RunController.run(snapshot)), which the run history keeps like any run.
 */
import { createStore } from 'zustand/vanilla';
import type { AppServices } from '../app/actions.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import {
  applyPoint,
  metricNames,
  prepareSweep,
  savedSweepOf,
  savedSweepText,
  selectMetrics,
  sweepCsv,
  pickMetrics,
  SweepSpecError,
  type SweepPoint,
  type SweepRow,
  type SweepSet,
} from '../../engine/compile/sweep.ts';
import { runSweepTasks, SweepLane } from '../../engine/protocol/sweep-lane.ts';
import { workerEngineFactory, type EngineFactory } from '../engine/endpoints.ts';
import { parseRow, rowOf, type SetRow } from './sweep-math.ts';
import { whileBusy } from '../recovery/leave-guard.ts';

export type SweepPhase = 'idle' | 'running' | 'done' | 'cancelled';

/** The sweep that ran (or runs): what the plots and the table read. */
export interface SweepRun {
  /** The document swept (as it was when the sweep started): its points open from it. */
  readonly doc: GraphDocument;
  readonly sets: readonly SweepSet[];
  readonly points: readonly SweepPoint[];
  readonly seeds: number;
  readonly metrics: readonly string[];
  readonly durationMs: number | undefined;
  readonly total: number;
  readonly startedAt: number;
  readonly rows: readonly SweepRow[];
  readonly endedAt: number | null;
}

export interface SweepState {
  readonly open: boolean;
  /** The editor's document epoch the set-up belongs to: another document gets its own saved sweep. */
  readonly docEpoch: number;
  /** The parameter rows as typed. */
  readonly rows: readonly SetRow[];
  readonly seeds: string;
  /** Blank: the document's duration. */
  readonly durationMs: string;
  readonly jobs: string;
  /** Metrics ticked (empty: all). */
  readonly metrics: readonly string[];
  readonly label: string;
  readonly phase: SweepPhase;
  readonly run: SweepRun | null;
  /** Problems that stopped the last start (each names the set, point, node or field). */
  readonly problems: readonly string[];
  /** Runs that failed in the last sweep. */
  readonly failures: number;
  /** The metric the plot shows. */
  readonly plotMetric: string | null;
  readonly notice: string | null;
}

const defaultJobs = () => String(Math.max(1, Math.min(8, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2)));

export const sweepStore = createStore<SweepState>()(() => ({
  open: false,
  docEpoch: -1,
  rows: [],
  seeds: '1',
  durationMs: '',
  jobs: defaultJobs(),
  metrics: [],
  label: '',
  phase: 'idle',
  run: null,
  problems: [],
  failures: 0,
  plotMetric: null,
  notice: null,
}));

// Leaving the page during a sweep asks first, and the next start says its results were discarded.
whileBusy(() => {
  const { phase, run } = sweepStore.getState();
  return phase === 'running' && run ? `a sweep (${run.rows.length} of ${run.total} runs done)` : null;
});

/** How the panel gets engines; tests and the desktop app use the Web Worker engine. */
let engineFactory: EngineFactory = workerEngineFactory();
export function setSweepEngineFactory(f: EngineFactory): void {
  engineFactory = f;
}

/** The metric names the open document's runs report (empty when it does not compile). */
export function documentMetrics(doc: GraphDocument): string[] {
  const compiled = compileDocument(doc);
  return compiled.ok ? metricNames(compiled.plan) : [];
}

/** Another document is open: its own set-up (its saved sweep, or none) replaces the last one's, unless a sweep runs. */
export function followDocument(doc: GraphDocument, docEpoch: number): void {
  const s = sweepStore.getState();
  if (s.docEpoch === docEpoch || s.phase === 'running') return;
  sweepStore.setState({ docEpoch, rows: [], metrics: [], label: '', durationMs: '', seeds: '1', run: null, phase: 'idle', problems: [], notice: null, failures: 0 });
  loadSavedSetup(doc);
}

/** Fill the set-up from the document's saved sweep (or keep what is there when it has none). */
export function loadSavedSetup(doc: GraphDocument): void {
  let saved;
  try {
    saved = savedSweepOf(doc);
  } catch (e) {
    if (!(e instanceof SweepSpecError)) throw e;
    sweepStore.setState({ notice: `The document's saved sweep cannot be read: ${e.message}` });
    return;
  }
  if (!saved) return;
  const raw = doc.sweep as { sets: string[]; metrics?: string[] };
  // Bare names (`cv_isi_mean`) stand for every monitor's: the chooser ticks the full names.
  let metrics = raw.metrics ?? [];
  try {
    const known = documentMetrics(doc);
    if (metrics.length && known.length) metrics = selectMetrics(metrics.join(','), known);
  } catch (e) {
    if (!(e instanceof SweepSpecError)) throw e;
    sweepStore.setState({ problems: [e.message] });
  }
  sweepStore.setState({
    rows: raw.sets.map(rowOf),
    seeds: String(saved.seeds),
    durationMs: saved.durationMs === undefined ? '' : String(saved.durationMs),
    metrics,
    label: saved.label ?? '',
    notice: null,
  });
}

/** Add a parameter row for `target` (from the inspector), with a range around its current value. */
export function addTarget(target: string, current: unknown): void {
  const s = sweepStore.getState();
  if (s.rows.some((r) => r.target.trim() === target)) return;
  const values = typeof current === 'number' && Number.isFinite(current) && current !== 0 ? rangeAround(current) : '';
  const rows = s.rows.length >= 2 ? [...s.rows.slice(0, 1), { target, values }] : [...s.rows, { target, values }];
  sweepStore.setState({ rows });
}

/** Five values from half to one and a half times x (a starting point the user edits). */
export function rangeAround(x: number): string {
  const a = Number.parseFloat((x * 0.5).toPrecision(6));
  const b = Number.parseFloat((x * 1.5).toPrecision(6));
  const step = Number.parseFloat(((b - a) / 4).toPrecision(6));
  return x > 0 ? `${a}:${b}:${step}` : `${b}:${a}:${Math.abs(step)}`;
}

function positiveWhole(text: string, what: string): number | string {
  const x = Number(text);
  return Number.isInteger(x) && x >= 1 ? x : `${what} must be a whole number ≥ 1 (got "${text}")`;
}

/** The set-up checked: its sets and numbers, or the problems with it. */
export function checkedSetup(s: SweepState): { sets: SweepSet[]; seeds: number; jobs: number; durationMs: number | undefined } | { problems: string[] } {
  const problems: string[] = [];
  const sets: SweepSet[] = [];
  if (s.rows.length === 0) problems.push('Add a parameter to sweep (NODE.FIELD and its values).');
  for (const r of s.rows) {
    const p = parseRow(r);
    if (p.ok) sets.push(p.set);
    else problems.push(p.message);
  }
  const seeds = positiveWhole(s.seeds, 'Seeds');
  const jobs = positiveWhole(s.jobs, 'Jobs');
  if (typeof seeds === 'string') problems.push(seeds);
  if (typeof jobs === 'string') problems.push(jobs);
  let durationMs: number | undefined;
  if (s.durationMs.trim() !== '') {
    durationMs = Number(s.durationMs);
    if (!(durationMs > 0)) problems.push(`Duration must be a number > 0 ms, or blank for the document's (got "${s.durationMs}")`);
  }
  if (problems.length) return { problems };
  return { sets, seeds: seeds as number, jobs: jobs as number, durationMs };
}

let cancelCurrent: (() => void) | null = null;

/** Run the set-up on the open document. Resolves when the sweep ends or is cancelled. */
export async function startSweep(app: AppServices): Promise<void> {
  const s = sweepStore.getState();
  if (s.phase === 'running') return;
  const setup = checkedSetup(s);
  if ('problems' in setup) {
    sweepStore.setState({ problems: setup.problems });
    return;
  }
  const doc = app.editor.state.doc;
  const prepared = prepareSweep(doc, setup.sets, { durationMs: setup.durationMs, metrics: s.metrics.length ? s.metrics.join(',') : undefined });
  if ('messages' in prepared) {
    sweepStore.setState({ problems: [prepared.messages.join('\n')] });
    return;
  }
  const { points, plans, metrics } = prepared;
  const tasks = points.flatMap((p) => Array.from({ length: setup.seeds }, (_, k) => ({ point: p, seed: plans[p.index].seed + k })));
  const rows: SweepRow[] = [];
  const run: SweepRun = { doc, sets: setup.sets, points, seeds: setup.seeds, metrics, durationMs: setup.durationMs, total: tasks.length, startedAt: performance.now(), rows: [], endedAt: null };
  const plotMetric = s.plotMetric && metrics.includes(s.plotMetric) ? s.plotMetric : (metrics.find((m) => m.endsWith('.rate_hz')) ?? metrics.find((m) => m !== 'run_ms') ?? metrics[0]);
  sweepStore.setState({ phase: 'running', run, problems: [], failures: 0, plotMetric, notice: null });

  let cancelled = false;
  const handles: { terminate(): void }[] = [];
  const ended = new Promise<void>((resolve) => {
    cancelCurrent = () => {
      cancelled = true;
      // The runs under way stop with their workers; the finished rows stay.
      for (const h of handles) h.terminate();
      resolve();
    };
  });
  let failures = 0;
  const work = runSweepTasks({
    tasks,
    plans,
    jobs: setup.jobs,
    cancelled: () => cancelled,
    newLane: async () => {
      const handle = await engineFactory();
      handles.push(handle);
      let crash: ((e: { code: 'engine-crashed'; message: string }) => void) | null = null;
      handle.onCrash((reason) => crash?.({ code: 'engine-crashed', message: reason }));
      return new SweepLane({
        endpoint: handle.endpoint,
        close: () => handle.terminate(),
        onCrash: (l) => (crash = l),
      });
    },
    onRow: (row) => {
      if (cancelled) return;
      rows.push(row);
      if (row.error) failures++;
      sweepStore.setState((st) => ({ failures, run: st.run && { ...st.run, rows: [...rows].sort((a, b) => a.point - b.point || a.seed - b.seed) } }));
    },
  });
  await Promise.race([work, ended]);
  cancelCurrent = null;
  sweepStore.setState((st) => ({ phase: cancelled ? 'cancelled' : 'done', run: st.run && { ...st.run, endedAt: performance.now() } }));
}

/** Stop the sweep under way: no more points start, the runs under way end with their workers. */
export function cancelSweep(): void {
  cancelCurrent?.();
}

/** The document of one point with one seed (the open document is unchanged). */
export function pointDocument(doc: GraphDocument, run: Pick<SweepRun, 'sets' | 'durationMs'>, point: SweepPoint, seed: number): GraphDocument {
  const d = applyPoint(doc, run.sets, point);
  d.simulation = { ...d.simulation, seed, ...(run.durationMs !== undefined ? { duration_ms: run.durationMs } : {}) };
  return d;
}

/** Re-run one point with its seed as an ordinary run: its results fill the results panels and the run history keeps it. */
export async function openPoint(app: AppServices, pointIndex: number, seed: number): Promise<boolean> {
  const run = sweepStore.getState().run;
  const point = run?.points[pointIndex];
  if (!run || !point) return false;
  return app.runner.run(pointDocument(run.doc, run, point, seed));
}

/** Write the set-up into the document's `sweep` field (one undoable edit). */
export function saveSetup(app: AppServices): boolean {
  const s = sweepStore.getState();
  const setup = checkedSetup(s);
  if ('problems' in setup) {
    sweepStore.setState({ problems: setup.problems });
    return false;
  }
  const saved = savedSweepText({
    sets: s.rows.map((r) => `${r.target.trim()}=${r.values.trim()}`),
    seeds: setup.seeds,
    metrics: s.metrics,
    durationMs: setup.durationMs,
    label: s.label.trim() || undefined,
  });
  app.editor.edit('Save the sweep set-up', (d) => {
    (d as Record<string, unknown>).sweep = saved;
  });
  sweepStore.setState({ problems: [], notice: 'The set-up is saved in the document (Save writes it to the file; Undo takes it back).' });
  return true;
}

/** The table of the last sweep as CSV or JSON text (the layout of `spikeflow sweep`'s results). */
export function tableText(run: SweepRun, format: 'csv' | 'json', source: string): string {
  const targets = run.sets.map((s) => s.target);
  if (format === 'csv') return sweepCsv(run.rows, targets, run.metrics);
  const sets = run.sets.map((s) => ({ target: s.target, values: s.values }));
  return JSON.stringify({ file: source, sets, seeds: run.seeds, duration_ms: run.durationMs ?? null, metrics: run.metrics, rows: pickMetrics(run.rows, run.metrics) }, null, 1) + '\n';
}

/** Export the table through the platform (a download in a browser, a Save dialog on the desktop). */
export async function exportTable(app: AppServices, format: 'csv' | 'json'): Promise<void> {
  const run = sweepStore.getState().run;
  if (!run) return;
  const name = app.editor.state.doc.meta.name || 'network';
  const text = tableText(run, format, name);
  const base = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'sweep';
  await app.platform.exportBlob(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }), `${base}-sweep.${format}`);
}
