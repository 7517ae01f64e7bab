/**
 * What the Learning tab draws beyond the learning curve, as plain data: a
 * per-layer series as an SVG path, a misclassified sample as grey pixels, the
 * trained weights as a `.npz`, and a checkpoint file read back. No React here,
 * so each is tested on its own (learning-view.test.ts).
 */
import type { Dataset } from '../../engine/sim/dataset.ts';
import { sampleValues } from '../../engine/sim/dataset.ts';
import { encodeNpz, type NpyArray } from '../../engine/format/npz.ts';
import type { ProjectionWeights } from '../../engine/format/weights.ts';
import type { TrainingCheckpoint } from '../../engine/learn/trainer.ts';

/**
 * An SVG path through points (`at[i]`, `values[i]`) in a `width` × `height` box:
 * x from 0 to `xMax`, y from `yMin` (bottom) to `yMax` (top), clamped.
 */
export function seriesPath(at: readonly number[], values: readonly number[], xMax: number, yMin: number, yMax: number, width: number, height: number): string {
  const parts: string[] = [];
  const span = yMax - yMin || 1;
  for (let i = 0; i < at.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const x = (Math.min(at[i], xMax) / (xMax || 1)) * width;
    const y = height - ((Math.min(yMax, Math.max(yMin, v)) - yMin) / span) * height;
    parts.push(`${parts.length === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`);
  }
  if (parts.length === 1) parts.push('h0.1');
  return parts.join(' ');
}

/** A "nice" upper bound for a linear axis: 1, 2 or 5 times a power of ten, at least `max` (1 when nothing is positive). */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** Whole decades around positive values, for a log axis: [floor(log10 min), ceil(log10 max)], at least one decade wide. */
export function decades(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    lo = Math.min(lo, Math.floor(Math.log10(v)));
    hi = Math.max(hi, Math.ceil(Math.log10(v)));
  }
  if (lo === Infinity) return [-1, 0];
  // `+ 0` turns a -0 (the ceiling of a small negative logarithm) into 0.
  return [lo + 0, Math.max(hi, lo + 1) + 0];
}

/** A sample drawn as an image: grey levels 0–255 (white paper, black ink), `width` × `height`. */
export interface SampleImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major, for an ImageData. */
  readonly rgba: Uint8ClampedArray;
}

/** Sample `k` of `dataset` as an image: its own shape, else a square when its length is one, else one row. */
export function sampleImage(dataset: Dataset, k: number): SampleImage | null {
  if (!(k >= 0 && k < dataset.count)) return null;
  let { width, height } = dataset;
  if (!width || !height || width * height !== dataset.length) {
    const side = Math.round(Math.sqrt(dataset.length));
    [width, height] = side * side === dataset.length ? [side, side] : [dataset.length, 1];
  }
  const v = sampleValues(dataset, k);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const g = Math.round(255 * (1 - v[i]));
    rgba[4 * i] = g;
    rgba[4 * i + 1] = g;
    rgba[4 * i + 2] = g;
    rgba[4 * i + 3] = 255;
  }
  return { width, height, rgba };
}

/**
 * The trained weights as a NumPy archive: per trained projection (wire id `e`),
 * `e.pre` and `e.post` (int32 neuron indices) and `e.w` (float64 weights), one
 * entry per synapse — `numpy.load(f)["e.w"]`.
 */
export function trainedWeightsNpz(weights: readonly ProjectionWeights[]): Uint8Array {
  const arrays: NpyArray[] = [];
  for (const t of weights) {
    arrays.push({ name: `${t.edgeId}.pre`, data: Int32Array.from(t.pre) });
    arrays.push({ name: `${t.edgeId}.post`, data: Int32Array.from(t.post) });
    arrays.push({ name: `${t.edgeId}.w`, data: Float64Array.from(t.w) });
  }
  return encodeNpz(arrays);
}

/** A checkpoint file's text (written by `spikeflow run --checkpoint` or by this tab) read back; an error names the file. */
export function parseCheckpoint(text: string, fileName: string): { ok: true; checkpoint: TrainingCheckpoint } | { ok: false; error: string } {
  let cp: unknown;
  try {
    cp = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${fileName} is not JSON: ${(e as Error).message}` };
  }
  const c = cp as Partial<TrainingCheckpoint> | null;
  if (c?.format !== 'spikeflow-training-checkpoint') return { ok: false, error: `${fileName} is not a Spikeflow training checkpoint (no "format": "spikeflow-training-checkpoint")` };
  if (typeof c.epoch !== 'number' || !Array.isArray(c.weights)) return { ok: false, error: `${fileName} is a checkpoint without its epoch or weights` };
  return { ok: true, checkpoint: c as TrainingCheckpoint };
}
