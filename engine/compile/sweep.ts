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
import { spikeMonitor, spikeMonitorCriticality } from '../kinds/spike-monitor.ts';
import type { RunStats } from '../sim/stats.ts';
import type { NetworkPlan } from '../core/plan.ts';

/** The runtime roles whose populations runStats reports a rate for. */
const RATED = new Set(['neurons', 'spike-source']);

export type SweepValue = number | string | boolean;

/** One swept field and its values. */
export interface SweepSet {
  /** `NODE.FIELD` as written. */
  readonly target: string;
  readonly node: string;
  readonly field: string;
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
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) throw new SweepSpecError(`--set ${arg}: expected NODE.FIELD=VALUES (the target "${target}" has no NODE.FIELD)`);
  try {
    return { target, node: target.slice(0, dot), field: target.slice(dot + 1), values: parseValues(arg.slice(eq + 1)) };
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
    if (seen.has(s.target)) throw new SweepSpecError(`--set ${s.target} is given twice`);
    seen.add(s.target);
    const f = fieldsOf(doc, s.node);
    if (typeof f === 'string') throw new SweepSpecError(`--set ${s.target}: ${f}`);
    if (!f.fields.includes(s.field)) throw new SweepSpecError(`--set ${s.target}: ${f.label} has no field "${s.field}"; its fields: ${f.fields.join(', ')}`);
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
    if (s.node === 'simulation') {
      copy.simulation = { ...copy.simulation, [s.field]: v };
      continue;
    }
    const found = findTarget(copy.nodes, copy.edges, s.node)!;
    const holder = (found.node ?? found.edge)!;
    holder.params = { ...holder.params, [s.field]: v };
  }
  return copy;
}

/** A run's metrics, one flat record. */
export type Metrics = Record<string, number | null>;

/**
 * The metrics of a finished run: the network's (`mean_rate_hz`, `sparsity`,
 * `spikes`, `synaptic_events`, `run_ms`), per population `POP.rate_hz`, per
 * spike monitor `MON.cv_isi_mean`, `MON.synchrony` (the CV of the 1 ms count)
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
