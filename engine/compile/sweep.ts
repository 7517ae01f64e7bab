/**
 * Parameter sweeps (issue 16), the pure part shared by `spikeflow sweep` and the
 * app: the values of a `--set NODE.FIELD=VALUES`, the grid of points, each
 * point's document, and the metrics of a finished run as one flat record.
 *
 * VALUES is a list (`1,2,3`, `exc,inh`, `true,false`), a range `FROM:TO:STEP`
 * (`0:8:0.5`: 0, 0.5, …, 8; TO is included when a whole number of steps away, to
 * within 1e-9 of a step) or a log range `log:FROM:TO:N` (N values from FROM to
 * TO, evenly spaced in log, both ends included). NODE is a node's id (inside
 * groups too) or a wire's id (projection params), or `simulation` (dt_ms,
 * duration_ms, seed).
 */
import type { GraphDocument, DocEdge, DocNode } from '../format/document.ts';
import { isGroupNode } from '../format/groups.ts';
import { getKind, PROJECTION_PARAMS, runtimeOf } from '../kinds/index.ts';
import { spikeMonitor, spikeMonitorCriticality, spikeMonitorMemory } from '../kinds/spike-monitor.ts';
import type { RunStats } from '../sim/stats.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { compileDocument } from './compile.ts';

/** The runtime roles whose populations runStats reports a rate for. */
const RATED = new Set(['neurons', 'spike-source']);

export type SweepValue = number | string | boolean;

/** One swept field (or several that take the same values together) and its values. */
export interface SweepSet {
  /** `NODE.FIELD` (or `NODE.FIELD+NODE.FIELD…`) as written. */
  readonly target: string;
  /** Every field this set drives: one, or several linked with `+` (e.g. both inhibitory wires' weight). */
  readonly fields: readonly { readonly node: string; readonly field: string }[];
  readonly values: readonly SweepValue[];
}

/** A bad `--set` or value: the message names what is wrong. */
export class SweepSpecError extends Error {}

/** Round a range's value so 0.1 + 0.2 prints as 0.3 (12 significant digits). */
const tidy = (x: number) => Number.parseFloat(x.toPrecision(12));

function num(text: string, what: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) throw new SweepSpecError(`${what} "${text}" is not a number`);
  return x;
}

/** The values of VALUES (list, range or log range); throws SweepSpecError naming the problem. */
export function parseValues(text: string): SweepValue[] {
  const t = text.trim();
  if (t === '') throw new SweepSpecError('no values given');
  if (t.startsWith('log:')) {
    const parts = t.slice(4).split(':');
    if (parts.length !== 3) throw new SweepSpecError(`a log range is log:FROM:TO:N (got "${t}")`);
    const [from, to, n] = [num(parts[0], 'FROM'), num(parts[1], 'TO'), num(parts[2], 'N')];
    if (!(from > 0 && to > 0)) throw new SweepSpecError(`a log range needs FROM and TO > 0 (got "${t}")`);
    if (!Number.isInteger(n) || n < 2) throw new SweepSpecError(`a log range needs N ≥ 2 whole values (got "${t}")`);
    return Array.from({ length: n }, (_, i) => tidy(Math.exp(Math.log(from) + ((Math.log(to) - Math.log(from)) * i) / (n - 1))));
  }
  if (t.includes(':')) {
    const parts = t.split(':');
    if (parts.length !== 3) throw new SweepSpecError(`a range is FROM:TO:STEP (got "${t}")`);
    const [from, to, step] = [num(parts[0], 'FROM'), num(parts[1], 'TO'), num(parts[2], 'STEP')];
    if (!(step > 0)) throw new SweepSpecError(`a range needs STEP > 0 (got "${t}")`);
    if (to < from) throw new SweepSpecError(`a range needs FROM ≤ TO (got "${t}")`);
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > 1_000_000) throw new SweepSpecError(`the range "${t}" has ${n} values; at most 1,000,000`);
    return Array.from({ length: n }, (_, i) => tidy(from + i * step));
  }
  return t.split(',').map((v) => {
    const s = v.trim();
    if (s === '') throw new SweepSpecError(`an empty value in the list "${t}"`);
    if (s === 'true' || s === 'false') return s === 'true';
    const x = Number(s);
    return Number.isFinite(x) ? x : s;
  });
}

/** `NODE.FIELD=VALUES` → a SweepSet (not yet checked against a document). */
export function parseSet(arg: string): SweepSet {
  const eq = arg.indexOf('=');
  if (eq < 0) throw new SweepSpecError(`--set ${arg}: expected NODE.FIELD=VALUES`);
  const target = arg.slice(0, eq).trim();
  const fields = target.split('+').map((t) => {
    const one = t.trim();
    const dot = one.lastIndexOf('.');
    if (dot <= 0 || dot === one.length - 1) throw new SweepSpecError(`--set ${arg}: expected NODE.FIELD=VALUES (the target "${one}" has no NODE.FIELD)`);
    return { node: one.slice(0, dot), field: one.slice(dot + 1) };
  });
  try {
    return { target, fields, values: parseValues(arg.slice(eq + 1)) };
  } catch (e) {
    if (e instanceof SweepSpecError) throw new SweepSpecError(`--set ${target}: ${e.message}`);
    throw e;
  }
}

/** A node or wire anywhere in the document (groups included). */
function findTarget(nodes: readonly DocNode[], edges: readonly DocEdge[], id: string): { node?: DocNode; edge?: DocEdge } | null {
  for (const n of nodes) if (n.id === id) return { node: n };
  for (const e of edges) if (e.id === id) return { edge: e };
  for (const n of nodes) {
    if (isGroupNode(n)) {
      const found = findTarget(n.nodes, n.edges, id);
      if (found) return found;
    }
  }
  return null;
}

const SIMULATION_FIELDS = ['dt_ms', 'duration_ms', 'seed'];

/** The fields a target accepts, or a message saying why it cannot be swept. */
function fieldsOf(doc: GraphDocument, id: string): { label: string; fields: string[] } | string {
  if (id === 'simulation') return { label: 'simulation', fields: SIMULATION_FIELDS };
  const found = findTarget(doc.nodes, doc.edges, id);
  if (!found) return `there is no node or wire "${id}" in the document`;
  if (found.node) {
    const kind = getKind(found.node.kind);
    if (!kind) return `node "${id}" has the unknown kind "${found.node.kind}"`;
    return { label: `node "${id}" (${kind.id})`, fields: Object.keys(kind.params) };
  }
  const edge = found.edge!;
  if (!edge.params || Object.keys(edge.params).length === 0) return `wire "${id}" is not a projection: it has no fields to sweep`;
  return { label: `wire "${id}" (projection)`, fields: Object.keys(PROJECTION_PARAMS) };
}

/** Check every set against the document: each NODE exists and has FIELD. Throws SweepSpecError naming node and field. */
export function checkSets(doc: GraphDocument, sets: readonly SweepSet[]): void {
  const seen = new Set<string>();
  for (const s of sets) {
    for (const { node, field } of s.fields) {
      const name = `${node}.${field}`;
      if (seen.has(name)) throw new SweepSpecError(`--set ${s.target}: ${name} is swept twice`);
      seen.add(name);
      const f = fieldsOf(doc, node);
      if (typeof f === 'string') throw new SweepSpecError(`--set ${s.target}: ${f}`);
      if (!f.fields.includes(field)) throw new SweepSpecError(`--set ${s.target}: ${f.label} has no field "${field}"; its fields: ${f.fields.join(', ')}`);
    }
  }
}

/** One point of the grid: its index and the value of each set's target. */
export interface SweepPoint {
  readonly index: number;
  readonly values: Readonly<Record<string, SweepValue>>;
}

/** The grid over the sets, the first set varying slowest. */
export function sweepPoints(sets: readonly SweepSet[]): SweepPoint[] {
  let points: Record<string, SweepValue>[] = [{}];
  for (const s of sets) points = points.flatMap((p) => s.values.map((v) => ({ ...p, [s.target]: v })));
  return points.map((values, index) => ({ index, values }));
}

/** A copy of the document with a point's values set. */
export function applyPoint(doc: GraphDocument, sets: readonly SweepSet[], point: SweepPoint): GraphDocument {
  const copy = JSON.parse(JSON.stringify(doc)) as GraphDocument;
  for (const s of sets) {
    const v = point.values[s.target];
    for (const { node, field } of s.fields) {
      if (node === 'simulation') {
        copy.simulation = { ...copy.simulation, [field]: v };
        continue;
      }
      const found = findTarget(copy.nodes, copy.edges, node)!;
      const holder = (found.node ?? found.edge)!;
      holder.params = { ...holder.params, [field]: v };
    }
  }
  return copy;
}

/** A run's metrics, one flat record. */
export type Metrics = Record<string, number | null>;

/** One run of a sweep: a point with one seed, and its metrics (null when it failed). */
export interface SweepRow {
  readonly point: number;
  readonly seed: number;
  readonly values: Readonly<Record<string, SweepValue>>;
  /** Every metric of the run (null when it failed). */
  readonly metrics: Metrics | null;
  readonly error?: string;
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A sweep's table as CSV: point, the swept fields, seed, status, the metrics. */
export function sweepCsv(rows: readonly SweepRow[], targets: readonly string[], metrics: readonly string[]): string {
  const head = ['point', ...targets, 'seed', 'status', ...metrics];
  const lines = rows.map((r) => [r.point, ...targets.map((t) => r.values[t]), r.seed, r.error ? `failed: ${r.error}` : 'ok', ...metrics.map((m) => r.metrics?.[m] ?? null)].map(csvCell).join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** The rows with only the chosen metrics (for a JSON table). */
export const pickMetrics = (rows: readonly SweepRow[], metrics: readonly string[]): SweepRow[] =>
  rows.map((r) => ({ ...r, metrics: r.metrics ? Object.fromEntries(metrics.map((k) => [k, r.metrics![k] ?? null])) : null }));

/**
 * The metrics of a finished run: the network's (`mean_rate_hz`, `sparsity`,
 * `spikes`, `synaptic_events`, `run_ms`), per population `POP.rate_hz`, per
 * spike monitor `MON.cv_isi_mean`, `MON.synchrony` (the CV of the 1 ms count),
 * `MON.fano`, `MON.fast_power` (the 1 ms count's Fano factor and mean power at
 * 100–300 Hz, both 1 for independent Poisson firing), `MON.peak_hz`, `MON.peak_power`,
 * `MON.memory_capacity` with its memory-capacity analysis on
 * and, with its criticality analysis on, `MON.branching_m`, `MON.avalanches`,
 * `MON.size_exponent`, `MON.size_p`, `MON.duration_exponent`, `MON.duration_p`,
 * `MON.crackling_predicted`, `MON.crackling_fitted`; per classifier readout
 * `READOUT.train_accuracy`, `READOUT.test_accuracy`. Absent values are null.
 */
export function metricsOf(stats: RunStats): Metrics {
  const m: Metrics = {
    mean_rate_hz: stats.mean_rate_hz,
    sparsity: stats.sparsity,
    spikes: stats.spikes,
    synaptic_events: stats.synaptic_events,
    run_ms: stats.run_ms,
  };
  for (const p of stats.populations) m[`${p.nodeId}.rate_hz`] = p.rate_hz;
  for (const mon of stats.monitors ?? []) {
    m[`${mon.nodeId}.cv_isi_mean`] = mon.cv_isi_mean;
    m[`${mon.nodeId}.synchrony`] = mon.pop_count_cv;
    const sp = mon.spectrum;
    if (sp) Object.assign(m, { [`${mon.nodeId}.fano`]: sp.fano, [`${mon.nodeId}.fast_power`]: sp.band_power, [`${mon.nodeId}.peak_hz`]: sp.peak_hz, [`${mon.nodeId}.peak_power`]: sp.peak_power });
    if (mon.memory_capacity) m[`${mon.nodeId}.memory_capacity`] = mon.memory_capacity.capacity;
    const c = mon.criticality;
    if (!c) continue;
    m[`${mon.nodeId}.branching_m`] = c.branching?.m ?? null;
    m[`${mon.nodeId}.avalanches`] = c.avalanches;
    m[`${mon.nodeId}.size_exponent`] = c.sizes?.exponent ?? null;
    m[`${mon.nodeId}.size_p`] = c.sizes?.p_value ?? null;
    m[`${mon.nodeId}.duration_exponent`] = c.durations?.exponent ?? null;
    m[`${mon.nodeId}.duration_p`] = c.durations?.p_value ?? null;
    m[`${mon.nodeId}.crackling_predicted`] = c.crackling.predicted;
    m[`${mon.nodeId}.crackling_fitted`] = c.crackling.fitted;
  }
  for (const r of stats.readouts ?? []) {
    m[`${r.nodeId}.train_accuracy`] = r.train_accuracy;
    m[`${r.nodeId}.test_accuracy`] = r.test_accuracy;
  }
  return m;
}

/** The metric names a plan's runs report (metricsOf's keys), known before any run. */
export function metricNames(plan: NetworkPlan): string[] {
  const names = ['mean_rate_hz', 'sparsity', 'spikes', 'synaptic_events', 'run_ms'];
  // runStats reports neuron populations and spike sources, not current sources.
  for (const p of plan.populations) if (RATED.has(runtimeOf(p.kind)?.role ?? '')) names.push(`${p.nodeId}.rate_hz`);
  for (const mon of plan.monitors) {
    if (mon.kind !== spikeMonitor.id) continue;
    names.push(`${mon.nodeId}.cv_isi_mean`, `${mon.nodeId}.synchrony`);
    for (const k of ['fano', 'fast_power', 'peak_hz', 'peak_power']) names.push(`${mon.nodeId}.${k}`);
    if (spikeMonitorMemory(mon.params)) names.push(`${mon.nodeId}.memory_capacity`);
    if (spikeMonitorCriticality(mon.params))
      for (const k of ['branching_m', 'avalanches', 'size_exponent', 'size_p', 'duration_exponent', 'duration_p', 'crackling_predicted', 'crackling_fitted']) names.push(`${mon.nodeId}.${k}`);
  }
  for (const r of plan.learning?.readouts ?? []) names.push(`${r.nodeId}.train_accuracy`, `${r.nodeId}.test_accuracy`);
  return names;
}

/**
 * The metrics a `--metrics` list asks for, among `known`: a name as it is, or a
 * bare field (`cv_isi_mean`) for every monitor's or population's. Throws
 * SweepSpecError naming an unknown one.
 */
export function selectMetrics(list: string | undefined, known: readonly string[]): string[] {
  if (!list) return [...known];
  const out: string[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    const hits = known.filter((k) => k === name || k.endsWith(`.${name}`));
    if (hits.length === 0) throw new SweepSpecError(`--metrics: no metric "${name}"; this network reports: ${known.join(', ')}`);
    for (const h of hits) if (!out.includes(h)) out.push(h);
  }
  return out;
}

/**
 * A sweep saved in a document (its top-level `sweep` field): what
 * `spikeflow sweep FILE` runs without `--set`, and what the app's Sweep panel
 * opens with. One set draws a line, two a heatmap (first set on x).
 */
export interface SavedSweep {
  /** `NODE.FIELD=VALUES`, exactly as `--set` takes them. */
  readonly sets: readonly string[];
  /** Runs per point: the point's seed and the next ones (default 1). */
  readonly seeds?: number;
  /** Metric names as {@link selectMetrics} takes them (default: all). */
  readonly metrics?: readonly string[];
  /** Overrides `simulation.duration_ms` for every point. */
  readonly duration_ms?: number;
  readonly label?: string;
}

/** A saved sweep, parsed: its sets and settings. */
export interface SweepSetup {
  readonly sets: SweepSet[];
  readonly seeds: number;
  /** Comma-separated, as `--metrics` takes it; undefined: all. */
  readonly metrics?: string;
  readonly durationMs?: number;
  readonly label?: string;
}

/**
 * The document's saved sweep (its `sweep` field), parsed; null when it has
 * none. Throws SweepSpecError naming what is wrong (the set, or the field).
 * The sets are parsed but not checked against the document (see checkSets).
 */
export function savedSweepOf(doc: GraphDocument): SweepSetup | null {
  const raw = doc.sweep as Partial<Record<keyof SavedSweep, unknown>> | undefined;
  if (raw === undefined) return null;
  if (typeof raw !== 'object' || raw === null) throw new SweepSpecError('the saved sweep must be an object with sets');
  if (!Array.isArray(raw.sets) || raw.sets.length === 0) throw new SweepSpecError('the saved sweep has no sets (sweep.sets: a list of NODE.FIELD=VALUES)');
  const sets = raw.sets.map((s, i) => {
    if (typeof s !== 'string') throw new SweepSpecError(`the saved sweep's set ${i + 1} is not text`);
    return parseSet(s);
  });
  const seeds = raw.seeds ?? 1;
  if (typeof seeds !== 'number' || !Number.isInteger(seeds) || seeds < 1) throw new SweepSpecError(`the saved sweep's seeds must be a whole number ≥ 1 (got ${JSON.stringify(seeds)})`);
  if (raw.metrics !== undefined && !(Array.isArray(raw.metrics) && raw.metrics.every((m) => typeof m === 'string')))
    throw new SweepSpecError("the saved sweep's metrics must be a list of metric names");
  const d = raw.duration_ms;
  if (d !== undefined && !(typeof d === 'number' && d > 0)) throw new SweepSpecError(`the saved sweep's duration_ms must be a number > 0 (got ${JSON.stringify(d)})`);
  return {
    sets,
    seeds,
    metrics: (raw.metrics as string[] | undefined)?.join(','),
    durationMs: d as number | undefined,
    label: typeof raw.label === 'string' ? raw.label : undefined,
  };
}

/** A set-up as the document's `sweep` field (the inverse of {@link savedSweepOf}; sets written as given). */
export function savedSweepText(setup: {
  readonly sets: readonly string[];
  readonly seeds: number;
  readonly metrics?: readonly string[];
  readonly durationMs?: number;
  readonly label?: string;
}): SavedSweep {
  return {
    sets: [...setup.sets],
    seeds: setup.seeds,
    ...(setup.metrics && setup.metrics.length ? { metrics: [...setup.metrics] } : {}),
    ...(setup.durationMs !== undefined ? { duration_ms: setup.durationMs } : {}),
    ...(setup.label ? { label: setup.label } : {}),
  };
}

/** A sweep ready to run: every point compiled, the metrics chosen. */
export interface PreparedSweep {
  readonly points: SweepPoint[];
  /** One plan per point (index = point index). */
  readonly plans: NetworkPlan[];
  readonly metrics: string[];
}

/** `k=v, k=v` for messages. */
export const describePoint = (values: Readonly<Record<string, SweepValue>>): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * Check the sets against the document and compile every point before any run,
 * so a bad NODE.FIELD, value or metric stops the sweep at once. The messages
 * name the set, or the point, node and field.
 */
export function prepareSweep(doc: GraphDocument, sets: readonly SweepSet[], options: { durationMs?: number; metrics?: string; source?: string } = {}): PreparedSweep | { messages: string[] } {
  try {
    checkSets(doc, sets);
  } catch (e) {
    if (e instanceof SweepSpecError) return { messages: [e.message] };
    throw e;
  }
  const points = sweepPoints(sets);
  const plans: NetworkPlan[] = [];
  for (const p of points) {
    const compiled = compileDocument(applyPoint(doc, sets, p), { durationMs: options.durationMs });
    if (!compiled.ok)
      return {
        messages: [`point ${p.index} (${describePoint(p.values)})${options.source ? ` of ${options.source}` : ''} cannot run:`, ...compiled.issues.map((i) => `  ${i.pointer || '/'}: ${i.message}`)],
      };
    if (compiled.plan.trainers?.length) return { messages: [`${options.source ?? 'the document'} trains a network (sg-trainer "${compiled.plan.trainers[0].nodeId}"); sweep runs simulations only`] };
    plans.push(compiled.plan);
  }
  try {
    return { points, plans, metrics: selectMetrics(options.metrics, metricNames(plans[0])) };
  } catch (e) {
    if (e instanceof SweepSpecError) return { messages: [e.message] };
    throw e;
  }
}
