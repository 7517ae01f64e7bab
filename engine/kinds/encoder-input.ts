/**
 * The input block every encoder kind shares: where its vectors come from
 * (fixed values, the bundled digits, or a user's dataset embedded in the
 * document) and how they are presented over time. An encoder *is* its own
 * dataset source: no extra port type, and the compiler and engine need no
 * change. Encoders with the same dataset settings show the same sample at the
 * same time, since the order has its own seed.
 */
import type { ParamSpecs } from './define.ts';
import type { BuildContext } from '../sim/runtime.ts';
import { InputStream } from '../sim/input-stream.ts';
import { parseDataset, type Dataset, type DatasetParse } from '../sim/dataset.ts';
import { bundledDataset, bundledDatasetInfo } from '../sim/bundled-datasets.ts';
import { datasetFromFiles } from '../sim/dataset-files.ts';

const DATASET_INPUTS = ['digits', 'custom', 'file'];
const FILE_INPUT = ['file'];

export const INPUT_PARAMS = {
  input: {
    type: 'enum',
    default: 'values',
    options: [
      { value: 'values', label: 'Fixed values' },
      { value: 'digits', label: 'Digits 8×8 (bundled)' },
      { value: 'custom', label: 'My dataset (CSV/JSON)' },
      { value: 'file', label: 'Dataset files (IDX, .npy/.npz)' },
    ],
    label: 'Input',
    tooltip:
      'Where the input vectors come from: a fixed list of values (shown in every presentation), the bundled 8×8 handwritten digits ' +
      '(1797 images, 64 values each, labels 0–9; UCI optdigits, CC BY 4.0), your own dataset pasted or imported below, ' +
      'or dataset files on disk (MNIST-style IDX, gzipped or not, or NumPy .npy/.npz), read when the document runs, not stored in it.',
  },
  values: {
    type: 'numbers',
    default: [0.2, 0.5, 0.8],
    min: 0,
    max: 1,
    label: 'Values',
    tooltip: 'The input vector, each value in [0, 1]; one value per input channel.',
    when: { param: 'input', in: ['values'] },
  },
  custom_data: {
    type: 'string',
    default: '',
    label: 'Dataset',
    tooltip:
      'Your dataset, embedded in the document: CSV rows "label,v0,v1,…" (a header row is optional), ' + 'or JSON {"samples": [[v0, v1, …], …], "labels": [l0, …]}. Labels are whole numbers ≥ 0.',
    when: { param: 'input', in: ['custom'] },
  },
  file: {
    type: 'string',
    default: '',
    label: 'Samples file',
    tooltip:
      'The samples: an IDX file ("train-images-idx3-ubyte", gzipped or not), a .npy array (count × values, or count × height × width), ' +
      'or a .npz holding x_train and y_train (and optionally x_test, y_test), or an image folder (one sub-folder per class of PNG or PGM images; ' +
      "leave the labels file empty). A relative path is taken from the document's folder.",
    when: { param: 'input', in: FILE_INPUT },
  },
  labels_file: {
    type: 'string',
    default: '',
    label: 'Labels file',
    tooltip: 'One whole number ≥ 0 per sample: an IDX file ("train-labels-idx1-ubyte") or a .npy; leave empty for a .npz that holds its labels.',
    when: { param: 'input', in: FILE_INPUT },
  },
  test_file: {
    type: 'string',
    default: '',
    label: 'Test samples file',
    tooltip: 'Optional: a separate test set ("t10k-images-idx3-ubyte"). Its samples follow the training samples, and a trainer tests on them (and never trains on them).',
    when: { param: 'input', in: FILE_INPUT },
  },
  test_labels_file: {
    type: 'string',
    default: '',
    label: 'Test labels file',
    tooltip: 'The labels of the test samples ("t10k-labels-idx1-ubyte").',
    when: { param: 'input', in: FILE_INPUT },
  },
  custom_max: {
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    label: 'Value of 1',
    tooltip: 'The raw value that maps to 1 (e.g. 255 for 8-bit pixels); values must lie in [0, this]. 8-bit files (IDX ubyte, uint8 arrays) always map 255 to 1.',
    when: { param: 'input', in: ['custom', 'file'] },
  },
  presentation_ms: {
    type: 'number',
    default: 100,
    min: 0,
    exclusiveMin: true,
    max: 1e7,
    unit: 'ms',
    label: 'Presentation',
    tooltip: 'How long each vector is shown; rounded to whole steps (at least one).',
  },
  rest_ms: {
    type: 'number',
    default: 0,
    min: 0,
    max: 1e7,
    unit: 'ms',
    label: 'Rest',
    tooltip: 'A pause after each presentation, with all inputs at 0; rounded to whole steps.',
  },
  order: {
    type: 'enum',
    default: 'shuffled',
    options: [
      { value: 'sequential', label: 'In order' },
      { value: 'shuffled', label: 'Shuffled (seeded)' },
    ],
    label: 'Order',
    tooltip: 'Show the samples in file order, or in a seeded random order, freshly shuffled on each pass through the set.',
    when: { param: 'input', in: DATASET_INPUTS },
  },
  order_seed: {
    type: 'number',
    default: 1,
    min: 0,
    max: 0xffffffff,
    integer: true,
    label: 'Order seed',
    tooltip: 'Seed of the shuffled order. Encoders with the same dataset settings and seed show the same samples at the same time.',
    when: { param: 'input', in: DATASET_INPUTS },
  },
  first_sample: {
    type: 'number',
    default: 0,
    min: 0,
    integer: true,
    label: 'First sample',
    tooltip: 'Index of the first sample of the subset shown (0-based).',
    when: { param: 'input', in: DATASET_INPUTS },
  },
  sample_count: {
    type: 'number',
    default: 0,
    min: 0,
    integer: true,
    label: 'Samples',
    tooltip: 'How many samples, from the first, make up the subset shown; 0 means all the rest.',
    when: { param: 'input', in: DATASET_INPUTS },
  },
} as const satisfies ParamSpecs;

type InputParams = Readonly<Record<string, unknown>>;

let lastParse: { text: string; max: number; result: DatasetParse } | null = null;

/** Parse embedded data, remembering the last result (validation, size and build all ask). */
export function parseCustomData(text: string, max: number): DatasetParse {
  if (lastParse && lastParse.text === text && lastParse.max === max) return lastParse.result;
  const result = parseDataset(text, { maxValue: max });
  lastParse = { text, max, result };
  return result;
}

/** The dataset of an encoder's file input, or the problem with it (naming the field). */
export function fileInputDataset(p: InputParams) {
  return datasetFromFiles({
    file: p.file as string,
    labelsFile: p.labels_file as string,
    testFile: p.test_file as string,
    testLabelsFile: p.test_labels_file as string,
    maxValue: p.custom_max as number,
  });
}

/** The paths an encoder's params name for a host to read, with their fields (empty unless its input is files). */
export function inputFiles(p: InputParams): { field: string; path: string }[] {
  if (p.input !== 'file') return [];
  return ['file', 'labels_file', 'test_file', 'test_labels_file'].map((field) => ({ field, path: String(p[field] ?? '') })).filter((x) => x.path.trim() !== '');
}

/** The dataset an encoder reads, or null for fixed values (or unparsable custom data, or unread files). */
export function inputDataset(p: InputParams): Dataset | null {
  if (p.input === 'digits') return bundledDataset('digits');
  if (p.input === 'file') {
    const r = fileInputDataset(p);
    return r.ok ? r.dataset : null;
  }
  if (p.input === 'custom') {
    const r = parseCustomData(p.custom_data as string, p.custom_max as number);
    return r.ok ? r.dataset : null;
  }
  return null;
}

/** Length of the input vector (0 when it cannot be known: invalid custom data). */
export function inputLength(p: InputParams): number {
  if (p.input === 'digits') return bundledDatasetInfo('digits').length;
  if (p.input === 'file') return inputDataset(p)?.length ?? 0;
  if (p.input === 'custom') {
    const r = parseCustomData(p.custom_data as string, p.custom_max as number);
    return r.ok ? r.dataset.length : 0;
  }
  return (p.values as readonly number[]).length;
}

/** Samples available to the subset (fixed values: 1). */
function inputCount(p: InputParams): number {
  if (p.input === 'digits') return bundledDatasetInfo('digits').count;
  const d = inputDataset(p);
  return d ? d.count : 1;
}

/** Cross-field problems of the input block, as [field, message] pairs. */
export function checkInput(p: InputParams): [string, string][] {
  if (p.input === 'values') {
    return (p.values as readonly number[]).length === 0 ? [['values', 'needs at least one value']] : [];
  }
  if (p.input === 'custom') {
    const text = p.custom_data as string;
    if (text.trim() === '') return [['custom_data', 'is empty: paste or import a dataset (CSV rows label,v0,v1,… or JSON {"samples", "labels"})']];
    const r = parseCustomData(text, p.custom_max as number);
    if (!r.ok) return [['custom_data', r.error]];
  }
  if (p.input === 'file') {
    const r = fileInputDataset(p);
    if (!r.ok) return [[r.field, r.error]];
  }
  const count = inputCount(p);
  const first = p.first_sample as number;
  const n = p.sample_count as number;
  if (first >= count) return [['first_sample', `must be below the number of samples, ${count} (got ${first})`]];
  if (first + n > count) return [['sample_count', `${n} samples from sample ${first} run past the end of the dataset (${count} samples); at most ${count - first}`]];
  return [];
}

/** The stream an encoder reads at run time. */
export function inputStream(p: InputParams, ctx: BuildContext): InputStream {
  const timing = { dtMs: ctx.dtMs, presentationMs: p.presentation_ms as number, restMs: p.rest_ms as number };
  if (p.input === 'values') return new InputStream(p.values as number[], timing);
  const d = inputDataset(p);
  if (!d) throw new Error(`the dataset could not be read: ${checkInput(p)[0]?.[1] ?? 'unknown problem'}`);
  return new InputStream(
    d,
    timing,
    {
      first: p.first_sample as number,
      count: p.sample_count as number,
      shuffle: p.order === 'shuffled',
      seed: p.order_seed as number,
    },
    ctx.heldOut ?? null,
  );
}
