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

/** Clamp a window into [minMs, maxMs], keeping its span when it fits. */
export function clampView(view: TimeView, maxMs: number, minMs = 0): TimeView {
  const span = Math.min(view.t1Ms - view.t0Ms, maxMs - minMs);
  let t0 = view.t0Ms;
  if (t0 < minMs) t0 = minMs;
  if (t0 + span > maxMs) t0 = maxMs - span;
  return { t0Ms: t0, t1Ms: t0 + span };
}

/**
 * Zoom by `factor` (< 1 zooms in) keeping the time under the cursor (`anchorMs`)
 * where it is on screen. The span stays within [minSpanMs, maxMs].
 */
export function zoomView(view: TimeView, anchorMs: number, factor: number, maxMs: number, minSpanMs: number, minMs = 0): TimeView {
  const span = view.t1Ms - view.t0Ms;
  const whole = maxMs - minMs;
  const newSpan = Math.min(whole, Math.max(Math.min(minSpanMs, whole), span * factor));
  const frac = span > 0 ? (anchorMs - view.t0Ms) / span : 0;
  const t0 = anchorMs - frac * newSpan;
  return clampView({ t0Ms: t0, t1Ms: t0 + newSpan }, maxMs, minMs);
}

/** Shift the window by `deltaMs` (positive moves later in time), staying inside [minMs, maxMs]. */
export function panView(view: TimeView, deltaMs: number, maxMs: number, minMs = 0): TimeView {
  return clampView({ t0Ms: view.t0Ms + deltaMs, t1Ms: view.t1Ms + deltaMs }, maxMs, minMs);
}

/** The visible rows of the raster: [r0, r1) of the stacked rows (fractional while zoomed). */
export interface RowView {
  readonly r0: number;
  readonly r1: number;
}

/** Every row. */
export function fullRows(totalRows: number): RowView {
  return { r0: 0, r1: Math.max(1, totalRows) };
}

/**
 * Zoom the neuron axis by `factor` (< 1 zooms in) keeping `anchorRow` where it is
 * on screen; never fewer than `minRows` (or all rows, when there are fewer).
 */
export function zoomRows(view: RowView, anchorRow: number, factor: number, totalRows: number, minRows = 4): RowView {
  const z = zoomView({ t0Ms: view.r0, t1Ms: view.r1 }, anchorRow, factor, Math.max(1, totalRows), minRows);
  return { r0: z.t0Ms, r1: z.t1Ms };
}

/** Shift the visible rows by `deltaRows` (positive shows later rows), staying inside. */
export function panRows(view: RowView, deltaRows: number, totalRows: number): RowView {
  const p = panView({ t0Ms: view.r0, t1Ms: view.r1 }, deltaRows, Math.max(1, totalRows));
  return { r0: p.t0Ms, r1: p.t1Ms };
}

/** Which population band and neuron a (fractional) row falls on; null in a gap or outside. */
export function rowToNeuron(row: number, bands: readonly RowBand[]): { band: number; neuron: number } | null {
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i];
    if (row >= b.offset && row < b.offset + b.size) return { band: i, neuron: Math.floor(row - b.offset) };
  }
  return null;
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
