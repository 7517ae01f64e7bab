/**
 * Datasets of input vectors with integer labels, and pure parsers for a user's
 * own data (CSV and JSON). Nothing here reads files: a host or the renderer
 * reads the text and hands it over, so the same code runs in a browser, a
 * worker and Node.
 *
 * CSV: one sample per row, `label,v0,v1,…`; an optional header row (a first
 * row with no numeric field) names the columns for error messages.
 * Blank rows and rows starting with `#` are skipped.
 *
 * JSON: `{ "samples": [[v0, v1, …], …], "labels": [l0, l1, …] }`, optionally
 * with `"name"`, `"width"` and `"height"` (an image's shape, for display).
 *
 * Raw values must lie in [0, maxValue]; they are divided by maxValue, so a
 * parsed dataset always holds values in [0, 1]. Labels are whole numbers ≥ 0.
 */
import { parseJson } from '../core/parse-json.ts';

/** Input vectors with labels: `count` samples of `length` values each, row-major. */
export interface Dataset {
  readonly name: string;
  readonly count: number;
  /** Values per sample. */
  readonly length: number;
  /**
   * `count × length` raw values, row-major; value j of sample k is
   * `values[k·length + j] · scale`, in [0, 1]. Parsed text is stored as float64
   * with scale 1; a large file keeps its own 8-bit or float32 values (1 or 4
   * bytes each, no float64 copy) and is scaled as each sample is read ({@link readSample}).
   */
  readonly values: Float64Array | Float32Array | Uint8Array;
  /** The factor that maps a raw value into [0, 1] (absent: 1). */
  readonly scale?: number;
  /** One whole number ≥ 0 per sample. */
  readonly labels: Int32Array;
  /** Image shape (width × height = length), when the samples are images. */
  readonly width?: number;
  readonly height?: number;
  /**
   * When the data came as a training file and a test file (MNIST's
   * `train-…` and `t10k-…`): the index of the first test sample; the samples
   * before it are the training file's. Absent: one set, split by the trainer.
   */
  readonly testFrom?: number;
}

/** A parse result: the dataset, or one error naming the line (CSV, JSON syntax) and the field. */
export type DatasetParse = { readonly ok: true; readonly dataset: Dataset } | { readonly ok: false; readonly error: string; readonly line?: number; readonly field?: string };

export interface DatasetParseOptions {
  /** The name the dataset gets (JSON may carry its own). */
  readonly name?: string;
  /** The raw value that maps to 1 (default 1): e.g. 255 for 8-bit pixels. */
  readonly maxValue?: number;
}

/** The most values a parsed dataset may hold (it travels inside documents and plans). */
export const MAX_DATASET_VALUES = 10_000_000;
/** The largest label accepted. */
export const MAX_LABEL = 1_000_000;

type Fail = Extract<DatasetParse, { ok: false }>;

function fail(error: string, line?: number, field?: string): Fail {
  const out: { ok: false; error: string; line?: number; field?: string } = { ok: false, error };
  if (line !== undefined) out.line = line;
  if (field !== undefined) out.field = field;
  return out;
}

function show(s: string): string {
  return s.length > 24 ? `"${s.slice(0, 21)}…"` : `"${s}"`;
}

/** A strict decimal number: no hex, no empty field, no trailing garbage. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function checkMax(maxValue: number): string | null {
  return Number.isFinite(maxValue) && maxValue > 0 ? null : `the maximum value must be a number > 0 (got ${maxValue})`;
}

function valueProblem(x: number, maxValue: number): string | null {
  if (x < 0) return `${x} is below 0; values must lie in [0, ${maxValue}]`;
  if (x > maxValue) return `${x} is above the maximum value ${maxValue}; values must lie in [0, ${maxValue}]`;
  return null;
}

function labelProblem(x: unknown): string | null {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) return 'must be a whole number ≥ 0';
  if (x > MAX_LABEL) return `must be at most ${MAX_LABEL}`;
  return null;
}

/**
 * Parse a CSV dataset: `label,v0,v1,…` per row, header optional. Errors name
 * the 1-based line and the column (by its header name, else `label` / `v<i>`).
 */
export function parseDatasetCsv(text: string, options: DatasetParseOptions = {}): DatasetParse {
  const maxValue = options.maxValue ?? 1;
  const mp = checkMax(maxValue);
  if (mp) return fail(mp);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  let header: string[] | null = null;
  let width = -1;
  let firstDataLine = 0;
  const values: number[] = [];
  const labels: number[] = [];
  const fieldName = (j: number) => header?.[j] ?? (j === 0 ? 'label' : `v${j - 1}`);
  for (let li = 0; li < lines.length; li++) {
    const line = li + 1;
    const raw = lines[li].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(',').map((f) => f.trim());
    // A header has no numeric field; a data row with one bad field is reported as data.
    if (width < 0 && header === null && !fields.some((f) => NUMBER.test(f))) {
      header = fields;
      if (fields.length < 2) return fail(`line ${line}: the header needs a label column and at least one value column, separated by commas`, line);
      continue;
    }
    if (width < 0) {
      if (fields.length < 2) return fail(`line ${line}: a row needs a label and at least one value, separated by commas (found ${fields.length} field)`, line);
      if (header && header.length !== fields.length) {
        return fail(`line ${line}: has ${fields.length} fields, but the header has ${header.length}`, line);
      }
      width = fields.length;
      firstDataLine = line;
    } else if (fields.length !== width) {
      return fail(`line ${line}: has ${fields.length} fields, but line ${firstDataLine} has ${width}; every row needs the same number of values`, line);
    }
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      const name = fieldName(j);
      if (f === '') return fail(`line ${line}, field ${name}: is empty`, line, name);
      if (!NUMBER.test(f)) return fail(`line ${line}, field ${name}: ${show(f)} is not a number`, line, name);
      const x = Number(f);
      if (!Number.isFinite(x)) return fail(`line ${line}, field ${name}: ${show(f)} is not a finite number`, line, name);
      if (j === 0) {
        const lp = labelProblem(x);
        if (lp) return fail(`line ${line}, field ${name}: the label ${lp} (got ${f})`, line, name);
        labels.push(x);
      } else {
        const vp = valueProblem(x, maxValue);
        if (vp) return fail(`line ${line}, field ${name}: ${vp}`, line, name);
        values.push(x / maxValue);
      }
    }
    if (values.length > MAX_DATASET_VALUES) return fail(`line ${line}: the dataset has more than ${MAX_DATASET_VALUES} values; use a smaller subset`, line);
  }
  if (labels.length === 0) return fail(header ? 'the file has a header but no samples' : 'the file has no samples (expected rows label,v0,v1,…)');
  return {
    ok: true,
    dataset: { name: options.name ?? 'custom', count: labels.length, length: width - 1, values: Float64Array.from(values), labels: Int32Array.from(labels) },
  };
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Parse a JSON dataset `{ "samples": [[…], …], "labels": […] }`. Syntax errors
 * give line and column; other errors name the field as a path (`samples[3][5]`).
 */
export function parseDatasetJson(text: string, options: DatasetParseOptions = {}): DatasetParse {
  const maxValue = options.maxValue ?? 1;
  const mp = checkMax(maxValue);
  if (mp) return fail(mp);
  const parsed = parseJson(text);
  if (!parsed.ok) return fail(`line ${parsed.line}, column ${parsed.column}: not valid JSON, ${parsed.message}`, parsed.line);
  const doc = parsed.value;
  if (!isObj(doc)) return fail('the JSON must be an object {"samples": [[…], …], "labels": […]}');
  const { samples, labels } = doc;
  if (!Array.isArray(samples)) return fail('field samples: must be a list of samples, each a list of numbers', undefined, 'samples');
  if (!Array.isArray(labels)) return fail('field labels: must be a list of whole numbers, one per sample', undefined, 'labels');
  if (samples.length === 0) return fail('field samples: has no samples', undefined, 'samples');
  if (labels.length !== samples.length) {
    return fail(`field labels: has ${labels.length} labels for ${samples.length} samples; give one label per sample`, undefined, 'labels');
  }
  const first: unknown = samples[0];
  if (!Array.isArray(first) || first.length === 0) return fail('field samples[0]: must be a non-empty list of numbers', undefined, 'samples[0]');
  const length = first.length;
  if (samples.length * length > MAX_DATASET_VALUES) {
    return fail(`field samples: ${samples.length} × ${length} values is more than ${MAX_DATASET_VALUES}; use a smaller subset`, undefined, 'samples');
  }
  const values = new Float64Array(samples.length * length);
  const out = new Int32Array(samples.length);
  for (let k = 0; k < samples.length; k++) {
    const s: unknown = samples[k];
    if (!Array.isArray(s)) return fail(`field samples[${k}]: must be a list of numbers`, undefined, `samples[${k}]`);
    if (s.length !== length) {
      return fail(`field samples[${k}]: has ${s.length} values, but samples[0] has ${length}; every sample needs the same number`, undefined, `samples[${k}]`);
    }
    for (let j = 0; j < length; j++) {
      const x: unknown = s[j];
      const field = `samples[${k}][${j}]`;
      if (typeof x !== 'number' || !Number.isFinite(x)) return fail(`field ${field}: must be a finite number (got ${JSON.stringify(x) ?? 'nothing'})`, undefined, field);
      const vp = valueProblem(x, maxValue);
      if (vp) return fail(`field ${field}: ${vp}`, undefined, field);
      values[k * length + j] = x / maxValue;
    }
    const lp = labelProblem(labels[k]);
    if (lp) return fail(`field labels[${k}]: ${lp} (got ${JSON.stringify(labels[k]) ?? 'nothing'})`, undefined, `labels[${k}]`);
    out[k] = labels[k] as number;
  }
  const dataset: { -readonly [K in keyof Dataset]: Dataset[K] } = {
    name: typeof doc.name === 'string' && doc.name ? doc.name : (options.name ?? 'custom'),
    count: samples.length,
    length,
    values,
    labels: out,
  };
  const { width, height } = doc;
  if (width !== undefined || height !== undefined) {
    const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
    if (!ok(width) || !ok(height) || (width as number) * (height as number) !== length) {
      return fail(`fields width and height: must be whole numbers whose product is the sample length ${length} (got ${String(width)} × ${String(height)})`, undefined, 'width');
    }
    dataset.width = width as number;
    dataset.height = height as number;
  }
  return { ok: true, dataset };
}

/** Parse a dataset in either form: JSON when the text starts with `{`, CSV otherwise. */
export function parseDataset(text: string, options: DatasetParseOptions = {}): DatasetParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.trimStart().startsWith('{') ? parseDatasetJson(text, options) : parseDatasetCsv(text, options);
}

/** The values of sample k in [0, 1], as a new array (tests, display); a hot loop uses {@link readSample}. */
export function sampleValues(d: Dataset, k: number): Float64Array {
  const out = new Float64Array(d.length);
  readSample(d, k, out);
  return out;
}

/** Write the values of sample k, scaled into [0, 1], into `out` (no allocation). */
export function readSample(d: Dataset, k: number, out: Float64Array): void {
  const raw = d.values.subarray(k * d.length, (k + 1) * d.length);
  const scale = d.scale ?? 1;
  if (scale === 1) out.set(raw);
  else for (let j = 0; j < raw.length; j++) out[j] = raw[j] * scale;
}
