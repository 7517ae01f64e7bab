/**
 * Explicit connectivity from a matrix or synapse-list file (`.npy`, `.npz`,
 * `.csv`), for a projection's `"weights": {"file": …}` (weights.ts). Pure: the
 * host reads the file (bytes for `.npy`/`.npz`, text for `.csv`) and hands it
 * in; the result is the numbers in the document's own forms:
 *
 * - `.npy`: a 2-D array, one row per target neuron and one column per source
 *   neuron (NIR's and PyTorch's `W` in `y = W·x`) → `{"dense": rows}`.
 * - `.npz`: a `scipy.sparse.save_npz` matrix (csr, csc or coo; rows = target
 *   neurons) → a synapse list with its `shape`; arrays `pre`, `post`, `w` (and
 *   `delay_ms`) → that synapse list; one 2-D array, or the one `key` names →
 *   `{"dense": rows}`.
 * - `.csv` (comma, semicolon, tab or spaces): a header naming `pre`, `post`,
 *   `w` (or `weight`) and optionally `delay_ms` (or `delay`) → a synapse list;
 *   rows of numbers without a header → a dense matrix.
 */
import { NpyError, readNpy, readNpz, type NpyRead } from '../core/npy-read.ts';

/** A synapse list read from a sparse matrix also says the matrix's shape `[targets, sources]`. */
/**
 * Synapse k joins `pre[k]` → `post[k]` with weight `w[k]`, and, when `delay_ms`
 * is given, delay `delay_ms[k]` (else the projection's `delay_ms` param draws it).
 */
export interface StoredWeights {
  readonly pre: readonly number[];
  readonly post: readonly number[];
  readonly w: readonly number[];
  readonly delay_ms?: readonly number[];
}

/**
 * A dense weight matrix, one row per target neuron and one column per source
 * neuron (NIR's and PyTorch's `y = W·x` layout): `dense[j][i]` is the weight
 * from source neuron i to target neuron j; a 0 makes no synapse.
 */
export interface DenseWeights {
  readonly dense: readonly (readonly number[])[];
}

export type TableWeights = (StoredWeights & { readonly shape?: readonly [number, number] }) | DenseWeights;

export type TableResult = { readonly ok: true; readonly weights: TableWeights } | { readonly ok: false; readonly problem: string };

/** Whether a side-file name is a matrix or synapse list (`.npy`, `.npz`, `.csv`), not a Spikeflow weights file. */
export function isTableWeightsFile(name: string): boolean {
  return /\.(npy|npz|csv)$/i.test(name);
}

/** Whether the host must read the file as bytes (`.npy`, `.npz`) rather than text. */
export function isBinaryWeightsFile(name: string): boolean {
  return /\.(npy|npz)$/i.test(name);
}

const fail = (problem: string): TableResult => ({ ok: false, problem });

function denseOf(a: NpyRead, what: string): TableResult {
  if (a.shape.length !== 2) return fail(`${what} has shape (${a.shape.join(', ')}); a weight matrix is 2-D: one row per target neuron, one column per source neuron`);
  const [rows, cols] = a.shape;
  const dense: number[][] = [];
  for (let j = 0; j < rows; j++) dense.push(Array.from(a.data.subarray(j * cols, (j + 1) * cols)));
  return { ok: true, weights: { dense } };
}

/** A scipy.sparse matrix (rows = target neurons) as a synapse list, in row order. */
function sparseOf(arrays: Map<string, NpyRead>, format: string): TableResult {
  const shape = arrays.get('shape')?.data;
  const data = arrays.get('data')?.data;
  if (!shape || shape.length !== 2 || !data) return fail(`is a scipy.sparse ${format} matrix without its "shape" or "data"`);
  const [rows, cols] = [shape[0], shape[1]];
  const pre: number[] = [];
  const post: number[] = [];
  const w: number[] = [];
  if (format === 'coo') {
    const row = arrays.get('row')?.data;
    const col = arrays.get('col')?.data;
    if (!row || !col || row.length !== data.length || col.length !== data.length) return fail('is a scipy.sparse coo matrix whose "row", "col" and "data" do not match');
    for (let k = 0; k < data.length; k++) {
      post.push(row[k]);
      pre.push(col[k]);
      w.push(data[k]);
    }
  } else if (format === 'csr' || format === 'csc') {
    const indices = arrays.get('indices')?.data;
    const indptr = arrays.get('indptr')?.data;
    const outer = format === 'csr' ? rows : cols;
    if (!indices || !indptr || indptr.length !== outer + 1 || indices.length !== data.length || indptr[outer] !== data.length) {
      return fail(`is a scipy.sparse ${format} matrix whose "indices", "indptr" and "data" do not match its shape (${rows}, ${cols})`);
    }
    for (let o = 0; o < outer; o++) {
      for (let k = indptr[o]; k < indptr[o + 1]; k++) {
        // csr: o is the row (target), indices the columns (sources); csc the other way round.
        post.push(format === 'csr' ? o : indices[k]);
        pre.push(format === 'csr' ? indices[k] : o);
        w.push(data[k]);
      }
    }
  } else return fail(`is a scipy.sparse matrix in format "${format}"; csr, csc and coo are read`);
  return { ok: true, weights: { pre, post, w, shape: [rows, cols] } };
}

function fromNpz(bytes: Uint8Array, key: string | undefined): TableResult {
  const strings = new Map<string, string>();
  const arrays = readNpz(bytes, strings);
  const names = [...arrays.keys()];
  if (key !== undefined) {
    const a = arrays.get(key);
    return a ? denseOf(a, `array "${key}"`) : fail(`has no array "${key}" (it has ${names.map((n) => `"${n}"`).join(', ') || 'none'})`);
  }
  const format = strings.get('format');
  if (format !== undefined) return sparseOf(arrays, format);
  if (arrays.has('pre') && arrays.has('post') && arrays.has('w')) {
    const list = (n: string) => Array.from(arrays.get(n)!.data);
    return { ok: true, weights: { pre: list('pre'), post: list('post'), w: list('w'), ...(arrays.has('delay_ms') ? { delay_ms: list('delay_ms') } : {}) } };
  }
  if (names.length === 1) return denseOf(arrays.get(names[0])!, `array "${names[0]}"`);
  return fail(`holds ${names.length} arrays (${names.map((n) => `"${n}"`).join(', ')}): name the matrix with "key", or store "pre", "post" and "w"`);
}

const LIST_COLUMNS: Readonly<Record<string, 'pre' | 'post' | 'w' | 'delay_ms'>> = { pre: 'pre', post: 'post', w: 'w', weight: 'w', delay_ms: 'delay_ms', delay: 'delay_ms' };

function fromCsv(text: string): TableResult {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) return fail('is empty');
  const cells = (l: string) => l.split(/\s*[,;\t]\s*|\s+/);
  const head = cells(lines[0]);
  const hasHeader = head.some((c) => c !== '' && !Number.isFinite(Number(c)));
  const rows = (hasHeader ? lines.slice(1) : lines).map(cells);
  const numbers = (r: string[], line: number): number[] | string => {
    const out: number[] = [];
    for (let c = 0; c < r.length; c++) {
      const x = r[c] === '' ? NaN : Number(r[c]);
      if (!Number.isFinite(x)) return `line ${line}, column ${c + 1} is not a finite number (got "${r[c]}")`;
      out.push(x);
    }
    return out;
  };
  const first = hasHeader ? 2 : 1;
  if (!hasHeader) {
    const dense: number[][] = [];
    for (let j = 0; j < rows.length; j++) {
      const r = numbers(rows[j], j + first);
      if (typeof r === 'string') return fail(r);
      dense.push(r);
    }
    return { ok: true, weights: { dense } };
  }
  const cols = head.map((h) => LIST_COLUMNS[h.toLowerCase()]);
  const unknown = head.filter((_, i) => cols[i] === undefined);
  if (unknown.length > 0) return fail(`has columns ${unknown.map((u) => `"${u}"`).join(', ')}; a synapse list has the columns pre, post, w (or weight) and optionally delay_ms`);
  for (const need of ['pre', 'post', 'w'] as const) if (!cols.includes(need)) return fail(`has no column "${need}" (a synapse list has pre, post, w and optionally delay_ms)`);
  const lists: Record<string, number[]> = { pre: [], post: [], w: [], delay_ms: [] };
  for (let k = 0; k < rows.length; k++) {
    if (rows[k].length !== cols.length) return fail(`line ${k + first} has ${rows[k].length} values, the header ${cols.length}`);
    const r = numbers(rows[k], k + first);
    if (typeof r === 'string') return fail(r);
    r.forEach((x, c) => lists[cols[c]!].push(x));
  }
  return { ok: true, weights: { pre: lists.pre, post: lists.post, w: lists.w, ...(cols.includes('delay_ms') ? { delay_ms: lists.delay_ms } : {}) } };
}

/**
 * The weights a `.npy`, `.npz` or `.csv` file holds (see the module docs);
 * `key` picks an array of an `.npz`. A sentence on failure (the caller adds
 * who refers to the file). Shapes and indices against the projection's sizes
 * are checked later, with the document (`checkWeightsField`).
 */
export function weightsFromTable(name: string, content: string | Uint8Array, key?: string): TableResult {
  try {
    if (/\.csv$/i.test(name)) return fromCsv(typeof content === 'string' ? content : asciiText(content));
    if (typeof content === 'string') return fail('was read as text; .npy and .npz files are binary');
    if (/\.npz$/i.test(name)) return fromNpz(content, key);
    return denseOf(readNpy(content), 'its array');
  } catch (e) {
    if (e instanceof NpyError) return fail(`cannot be read: ${e.message}`);
    throw e;
  }
}

/** Latin-1/ASCII bytes as text (a CSV of numbers is ASCII; the core has no TextDecoder). */
function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
