/**
 * Pure math behind the weight panel: a weight snapshot (one weight per synapse,
 * synapse k joining source `pre[k]` to target `post[k]`) binned into a heatmap
 * grid, a histogram, receptive fields, and a colour map. No DOM here.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { getKind } from '../../engine/kinds/index.ts';
import { inputDataset } from '../../engine/kinds/encoder-input.ts';

/** The smallest and largest finite value (0, 0 when there is none). */
export function weightRange(w: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < w.length; k++) {
    const x = w[k];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/**
 * The weight matrix binned to at most `maxCols` × `maxRows` cells: columns are
 * source neurons, rows target neurons; a cell holds the mean weight of the
 * synapses in it, NaN when there is none. Neurons map to cells by
 * `floor(i · cols / n)`, so with room enough every neuron has its own cell.
 */
export function heatmapGrid(
  pre: ArrayLike<number>,
  post: ArrayLike<number>,
  w: ArrayLike<number>,
  nSource: number,
  nTarget: number,
  maxCols: number,
  maxRows: number,
): { cols: number; rows: number; values: Float32Array } {
  const cols = Math.max(1, Math.min(nSource, Math.floor(maxCols)));
  const rows = Math.max(1, Math.min(nTarget, Math.floor(maxRows)));
  const sum = new Float64Array(cols * rows);
  const count = new Uint32Array(cols * rows);
  for (let k = 0; k < w.length; k++) {
    const c = Math.floor((pre[k] * cols) / nSource);
    const r = Math.floor((post[k] * rows) / nTarget);
    const at = r * cols + c;
    sum[at] += w[k];
    count[at]++;
  }
  const values = new Float32Array(cols * rows);
  for (let i = 0; i < values.length; i++) values[i] = count[i] > 0 ? sum[i] / count[i] : NaN;
  return { cols, rows, values };
}

/** Counts of `w` in `bins` equal bins over [lo, hi]; a value equal to `hi` counts in the last bin, values outside in none. */
export function histogram(w: ArrayLike<number>, bins: number, lo: number, hi: number): Uint32Array {
  const out = new Uint32Array(Math.max(1, bins));
  const width = hi - lo;
  for (let k = 0; k < w.length; k++) {
    const x = w[k];
    if (!(x >= lo && x <= hi)) continue;
    const b = width > 0 ? Math.min(out.length - 1, Math.floor(((x - lo) / width) * out.length)) : 0;
    out[b]++;
  }
  return out;
}

/**
 * Each target's receptive field: `fields[t · nSource + i]` is the summed weight
 * from source i onto target t (0 without a synapse).
 */
export function receptiveFields(pre: ArrayLike<number>, post: ArrayLike<number>, w: ArrayLike<number>, nSource: number, nTarget: number): Float32Array {
  const out = new Float32Array(nSource * nTarget);
  for (let k = 0; k < w.length; k++) out[post[k] * nSource + pre[k]] += w[k];
  return out;
}

/** Columns and rows for `n` tiles of aspect `tileAspect` (width/height) in a box of aspect `boxAspect`, as square-ish as fits. */
export function tileGrid(n: number, boxAspect: number, tileAspect = 1): { cols: number; rows: number } {
  if (n <= 0) return { cols: 0, rows: 0 };
  let best = { cols: n, rows: 1, score: Infinity };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    // The tile side that fits, relative to the box: larger is better.
    const side = Math.min(boxAspect / (cols * tileAspect), 1 / rows);
    const score = -side;
    // Ties go to the wider grid: result panels are wider than tall.
    if (score <= best.score) best = { cols, rows, score };
  }
  return { cols: best.cols, rows: best.rows };
}

/** Stops of a perceptually ordered dark-blue → teal → yellow map (viridis-like). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of `t` in [0, 1] (clamped). */
export function colormap(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/**
 * The image shape of a plastic projection's source, when it is an encoder over
 * images (e.g. the bundled 8×8 digits) with one neuron per pixel: then each
 * target's receptive field can be drawn as that image. Null otherwise.
 */
export function sourceImageShape(doc: GraphDocument, plasticNodeId: string): { width: number; height: number } | null {
  const node = doc.nodes.find((n) => n.id === plasticNodeId);
  const kind = node && getKind(node.kind);
  if (!kind) return null;
  const prePort = kind.inputs.find((p) => p.role === 'plastic')?.id;
  const wire = doc.edges.find((e) => e.target.node === plasticNodeId && e.target.port === prePort);
  const source = wire && doc.nodes.find((n) => n.id === wire.source.node);
  const sk = source && getKind(source.kind);
  if (!source || !sk || !('input' in sk.params)) return null;
  try {
    const data = inputDataset(source.params);
    if (!data?.width || !data.height) return null;
    const size = sk.size?.(source.params as never);
    return size === data.width * data.height ? { width: data.width, height: data.height } : null;
  } catch {
    return null;
  }
}
