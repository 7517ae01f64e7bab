/**
 * Neuron update kernels in WebAssembly, for the LIF groups whose per-step cost
 * is one pass over every neuron (CUBA, COBA). V8 reloads typed-array base
 * pointers and bounds and re-checks tagged constants in the JS loop (~110
 * instructions per neuron-step under callgrind); the scalar wasm loop takes
 * ~40 and the f64x2 one (two neurons per iteration) ~28. Each lane does the
 * scalar operations in the JS order, without fused multiply-adds, so the
 * results are bit-identical to the JS loops (wasm-kernels.test.ts checks it).
 *
 * The module is assembled here from bytes (no build step, no file to load) and
 * compiled once; each group gets its own instance over its own memory, and its
 * state arrays are views into that memory. `WebAssembly` is an ECMAScript-host
 * global present in Node, Electron and browsers and their workers; where it is
 * missing, refuses to compile (a Content-Security-Policy without
 * 'wasm-unsafe-eval', an engine without SIMD) or a memory cannot be had,
 * `wasmKernels()` returns null and the groups use their JS loops, which
 * compute the same numbers operation for operation.
 */
import {
  BLOCK,
  BR_IF,
  END,
  F64,
  F64X2_ADD,
  F64X2_GT,
  F64X2_MUL,
  F64X2_SPLAT,
  F64X2_SUB,
  F64_ADD,
  F64_GT,
  F64_LOAD,
  F64_MUL,
  F64_STORE,
  F64_SUB,
  I32,
  I32_ADD,
  I32_AND,
  I32_CONST,
  I32_EQZ,
  I32_LE_S,
  I32_LOAD,
  I32_LT_S,
  I32_LT_U,
  I32_SHL,
  I32_SHR_S,
  I32_STORE,
  I32_SUB,
  I64X2_BITMASK,
  I64X2_EXTEND_LOW_I32X4_S,
  I64X2_LE_S,
  I64X2_SPLAT,
  I64_EXTEND_I32_S,
  IF,
  LOOP,
  SELECT,
  TEE,
  V128,
  V128_AND,
  V128_ANY_TRUE,
  V128_BITSELECT,
  VOID,
  addr,
  get,
  i32StoreAt,
  set,
  simd,
  uleb,
} from '../core/wasm.ts';
import { api, assemble, type FuncDef, type WasmMemory } from '../core/wasm.ts';

/**
 * `lifCurr(n, lim, step, a, be, bi, ce, ci, vRest, vTh, r, hasCur, oV, oE, oI, oC, oL, oP) → spikes`:
 * the fused update + threshold of `LifCurrExp.update`, with `lim = step − refSteps`
 * (a neuron integrates when `lastSpike ≤ lim`). Offsets are byte addresses of
 * V, I_exc, I_inh, current (f64), last spike and pending (i32).
 */
function lifCurrDef(): FuncDef {
  const [n, lim, step, a, be, bi, ce, ci, vRest, vTh, r, hasCur, oV, oE, oI, oC, oL, oP] = Array.from({ length: 18 }, (_, k) => k);
  const [i, c, o8, o4, ie, ii, e, x] = Array.from({ length: 8 }, (_, k) => 18 + k);
  const body = [
    BLOCK,
    VOID,
    ...get(n),
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...addr(oE, o8),
    ...F64_LOAD,
    ...set(ie),
    ...addr(oI, o8),
    ...F64_LOAD,
    ...set(ii),
    ...addr(oE, o8),
    ...get(ie),
    ...get(be),
    F64_MUL,
    ...F64_STORE,
    ...addr(oI, o8),
    ...get(ii),
    ...get(bi),
    F64_MUL,
    ...F64_STORE,
    ...addr(oL, o4),
    ...I32_LOAD,
    ...get(lim),
    I32_LE_S,
    IF,
    VOID,
    // e = hasCur ? vRest + r·I_ext : vRest
    ...get(vRest),
    ...get(r),
    ...addr(oC, o8),
    ...F64_LOAD,
    F64_MUL,
    F64_ADD,
    ...get(vRest),
    ...get(hasCur),
    SELECT,
    ...set(e),
    // x = e + (V − e)·a + I_exc·ce + I_inh·ci, left to right as in JS
    ...get(e),
    ...addr(oV, o8),
    ...F64_LOAD,
    ...get(e),
    F64_SUB,
    ...get(a),
    F64_MUL,
    F64_ADD,
    ...get(ie),
    ...get(ce),
    F64_MUL,
    F64_ADD,
    ...get(ii),
    ...get(ci),
    F64_MUL,
    F64_ADD,
    ...set(x),
    ...addr(oV, o8),
    ...get(x),
    ...F64_STORE,
    ...get(x),
    ...get(vTh),
    F64_GT,
    IF,
    VOID,
    ...get(oP),
    ...get(c),
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    ...get(i),
    ...I32_STORE,
    ...get(c),
    I32_CONST,
    1,
    I32_ADD,
    ...set(c),
    ...addr(oL, o4),
    ...get(step),
    ...I32_STORE,
    END,
    END,
    ...get(o8),
    I32_CONST,
    8,
    I32_ADD,
    ...set(o8),
    ...get(o4),
    I32_CONST,
    4,
    I32_ADD,
    ...set(o4),
    ...get(i),
    I32_CONST,
    1,
    I32_ADD,
    TEE,
    i,
    ...get(n),
    I32_LT_S,
    BR_IF,
    0,
    END,
    END,
    ...get(c),
  ];
  return {
    exportName: 'lifCurr',
    params: [I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, F64, F64, F64, F64],
    body,
  };
}

/**
 * `lifCond(n, lim, step, k, de, di, eL, eE, eI, vTh, r, oV, oE, oI, oC, oL, oP) → spikes`:
 * `LifCondExp.update` (forward Euler) fused with its threshold, which may be
 * fused because a neuron that is refractory neither integrates nor spikes.
 */
function lifCondDef(): FuncDef {
  const [n, lim, step, k, de, di, eL, eE, eI, vTh, r, oV, oE, oI, oC, oL, oP] = Array.from({ length: 17 }, (_, j) => j);
  const [i, c, o8, o4, ge, gi, xo, x] = Array.from({ length: 8 }, (_, j) => 17 + j);
  const body = [
    BLOCK,
    VOID,
    ...get(n),
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...addr(oE, o8),
    ...F64_LOAD,
    ...set(ge),
    ...addr(oI, o8),
    ...F64_LOAD,
    ...set(gi),
    ...addr(oL, o4),
    ...I32_LOAD,
    ...get(lim),
    I32_LE_S,
    IF,
    VOID,
    ...addr(oV, o8),
    ...F64_LOAD,
    ...set(xo),
    // x + k·(g_e(E_e − x) + g_i(E_i − x) − (x − E_l) + r·I_ext), left to right as in JS
    ...get(xo),
    ...get(k),
    ...get(ge),
    ...get(eE),
    ...get(xo),
    F64_SUB,
    F64_MUL,
    ...get(gi),
    ...get(eI),
    ...get(xo),
    F64_SUB,
    F64_MUL,
    F64_ADD,
    ...get(xo),
    ...get(eL),
    F64_SUB,
    F64_SUB,
    ...get(r),
    ...addr(oC, o8),
    ...F64_LOAD,
    F64_MUL,
    F64_ADD,
    F64_MUL,
    F64_ADD,
    ...set(x),
    ...addr(oV, o8),
    ...get(x),
    ...F64_STORE,
    ...get(x),
    ...get(vTh),
    F64_GT,
    IF,
    VOID,
    ...get(oP),
    ...get(c),
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    ...get(i),
    ...I32_STORE,
    ...get(c),
    I32_CONST,
    1,
    I32_ADD,
    ...set(c),
    ...addr(oL, o4),
    ...get(step),
    ...I32_STORE,
    END,
    END,
    ...addr(oE, o8),
    ...get(ge),
    ...get(de),
    F64_MUL,
    ...F64_STORE,
    ...addr(oI, o8),
    ...get(gi),
    ...get(di),
    F64_MUL,
    ...F64_STORE,
    ...get(o8),
    I32_CONST,
    8,
    I32_ADD,
    ...set(o8),
    ...get(o4),
    I32_CONST,
    4,
    I32_ADD,
    ...set(o4),
    ...get(i),
    I32_CONST,
    1,
    I32_ADD,
    TEE,
    i,
    ...get(n),
    I32_LT_S,
    BR_IF,
    0,
    END,
    END,
    ...get(c),
  ];
  return {
    exportName: 'lifCond',
    params: [I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, F64, F64, F64, F64],
    body,
  };
}

/** Broadcast the f64 in local `from` to both lanes of the v128 local `to`. */
export function splat(from: number, to: number): number[] {
  return [...get(from), ...F64X2_SPLAT, ...set(to)];
}

/**
 * The pair kernels' spike record for one lane: if bit `bit` of the lane mask `m` is set,
 * append neuron i + lane at out[c] (c += 1) and set its last-spike step. `at`: the pair's
 * place in an unrolled turn (neurons i + 2·at + lane; see {@link pairCommit}).
 */
export function pairSpike(l: { m: number; oP: number; c: number; i: number; oL: number; o4: number; step: number }, bit: number, lane: number, at = 0): number[] {
  const k = 2 * at + lane;
  return spikeRecord(l, bit, [...get(l.i), ...(k ? [I32_CONST, k, I32_ADD] : [])], addr(l.oL, l.o4), 4 * k);
}

/** If bit `bit` of `m` is set: out[c] (oP: out's address) = the neuron index `index` computes, c += 1, and the i32 at `last` + `offset` = step. */
function spikeRecord(l: { m: number; oP: number; c: number; step: number }, bit: number, index: number[], last: number[], offset: number): number[] {
  return [
    ...get(l.m),
    I32_CONST,
    bit,
    I32_AND,
    IF,
    VOID,
    ...get(l.oP),
    ...get(l.c),
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    ...index,
    ...I32_STORE,
    ...get(l.c),
    I32_CONST,
    1,
    I32_ADD,
    ...set(l.c),
    ...last,
    ...get(l.step),
    ...i32StoreAt(offset),
    END,
  ];
}

/** Locals of a pair kernel's turn (see {@link pairCommit}, {@link pairNext}). */
export interface PairLocals {
  readonly oV: number;
  readonly o8: number;
  readonly o4: number;
  readonly x: number;
  readonly vo: number;
  readonly act: number;
  readonly VTH: number;
  readonly spk: number;
  readonly m: number;
  readonly oP: number;
  readonly c: number;
  readonly i: number;
  readonly oL: number;
  readonly step: number;
  readonly n: number;
}

/**
 * A pair's new V x stored where active (old V `vo` kept elsewhere), and the lanes with x > θ that are active recorded as spikes.
 * `at`: the pair's place in an unrolled turn of several pairs (its V 16·at bytes on, its neurons i + 2·at and i + 2·at + 1).
 */
export function pairCommit(l: PairLocals, at = 0): number[] {
  return [
    ...addr(l.oV, l.o8),
    ...get(l.x),
    ...get(l.vo),
    ...get(l.act),
    ...V128_BITSELECT,
    ...v128StoreAt(16 * at),
    ...get(l.x),
    ...get(l.VTH),
    ...F64X2_GT,
    ...get(l.act),
    ...V128_AND,
    ...set(l.spk),
    ...get(l.spk),
    ...V128_ANY_TRUE,
    IF,
    VOID,
    ...get(l.spk),
    ...I64X2_BITMASK,
    ...set(l.m),
    ...pairSpike(l, 1, 0, at),
    ...pairSpike(l, 2, 1, at),
    END,
  ];
}

/** `v128.load` / `v128.store` / `v128.load64_zero` with a constant byte offset added to the address. */
const v128LoadAt = (offset: number): number[] => simd(0x00, 3, ...uleb(offset));
const v128StoreAt = (offset: number): number[] => simd(0x0b, 3, ...uleb(offset));
const v128Load64ZeroAt = (offset: number): number[] => simd(0x5d, 2, ...uleb(offset));
const I32X4_SPLAT = simd(0x11);
const I32X4_GT_S = simd(0x3b);
const V128_OR = simd(0x50);
const V128_ANDNOT = simd(0x4f);
const I64X2_EXTEND_HIGH_I32X4_S = simd(0xc8);
const I32_LE_U = 0x4d;

/** The next pair: offsets advanced, and back to the loop's start while i < n. */
export function pairNext(l: PairLocals): number[] {
  return [...get(l.o8), I32_CONST, 16, I32_ADD, ...set(l.o8), ...get(l.o4), I32_CONST, 8, I32_ADD, ...set(l.o4), ...get(l.i), I32_CONST, 2, I32_ADD, TEE, l.i, ...get(l.n), I32_LT_S, BR_IF, 0];
}

/**
 * A pair kernel's loop over its n neurons (n even): turns of four neurons, `pair(0)` and
 * `pair(1)` (the pair 16·at bytes and 8·at bytes on), while four are left — fewer address
 * and loop operations per neuron than one pair a turn — then `pair(0)` for the last two.
 */
function turnsOfFour(l: PairLocals, pair: (at: number) => number[]): number[] {
  const { n, i, o8, o4 } = l;
  return [
    BLOCK,
    VOID,
    ...get(n),
    I32_CONST,
    4,
    I32_LT_S,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...pair(0),
    ...pair(1),
    ...get(o8),
    I32_CONST,
    32,
    I32_ADD,
    ...set(o8),
    ...get(o4),
    I32_CONST,
    16,
    I32_ADD,
    ...set(o4),
    ...get(i),
    I32_CONST,
    4,
    I32_ADD,
    TEE,
    i,
    I32_CONST,
    4,
    I32_ADD,
    ...get(n),
    I32_LE_S,
    BR_IF,
    0,
    END,
    END,
    BLOCK,
    VOID,
    ...get(i),
    ...get(n),
    I32_LT_S,
    I32_EQZ,
    BR_IF,
    0,
    ...pair(0),
    END,
  ];
}

/**
 * A pair kernel's body: its f64 constants broadcast to v128 locals (`splats`: [from, to]),
 * the refractory limit `lim` to both i64 lanes of `LIM`, the loop ({@link turnsOfFour}),
 * and the spike count as the result.
 */
function pairKernel(splats: readonly (readonly [number, number])[], lim: number, LIM: number, pl: PairLocals, pair: (at: number) => number[]): number[] {
  return [...splats.flatMap(([from, to]) => splat(from, to)), ...get(lim), I64_EXTEND_I32_S, ...I64X2_SPLAT, ...set(LIM), ...turnsOfFour(pl, pair), ...get(pl.c)];
}

/**
 * `lifCurrPairs(n, lim, step, a, be, bi, ce, ci, vRest, vTh, r, hasCur, oV, oE, oI, oC, oL, oP) → spikes`:
 * `lifCurr` two neurons at a time with f64x2 (n must be even). Every lane's
 * arithmetic is the scalar one; refractory lanes keep their old V by a select.
 * `withCur: false` builds `lifCurrPairsNoCur`, for groups without an injected
 * current: e = vRest without loading the current (what the select picks when
 * hasCur is 0), ~10 % fewer operations per pair.
 */
function lifCurrPairsDef(withCur = true): FuncDef {
  const [n, lim, step, a, be, bi, ce, ci, vRest, vTh, r, hasCur, oV, oE, oI, oC, oL, oP] = Array.from({ length: 18 }, (_, k) => k);
  const [i, c, o8, o4, m] = Array.from({ length: 5 }, (_, k) => 18 + k);
  const [ie, ii, vo, e, x, act, spk, A, BE, BI, CE, CI, VR, VTH, R, LIM] = Array.from({ length: 16 }, (_, k) => 23 + k);
  const pl: PairLocals = { oV, o8, o4, x, vo, act, VTH, spk, m, oP, c, i, oL, step, n };
  // One pair, `at` pairs on from neuron i (its f64 16·at bytes on, its i32 8·at).
  const pair = (at: number) => [
    ...addr(oE, o8),
    ...v128LoadAt(16 * at),
    ...set(ie),
    ...addr(oI, o8),
    ...v128LoadAt(16 * at),
    ...set(ii),
    ...addr(oE, o8),
    ...get(ie),
    ...get(BE),
    ...F64X2_MUL,
    ...v128StoreAt(16 * at),
    ...addr(oI, o8),
    ...get(ii),
    ...get(BI),
    ...F64X2_MUL,
    ...v128StoreAt(16 * at),
    ...addr(oL, o4),
    ...v128Load64ZeroAt(8 * at),
    ...I64X2_EXTEND_LOW_I32X4_S,
    ...get(LIM),
    ...I64X2_LE_S,
    ...set(act),
    ...(withCur ? [...get(VR), ...get(R), ...addr(oC, o8), ...v128LoadAt(16 * at), ...F64X2_MUL, ...F64X2_ADD, ...get(VR), ...get(hasCur), SELECT, ...set(e)] : [...get(VR), ...set(e)]),
    ...addr(oV, o8),
    ...v128LoadAt(16 * at),
    ...set(vo),
    ...get(e),
    ...get(vo),
    ...get(e),
    ...F64X2_SUB,
    ...get(A),
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...get(ie),
    ...get(CE),
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...get(ii),
    ...get(CI),
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...set(x),
    ...pairCommit(pl, at),
  ];
  const body = pairKernel(
    [
      [a, A],
      [be, BE],
      [bi, BI],
      [ce, CE],
      [ci, CI],
      [vRest, VR],
      [vTh, VTH],
      [r, R],
    ],
    lim,
    LIM,
    pl,
    pair,
  );
  return {
    exportName: withCur ? 'lifCurrPairs' : 'lifCurrPairsNoCur',
    params: [I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, ...Array.from({ length: 16 }, () => V128)],
    body,
  };
}

/**
 * The spike record of lane `q` (0…3) of a four-neuron turn whose last-spike steps are at byte
 * address `pL`: if bit `bit` of `m` is set, append the neuron's index ((pL − oL) / 4 + q) at
 * out[c] (oP: out's address; c += 1) and set its last spike to `step`.
 */
export function turnSpike(l: { m: number; oP: number; c: number; pL: number; oL: number; step: number }, bit: number, q: number): number[] {
  return spikeRecord(l, bit, [...get(l.pL), ...get(l.oL), I32_SUB, I32_CONST, 2, I32_SHR_S, ...(q ? [I32_CONST, q, I32_ADD] : [])], get(l.pL), 4 * q);
}

/**
 * A four-neurons-a-turn loop over n neurons (n even) with moving pointers: `pL` walks the i32
 * last-spike steps from `oL` (16 bytes a turn, `endL` set to their end), `advance` moves the
 * other pointers after each `turn(2)`, and `turn(1)` runs on a last pair when n is not a
 * multiple of 4.
 */
export function turnLoop(l: { n: number; oL: number; pL: number; endL: number }, turn: (pairs: number) => number[], advance: number[]): number[] {
  const { n, oL, pL, endL } = l;
  return [
    ...get(oL),
    ...set(pL),
    ...get(oL),
    ...get(n),
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    ...set(endL),
    BLOCK,
    VOID,
    ...get(n),
    I32_CONST,
    4,
    I32_LT_S,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...turn(2),
    ...advance,
    ...get(pL),
    I32_CONST,
    16,
    I32_ADD,
    TEE,
    pL,
    I32_CONST,
    16,
    I32_ADD,
    ...get(endL),
    I32_LE_U,
    BR_IF,
    0,
    END,
    END,
    ...get(pL),
    ...get(endL),
    I32_LT_U,
    IF,
    VOID,
    ...turn(1),
    END,
  ];
}

/** `get p; i32.const bytes; i32.add; set p`. */
export const advanceBy = (p: number, bytes: number): number[] => [...get(p), I32_CONST, bytes, I32_ADD, ...set(p)];

/**
 * `lifCondPairs(...)`: `lifCond` two neurons at a time with f64x2 (n must be
 * even), same arguments; refractory lanes keep their old V by a select.
 * Four neurons a turn (a last pair alone), with moving pointers: their four
 * last-spike steps compared with one i32x4 compare, one branch for the turn's
 * spikes. `withCur: false` builds `lifCondPairsNoCur`, for groups without an
 * injected current (r = 0, the current all zeros): the R·I term is +0 there, so
 * it adds a zero vector instead of loading the current and multiplying (the
 * same sum, bit for bit).
 */
function lifCondPairsDef(withCur = true): FuncDef {
  const [n, lim, step, k, de, di, eL, eE, eI, vTh, r, oV, oE, oI, oC, oL, oP] = Array.from({ length: 17 }, (_, j) => j);
  const types: number[] = [];
  const locals = (type: number, count: number) => Array.from({ length: count }, () => 17 + types.push(type) - 1);
  const [c, m, pV, pE, pI, pC, pL, endL] = locals(I32, 8);
  const [K, DE, DI, EL, EE, EI, VTH, R, LIMV, ZERO, INA, INAP, ge, gi, xo, x] = locals(V128, 16);
  const SPK = locals(V128, 2);
  const sl = { m, oP, c, pL, oL, step };
  /** Pair p of the turn: V, the spikes' mask into SPK[p], the decayed conductances. */
  const pair = (p: number) => [
    ...get(INA),
    ...(p ? I64X2_EXTEND_HIGH_I32X4_S : I64X2_EXTEND_LOW_I32X4_S),
    ...set(INAP),
    ...get(pE),
    ...v128LoadAt(16 * p),
    ...set(ge),
    ...get(pI),
    ...v128LoadAt(16 * p),
    ...set(gi),
    ...get(pV),
    ...v128LoadAt(16 * p),
    ...set(xo),
    // x = xo + k·((ge·(eE − xo) + gi·(eI − xo)) − (xo − eL) + R·I), as in JS
    ...get(xo),
    ...get(K),
    ...get(ge),
    ...get(EE),
    ...get(xo),
    ...F64X2_SUB,
    ...F64X2_MUL,
    ...get(gi),
    ...get(EI),
    ...get(xo),
    ...F64X2_SUB,
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...get(xo),
    ...get(EL),
    ...F64X2_SUB,
    ...F64X2_SUB,
    // + R·I: +0 without a current (ZERO is never set)
    ...(withCur ? [...get(R), ...get(pC), ...v128LoadAt(16 * p), ...F64X2_MUL] : get(ZERO)),
    ...F64X2_ADD,
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...set(x),
    // V ← x where active; spikes where active and x > θ
    ...get(pV),
    ...get(xo),
    ...get(x),
    ...get(INAP),
    ...V128_BITSELECT,
    ...v128StoreAt(16 * p),
    ...get(x),
    ...get(VTH),
    ...F64X2_GT,
    ...get(INAP),
    ...V128_ANDNOT,
    ...set(SPK[p]),
    ...get(pE),
    ...get(ge),
    ...get(DE),
    ...F64X2_MUL,
    ...v128StoreAt(16 * p),
    ...get(pI),
    ...get(gi),
    ...get(DI),
    ...F64X2_MUL,
    ...v128StoreAt(16 * p),
  ];
  const spikes = (pairs: number) => [
    ...get(SPK[0]),
    ...(pairs === 2 ? [...get(SPK[1]), ...V128_OR] : []),
    ...V128_ANY_TRUE,
    IF,
    VOID,
    ...[0, 1].slice(0, pairs).flatMap((p) => [...get(SPK[p]), ...I64X2_BITMASK, ...set(m), ...turnSpike(sl, 1, 2 * p), ...turnSpike(sl, 2, 2 * p + 1)]),
    END,
  ];
  /** `pairs` pairs (2 a turn, 1 for a last pair): the refractory lanes (lastSpike > lim), then each pair, then the spikes. */
  const turn = (pairs: number) => [
    ...get(pL),
    ...(pairs === 2 ? simd(0x00, 2, 0) : v128Load64ZeroAt(0)),
    ...get(LIMV),
    ...I32X4_GT_S,
    ...set(INA),
    ...[0, 1].slice(0, pairs).flatMap(pair),
    ...spikes(pairs),
  ];
  const body = [
    ...(
      [
        [k, K],
        [de, DE],
        [di, DI],
        [eL, EL],
        [eE, EE],
        [eI, EI],
        [vTh, VTH],
        [r, R],
      ] as const
    ).flatMap(([from, to]) => splat(from, to)),
    ...get(lim),
    ...I32X4_SPLAT,
    ...set(LIMV),
    ...[
      [oV, pV],
      [oE, pE],
      [oI, pI],
      [oC, pC],
    ].flatMap(([from, to]) => [...get(from), ...set(to)]),
    ...turnLoop(
      { n, oL, pL, endL },
      turn,
      [pV, pE, pI, ...(withCur ? [pC] : [])].flatMap((p) => advanceBy(p, 32)),
    ),
    ...get(c),
  ];
  return {
    exportName: withCur ? 'lifCondPairs' : 'lifCondPairsNoCur',
    params: [I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: types,
    body,
  };
}

/**
 * A wrapper export `name` of function `index` (built from `def`): it takes
 * `def`'s i32 parameters in their order plus one more, `par`, the byte address
 * of `def`'s f64 parameters, which it reads from memory in their order (8 bytes
 * each) before calling. JS then passes only i32s: every f64 argument passed
 * from JS is boxed, an allocation per call (10⁴ calls per simulated second, a
 * scavenge every few hundred ms of a CUBA run).
 */
function viaMemory(def: FuncDef, index: number, name: string): FuncDef {
  const ints: number[] = [];
  def.params.forEach((t, k) => {
    if (t === I32) ints.push(k);
  });
  const par = ints.length;
  let f = 0;
  const body: number[] = [];
  def.params.forEach((t, k) => {
    if (t === I32) body.push(...get(ints.indexOf(k)));
    else body.push(...get(par), 0x2b, 3, ...uleb(8 * f++) /* f64.load offset=8f */);
  });
  body.push(0x10, ...uleb(index) /* call */);
  return { exportName: name, params: [...ints.map(() => I32), I32], results: def.results, locals: [], body };
}

/** `lifCurr…M(n, lim, step, hasCur, oV, oE, oI, oC, oL, oP, par)`: the kernel with a, be, bi, ce, ci, vRest, vTh, r as f64 at par. */
export type LifCurrMKernel = (n: number, lim: number, step: number, hasCur: number, oV: number, oE: number, oI: number, oC: number, oL: number, oP: number, par: number) => number;
/** `lifCond…M(n, lim, step, oV, oE, oI, oC, oL, oP, par)`: the kernel with k, de, di, eL, eE, eI, vTh, r as f64 at par. */
export type LifCondMKernel = (n: number, lim: number, step: number, oV: number, oE: number, oI: number, oC: number, oL: number, oP: number, par: number) => number;

export type LifCondKernel = (
  n: number,
  lim: number,
  step: number,
  k: number,
  de: number,
  di: number,
  eL: number,
  eE: number,
  eI: number,
  vTh: number,
  r: number,
  oV: number,
  oE: number,
  oI: number,
  oC: number,
  oL: number,
  oP: number,
) => number;

export type LifCurrKernel = (
  n: number,
  lim: number,
  step: number,
  a: number,
  be: number,
  bi: number,
  ce: number,
  ci: number,
  vRest: number,
  vTh: number,
  r: number,
  hasCur: number,
  oV: number,
  oE: number,
  oI: number,
  oC: number,
  oL: number,
  oP: number,
) => number;

/** Kernels bound to one memory. */
export interface WasmKernels {
  readonly buffer: ArrayBuffer;
  readonly lifCurr: LifCurrKernel;
  readonly lifCond: LifCondKernel;
  /** `lifCurr` for an even number of neurons, two at a time (f64x2). */
  readonly lifCurrPairs: LifCurrKernel;
  /** `lifCurrPairs` for a group without an injected current (hasCur must be 0). */
  readonly lifCurrPairsNoCur: LifCurrKernel;
  /** `lifCond` for an even number of neurons, two at a time (f64x2). */
  readonly lifCondPairs: LifCondKernel;
  /** The same kernels with their f64 parameters read from memory ({@link viaMemory}). */
  readonly lifCurrM: LifCurrMKernel;
  readonly lifCurrPairsM: LifCurrMKernel;
  readonly lifCurrPairsNoCurM: LifCurrMKernel;
  readonly lifCondM: LifCondMKernel;
  readonly lifCondPairsM: LifCondMKernel;
  /** `lifCondPairsM` for a group without an injected current. */
  readonly lifCondPairsNoCurM: LifCondMKernel;
}

let compiled: object | null | undefined;
let enabled = true;

/**
 * Turn the wasm kernels off (or back on) for groups built afterwards, so tests
 * can compare them with the JS loops. Returns the previous setting.
 */
export function setWasmKernelsEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Whether wasm kernels are on (see {@link setWasmKernelsEnabled}). */
export function wasmKernelsEnabled(): boolean {
  return enabled;
}

function module(): object | null {
  if (compiled === undefined) {
    try {
      const defs = [lifCurrDef(), lifCondDef(), lifCurrPairsDef(), lifCondPairsDef(), lifCurrPairsDef(false), lifCondPairsDef(false)];
      const wrappers = defs.map((d, i) => viaMemory(d, i, `${d.exportName}M`));
      compiled = api ? new api.Module(assemble([...defs, ...wrappers])) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Kernels over a fresh memory of at least `bytes` bytes, or null when
 * WebAssembly or that much memory is not available (the caller then uses JS).
 * The memory never grows, so views into `buffer` stay valid.
 */
export function wasmKernels(bytes: number): WasmKernels | null {
  if (!enabled) return null;
  const mod = module();
  if (!api || !mod) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 32768) return null;
  try {
    return kernelsIn(mod, new api.Memory({ initial: pages, maximum: pages }));
  } catch {
    return null;
  }
}

/**
 * Kernels over an existing memory (the network's arena, sim/arena.ts, so a group's state
 * sits beside the columns and rings of the wasm delivery kernels), or null without
 * WebAssembly or when the memory cannot be imported (e.g. a shared one).
 */
export function wasmKernelsIn(mem: WasmMemory): WasmKernels | null {
  if (!enabled) return null;
  const mod = module();
  if (!api || !mod) return null;
  try {
    return kernelsIn(mod, mem);
  } catch {
    return null;
  }
}

function kernelsIn(mod: object, mem: WasmMemory): WasmKernels {
  const inst = new api!.Instance(mod, { env: { mem } });
  return {
    buffer: mem.buffer,
    lifCurr: inst.exports.lifCurr as LifCurrKernel,
    lifCond: inst.exports.lifCond as LifCondKernel,
    lifCurrPairs: inst.exports.lifCurrPairs as LifCurrKernel,
    lifCondPairs: inst.exports.lifCondPairs as LifCondKernel,
    lifCurrPairsNoCur: inst.exports.lifCurrPairsNoCur as LifCurrKernel,
    lifCurrM: inst.exports.lifCurrM as LifCurrMKernel,
    lifCurrPairsM: inst.exports.lifCurrPairsM as LifCurrMKernel,
    lifCurrPairsNoCurM: inst.exports.lifCurrPairsNoCurM as LifCurrMKernel,
    lifCondM: inst.exports.lifCondM as LifCondMKernel,
    lifCondPairsM: inst.exports.lifCondPairsM as LifCondMKernel,
    lifCondPairsNoCurM: inst.exports.lifCondPairsNoCurM as LifCondMKernel,
  };
}

/** What {@link lifStateIn} needs of the network's arena (sim/arena.ts `Arena`). */
export interface StateArena {
  readonly memory: WasmMemory;
  mark(): number;
  release(mark: number): void;
  f64(length: number): Float64Array | null;
  i32(length: number): Int32Array | null;
}

/**
 * A LIF group's state where the kernels read it: its four f64 arrays (V, two
 * synaptic variables, the injected current), two i32 arrays (last spike, pending
 * spikes) and eight f64 constants, with the byte offsets of the six arrays and
 * the kernels of that memory.
 */
export interface LifState {
  readonly kernels: WasmKernels;
  readonly f64: readonly [Float64Array, Float64Array, Float64Array, Float64Array];
  readonly i32: readonly [Int32Array, Int32Array];
  readonly par: Float64Array;
  readonly offsets: readonly [number, number, number, number, number, number];
}

/**
 * Copy a LIF group's state (`f64`, `i32`, the constants `par`) into `arena` and
 * bind the kernels to its memory, so the synaptic variables that a zero-delay
 * projection adds into directly are in the memory of the wasm delivery kernels
 * (`Network.setUpWasmDelivery`). Null, the arena unchanged, when it has no room
 * or its memory cannot take the kernels; the group then keeps its own memory.
 */
export function lifStateIn(arena: StateArena, f64: readonly [Float64Array, Float64Array, Float64Array, Float64Array], i32: readonly [Int32Array, Int32Array], par: ArrayLike<number>): LifState | null {
  const kernels = wasmKernelsIn(arena.memory);
  if (!kernels) return null;
  const mark = arena.mark();
  const f = f64.map((a) => arena.f64(a.length));
  const g = i32.map((a) => arena.i32(a.length));
  const p = arena.f64(8);
  if (f.some((x) => !x) || g.some((x) => !x) || !p) {
    arena.release(mark);
    return null;
  }
  const [v, a, b, c] = f as Float64Array[];
  const [last, pending] = g as Int32Array[];
  v.set(f64[0]);
  a.set(f64[1]);
  b.set(f64[2]);
  c.set(f64[3]);
  last.set(i32[0]);
  pending.set(i32[1]);
  p.set(par);
  return { kernels, f64: [v, a, b, c], i32: [last, pending], par: p, offsets: [v.byteOffset, a.byteOffset, b.byteOffset, c.byteOffset, last.byteOffset, pending.byteOffset] };
}
