/**
 * Traces over time: a state monitor's variable of chosen neurons, or a rate
 * monitor's population rate. One colour per line, a legend, the value axis
 * fitted to what is visible; the same zoom and pan as the raster.
 */
import { useCallback, useRef } from 'react';
import type { TraceRecord } from '../engine/trace-buffers.ts';
import { formatTick, niceTicks, timeToX } from './raster-math.ts';
import type { TimeView } from './raster-math.ts';
import { AXIS, FONT, GRID, SERIES_COLORS, TEXT, clipText, drawNowLine, drawTimeAxis, prepareCanvas } from './plot-canvas.ts';
import type { Rect } from './plot-canvas.ts';
import { binEdgeTime, columnEnvelope, lineRange, padRange, traceRowTime, visibleRows } from './trace-math.ts';
import type { TraceGeometry } from './trace-math.ts';
import { useTimePlot } from './useTimePlot.ts';
import { usePlotDraw } from './usePlotDraw.ts';

const MARGIN = { left: 64, right: 10, top: 10, bottom: 24 };
/** More lines than this are drawn but not listed in the legend. */
const LEGEND_MAX = 12;

export interface TracePanelProps {
  readonly record: TraceRecord;
  readonly dtMs: number;
  readonly durationMs: number;
  readonly nowMs: number | null;
  readonly version: number;
}

export function TracePanel({ record, dtMs, durationMs, nowMs, version }: TracePanelProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const plot = useTimePlot(canvasRef, durationMs, dtMs, MARGIN.left, MARGIN.right);
  const { size, view } = plot;
  // `version` bumps when the buffers were appended to in place: it is what makes a new draw.
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      canvas.dataset.sampleCount = String(drawTraces(canvas, size, record, dtMs, view, nowMs));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [size, record, dtMs, view, nowMs, version],
  );
  usePlotDraw(canvasRef, size, nowMs !== null, draw);

  return (
    <div className="sf-plot">
      <canvas
        ref={canvasRef}
        className="sf-plot-canvas"
        data-testid={`trace-${record.records}`}
        data-sample-count="0"
        {...plot.handlers}
        aria-label={`${record.quantity} over time: wheel to zoom time, drag to pan, double-click to reset`}
      />
      {plot.zoomed && (
        <button type="button" className="sf-btn sf-plot-reset" onClick={plot.reset} title="Show the whole run">
          Reset zoom
        </button>
      )}
    </div>
  );
}

interface Line {
  readonly values: Float32Array;
  readonly lines: number;
  readonly line: number;
  readonly geometry: TraceGeometry;
  readonly label: string;
  readonly color: string;
}

/** Draw; returns how many samples were visible. */
function drawTraces(canvas: HTMLCanvasElement, size: { width: number; height: number }, record: TraceRecord, dtMs: number, view: TimeView, nowMs: number | null): number {
  const prepared = prepareCanvas(canvas, size);
  if (!prepared) return 0;
  const { ctx, dpr } = prepared;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const plot: Rect = { x: MARGIN.left, y: MARGIN.top, width: size.width - MARGIN.left - MARGIN.right, height: size.height - MARGIN.top - MARGIN.bottom };
  ctx.fillStyle = '#fbfcfd';
  ctx.fillRect(plot.x, plot.y, plot.width, plot.height);

  const lines: Line[] = [];
  for (const s of record.series) {
    const geometry = { startStep: s.startStep, everySteps: s.everySteps, centre: s.centreSteps(s.everySteps), rows: s.rows };
    for (let k = 0; k < s.lines; k++) {
      const name = record.records === 'rate' ? s.label : record.series.length > 1 ? `${s.label} ${s.lineLabels[k]}` : s.lineLabels[k];
      lines.push({ values: s.values, lines: s.lines, line: k, geometry, label: name, color: SERIES_COLORS[lines.length % SERIES_COLORS.length] });
    }
  }

  // Value range over what is visible.
  let lo = Infinity;
  let hi = -Infinity;
  let samples = 0;
  const spans = lines.map((l) => visibleRows(l.geometry, view, dtMs));
  lines.forEach((l, i) => {
    const [r0, r1] = spans[i];
    if (r1 <= r0) return;
    samples += r1 - r0;
    const [a, b] = lineRange(l.values, l.lines, l.line, r0, r1);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  });
  if (record.records === 'rate') lo = Math.min(lo, 0);
  const padded = padRange(lo, hi);
  // Rates are never negative: the axis starts at 0.
  const y0 = record.records === 'rate' ? 0 : padded[0];
  const y1 = record.records === 'rate' && padded[1] <= 0 ? 1 : padded[1];
  const yOf = (v: number) => plot.y + plot.height - ((v - y0) / (y1 - y0)) * plot.height;

  // Value axis with grid.
  ctx.font = FONT;
  ctx.lineWidth = 1;
  const { step, ticks } = niceTicks(y0, y1, Math.max(2, Math.floor(plot.height / 36)));
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks) {
    const y = Math.round(yOf(v)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(plot.x, y);
    ctx.lineTo(plot.x + plot.width, y);
    ctx.stroke();
    ctx.fillStyle = TEXT;
    ctx.fillText(formatTick(v, step), plot.x - 6, y);
  }
  ctx.save();
  ctx.translate(12, plot.y + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillStyle = AXIS;
  ctx.fillText(record.quantity, 0, 0);
  ctx.restore();

  // The lines, clipped to the plot.
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.width, plot.height);
  ctx.clip();
  ctx.lineWidth = 1.25;
  ctx.lineJoin = 'round';
  lines.forEach((l, i) => {
    const [r0, r1] = spans[i];
    if (r1 <= r0) return;
    const x = (r: number) => timeToX(traceRowTime(l.geometry, r, dtMs), view, plot.x, plot.width);
    ctx.strokeStyle = l.color;
    ctx.beginPath();
    if (record.records === 'rate' && r1 - r0 <= plot.width) {
      // A bin's rate holds over the whole bin: draw steps, not a line through bin centres.
      const edge = (r: number) => timeToX(binEdgeTime(l.geometry, r, dtMs), view, plot.x, plot.width);
      for (let r = r0; r < r1; r++) {
        const py = yOf(l.values[r * l.lines + l.line]);
        if (r === r0) ctx.moveTo(edge(r), py);
        else ctx.lineTo(edge(r), py);
        ctx.lineTo(edge(r + 1), py);
      }
    } else if (r1 - r0 <= plot.width * 2) {
      for (let r = r0; r < r1; r++) {
        const px = x(r);
        const py = yOf(l.values[r * l.lines + l.line]);
        if (r === r0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
    } else {
      // Many samples per pixel: draw each column's min–max, joined.
      const width = Math.ceil(plot.width);
      const env = columnEnvelope(l.values, l.lines, l.line, r0, r1, width, (r) => x(r) - plot.x);
      let started = false;
      for (let c = 0; c < width; c++) {
        if (Number.isNaN(env.min[c])) continue;
        const px = plot.x + c + 0.5;
        if (!started) ctx.moveTo(px, yOf(env.min[c]));
        else ctx.lineTo(px, yOf(env.min[c]));
        ctx.lineTo(px, yOf(env.max[c]));
        started = true;
      }
    }
    ctx.stroke();
  });
  ctx.restore();

  ctx.strokeStyle = '#dee2e6';
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.width + 1, plot.height + 1);
  drawNowLine(ctx, plot, view, nowMs);
  drawTimeAxis(ctx, plot, view, size.width);

  // Legend, top right.
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const shown = lines.slice(0, LEGEND_MAX);
  const labels = shown.map((l) => clipText(ctx, l.label, 140));
  const w = Math.max(0, ...labels.map((t) => ctx.measureText(t).width)) + 26;
  if (shown.length > 0) {
    const lx = plot.x + plot.width - w - 6;
    const extra = lines.length > LEGEND_MAX ? 1 : 0;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(lx, plot.y + 4, w, (shown.length + extra) * 14 + 6);
    shown.forEach((l, i) => {
      const y = plot.y + 11 + i * 14;
      ctx.fillStyle = l.color;
      ctx.fillRect(lx + 6, y - 1, 12, 2.5);
      ctx.fillStyle = TEXT;
      ctx.fillText(labels[i], lx + 22, y);
    });
    if (extra) {
      ctx.fillStyle = AXIS;
      ctx.fillText(`+${lines.length - LEGEND_MAX} more`, lx + 22, plot.y + 11 + shown.length * 14);
    }
  }
  if (samples === 0) {
    ctx.textAlign = 'center';
    ctx.fillStyle = AXIS;
    ctx.fillText(record.series.length === 0 ? 'Nothing is wired into this monitor.' : 'No samples in view.', plot.x + plot.width / 2, plot.y + plot.height / 2);
  }
  return samples;
}
