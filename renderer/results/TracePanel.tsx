/**
 * Traces over time: a state monitor's variable of chosen neurons, or a rate
 * monitor's population rate. One colour per line, a legend, the value axis
 * fitted to what is visible; the same zoom and pan as the raster. Several
 * neurons are overlaid on one axis or stacked in lanes of their own (a toggle),
 * and a membrane-potential trace shows its population's threshold as a dashed line.
 */
import { useCallback, useRef, useState } from 'react';
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
  const [stacked, setStacked] = useState(false);
  // A kept window is what the axis shows (it follows the run while live).
  const keep = record.keep;
  const domain = keep?.mode === 'window' ? windowDomain(keep.windowSteps * dtMs, nowMs ?? durationMs, durationMs) : undefined;
  const plot = useTimePlot(canvasRef, durationMs, dtMs, MARGIN.left, MARGIN.right, { domain });
  const { size, view } = plot;
  const lineCount = record.series.reduce((a, s) => a + s.lines, 0);
  const stack = stacked && record.records === 'state' && lineCount > 1;
  // `version` bumps when the buffers were appended to in place: it is what makes a new draw.
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      const out = drawTraces(canvas, size, record, dtMs, view, nowMs, stack);
      canvas.dataset.sampleCount = String(out.samples);
      canvas.dataset.lanes = String(out.lanes);
      canvas.dataset.thresholdMv = out.thresholds.join(',');
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [size, record, dtMs, view, nowMs, version, stack],
  );
  usePlotDraw(canvasRef, size, nowMs !== null, draw);

  return (
    <div className="sf-plot sf-plot-col">
      {record.records === 'state' && lineCount > 1 && (
        <div className="sf-plot-tools" role="toolbar" aria-label="Trace layout">
          <div className="sf-seg" role="group">
            <button type="button" className={`sf-seg-btn${!stacked ? ' is-active' : ''}`} aria-pressed={!stacked} data-testid="trace-overlay" onClick={() => setStacked(false)}>
              Overlaid
            </button>
            <button type="button" className={`sf-seg-btn${stacked ? ' is-active' : ''}`} aria-pressed={stacked} data-testid="trace-stack" onClick={() => setStacked(true)}>
              Stacked
            </button>
          </div>
        </div>
      )}
      <div className="sf-plot-area">
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
  readonly thresholdMv: number | null;
}

/** The window [end − window, end] inside the run, at least `windowMs` long once the run is. */
function windowDomain(windowMs: number, endMs: number, durationMs: number): TimeView {
  const t1 = Math.min(Math.max(durationMs, 1e-3), Math.max(endMs, windowMs));
  return { t0Ms: Math.max(0, t1 - windowMs), t1Ms: t1 };
}

const THRESHOLD_COLOR = '#c92a2a';

/** Draw; returns how many samples were visible, the lanes drawn and the threshold levels shown. */
function drawTraces(
  canvas: HTMLCanvasElement,
  size: { width: number; height: number },
  record: TraceRecord,
  dtMs: number,
  view: TimeView,
  nowMs: number | null,
  stacked: boolean,
): { samples: number; lanes: number; thresholds: number[] } {
  const prepared = prepareCanvas(canvas, size);
  if (!prepared) return { samples: 0, lanes: 0, thresholds: [] };
  const { ctx, dpr } = prepared;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const plot: Rect = { x: MARGIN.left, y: MARGIN.top, width: size.width - MARGIN.left - MARGIN.right, height: size.height - MARGIN.top - MARGIN.bottom };

  const lines: Line[] = [];
  for (const s of record.series) {
    const geometry = { startStep: s.startStep, everySteps: s.everySteps, centre: s.centreSteps(s.everySteps), rows: s.rows };
    for (let k = 0; k < s.lines; k++) {
      const name = record.records === 'rate' ? s.label : record.series.length > 1 ? `${s.label} ${s.lineLabels[k]}` : s.lineLabels[k];
      lines.push({ values: s.values, lines: s.lines, line: k, geometry, label: name, color: SERIES_COLORS[lines.length % SERIES_COLORS.length], thresholdMv: s.thresholdMv ?? null });
    }
  }
  const spans = lines.map((l) => visibleRows(l.geometry, view, dtMs));
  let samples = 0;
  spans.forEach(([r0, r1]) => {
    if (r1 > r0) samples += r1 - r0;
  });

  // Lanes: all lines on one axis, or one lane per line.
  const GAP = 6;
  const laneLines = stacked ? lines.map((l) => [l]) : [lines];
  const laneH = stacked ? (plot.height - GAP * (laneLines.length - 1)) / laneLines.length : plot.height;
  const shownThresholds = new Set<number>();
  ctx.font = FONT;
  laneLines.forEach((group, li) => {
    const lane: Rect = { x: plot.x, y: plot.y + li * (laneH + GAP), width: plot.width, height: laneH };
    ctx.fillStyle = '#fbfcfd';
    ctx.fillRect(lane.x, lane.y, lane.width, lane.height);
    // Value range over what is visible, and the thresholds of these lines.
    let lo = Infinity;
    let hi = -Infinity;
    const thresholds = [...new Set(group.map((l) => l.thresholdMv).filter((t): t is number => t !== null))];
    for (const l of group) {
      const [r0, r1] = spans[lines.indexOf(l)];
      if (r1 <= r0) continue;
      const [a, b] = lineRange(l.values, l.lines, l.line, r0, r1);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    // The threshold stays in view: the point of drawing it is to compare.
    if (lo <= hi)
      for (const t of thresholds) {
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
    if (record.records === 'rate') lo = Math.min(lo, 0);
    const padded = padRange(lo, hi);
    // Rates are never negative: the axis starts at 0.
    const y0 = record.records === 'rate' ? 0 : padded[0];
    const y1 = record.records === 'rate' && padded[1] <= 0 ? 1 : padded[1];
    const yOf = (v: number) => lane.y + lane.height - ((v - y0) / (y1 - y0)) * lane.height;

    // Value axis with grid.
    ctx.lineWidth = 1;
    const { step, ticks } = niceTicks(y0, y1, Math.max(stacked ? 1 : 2, Math.floor(lane.height / 36)));
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of ticks) {
      const y = Math.round(yOf(v)) + 0.5;
      ctx.strokeStyle = GRID;
      ctx.beginPath();
      ctx.moveTo(lane.x, y);
      ctx.lineTo(lane.x + lane.width, y);
      ctx.stroke();
      ctx.fillStyle = TEXT;
      ctx.fillText(formatTick(v, step), lane.x - 6, y);
    }

    ctx.save();
    ctx.beginPath();
    ctx.rect(lane.x, lane.y, lane.width, lane.height);
    ctx.clip();
    for (const t of thresholds) {
      if (lo > hi) break;
      const y = Math.round(yOf(t)) + 0.5;
      ctx.strokeStyle = THRESHOLD_COLOR;
      ctx.lineWidth = 1;
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(lane.x, y);
      ctx.lineTo(lane.x + lane.width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = THRESHOLD_COLOR;
      ctx.textAlign = 'left';
      // Above the line, or under it when the line is at the top of the lane.
      const above = y - lane.y > 16;
      ctx.textBaseline = above ? 'bottom' : 'top';
      ctx.fillText(`threshold ${formatTick(t, 1)} mV`, lane.x + 6, above ? y - 2 : y + 2);
      shownThresholds.add(t);
    }
    ctx.lineWidth = 1.25;
    ctx.lineJoin = 'round';
    for (const l of group) {
      const [r0, r1] = spans[lines.indexOf(l)];
      if (r1 <= r0) continue;
      drawLine(ctx, l, r0, r1, lane, view, dtMs, yOf, record.records === 'rate');
    }
    ctx.restore();
    ctx.strokeStyle = '#dee2e6';
    ctx.lineWidth = 1;
    ctx.strokeRect(lane.x - 0.5, lane.y - 0.5, lane.width + 1, lane.height + 1);
    if (stacked) {
      ctx.font = FONT;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      const text = clipText(ctx, group[0].label, 160);
      const tw = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(lane.x + lane.width - tw - 10, lane.y + 1, tw + 8, 14);
      ctx.fillStyle = group[0].color;
      ctx.fillText(text, lane.x + lane.width - 6, lane.y + 3);
    }
    drawNowLine(ctx, lane, view, nowMs);
  });

  ctx.save();
  ctx.translate(12, plot.y + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = AXIS;
  ctx.fillText(record.quantity, 0, 0);
  ctx.restore();
  drawTimeAxis(ctx, plot, view, size.width);

  // Legend, top right (overlaid lines only: a stacked lane names its line).
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const shown = stacked ? [] : lines.slice(0, LEGEND_MAX);
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
  return { samples, lanes: laneLines.length, thresholds: [...shownThresholds] };
}

/** One line over rows [r0, r1): steps for rate bins, a polyline, or a per-column min–max envelope. */
function drawLine(ctx: CanvasRenderingContext2D, l: Line, r0: number, r1: number, lane: Rect, view: TimeView, dtMs: number, yOf: (v: number) => number, isRate: boolean): void {
  const x = (r: number) => timeToX(traceRowTime(l.geometry, r, dtMs), view, lane.x, lane.width);
  ctx.strokeStyle = l.color;
  ctx.beginPath();
  if (isRate && r1 - r0 <= lane.width) {
    // A bin's rate holds over the whole bin: draw steps, not a line through bin centres.
    const edge = (r: number) => timeToX(binEdgeTime(l.geometry, r, dtMs), view, lane.x, lane.width);
    for (let r = r0; r < r1; r++) {
      const py = yOf(l.values[r * l.lines + l.line]);
      if (r === r0) ctx.moveTo(edge(r), py);
      else ctx.lineTo(edge(r), py);
      ctx.lineTo(edge(r + 1), py);
    }
  } else if (r1 - r0 <= lane.width * 2) {
    for (let r = r0; r < r1; r++) {
      const px = x(r);
      const py = yOf(l.values[r * l.lines + l.line]);
      if (r === r0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
  } else {
    // Many samples per pixel: draw each column's min–max, joined.
    const width = Math.ceil(lane.width);
    const env = columnEnvelope(l.values, l.lines, l.line, r0, r1, width, (r) => x(r) - lane.x);
    let started = false;
    for (let c = 0; c < width; c++) {
      if (Number.isNaN(env.min[c])) continue;
      const px = lane.x + c + 0.5;
      if (!started) ctx.moveTo(px, yOf(env.min[c]));
      else ctx.lineTo(px, yOf(env.min[c]));
      ctx.lineTo(px, yOf(env.max[c]));
      started = true;
    }
  }
  ctx.stroke();
}
