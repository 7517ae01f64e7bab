/**
 * Sampled traces for the results panel: a state monitor's variable of chosen
 * neurons, and a rate monitor's population rate. Both are stored the same way:
 * per observed population, `lines` values per row, rows evenly spaced in time
 * (`everySteps` apart from `startStep`), in one growable Float32Array.
 *
 * Memory is bounded per monitor (a state monitor's `keep`, `window_ms`,
 * `max_values`): `all` keeps samples up to the cap and drops later ones
 * (`truncated`); `window` keeps the rows of the last `windowSteps` steps (and at
 * most the cap, dropping the oldest); `decimate` keeps the whole run and, each
 * time the cap is reached, drops every other row of the series (its `decimation`
 * doubles, and so does its `everySteps`). A series' `values` is a view that
 * starts at its oldest kept row, so readers index rows `[0, rows)` in every mode.
 */
import type { RateChunk, StateChunk } from '../../engine/protocol/messages.ts';
import { getKind } from '../../engine/kinds/index.ts';

export interface TraceSeries {
  readonly nodeId: string;
  readonly label: string;
  readonly size: number;
  /** Values per row: one per recorded neuron (state), or 1 (rate). */
  lines: number;
  /** A name per line, e.g. `n3` for neuron 3. */
  lineLabels: string[];
  /** Step of row 0, and steps between rows; set by the first chunk. */
  startStep: number;
  everySteps: number;
  /** Time offset of a row's value within its span, in steps (half a bin for rates). */
  readonly centreSteps: (everySteps: number) => number;
  values: Float32Array;
  rows: number;
  /** Kept rows are every `decimation`-th row the engine sent (1: all of them). */
  decimation?: number;
  /** The spike threshold of the observed population (mV), for voltage traces; null when none applies. */
  readonly thresholdMv?: number | null;
}

/** How a monitor bounds its memory (from the state monitor's params). */
export interface TraceKeep {
  readonly mode: 'all' | 'window' | 'decimate';
  /** With `window`: steps of the most recent simulated time kept. */
  readonly windowSteps: number;
  /** Values kept at most, over all series of the monitor. */
  readonly cap: number;
}

export interface TraceRecord {
  readonly monitorId: string;
  readonly label: string;
  readonly records: 'state' | 'rate';
  /** Axis label, e.g. `v (mV)` or `rate (Hz)`. */
  readonly quantity: string;
  readonly series: TraceSeries[];
  /** How memory is bounded (absent in records made elsewhere, e.g. a stored run: keep all). */
  readonly keep?: TraceKeep;
  /** `all` mode: values received past the cap were dropped. */
  truncated: boolean;
  /** Rows dropped from the front (left the window, or the oldest past the cap). */
  evictedRows?: number;
}

interface Backing {
  values: Float32Array;
  /** Offset (in values) of the oldest kept row. */
  head: number;
  /** Rows the engine sent for this series (before decimation). */
  rawRows: number;
  /** The engine's sampling interval, steps. */
  rawEvery: number;
}

/**
 * The level at which a population of `kind` registers a spike, mV: the param its
 * kind declares as its spike level (engine/kinds `spikeLevel`); null for kinds
 * without one (sources, encoders).
 */
export function thresholdMvOf(kind: string, params: Readonly<Record<string, unknown>>): number | null {
  const name = getKind(kind)?.spikeLevel?.param;
  const v = name === undefined ? undefined : params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The keep settings of a state monitor's params (missing ones: the defaults). */
export function traceKeepOf(params: Readonly<Record<string, unknown>>, dtMs: number): TraceKeep {
  const mode = params.keep === 'window' || params.keep === 'decimate' ? params.keep : 'all';
  const windowMs = typeof params.window_ms === 'number' && params.window_ms > 0 ? params.window_ms : 10_000;
  const cap = typeof params.max_values === 'number' && params.max_values >= 1 ? Math.floor(params.max_values) : DEFAULT_TRACE_CAP;
  return { mode, windowSteps: Math.max(1, Math.round(windowMs / dtMs)), cap };
}

/** Values kept per monitor (about 200 MB). */
export const DEFAULT_TRACE_CAP = 50_000_000;

export class TraceBuffers {
  private readonly monitors = new Map<string, TraceRecord>();
  private readonly backing = new WeakMap<TraceSeries, Backing>();

  constructor(private readonly cap = DEFAULT_TRACE_CAP) {}

  reset(
    monitors: readonly {
      monitorId: string;
      label: string;
      records: 'state' | 'rate';
      quantity: string;
      keep?: TraceKeep;
      sources: readonly { nodeId: string; label: string; size: number; thresholdMv?: number | null }[];
    }[],
  ): void {
    this.monitors.clear();
    for (const m of monitors) {
      const series = m.sources.map((s): TraceSeries => {
        const out: TraceSeries = {
          nodeId: s.nodeId,
          label: s.label,
          size: s.size,
          lines: 0,
          lineLabels: [],
          startStep: 0,
          everySteps: 1,
          centreSteps: m.records === 'rate' ? (every) => every / 2 : () => 0,
          values: new Float32Array(0),
          rows: 0,
          decimation: 1,
          thresholdMv: s.thresholdMv ?? null,
        };
        this.backing.set(out, { values: out.values, head: 0, rawRows: 0, rawEvery: 1 });
        return out;
      });
      this.monitors.set(m.monitorId, {
        monitorId: m.monitorId,
        label: m.label,
        records: m.records,
        quantity: m.quantity,
        keep: m.keep ?? { mode: 'all', windowSteps: 0, cap: this.cap },
        truncated: false,
        evictedRows: 0,
        series,
      });
    }
  }

  clear(): void {
    this.monitors.clear();
  }

  get(monitorId: string): TraceRecord | undefined {
    return this.monitors.get(monitorId);
  }

  list(): TraceRecord[] {
    return [...this.monitors.values()];
  }

  /** Append a state monitor's samples. Returns false for an unknown monitor or source. */
  appendState(c: Pick<StateChunk, 'monitorId' | 'source' | 'neurons' | 'everySteps' | 'step0' | 'values'>): boolean {
    const s = this.series(c.monitorId, c.source);
    if (!s) return false;
    const lines = c.neurons.length;
    if (lines === 0) return true;
    if (s.rows === 0) {
      s.lines = lines;
      s.lineLabels = Array.from(c.neurons, (n) => `n${n}`);
      s.startStep = c.step0;
      s.everySteps = Math.max(1, c.everySteps);
      this.backing.get(s)!.rawEvery = s.everySteps;
    }
    this.push(c.monitorId, s, c.values);
    return true;
  }

  /** Append a rate monitor's bin counts, stored as rates in Hz. */
  appendRate(c: Pick<RateChunk, 'monitorId' | 'source' | 'size' | 'binSteps' | 'bin0' | 'counts'>, dtMs: number): boolean {
    const s = this.series(c.monitorId, c.source);
    if (!s) return false;
    if (s.rows === 0) {
      s.lines = 1;
      s.lineLabels = ['rate'];
      s.startStep = c.bin0 * c.binSteps;
      s.everySteps = Math.max(1, c.binSteps);
      this.backing.get(s)!.rawEvery = s.everySteps;
    }
    // counts / (neurons · bin seconds) = Hz per neuron.
    const scale = 1000 / (Math.max(1, c.size) * c.binSteps * dtMs);
    const hz = new Float32Array(c.counts.length);
    for (let i = 0; i < hz.length; i++) hz[i] = c.counts[i] * scale;
    this.push(c.monitorId, s, hz);
    return true;
  }

  private series(monitorId: string, source: number): TraceSeries | undefined {
    return this.monitors.get(monitorId)?.series[source];
  }

  private push(monitorId: string, s: TraceSeries, incoming: Float32Array): void {
    const rec = this.monitors.get(monitorId)! as Required<TraceRecord>;
    const b = this.backing.get(s)!;
    const L = s.lines;
    const decimation = s.decimation ?? 1;
    const rowsIn = Math.floor(incoming.length / L);
    let values = incoming;
    if (s.rows === 0 && b.rawRows === 0) b.head = 0;
    if (rec.keep.mode === 'decimate' && decimation > 1) {
      // Keep the rows whose index since the start is a multiple of the decimation.
      const f = decimation;
      const first = (f - (b.rawRows % f)) % f;
      const n = first < rowsIn ? Math.floor((rowsIn - 1 - first) / f) + 1 : 0;
      values = new Float32Array(n * L);
      for (let j = 0; j < n; j++) values.set(incoming.subarray((first + j * f) * L, (first + j * f + 1) * L), j * L);
    }
    b.rawRows += rowsIn;
    let rowsAdd = Math.floor(values.length / L);
    const cap = Math.min(this.cap, rec.keep.cap);
    const kept = () => rec.series.reduce((a, x) => a + x.rows * x.lines, 0);
    if (rec.keep.mode === 'all') {
      const fit = Math.max(0, Math.min(rowsAdd, Math.floor((cap - kept()) / L)));
      if (fit < rowsAdd) rec.truncated = true;
      rowsAdd = fit;
    }
    if (rowsAdd === 0) return;
    this.ensure(s, b, (s.rows + rowsAdd) * L);
    b.values.set(values.subarray(0, rowsAdd * L), b.head + s.rows * L);
    s.rows += rowsAdd;
    s.values = b.values.subarray(b.head);
    if (rec.keep.mode === 'window') {
      const lastStep = s.startStep + (s.rows - 1) * s.everySteps;
      const cutoff = lastStep - rec.keep.windowSteps + 1;
      this.dropRows(rec, s, b, Math.max(0, Math.ceil((cutoff - s.startStep) / s.everySteps)));
      const over = kept() - cap;
      if (over > 0) this.dropRows(rec, s, b, Math.ceil(over / L));
    } else if (rec.keep.mode === 'decimate') {
      while (kept() > cap && s.rows > 1) this.halve(s, b);
    }
  }

  private dropRows(rec: Required<TraceRecord>, s: TraceSeries, b: Backing, k: number): void {
    const n = Math.min(k, s.rows);
    if (n <= 0) return;
    b.head += n * s.lines;
    s.rows -= n;
    s.startStep += n * s.everySteps;
    rec.evictedRows += n;
    s.values = b.values.subarray(b.head);
  }

  /** Keep every other row (rows 0, 2, 4 … stay): the sampling interval doubles. */
  private halve(s: TraceSeries, b: Backing): void {
    const L = s.lines;
    const v = b.values;
    const keep = Math.ceil(s.rows / 2);
    for (let j = 0; j < keep; j++) v.copyWithin(b.head + j * L, b.head + 2 * j * L, b.head + (2 * j + 1) * L);
    s.rows = keep;
    s.decimation = (s.decimation ?? 1) * 2;
    s.everySteps = b.rawEvery * s.decimation;
    s.values = v.subarray(b.head);
  }

  /** Room for `need` values after the head: slide down when a quarter is free at the front, or grow. */
  private ensure(s: TraceSeries, b: Backing, need: number): void {
    if (b.head + need <= b.values.length) return;
    const used = s.rows * s.lines;
    if (need <= b.values.length * 0.75) {
      b.values.copyWithin(0, b.head, b.head + used);
    } else {
      let cap = Math.max(1024, b.values.length);
      while (cap < need) cap *= 2;
      const grown = new Float32Array(cap);
      grown.set(b.values.subarray(b.head, b.head + used));
      b.values = grown;
    }
    b.head = 0;
    s.values = b.values;
  }
}
