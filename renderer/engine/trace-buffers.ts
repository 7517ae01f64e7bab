/**
 * Sampled traces for the results panel: a state monitor's variable of chosen
 * neurons, and a rate monitor's population rate. Both are stored the same way:
 * per observed population, `lines` values per row, rows evenly spaced in time
 * (`everySteps` apart from `startStep`), in one growable Float32Array.
 */
import type { RateChunk, StateChunk } from '../../engine/protocol/messages.ts';

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
}

export interface TraceRecord {
  readonly monitorId: string;
  readonly label: string;
  readonly records: 'state' | 'rate';
  /** Axis label, e.g. `v (mV)` or `rate (Hz)`. */
  readonly quantity: string;
  readonly series: TraceSeries[];
  /** Values received past the cap are dropped. */
  truncated: boolean;
}

/** Values kept per monitor (about 200 MB). */
export const DEFAULT_TRACE_CAP = 50_000_000;

export class TraceBuffers {
  private readonly monitors = new Map<string, TraceRecord>();

  constructor(private readonly cap = DEFAULT_TRACE_CAP) {}

  reset(
    monitors: readonly {
      monitorId: string;
      label: string;
      records: 'state' | 'rate';
      quantity: string;
      sources: readonly { nodeId: string; label: string; size: number }[];
    }[],
  ): void {
    this.monitors.clear();
    for (const m of monitors) {
      this.monitors.set(m.monitorId, {
        monitorId: m.monitorId,
        label: m.label,
        records: m.records,
        quantity: m.quantity,
        truncated: false,
        series: m.sources.map((s) => ({
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
        })),
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

  private push(monitorId: string, s: TraceSeries, values: Float32Array): void {
    const rec = this.monitors.get(monitorId)!;
    const kept = rec.series.reduce((a, x) => a + x.rows * x.lines, 0);
    const rowsIn = Math.floor(values.length / s.lines);
    const rowsFit = Math.max(0, Math.min(rowsIn, Math.floor((this.cap - kept) / s.lines)));
    if (rowsFit < rowsIn) rec.truncated = true;
    if (rowsFit === 0) return;
    const need = (s.rows + rowsFit) * s.lines;
    if (need > s.values.length) {
      let cap = Math.max(1024, s.values.length);
      while (cap < need) cap *= 2;
      const grown = new Float32Array(cap);
      grown.set(s.values.subarray(0, s.rows * s.lines));
      s.values = grown;
    }
    s.values.set(values.subarray(0, rowsFit * s.lines), s.rows * s.lines);
    s.rows += rowsFit;
  }
}
