/** The points of a sparkline: pure geometry, so it is tested without a DOM. */

/**
 * SVG path data for `values` in a `widthPx` × `heightPx` box, scaled so the box
 * height is `topValue`: by default 1.25 × the largest value (a steady rate is a
 * flat line below the top, not pressed against it), at least 1 (a silent
 * population is a flat line at the bottom, not noise stretched to full height).
 * NaN values (no data) break the line.
 */
export function sparkPath(values: readonly number[], widthPx: number, heightPx: number, topValue = 1.25 * Math.max(0, ...values.filter(Number.isFinite))): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? widthPx / (values.length - 1) : 0;
  const top = Math.max(1, topValue);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      pen = false;
      return;
    }
    const x = i * step;
    // Half a pixel of margin so the stroke is not clipped at the box edges.
    const y = heightPx - 0.5 - (Math.max(0, Math.min(v, top)) / top) * (heightPx - 1);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** A rate as a short label: "0 Hz", "3.4 Hz", "12 Hz", "1.2 kHz". */
export function formatRate(rateHz: number): string {
  if (!(rateHz > 0)) return '0 Hz';
  if (rateHz >= 1000) return `${(rateHz / 1000).toFixed(1)} kHz`;
  if (rateHz >= 10) return `${Math.round(rateHz)} Hz`;
  return `${rateHz.toFixed(1)} Hz`;
}
