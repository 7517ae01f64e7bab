/**
 * `.nir` files ⇄ the NIR graph model, through h5wasm (the HDF5 C library compiled to
 * WebAssembly). The file lives only in h5wasm's in-memory file system (MEMFS) for the length
 * of one call, so the same code runs in Node, a Web Worker and the renderer; reading and
 * writing the bytes on disk is the caller's business.
 *
 * The layout is the reference package's (`nir.write` / `nir.read` in
 * `../shared/oracles/nir/nir/serialization.py`):
 *
 * ```
 * /version            scalar UTF-8 string ("1.0.7")
 * /node               group: the root NIRGraph
 *   type              scalar string dataset "NIRGraph" (a dataset, not an attribute)
 *   edges             [n, 2] strings (source, target); an empty graph: float64 [0]
 *   nodes/<name>/     one group per node: `type` plus one dataset per parameter
 *   metadata/         optional; strings, numbers, arrays and nested groups
 * ```
 *
 * Arrays are written as numpy writes them: their own dtype, gzip level 4, chunks of at most
 * 1 MiB (one chunk for a small array); Python
 * scalars (`groups`, `start_dim`) as 0-d datasets. Groups track creation order, so a
 * graph's node order survives a round trip (h5py then lists them in that order too).
 */
import type h5wasmModule from 'h5wasm';
import type { Dataset, Group } from 'h5wasm';
import { NIR_PRIMITIVES, NIR_VERSION, filled, isPrimitiveType, isTensor, tensorSize } from './model.ts';
import type { NirDtype, NirEdge, NirFieldSpec, NirGraph, NirMetaValue, NirMetadata, NirNode, NirTensor } from './model.ts';
import { NirFormatError, validateNirGraph } from './validate.ts';
import type { NirProblem } from './validate.ts';

type H5 = typeof h5wasmModule;
type Fs = Awaited<H5['ready']>['FS'];

/** h5wasm, set by {@link fileSystem} before any file is opened. */
let h5wasm: H5;
let loaded: Promise<Fs> | undefined;
/**
 * h5wasm's module loads once, on first use (about 4 MB of WebAssembly, embedded in its
 * JavaScript): imported statically, it was compiled and started by every process that loads
 * the engine — 0.4 s of CPU at each `spikeflow run` start, though only NIR files need it.
 */
function fileSystem(): Promise<Fs> {
  loaded ??= import('h5wasm').then(async ({ default: h5 }) => {
    const { FS } = await h5.ready;
    h5wasm = h5;
    return FS;
  });
  return loaded;
}

let fileCounter = 0;
/** A fresh MEMFS path; the caller unlinks it. */
const memPath = (): string => `/spikeflow-nir-${++fileCounter}.h5`;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5's superblock sits at byte 0, 512, 1024, 2048, … (after a user block). */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/**
 * Reads a `.nir` file. Throws {@link NirFormatError} listing every problem (each naming its
 * node path, e.g. `node/nodes/lif1`, and field) and returns nothing partial. Missing
 * `v_reset` becomes zeros and missing or scalar `w_in` ones per neuron, as the reference
 * reader does; integer-typed datasets keep their dtype; float16 and other exotic types are
 * refused by name. The file's `version` is not checked (the reference reader does not either).
 */
export async function readNir(bytes: Uint8Array): Promise<NirGraph> {
  if (!hasHdf5Signature(bytes)) {
    throw new NirFormatError([{ path: '/', message: `not an HDF5 file (no HDF5 signature in its ${bytes.length} bytes); a .nir file is HDF5 as written by nir.write` }]);
  }
  const fs = await fileSystem();
  const path = memPath();
  fs.writeFile(path, bytes);
  let file: InstanceType<H5['File']> | undefined;
  try {
    file = new h5wasm.File(path, 'r');
    return parseFile(file);
  } catch (e) {
    if (e instanceof NirFormatError) throw e;
    throw new NirFormatError([{ path: '/', message: `could not be read as HDF5 (${String(e)}); the file may be truncated or damaged` }]);
  } finally {
    try {
      file?.close();
    } finally {
      fs.unlink(path);
    }
  }
}

function parseFile(file: InstanceType<H5['File']>): NirGraph {
  const problems: NirProblem[] = [];
  const root = file.keys().includes('node') ? file.get('node') : null;
  if (!(root instanceof h5wasm.Group)) {
    throw new NirFormatError([{ path: '/node', message: 'is missing: a NIR file has a root group "node" holding the graph' }]);
  }
  const graph = readNode(root, 'node', problems);
  if (graph && graph.type !== 'NIRGraph') {
    problems.push({ path: 'node', nodeType: graph.type, field: 'type', message: 'the root node must be a NIRGraph' });
  }
  if (problems.length > 0 || !graph || graph.type !== 'NIRGraph') throw new NirFormatError(problems);
  const invalid = validateNirGraph(graph);
  if (invalid.length > 0) throw new NirFormatError(invalid);
  return graph;
}

/**
 * Writes a graph as a `.nir` file that `nir.read` loads. Refuses (with
 * {@link NirFormatError}) a graph that does not validate; nothing is written then.
 */
export async function writeNir(graph: NirGraph): Promise<Uint8Array> {
  const problems = validateNirGraph(graph);
  if (problems.length > 0) throw new NirFormatError(problems);
  const fs = await fileSystem();
  const path = memPath();
  const file = new h5wasm.File(path, 'w', { track_order: true });
  let open = true;
  try {
    file.create_dataset({ name: 'version', data: NIR_VERSION });
    writeNode(file.create_group('node', true), graph);
    file.close();
    open = false;
    return fs.readFile(path);
  } finally {
    try {
      if (open) file.close();
    } finally {
      fs.unlink(path);
    }
  }
}

// ---- reading ---------------------------------------------------------------

type Read<T> = T | undefined;

function readNode(group: Group, path: string, problems: NirProblem[]): Read<NirNode> {
  const keys = group.keys();
  const bad = (field: string | undefined, message: string, nodeType?: string) => problems.push({ path, nodeType, field, message });
  if (!keys.includes('type')) {
    bad('type', 'is missing: every NIR node group holds a scalar string dataset "type"');
    return undefined;
  }
  const typeSet = group.get('type');
  const type = typeSet instanceof h5wasm.Dataset ? typeSet.value : undefined;
  if (typeof type !== 'string') {
    bad('type', 'must be a scalar string dataset (e.g. "LIF")');
    return undefined;
  }
  const metadata = keys.includes('metadata') ? readMetadata(group.get('metadata'), `${path}/metadata`, problems) : {};
  if (type === 'NIRGraph') return readGraph(group, keys, path, metadata, problems);
  if (!isPrimitiveType(type)) {
    bad('type', `unknown NIR type "${type}" (known: NIRGraph, ${Object.keys(NIR_PRIMITIVES).join(', ')})`);
    return undefined;
  }
  const spec: Record<string, NirFieldSpec> = NIR_PRIMITIVES[type];
  const params: Record<string, NirTensor | string> = {};
  let ok = true;
  for (const key of keys) {
    if (key === 'type' || key === 'metadata') continue;
    if (!Object.hasOwn(spec, key)) {
      bad(key, `is not a parameter of ${type} (the reference reader refuses it; extra values belong under metadata/)`, type);
      ok = false;
      continue;
    }
    const v = readValue(group.get(key), `${path}/${key}`, problems, spec[key].role === 'padding', type);
    if (v === undefined) ok = false;
    else if (Array.isArray(v)) {
      bad(key, 'must be numbers, not a list of strings', type);
      ok = false;
    } else params[key] = v as NirTensor | string;
  }
  if (!ok) return undefined;
  fillMissing(spec, params);
  return { type, params, metadata } as unknown as NirNode;
}

/** The reference reader's defaults: `v_reset` zeros, `w_in` ones, a scalar `w_in` broadcast. */
function fillMissing(spec: Record<string, NirFieldSpec>, params: Record<string, NirTensor | string>): void {
  const neuron = Object.keys(spec).find((f) => spec[f].role === 'neuron' && spec[f].missing === 'required' && typeof params[f] === 'object');
  const shape = neuron ? (params[neuron] as NirTensor).shape : undefined;
  for (const [field, s] of Object.entries(spec)) {
    const v = params[field];
    if (s.missing !== 'zeros' && s.missing !== 'ones') continue;
    if (v === undefined) {
      if (shape) params[field] = filled(shape, s.missing === 'zeros' ? 0 : 1);
    } else if (s.missing === 'ones' && typeof v === 'object' && shape && v.data.length === 1 && tensorSize(shape) !== 1) {
      params[field] = filled(shape, v.data[0]);
    }
  }
}

function readGraph(group: Group, keys: string[], path: string, metadata: NirMetadata, problems: NirProblem[]): Read<NirGraph> {
  const bad = (field: string, message: string) => problems.push({ path, nodeType: 'NIRGraph', field, message });
  const nodesGroup = keys.includes('nodes') ? group.get('nodes') : null;
  if (!(nodesGroup instanceof h5wasm.Group)) bad('nodes', 'is missing: a NIRGraph holds a group "nodes"');
  const edgesSet = keys.includes('edges') ? group.get('edges') : null;
  let edges: NirEdge[] | undefined;
  if (!(edgesSet instanceof h5wasm.Dataset)) bad('edges', 'is missing: a NIRGraph holds a dataset "edges" (n × 2 node names)');
  else edges = readEdges(edgesSet, (m) => bad('edges', m));
  for (const key of keys) {
    if (!['type', 'nodes', 'edges', 'metadata'].includes(key)) bad(key, 'is not part of a NIRGraph (extra values belong under metadata/)');
  }
  if (!(nodesGroup instanceof h5wasm.Group) || !edges) return undefined;
  const nodes = new Map<string, NirNode>();
  let ok = true;
  for (const name of nodesGroup.keys()) {
    const child = nodesGroup.get(name);
    const childPath = `${path}/nodes/${name}`;
    if (!(child instanceof h5wasm.Group)) {
      problems.push({ path: childPath, message: 'must be a group (one per node)' });
      ok = false;
      continue;
    }
    const node = readNode(child, childPath, problems);
    if (node) nodes.set(name, node);
    else ok = false;
  }
  return ok ? { type: 'NIRGraph', nodes, edges, metadata } : undefined;
}

function readEdges(set: Dataset, bad: (m: string) => void): NirEdge[] | undefined {
  const shape = set.shape ?? [];
  const value = safeValue(set);
  if (shape.length === 1 && shape[0] === 0) return [];
  if (shape.length !== 2 || shape[1] !== 2 || !Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    bad(`must be an n × 2 array of node names (got shape [${shape.join(', ')}]${Array.isArray(value) ? '' : ' of non-strings'})`);
    return undefined;
  }
  const names = value as string[];
  const edges: NirEdge[] = [];
  for (let i = 0; i < names.length; i += 2) edges.push([names[i], names[i + 1]]);
  return edges;
}

function safeValue(set: Dataset): unknown {
  try {
    return set.value;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
const H5T_ENUM = 8;

/** A dataset as a tensor, a string or a list of strings; undefined (with a problem) otherwise. */
function readValue(entity: unknown, path: string, problems: NirProblem[], stringOk = true, nodeType?: string): NirTensor | string | string[] | undefined {
  const slash = path.lastIndexOf('/');
  const bad = (message: string) => {
    problems.push({ path: path.slice(0, slash), nodeType, field: path.slice(slash + 1), message });
    return undefined;
  };
  if (!(entity instanceof h5wasm.Dataset)) return bad('must be a dataset');
  const meta = entity.metadata;
  const shape = entity.shape;
  if (shape === null) return bad('is an empty (null) dataset');
  if (meta.type === H5T_STRING) {
    if (!stringOk) return bad('must be numbers, not a string');
    const v = safeValue(entity);
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    return bad('holds strings h5wasm could not decode');
  }
  const base = meta.type === H5T_ENUM && meta.enum_type ? { type: meta.enum_type.type, size: meta.size, signed: meta.signed } : meta;
  let dtype: NirDtype;
  if (base.type === H5T_FLOAT && (meta.size === 8 || meta.size === 4)) dtype = meta.size === 8 ? 'float64' : 'float32';
  else if (base.type === H5T_INTEGER && [1, 2, 4, 8].includes(meta.size)) dtype = `${meta.signed ? 'int' : 'uint'}${meta.size * 8}` as NirDtype;
  else {
    const what = base.type === H5T_FLOAT ? `float${meta.size * 8}` : `HDF5 type class ${meta.type}, ${meta.size} bytes`;
    return bad(`has an unsupported datatype (${what}); NIR parameters are float32, float64 or integers`);
  }
  const raw = safeValue(entity);
  if (raw instanceof Error) return bad(`could not be read (${raw.message})`);
  const flat: ArrayLike<number | bigint> = typeof raw === 'number' || typeof raw === 'bigint' ? [raw] : (raw as ArrayLike<number | bigint>);
  const n = tensorSize(shape);
  if (flat.length !== n) return bad(`has shape [${shape.join(', ')}] but ${flat.length} values`);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = flat[i];
    if (typeof x === 'bigint') {
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) return bad(`element ${i} (${x}) is beyond 2^53, too large to hold exactly`);
      data[i] = Number(x);
    } else data[i] = x;
  }
  return { dtype, shape: [...shape], data };
}

function readMetadata(entity: unknown, path: string, problems: NirProblem[]): NirMetadata {
  if (!(entity instanceof h5wasm.Group)) {
    const slash = path.lastIndexOf('/');
    problems.push({ path: path.slice(0, slash), field: 'metadata', message: 'must be a group' });
    return {};
  }
  const entries: [string, NirMetaValue][] = [];
  for (const key of entity.keys()) {
    const child = entity.get(key);
    const v = child instanceof h5wasm.Group ? readMetadata(child, `${path}/${key}`, problems) : readValue(child, `${path}/${key}`, problems);
    if (v !== undefined) entries.push([key, v]);
  }
  // fromEntries makes own properties, so a key such as "__proto__" stays a key.
  return Object.fromEntries(entries);
}

// ---- writing ---------------------------------------------------------------

const H5_DTYPE: Record<NirDtype, string> = {
  float64: '<d',
  float32: '<f',
  int64: '<q',
  int32: '<i',
  int16: '<h',
  int8: '<b',
  uint64: '<Q',
  uint32: '<I',
  uint16: '<H',
  uint8: '<B',
};

function typedData(t: NirTensor): Float64Array | Float32Array | BigInt64Array | BigUint64Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array {
  switch (t.dtype) {
    case 'float64':
      return Float64Array.from(t.data);
    case 'float32':
      return Float32Array.from(t.data);
    case 'int64':
      return BigInt64Array.from(t.data, (x) => BigInt(x));
    case 'uint64':
      return BigUint64Array.from(t.data, (x) => BigInt(x));
    case 'int32':
      return Int32Array.from(t.data);
    case 'int16':
      return Int16Array.from(t.data);
    case 'int8':
      return Int8Array.from(t.data);
    case 'uint32':
      return Uint32Array.from(t.data);
    case 'uint16':
      return Uint16Array.from(t.data);
    case 'uint8':
      return Uint8Array.from(t.data);
  }
}

const BYTES: Record<NirDtype, number> = {
  float64: 8,
  float32: 4,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint64: 8,
  uint32: 4,
  uint16: 2,
  uint8: 1,
};
const MAX_CHUNK_BYTES = 1 << 20;

/** The whole array as one chunk up to 1 MiB; beyond, the largest dimension halved until it fits (as h5py's guess). */
export function chunkShape(shape: readonly number[], bytesPerElement: number): number[] {
  const chunk = [...shape];
  while (tensorSize(chunk) * bytesPerElement > MAX_CHUNK_BYTES) {
    const i = chunk.indexOf(Math.max(...chunk));
    if (chunk[i] === 1) break;
    chunk[i] = Math.ceil(chunk[i] / 2);
  }
  return chunk;
}

function writeTensor(group: Group, name: string, t: NirTensor): void {
  const compress = t.shape.length > 0 && t.data.length > 0;
  group.create_dataset({
    name,
    data: typedData(t),
    shape: [...t.shape],
    dtype: H5_DTYPE[t.dtype],
    ...(compress ? { chunks: chunkShape(t.shape, BYTES[t.dtype]), compression: 'gzip' as const, compression_opts: [4] } : {}),
  });
}

function writeValue(group: Group, name: string, v: NirMetaValue): void {
  if (typeof v === 'string') group.create_dataset({ name, data: v });
  else if (Array.isArray(v)) group.create_dataset({ name, data: [...(v as readonly string[])], shape: [v.length] });
  else if (isTensor(v)) writeTensor(group, name, v);
  else writeMetadata(group.create_group(name, true), v as NirMetadata);
}

function writeMetadata(group: Group, meta: NirMetadata): void {
  for (const [k, v] of Object.entries(meta)) writeValue(group, k, v);
}

function writeNode(group: Group, node: NirNode): void {
  if (node.type === 'NIRGraph') {
    const nodes = group.create_group('nodes', true);
    for (const [name, child] of node.nodes) writeNode(nodes.create_group(name, true), child);
    if (node.edges.length === 0) group.create_dataset({ name: 'edges', data: new Float64Array(0), shape: [0], dtype: '<d' });
    else group.create_dataset({ name: 'edges', data: node.edges.flatMap(([a, b]) => [a, b]), shape: [node.edges.length, 2] });
  } else {
    const params = node.params as Record<string, NirTensor | string | undefined>;
    for (const field of Object.keys(NIR_PRIMITIVES[node.type])) {
      const v = params[field];
      if (v !== undefined) writeValue(group, field, v);
    }
  }
  group.create_dataset({ name: 'type', data: node.type });
  if (Object.keys(node.metadata).length > 0) writeMetadata(group.create_group('metadata', true), node.metadata);
}
