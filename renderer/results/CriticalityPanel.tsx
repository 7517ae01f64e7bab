/**
 * A spike monitor's criticality analysis after a run (RunStats.monitors, issue
 * 16): the summary lines, then three plots — avalanche sizes and durations on
 * log-log axes (points: the data in log-spaced bins; line: the fitted power law
 * from x_min), and the multistep regression's slopes r_k with the fitted b·m^k.
 * The canvas carries `data-avalanches` and `data-m`.
 */
import { useCallback, useRef } from 'react';
import { useCanvasSize } from './useCanvasSize.ts';
import type { CriticalityReport, Distribution } from '../../engine/analysis/criticality.ts';
import { AXIS, FONT, GRID, SERIES_COLORS, TEXT, prepareCanvas, type Rect } from './plot-canvas.ts';
import { usePlotDraw } from './usePlotDraw.ts';
import { formatTick, niceTicks } from './raster-math.ts';
import { branchingFitLine, criticalitySummary, decadeLabel, distributionValues, logPos, logRange } from './criticality-plot.ts';

export interface CriticalityPanelProps {
  readonly report: CriticalityReport | undefined;
  readonly version: number;
}

export function CriticalityPanel({ report, version }: CriticalityPanelProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(canvasRef);
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      drawCriticality(canvas, size, report);
      canvas.dataset.avalanches = String(report?.avalanches ?? 0);
      canvas.dataset.m = report?.branching ? String(report.branching.m) : '';
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [size, report, version],
  );
  usePlotDraw(canvasRef, size, false, draw);
  return (
    <div className="sf-criticality">
      <div className="sf-criticality-summary" data-testid="criticality-summary">
        {report ? (
          criticalitySummary(report).map((line) => (
            <p key={line} title={line}>
              {line}
            </p>
          ))
        ) : (
          <p className="sf-muted">The criticality analysis appears when the run ends (turn on Criticality in the monitor’s inspector).</p>
        )}
      </div>
      <canvas
        ref={canvasRef}
        className="sf-plot-canvas sf-criticality-canvas"
        data-testid="criticality"
        data-avalanches="0"
        data-m=""
        aria-label="Avalanche size and duration distributions and the branching-ratio fit"
      />
    </div>
  );
}

function drawCriticality(canvas: HTMLCanvasElement, size: { width: number; height: number }, r: CriticalityReport | undefined): void {
  const prepared = prepareCanvas(canvas, size);
  if (!prepared || !r) return;
  const { ctx, dpr } = prepared;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = FONT;
  const top = 22;
  const bottom = 30;
  const colW = size.width / 3;
  const h = Math.max(10, size.height - top - bottom);
  const box = (i: number): Rect => ({ x: i * colW + 48, y: top, width: colW - 48 - 14, height: h });
  logLogPlot(ctx, box(0), r.size_distribution, r.size_fit_line, 'size (spikes)', `Avalanche sizes P(S)${r.sizes ? `, τ = ${r.sizes.exponent.toFixed(2)}` : ''}`, SERIES_COLORS[0]);
  logLogPlot(ctx, box(1), r.duration_distribution, r.duration_fit_line, 'duration (bins)', `Durations P(T)${r.durations ? `, α = ${r.durations.exponent.toFixed(2)}` : ''}`, SERIES_COLORS[1]);
  branchingPlot(ctx, box(2), r);
}

function frame(ctx: CanvasRenderingContext2D, b: Rect, title: string, xLabel: string): void {
  ctx.fillStyle = '#fbfcfd';
  ctx.fillRect(b.x, b.y, b.width, b.height);
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(b.x - 0.5, b.y - 0.5, b.width + 1, b.height + 1);
  ctx.fillStyle = TEXT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(title, b.x - 40, b.y - 7);
  ctx.fillStyle = AXIS;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(xLabel, b.x + b.width, b.y + b.height + 16);
}

function logLogPlot(ctx: CanvasRenderingContext2D, b: Rect, d: Distribution, fit: Distribution | null, xLabel: string, title: string, color: string): void {
  frame(ctx, b, title, xLabel);
  if (d.x.length === 0) {
    ctx.fillStyle = AXIS;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('no avalanches', b.x + b.width / 2, b.y + b.height / 2);
    return;
  }
  const all = distributionValues(d, fit);
  const xr = logRange(all.x);
  const yr = logRange(all.p);
  const X = (v: number) => logPos(v, xr, b.x, b.x + b.width);
  const Y = (v: number) => logPos(v, yr, b.y + b.height, b.y);
  ctx.lineWidth = 1;
  ctx.fillStyle = TEXT;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  for (let k = xr.lo; k <= xr.hi; k++) {
    const x = Math.round(X(10 ** k)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(x, b.y);
    ctx.lineTo(x, b.y + b.height);
    ctx.stroke();
    ctx.fillText(decadeLabel(k), x, b.y + b.height + 4);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yStep = Math.max(1, Math.ceil((yr.hi - yr.lo) / Math.max(2, Math.floor(b.height / 28))));
  for (let k = yr.lo; k <= yr.hi; k += yStep) {
    const y = Math.round(Y(10 ** k)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(b.x, y);
    ctx.lineTo(b.x + b.width, y);
    ctx.stroke();
    ctx.fillText(decadeLabel(k), b.x - 4, y);
  }
  ctx.fillStyle = color;
  for (let i = 0; i < d.x.length; i++) {
    ctx.beginPath();
    ctx.arc(X(d.x[i]), Y(d.p[i]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  if (fit && fit.x.length > 1) {
    ctx.strokeStyle = '#212529';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    fit.x.forEach((x, i) => (i === 0 ? ctx.moveTo(X(x), Y(fit.p[i])) : ctx.lineTo(X(x), Y(fit.p[i]))));
    ctx.stroke();
    ctx.lineWidth = 1;
  }
}

function branchingPlot(ctx: CanvasRenderingContext2D, b: Rect, r: CriticalityReport): void {
  const est = r.branching;
  frame(ctx, b, `Multistep regression r_k${est ? `, fit ${est.b.toFixed(3)}·${est.m.toFixed(4)}^k` : ''}`, `k (bins of ${+r.bin_ms.toPrecision(3)} ms)`);
  if (!est) return;
  const fitLine = branchingFitLine(est.b, est.m, est.k_max);
  const values = [...est.r_k.filter((v): v is number => v !== null), ...fitLine];
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values, 1e-9) * 1.08;
  const X = (k: number) => b.x + ((k - 1) / Math.max(1, est.k_max - 1)) * b.width;
  const Y = (v: number) => b.y + b.height - ((v - lo) / (hi - lo)) * b.height;
  const { ticks, step } = niceTicks(lo, hi, Math.max(2, Math.floor(b.height / 30)));
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks) {
    const y = Math.round(Y(t)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(b.x, y);
    ctx.lineTo(b.x + b.width, y);
    ctx.stroke();
    ctx.fillStyle = TEXT;
    ctx.fillText(formatTick(t, step), b.x - 4, y);
  }
  const kt = niceTicks(1, est.k_max, Math.max(2, Math.floor(b.width / 60)));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const k of kt.ticks) if (k >= 1 && k <= est.k_max) ctx.fillText(formatTick(k, kt.step), X(k), b.y + b.height + 4);
  ctx.fillStyle = SERIES_COLORS[2];
  est.r_k.forEach((v, i) => {
    if (v === null) return;
    ctx.beginPath();
    ctx.arc(X(i + 1), Y(v), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.strokeStyle = '#212529';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  fitLine.forEach((v, i) => (i === 0 ? ctx.moveTo(X(1), Y(v)) : ctx.lineTo(X(i + 1), Y(v))));
  ctx.stroke();
  ctx.lineWidth = 1;
}
