/**
 * Where the raster's parts sit inside its canvas (CSS px): the plot margins and
 * the population-rate strip under the plot, which takes about a fifth of the
 * height (28–64 px) so a short results panel still has room for the spikes.
 * Shared by the panel and the browser tests that aim at a spike.
 */
export const RASTER_MARGIN = { left: 120, right: 10, top: 8, bottom: 24 } as const;
export const RATE_STRIP_GAP = 8;

/** Height of the rate strip for a canvas `heightPx` tall. */
export function rateStripHeight(heightPx: number): number {
  return Math.round(Math.min(64, Math.max(28, heightPx * 0.2)));
}

/** Space under the raster plot area: the time axis, and the rate strip when shown. */
export function rasterBottom(heightPx: number, withRate: boolean): number {
  return RASTER_MARGIN.bottom + (withRate ? rateStripHeight(heightPx) + RATE_STRIP_GAP : 0);
}
