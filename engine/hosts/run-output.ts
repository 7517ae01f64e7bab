/**
 * What `spikeflow run --out DIR` keeps while a run streams its monitor data, and
 * how it writes the files afterwards (Node host code).
 *
 * - Memory is bounded by each monitor's own caps, as in the app: a spike
 *   monitor keeps at most `max_spikes` spikes (`keep: all` drops later ones,
 *   `keep: window` keeps the last `window_ms` and drops the oldest past the cap);
 *   a state monitor at most `max_values` values (`all`, `window`, or `decimate`:
 *   every other sample is dropped each time the cap is reached). What was dropped
 *   is counted and reported in run.json (`dropped`).
 * - Every observed population gets its files, an empty one included, so "silent"
 *   and "not recorded" never look the same.
 * - Files are written streamed (CSV row batches, NPZ array parts, see
 *   engine/format/npz-stream.ts) through the atomic writer: never one giant string.
 * - Time stamps are `step × dt` in float64 from whole steps (steps are below 2³¹,
 *   engine/format/validate.ts bounds them).
 */
import path from 'node:path';
import type { NetworkPlan } from '../core/plan.ts';
import type { EngineEvent } from '../protocol/messages.ts';
import { getKind } from '../kinds/index.ts';
import { fmtF32, fmtMs } from '../format/monitor-export.ts';
import { npzChunks, type NpyStreamArray } from '../format/npz-stream.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { ProjectionWeights } from '../format/weights.ts';

/** Rows are joined into strings of about this many characters before they are written. */
const ROW_BATCH_CHARS = 1 << 16;

interface SpikePart {
  /** Index among the monitor's sources (as events number them). */
  readonly source: number;
  neuron: Int32Array;
  step: Int32Array;
}

interface SpikeStore {
  readonly records: 'spikes';
  readonly monitorId: string;
  /** The observed populations, indices into the plan's populations. */
  readonly sources: readonly number[];
  readonly mode: 'all' | 'window';
  readonly windowSteps: number;
  readonly cap: number;
  parts: SpikePart[];
  total: number;
  dropped: number;
  latestStep: number;
}

interface StatePart {
  /** Sample indices since step0 (step = step0 + row · everySteps). */
  rows: Int32Array;
  /** rows.length × neurons values, row-major. */
  values: Float32Array;
}

interface StateSource {
  /** Index among the monitor's sources (as events number them). */
  readonly source: number;
  /** Index into the plan's populations. */
  readonly population: number;
  variable: string;
  neurons: Int32Array;
  everySteps: number;
  step0: number;
  parts: StatePart[];
  /** Rows received so far (sample index of the next one). */
  received: number;
}

interface StateStore {
  readonly records: 'state';
  readonly monitorId: string;
  readonly mode: 'all' | 'window' | 'decimate';
  readonly windowSteps: number;
  readonly cap: number;
  readonly sources: StateSource[];
  total: number;
  dropped: number;
  /** decimate: only samples whose index is a multiple of this are kept. */
  stride: number;
}

interface RateSource {
  readonly source: number;
  readonly population: number;
  size: number;
  binSteps: number;
  bin0: number;
  counts: Float32Array[];
}

interface RateStore {
  readonly records: 'rate';
  readonly monitorId: string;
  readonly sources: RateSource[];
}

interface WeightStore {
  readonly records: 'weights';
  readonly monitorId: string;
  pre?: Int32Array;
  post?: Int32Array;
  steps: Int32Array[];
  w: Float32Array[];
}

type Store = SpikeStore | StateStore | RateStore | WeightStore;

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

/**
 * Keeps a run's monitor data within the monitors' caps, from the engine's
 * events, for {@link writeRunOutput}.
 */
export class RunRecorder {
  /** Per monitor node id, what is kept (read by {@link writeRunOutput}). */
  readonly stores = new Map<string, Store>();

  constructor(private readonly plan: NetworkPlan) {
    for (const m of plan.monitors) {
      const runtime = getKind(m.kind)?.runtime;
      const records = runtime?.role === 'monitor' ? runtime.records : undefined;
      const windowSteps = Math.max(1, Math.round(num(m.params.window_ms, 10_000) / plan.dtMs));
      if (records === 'spikes') {
        this.stores.set(m.nodeId, {
          records,
          monitorId: m.nodeId,
          sources: m.sources,
          mode: m.params.keep === 'window' ? 'window' : 'all',
          windowSteps,
          cap: Math.floor(num(m.params.max_spikes, 25_000_000)),
          parts: [],
          total: 0,
          dropped: 0,
          latestStep: -1,
        });
      } else if (records === 'state') {
        this.stores.set(m.nodeId, {
          records,
          monitorId: m.nodeId,
          mode: m.params.keep === 'window' ? 'window' : m.params.keep === 'decimate' ? 'decimate' : 'all',
          windowSteps,
          cap: Math.floor(num(m.params.max_values, 50_000_000)),
          total: 0,
          dropped: 0,
          stride: 1,
          sources: m.sources.map((population, source) => ({
            source,
            population,
            variable: String(m.params.variable ?? 'v'),
            neurons: new Int32Array(0),
            everySteps: 1,
            step0: 0,
            parts: [],
            received: 0,
          })),
        });
      } else if (records === 'rate') {
        this.stores.set(m.nodeId, {
          records,
          monitorId: m.nodeId,
          sources: m.sources.map((population, source) => ({ source, population, size: plan.populations[population].size, binSteps: 1, bin0: 0, counts: [] })),
        });
      } else if (records === 'weights') this.stores.set(m.nodeId, { records, monitorId: m.nodeId, steps: [], w: [] });
    }
  }

  /** Take a monitor event; false for any other event. */
  accept(e: EngineEvent): boolean {
    if (e.type !== 'spikes' && e.type !== 'state' && e.type !== 'rate' && e.type !== 'weights') return false;
    const s = this.stores.get(e.monitorId);
    if (!s) return true;
    if (e.type === 'spikes' && s.records === 'spikes') this.spikes(s, e.source, e.neuron, e.step);
    else if (e.type === 'state' && s.records === 'state') this.state(s, e);
    else if (e.type === 'rate' && s.records === 'rate') {
      const src = s.sources.find((x) => x.source === e.source);
      if (src) {
        if (src.counts.length === 0) Object.assign(src, { size: e.size, binSteps: e.binSteps, bin0: e.bin0 });
        src.counts.push(e.counts);
      }
    } else if (e.type === 'weights' && s.records === 'weights') {
      if (!s.pre && e.pre && e.post) Object.assign(s, { pre: e.pre, post: e.post });
      s.steps.push(e.steps);
      s.w.push(e.w);
    }
    return true;
  }

  /** The run ended after `steps` steps: windows close at its end. */
  finish(steps: number): void {
    for (const s of this.stores.values()) {
      if (s.records === 'spikes' && s.mode === 'window') {
        s.latestStep = Math.max(s.latestStep, steps - 1);
        trimSpikes(s, true);
      } else if (s.records === 'state' && s.mode === 'window') trimState(s, steps - 1);
    }
  }

  /** Per monitor, how many spikes (spike monitors) or values (state monitors) its caps dropped. */
  dropped(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.stores.values()) if ((s.records === 'spikes' || s.records === 'state') && s.dropped > 0) out[s.monitorId] = s.dropped;
    return out;
  }

  /** Bytes held now (the monitors' data). */
  heldBytes(): number {
    let n = 0;
    for (const s of this.stores.values()) {
      if (s.records === 'spikes') n += 8 * s.total;
      else if (s.records === 'state') n += 4 * s.total;
      else if (s.records === 'rate') n += s.sources.reduce((a, x) => a + x.counts.reduce((b, c) => b + c.byteLength, 0), 0);
      else n += s.w.reduce((a, c) => a + c.byteLength, 0);
    }
    return n;
  }

  private spikes(s: SpikeStore, source: number, neuron: Int32Array, step: Int32Array): void {
    const n = neuron.length;
    if (n === 0) return;
    if (s.mode === 'all') {
      const room = Math.max(0, s.cap - s.total);
      const take = Math.min(room, n);
      s.dropped += n - take;
      if (take === 0) return;
      s.parts.push({ source, neuron: neuron.slice(0, take), step: step.slice(0, take) });
      s.total += take;
      return;
    }
    s.parts.push({ source, neuron: neuron.slice(), step: step.slice() });
    s.total += n;
    s.latestStep = Math.max(s.latestStep, step[n - 1]);
    trimSpikes(s, false);
  }

  private state(s: StateStore, e: Extract<EngineEvent, { type: 'state' }>): void {
    const src = s.sources.find((x) => x.source === e.source);
    if (!src) return;
    if (src.received === 0) Object.assign(src, { variable: e.variable, neurons: e.neurons, everySteps: e.everySteps, step0: e.step0 });
    const cols = src.neurons.length;
    const rows = cols ? Math.floor(e.values.length / cols) : 0;
    const first = src.received;
    src.received += rows;
    if (rows === 0) return;
    if (s.mode === 'all') {
      const room = cols ? Math.max(0, Math.floor((s.cap - s.total) / cols)) : rows;
      const take = Math.min(room, rows);
      s.dropped += (rows - take) * cols;
      if (take > 0) pushRows(s, src, first, take, e.values, 1);
      return;
    }
    pushRows(s, src, first, rows, e.values, s.mode === 'decimate' ? s.stride : 1);
    if (s.mode === 'window') trimState(s, src.step0 + (src.received - 1) * src.everySteps);
    else while (s.total > s.cap && s.stride < 2 ** 30) decimate(s);
  }
}

function pushRows(s: StateStore, src: StateSource, first: number, rows: number, values: Float32Array, stride: number): void {
  const cols = src.neurons.length;
  const keep: number[] = [];
  for (let r = 0; r < rows; r++) if ((first + r) % stride === 0) keep.push(r);
  s.dropped += (rows - keep.length) * cols;
  if (keep.length === 0) return;
  const part: StatePart = { rows: new Int32Array(keep.length), values: new Float32Array(keep.length * cols) };
  keep.forEach((r, i) => {
    part.rows[i] = first + r;
    part.values.set(values.subarray(r * cols, (r + 1) * cols), i * cols);
  });
  src.parts.push(part);
  s.total += part.values.length;
}

/** Keep only the rows whose sample index `keep` accepts (`dropRows` counts the others). */
function filterRows(s: StateStore, keep: (row: number, step: number) => boolean): void {
  for (const src of s.sources) {
    const cols = src.neurons.length;
    src.parts = src.parts.flatMap((p) => {
      const idx: number[] = [];
      for (let i = 0; i < p.rows.length; i++) if (keep(p.rows[i], src.step0 + p.rows[i] * src.everySteps)) idx.push(i);
      if (idx.length === p.rows.length) return [p];
      const gone = (p.rows.length - idx.length) * cols;
      s.dropped += gone;
      s.total -= gone;
      if (idx.length === 0) return [];
      const q: StatePart = { rows: Int32Array.from(idx, (i) => p.rows[i]), values: new Float32Array(idx.length * cols) };
      idx.forEach((i, k) => q.values.set(p.values.subarray(i * cols, (i + 1) * cols), k * cols));
      return [q];
    });
  }
}

function decimate(s: StateStore): void {
  s.stride *= 2;
  filterRows(s, (row) => row % s.stride === 0);
}

function trimState(s: StateStore, latestStep: number): void {
  const cutoff = latestStep - s.windowSteps + 1;
  filterRows(s, (_row, step) => step >= cutoff);
  // Past the cap, the oldest samples go first (of every source alike).
  while (s.total > s.cap) {
    const oldest = Math.min(...s.sources.filter((x) => x.parts.length).map((x) => x.step0 + x.parts[0].rows[0] * x.everySteps));
    filterRows(s, (_row, step) => step > oldest);
  }
}

/** Drop spikes that left the window (all parts when `full`, else the leading ones) and the oldest past the cap. */
function trimSpikes(s: SpikeStore, full: boolean): void {
  const cutoff = s.latestStep - s.windowSteps + 1;
  for (const p of s.parts) {
    if (p.step.length && p.step[0] >= cutoff) {
      if (full) continue;
      break;
    }
    let k = 0;
    while (k < p.step.length && p.step[k] < cutoff) k++;
    dropFront(s, p, k);
  }
  for (const p of s.parts) {
    if (s.total <= s.cap) break;
    dropFront(s, p, Math.min(p.step.length, s.total - s.cap));
  }
  s.parts = s.parts.filter((p) => p.step.length > 0);
}

function dropFront(s: SpikeStore, p: SpikePart, k: number): void {
  if (k === 0) return;
  p.neuron = p.neuron.subarray(k);
  p.step = p.step.subarray(k);
  s.total -= k;
  s.dropped += k;
}

/** Rows, batched into strings of about {@link ROW_BATCH_CHARS}. */
function* batched(header: string, rows: Iterable<string>): Generator<string> {
  let buf = `${header}\n`;
  for (const r of rows) {
    buf += `${r}\n`;
    if (buf.length >= ROW_BATCH_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** What {@link writeRunOutput} wrote, by kind, as run.json lists them. */
export interface WrittenFiles {
  spike_files: string[];
  trace_files: string[];
  npz_files: string[];
  weight_files: string[];
}

/**
 * Write every monitor's files (and each learned projection's final weights as
 * CSV) into `dir`, streamed and atomically; answers the names written.
 */
export async function writeRunOutput(dir: string, recorder: RunRecorder, plan: NetworkPlan, learned: readonly ProjectionWeights[]): Promise<WrittenFiles> {
  const files: WrittenFiles = { spike_files: [], trace_files: [], npz_files: [], weight_files: [] };
  const write = (name: string, content: Iterable<string | Uint8Array>) => writeFileAtomic(path.join(dir, name), content);
  const dt = plan.dtMs;
  const popId = (source: number) => plan.populations[source].nodeId;
  for (const x of learned) {
    const name = `${'nodeId' in x && x.nodeId ? x.nodeId : x.edgeId}.weights.csv`;
    await write(
      name,
      batched(
        'pre,post,w',
        (function* () {
          for (let k = 0; k < x.w.length; k++) yield `${x.pre[k]},${x.post[k]},${x.w[k]}`;
        })(),
      ),
    );
    files.weight_files.push(name);
  }
  for (const s of recorder.stores.values()) {
    const arrays: NpyStreamArray[] = [];
    if (s.records === 'spikes') {
      for (const [source, population] of s.sources.entries()) {
        const parts = () => s.parts.filter((p) => p.source === source);
        const pop = popId(population);
        const name = `${s.monitorId}.${pop}.spikes.csv`;
        await write(
          name,
          batched(
            'neuron,t_ms',
            (function* () {
              for (const p of parts()) for (let k = 0; k < p.neuron.length; k++) yield `${p.neuron[k]},${fmtMs(p.step[k] * dt)}`;
            })(),
          ),
        );
        files.spike_files.push(name);
        const n = parts().reduce((a, p) => a + p.neuron.length, 0);
        arrays.push(
          { name: `${pop}_neuron`, descr: '<i4', shape: [n], parts: () => parts().map((p) => p.neuron) },
          { name: `${pop}_t_ms`, descr: '<f8', shape: [n], parts: () => parts().map((p) => Float64Array.from(p.step, (x) => x * dt)) },
        );
      }
    } else if (s.records === 'state') {
      for (const src of s.sources) {
        const cols = src.neurons.length;
        const times = (p: StatePart) => Float64Array.from(p.rows, (r) => (src.step0 + r * src.everySteps) * dt);
        const name = `${s.monitorId}.${popId(src.population)}.state.csv`;
        await write(
          name,
          batched(
            't_ms,neuron,value',
            (function* () {
              for (const p of src.parts) {
                const t = times(p);
                for (let r = 0; r < t.length; r++) {
                  const tt = fmtMs(t[r]);
                  for (let c = 0; c < cols; c++) yield `${tt},${src.neurons[c]},${fmtF32(p.values[r * cols + c])}`;
                }
              }
            })(),
          ),
        );
        files.trace_files.push(name);
        const rows = src.parts.reduce((a, p) => a + p.rows.length, 0);
        arrays.push(
          { name: `${popId(src.population)}_${src.variable}`, descr: '<f4', shape: [rows, cols], parts: () => src.parts.map((p) => p.values) },
          { name: `${popId(src.population)}_t_ms`, descr: '<f8', shape: [rows], parts: () => src.parts.map(times) },
          { name: `${popId(src.population)}_neurons`, descr: '<i4', shape: [cols], parts: () => [src.neurons] },
        );
      }
    } else if (s.records === 'rate') {
      for (const src of s.sources) {
        // counts / (neurons · bin seconds) = Hz per neuron.
        const scale = 1000 / (Math.max(1, src.size) * src.binSteps * dt);
        const bins = src.counts.reduce((a, c) => a + c.length, 0);
        const tMs = () => [Float64Array.from({ length: bins }, (_, b) => (src.bin0 + b) * src.binSteps * dt)];
        const rate = () => src.counts.map((c) => Float64Array.from(c, (x) => x * scale));
        const name = `${s.monitorId}.${popId(src.population)}.rate.csv`;
        await write(
          name,
          batched(
            't_ms,rate_hz',
            (function* () {
              const t = tMs()[0];
              let b = 0;
              for (const r of rate()) for (let i = 0; i < r.length; i++, b++) yield `${fmtMs(t[b])},${r[i]}`;
            })(),
          ),
        );
        files.trace_files.push(name);
        arrays.push({ name: `${popId(src.population)}_rate_hz`, descr: '<f8', shape: [bins], parts: rate }, { name: `${popId(src.population)}_t_ms`, descr: '<f8', shape: [bins], parts: tMs });
      }
    } else {
      if (!s.pre || !s.post) continue;
      const pre = s.pre;
      const post = s.post;
      const snaps = s.steps.reduce((a, c) => a + c.length, 0);
      arrays.push(
        { name: 'w', descr: '<f4', shape: [snaps, pre.length], parts: () => s.w },
        { name: 't_ms', descr: '<f8', shape: [snaps], parts: () => s.steps.map((c) => Float64Array.from(c, (x) => x * dt)) },
        { name: 'pre', descr: '<i4', shape: [pre.length], parts: () => [pre] },
        { name: 'post', descr: '<i4', shape: [post.length], parts: () => [post] },
      );
    }
    const npz = `${s.monitorId}.npz`;
    await write(npz, npzChunks(arrays));
    files.npz_files.push(npz);
  }
  return files;
}

/** The largest part of an output estimate: the monitor and the field that bounds it. */
export interface OutputEstimate {
  readonly bytes: number;
  readonly monitorId?: string;
  readonly field?: string;
}

/**
 * Most bytes {@link RunRecorder} can hold for this plan (each monitor's cap, or
 * less when the run is too short to reach it), with the monitor that holds most.
 */
export function estimateOutputs(plan: NetworkPlan): OutputEstimate {
  let bytes = 0;
  let worst: OutputEstimate = { bytes: 0 };
  const size = (sources: readonly number[]) => sources.reduce((a, s) => a + plan.populations[s].size, 0);
  for (const m of plan.monitors) {
    const runtime = getKind(m.kind)?.runtime;
    const records = runtime?.role === 'monitor' ? runtime.records : undefined;
    let b = 0;
    let field = 'interval_ms';
    if (records === 'spikes') {
      b = 8 * Math.min(num(m.params.max_spikes, 25_000_000), size(m.sources) * plan.nSteps);
      field = 'max_spikes';
    } else if (records === 'state') {
      const every = Math.max(1, Math.round(num(m.params.interval_ms, plan.dtMs) / plan.dtMs));
      const cols = Array.isArray(m.params.neurons) ? m.params.neurons.length : 3;
      // Up to the cap, plus one event's rows while it is trimmed.
      b = 4 * Math.min(num(m.params.max_values, 50_000_000), m.sources.length * cols * Math.ceil(plan.nSteps / every));
      field = 'max_values';
    } else if (records === 'rate') b = 4 * m.sources.length * Math.ceil(plan.nSteps / Math.max(1, Math.round(num(m.params.bin_ms, 5) / plan.dtMs)));
    else if (records === 'weights') {
      const p = plan.projections.find((x) => x.plasticity?.nodeId === m.plasticNodeId);
      const synapses = p ? (p.synapses?.pre.length ?? plan.populations[p.source].size * plan.populations[p.target].size) : 0;
      b = 4 * synapses * (1 + Math.ceil(plan.nSteps / Math.max(1, Math.round(num(m.params.interval_ms, 100) / plan.dtMs))));
    }
    bytes += b;
    if (b > worst.bytes) worst = { bytes: b, monitorId: m.nodeId, field };
  }
  return { ...worst, bytes };
}
