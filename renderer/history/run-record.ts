/**
 * One kept run: what went in (the document snapshot, its seed, the engine version,
 * the date) and what came out (statistics, and every monitor's recorded data in the
 * same buffers the results panels draw), with a binary encoding for storage.
 *
 * Encoding (`.sfrun`, little-endian): 8 bytes magic `SFRUN\0\0\x01`, a u32 header
 * length, the header as UTF-8 JSON (padded with spaces to a multiple of 8 bytes), then
 * the arrays, each starting on an 8-byte boundary; the header names each array's
 * offset (from the start of the array section), element type and length. The header
 * carries everything but the arrays: meta, document, statistics, monitor layout.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import type { MonitorRecord, SpikeSeries } from '../engine/spike-buffers.ts';
import type { TraceRecord, TraceSeries } from '../engine/trace-buffers.ts';
import type { MonitorTab } from '../engine/run-controller.ts';

/** Monitor tabs of a run in document order (as `RunController.monitors`). */
export type RunMonitorTab = MonitorTab;

/** What the history list shows of a run, without loading its data. */
export interface RunMeta {
  /** Unique within the document's history; letters, digits and dashes only. */
  readonly id: string;
  /** 1, 2, 3… per document, for people ("Run 3"). */
  readonly number: number;
  /** ISO 8601, when the run ended. */
  readonly createdAt: string;
  readonly docName: string;
  readonly seed: number;
  /** The document's simulation settings at the time. */
  readonly durationMs: number;
  readonly dtMs: number;
  /** Simulated time actually reached (less than `durationMs` for a stopped run). */
  readonly simulatedMs: number;
  readonly engineVersion: string;
  readonly outcome: 'finished' | 'stopped';
  /** Spikes of neuron populations, and of spike sources (as the statistics). */
  readonly spikes: number;
  readonly sourceSpikes: number;
  readonly meanRateHz: number;
  readonly neurons: number;
  /** Wall-clock time of the simulation loop. */
  readonly wallMs: number;
  /** Spikes kept by spike monitors (what the rasters draw). */
  readonly keptSpikes: number;
  /** Size of the stored binary. */
  readonly bytes: number;
  /** Set when this run re-ran a stored one (its id). */
  readonly rerunOf?: string;
}

/** A run with its data, as the history panels show it. */
export interface StoredRun {
  readonly meta: RunMeta;
  readonly doc: GraphDocument;
  readonly stats: RunStats;
  readonly monitors: readonly RunMonitorTab[];
  readonly spikes: ReadonlyMap<string, MonitorRecord>;
  readonly traces: ReadonlyMap<string, TraceRecord>;
}

/** What the run controller hands over when a run ends with results. */
export interface FinishedRunData {
  readonly doc: GraphDocument;
  readonly stats: RunStats;
  readonly stopped: boolean;
  readonly engineVersion: string;
  readonly monitors: readonly RunMonitorTab[];
  readonly spikes: readonly MonitorRecord[];
  readonly traces: readonly TraceRecord[];
}

/** A run id from the date and a random suffix: sortable, and safe as a file name. */
export function newRunId(date: Date, random: () => number = Math.random): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `${stamp}-${suffix}`;
}

/** Run ids the stores accept (they become file names in the desktop app). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The stored form of a finished run, copied out of the live buffers (which the next
 * run reuses). `number` is the next free run number of the document's history.
 */
export function captureRun(data: FinishedRunData, opts: { id: string; number: number; createdAt: string; rerunOf?: string }): StoredRun {
  const copySpikes = (m: MonitorRecord): MonitorRecord => ({
    monitorId: m.monitorId,
    label: m.label,
    received: m.received,
    truncated: m.truncated,
    evicted: m.evicted ?? 0,
    // Views, not copies: the buffers allocate fresh arrays for the next run and never
    // write these again, and copying a big run at its end blocked the UI thread.
    series: m.series.map((s) => ({ nodeId: s.nodeId, label: s.label, size: s.size, count: s.count, neuron: s.neuron.subarray(0, s.count), step: s.step.subarray(0, s.count) })),
  });
  const copyTraces = (t: TraceRecord): TraceRecord => ({
    monitorId: t.monitorId,
    label: t.label,
    records: t.records,
    quantity: t.quantity,
    truncated: t.truncated,
    evictedRows: t.evictedRows ?? 0,
    series: t.series.map((s) => ({ ...s, lineLabels: [...s.lineLabels], values: s.values.subarray(0, s.rows * s.lines) })),
  });
  const spikes = new Map(data.spikes.map((m) => [m.monitorId, copySpikes(m)]));
  const traces = new Map(data.traces.map((t) => [t.monitorId, copyTraces(t)]));
  const sim = data.doc.simulation;
  const meta: RunMeta = {
    id: opts.id,
    number: opts.number,
    createdAt: opts.createdAt,
    docName: data.doc.meta.name,
    seed: sim.seed,
    durationMs: sim.duration_ms,
    dtMs: sim.dt_ms,
    simulatedMs: data.stats.simulated_ms,
    engineVersion: data.engineVersion,
    outcome: data.stopped ? 'stopped' : 'finished',
    spikes: data.stats.spikes,
    sourceSpikes: data.stats.source_spikes,
    meanRateHz: data.stats.mean_rate_hz,
    neurons: data.stats.neurons,
    wallMs: data.stats.run_ms,
    keptSpikes: [...spikes.values()].reduce((a, m) => a + m.series.reduce((b, s) => b + s.count, 0), 0),
    bytes: 0,
    ...(opts.rerunOf ? { rerunOf: opts.rerunOf } : {}),
  };
  return { meta, doc: data.doc, stats: data.stats, monitors: data.monitors.map((m) => ({ ...m })), spikes, traces };
}

// ---- binary encoding ----

const MAGIC = [0x53, 0x46, 0x52, 0x55, 0x4e, 0x00, 0x00, 0x01]; // "SFRUN\0\0" + version 1
const HEADER_FORMAT = 'spikeflow-run';

type DType = 'i32' | 'f32';
interface ArrayRef {
  readonly dtype: DType;
  readonly offset: number;
  readonly length: number;
}

interface Header {
  format: typeof HEADER_FORMAT;
  version: 1;
  meta: RunMeta;
  doc: GraphDocument;
  stats: RunStats;
  monitors: RunMonitorTab[];
  spikes: {
    monitorId: string;
    label: string;
    received: number;
    truncated: boolean;
    evicted: number;
    series: { nodeId: string; label: string; size: number; count: number; neuron: ArrayRef; step: ArrayRef }[];
  }[];
  traces: {
    monitorId: string;
    label: string;
    records: 'state' | 'rate';
    quantity: string;
    truncated: boolean;
    evictedRows: number;
    series: {
      nodeId: string;
      label: string;
      size: number;
      lines: number;
      lineLabels: string[];
      startStep: number;
      everySteps: number;
      rows: number;
      decimation: number;
      thresholdMv: number | null;
      values: ArrayRef;
    }[];
  }[];
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Encode a run; `meta.bytes` in the result is the encoded size. */
export function encodeRun(run: StoredRun): Uint8Array {
  const { out, copies } = layoutRun(run);
  for (const c of copies) out.set(c.bytes, c.at);
  return out;
}

/** Bytes copied per slice by {@link encodeRunAsync} before it yields (≈ a few ms). */
const SLICE_BYTES = 4 << 20;

/**
 * As {@link encodeRun}, but copies the arrays in slices of a few megabytes with a
 * yield between them, so a big run's encoding never blocks the UI thread for long.
 */
export async function encodeRunAsync(run: StoredRun, yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))): Promise<Uint8Array> {
  const { out, copies } = layoutRun(run);
  let sinceYield = 0;
  for (const c of copies) {
    for (let k = 0; k < c.bytes.length; k += SLICE_BYTES) {
      const part = c.bytes.subarray(k, Math.min(c.bytes.length, k + SLICE_BYTES));
      out.set(part, c.at + k);
      sinceYield += part.length;
      if (sinceYield >= SLICE_BYTES) {
        sinceYield = 0;
        await yieldNow();
      }
    }
  }
  return out;
}

/** The encoded header and where each array's bytes go (copied by the callers). */
function layoutRun(run: StoredRun): { out: Uint8Array; copies: { bytes: Uint8Array; at: number }[] } {
  if (!littleEndian()) throw new Error('Run history needs a little-endian machine.');
  const arrays: (Int32Array | Float32Array)[] = [];
  let offset = 0;
  const add = (a: Int32Array | Float32Array): ArrayRef => {
    const ref: ArrayRef = { dtype: a instanceof Int32Array ? 'i32' : 'f32', offset, length: a.length };
    arrays.push(a);
    offset = align8(offset + a.byteLength);
    return ref;
  };
  const spikes: Header['spikes'] = [...run.spikes.values()].map((m) => ({
    monitorId: m.monitorId,
    label: m.label,
    received: m.received,
    truncated: m.truncated,
    evicted: m.evicted ?? 0,
    series: m.series.map((s) => ({ nodeId: s.nodeId, label: s.label, size: s.size, count: s.count, neuron: add(s.neuron.subarray(0, s.count)), step: add(s.step.subarray(0, s.count)) })),
  }));
  const traces: Header['traces'] = [...run.traces.values()].map((t) => ({
    monitorId: t.monitorId,
    label: t.label,
    records: t.records,
    quantity: t.quantity,
    truncated: t.truncated,
    evictedRows: t.evictedRows ?? 0,
    series: t.series.map((s) => ({
      nodeId: s.nodeId,
      label: s.label,
      size: s.size,
      lines: s.lines,
      lineLabels: s.lineLabels,
      startStep: s.startStep,
      everySteps: s.everySteps,
      rows: s.rows,
      decimation: s.decimation ?? 1,
      thresholdMv: s.thresholdMv ?? null,
      values: add(s.values.subarray(0, s.rows * s.lines)),
    })),
  }));
  const dataBytes = offset;
  // The size goes into the header itself: repeat until its digits stop changing the length.
  let total = 0;
  let headerBytes = new Uint8Array(0);
  for (let i = 0; i < 8; i++) {
    const header: Header = { format: HEADER_FORMAT, version: 1, meta: { ...run.meta, bytes: total }, doc: run.doc, stats: run.stats, monitors: [...run.monitors], spikes, traces };
    headerBytes = new TextEncoder().encode(JSON.stringify(header));
    const next = align8(12 + headerBytes.length) + dataBytes;
    if (next === total) break;
    total = next;
  }
  const headerStart = 12;
  const dataStart = align8(headerStart + headerBytes.length);
  const out = new Uint8Array(dataStart + dataBytes);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(8, dataStart - headerStart, true);
  out.fill(0x20, headerStart, dataStart);
  out.set(headerBytes, headerStart);
  let at = 0;
  const copies: { bytes: Uint8Array; at: number }[] = [];
  for (const a of arrays) {
    copies.push({ bytes: new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at: dataStart + at });
    at = align8(at + a.byteLength);
  }
  return { out, copies };
}

function fail(why: string): never {
  throw new Error(`The stored run is damaged: ${why}.`);
}

/** Decode what {@link encodeRun} wrote; a damaged file throws a clear error. */
export function decodeRun(bytes: Uint8Array): StoredRun {
  if (!littleEndian()) throw new Error('Run history needs a little-endian machine.');
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) fail('it is not a Spikeflow run file');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const dataStart = 12 + headerLength;
  if (dataStart > bytes.length) fail('the header is cut short');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, dataStart))) as Header;
  } catch {
    fail('the header is not JSON');
  }
  if (header.format !== HEADER_FORMAT || header.version !== 1) fail(`unknown format ${String(header.format)} v${String(header.version)}`);
  const read = <T extends Int32Array | Float32Array>(ref: ArrayRef, want: DType): T => {
    if (ref.dtype !== want) fail(`an array is ${ref.dtype}, expected ${want}`);
    const start = dataStart + ref.offset;
    const end = start + ref.length * 4;
    if (ref.offset < 0 || end > bytes.length) fail('an array runs past the end of the file');
    // A copy: aligned, and independent of the (possibly shared) input buffer.
    const copy = bytes.slice(start, end);
    return (want === 'i32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer)) as T;
  };
  const spikes = new Map<string, MonitorRecord>();
  for (const m of header.spikes) {
    const series: SpikeSeries[] = m.series.map((s) => ({
      nodeId: s.nodeId,
      label: s.label,
      size: s.size,
      count: s.count,
      neuron: read<Int32Array>(s.neuron, 'i32'),
      step: read<Int32Array>(s.step, 'i32'),
    }));
    spikes.set(m.monitorId, { monitorId: m.monitorId, label: m.label, received: m.received, truncated: m.truncated, evicted: m.evicted ?? 0, series });
  }
  const traces = new Map<string, TraceRecord>();
  for (const t of header.traces) {
    const series: TraceSeries[] = t.series.map((s) => ({
      nodeId: s.nodeId,
      label: s.label,
      size: s.size,
      lines: s.lines,
      lineLabels: s.lineLabels,
      startStep: s.startStep,
      everySteps: s.everySteps,
      rows: s.rows,
      decimation: s.decimation ?? 1,
      thresholdMv: s.thresholdMv ?? null,
      values: read<Float32Array>(s.values, 'f32'),
      // As TraceBuffers: a rate's value belongs to the middle of its bin.
      centreSteps: t.records === 'rate' ? (every: number) => every / 2 : () => 0,
    }));
    traces.set(t.monitorId, { monitorId: t.monitorId, label: t.label, records: t.records, quantity: t.quantity, truncated: t.truncated, evictedRows: t.evictedRows ?? 0, series });
  }
  return { meta: header.meta, doc: header.doc, stats: header.stats, monitors: header.monitors, spikes, traces };
}

/** Whether a value read from a store looks like a {@link RunMeta} (stores hold user files). */
export function isRunMeta(v: unknown): v is RunMeta {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    RUN_ID_PATTERN.test(m.id) &&
    typeof m.createdAt === 'string' &&
    typeof m.number === 'number' &&
    typeof m.seed === 'number' &&
    typeof m.spikes === 'number' &&
    typeof m.durationMs === 'number'
  );
}
