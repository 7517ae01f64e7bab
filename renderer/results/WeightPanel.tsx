/**
 * A weight monitor's results: the latest snapshot of a plastic projection's
 * weights as a heatmap (source neuron → columns, target neuron → rows, canvas
 * pixels written through an ImageData), a histogram, and — when the source is
 * an encoder over images — each target's receptive field drawn as an image.
 * Redraws whenever a snapshot arrives (at most once per frame while running).
 *
 * Also here: {@link LearnedWeightsBar}, the commands that keep a finished
 * run's learned weights in the document or in a side file.
 *
 * Canvases carry `data-snapshot-count`, `data-synapses` and `data-field-count`
 * for tests.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { useEditorState, useServices } from '../app/EditorContext.tsx';
import type { WeightRecord } from '../engine/weight-buffers.ts';
import { AXIS, FONT, TEXT, prepareCanvas } from './plot-canvas.ts';
import { colormap, heatmapGrid, histogram, receptiveFields, sourceImageShape, tileGrid, weightRange } from './weight-math.ts';
import { projectionOwners, sideFileNameFor, storeWeights, weightsFileText } from '../../engine/format/weights.ts';
import type { GraphDocument } from '../../engine/format/document.ts';

/** At most this many receptive fields are drawn (the first targets). */
const MAX_FIELDS = 100;
const HIST_BINS = 40;

function useElementSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

function useDrawNow(ref: RefObject<HTMLCanvasElement | null>, size: { width: number; height: number }, draw: (c: HTMLCanvasElement) => void): void {
  useLayoutEffect(() => {
    const c = ref.current;
    if (c && size.width > 0 && size.height > 0) draw(c);
  }, [ref, size, draw]);
}

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}

function fmtTime(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(3))} ms`;
}

/** The colour scale: [0, w_max] of the plasticity node when it has one, else the snapshot's range. */
function colourRange(doc: GraphDocument, rec: WeightRecord): { lo: number; hi: number } {
  const wMax = doc.nodes.find((n) => n.id === rec.nodeId)?.params.w_max;
  if (typeof wMax === 'number' && wMax > 0) return { lo: 0, hi: wMax };
  const r = rec.w ? weightRange(rec.w) : { min: 0, max: 1 };
  return { lo: Math.min(0, r.min), hi: r.max > r.min ? r.max : r.min + 1 };
}

function putPixels(ctx: CanvasRenderingContext2D, cols: number, rows: number, rgbAt: (i: number) => [number, number, number] | null, x: number, y: number, w: number, h: number): void {
  const img = new ImageData(cols, rows);
  for (let i = 0; i < cols * rows; i++) {
    const c = rgbAt(i);
    if (!c) continue;
    img.data[4 * i] = c[0];
    img.data[4 * i + 1] = c[1];
    img.data[4 * i + 2] = c[2];
    img.data[4 * i + 3] = 255;
  }
  const tmp = document.createElement('canvas');
  tmp.width = cols;
  tmp.height = rows;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, x, y, w, h);
}

const HEAT_MARGIN = { left: 46, right: 64, top: 10, bottom: 34 };

/** Draw the heatmap; returns the synapses drawn. */
function drawHeatmap(canvas: HTMLCanvasElement, size: { width: number; height: number }, rec: WeightRecord, range: { lo: number; hi: number }): number {
  const prep = prepareCanvas(canvas, size);
  if (!prep || !rec.w || !rec.pre || !rec.post) return 0;
  const { ctx, dpr } = prep;
  ctx.scale(dpr, dpr);
  const plot = { x: HEAT_MARGIN.left, y: HEAT_MARGIN.top, width: size.width - HEAT_MARGIN.left - HEAT_MARGIN.right, height: size.height - HEAT_MARGIN.top - HEAT_MARGIN.bottom };
  if (plot.width < 10 || plot.height < 10) return 0;
  const grid = heatmapGrid(rec.pre, rec.post, rec.w, rec.sourceSize, rec.targetSize, plot.width * dpr, plot.height * dpr);
  ctx.fillStyle = '#f1f3f5';
  ctx.fillRect(plot.x, plot.y, plot.width, plot.height);
  const span = range.hi - range.lo || 1;
  putPixels(ctx, grid.cols, grid.rows, (i) => (Number.isNaN(grid.values[i]) ? null : colormap((grid.values[i] - range.lo) / span)), plot.x, plot.y, plot.width, plot.height);
  ctx.strokeStyle = AXIS;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.width + 1, plot.height + 1);
  ctx.font = FONT;
  ctx.fillStyle = TEXT;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText('0', plot.x, plot.y + plot.height + 4);
  ctx.textAlign = 'right';
  ctx.fillText(String(rec.sourceSize - 1), plot.x + plot.width, plot.y + plot.height + 4);
  ctx.textAlign = 'center';
  ctx.fillStyle = AXIS;
  ctx.fillText('source neuron', plot.x + plot.width / 2, plot.y + plot.height + 18);
  ctx.textAlign = 'right';
  ctx.fillStyle = TEXT;
  ctx.fillText('0', plot.x - 4, plot.y);
  ctx.textBaseline = 'bottom';
  ctx.fillText(String(rec.targetSize - 1), plot.x - 4, plot.y + plot.height);
  ctx.save();
  ctx.translate(12, plot.y + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = AXIS;
  ctx.fillText('target', 0, 0);
  ctx.restore();
  // Colour bar.
  const bar = { x: plot.x + plot.width + 12, y: plot.y, width: 10, height: plot.height };
  for (let py = 0; py < bar.height; py++) {
    const [r, g, b] = colormap(1 - py / Math.max(1, bar.height - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(bar.x, bar.y + py, bar.width, 1);
  }
  ctx.fillStyle = TEXT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(range.hi), bar.x + bar.width + 4, bar.y);
  ctx.textBaseline = 'bottom';
  ctx.fillText(fmt(range.lo), bar.x + bar.width + 4, bar.y + bar.height);
  return rec.w.length;
}

/** Draw the histogram of the latest snapshot over the colour range; returns the weights counted. */
function drawHistogram(canvas: HTMLCanvasElement, size: { width: number; height: number }, rec: WeightRecord, range: { lo: number; hi: number }): number {
  const prep = prepareCanvas(canvas, size);
  if (!prep || !rec.w) return 0;
  const { ctx, dpr } = prep;
  ctx.scale(dpr, dpr);
  const plot = { x: 40, y: 18, width: size.width - 52, height: size.height - 40 };
  if (plot.width < 10 || plot.height < 10) return 0;
  const counts = histogram(rec.w, HIST_BINS, range.lo, range.hi);
  let max = 0;
  let total = 0;
  for (const c of counts) {
    max = Math.max(max, c);
    total += c;
  }
  const bw = plot.width / counts.length;
  counts.forEach((c, b) => {
    if (c === 0) return;
    const h = (c / Math.max(1, max)) * plot.height;
    const [r, g, bl] = colormap((b + 0.5) / counts.length);
    ctx.fillStyle = `rgb(${r},${g},${bl})`;
    ctx.fillRect(plot.x + b * bw + 0.5, plot.y + plot.height - h, Math.max(1, bw - 1), h);
  });
  ctx.strokeStyle = AXIS;
  ctx.beginPath();
  ctx.moveTo(plot.x, plot.y + plot.height + 0.5);
  ctx.lineTo(plot.x + plot.width, plot.y + plot.height + 0.5);
  ctx.stroke();
  ctx.font = FONT;
  ctx.fillStyle = TEXT;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(fmt(range.lo), plot.x, plot.y + plot.height + 4);
  ctx.textAlign = 'right';
  ctx.fillText(fmt(range.hi), plot.x + plot.width, plot.y + plot.height + 4);
  ctx.textAlign = 'center';
  ctx.fillStyle = AXIS;
  ctx.fillText('weight', plot.x + plot.width / 2, plot.y + plot.height + 4);
  ctx.textAlign = 'left';
  ctx.fillText(`synapses per bin (max ${max})`, plot.x, 2);
  return total;
}

/** Draw up to MAX_FIELDS receptive fields as width × height images; returns how many. */
function drawFields(canvas: HTMLCanvasElement, size: { width: number; height: number }, rec: WeightRecord, shape: { width: number; height: number }, range: { lo: number; hi: number }): number {
  const prep = prepareCanvas(canvas, size);
  if (!prep || !rec.w || !rec.pre || !rec.post) return 0;
  const { ctx, dpr } = prep;
  ctx.scale(dpr, dpr);
  const n = Math.min(MAX_FIELDS, rec.targetSize);
  const top = 18;
  const box = { width: size.width - 8, height: size.height - top - 4 };
  if (box.width < 10 || box.height < 10 || n === 0) return 0;
  const { cols, rows } = tileGrid(n, box.width / box.height, shape.width / shape.height);
  const gap = 3;
  const scale = Math.max(1, Math.floor(Math.min((box.width - gap * (cols - 1)) / cols / shape.width, (box.height - gap * (rows - 1)) / rows / shape.height)));
  const tw = shape.width * scale;
  const th = shape.height * scale;
  const fields = receptiveFields(rec.pre, rec.post, rec.w, rec.sourceSize, rec.targetSize);
  const span = range.hi - range.lo || 1;
  const len = shape.width * shape.height;
  ctx.font = FONT;
  ctx.fillStyle = AXIS;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`receptive fields (${shape.width}×${shape.height})${rec.targetSize > n ? `, first ${n} of ${rec.targetSize} targets` : ''}`, 4, 2);
  for (let t = 0; t < n; t++) {
    const x = 4 + (t % cols) * (tw + gap);
    const y = top + Math.floor(t / cols) * (th + gap);
    putPixels(ctx, shape.width, shape.height, (i) => colormap((fields[t * len + i] - range.lo) / span), x, y, tw, th);
  }
  return n;
}

export interface WeightPanelProps {
  readonly monitorId: string;
  /** Bumps when snapshots arrive (buffers are mutated in place). */
  readonly version: number;
  readonly live: boolean;
  readonly dtMs: number;
}

export function WeightPanel({ monitorId, version, live, dtMs }: WeightPanelProps) {
  const { runner } = useServices();
  const rec = runner.weights.get(monitorId);
  if (!rec || !rec.w) {
    const text = !rec
      ? 'Run the network to see this weight monitor.'
      : live || rec.snapshots > 0
        ? 'Waiting for the first snapshot…'
        : 'This weight monitor watches nothing: wire the output of a plasticity node (e.g. STDP "post") into it.';
    return (
      <div className="sf-plot" data-testid="weight-panel">
        <p className="sf-muted" style={{ padding: 12 }}>
          {text}
        </p>
      </div>
    );
  }
  // Mounted once there is a snapshot, so its canvases exist when their sizes are first measured.
  return <WeightViews rec={rec} version={version} dtMs={dtMs} />;
}

function WeightViews({ rec, version, dtMs }: { readonly rec: WeightRecord; readonly version: number; readonly dtMs: number }) {
  const doc = useEditorState((s) => s.doc);
  const heatWrap = useRef<HTMLDivElement>(null);
  const histWrap = useRef<HTMLDivElement>(null);
  const fieldWrap = useRef<HTMLDivElement>(null);
  const heatRef = useRef<HTMLCanvasElement>(null);
  const histRef = useRef<HTMLCanvasElement>(null);
  const fieldRef = useRef<HTMLCanvasElement>(null);
  const heatSize = useElementSize(heatWrap);
  const histSize = useElementSize(histWrap);
  const fieldSize = useElementSize(fieldWrap);
  const shape = sourceImageShape(doc, rec.nodeId);
  const range = colourRange(doc, rec);
  const snapshots = rec.snapshots;

  // `version` makes a new draw when snapshots were appended in place.
  const drawHeat = useCallback(
    (c: HTMLCanvasElement) => {
      c.dataset.synapses = String(drawHeatmap(c, heatSize, rec, range));
      c.dataset.snapshotCount = String(snapshots);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rec, heatSize, version, range.lo, range.hi, snapshots],
  );
  const drawHist = useCallback(
    (c: HTMLCanvasElement) => {
      c.dataset.count = String(drawHistogram(c, histSize, rec, range));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rec, histSize, version, range.lo, range.hi],
  );
  const drawField = useCallback(
    (c: HTMLCanvasElement) => {
      c.dataset.fieldCount = String(shape ? drawFields(c, fieldSize, rec, shape, range) : 0);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rec, fieldSize, version, shape?.width, shape?.height, range.lo, range.hi],
  );
  // Drawn straight in a layout effect, also while running: the results version already
  // bumps at most once per frame, and a frame-deferred draw would be cancelled by every
  // progress re-render in between.
  useDrawNow(heatRef, heatSize, drawHeat);
  useDrawNow(histRef, histSize, drawHist);
  useDrawNow(fieldRef, fieldSize, drawField);

  const mean = rec.means.length ? rec.means[rec.means.length - 1] : 0;
  const first = rec.means.length ? rec.means[0] : 0;
  return (
    <div className="sf-plot" data-testid="weight-panel" style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}>
      <div className="sf-muted" style={{ padding: '4px 10px', fontSize: 12, flex: 'none' }} data-testid="weight-summary">
        {`"${rec.nodeId}": ${rec.w!.length.toLocaleString('en')} synapses, ${rec.sourceSize} → ${rec.targetSize} neurons · t = ${fmtTime(rec.step * dtMs)} · mean w ${fmt(mean)} (at t = 0: ${fmt(first)}) · ${snapshots} snapshot${snapshots === 1 ? '' : 's'}`}
      </div>
      <div style={{ display: 'flex', flex: 1, minHeight: 0, gap: 8, padding: '0 8px 6px' }}>
        <div ref={heatWrap} style={{ flex: shape ? 1.2 : 2, minWidth: 0, minHeight: 0, position: 'relative' }}>
          <canvas
            ref={heatRef}
            className="sf-plot-canvas"
            style={{ cursor: 'default', position: 'absolute', inset: 0 }}
            data-testid="weight-heatmap"
            data-snapshot-count="0"
            aria-label="Weight heatmap: source neuron by target neuron"
          />
        </div>
        <div ref={histWrap} style={{ flex: 1, minWidth: 0, minHeight: 0, position: 'relative' }}>
          <canvas ref={histRef} className="sf-plot-canvas" style={{ cursor: 'default', position: 'absolute', inset: 0 }} data-testid="weight-histogram" aria-label="Weight histogram" />
        </div>
        {shape && (
          <div ref={fieldWrap} style={{ flex: 1.2, minWidth: 0, minHeight: 0, position: 'relative' }}>
            <canvas ref={fieldRef} className="sf-plot-canvas" style={{ cursor: 'default', position: 'absolute', inset: 0 }} data-testid="weight-fields" aria-label="Receptive fields" />
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * After a run with plastic (or trained) projections: keep the learned weights
 * in the document, or in a side file the document references; and forget
 * stored weights. Each is one undoable edit.
 */
export function LearnedWeightsBar() {
  const { runner, editor, platform } = useServices();
  const phase = useEditorState((s) => s.run.phase);
  const doc = useEditorState((s) => s.doc);
  // Re-read on every results version: the runner holds the learned weights.
  useEditorState((s) => s.run.resultsVersion);
  const learned = phase === 'finished' ? runner.learned : [];
  const storedIds = projectionOwners(doc)
    .filter((o) => Object.hasOwn(doc[o.where][o.index], 'weights'))
    .map((o) => o.id);
  if (learned.length === 0 && storedIds.length === 0) return null;
  const names = learned.map((x) => x.nodeId ?? x.edgeId).join(', ');
  const report = (stored: string[], missing: string[], where: string) => {
    const gone = missing.length ? ` (${missing.join(', ')} no longer in the document)` : '';
    editor.setNotice({
      level: missing.length ? 'warning' : 'info',
      text: `Kept the learned weights of ${stored.join(', ') || 'nothing'} ${where}${gone}. Save the document to keep them; undo to drop them.`,
    });
  };
  const keepInline = () => {
    const r = editor.storeLearnedWeights(learned, 'inline', runner.learnedTimeConstants);
    report(r.stored, r.missing, 'in the document');
  };
  const keepInFile = async () => {
    const name = sideFileNameFor(editor.state.file.fileName, doc.meta.name);
    const scratch = JSON.parse(JSON.stringify(doc)) as GraphDocument;
    const previous = runner.sideFiles.get(name);
    const { file } = storeWeights(scratch, learned, { file: name, ...(previous ? { base: previous } : {}) });
    const text = weightsFileText(file!);
    // On the desktop a saved document gets its weights file right beside it, under the name it references.
    const docPath = editor.state.file.path;
    let written: { name: string } | null;
    try {
      written = platform.sideFiles && docPath ? (await platform.sideFiles.write(docPath, name, text), { name }) : await platform.exportJson(text, name);
    } catch (e) {
      editor.setNotice({ level: 'error', text: `Could not save the weights file: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (!written) return;
    runner.sideFiles.set(written.name, file!);
    const r = editor.storeLearnedWeights(learned, { file: written.name }, runner.learnedTimeConstants);
    report(r.stored, r.missing, `in ${written.name} (keep it next to the document)`);
  };
  return (
    <div style={{ display: 'flex', gap: 6, alignItems: 'center', padding: '3px 8px', borderBottom: '1px solid var(--border)', flex: 'none', fontSize: 12 }} data-testid="learned-weights-bar">
      <span className="sf-muted">{learned.length > 0 ? `Learned weights of ${names}:` : 'This document stores weights:'}</span>
      {learned.length > 0 && (
        <>
          <button
            type="button"
            className="sf-btn"
            data-testid="keep-weights-inline"
            title={`Store the learned weights of ${names} in the document: it then reloads and runs from them`}
            onClick={keepInline}
          >
            Keep learned weights in the document
          </button>
          <button
            type="button"
            className="sf-btn"
            data-testid="keep-weights-file"
            title={`Write the learned weights of ${names} to a side file (<name>.weights.json) that the document references`}
            onClick={() => void keepInFile()}
          >
            Save weights to a side file…
          </button>
        </>
      )}
      {storedIds.length > 0 && (
        <button
          type="button"
          className="sf-btn"
          data-testid="forget-weights"
          title={`Stored weights of ${storedIds.join(', ')}: forget them, so connectivity and weights are drawn again`}
          onClick={() => editor.forgetStoredWeights()}
        >
          Forget stored weights
        </button>
      )}
    </div>
  );
}
