/**
 * Which spike is under the cursor: the raster's hover readout and click target.
 * Pure (no DOM), so it is unit-tested.
 */
import type { RowBand, RowView, TimeView } from './raster-math.ts';
import { lowerBound } from './raster-plot.ts';
import type { SeriesData } from './raster-plot.ts';

/** The cursor, in CSS px relative to the plot area's top-left corner, and what the plot shows. */
export interface HitQuery {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly view: TimeView;
  readonly rows: RowView;
  readonly dtMs: number;
  /** Spikes farther than this from the cursor (px) do not count. */
  readonly radiusPx: number;
}

export interface SpikeHit {
  /** Index of the population among the monitor's series. */
  readonly series: number;
  readonly neuron: number;
  readonly step: number;
  readonly tMs: number;
  /** Distance from the cursor, px. */
  readonly distancePx: number;
}

/**
 * The spike nearest the cursor (Euclidean distance in screen pixels, a spike
 * drawn at its time and the middle of its row), or null when none is within
 * `radiusPx`. Costs one binary search plus the spikes within the radius in time.
 */
export function nearestSpike(series: readonly SeriesData[], bands: readonly RowBand[], q: HitQuery): SpikeHit | null {
  const span = q.view.t1Ms - q.view.t0Ms;
  const rowSpan = q.rows.r1 - q.rows.r0;
  if (!(span > 0) || !(rowSpan > 0) || !(q.dtMs > 0) || q.width <= 0 || q.height <= 0) return null;
  const msPerPx = span / q.width;
  const rowsPerPx = rowSpan / q.height;
  const tc = q.view.t0Ms + q.x * msPerPx;
  const rc = q.rows.r0 + q.y * rowsPerPx;
  const sLo = Math.ceil((tc - q.radiusPx * msPerPx) / q.dtMs - 1e-9);
  const sHi = Math.floor((tc + q.radiusPx * msPerPx) / q.dtMs + 1e-9);
  const rowLo = rc - q.radiusPx * rowsPerPx;
  const rowHi = rc + q.radiusPx * rowsPerPx;
  let best: SpikeHit | null = null;
  let bestD2 = q.radiusPx * q.radiusPx;
  series.forEach((s, i) => {
    const band = bands[i];
    if (!band) return;
    // Neurons whose row middle may lie within the radius.
    const nLo = Math.max(0, Math.ceil(rowLo - band.offset - 0.5));
    const nHi = Math.min(band.size - 1, Math.floor(rowHi - band.offset - 0.5));
    if (nHi < nLo) return;
    for (let k = lowerBound(s.step, s.count, sLo); k < s.count && s.step[k] <= sHi; k++) {
      const n = s.neuron[k];
      if (n < nLo || n > nHi) continue;
      const dx = (s.step[k] * q.dtMs - tc) / msPerPx;
      const dy = (band.offset + n + 0.5 - rc) / rowsPerPx;
      const d2 = dx * dx + dy * dy;
      if (d2 <= bestD2) {
        bestD2 = d2;
        best = { series: i, neuron: n, step: s.step[k], tMs: s.step[k] * q.dtMs, distancePx: Math.sqrt(d2) };
      }
    }
  });
  return best;
}
