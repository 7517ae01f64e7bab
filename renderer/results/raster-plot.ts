/**
 * Plotting spikes into a pixel buffer (the `Uint32Array` view of an `ImageData`).
 * One small mark per spike, written straight into memory: a million spikes take a
 * few milliseconds, with no canvas call per spike. Pure, so it is unit-tested.
 */
import type { RowBand, TimeView } from './raster-math.ts';

/** A rectangle of the pixel buffer, in device pixels. */
export interface PlotRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SeriesData {
  readonly neuron: Int32Array;
  /** Non-decreasing: the engine sends steps in order. */
  readonly step: Int32Array;
  readonly count: number;
}

export interface MarkSize {
  readonly width: number;
  /** Upper bound; a mark is never taller than its row (nor shorter than 1 px). */
  readonly maxHeight: number;
}

/** Pack an `#rrggbb` colour into the RGBA byte order of ImageData on little-endian machines. */
export function packColor(hex: string, alpha = 255): number {
  const v = parseInt(hex.slice(1), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** First index in `a[0..count)` whose value is ≥ `x` (a sorted array). */
export function lowerBound(a: Int32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Plot the spikes of one population whose rows are `band` out of `totalRows`.
 * Returns how many spikes fell in the visible window [t0, t1) (and were drawn).
 */
export function plotSeries(
  pixels: Uint32Array,
  stride: number,
  rect: PlotRect,
  view: TimeView,
  dtMs: number,
  band: RowBand,
  totalRows: number,
  data: SeriesData,
  color: number,
  mark: MarkSize,
): number {
  const span = view.t1Ms - view.t0Ms;
  if (!(span > 0) || !(dtMs > 0) || rect.width <= 0 || rect.height <= 0) return 0;
  const first = lowerBound(data.step, data.count, Math.ceil(view.t0Ms / dtMs - 1e-9));
  const rowPx = rect.height / totalRows;
  const h = Math.max(1, Math.min(mark.maxHeight, Math.floor(rowPx * 0.8)));
  const w = Math.max(1, mark.width);
  const xScale = (rect.width / span) * dtMs;
  const xOff = rect.x - (view.t0Ms / span) * rect.width;
  const xMax = rect.x + rect.width;
  const yMax = rect.y + rect.height;
  let drawn = 0;
  for (let k = first; k < data.count; k++) {
    const tMs = data.step[k] * dtMs;
    if (tMs >= view.t1Ms) break;
    const n = data.neuron[k];
    if (n < 0 || n >= band.size) continue;
    const x = Math.floor(xOff + data.step[k] * xScale);
    const rowTop = rect.y + (band.offset + n) * rowPx;
    const y = Math.floor(rowTop + (rowPx - h) / 2);
    drawn++;
    for (let dy = 0; dy < h; dy++) {
      const yy = y + dy;
      if (yy < rect.y || yy >= yMax) continue;
      const base = yy * stride;
      for (let dx = 0; dx < w; dx++) {
        const xx = x + dx;
        if (xx >= rect.x && xx < xMax) pixels[base + xx] = color;
      }
    }
  }
  return drawn;
}
