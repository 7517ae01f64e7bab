/**
 * Float32 SIMD kernels (f32x4) of the surrogate-gradient trainer's dense
 * projections (engine/learn/sg-network.ts): the three products of a step of
 * an all-to-all, delay-free projection whose source spikes are 0 or 1.
 *
 * A projection's weights W and its gradient accumulator G live here as
 * float32 rows of `rowBytes` bytes each (the target count rounded up to 16
 * floats, the padding zero), so every loop runs on whole blocks of four
 * f32x4 vectors:
 *
 * - `fwd(rows, nRows, w, rowBytes, y, f)`: y = f · Σ_r W[rows[r]] — the input a
 *   step's spiking source rows send (f: the receptor's sign);
 * - `outer(rows, nRows, g, rowBytes, gi)`: G[rows[r]] += gi for every r — the
 *   weight gradient of those rows (gi: the target current's gradient, times the sign);
 * - `dots(ns, w, rowBytes, gi, out)`: out[i] = W[i] · gi for i < ns — the
 *   gradient reaching each source neuron.
 *
 * `rows` is a list of i32 row indices; the other arguments are byte
 * addresses (16-byte aligned) and counts. Float32 rounding differs from the
 * float64 JS loops in the last bits; sg-network.test.ts bounds the difference.
 */
import { BLOCK, BR, BR_IF, END, I32, I32_ADD, I32_CONST, I32_GE_U, I32_LOAD, I32_MUL, I32_SHL, LOOP, V128, VOID, get, set, simd, uleb } from '../core/wasm.ts';
import { wasmKernelsEnabled } from './wasm-kernels.ts';
import { api, assemble, type FuncDef, type WasmMemory } from '../core/wasm.ts';

const F32 = 0x7d;
const F32_ADD = 0x92;
const F32_STORE = [0x38, 2, 0];
const F32X4_SPLAT = simd(0x13);
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const f32x4Lane = (lane: number): number[] => simd(0x1f, lane);
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const loadAt = (offset: number): number[] => simd(0x00, 4, ...uleb(offset));
const storeAt = (offset: number): number[] => simd(0x0b, 4, ...uleb(offset));
const i32 = (n: number): number[] => [I32_CONST, ...sleb(n)];

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** `while (get(i) < get(end)) { body; i += step }` (unsigned compare). */
function whileBelow(i: number, end: number, step: number, body: number[]): number[] {
  return [BLOCK, VOID, LOOP, VOID, ...get(i), ...get(end), I32_GE_U, BR_IF, 1, ...body, ...get(i), ...i32(step), I32_ADD, ...set(i), BR, 0, END, END];
}

/** The four accumulators a[k] (locals) set to zero. */
const zero4 = (a: readonly number[]): number[] => a.flatMap((l) => [...V128_ZERO, ...set(l)]);

/** Byte address of row `rows[*r]` at column block `jb`: base + rows[r]·rowBytes + jb. */
const rowAt = (base: number, r: number, rowBytes: number, jb: number): number[] => [...get(base), ...get(r), ...I32_LOAD, ...get(rowBytes), I32_MUL, I32_ADD, ...get(jb), I32_ADD];

function fwdDef(): FuncDef {
  const [rows, nRows, w, rowBytes, y, f] = [0, 1, 2, 3, 4, 5];
  const [jb, r, end, at, fv, a0, a1, a2, a3] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
  const acc = [a0, a1, a2, a3];
  const perRow = [...rowAt(w, r, rowBytes, jb), ...set(at), ...acc.flatMap((a, k) => [...get(a), ...get(at), ...loadAt(16 * k), ...F32X4_ADD, ...set(a)])];
  const perBlock = [
    ...zero4(acc),
    ...get(rows),
    ...set(r),
    ...whileBelow(r, end, 4, perRow),
    ...acc.flatMap((a, k) => [...get(y), ...get(jb), I32_ADD, ...get(a), ...get(fv), ...F32X4_MUL, ...storeAt(16 * k)]),
  ];
  return {
    exportName: 'fwd',
    params: [I32, I32, I32, I32, I32, F32],
    results: [],
    locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128],
    body: [...get(f), ...F32X4_SPLAT, ...set(fv), ...get(rows), ...get(nRows), ...i32(2), I32_SHL, I32_ADD, ...set(end), ...i32(0), ...set(jb), ...whileBelow(jb, rowBytes, 64, perBlock)],
  };
}

function outerDef(): FuncDef {
  const [rows, nRows, g, rowBytes, gi] = [0, 1, 2, 3, 4];
  const [jb, r, end, at, b0, b1, b2, b3] = [5, 6, 7, 8, 9, 10, 11, 12];
  const grad = [b0, b1, b2, b3];
  const perRow = [...rowAt(g, r, rowBytes, jb), ...set(at), ...grad.flatMap((b, k) => [...get(at), ...get(at), ...loadAt(16 * k), ...get(b), ...F32X4_ADD, ...storeAt(16 * k)])];
  const perBlock = [...grad.flatMap((b, k) => [...get(gi), ...get(jb), I32_ADD, ...loadAt(16 * k), ...set(b)]), ...get(rows), ...set(r), ...whileBelow(r, end, 4, perRow)];
  return {
    exportName: 'outer',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, V128, V128, V128, V128],
    body: [...get(rows), ...get(nRows), ...i32(2), I32_SHL, I32_ADD, ...set(end), ...i32(0), ...set(jb), ...whileBelow(jb, rowBytes, 64, perBlock)],
  };
}

function dotsDef(): FuncDef {
  const [ns, w, rowBytes, gi, out] = [0, 1, 2, 3, 4];
  const [i, jb, at, q, a0, a1, a2, a3] = [5, 6, 7, 8, 9, 10, 11, 12];
  const acc = [a0, a1, a2, a3];
  // at: this row's block address, q: gi's.
  const perBlock = [
    ...get(w),
    ...get(jb),
    I32_ADD,
    ...set(at),
    ...get(gi),
    ...get(jb),
    I32_ADD,
    ...set(q),
    ...acc.flatMap((a, k) => [...get(a), ...get(at), ...loadAt(16 * k), ...get(q), ...loadAt(16 * k), ...F32X4_MUL, ...F32X4_ADD, ...set(a)]),
  ];
  const sum = [...get(a0), ...get(a1), ...F32X4_ADD, ...get(a2), ...get(a3), ...F32X4_ADD, ...F32X4_ADD, ...set(a0)];
  const lanes = [...get(a0), ...f32x4Lane(0), ...get(a0), ...f32x4Lane(1), F32_ADD, ...get(a0), ...f32x4Lane(2), ...get(a0), ...f32x4Lane(3), F32_ADD, F32_ADD];
  const perRow = [
    ...zero4(acc),
    ...i32(0),
    ...set(jb),
    ...whileBelow(jb, rowBytes, 64, perBlock),
    ...sum,
    ...get(out),
    ...get(i),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...lanes,
    ...F32_STORE,
    ...get(w),
    ...get(rowBytes),
    I32_ADD,
    ...set(w),
  ];
  return {
    exportName: 'dots',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, V128, V128, V128, V128],
    body: [...i32(0), ...set(i), ...whileBelow(i, ns, 1, perRow)],
  };
}

export type TrainFwd = (rows: number, nRows: number, w: number, rowBytes: number, y: number, f: number) => void;
export type TrainOuter = (rows: number, nRows: number, g: number, rowBytes: number, gi: number) => void;
export type TrainDots = (ns: number, w: number, rowBytes: number, gi: number, out: number) => void;

/** One dense projection's float32 weights and gradient accumulator (views into the kernels' memory). */
export interface DenseSlot {
  readonly ns: number;
  readonly nt: number;
  /** Floats per row (nt rounded up to 16). */
  readonly stride: number;
  readonly wAddr: number;
  readonly gAddr: number;
  readonly w: Float32Array;
  readonly g: Float32Array;
}

/** The kernels and their memory: one slot per dense projection, and scratch lists. */
export interface TrainKernels {
  readonly fwd: TrainFwd;
  readonly outer: TrainOuter;
  readonly dots: TrainDots;
  readonly slots: readonly DenseSlot[];
  /** i32 row list (as long as the largest source). */
  readonly rowsAddr: number;
  readonly rows: Int32Array;
  /** f32 scratch as long as the largest stride (y of `fwd`, gi of `outer`/`dots`), and as the largest source (out of `dots`). */
  readonly yAddr: number;
  readonly y: Float32Array;
  readonly giAddr: number;
  readonly gi: Float32Array;
  readonly outAddr: number;
  readonly out: Float32Array;
}

let compiled: object | null | undefined;

function trainModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(assemble([fwdDef(), outerDef(), dotsDef()])) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Floats per row of a projection onto `nt` targets. */
export const strideOf = (nt: number): number => Math.max(16, Math.ceil(nt / 16) * 16);

/**
 * The kernels over a fresh memory holding a slot per `[sources, targets]`
 * shape, or null when WebAssembly (with SIMD) is not available or the wasm
 * kernels are turned off (`setWasmKernelsEnabled`); the caller then uses JS.
 */
export function trainKernels(shapes: readonly (readonly [number, number])[]): TrainKernels | null {
  if (!wasmKernelsEnabled() || shapes.length === 0) return null;
  const mod = trainModule();
  if (!api || !mod) return null;
  const maxNs = Math.max(...shapes.map((s) => s[0]));
  const maxStride = Math.max(...shapes.map((s) => strideOf(s[1])));
  const align = (n: number) => Math.ceil(n / 16) * 16;
  let top = 0;
  const take = (bytes: number) => {
    const at = top;
    top += align(bytes);
    return at;
  };
  const rowsAddr = take(4 * maxNs);
  const yAddr = take(4 * maxStride);
  const giAddr = take(4 * maxStride);
  const outAddr = take(4 * maxNs);
  const layout = shapes.map(([ns, nt]) => ({ ns, nt, stride: strideOf(nt), wAddr: take(4 * ns * strideOf(nt)), gAddr: take(4 * ns * strideOf(nt)) }));
  const pages = Math.max(1, Math.ceil(top / 65536));
  if (pages > 32768) return null;
  try {
    const mem: WasmMemory = new api.Memory({ initial: pages, maximum: pages });
    const inst = new api.Instance(mod, { env: { mem } });
    const b = mem.buffer;
    return {
      fwd: inst.exports.fwd as TrainFwd,
      outer: inst.exports.outer as TrainOuter,
      dots: inst.exports.dots as TrainDots,
      slots: layout.map((l) => ({ ...l, w: new Float32Array(b, l.wAddr, l.ns * l.stride), g: new Float32Array(b, l.gAddr, l.ns * l.stride) })),
      rowsAddr,
      rows: new Int32Array(b, rowsAddr, maxNs),
      yAddr,
      y: new Float32Array(b, yAddr, maxStride),
      giAddr,
      gi: new Float32Array(b, giAddr, maxStride),
      outAddr,
      out: new Float32Array(b, outAddr, maxNs),
    };
  } catch {
    return null;
  }
}
