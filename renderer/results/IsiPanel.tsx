/**
 * Inter-spike-interval and CV histograms, one row per observed population of a
 * spike monitor, computed from the recorded spikes (isi-math.ts). Drawn on a
 * canvas; while a run goes on it recomputes at most twice a second. The canvas
 * carries `data-populations` and `data-intervals` (how many intervals it binned).
 */
import { useCallback, useRef } from 'react';
import { useCanvasSize } from './useCanvasSize.ts';
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import { isiPopulations } from './isi-math.ts';
import type { Histogram, PopulationIsi } from './isi-math.ts';
import { formatTick, niceTicks } from './raster-math.ts';
import { AXIS, FONT, GRID, SERIES_COLORS, TEXT, clipText, prepareCanvas } from './plot-canvas.ts';
import type { Rect } from './plot-canvas.ts';
import { usePlotDraw } from './usePlotDraw.ts';
import { fmtInt } from './run-format.ts';

/** While live, the statistics are recomputed at most this often (ms of wall time). */
const LIVE_EVERY_MS = 500;

export interface IsiPanelProps {
  readonly record: MonitorRecord | undefined;
  readonly dtMs: number;
  readonly live: boolean;
  readonly version: number;
}

export function IsiPanel({ record, dtMs, live, version }: IsiPanelProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(canvasRef);
  const cache = useRef<{ record: MonitorRecord | undefined; at: number; data: PopulationIsi[] } | null>(null);
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      const now = performance.now();
      const c = cache.current;
      const fresh = !c || c.record !== record || !live || now - c.at >= LIVE_EVERY_MS;
      const data = fresh ? isiPopulations(record, dtMs) : c.data;
      if (fresh) cache.current = { record, at: now, data };
      drawIsi(canvas, size, data, record !== undefined);
      canvas.dataset.populations = String(data.length);
      canvas.dataset.intervals = String(data.reduce((a, p) => a + p.stats.count, 0));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [size, record, dtMs, live, version],
  );
  usePlotDraw(canvasRef, size, live, draw);
  return (
    <canvas ref={canvasRef} className="sf-plot-canvas sf-isi-canvas" data-testid="isi-cv" data-populations="0" data-intervals="0" aria-label="Inter-spike interval and CV histograms per population" />
  );
}

function drawIsi(canvas: HTMLCanvasElement, size: { width: number; height: number }, data: PopulationIsi[], hasRecord: boolean): void {
  const prepared = prepareCanvas(canvas, size);
  if (!prepared) return;
  const { ctx, dpr } = prepared;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = FONT;
  if (data.length === 0) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = AXIS;
    ctx.fillText(hasRecord ? 'Nothing is wired into this monitor.' : 'No spikes yet: run the network.', size.width / 2, size.height / 2);
    return;
  }
  // Two plots side by side, every population overlaid (as a fraction of its own
  // intervals or neurons, so a small population reads as well as a big one).
  const top = 22;
  const bottom = 22;
  const colW = size.width / 2;
  const h = Math.max(10, size.height - top - bottom);
  const isiLegend = data.map((p) => `${p.label}: ${Number.isFinite(p.stats.meanIsiMs) ? `mean ${fmtMean(p.stats.meanIsiMs)} ms, ${fmtInt(p.stats.count)} intervals` : 'no interval yet'}`);
  const cvLegend = data.map((p) => `${p.label}: ${Number.isFinite(p.stats.meanCv) ? `mean ${p.stats.meanCv.toFixed(2)}, ${fmtInt(p.stats.cv.length)} neurons` : 'needs 3 spikes per neuron'}`);
  drawHistograms(
    ctx,
    { x: 52, y: top, width: colW - 52 - 16, height: h },
    data.map((p) => p.isi),
    'ISI (ms)',
    'Inter-spike intervals',
    isiLegend,
  );
  drawHistograms(
    ctx,
    { x: colW + 52, y: top, width: colW - 52 - 10, height: h },
    data.map((p) => p.cv),
    'CV',
    'CV of the ISI per neuron',
    cvLegend,
  );
}

function fmtMean(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function drawHistograms(ctx: CanvasRenderingContext2D, r: Rect, hs: Histogram[], xLabel: string, title: string, legend: string[]): void {
  const fractions = hs.map((h) => {
    const total = h.counts.reduce((a, b) => a + b, 0) + h.above;
    return Array.from(h.counts, (c) => (total > 0 ? c / total : 0));
  });
  let max = 0;
  for (const f of fractions) for (const v of f) if (v > max) max = v;
  ctx.fillStyle = '#fbfcfd';
  ctx.fillRect(r.x, r.y, r.width, r.height);
  const { ticks: yTicks, step: yStep } = niceTicks(0, max > 0 ? max * 1.08 : 1, Math.max(2, Math.floor(r.height / 30)));
  // The axis ends at the first tick step above the tallest bin.
  const yTop = max > 0 && yStep > 0 ? Math.ceil((max * 1.02) / yStep) * yStep : 1;
  const yOf = (v: number) => r.y + r.height - (v / yTop) * r.height;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yTicks) {
    const y = Math.round(yOf(t)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(r.x, y);
    ctx.lineTo(r.x + r.width, y);
    ctx.stroke();
    ctx.fillStyle = TEXT;
    ctx.fillText(formatTick(t, yStep), r.x - 5, y);
  }
  // Outlined steps, lightly filled, one colour per population.
  hs.forEach((h, i) => {
    const f = fractions[i];
    const bw = r.width / f.length;
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    ctx.beginPath();
    ctx.moveTo(r.x, yOf(0));
    f.forEach((v, b) => {
      ctx.lineTo(r.x + b * bw, yOf(v));
      ctx.lineTo(r.x + (b + 1) * bw, yOf(v));
    });
    ctx.lineTo(r.x + r.width, yOf(0));
    ctx.globalAlpha = 0.14;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineWidth = 1;
  });
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(r.x - 0.5, r.y - 0.5, r.width + 1, r.height + 1);
  // The value axis.
  const h0 = hs[0];
  const { ticks, step } = niceTicks(h0.lo, h0.hi, Math.max(2, Math.floor(r.width / 70)));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillStyle = TEXT;
  for (const t of ticks) {
    const x = r.x + ((t - h0.lo) / (h0.hi - h0.lo)) * r.width;
    ctx.fillRect(Math.round(x), r.y + r.height, 1, 3);
    const text = formatTick(t, step);
    const half = ctx.measureText(text).width / 2;
    ctx.fillText(text, Math.min(Math.max(x, r.x + half - 4), r.x + r.width - half), r.y + r.height + 5);
  }
  ctx.textAlign = 'right';
  ctx.fillStyle = AXIS;
  ctx.fillText(xLabel, r.x - 8, r.y + r.height + 5);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = TEXT;
  const beyond = hs.reduce((a, h) => a + h.above, 0);
  ctx.fillText(clipText(ctx, `${title} — fraction per bin${beyond > 0 ? `, ${fmtInt(beyond)} beyond ${formatTick(h0.hi, step)}` : ''}`, r.width + 40), r.x - 40, r.y - 7);
  // Legend, top right.
  ctx.textBaseline = 'middle';
  const labels = legend.map((t) => clipText(ctx, t, Math.max(60, r.width - 40)));
  const w = Math.max(...labels.map((t) => ctx.measureText(t).width)) + 24;
  const lx = r.x + r.width - w - 4;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(lx, r.y + 3, w, labels.length * 14 + 4);
  labels.forEach((t, i) => {
    const y = r.y + 10 + i * 14;
    ctx.fillStyle = SERIES_COLORS[i % SERIES_COLORS.length];
    ctx.fillRect(lx + 5, y - 1, 12, 2.5);
    ctx.fillStyle = TEXT;
    ctx.fillText(t, lx + 20, y);
  });
}
