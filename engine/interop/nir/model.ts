/**
 * The NIR graph model: every primitive of the reference package (neuromorphs/NIR 1.0.7,
 * `nir/ir/*.py`) as typed data, with its parameters as flat typed arrays plus a shape
 * (row-major, numpy's C order). Pure data: no HDF5, no Spikeflow kinds.
 *
 * One declaration, {@link NIR_PRIMITIVES}, lists each primitive's datasets; the reader,
 * the writer and the validator all walk it, and the parameter types below are derived
 * from it.
 */

/** Element types a NIR dataset may have (h5py stores numpy bools as int8 enums: read as int8). */
export const NIR_DTYPES = ['float64', 'float32', 'int64', 'int32', 'int16', 'int8', 'uint64', 'uint32', 'uint16', 'uint8'] as const;
export type NirDtype = (typeof NIR_DTYPES)[number];

/**
 * An n-dimensional numeric array. `data` is row-major with `product(shape)` elements
 * (one for a 0-d scalar, `shape = []`). float32 data stays a `Float32Array`; float64 and
 * every integer type are held in a `Float64Array` (integers beyond 2^53 are refused on read)
 * and written back with their own `dtype`.
 */
export interface NirTensor {
  readonly dtype: NirDtype;
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
}

/**
 * Metadata: strings, lists of strings, tensors (a Python float or int is a 0-d tensor) and
 * nested groups.
 */
export type NirMetaValue = string | readonly string[] | NirTensor | NirMetadata;
export interface NirMetadata {
  readonly [key: string]: NirMetaValue;
}

/**
 * How one dataset of a primitive is read, checked and written.
 * - `neuron`: a float array; all `neuron` fields of a node share one shape (the population's).
 * - `float`: a float array of any shape (weights, biases, delays, scales).
 * - `int`: an integer scalar or vector (shapes, strides, dims).
 * - `padding`: an integer scalar or vector, or the string `same` / `valid`.
 *
 * `missing` says what a reader does when the file lacks it: `required` (an error), `zeros` /
 * `ones` (filled with the neuron shape, as the reference reader does for `v_reset` and
 * `w_in`), or `absent` (left undefined; written only when present).
 */
export interface NirFieldSpec {
  readonly role: 'neuron' | 'float' | 'int' | 'padding';
  readonly missing: 'required' | 'zeros' | 'ones' | 'absent';
}

const N = { role: 'neuron', missing: 'required' } as const;
const F = { role: 'float', missing: 'required' } as const;
const I = { role: 'int', missing: 'required' } as const;

/**
 * The primitives and their datasets, in the order the reference writer emits them
 * (`dataclasses.asdict` order). `NIRGraph` is not listed: its `nodes/` and `edges` are
 * structural. Keep in step with `../shared/oracles/nir/nir/ir/*.py`.
 */
export const NIR_PRIMITIVES = {
  LIF: { tau: N, r: N, v_leak: N, v_threshold: N, v_reset: { role: 'neuron', missing: 'zeros' } },
  CubaLIF: {
    tau_syn: N,
    tau_mem: N,
    r: N,
    v_leak: N,
    v_threshold: N,
    v_reset: { role: 'neuron', missing: 'zeros' },
    w_in: { role: 'neuron', missing: 'ones' },
  },
  IF: { r: N, v_threshold: N, v_reset: { role: 'neuron', missing: 'zeros' } },
  LI: { tau: N, r: N, v_leak: N },
  CubaLI: { tau_syn: N, tau_mem: N, r: N, v_leak: N, w_in: { role: 'neuron', missing: 'ones' } },
  I: { r: N },
  Affine: { weight: F, bias: F },
  Linear: { weight: F },
  Scale: { scale: F },
  Threshold: { threshold: F },
  Delay: { delay: F },
  Input: { shape: I },
  Output: { shape: I },
  Flatten: { start_dim: I, end_dim: I, input_type: { role: 'int', missing: 'absent' } },
  Conv1d: {
    input_shape: { role: 'int', missing: 'absent' },
    weight: F,
    stride: I,
    padding: { role: 'padding', missing: 'required' },
    dilation: I,
    groups: I,
    bias: F,
  },
  Conv2d: {
    input_shape: { role: 'int', missing: 'absent' },
    weight: F,
    stride: I,
    padding: { role: 'padding', missing: 'required' },
    dilation: I,
    groups: I,
    bias: F,
  },
  SumPool2d: { kernel_size: I, stride: I, padding: I },
  AvgPool2d: { kernel_size: I, stride: I, padding: I },
} as const satisfies Record<string, Record<string, NirFieldSpec>>;

export type NirPrimitiveType = keyof typeof NIR_PRIMITIVES;
export type NirNodeType = NirPrimitiveType | 'NIRGraph';

/** `same` / `valid` padding of a convolution (PyTorch's meaning). */
export type NirPaddingMode = 'same' | 'valid';

type FieldValue<S extends NirFieldSpec> = S['role'] extends 'padding' ? NirTensor | NirPaddingMode : NirTensor;
type Spec<T extends NirPrimitiveType> = (typeof NIR_PRIMITIVES)[T];
type RequiredKeys<T extends NirPrimitiveType> = {
  [K in keyof Spec<T>]: Spec<T>[K] extends { missing: 'absent' } ? never : K;
}[keyof Spec<T>];
type AbsentKeys<T extends NirPrimitiveType> = Exclude<keyof Spec<T>, RequiredKeys<T>>;

/** The parameters of primitive `T`, derived from {@link NIR_PRIMITIVES}. */
export type NirParams<T extends NirPrimitiveType> = {
  readonly [K in RequiredKeys<T>]: Spec<T>[K] extends NirFieldSpec ? FieldValue<Spec<T>[K]> : never;
} & {
  readonly [K in AbsentKeys<T>]?: Spec<T>[K] extends NirFieldSpec ? FieldValue<Spec<T>[K]> : never;
};

/** One primitive node: its type tag, parameters and metadata (empty when the file has none). */
export type NirPrimitive = {
  [T in NirPrimitiveType]: { readonly type: T; readonly params: NirParams<T>; readonly metadata: NirMetadata };
}[NirPrimitiveType];

/** A node of a given type, e.g. `NirNodeOf<'LIF'>`. */
export type NirNodeOf<T extends NirNodeType> = Extract<NirNode, { type: T }>;

/** An edge from one node to another of the same graph, by name. */
export type NirEdge = readonly [source: string, target: string];

/**
 * A NIR graph (the file's root `node`, or a nested subgraph). `nodes` keeps the file's
 * order (the writer sets HDF5 creation-order tracking, so it survives a round trip).
 */
export interface NirGraph {
  readonly type: 'NIRGraph';
  readonly nodes: ReadonlyMap<string, NirNode>;
  readonly edges: readonly NirEdge[];
  readonly metadata: NirMetadata;
}

export type NirNode = NirPrimitive | NirGraph;

/** The NIR version this model follows and the writer records in the file's `version`. */
export const NIR_VERSION = '1.0.7';

export function isPrimitiveType(type: string): type is NirPrimitiveType {
  return Object.prototype.hasOwnProperty.call(NIR_PRIMITIVES, type);
}

export function tensorSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A tensor from values. `shape` defaults to 1-D; `dtype` to float64 (float32 stores a
 * `Float32Array`, so values are rounded as numpy would).
 */
export function tensor(values: ArrayLike<number>, shape: readonly number[] = [values.length], dtype: NirDtype = 'float64'): NirTensor {
  if (tensorSize(shape) !== values.length) {
    throw new Error(`tensor: shape [${shape.join(', ')}] needs ${tensorSize(shape)} values, got ${values.length}`);
  }
  const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return { dtype, shape: [...shape], data };
}

/** A 0-d tensor (a Python scalar: `dt = 1e-4` in metadata, `groups = 1`). */
export function scalar(value: number, dtype: NirDtype = 'float64'): NirTensor {
  return tensor([value], [], dtype);
}

/** A 1-D int64 tensor (shapes, strides, kernel sizes). */
export function ints(values: readonly number[]): NirTensor {
  return tensor(values, [values.length], 'int64');
}

/** A float64 tensor of `shape` with every element `value`. */
export function filled(shape: readonly number[], value: number): NirTensor {
  return { dtype: 'float64', shape: [...shape], data: new Float64Array(tensorSize(shape)).fill(value) };
}

/** A graph from nodes in order and edges. */
export function nirGraph(nodes: Iterable<readonly [string, NirNode]>, edges: readonly NirEdge[], metadata: NirMetadata = {}): NirGraph {
  return { type: 'NIRGraph', nodes: new Map(nodes), edges, metadata };
}

/** A primitive node, typed by its tag: `nirNode('LIF', { tau, r, v_leak, v_threshold, v_reset })`. */
export function nirNode<T extends NirPrimitiveType>(type: T, params: NirParams<T>, metadata: NirMetadata = {}): NirNodeOf<T> {
  return { type, params, metadata } as unknown as NirNodeOf<T>;
}

export function isTensor(v: NirMetaValue | undefined): v is NirTensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'dtype' in v && 'data' in v && 'shape' in v && (v.data instanceof Float64Array || v.data instanceof Float32Array);
}

/** A metadata number (a 0-d or one-element tensor), or undefined. */
export function metaNumber(meta: NirMetadata, key: string): number | undefined {
  const v = meta[key];
  return isTensor(v) && v.data.length === 1 ? v.data[0] : undefined;
}

/** The neuron shape of a neuron primitive (the shape its `neuron` fields share), else undefined. */
export function neuronShape(node: NirNode): readonly number[] | undefined {
  if (node.type === 'NIRGraph') return undefined;
  const spec: Record<string, NirFieldSpec> = NIR_PRIMITIVES[node.type];
  const params = node.params as Record<string, NirTensor | string | undefined>;
  for (const [field, s] of Object.entries(spec)) {
    const v = params[field];
    if (s.role === 'neuron' && typeof v === 'object') return v.shape;
  }
  return undefined;
}
