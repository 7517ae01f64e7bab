/**
 * The raster: one row per neuron, one mark per spike, drawn on a canvas (pixels
 * written into an ImageData, never a DOM element per spike). Observed populations
 * stack in bands of their own colour, labelled at the left.
 *
 * Gestures: wheel zooms time around the cursor, Shift+wheel zooms the neuron axis,
 * dragging pans both, double-click or the button resets. Hovering shows the nearest
 * spike (population, neuron, time); clicking pins it and offers to trace that
 * neuron. Under the raster, a population-rate strip with a bin-width slider; a view
 * switch shows the ISI and CV histograms instead.
 *
 * Redraws happen at most once per animation frame, whenever new spikes arrive,
 * the view changes or the canvas is resized. The canvas carries
 * `data-spike-count` (spikes the last frame drew) and `data-draw-ms` (how long
 * that draw took).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import { formatTick, layoutRows, niceTicks, timeToX } from './raster-math.ts';
import type { RowBand, RowView, TimeView } from './raster-math.ts';
import { packColor, plotSeries } from './raster-plot.ts';
import { nearestSpike } from './raster-hit.ts';
import type { SpikeHit } from './raster-hit.ts';
import { RATE_BINS_MS, StepCounts, binStepsOf, countsToHz } from './rate-math.ts';
import { AXIS, FONT, GRID, SERIES_COLORS, TEXT, clipText, drawNowLine, drawTimeAxis, prepareCanvas } from './plot-canvas.ts';
import type { Rect } from './plot-canvas.ts';
import { useTimePlot } from './useTimePlot.ts';
import { usePlotDraw } from './usePlotDraw.ts';
import { IsiPanel } from './IsiPanel.tsx';
import { CriticalityPanel } from './CriticalityPanel.tsx';
import type { CriticalityReport } from '../../engine/analysis/criticality.ts';
import { RASTER_MARGIN, RATE_STRIP_GAP, rasterBottom, rateStripHeight } from './raster-layout.ts';
import { fmtInt, fmtMs, fmtSimTime } from './run-format.ts';

const MARGIN = RASTER_MARGIN;
const RATE_GAP = RATE_STRIP_GAP;
const PLOT_BG = '#fbfcfd';
const DEFAULT_BIN_INDEX = RATE_BINS_MS.indexOf(5);

export interface RasterPanelProps {
  readonly record: MonitorRecord | undefined;
  readonly dtMs: number;
  readonly durationMs: number;
  /** Simulated time reached, for the "now" line while running. */
  readonly nowMs: number | null;
  /** Bumps when spikes were appended (buffers are mutated in place). */
  readonly version: number;
  /** Record this neuron's trace (a state monitor on its population); absent: no button. */
  readonly onTraceNeuron?: (populationId: string, neuron: number) => void;
  /** What an empty plot says instead of the default (e.g. the monitor was wired since the run). */
  readonly emptyText?: string;
  /** The monitor's criticality analysis of the last run, when it asked for one (a third view). */
  readonly criticality?: CriticalityReport;
}

type View = 'raster' | 'isi' | 'criticality';

export function RasterPanel({ record, dtMs, durationMs, nowMs, version, onTraceNeuron, emptyText, criticality }: RasterPanelProps) {
  const [view, setView] = useState<View>('raster');
  const [showRate, setShowRate] = useState(true);
  const [binIndex, setBinIndex] = useState(DEFAULT_BIN_INDEX);
  const binMs = RATE_BINS_MS[binIndex];
  return (
    <div className="sf-plot sf-plot-col">
      <div className="sf-plot-tools" role="toolbar" aria-label="Raster view">
        <div className="sf-seg" role="group">
          <button type="button" className={`sf-seg-btn${view === 'raster' ? ' is-active' : ''}`} aria-pressed={view === 'raster'} data-testid="raster-view-raster" onClick={() => setView('raster')}>
            Raster
          </button>
          <button
            type="button"
            className={`sf-seg-btn${view === 'isi' ? ' is-active' : ''}`}
            aria-pressed={view === 'isi'}
            data-testid="raster-view-isi"
            onClick={() => setView('isi')}
            title="Inter-spike intervals and their coefficient of variation, per population"
          >
            ISI / CV
          </button>
          {criticality && (
            <button
              type="button"
              className={`sf-seg-btn${view === 'criticality' ? ' is-active' : ''}`}
              aria-pressed={view === 'criticality'}
              data-testid="raster-view-criticality"
              onClick={() => setView('criticality')}
              title="Avalanche size and duration distributions with their power-law fits, and the branching ratio (the monitor's Criticality analysis of the last run)"
            >
              Criticality
            </button>
          )}
        </div>
        {view === 'raster' && (
          <>
            <label className="sf-plot-tool" title="A population-rate strip under the raster">
              <input type="checkbox" checked={showRate} data-testid="raster-rate-toggle" onChange={(e) => setShowRate(e.target.checked)} /> rate
            </label>
            {showRate && (
              <label className="sf-plot-tool" title="Bin width of the population rate">
                bin
                <input
                  type="range"
                  min={0}
                  max={RATE_BINS_MS.length - 1}
                  step={1}
                  value={binIndex}
                  data-testid="rate-bin"
                  aria-label="Rate bin width"
                  aria-valuetext={`${binMs} ms`}
                  onChange={(e) => setBinIndex(Number(e.target.value))}
                />
                <span className="sf-plot-tool-value" data-testid="rate-bin-ms">
                  {fmtMs(binMs)}
                </span>
              </label>
            )}
          </>
        )}
      </div>
      {view === 'raster' ? (
        <RasterCanvas record={record} dtMs={dtMs} durationMs={durationMs} nowMs={nowMs} version={version} onTraceNeuron={onTraceNeuron} emptyText={emptyText} rateBinMs={showRate ? binMs : null} />
      ) : view === 'criticality' && criticality ? (
        <div className="sf-plot-area">
          <CriticalityPanel report={criticality} version={version} />
        </div>
      ) : (
        <div className="sf-plot-area">
          <IsiPanel record={record} dtMs={dtMs} live={nowMs !== null} version={version} />
        </div>
      )}
    </div>
  );
}

interface Readout {
  readonly hit: SpikeHit;
  /** Canvas CSS px of the spike, to place the tooltip. */
  readonly x: number;
  readonly y: number;
}

function RasterCanvas({ record, dtMs, durationMs, nowMs, version, onTraceNeuron, emptyText, rateBinMs }: RasterPanelProps & { rateBinMs: number | null }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const series = useMemo(() => record?.series ?? [], [record]);
  const sizesKey = series.map((s) => s.size).join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { bands, totalRows } = useMemo(() => layoutRows(series.map((s) => s.size)), [sizesKey]);
  const withRate = rateBinMs !== null;
  const marginBottom = useCallback((h: number) => rasterBottom(h, withRate), [withRate]);
  // A monitor that keeps a window shows that window (it follows the run while live).
  const keep = record?.keep;
  const domain = useMemo((): TimeView | undefined => {
    if (!keep || keep.mode !== 'window') return undefined;
    const windowMs = keep.windowSteps * dtMs;
    const endMs = nowMs ?? durationMs;
    const t1 = Math.min(Math.max(durationMs, 1e-3), Math.max(endMs, windowMs));
    return { t0Ms: Math.max(0, t1 - windowMs), t1Ms: t1 };
  }, [keep, dtMs, nowMs, durationMs]);
  const [pinned, setPinned] = useState<Readout | null>(null);
  const [hover, setHover] = useState<Readout | null>(null);
  const geometry = useRef<{ view: TimeView; rows: RowView; plot: Rect }>(null);

  const hitAt = useCallback(
    (x: number, y: number): Readout | null => {
      const g = geometry.current;
      if (!g || x < g.plot.x || x > g.plot.x + g.plot.width || y < g.plot.y || y > g.plot.y + g.plot.height) return null;
      const hit = nearestSpike(series, bands, { x: x - g.plot.x, y: y - g.plot.y, width: g.plot.width, height: g.plot.height, view: g.view, rows: g.rows, dtMs, radiusPx: 10 });
      if (!hit) return null;
      const rowPx = g.plot.height / (g.rows.r1 - g.rows.r0);
      return {
        hit,
        x: timeToX(hit.tMs, g.view, g.plot.x, g.plot.width),
        y: g.plot.y + (bands[hit.series].offset + hit.neuron + 0.5 - g.rows.r0) * rowPx,
      };
    },
    [series, bands, dtMs],
  );
  const onClick = useCallback((x: number, y: number) => setPinned(hitAt(x, y)), [hitAt]);
  const plot = useTimePlot(canvasRef, durationMs, dtMs, MARGIN.left, MARGIN.right, {
    domain,
    rows: { total: totalRows, marginTop: MARGIN.top, marginBottom },
    onClick,
  });
  const { size, view: timeView, rowView } = plot;
  // A new run (other populations, or buffers reset) drops a pinned readout.
  const [lastRecord, setLastRecord] = useState(record);
  if (lastRecord !== record) {
    setLastRecord(record);
    setPinned(null);
    setHover(null);
  }

  // `version` bumps when the buffers were appended to in place: it is what makes a new draw.
  const draw = useCallback(
    (canvas: HTMLCanvasElement) => {
      const t0 = performance.now();
      const out = drawRaster(canvas, size, record, bands, totalRows, dtMs, timeView, rowView, nowMs, rateBinMs, emptyText);
      canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
      canvas.dataset.spikeCount = String(out.drawn);
      canvas.dataset.rowsShown = `${Math.round(rowView.r0)}-${Math.round(rowView.r1)}`;
      canvas.dataset.timeShown = `${timeView.t0Ms.toFixed(3)}-${timeView.t1Ms.toFixed(3)}`;
      geometry.current = { view: timeView, rows: rowView, plot: out.plot };
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [size, record, bands, totalRows, dtMs, timeView, rowView, nowMs, rateBinMs, version, emptyText],
  );
  usePlotDraw(canvasRef, size, nowMs !== null, draw);

  // Hover: at most one nearest-spike search per animation frame.
  const hoverFrame = useRef(0);
  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    plot.handlers.onPointerMove(e);
    if (e.buttons !== 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    cancelAnimationFrame(hoverFrame.current);
    hoverFrame.current = requestAnimationFrame(() => setHover(hitAt(x, y)));
  };
  useEffect(() => () => cancelAnimationFrame(hoverFrame.current), []);
  // The pinned spike stays where it is on screen only while the view does not move.
  const [lastViews, setLastViews] = useState({ timeView, rowView });
  if (lastViews.timeView !== timeView || lastViews.rowView !== rowView) {
    setLastViews({ timeView, rowView });
    if (pinned) setPinned(null);
  }

  const shown = pinned ?? hover;
  const pop = shown ? series[shown.hit.series] : undefined;
  return (
    <div className="sf-plot-area">
      <canvas
        ref={canvasRef}
        className="sf-plot-canvas"
        data-testid="raster"
        data-spike-count="0"
        {...plot.handlers}
        onPointerMove={onPointerMove}
        onPointerLeave={() => {
          cancelAnimationFrame(hoverFrame.current);
          setHover(null);
        }}
        aria-label="Spike raster: wheel to zoom time, Shift+wheel to zoom neurons, drag to pan, double-click to reset, click a spike to trace its neuron"
      />
      {shown && pop && (
        <div
          className={`sf-plot-readout${pinned ? ' is-pinned' : ''}`}
          data-testid="raster-readout"
          data-population={pop.nodeId}
          data-neuron={shown.hit.neuron}
          style={{ left: Math.min(shown.x + 12, Math.max(0, size.width - 190)), top: Math.max(4, shown.y - 34) }}
        >
          <span className="sf-readout-swatch" style={{ background: SERIES_COLORS[shown.hit.series % SERIES_COLORS.length] }} />
          <span>
            <b>{pop.label}</b> · neuron {shown.hit.neuron} · t = {fmtSimTime(shown.hit.tMs, dtMs)} ms
          </span>
          {pinned && onTraceNeuron && (
            <button
              type="button"
              className="sf-btn sf-readout-btn"
              data-testid="raster-trace-neuron"
              title="Record this neuron's membrane potential with a state monitor and run again"
              onClick={() => {
                onTraceNeuron(pop.nodeId, pinned.hit.neuron);
                setPinned(null);
              }}
            >
              Trace neuron {pinned.hit.neuron}
            </button>
          )}
        </div>
      )}
      {plot.zoomed && (
        <button type="button" className="sf-btn sf-plot-reset" data-testid="raster-reset-zoom" onClick={plot.reset} title="Show the whole run and every neuron">
          Reset zoom
        </button>
      )}
    </div>
  );
}

/** The raster's pixels as last drawn, per canvas, and what they hold. */
interface PixelCache {
  readonly key: string;
  readonly record: MonitorRecord | undefined;
  readonly bands: readonly RowBand[];
  readonly evicted: number;
  readonly image: ImageData;
  readonly pixels: Uint32Array;
  /** Per series: spikes already plotted, and how many of them were in view. */
  readonly done: number[];
  readonly drawn: number[];
}
const pixelCache = new WeakMap<HTMLCanvasElement, PixelCache>();
/** Per-step spike counts per series, for the rate strip (rebuilt when a window dropped spikes). */
const stepCounts = new WeakMap<object, { counts: StepCounts; evicted: number }>();

/** Draw everything; returns the number of spikes drawn and the plot area (CSS px). */
function drawRaster(
  canvas: HTMLCanvasElement,
  size: { width: number; height: number },
  record: MonitorRecord | undefined,
  bands: readonly RowBand[],
  totalRows: number,
  dtMs: number,
  view: TimeView,
  rows: RowView,
  nowMs: number | null,
  rateBinMs: number | null,
  emptyText?: string,
): { drawn: number; plot: Rect } {
  const bottom = rasterBottom(size.height, rateBinMs !== null);
  const plot: Rect = { x: MARGIN.left, y: MARGIN.top, width: size.width - MARGIN.left - MARGIN.right, height: Math.max(1, size.height - MARGIN.top - bottom) };
  const prepared = prepareCanvas(canvas, size);
  if (!prepared) return { drawn: 0, plot };
  const { ctx, dpr } = prepared;
  const px = {
    x: Math.round(plot.x * dpr),
    y: Math.round(plot.y * dpr),
    width: Math.max(1, Math.round(plot.width * dpr)),
    height: Math.max(1, Math.round(plot.height * dpr)),
  };
  const series = record?.series ?? [];

  // Spikes: straight into a pixel buffer the size of the plot area. While the view
  // stays the same, the pixels are kept and only spikes that arrived since are
  // plotted (a live run costs its new spikes per frame, not all of them).
  const mark = { width: Math.max(1, Math.round(dpr * 1.5)), maxHeight: Math.round(6 * dpr) };
  const key = `${px.width}x${px.height}|${view.t0Ms}|${view.t1Ms}|${rows.r0}|${rows.r1}|${dtMs}|${dpr}`;
  let cache = pixelCache.get(canvas);
  const evicted = record?.evicted ?? 0;
  const reusable = cache && cache.key === key && cache.record === record && cache.bands === bands && cache.evicted === evicted && series.every((s, i) => s.count >= cache!.done[i]);
  if (!cache || !reusable) {
    const image = cache && cache.image.width === px.width && cache.image.height === px.height ? cache.image : ctx.createImageData(px.width, px.height);
    cache = { key, record, bands, evicted, image, pixels: new Uint32Array(image.data.buffer), done: series.map(() => 0), drawn: series.map(() => 0) };
    cache.pixels.fill(packColor(PLOT_BG));
    pixelCache.set(canvas, cache);
    // How often the pixels were rebuilt from all spikes (the UI benchmark reads it).
    canvas.dataset.fullDraws = String(Number(canvas.dataset.fullDraws ?? 0) + 1);
  }
  const c = cache;
  const rect = { x: 0, y: 0, width: px.width, height: px.height };
  let drawn = 0;
  series.forEach((s, i) => {
    c.drawn[i] += plotSeries(c.pixels, px.width, rect, view, dtMs, bands[i], rows, s, packColor(SERIES_COLORS[i % SERIES_COLORS.length]), mark, c.done[i]);
    c.done[i] = s.count;
    drawn += c.drawn[i];
  });
  const image = c.image;
  ctx.putImageData(image, px.x, px.y);

  // Axes, labels and guides in CSS pixels.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.width + 1, plot.height + 1);
  drawNowLine(ctx, plot, view, nowMs);
  if (rateBinMs !== null) {
    const strip: Rect = { x: plot.x, y: plot.y + plot.height + RATE_GAP, width: plot.width, height: rateStripHeight(size.height) };
    drawRateStrip(ctx, strip, record, view, dtMs, rateBinMs);
    drawNowLine(ctx, strip, view, nowMs);
    drawTimeAxis(ctx, strip, view, size.width);
  } else {
    drawTimeAxis(ctx, plot, view, size.width);
  }
  drawRowAxis(ctx, plot, series, bands, totalRows, rows);

  if (series.length === 0) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = AXIS;
    const text = emptyText ?? (record ? 'Nothing is wired into this monitor.' : 'No spikes yet: run the network.');
    ctx.fillText(text, plot.x + plot.width / 2, plot.y + plot.height / 2);
    canvas.dataset.empty = text;
  } else {
    delete canvas.dataset.empty;
  }
  return { drawn, plot };
}

/**
 * The neuron axis: per population a colour key, its name and size at the visible
 * part of its band, a separator between bands; when zoomed in on the rows, neuron
 * index ticks too.
 */
function drawRowAxis(ctx: CanvasRenderingContext2D, plot: Rect, series: MonitorRecord['series'], bands: readonly RowBand[], totalRows: number, rows: RowView): void {
  const rowPx = plot.height / (rows.r1 - rows.r0);
  const zoomed = rows.r0 > 0 || rows.r1 < totalRows;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, plot.y - 1, plot.x + plot.width + 1, plot.height + 2);
  ctx.clip();
  series.forEach((s, i) => {
    const band = bands[i];
    const lo = Math.max(band.offset, rows.r0);
    const hi = Math.min(band.offset + band.size, rows.r1);
    if (hi > lo) {
      const top = plot.y + (lo - rows.r0) * rowPx;
      const h = (hi - lo) * rowPx;
      const color = SERIES_COLORS[i % SERIES_COLORS.length];
      ctx.fillStyle = color;
      ctx.fillRect(plot.x - 5, top, 3, Math.max(1, h));
      const mid = top + h / 2;
      if (zoomed) {
        // Name at the left edge, neuron indices next to the plot.
        const nLo = lo - band.offset;
        const nHi = hi - band.offset;
        const { step, ticks } = niceTicks(nLo, nHi, Math.max(1, Math.floor(h / 28)));
        ctx.textAlign = 'right';
        ctx.fillStyle = AXIS;
        let widest = 0;
        for (const t of ticks) {
          if (!Number.isInteger(t) || t < nLo || t >= nHi) continue;
          const y = plot.y + (band.offset + t + 0.5 - rows.r0) * rowPx;
          const text = formatTick(t, Math.max(1, step));
          widest = Math.max(widest, ctx.measureText(text).width);
          ctx.fillText(text, plot.x - 9, y);
          ctx.fillRect(plot.x - 8, Math.round(y), 3, 1);
        }
        ctx.textAlign = 'left';
        ctx.fillStyle = color;
        ctx.fillText(clipText(ctx, s.label, Math.max(20, MARGIN.left - widest - 22)), 4, mid);
      } else {
        ctx.textAlign = 'right';
        ctx.fillStyle = TEXT;
        const label = clipText(ctx, s.label, MARGIN.left - 14);
        if (h >= 24) {
          ctx.fillText(label, plot.x - 10, mid - 7);
          ctx.fillStyle = AXIS;
          ctx.fillText(`${fmtInt(s.size)} n`, plot.x - 10, mid + 7);
        } else {
          ctx.fillText(label, plot.x - 10, mid);
        }
      }
    }
    if (i > 0) {
      const prevEnd = bands[i - 1].offset + bands[i - 1].size;
      const gapMid = (prevEnd + band.offset) / 2;
      if (gapMid > rows.r0 && gapMid < rows.r1) {
        ctx.strokeStyle = '#e9ecef';
        const y = Math.round(plot.y + (gapMid - rows.r0) * rowPx) + 0.5;
        ctx.beginPath();
        ctx.moveTo(plot.x, y);
        ctx.lineTo(plot.x + plot.width, y);
        ctx.stroke();
      }
    }
  });
  ctx.restore();
}

/** The population rate of every series in bins of `binMs`, as steps, over the visible time. */
function drawRateStrip(ctx: CanvasRenderingContext2D, strip: Rect, record: MonitorRecord | undefined, view: TimeView, dtMs: number, binMs: number): void {
  ctx.fillStyle = PLOT_BG;
  ctx.fillRect(strip.x, strip.y, strip.width, strip.height);
  ctx.strokeStyle = '#dee2e6';
  ctx.lineWidth = 1;
  ctx.strokeRect(strip.x - 0.5, strip.y - 0.5, strip.width + 1, strip.height + 1);
  const series = record?.series ?? [];
  const binSteps = binStepsOf(binMs, dtMs);
  const firstStep = Math.max(0, Math.floor(view.t0Ms / dtMs / binSteps) * binSteps);
  const bins = Math.max(0, Math.ceil((view.t1Ms / dtMs - firstStep) / binSteps));
  const evicted = record?.evicted ?? 0;
  const rates = series.map((s) => {
    let c = stepCounts.get(s);
    if (!c || c.evicted !== evicted) {
      c = { counts: new StepCounts(), evicted };
      stepCounts.set(s, c);
    }
    c.counts.update(s.step, s.count);
    return countsToHz(c.counts.bins(firstStep, binSteps, bins), s.size, binSteps, dtMs);
  });
  let max = 0;
  for (const r of rates) for (let b = 0; b < r.length; b++) if (r[b] > max) max = r[b];
  const { step: tickStep } = niceTicks(0, max > 0 ? max : 1, 2);
  // The strip ends at the first tick step above the highest bin.
  const top = Math.max(tickStep, Math.ceil((max * 1.02) / tickStep) * tickStep) || 1;
  const ticks = [0, top];
  const yOf = (v: number) => strip.y + strip.height - (v / top) * strip.height;
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks) {
    const y = Math.round(yOf(t)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(strip.x, y);
    ctx.lineTo(strip.x + strip.width, y);
    ctx.stroke();
    ctx.fillStyle = TEXT;
    ctx.fillText(String(t), strip.x - 6, Math.min(strip.y + strip.height - 5, Math.max(strip.y + 5, y)));
  }
  ctx.fillStyle = AXIS;
  ctx.textAlign = 'left';
  ctx.fillText('rate (Hz)', 6, strip.y + strip.height / 2);

  ctx.save();
  ctx.beginPath();
  ctx.rect(strip.x, strip.y, strip.width, strip.height);
  ctx.clip();
  ctx.lineWidth = 1.25;
  const xOfStep = (step: number) => timeToX(step * dtMs, view, strip.x, strip.width);
  const width = Math.max(1, Math.ceil(strip.width));
  rates.forEach((r, i) => {
    ctx.strokeStyle = SERIES_COLORS[i % SERIES_COLORS.length];
    ctx.beginPath();
    if (r.length <= width) {
      for (let b = 0; b < r.length; b++) {
        const y = yOf(r[b]);
        const x0 = xOfStep(firstStep + b * binSteps);
        if (b === 0) ctx.moveTo(x0, y);
        else ctx.lineTo(x0, y);
        ctx.lineTo(xOfStep(firstStep + (b + 1) * binSteps), y);
      }
    } else {
      // More bins than pixels: each column's min and max, joined.
      const lo = new Float64Array(width).fill(Infinity);
      const hi = new Float64Array(width).fill(-Infinity);
      for (let b = 0; b < r.length; b++) {
        const c = Math.floor(xOfStep(firstStep + b * binSteps) - strip.x);
        if (c < 0 || c >= width) continue;
        if (r[b] < lo[c]) lo[c] = r[b];
        if (r[b] > hi[c]) hi[c] = r[b];
      }
      let started = false;
      for (let c = 0; c < width; c++) {
        if (lo[c] === Infinity) continue;
        const x = strip.x + c + 0.5;
        if (!started) ctx.moveTo(x, yOf(lo[c]));
        else ctx.lineTo(x, yOf(lo[c]));
        ctx.lineTo(x, yOf(hi[c]));
        started = true;
      }
    }
    ctx.stroke();
  });
  ctx.restore();
}
