/**
 * Datasets from files on disk (IDX, `.npy`, `.npz`, image folders —
 * engine/sim/image-folder.ts): the arrays a host has
 * read and parsed, by the path the document names, and their assembly into a
 * {@link Dataset}.
 *
 * The engine never reads a file. A host (the CLI in engine/hosts, the desktop
 * shell, a browser's file input) reads the bytes, parses them with
 * `engine/format/dataset-file.ts` and hands the arrays to
 * {@link provideDatasetFile} — or the reason they could not be read. Encoders
 * (engine/kinds/encoder-input.ts) then find them by path; a path nobody provided
 * is reported as not read, naming the field.
 *
 * Assembly: the samples array is `n × …` (each sample the product of the other
 * dimensions; `n × h × w` keeps its image shape), the labels array `n` (or
 * `n × 1`) of whole numbers ≥ 0. 8-bit samples stay as their bytes and read as
 * byte / 255; any other type is checked to lie in [0, maxValue] and read as
 * value / maxValue (kept as float32). A test file (MNIST's `t10k-…`) is
 * appended after the training samples, and `testFrom` marks where it starts.
 */
import { MAX_LABEL, type Dataset } from './dataset.ts';

/** An n-dimensional array of numbers, C order. */
export interface NdArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
}

/** What a host provided for one path: its arrays by name (IDX and .npy: one, named ""), or why it could not be read. */
export type DatasetFileEntry = { readonly ok: true; readonly arrays: ReadonlyMap<string, NdArray> } | { readonly ok: false; readonly error: string };

/** The most values a dataset read from files may hold (Fashion-MNIST has 55 M). */
export const MAX_FILE_DATASET_VALUES = 400_000_000;

const files = new Map<string, DatasetFileEntry>();
let generation = 0;

/** Make a file's arrays (or its read error) available to encoders under `path`, replacing what was there. */
export function provideDatasetFile(path: string, entry: DatasetFileEntry): void {
  files.set(path, entry);
  generation++;
}

/** What was provided for `path`, if anything. */
export function datasetFile(path: string): DatasetFileEntry | undefined {
  return files.get(path);
}

/** A copy of an entry with arrays of their own (to hand to another thread while keeping the original). */
export function copyEntry(entry: DatasetFileEntry): DatasetFileEntry {
  if (!entry.ok) return entry;
  return { ok: true, arrays: new Map([...entry.arrays].map(([k, a]) => [k, { shape: [...a.shape], data: a.data.slice() }])) };
}

/** The buffers of an entry's arrays, to transfer rather than clone. */
export function entryBuffers(entry: DatasetFileEntry): ArrayBuffer[] {
  return entry.ok ? [...entry.arrays.values()].map((a) => a.data.buffer as ArrayBuffer) : [];
}

/** Forget every provided file (tests; a host closing a document). */
export function clearDatasetFiles(): void {
  files.clear();
  generation++;
}

/** The files an encoder's file input names: images or arrays, labels, test images, test labels. */
export interface DatasetFileSpec {
  readonly file: string;
  readonly labelsFile: string;
  readonly testFile: string;
  readonly testLabelsFile: string;
  /** The raw value that maps to 1 for samples that are not 8-bit. */
  readonly maxValue: number;
}

/** An assembly result: the dataset, or the error and the field (file, labels_file, …) it is about. */
export type FileDatasetResult = { readonly ok: true; readonly dataset: Dataset } | { readonly ok: false; readonly field: string; readonly error: string };

/** Names a `.npz` may give its arrays: samples, labels, and a test pair. */
export const NPZ_SAMPLE_NAMES = ['x_train', 'x', 'images', 'samples', 'data', 'X'];
export const NPZ_LABEL_NAMES = ['y_train', 'y', 'labels', 'targets', 'Y'];
const NPZ_TEST_SAMPLE_NAMES = ['x_test'];
const NPZ_TEST_LABEL_NAMES = ['y_test'];

type Fail = Extract<FileDatasetResult, { ok: false }>;
const fail = (field: string, error: string): Fail => ({ ok: false, field, error });
const failed = (x: object): x is Fail => 'error' in x;

function lookup(path: string, field: string): { ok: true; arrays: ReadonlyMap<string, NdArray> } | Fail {
  const e = files.get(path);
  if (!e) return fail(field, `the file "${path}" has not been read (open the document from disk, or choose the file again)`);
  if (!e.ok) return fail(field, `the file "${path}" ${e.error}`);
  return e;
}

function pick(arrays: ReadonlyMap<string, NdArray>, names: readonly string[]): NdArray | undefined {
  if (arrays.size === 1 && arrays.has('')) return arrays.get('');
  for (const n of names) if (arrays.has(n)) return arrays.get(n);
  return undefined;
}

interface Part {
  readonly samples: NdArray;
  readonly labels: NdArray;
  readonly samplesField: string;
  readonly labelsField: string;
  readonly samplesPath: string;
  readonly labelsPath: string;
}

/** The samples and labels of one part (training or test) from one or two files. */
function part(samplesPath: string, labelsPath: string, samplesField: string, labelsField: string, sampleNames: readonly string[], labelNames: readonly string[]): Part | Fail {
  const a = lookup(samplesPath, samplesField);
  if (!a.ok) return a;
  const samples = pick(a.arrays, sampleNames);
  if (!samples) return fail(samplesField, `the archive "${samplesPath}" has no samples array (named one of ${sampleNames.join(', ')}; it has ${[...a.arrays.keys()].join(', ') || 'none'})`);
  let labels: NdArray | undefined;
  let lPath = labelsPath;
  if (labelsPath.trim() === '') {
    labels = a.arrays.size > 1 ? pick(a.arrays, labelNames) : undefined;
    lPath = samplesPath;
    if (!labels) return fail(labelsField, `is empty: name the labels file (an IDX "…labels-idx1-ubyte" or a .npy of whole numbers), or use a .npz holding ${labelNames[0]} beside ${sampleNames[0]}`);
  } else {
    const b = lookup(labelsPath, labelsField);
    if (!b.ok) return b;
    labels = pick(b.arrays, labelNames);
    if (!labels) return fail(labelsField, `the archive "${labelsPath}" has no labels array (named one of ${labelNames.join(', ')})`);
  }
  return { samples, labels, samplesField, labelsField, samplesPath, labelsPath: lPath };
}

function checkPart(p: Part, length: number | null): { n: number; length: number; dims: readonly number[] } | Fail {
  const s = p.samples.shape;
  if (s.length < 2) {
    return fail(p.samplesField, `"${p.samplesPath}" holds an array of shape [${s.join(', ')}]; samples need at least two dimensions (count × values, or count × height × width)`);
  }
  const n = s[0];
  const len = s.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || len === 0) return fail(p.samplesField, `"${p.samplesPath}" holds no samples (shape [${s.join(', ')}])`);
  if (length !== null && len !== length) {
    return fail(p.samplesField, `"${p.samplesPath}" has samples of ${len} values (shape [${s.join(', ')}]) but the training samples have ${length}; both sets need the same shape`);
  }
  const l = p.labels.shape;
  if (!(l.length === 1 || (l.length === 2 && l[1] === 1))) {
    return fail(p.labelsField, `"${p.labelsPath}" holds labels of shape [${l.join(', ')}]; labels need one dimension (one whole number per sample)`);
  }
  if (l[0] !== n) return fail(p.labelsField, `"${p.labelsPath}" has ${l[0]} labels for the ${n} samples of "${p.samplesPath}"; give one label per sample`);
  const lab = p.labels.data;
  // Unsigned 8- and 16-bit labels (IDX, most .npy) are whole numbers within range by their type: no pass over them.
  if (lab instanceof Uint8Array || lab instanceof Uint16Array) return { n, length: len, dims: s.slice(1) };
  for (let k = 0; k < n; k++) {
    const x = lab[k];
    if (!Number.isInteger(x) || x < 0 || x > MAX_LABEL) return fail(p.labelsField, `"${p.labelsPath}": label ${k} is ${x}; labels must be whole numbers from 0 to ${MAX_LABEL}`);
  }
  return { n, length: len, dims: s.slice(1) };
}

function checkRange(p: Part, maxValue: number): Fail | null {
  const d = p.samples.data;
  for (let k = 0; k < d.length; k++) {
    const x = d[k];
    if (!(x >= 0 && x <= maxValue)) {
      return fail(p.samplesField, `"${p.samplesPath}": value ${k} is ${x}; values must lie in [0, ${maxValue}] (set "Value of 1" to the data's maximum)`);
    }
  }
  return null;
}

const cache = new Map<string, { generation: number; result: FileDatasetResult }>();

/**
 * The dataset an encoder's files make, from the arrays provided for them
 * (remembered until a file is provided again). Errors name the field.
 */
export function datasetFromFiles(spec: DatasetFileSpec): FileDatasetResult {
  const key = JSON.stringify(spec);
  const hit = cache.get(key);
  if (hit && hit.generation === generation) return hit.result;
  const result = assemble(spec);
  cache.set(key, { generation, result });
  return result;
}

function assemble(spec: DatasetFileSpec): FileDatasetResult {
  if (spec.file.trim() === '') return fail('file', 'is empty: name the samples file (IDX "…images-idx3-ubyte[.gz]", .npy or .npz) or an image folder (one sub-folder of PNG/PGM images per class)');
  const train = part(spec.file, spec.labelsFile, 'file', 'labels_file', NPZ_SAMPLE_NAMES, NPZ_LABEL_NAMES);
  if (failed(train)) return train;
  const parts: Part[] = [train];
  // A .npz with a test pair inside gives the test set without naming it again.
  const archive = files.get(spec.file);
  if (spec.testFile.trim() !== '') {
    const test = part(spec.testFile, spec.testLabelsFile, 'test_file', 'test_labels_file', NPZ_TEST_SAMPLE_NAMES.concat(NPZ_SAMPLE_NAMES), NPZ_TEST_LABEL_NAMES.concat(NPZ_LABEL_NAMES));
    if (failed(test)) return test;
    parts.push(test);
  } else if (spec.testLabelsFile.trim() !== '') {
    return fail('test_file', 'is empty but test labels are named: name the test samples file too');
  } else if (archive?.ok && archive.arrays.has('x_test') && archive.arrays.has('y_test')) {
    parts.push({ ...train, samples: archive.arrays.get('x_test')!, labels: archive.arrays.get('y_test')!, samplesField: 'file', labelsField: 'file' });
  }
  let length: number | null = null;
  let dims: readonly number[] = [];
  let count = 0;
  const counts: number[] = [];
  for (const p of parts) {
    const c = checkPart(p, length);
    if (failed(c)) return c;
    length = c.length;
    if (counts.length === 0) dims = c.dims;
    counts.push(c.n);
    count += c.n;
  }
  const len = length!;
  if (count * len > MAX_FILE_DATASET_VALUES) return fail('file', `${count} samples × ${len} values is more than ${MAX_FILE_DATASET_VALUES}; use a smaller file`);
  const bytes = parts.every((p) => p.samples.data instanceof Uint8Array);
  if (!bytes) {
    if (!(Number.isFinite(spec.maxValue) && spec.maxValue > 0)) return fail('custom_max', `must be a number > 0 (got ${spec.maxValue})`);
    for (const p of parts) {
      const r = checkRange(p, spec.maxValue);
      if (r) return r;
    }
  }
  const labels = new Int32Array(count);
  let o = 0;
  parts.forEach((p, i) => {
    labels.set(p.labels.data.subarray(0, counts[i]), o);
    o += counts[i];
  });
  // The samples are joined (or converted to float32) only when first read: a thread that only compiles
  // the document (the app's UI thread) needs the shape and labels, and never copies the images.
  let values: Uint8Array | Float32Array | null = null;
  const join = (): Uint8Array | Float32Array => {
    if (values) return values;
    const one = parts.length === 1 ? parts[0].samples.data : null;
    if (bytes && one instanceof Uint8Array && one.length === count * len) return (values = one);
    const out = bytes ? new Uint8Array(count * len) : new Float32Array(count * len);
    let at = 0;
    parts.forEach((p, i) => {
      const src = p.samples.data;
      if (bytes) out.set(src as Uint8Array, at);
      else for (let k = 0; k < counts[i] * len; k++) out[at + k] = src[k];
      at += counts[i] * len;
    });
    return (values = out);
  };
  const name = spec.file.split(/[\\/]/).pop() ?? spec.file;
  const dataset: { -readonly [K in keyof Dataset]: Dataset[K] } = {
    name,
    count,
    length: len,
    get values() {
      return join();
    },
    labels,
    scale: bytes ? 1 / 255 : 1 / spec.maxValue,
  };
  if (dims.length === 2) {
    dataset.height = dims[0];
    dataset.width = dims[1];
  }
  if (parts.length > 1) dataset.testFrom = counts[0];
  return { ok: true, dataset };
}
