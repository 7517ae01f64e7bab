/**
 * Plotting spikes into a pixel buffer (the `Uint32Array` view of an `ImageData`).
 * One small mark per spike, written straight into memory: a million spikes take a
 * few milliseconds, with no canvas call per spike. Pure, so it is unit-tested.
 */
import type { RowBand, RowView, TimeView } from './raster-math.ts';

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
 * Plot the spikes of one population whose rows are `band`, with `rows` the visible
 * rows (a number: all of that many), from spike `fromIndex` on (a live raster adds
 * only the new spikes to the pixels it kept). Returns how many spikes fell in the
 * visible window [t0, t1) × rows (and were drawn).
 */
export function plotSeries(
  pixels: Uint32Array,
  stride: number,
  rect: PlotRect,
  view: TimeView,
  dtMs: number,
  band: RowBand,
  rows: number | RowView,
  data: SeriesData,
  color: number,
  mark: MarkSize,
  fromIndex = 0,
): number {
  const span = view.t1Ms - view.t0Ms;
  if (!(span > 0) || !(dtMs > 0) || rect.width <= 0 || rect.height <= 0) return 0;
  const first = Math.max(fromIndex, lowerBound(data.step, data.count, Math.ceil(view.t0Ms / dtMs - 1e-9)));
  const r0 = typeof rows === 'number' ? 0 : rows.r0;
  const r1 = typeof rows === 'number' ? rows : rows.r1;
  if (!(r1 > r0)) return 0;
  const rowPx = rect.height / (r1 - r0);
  // The band's neurons that are (at least partly) visible.
  const nLo = Math.max(0, Math.floor(r0 - band.offset));
  const nHi = Math.min(band.size, Math.ceil(r1 - band.offset));
  if (nHi <= nLo) return 0;
  const h = Math.max(1, Math.min(mark.maxHeight, Math.floor(rowPx * 0.8)));
  const w = Math.max(1, mark.width);
  const xScale = (rect.width / span) * dtMs;
  const xOff = rect.x - (view.t0Ms / span) * rect.width;
  const xMax = rect.x + rect.width;
  const yMax = rect.y + rect.height;
  // Per neuron, the first pixel row of its mark (−1: off the plot), computed once
  // per draw: the loop below then costs a table read and a few stores per spike.
  const yOf = new Int32Array(nHi - nLo);
  for (let n = nLo; n < nHi; n++) {
    const y = Math.floor(rect.y + (band.offset + n - r0) * rowPx + (rowPx - h) / 2);
    yOf[n - nLo] = y + h <= rect.y || y >= yMax ? -1 : y;
  }
  // Marks are clipped to the plot vertically once, here.
  const x0 = rect.x;
  let drawn = 0;
  let lastStep = -1;
  let x = 0;
  let xa = 0;
  let xb = 0;
  const endStep = Math.ceil(view.t1Ms / dtMs - 1e-9);
  for (let k = first; k < data.count; k++) {
    const st = data.step[k];
    if (st !== lastStep) {
      // Steps are sorted: the column only changes with the step.
      if (st >= endStep && st * dtMs >= view.t1Ms) break;
      lastStep = st;
      x = Math.floor(xOff + st * xScale);
      xa = Math.max(x, x0);
      xb = Math.min(x + w, xMax);
    }
    const n = data.neuron[k];
    if (n < nLo || n >= nHi) continue;
    const y = yOf[n - nLo];
    drawn++;
    if (y < 0 || xa >= xb) continue;
    const ya = Math.max(y, rect.y);
    const yb = Math.min(y + h, yMax);
    for (let yy = ya; yy < yb; yy++) {
      const base = yy * stride;
      for (let xx = xa; xx < xb; xx++) pixels[base + xx] = color;
    }
  }
  return drawn;
}
