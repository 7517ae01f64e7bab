/**
 * Synaptic delivery in WebAssembly: a spike's row of the CSR added into a
 * ring slot, `slot[col[k]] += w`. This is the engine's hottest loop for the
 * Brunel networks (10⁸–10⁹ events per simulated second). V8's loop re-checks
 * both typed arrays' bounds and converts the Uint32 index on every event; the
 * wasm loop is a load, an address, a load-add-store and the loop test
 * (≈ 2× faster per event, measured in bench/README.md). The additions are
 * the JS loop's, in the same order (f32 weights are promoted to f64 exactly,
 * as JS does), so results are bit-identical.
 *
 * The columns, weights and ring buffers of the projections that use it live
 * in one memory per network (`Network` copies them there after drawing); the
 * memory never grows, so the typed-array views into it stay valid.
 */
import { BLOCK, BR, BR_IF, F32_LOAD, F64, F64_ADD, F64_CONVERT_I32_S, F64_CONVERT_I32_U, F64_LOAD, F64_LT, F64_MUL, F64_PROMOTE_F32, F64_STORE, GET, I32, I32_ADD, I32_CONST, I32_EQZ, I32_GE_U, I32_LOAD, I32_LT_U, I32_MUL, I32_ROTL, I32_SHL, I32_SHR_U, I32_STORE, I32_XOR, LOOP, SET, TEE, VOID } from './wasm-opcodes.ts';
import { api, assemble, wasmKernelsEnabled, type FuncDef } from './wasm-kernels.ts';


/**
 * `scatter(p, end, slot, wcAt)`: for each u32 column at byte addresses p, p+4, …
 * below end, `f64[slot + 8·col] += wc`, with the weight wc read from f64 at wcAt.
 * (Every parameter is an i32: a JS number passed for an f64 parameter is boxed,
 * an allocation per call.)
 */
function scatterDef(): FuncDef {
  const [p, end, slot, wcAt, at, wc] = [0, 1, 2, 3, 4, 5];
  return {
    exportName: 'scatter',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32, F64],
    body: [
      GET, wcAt, ...F64_LOAD, SET, wc,
      BLOCK, VOID,
      GET, p, GET, end, I32_GE_U, BR_IF, 0,
      LOOP, VOID,
      GET, slot, GET, p, ...I32_LOAD, I32_CONST, 3, I32_SHL, I32_ADD, SET, at,
      GET, at, GET, at, ...F64_LOAD, GET, wc, F64_ADD, ...F64_STORE,
      GET, p, I32_CONST, 4, I32_ADD, TEE, p, GET, end, I32_LT_U, BR_IF, 0,
      0x0b,
      0x0b,
    ],
  };
}

/** `scatterW(p, end, slot, wp)`: as `scatter`, with the f32 weight at wp, wp+4, … per synapse. */
function scatterWDef(): FuncDef {
  const [p, end, slot, wp, at] = [0, 1, 2, 3, 4];
  return {
    exportName: 'scatterW',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32],
    body: [
      BLOCK, VOID,
      GET, p, GET, end, I32_GE_U, BR_IF, 0,
      LOOP, VOID,
      GET, slot, GET, p, ...I32_LOAD, I32_CONST, 3, I32_SHL, I32_ADD, SET, at,
      GET, at, GET, at, ...F64_LOAD, GET, wp, ...F32_LOAD, F64_PROMOTE_F32, F64_ADD, ...F64_STORE,
      GET, wp, I32_CONST, 4, I32_ADD, SET, wp,
      GET, p, I32_CONST, 4, I32_ADD, TEE, p, GET, end, I32_LT_U, BR_IF, 0,
      0x0b,
      0x0b,
    ],
  };
}

/**
 * `poisson(n, slot, wAt, st, thr, guide, shift, kMin) → events`: `PoissonDrive.fill`
 * (poisson-drive.ts) over n neurons of the f64 slot at `slot`: per neuron one
 * xoshiro128** output u (state: 4 i32 at st, written back; the weight w is the
 * f64 at wAt), k from the guide
 * table (i32 at guide) and the f64 thresholds at thr, `slot[j] += k·w`.
 * Same integer steps, the same f64 comparison of u with the thresholds and
 * the same f64 product and sum as the JS loop.
 */
function poissonDef(): FuncDef {
  const [n, slot, wAt, st, thr, guide, shift, kMin] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [a, b, c, d, u, t, k, end, ev] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [uf, w] = [17, 18];
  const xorTo = (x: number, y: number) => [GET, x, GET, y, I32_XOR, SET, x];
  return {
    exportName: 'poisson',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64],
    body: [
      GET, wAt, ...F64_LOAD, SET, w,
      GET, st, ...I32_LOAD, SET, a,
      GET, st, I32_CONST, 4, I32_ADD, ...I32_LOAD, SET, b,
      GET, st, I32_CONST, 8, I32_ADD, ...I32_LOAD, SET, c,
      GET, st, I32_CONST, 12, I32_ADD, ...I32_LOAD, SET, d,
      BLOCK, VOID,
      GET, n, I32_EQZ, BR_IF, 0,
      GET, slot, GET, n, I32_CONST, 3, I32_SHL, I32_ADD, SET, end,
      LOOP, VOID,
      // u = rotl(b·5, 7)·9; then the state transition
      GET, b, I32_CONST, 5, I32_MUL, I32_CONST, 7, I32_ROTL, I32_CONST, 9, I32_MUL, SET, u,
      GET, b, I32_CONST, 9, I32_SHL, SET, t,
      ...xorTo(c, a), ...xorTo(d, b), ...xorTo(b, c), ...xorTo(a, d), ...xorTo(c, t),
      GET, d, I32_CONST, 11, I32_ROTL, SET, d,
      // k = guide[u >>> shift]; while (u >= thr[k]) k++
      GET, guide, GET, u, GET, shift, I32_SHR_U, I32_CONST, 2, I32_SHL, I32_ADD, ...I32_LOAD, SET, k,
      GET, u, F64_CONVERT_I32_U, SET, uf,
      BLOCK, VOID,
      LOOP, VOID,
      GET, uf, GET, thr, GET, k, I32_CONST, 3, I32_SHL, I32_ADD, ...F64_LOAD, F64_LT, BR_IF, 1,
      GET, k, I32_CONST, 1, I32_ADD, SET, k,
      BR, 0,
      0x0b,
      0x0b,
      GET, k, GET, kMin, I32_ADD, SET, k,
      // slot[j] += k·w
      GET, slot, GET, slot, ...F64_LOAD, GET, k, F64_CONVERT_I32_S, GET, w, F64_MUL, F64_ADD, ...F64_STORE,
      GET, ev, GET, k, I32_ADD, SET, ev,
      GET, slot, I32_CONST, 8, I32_ADD, TEE, slot, GET, end, I32_LT_U, BR_IF, 0,
      0x0b,
      0x0b,
      GET, st, GET, a, ...I32_STORE,
      GET, st, I32_CONST, 4, I32_ADD, GET, b, ...I32_STORE,
      GET, st, I32_CONST, 8, I32_ADD, GET, c, ...I32_STORE,
      GET, st, I32_CONST, 12, I32_ADD, GET, d, ...I32_STORE,
      GET, ev,
    ],
  };
}

export type PoissonKernel = (n: number, slot: number, wAt: number, st: number, thr: number, guide: number, shift: number, kMin: number) => number;

export type ScatterKernel = (p: number, end: number, slot: number, wcAt: number) => void;
export type ScatterWKernel = (p: number, end: number, slot: number, wp: number) => void;

/** The delivery kernels bound to one memory. */
export interface DeliveryKernels {
  readonly buffer: ArrayBuffer;
  readonly scatter: ScatterKernel;
  readonly scatterW: ScatterWKernel;
  readonly poisson: PoissonKernel;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(assemble([scatterDef(), scatterWDef(), poissonDef()])) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Delivery kernels over a fresh memory of at least `bytes` bytes (at most
 * 2 GB), or null when WebAssembly, the memory or the kernels are not
 * available (or are turned off): the caller then keeps its JS loop.
 */
export function deliveryKernels(bytes: number): DeliveryKernels | null {
  if (!wasmKernelsEnabled()) return null;
  const mod = module();
  if (!api || !mod) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 32768) return null;
  try {
    const mem = new api.Memory({ initial: pages, maximum: pages });
    const inst = new api.Instance(mod, { env: { mem } });
    return {
      buffer: mem.buffer,
      scatter: inst.exports.scatter as ScatterKernel,
      scatterW: inst.exports.scatterW as ScatterWKernel,
      poisson: inst.exports.poisson as PoissonKernel,
    };
  } catch {
    return null;
  }
}
