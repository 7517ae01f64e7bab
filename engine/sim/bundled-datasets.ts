/**
 * The datasets Spikeflow ships, decoded from `data/` on first use.
 *
 * The JSON is imported statically, so bundlers (Vite, esbuild) and tsx inline
 * it: the engine core reads no file and works in a browser, a worker and Node.
 */
import digitsJson from '../../data/digits/digits.json';
import type { Dataset } from './dataset.ts';

/** Ids of the bundled datasets, as kind params name them. */
export const BUNDLED_DATASETS = ['digits'] as const;
export type BundledDatasetId = (typeof BUNDLED_DATASETS)[number];

/** The shape of `data/digits/digits.json` (see data/digits/README.md). */
export interface PackedImages {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly max_value: number;
  /** One character per sample: its label digit. */
  readonly labels: string;
  /** One string per image, one base-17 character per pixel, row-major. */
  readonly images: readonly string[];
}

/**
 * Decode packed images: each character is a pixel value in base 17
 * (`0`–`9`, `a`–`g`), divided by `max_value` so values lie in [0, 1].
 * Throws on a malformed file (the bundled one is checked by a test).
 */
export function decodePackedImages(p: PackedImages): Dataset {
  const length = p.width * p.height;
  if (p.images.length !== p.count || p.labels.length !== p.count) {
    throw new Error(`dataset ${p.name}: ${p.images.length} images and ${p.labels.length} labels for a count of ${p.count}`);
  }
  const values = new Float64Array(p.count * length);
  const labels = new Int32Array(p.count);
  for (let k = 0; k < p.count; k++) {
    const img = p.images[k];
    if (img.length !== length) throw new Error(`dataset ${p.name}: image ${k} has ${img.length} pixels, not ${length}`);
    for (let j = 0; j < length; j++) {
      const v = parseInt(img[j], 17);
      if (!(v >= 0 && v <= p.max_value)) throw new Error(`dataset ${p.name}: image ${k}, pixel ${j} is "${img[j]}"`);
      values[k * length + j] = v / p.max_value;
    }
    const l = p.labels.charCodeAt(k) - 48;
    if (!(l >= 0 && l <= 9)) throw new Error(`dataset ${p.name}: label ${k} is "${p.labels[k]}"`);
    labels[k] = l;
  }
  return { name: p.name, count: p.count, length, values, labels, width: p.width, height: p.height };
}

const cache = new Map<BundledDatasetId, Dataset>();

/** A bundled dataset by id, decoded once and shared (treat it as read-only). */
export function bundledDataset(id: BundledDatasetId): Dataset {
  let d = cache.get(id);
  if (!d) {
    // One dataset so far; a second one makes this a lookup by id.
    d = decodePackedImages(digitsJson as PackedImages);
    cache.set(id, d);
  }
  return d;
}

/** Size facts of a bundled dataset without decoding it. */
export function bundledDatasetInfo(_id: BundledDatasetId): { count: number; length: number; width: number; height: number; classes: number } {
  // One dataset so far; a second one makes this a lookup by id.
  return { count: digitsJson.count, length: digitsJson.width * digitsJson.height, width: digitsJson.width, height: digitsJson.height, classes: digitsJson.classes };
}
