/**
 * File imports the inspector offers beside a param, chosen from the shape of a
 * kind's params (not its id), so a new kind with the same params gets them too:
 * - a spike list (`neurons`, `times_ms`, `size`): "Import CSV…" of `neuron,t_ms` rows;
 * - an embedded dataset (`custom_data`, `custom_max`, the encoders' input block):
 *   "Import dataset…" of CSV `label,v0,v1,…` or JSON `{samples, labels}`.
 *
 * An import parses and validates the whole file first; only a file that parses
 * becomes one undoable edit. Errors name the file, the line and the field. Pure.
 */
import type { NodeKind, ParamSpec } from '../../engine/kinds/index.ts';
import { parseSpikeCsv } from '../../engine/sim/csv.ts';
import { parseDataset } from '../../engine/sim/dataset.ts';
import { parseCustomData } from '../../engine/kinds/encoder-input.ts';
import type { Dataset } from '../../engine/sim/dataset.ts';

type Params = Readonly<Record<string, unknown>>;

export type ImportResult = { readonly ok: true; readonly values: Readonly<Record<string, unknown>>; readonly summary: string } | { readonly ok: false; readonly message: string };

export interface Importer {
  readonly id: 'spike-csv' | 'dataset';
  /** The param whose row holds the button, and under which errors show. */
  readonly field: string;
  readonly buttonLabel: string;
  /** For the file picker's `accept`. */
  readonly accept: string;
  readonly title: string;
  /** Parse `text` (the file named `fileName`) against the node's current params. */
  run(text: string, fileName: string, params: Params): ImportResult;
  /** What the field holds now, in a few words (e.g. a dataset's shape), or null. */
  describe?(params: Params): string | null;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** A parser error with its line (and field) made explicit, prefixed by the file name. */
export function locatedError(fileName: string, error: string, line?: number, field?: string): string {
  let text = error;
  if (line !== undefined && !/\bline \d+/.test(text)) text = `line ${line}${field ? `, field ${field}` : ''}: ${text}`;
  else if (field !== undefined && !text.includes(field)) text = `field ${field}: ${text}`;
  return `${fileName}: ${text}`;
}

function has(kind: NodeKind, name: string, type: ParamSpec['type']): boolean {
  return kind.params[name]?.type === type;
}

const spikeCsv: Importer = {
  id: 'spike-csv',
  field: 'times_ms',
  buttonLabel: 'Import CSV…',
  accept: '.csv,.txt,text/csv,text/plain',
  title: 'Replace the spikes with a CSV file of neuron,t_ms rows (a header naming the columns is optional; t_s for seconds).',
  run(text, fileName, params) {
    const r = parseSpikeCsv(text);
    if (!r.ok) return { ok: false, message: locatedError(fileName, r.error, r.line, r.field) };
    const values: Record<string, unknown> = { neurons: r.neurons, times_ms: r.times_ms };
    const size = typeof params.size === 'number' ? params.size : 0;
    // The channel count only ever grows: channels beyond the file's stay silent.
    if (r.size > size) values.size = r.size;
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of r.times_ms) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    const channels = Math.max(size, r.size);
    const span = lo === hi ? `at ${fmt(lo)} ms` : `${fmt(lo)}–${fmt(hi)} ms`;
    return {
      ok: true,
      values,
      summary: `${fmt(r.neurons.length)} spike${r.neurons.length === 1 ? '' : 's'}, ${span}, on ${fmt(channels)} channel${channels === 1 ? '' : 's'} (from ${fileName})`,
    };
  },
};

/** `1,797 samples × 64 values (8×8), labels 0–9`. */
export function describeDataset(d: Dataset): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of d.labels) {
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  const shape = d.width !== undefined && d.height !== undefined ? ` (${d.width}×${d.height})` : '';
  const labels = lo === hi ? `label ${lo}` : `labels ${lo}–${hi}`;
  return `${fmt(d.count)} sample${d.count === 1 ? '' : 's'} × ${fmt(d.length)} value${d.length === 1 ? '' : 's'}${shape}, ${labels}`;
}

function datasetImporter(kind: NodeKind): Importer {
  const maxLabel = kind.params.custom_max?.label ?? 'custom_max';
  const maxOf = (params: Params) => (typeof params.custom_max === 'number' ? params.custom_max : 1);
  return {
    id: 'dataset',
    field: 'custom_data',
    buttonLabel: 'Import dataset…',
    accept: '.csv,.json,.txt,text/csv,application/json,text/plain',
    title: 'Replace the dataset with a file: CSV rows label,v0,v1,… (header optional) or JSON {"samples": [[…], …], "labels": […]}.',
    run(text, fileName, params) {
      const max = maxOf(params);
      const r = parseDataset(text, { maxValue: max, name: fileName.replace(/\.[^.]*$/, '') });
      if (!r.ok) {
        let message = locatedError(fileName, r.error, r.line, r.field);
        // The usual cause: 8-bit pixels against the default maximum of 1.
        if (/above the maximum value/.test(r.error)) message += ` Set “${maxLabel}” (now ${max}) to the largest raw value first, e.g. 255 for 8-bit pixels.`;
        return { ok: false, message };
      }
      const d = r.dataset;
      const values: Record<string, unknown> = { input: 'custom', custom_data: text };
      // Keep the subset inside the new dataset, so the import is runnable at once.
      const first = typeof params.first_sample === 'number' ? params.first_sample : 0;
      const count = typeof params.sample_count === 'number' ? params.sample_count : 0;
      if ('first_sample' in params && first >= d.count) values.first_sample = 0;
      const from = first >= d.count ? 0 : first;
      if ('sample_count' in params && from + count > d.count) values.sample_count = 0;
      return { ok: true, values, summary: `${describeDataset(d)} (from ${fileName})` };
    },
    describe(params) {
      const text = params.custom_data;
      if (typeof text !== 'string' || text.trim() === '') return null;
      // The validator parsed this very text already; this call reuses its result.
      const r = parseCustomData(text, maxOf(params));
      return r.ok ? describeDataset(r.dataset) : null;
    },
  };
}

/** The imports a kind offers, by the shape of its params. */
export function importersFor(kind: NodeKind): Importer[] {
  const out: Importer[] = [];
  if (has(kind, 'neurons', 'numbers') && has(kind, 'times_ms', 'numbers') && has(kind, 'size', 'number')) out.push(spikeCsv);
  if (has(kind, 'custom_data', 'string') && has(kind, 'custom_max', 'number')) out.push(datasetImporter(kind));
  return out;
}
