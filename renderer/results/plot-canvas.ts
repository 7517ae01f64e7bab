/**
 * Canvas drawing shared by the result panels: sizing the backing store for the
 * device pixel ratio, and the time axis.
 */
import { formatTick, niceTicks, timeToX } from './raster-math.ts';
import type { TimeView } from './raster-math.ts';

export const AXIS = '#868e96';
export const TEXT = '#495057';
export const GRID = '#eef0f2';
export const FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';

/** Population and line colours, in order (distinct, print-safe). */
export const SERIES_COLORS = ['#3b5bdb', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#e67700', '#5c940d'];

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Size the backing store to CSS size × DPR, clear it, and return the context in device pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement, size: { width: number; height: number }): { ctx: CanvasRenderingContext2D; dpr: number } | null {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(size.width * dpr));
  const H = Math.max(1, Math.round(size.height * dpr));
  if (canvas.width !== W || canvas.height !== H) {
    canvas.width = W;
    canvas.height = H;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  return { ctx, dpr };
}

/** Ticks and labels under `plot` (CSS px), plus the axis name left of the first tick. */
export function drawTimeAxis(ctx: CanvasRenderingContext2D, plot: Rect, view: TimeView, canvasWidth: number, gridTo?: number): void {
  const { step, ticks } = niceTicks(view.t0Ms, view.t1Ms, Math.max(2, Math.floor(plot.width / 90)));
  const axisY = plot.y + plot.height;
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks) {
    const x = Math.round(timeToX(t, view, plot.x, plot.width)) + 0.5;
    if (gridTo !== undefined) {
      ctx.strokeStyle = GRID;
      ctx.beginPath();
      ctx.moveTo(x, gridTo);
      ctx.lineTo(x, axisY);
      ctx.stroke();
    }
    ctx.strokeStyle = AXIS;
    ctx.beginPath();
    ctx.moveTo(x, axisY);
    ctx.lineTo(x, axisY + 4);
    ctx.stroke();
    const text = formatTick(t, step);
    // Keep the end labels inside the canvas.
    const half = ctx.measureText(text).width / 2;
    ctx.fillStyle = TEXT;
    // …and clear of the axis name on the left.
    ctx.fillText(text, Math.max(plot.x - 6 + half, Math.min(x, canvasWidth - 2 - half)), axisY + 6);
  }
  ctx.textAlign = 'right';
  ctx.fillStyle = AXIS;
  ctx.fillText('t (ms)', plot.x - 10, axisY + 6);
}

/** A vertical line at the simulated time reached, while a run goes on. */
export function drawNowLine(ctx: CanvasRenderingContext2D, plot: Rect, view: TimeView, nowMs: number | null): void {
  if (nowMs === null || !(nowMs > view.t0Ms && nowMs < view.t1Ms)) return;
  const x = Math.round(timeToX(nowMs, view, plot.x, plot.width)) + 0.5;
  ctx.strokeStyle = 'rgba(59, 91, 219, 0.45)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x, plot.y);
  ctx.lineTo(x, plot.y + plot.height);
  ctx.stroke();
}

/** Shorten `text` with an ellipsis to fit `maxWidth`. */
export function clipText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > maxWidth) t = t.slice(0, -1);
  return `${t}…`;
}
