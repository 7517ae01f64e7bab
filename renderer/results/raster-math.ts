/**
 * Pure geometry of the raster plot: the visible time window, zoom and pan,
 * time ticks, and how observed populations stack into rows. No DOM here, so
 * it is unit-tested directly.
 */

/** The visible time window, in ms of simulated time. */
export interface TimeView {
  readonly t0Ms: number;
  readonly t1Ms: number;
}

/** The whole run. */
export function fullView(durationMs: number): TimeView {
  return { t0Ms: 0, t1Ms: durationMs > 0 ? durationMs : 1 };
}

/** Clamp a window into [0, maxMs], keeping its span when it fits. */
export function clampView(view: TimeView, maxMs: number): TimeView {
  const span = Math.min(view.t1Ms - view.t0Ms, maxMs);
  let t0 = view.t0Ms;
  if (t0 < 0) t0 = 0;
  if (t0 + span > maxMs) t0 = maxMs - span;
  return { t0Ms: t0, t1Ms: t0 + span };
}

/**
 * Zoom by `factor` (< 1 zooms in) keeping the time under the cursor (`anchorMs`)
 * where it is on screen. The span stays within [minSpanMs, maxMs].
 */
export function zoomView(view: TimeView, anchorMs: number, factor: number, maxMs: number, minSpanMs: number): TimeView {
  const span = view.t1Ms - view.t0Ms;
  const newSpan = Math.min(maxMs, Math.max(Math.min(minSpanMs, maxMs), span * factor));
  const frac = span > 0 ? (anchorMs - view.t0Ms) / span : 0;
  const t0 = anchorMs - frac * newSpan;
  return clampView({ t0Ms: t0, t1Ms: t0 + newSpan }, maxMs);
}

/** Shift the window by `deltaMs` (positive moves later in time), staying inside the run. */
export function panView(view: TimeView, deltaMs: number, maxMs: number): TimeView {
  return clampView({ t0Ms: view.t0Ms + deltaMs, t1Ms: view.t1Ms + deltaMs }, maxMs);
}

/** Wheel delta (pixels, positive = scroll down) to a zoom factor: down zooms out. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(Math.max(-1, Math.min(1, deltaY * 0.002)));
}

export function timeToX(tMs: number, view: TimeView, x0: number, width: number): number {
  return x0 + ((tMs - view.t0Ms) / (view.t1Ms - view.t0Ms)) * width;
}

export function xToTime(x: number, view: TimeView, x0: number, width: number): number {
  return view.t0Ms + ((x - x0) / width) * (view.t1Ms - view.t0Ms);
}

/**
 * Tick positions for an axis from `t0` to `t1`: multiples of a step of 1, 2 or 5
 * times a power of ten, about `target` of them.
 */
export function niceTicks(t0: number, t1: number, target: number): { step: number; ticks: number[] } {
  const span = t1 - t0;
  if (!(span > 0) || target < 1) return { step: 0, ticks: [] };
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
  const ticks: number[] = [];
  // Integer multiples avoid accumulating float error (0.1 + 0.2 …).
  for (let k = Math.ceil(t0 / step - 1e-9); k * step <= t1 + step * 1e-9; k++) ticks.push(roundTo(k * step, step));
  return { step, ticks };
}

function roundTo(x: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(x.toFixed(Math.min(decimals, 12)));
}

/** A tick label: as many decimals as the step needs. */
export function formatTick(tMs: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
  return tMs.toFixed(decimals);
}

/** One observed population's band of rows. */
export interface RowBand {
  /** First row of the band (row 0 is at the top). */
  readonly offset: number;
  readonly size: number;
}

/**
 * Stack populations into one column of rows, one row per neuron, with a gap
 * between bands so they read as separate groups.
 */
export function layoutRows(sizes: readonly number[]): { bands: RowBand[]; totalRows: number } {
  const total = sizes.reduce((a, b) => a + b, 0);
  const gap = sizes.length > 1 ? Math.max(1, Math.round(total * 0.02)) : 0;
  const bands: RowBand[] = [];
  let offset = 0;
  for (const size of sizes) {
    bands.push({ offset, size });
    offset += size + gap;
  }
  return { bands, totalRows: Math.max(1, offset - gap) };
}
