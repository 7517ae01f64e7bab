/**
 * The end-of-run loops of a spike monitor's statistics in WebAssembly: the mean
 * CV(ISI) over the neurons (`cvIsiSum`), the mean and squared deviations of the
 * 1 ms population count (`moments`), and the Welch periodograms of the count's
 * segments (`welchPower`, the half-length FFT of population-spectrum.ts).
 *
 * Why: these loops run once, after the run, on code V8 has never run, and its
 * interpreter takes ~0.5 µs per iteration of a float loop (every double boxed):
 * for a 1 s CUBA run (4 000 neurons, 900 bins, 6 segments) the report cost
 * 3–10 ms of a ~60 ms run, most of what the monitor cost (bench: streaming
 * overhead ≤ 10 %). Compiled wasm runs them in microseconds from the first call.
 *
 * Each kernel does the JS loop's operations in the JS order (no fused
 * multiply-adds), so the results are bit-identical to the JS fallbacks, which
 * run where WebAssembly is missing or refused, or when switched off
 * (`setStatsKernelsEnabled`, for the tests that compare them).
 */
import {
  BLOCK,
  BR,
  BR_IF,
  END,
  F64,
  F64_ADD,
  F64_CONST_0,
  F64_DIV,
  F64_GE,
  F64_MAX,
  F64_SQRT,
  F64_CONVERT_I32_S,
  F64_GT,
  F64_LOAD,
  F64_MUL,
  F64_STORE,
  F64_SUB,
  I32,
  I32_ADD,
  I32_CONST,
  I32_DIV_S,
  I32_EQ,
  I32_GE_S,
  I32_GT_S,
  I32_LOAD,
  I32_MUL,
  I32_LT_S,
  I32_LT_U,
  I32_SHL,
  I32_SHR_S,
  I32_SUB,
  IF,
  LOOP,
  SELECT,
  VOID,
  api,
  f64Const,
  f64LoadAt,
  f64StoreAt,
  get,
  set,
  flatten,
  type Bytes,
  type FuncDef,
  type WasmMemory,
} from '../core/wasm.ts';
import { STATS_KERNELS_WASM } from './stats-kernels-wasm.ts';

const i32 = (v: number): Bytes[] => [I32_CONST, v];
/** `while (local < limit) { body }` (limit: code pushing an i32). */
function whileLt(local: number, limit: Bytes[], body: Bytes[]): Bytes[] {
  return [BLOCK, VOID, LOOP, VOID, get(local), limit, I32_GE_S, BR_IF, 1, body, BR, 0, END, END];
}
/** `local += by` (i32). */
const inc = (local: number, by: Bytes[] = i32(1)): Bytes[] => [get(local), by, I32_ADD, set(local)];
/** The f64 at byte address `base + (index << 3)`. */
const f64At = (base: number, index: number): Bytes[] => [get(base), get(index), i32(3), I32_SHL, I32_ADD, F64_LOAD];

/**
 * `cvIsi(n, oCount, oSum, oSq, oOut)`: over neurons i < n with ≥ 2 intervals and a
 * positive mean interval, Σ sqrt(max(0, sq/m − mean²))/mean and how many; stored as
 * two f64 at oOut. spike-train-stats.ts `report`'s loop.
 */
function cvIsiDef(): FuncDef {
  const [n, oCount, oSum, oSq, oOut] = [0, 1, 2, 3, 4];
  const [i, m, mean, sum, used] = [5, 6, 7, 8, 9];
  return {
    exportName: 'cvIsi',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, F64, F64, F64, F64],
    body: flatten([
      F64_CONST_0,
      set(sum),
      F64_CONST_0,
      set(used),
      whileLt(i, get(n), [
        f64At(oCount, i),
        set(m),
        get(m),
        f64Const(2),
        F64_GE,
        IF,
        VOID,
        f64At(oSum, i),
        get(m),
        F64_DIV,
        set(mean),
        get(mean),
        F64_CONST_0,
        F64_GT,
        IF,
        VOID,
        // sum += sqrt(max(0, sq/m − mean·mean)) / mean
        get(sum),
        F64_CONST_0,
        f64At(oSq, i),
        get(m),
        F64_DIV,
        get(mean),
        get(mean),
        F64_MUL,
        F64_SUB,
        F64_MAX,
        F64_SQRT,
        get(mean),
        F64_DIV,
        F64_ADD,
        set(sum),
        get(used),
        f64Const(1),
        F64_ADD,
        set(used),
        END,
        END,
        inc(i),
      ]),
      get(oOut),
      get(sum),
      F64_STORE,
      get(oOut),
      get(used),
      f64StoreAt(8),
    ]),
  };
}

/** `moments(oX, n, oOut)`: mean = Σx/n and q = Σ(x − mean)², stored as two f64 at oOut (n > 0). */
function momentsDef(): FuncDef {
  const [oX, n, oOut] = [0, 1, 2];
  const [i, acc, mean, d] = [3, 4, 5, 6];
  return {
    exportName: 'moments',
    params: [I32, I32, I32],
    results: [],
    locals: [I32, F64, F64, F64],
    body: flatten([
      F64_CONST_0,
      set(acc),
      whileLt(i, get(n), [get(acc), f64At(oX, i), F64_ADD, set(acc), inc(i)]),
      get(acc),
      get(n),
      F64_CONVERT_I32_S,
      F64_DIV,
      set(mean),
      F64_CONST_0,
      set(acc),
      i32(0),
      set(i),
      whileLt(i, get(n), [f64At(oX, i), get(mean), F64_SUB, set(d), get(acc), get(d), get(d), F64_MUL, F64_ADD, set(acc), inc(i)]),
      get(oOut),
      get(mean),
      F64_STORE,
      get(oOut),
      get(acc),
      f64StoreAt(8),
    ]),
  };
}

/**
 * `welch(oX, mean, segments, hop, M, oW, oRev, oCos, oSin, oRe, oIm, oPower)`: for each
 * segment s (bins s·hop …, 2M of them), the windowed, mean-removed count packed as
 * z_m = x_2m + i·x_2m+1 into bit-reversed order, its M-point FFT, and |X_k|² of the
 * real transform added into power[k], k = 1 … M. population-spectrum.ts `fftPower`.
 */
function welchDef(): FuncDef {
  const [oX, mean, segs, hop, M, oW, oRev, oCos, oSin, oRe, oIm, oPow] = Array.from({ length: 12 }, (_, k) => k);
  const [s, o, m, r, size, h, stride, start, j, t, a, b, k, p, q] = Array.from({ length: 15 }, (_, x) => 12 + x);
  const [xr, xi, er, ei, or, oi, c, sn] = Array.from({ length: 8 }, (_, x) => 27 + x);
  const at = (base: number, byteOff: number): Bytes[] => [get(base), get(byteOff), I32_ADD];
  const ld = (base: number, byteOff: number): Bytes[] => [at(base, byteOff), F64_LOAD];
  const st = (base: number, byteOff: number, value: Bytes[]): Bytes[] => [at(base, byteOff), value, F64_STORE];
  const half = (x: Bytes[]): Bytes[] => [x, f64Const(2), F64_DIV];
  const byte8 = (local: number): Bytes[] => [get(local), i32(3), I32_SHL];
  return {
    exportName: 'welch',
    params: [I32, F64, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [...Array(15).fill(I32), ...Array(8).fill(F64)],
    body: flatten([
      whileLt(s, get(segs), [
        // o = oX + s·hop·8
        get(oX),
        get(s),
        get(hop),
        I32_MUL,
        i32(3),
        I32_SHL,
        I32_ADD,
        set(o),
        // re[rev m] = (x[o + 2m] − mean)·w[2m]; im[rev m] = (x[o + 2m + 1] − mean)·w[2m + 1]  (byte offsets: 16m, 16m + 8)
        i32(0),
        set(m),
        whileLt(m, get(M), [
          get(oRev),
          get(m),
          i32(2),
          I32_SHL,
          I32_ADD,
          I32_LOAD,
          i32(3),
          I32_SHL,
          set(r),
          get(m),
          i32(4),
          I32_SHL,
          set(t),
          st(oRe, r, [ld(o, t), get(mean), F64_SUB, ld(oW, t), F64_MUL]),
          st(oIm, r, [get(o), get(t), I32_ADD, f64LoadAt(8), get(mean), F64_SUB, get(oW), get(t), I32_ADD, f64LoadAt(8), F64_MUL]),
          inc(m),
        ]),
        // the butterflies: size = 2, 4, … M
        i32(2),
        set(size),
        BLOCK,
        VOID,
        LOOP,
        VOID,
        get(size),
        get(M),
        I32_GT_S,
        BR_IF,
        1,
        get(size),
        i32(1),
        I32_SHR_S,
        set(h),
        // stride = 2·(M / size), in bytes ·8
        get(M),
        get(size),
        I32_DIV_S,
        i32(4),
        I32_SHL,
        set(stride),
        i32(0),
        set(start),
        whileLt(start, get(M), [
          i32(0),
          set(j),
          i32(0),
          set(t),
          whileLt(j, get(h), [
            // a = (start + j)·8; b = a + h·8
            get(start),
            get(j),
            I32_ADD,
            i32(3),
            I32_SHL,
            set(a),
            get(a),
            byte8(h),
            I32_ADD,
            set(b),
            ld(oCos, t),
            set(c),
            ld(oSin, t),
            set(sn),
            // xr = re[b]·c + im[b]·sn; xi = im[b]·c − re[b]·sn
            ld(oRe, b),
            get(c),
            F64_MUL,
            ld(oIm, b),
            get(sn),
            F64_MUL,
            F64_ADD,
            set(xr),
            ld(oIm, b),
            get(c),
            F64_MUL,
            ld(oRe, b),
            get(sn),
            F64_MUL,
            F64_SUB,
            set(xi),
            st(oRe, b, [ld(oRe, a), get(xr), F64_SUB]),
            st(oIm, b, [ld(oIm, a), get(xi), F64_SUB]),
            st(oRe, a, [ld(oRe, a), get(xr), F64_ADD]),
            st(oIm, a, [ld(oIm, a), get(xi), F64_ADD]),
            inc(j),
            inc(t, get(stride)),
          ]),
          inc(start, get(size)),
        ]),
        get(size),
        i32(1),
        I32_SHL,
        set(size),
        BR,
        0,
        END,
        END,
        // power[k] += |X_k|², k = 1 … M
        i32(1),
        set(k),
        BLOCK,
        VOID,
        LOOP,
        VOID,
        get(k),
        get(M),
        I32_GT_S,
        BR_IF,
        1,
        // p = k == M ? 0 : k; q = k == M ? 0 : M − k  (in bytes; select picks its first operand when the condition holds)
        i32(0),
        byte8(k),
        get(k),
        get(M),
        I32_EQ,
        SELECT,
        set(p),
        i32(0),
        get(M),
        get(k),
        I32_SUB,
        i32(3),
        I32_SHL,
        get(k),
        get(M),
        I32_EQ,
        SELECT,
        set(q),
        half([ld(oRe, p), ld(oRe, q), F64_ADD]),
        set(er),
        half([ld(oIm, p), ld(oIm, q), F64_SUB]),
        set(ei),
        half([ld(oIm, p), ld(oIm, q), F64_ADD]),
        set(or),
        half([ld(oRe, q), ld(oRe, p), F64_SUB]),
        set(oi),
        byte8(k),
        set(t),
        // xr = er + cos[k]·or + sin[k]·oi; xi = ei + cos[k]·oi − sin[k]·or
        get(er),
        ld(oCos, t),
        get(or),
        F64_MUL,
        F64_ADD,
        ld(oSin, t),
        get(oi),
        F64_MUL,
        F64_ADD,
        set(xr),
        get(ei),
        ld(oCos, t),
        get(oi),
        F64_MUL,
        F64_ADD,
        ld(oSin, t),
        get(or),
        F64_MUL,
        F64_SUB,
        set(xi),
        st(oPow, t, [ld(oPow, t), get(xr), get(xr), F64_MUL, get(xi), get(xi), F64_MUL, F64_ADD, F64_ADD]),
        inc(k),
        BR,
        0,
        END,
        END,
        inc(s),
      ]),
    ]),
  };
}

/**
 * `acc(n, oNeuron, oStep, offset, N, oLast, oCount, oSum, oSq, oBins, nBins, fromStep, binSteps) → added`:
 * spike-train-stats.ts `add` for a chunk of n (neuron, step) pairs (i32): per neuron
 * i = offset + neuron in [0, N), the interval from its last spike into count, sum and
 * sum of squares, its last spike, and the 1 ms bin from fromStep on; returns how many
 * pairs were in range.
 */
function accDef(): FuncDef {
  const [n, oNeuron, oStep, offset, N, oLast, oCount, oSum, oSq, oBins, nBins, fromStep, binSteps] = Array.from({ length: 13 }, (_, k) => k);
  const [k, i, s, added, o, b] = Array.from({ length: 6 }, (_, x) => 13 + x);
  const [prev, d] = [19, 20];
  const i32At = (base: number, index: number): Bytes[] => [get(base), get(index), i32(2), I32_SHL, I32_ADD, I32_LOAD];
  const addTo = (base: number, value: Bytes[]): Bytes[] => [get(base), get(o), I32_ADD, get(base), get(o), I32_ADD, F64_LOAD, value, F64_ADD, F64_STORE];
  return {
    exportName: 'acc',
    params: Array(13).fill(I32),
    results: [I32],
    locals: [...Array(6).fill(I32), F64, F64],
    body: flatten([
      whileLt(k, get(n), [
        get(offset),
        i32At(oNeuron, k),
        I32_ADD,
        set(i),
        i32At(oStep, k),
        set(s),
        get(i),
        get(N),
        I32_LT_U,
        IF,
        VOID,
        inc(added),
        get(i),
        i32(3),
        I32_SHL,
        set(o),
        get(oLast),
        get(o),
        I32_ADD,
        F64_LOAD,
        set(prev),
        get(prev),
        F64_CONST_0,
        F64_GE,
        IF,
        VOID,
        get(s),
        F64_CONVERT_I32_S,
        get(prev),
        F64_SUB,
        set(d),
        addTo(oCount, f64Const(1)),
        addTo(oSum, get(d)),
        addTo(oSq, [get(d), get(d), F64_MUL]),
        END,
        get(oLast),
        get(o),
        I32_ADD,
        get(s),
        F64_CONVERT_I32_S,
        F64_STORE,
        get(s),
        get(fromStep),
        I32_GE_S,
        IF,
        VOID,
        get(s),
        get(fromStep),
        I32_SUB,
        get(binSteps),
        I32_DIV_S,
        set(b),
        get(b),
        get(nBins),
        I32_LT_S,
        IF,
        VOID,
        get(oBins),
        get(b),
        i32(3),
        I32_SHL,
        I32_ADD,
        get(oBins),
        get(b),
        i32(3),
        I32_SHL,
        I32_ADD,
        F64_LOAD,
        f64Const(1),
        F64_ADD,
        F64_STORE,
        END,
        END,
        END,
        inc(k),
      ]),
      get(added),
    ]),
  };
}

type CvIsi = (n: number, oCount: number, oSum: number, oSq: number, oOut: number) => void;
type Moments = (oX: number, n: number, oOut: number) => void;
type Welch = (oX: number, mean: number, segments: number, hop: number, M: number, oW: number, oRev: number, oCos: number, oSin: number, oRe: number, oIm: number, oPower: number) => void;

let enabled = true;
let compiled: object | null | undefined;
/**
 * The module starts compiling off this thread as soon as this file loads: compiled
 * synchronously when the first monitor is built, it took ~1 ms of every run with a
 * spike monitor, on the thread that runs the network (a CLI run loads its document
 * meanwhile). A monitor built before it is ready compiles it there, as before.
 */
try {
  api
    ?.compile?.(Uint8Array.from(STATS_KERNELS_WASM))
    .then((m) => (compiled ??= m))
    .catch(() => undefined);
} catch {
  // No compile here: module() compiles synchronously or the JS loops run.
}
let kernels: (StatsInstance & { readonly bytes: number }) | null = null;

type Acc = (
  n: number,
  oNeuron: number,
  oStep: number,
  offset: number,
  N: number,
  oLast: number,
  oCount: number,
  oSum: number,
  oSq: number,
  oBins: number,
  nBins: number,
  fromStep: number,
  binSteps: number,
) => number;

/** A spike monitor's own instance of the kernels, over its own memory (spike-train-stats.ts keeps its arrays there). */
export interface StatsInstance {
  readonly memory: WasmMemory;
  readonly acc: Acc;
  readonly cvIsi: CvIsi;
  readonly moments: Moments;
  readonly welch: Welch;
}

/** A fresh instance over a fresh memory of at least `bytes` bytes, or null (no WebAssembly, switched off, or no such memory): the caller keeps JS arrays. */
export function statsInstance(bytes: number): StatsInstance | null {
  if (!enabled || !api || !module()) return null;
  const pages = Math.ceil(Math.max(bytes, 1) / 65536);
  if (pages > 65536) return null;
  try {
    const memory = new api.Memory({ initial: pages, maximum: pages });
    const x = new api.Instance(compiled!, { env: { mem: memory } }).exports;
    return { memory, acc: x.acc as Acc, cvIsi: x.cvIsi as CvIsi, moments: x.moments as Moments, welch: x.welch as Welch };
  } catch {
    return null;
  }
}

/**
 * The kernels' functions. Their module's bytes are kept assembled in
 * stats-kernels-wasm.ts (`npx tsx scripts/gen-stats-kernels.ts` writes it; a test
 * checks it is up to date): running these builders costs ~2 ms of cold JS, paid by
 * every run with a spike monitor, for 1.4 kB that never change between runs.
 */
export function statsKernelDefs(): FuncDef[] {
  return [cvIsiDef(), momentsDef(), welchDef(), accDef()];
}

function module(): object | null {
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(Uint8Array.from(STATS_KERNELS_WASM)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Turn the wasm statistics kernels off (or back on), so tests can compare them with the JS loops. Returns the previous setting. */
export function setStatsKernelsEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Whether the wasm kernels compile and run here (false: the JS loops run). */
export function statsKernelsAvailable(): boolean {
  return kernelsFor(1) !== null;
}

/** The shared scratch instance, over a memory of at least `bytes` bytes (kept and reused; a bigger one replaces it), or null for the JS loops. */
function kernelsFor(bytes: number): typeof kernels {
  if (kernels && kernels.bytes >= bytes && enabled) return kernels;
  const pages = Math.ceil(Math.max(bytes, 1) / 65536);
  if (pages > 16384) return null;
  const x = statsInstance(pages * 65536);
  kernels = x ? { ...x, bytes: pages * 65536 } : kernels;
  return x ? kernels : null;
}

/** x[0 … n) into f from slot `at`: one native copy for a typed array (a JS loop here would run cold, as the loops this file replaces). */
function copyInto(f: Float64Array, at: number, x: ArrayLike<number>, n: number): void {
  if (ArrayBuffer.isView(x)) f.set((x as unknown as Float64Array).subarray(0, n), at);
  else for (let i = 0; i < n; i++) f[at + i] = x[i];
}

/** Σ over neurons with ≥ 2 intervals and a positive mean of the CV of their intervals, and how many such neurons. */
export function cvIsiSum(count: Float64Array, sum: Float64Array, sq: Float64Array): { readonly sum: number; readonly used: number } {
  const n = count.length;
  const kx = n > 64 ? kernelsFor(16 + 24 * n) : null;
  if (kx) {
    const f = new Float64Array(kx.memory.buffer);
    f.set(count, 2);
    f.set(sum, 2 + n);
    f.set(sq, 2 + 2 * n);
    kx.cvIsi(n, 16, 16 + 8 * n, 16 + 16 * n, 0);
    return { sum: f[0], used: f[1] };
  }
  let cvSum = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const m = count[i];
    if (!(m >= 2)) continue;
    const mean = sum[i] / m;
    if (!(mean > 0)) continue;
    const variance = Math.max(0, sq[i] / m - mean * mean);
    cvSum += Math.sqrt(variance) / mean;
    used++;
  }
  return { sum: cvSum, used };
}

/** The mean of `x` and the sum of its squared deviations from it (0 and 0 when empty). */
export function moments(x: ArrayLike<number>): { readonly mean: number; readonly q: number } {
  const n = x.length;
  if (n === 0) return { mean: 0, q: 0 };
  const kx = n > 64 ? kernelsFor(16 + 8 * n) : null;
  if (kx) {
    const f = new Float64Array(kx.memory.buffer);
    copyInto(f, 2, x, n);
    kx.moments(16, n, 0);
    return { mean: f[0], q: f[1] };
  }
  let acc = 0;
  for (let i = 0; i < n; i++) acc += x[i];
  const mean = acc / n;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    q += d * d;
  }
  return { mean, q };
}

/** What `welchPower` needs of a segment length L = 2M (a power of two): window, bit reversal, twiddles. */
export interface WelchTables {
  readonly L: number;
  readonly w: Float64Array;
  readonly rev: Uint32Array;
  /** cos and sin of 2πt/L, t = 0 … M. */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

/**
 * Adds the periodograms |X_k|², k = 1 … M, of `segments` segments of x (the s-th from
 * bin s·hop, mean removed, windowed by w) into `power`, with the wasm kernel; false
 * when it is not available (the caller then runs its JS loop).
 */
export function welchPower(x: ArrayLike<number>, mean: number, segments: number, hop: number, tab: WelchTables, power: Float64Array): boolean {
  const M = tab.L >> 1;
  const n = (segments - 1) * hop + tab.L;
  // Layout (f64 slots): x[n] | w[L] | cos[M+1] | sin[M+1] | re[M] | im[M] | power[M+1] | rev (i32)[M]
  const oX = 0;
  const oW = oX + n;
  const oCos = oW + tab.L;
  const oSin = oCos + M + 1;
  const oRe = oSin + M + 1;
  const oIm = oRe + M;
  const oPow = oIm + M;
  const oRev = oPow + M + 1;
  const kx = kernelsFor(8 * oRev + 4 * M);
  if (!kx) return false;
  const f = new Float64Array(kx.memory.buffer);
  copyInto(f, oX, x, n);
  f.set(tab.w, oW);
  f.set(tab.cos, oCos);
  f.set(tab.sin, oSin);
  f.set(power, oPow);
  new Uint32Array(kx.memory.buffer, 8 * oRev, M).set(tab.rev);
  kx.welch(8 * oX, mean, segments, hop, M, 8 * oW, 8 * oRev, 8 * oCos, 8 * oSin, 8 * oRe, 8 * oIm, 8 * oPow);
  power.set(f.subarray(oPow, oPow + M + 1));
  return true;
}
