/**
 * Pure helpers for trace plots (state variables, population rates): which rows
 * are visible, the value range, and a per-pixel-column min/max envelope so a
 * long trace costs one line segment per column, not per sample.
 */
import type { TimeView } from './raster-math.ts';

export interface TraceGeometry {
  readonly startStep: number;
  readonly everySteps: number;
  /** Offset of a row's time within its span, in steps. */
  readonly centre: number;
  readonly rows: number;
}

/** Time of `row`, ms. */
export function traceRowTime(g: TraceGeometry, row: number, dtMs: number): number {
  return (g.startStep + row * g.everySteps + g.centre) * dtMs;
}

/** Start time of row `row`'s span (a rate bin's left edge), ms; `row = rows` is the last bin's right edge. */
export function binEdgeTime(g: Pick<TraceGeometry, 'startStep' | 'everySteps'>, row: number, dtMs: number): number {
  return (g.startStep + row * g.everySteps) * dtMs;
}

/** Rows whose time lies in [t0, t1], widened by one on each side so lines reach the edges. */
export function visibleRows(g: TraceGeometry, view: TimeView, dtMs: number): [number, number] {
  if (g.rows === 0) return [0, 0];
  const per = g.everySteps * dtMs;
  const t0 = traceRowTime(g, 0, dtMs);
  const first = Math.max(0, Math.floor((view.t0Ms - t0) / per) - 1);
  const last = Math.min(g.rows, Math.ceil((view.t1Ms - t0) / per) + 2);
  return first < last ? [first, last] : [0, 0];
}

/** Min and max of the finite values of one line over rows [r0, r1). */
export function lineRange(values: Float32Array, lines: number, line: number, r0: number, r1: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = r0; r < r1; r++) {
    const v = values[r * lines + line];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A value range with a little headroom; a flat range becomes ±1 (or ±10%) around it. */
export function padRange(lo: number, hi: number): [number, number] {
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

/**
 * Per pixel column in [0, width): min and max of the line's samples that fall
 * there (NaN where none does). `x(row)` gives a row's column position.
 */
export function columnEnvelope(values: Float32Array, lines: number, line: number, r0: number, r1: number, width: number, x: (row: number) => number): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(width).fill(NaN);
  const max = new Float32Array(width).fill(NaN);
  for (let r = r0; r < r1; r++) {
    const c = Math.floor(x(r));
    if (c < 0 || c >= width) continue;
    const v = values[r * lines + line];
    if (!(min[c] <= v)) min[c] = v;
    if (!(max[c] >= v)) max[c] = v;
  }
  return { min, max };
}
