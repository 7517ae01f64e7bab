/**
 * The raster: one row per neuron, one mark per spike, drawn on a canvas (pixels
 * written into an ImageData, never a DOM element per spike). Observed populations
 * stack in bands of their own colour, labelled at the left. Wheel zooms time
 * around the cursor, dragging pans, double-click or the button resets.
 *
 * Redraws happen at most once per animation frame, whenever new spikes arrive,
 * the view changes or the canvas is resized. The canvas carries
 * `data-spike-count`: how many spikes the last frame drew.
 */
import { useCallback, useRef } from 'react';
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import { layoutRows } from './raster-math.ts';
import type { TimeView } from './raster-math.ts';
import { packColor, plotSeries } from './raster-plot.ts';
import { AXIS, FONT, SERIES_COLORS, TEXT, clipText, drawNowLine, drawTimeAxis, prepareCanvas } from './plot-canvas.ts';
import { useTimePlot } from './useTimePlot.ts';
import { usePlotDraw } from './usePlotDraw.ts';

const MARGIN = { left: 120, right: 10, top: 8, bottom: 24 };
const PLOT_BG = '#fbfcfd';

export interface RasterPanelProps {
  readonly record: MonitorRecord | undefined;
  readonly dtMs: number;
  readonly durationMs: number;
  /** Simulated time reached, for the "now" line while running. */
  readonly nowMs: number | null;
  /** Bumps when spikes were appended (buffers are mutated in place). */
  readonly version: number;
}

export function RasterPanel({ record, dtMs, durationMs, nowMs, version }: RasterPanelProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const plot = useTimePlot(canvasRef, durationMs, dtMs, MARGIN.left, MARGIN.right);
  const { size, view } = plot;
  // `version` bumps when the buffers were appended to in place: it is what makes a new draw.
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      canvas.dataset.spikeCount = String(drawRaster(canvas, size, record, dtMs, view, nowMs));
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
        data-testid="raster"
        data-spike-count="0"
        {...plot.handlers}
        aria-label="Spike raster: wheel to zoom time, drag to pan, double-click to reset"
      />
      {plot.zoomed && (
        <button type="button" className="sf-btn sf-plot-reset" data-testid="raster-reset-zoom" onClick={plot.reset} title="Show the whole run">
          Reset zoom
        </button>
      )}
    </div>
  );
}

/** Draw everything; returns the number of spikes drawn. */
function drawRaster(
  canvas: HTMLCanvasElement,
  size: { width: number; height: number },
  record: MonitorRecord | undefined,
  dtMs: number,
  view: TimeView,
  nowMs: number | null,
): number {
  const prepared = prepareCanvas(canvas, size);
  if (!prepared) return 0;
  const { ctx, dpr } = prepared;
  const W = canvas.width;
  const H = canvas.height;
  const px = {
    x: Math.round(MARGIN.left * dpr),
    y: Math.round(MARGIN.top * dpr),
    width: Math.max(1, W - Math.round((MARGIN.left + MARGIN.right) * dpr)),
    height: Math.max(1, H - Math.round((MARGIN.top + MARGIN.bottom) * dpr)),
  };
  const series = record?.series ?? [];
  const { bands, totalRows } = layoutRows(series.map((s) => s.size));

  // Spikes: straight into a pixel buffer the size of the plot area.
  const image = ctx.createImageData(px.width, px.height);
  const pixels = new Uint32Array(image.data.buffer);
  pixels.fill(packColor(PLOT_BG));
  let drawn = 0;
  const rect = { x: 0, y: 0, width: px.width, height: px.height };
  const mark = { width: Math.max(1, Math.round(dpr * 1.5)), maxHeight: Math.round(6 * dpr) };
  series.forEach((s, i) => {
    drawn += plotSeries(pixels, px.width, rect, view, dtMs, bands[i], totalRows, s, packColor(SERIES_COLORS[i % SERIES_COLORS.length]), mark);
  });
  ctx.putImageData(image, px.x, px.y);

  // Axes, labels and guides in CSS pixels.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const plot = { x: MARGIN.left, y: MARGIN.top, width: size.width - MARGIN.left - MARGIN.right, height: size.height - MARGIN.top - MARGIN.bottom };
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.width + 1, plot.height + 1);
  drawNowLine(ctx, plot, view, nowMs);
  drawTimeAxis(ctx, plot, view, size.width);

  // Population bands: a colour key, the name and size, and a separator.
  const rowPx = plot.height / totalRows;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  series.forEach((s, i) => {
    const band = bands[i];
    const top = plot.y + band.offset * rowPx;
    const h = band.size * rowPx;
    ctx.fillStyle = SERIES_COLORS[i % SERIES_COLORS.length];
    ctx.fillRect(plot.x - 5, top, 3, Math.max(1, h));
    const mid = top + h / 2;
    ctx.textAlign = 'right';
    ctx.fillStyle = TEXT;
    const label = clipText(ctx, s.label, MARGIN.left - 14);
    if (h >= 24) {
      ctx.fillText(label, plot.x - 10, mid - 7);
      ctx.fillStyle = AXIS;
      ctx.fillText(`${s.size.toLocaleString('en-US')} n`, plot.x - 10, mid + 7);
    } else {
      ctx.fillText(label, plot.x - 10, mid);
    }
    if (i > 0) {
      ctx.strokeStyle = '#e9ecef';
      const y = Math.round(top - ((band.offset - (bands[i - 1].offset + bands[i - 1].size)) * rowPx) / 2) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.x, y);
      ctx.lineTo(plot.x + plot.width, y);
      ctx.stroke();
    }
  });

  if (series.length === 0) {
    ctx.textAlign = 'center';
    ctx.fillStyle = AXIS;
    ctx.fillText(record ? 'Nothing is wired into this monitor.' : 'No spikes yet: run the network.', plot.x + plot.width / 2, plot.y + plot.height / 2);
  }
  return drawn;
}
