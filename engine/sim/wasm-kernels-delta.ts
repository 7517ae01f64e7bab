/**
 * The per-neuron passes of a `lif-delta` group (Brunel, MODELS.md §3) in
 * WebAssembly, in the delivery kernels' memory (wasm-kernels-delivery.ts
 * assembles them into its module), where the group's V, last-spike steps
 * and spike list, its two delay rings and its Poisson drive's table and
 * generator all live (`LifDelta.bindArena`, `Network.setUpWasmDelivery`).
 *
 * Per step the JS engine ran three passes over every neuron: the update
 * (`LifDelta.update`), the Poisson drive's fill of the exc ring slot
 * (`PoissonDrive.fill`) and the gated absorb of both slots
 * (`LifDelta.absorbPair`). Here the update is one f64x2 pass, and the drive
 * and the absorb are one pass (`deltaAbsorbDrive`): the slot value, plus the
 * drive's k·w, is added into V in the register, so the slot is read once and
 * zeroed, never written with the sum. Every lane and every neuron does the JS
 * operations in the JS order (no fused multiply-adds), so the numbers are
 * bit-identical (lif-delta.test.ts and wasm-kernels-delta.test.ts check it).
 */
import {
  BLOCK,
  BR,
  BR_IF,
  ELSE,
  END,
  F64,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_SUB,
  F64_ADD,
  F64_CONVERT_I32_S,
  F64_CONVERT_I32_U,
  F64_CONST_0,
  F64_LOAD,
  F64_LT,
  F64_MUL,
  F64_STORE,
  I32,
  I32_ADD,
  I32_CONST,
  I32_EQ,
  I32_EQZ,
  I32_LE_S,
  I32_LOAD,
  I32_LT_U,
  I32_SHL,
  I32_SHR_U,
  I32_STORE,
  I64X2_EXTEND_LOW_I32X4_S,
  I64X2_LE_S,
  I64X2_SPLAT,
  I64_EXTEND_I32_S,
  IF,
  LOOP,
  SELECT,
  TEE,
  V128,
  V128_ANY_TRUE,
  V128_BITSELECT,
  V128_LOAD,
  V128_LOAD64_ZERO,
  V128_STORE,
  VOID,
  addr,
  f64x2ReplaceLane,
  F64X2_SPLAT,
  F64X2_CONVERT_LOW_I32X4_U,
  I16X8_EXTEND_LOW_I8X16_U,
  I32X4_EXTEND_LOW_I16X8_U,
  V128_LOAD32_ZERO_U8,
  i32Load16At,
  i32Load8At,
  i32Store16At,
  i32Store8At,
  V128_ANDNOT,
  F64X2_GT,
  I64X2_BITMASK,
  get,
  set,
  xoshiroStep,
  simd,
  uleb,
  i32Const,
  I32_OR,
  I32_XOR,
  I32_NE,
  I32_SUB,
  type FuncDef,
} from '../core/wasm.ts';
import { advanceBy, pairCommit, pairNext, splat, turnLoop, turnSpike, type PairLocals } from './wasm-kernels.ts';

/** Locals the Poisson draw uses: the generator's four words, the output u, a temporary, k, and u as f64. */
export interface DrawLocals {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly u: number;
  readonly t: number;
  readonly k: number;
  readonly uf: number;
  /** Where the table is (params or locals): f64 thresholds, i32 guide, the guide's shift and kMin. */
  readonly thr: number;
  readonly guide: number;
  readonly shift: number;
  readonly kMin: number;
}

/**
 * One draw of `PoissonDrive.fill` (poisson-drive.ts): a xoshiro128** output u
 * and the state transition, then k from the guide table and the f64
 * thresholds, k += kMin. Leaves k in its local.
 */
export function poissonDraw(l: DrawLocals): number[] {
  // u = rotl(b·5, 7)·9; then the state transition
  return [...xoshiroStep(l, l.u), ...tableLookup(l, l.u)];
}

/** k for the uniform 32-bit number in local `u` (`DiscreteTable.lookup`): guide[u >>> shift], then while (u >= thr[k]) k++; k += kMin. */
export function tableLookup(l: DrawLocals, u: number): number[] {
  return [
    ...get(l.guide),
    ...get(u),
    ...get(l.shift),
    I32_SHR_U,
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    ...I32_LOAD,
    ...set(l.k),
    ...get(u),
    F64_CONVERT_I32_U,
    ...set(l.uf),
    BLOCK,
    VOID,
    LOOP,
    VOID,
    ...get(l.uf),
    ...get(l.thr),
    ...get(l.k),
    I32_CONST,
    3,
    I32_SHL,
    I32_ADD,
    ...F64_LOAD,
    F64_LT,
    BR_IF,
    1,
    ...get(l.k),
    I32_CONST,
    1,
    I32_ADD,
    ...set(l.k),
    BR,
    0,
    END,
    END,
    ...get(l.k),
    ...get(l.kMin),
    I32_ADD,
    ...set(l.k),
  ];
}

/** Load the generator's four i32 words at `st` into locals a..d (or store them back). */
export function loadState(st: number, l: DrawLocals): number[] {
  return [l.a, l.b, l.c, l.d].flatMap((x, q) => [...get(st), ...(q ? [I32_CONST, 4 * q, I32_ADD] : []), ...I32_LOAD, ...set(x)]);
}
export function storeState(st: number, l: DrawLocals): number[] {
  return [l.a, l.b, l.c, l.d].flatMap((x, q) => [...get(st), ...(q ? [I32_CONST, 4 * q, I32_ADD] : []), ...get(x), ...I32_STORE]);
}

/** x = vRest + (V − vRest)·a on f64x2 locals, as in JS (left on the stack). */
function leak(VR: number, A: number, V: number): number[] {
  return [...get(VR), ...get(V), ...get(VR), ...F64X2_SUB, ...get(A), ...F64X2_MUL, ...F64X2_ADD];
}

/**
 * `deltaUpdate(n, step, lim, oV, oL, oP, par) → spikes`: `LifDelta.update`
 * without an injected current, two neurons at a time (n even: the group pads
 * to an even size with a neuron that is never active). A neuron integrates
 * when lastSpike ≤ lim = step − refSteps: V ← vRest + (V − vRest)·a, and
 * spikes iff V > vTh (its index appended at oP, its last spike set to step).
 * vRest, a and vTh are the f64 at par, par+8, par+16 (f64 parameters would be
 * boxed per call).
 */
export function deltaUpdateDef(): FuncDef {
  const [n, step, lim, oV, oL, oP, par] = [0, 1, 2, 3, 4, 5, 6];
  const [i, c, o8, o4, m] = [7, 8, 9, 10, 11];
  const [vRest, a, vTh] = [12, 13, 14];
  const [vo, x, act, spk, A, VR, VTH, LIM] = [15, 16, 17, 18, 19, 20, 21, 22];
  const pl: PairLocals = { oV, o8, o4, x, vo, act, VTH, spk, m, oP, c, i, oL, step, n };
  const body = [
    ...get(par),
    ...F64_LOAD,
    ...set(vRest),
    ...get(par),
    I32_CONST,
    8,
    I32_ADD,
    ...F64_LOAD,
    ...set(a),
    ...get(par),
    I32_CONST,
    16,
    I32_ADD,
    ...F64_LOAD,
    ...set(vTh),
    ...splat(a, A),
    ...splat(vRest, VR),
    ...splat(vTh, VTH),
    ...get(lim),
    I64_EXTEND_I32_S,
    ...I64X2_SPLAT,
    ...set(LIM),
    BLOCK,
    VOID,
    ...get(n),
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...addr(oL, o4),
    ...V128_LOAD64_ZERO,
    ...I64X2_EXTEND_LOW_I32X4_S,
    ...get(LIM),
    ...I64X2_LE_S,
    ...set(act),
    ...get(act),
    ...V128_ANY_TRUE,
    IF,
    VOID,
    ...addr(oV, o8),
    ...V128_LOAD,
    ...set(vo),
    ...leak(VR, A, vo),
    ...set(x),
    ...pairCommit(pl),
    END,
    ...pairNext(pl),
    END,
    END,
    ...get(c),
  ];
  return {
    exportName: 'deltaUpdate',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, F64, F64, F64, ...Array.from({ length: 8 }, () => V128)],
    body,
  };
}

/**
 * `deltaAbsorbDrive(n, lim, oV, oL, sa, sb, into, wAt, st, thr, guide, shift, kMin) → events`:
 * per neuron j, in order, `PoissonDrive.fill`'s draw k (when `into` is 1 or 2)
 * added as k·w to slot a's (1) or slot b's (2) value, then `LifDelta.absorbPair`:
 * V ← (V + a) + b when lastSpike ≤ lim, and both slots zeroed. Returns Σk.
 * With `into` = 0 no draw is made (and the drive arguments are not read).
 *
 * `lanes` 2 builds `deltaAbsorbPairs`, the same pass two neurons at a time
 * with f64x2 (n even; the caller runs the scalar kernel on an odd last neuron,
 * which continues the generator from its stored state). The two draws are
 * made in neuron order, and each lane's additions are the scalar ones.
 */
export function deltaAbsorbDef(lanes: 1 | 2 = 1, counts: 0 | 1 | 2 = 0): FuncDef {
  const pairs = lanes === 2;
  // With count rings (`counts` bytes per count) one more parameter: the byte address of the two rings' f64 weights.
  const np = counts ? 14 : 13;
  const [n, lim, oV, oL, sa, sb, into, wAt, st, thr, guide, shift, kMin, cw] = Array.from({ length: 14 }, (_, q) => q);
  const [j, o8, o4, ev, a, b, c, d, u, t, k, oc] = Array.from({ length: 12 }, (_, q) => np + q);
  const [w, uf, kw0] = [np + 12, np + 13, np + 14];
  // f64 locals for one lane, v128 for two.
  const [xa, xb, vo, kw, LIM, ZERO, WA, WB] = Array.from({ length: 8 }, (_, q) => np + 15 + q);
  const l: DrawLocals = { a, b, c, d, u, t, k, uf, thr, guide, shift, kMin };
  const LOAD = pairs ? V128_LOAD : F64_LOAD;
  const STORE = pairs ? V128_STORE : F64_STORE;
  const ADD = pairs ? F64X2_ADD : [F64_ADD];
  const drawKw = [...poissonDraw(l), ...get(ev), ...get(k), I32_ADD, ...set(ev), ...get(k), F64_CONVERT_I32_S, ...get(w), F64_MUL];
  /** A slot's value into local x: the f64 sum, or count × weight (each lane's count converted exactly, one product). */
  const slotValue = (s0: number, x: number, wl: number) => {
    if (!counts) return [...addr(s0, o8), ...LOAD, ...set(x)];
    if (!pairs) return [...addr(s0, oc), ...(counts === 1 ? i32Load8At(0) : i32Load16At(0)), F64_CONVERT_I32_U, ...get(wl), F64_MUL, ...set(x)];
    return [...addr(s0, oc), ...V128_LOAD32_ZERO_U8, ...(counts === 1 ? I16X8_EXTEND_LOW_I8X16_U : []), ...I32X4_EXTEND_LOW_I16X8_U, ...F64X2_CONVERT_LOW_I32X4_U, ...get(wl), ...F64X2_MUL, ...set(x)];
  };
  /** The slot's entries of this turn zeroed. */
  const clear = (s0: number) => {
    if (!counts) return [...addr(s0, o8), ...(pairs ? get(ZERO) : F64_CONST_0), ...STORE];
    const bytes = counts * lanes;
    return [...addr(s0, oc), I32_CONST, 0, ...(bytes === 1 ? i32Store8At(0) : bytes === 2 ? i32Store16At(0) : I32_STORE)];
  };
  const weights = counts ? [...get(cw), ...F64_LOAD, ...(pairs ? F64X2_SPLAT : []), ...set(WA), ...get(cw), I32_CONST, 8, I32_ADD, ...F64_LOAD, ...(pairs ? F64X2_SPLAT : []), ...set(WB)] : [];
  const body = [
    ...get(into),
    IF,
    VOID,
    ...get(wAt),
    ...F64_LOAD,
    ...set(w),
    ...loadState(st, l),
    END,
    ...weights,
    ...(pairs ? [...get(lim), I64_EXTEND_I32_S, ...I64X2_SPLAT, ...set(LIM), ...F64_CONST_0, ...F64X2_SPLAT, ...set(ZERO)] : []),
    BLOCK,
    VOID,
    ...get(n),
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...slotValue(sa, xa, WA),
    ...slotValue(sb, xb, WB),
    ...get(into),
    IF,
    VOID,
    // slot += k·w on the drive's ring, the same f64 sum as the fill
    ...(pairs ? [...drawKw, ...set(kw0), ...drawKw, ...set(uf), ...get(kw0), ...F64X2_SPLAT, ...get(uf), ...f64x2ReplaceLane(1), ...set(kw)] : [...drawKw, ...set(kw)]),
    ...get(into),
    I32_CONST,
    1,
    I32_EQ,
    IF,
    VOID,
    ...get(xa),
    ...get(kw),
    ...ADD,
    ...set(xa),
    ELSE,
    ...get(xb),
    ...get(kw),
    ...ADD,
    ...set(xb),
    END,
    END,
    // V ← (V + a) + b unless refractory, by a select (~7 % of neurons are, at random)
    ...addr(oV, o8),
    ...LOAD,
    ...set(vo),
    ...addr(oV, o8),
    ...get(vo),
    ...get(xa),
    ...ADD,
    ...get(xb),
    ...ADD,
    ...get(vo),
    ...(pairs ? [...addr(oL, o4), ...V128_LOAD64_ZERO, ...I64X2_EXTEND_LOW_I32X4_S, ...get(LIM), ...I64X2_LE_S, ...V128_BITSELECT] : [...addr(oL, o4), ...I32_LOAD, ...get(lim), I32_LE_S, SELECT]),
    ...STORE,
    ...clear(sa),
    ...clear(sb),
    ...(counts ? [...get(oc), I32_CONST, counts * lanes, I32_ADD, ...set(oc)] : []),
    ...get(o4),
    I32_CONST,
    4 * lanes,
    I32_ADD,
    ...set(o4),
    ...get(o8),
    I32_CONST,
    8 * lanes,
    I32_ADD,
    ...set(o8),
    ...get(j),
    I32_CONST,
    lanes,
    I32_ADD,
    TEE,
    j,
    ...get(n),
    I32_LT_U,
    BR_IF,
    0,
    END,
    END,
    ...get(into),
    IF,
    VOID,
    ...storeState(st, l),
    END,
    ...get(ev),
  ];
  return {
    exportName: (pairs ? 'deltaAbsorbPairs' : 'deltaAbsorbDrive') + (counts ? String(8 * counts) : ''),
    params: Array.from({ length: np }, () => I32),
    results: [I32],
    locals: [...Array.from({ length: 12 }, () => I32), F64, F64, F64, ...Array.from({ length: 8 }, () => (pairs ? V128 : F64))],
    body,
  };
}

export type DeltaUpdateKernel = (n: number, step: number, lim: number, oV: number, oL: number, oP: number, par: number) => number;
export type DeltaAbsorbKernel = (
  n: number,
  lim: number,
  oV: number,
  oL: number,
  sa: number,
  sb: number,
  into: number,
  wAt: number,
  st: number,
  thr: number,
  guide: number,
  shift: number,
  kMin: number,
) => number;

/**
 * `deltaAbsorbDrive8/16(…, cw)` and `deltaAbsorbPairs8/16(…, cw)`: {@link DeltaAbsorbKernel} over two
 * count rings (u8 or u16 counts; `sa`, `sb` the slots' byte addresses), the slots' values being
 * count × weight with the rings' f64 weights at cw and cw + 8.
 */
export type DeltaAbsorbCountKernel = (...args: [...Parameters<DeltaAbsorbKernel>, cw: number]) => number;

/** SIMD instructions only the fused kernel uses (WebAssembly core spec §5.4.8). */
const I32X4_SPLAT = simd(0x11);
const i32x4ExtractLane = (lane: number): number[] => simd(0x1b, lane);
const i32x4ReplaceLane = (lane: number): number[] => simd(0x1c, lane);
const I32X4_GT_S = simd(0x3b);
const I32X4_ADD = simd(0xae);
const I32X4_SUB = simd(0xb1);
const V128_OR = simd(0x50);
const I64X2_EXTEND_HIGH_I32X4_S = simd(0xc8);
/** Exact for any i32, and one instruction on x64 (the unsigned conversion is four): the counts and k are small and non-negative. */
const F64X2_CONVERT_LOW_I32X4_S = simd(0xfe);
/** `i8x16.shuffle` of a vector with itself that moves its high 8 bytes (i32 lanes 2, 3) to the low half. */
const HIGH_TO_LOW = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
const v128LoadAt = (align: number, offset: number): number[] => simd(0x00, align, ...uleb(offset));
const v128StoreAt = (offset: number): number[] => simd(0x0b, 3, ...uleb(offset));
const f64LoadAt = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];
/** `f64.const 2³²`. */
const F64_TWO32 = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x41];
const I32_TRUNC_F64_U = 0xab;
/** `i64.store` (four u16 counts zeroed with `i64.const 0`). */
const I64_STORE = [0x37, 3, 0];

/** How many of the drive's thresholds the fused kernel compares with SIMD (k < 4 is 99.998 % of the scale case's draws). */
const SIMD_THRESHOLDS = 4;

/**
 * `deltaStepCounts8/16(n, step, lim, oV, oL, oP, par, sa, sb, into, wAt, st, thr, guide, shift, kMin, cw, evAt) → spikes`:
 * `deltaUpdate` and then `deltaAbsorbPairs8/16` of the same step in one pass (n even), for a
 * group whose count rings only receive spikes delayed by one step or more (so this step's
 * deliveries never touch slot n, and the absorb may run before them): per neuron, the update
 * (V ← vRest + (V − vRest)·a where lastSpike ≤ lim, spikes where V > vTh), then the drive's
 * draw, then V ← (V + count_a·w_a (+ k·w)) + count_b·w_b where the neuron was active and did
 * not spike, the count slots zeroed. Each neuron gets the two kernels' operations in their
 * order, so V is bit-identical; V, lastSpike and the slots are read once per step instead of
 * twice. The drive's events are added to the i32 at evAt.
 *
 * Four neurons a turn (a last pair on its own when n is not a multiple of 4), with moving
 * pointers (few registers: x64 has 16 vector ones). The drive's four draws are the
 * generator's next four outputs u₀…u₃ in neuron order, made with scalar i32 operations (the
 * one serial chain); the table look-up is then vectorised: k = kMin + #{j : thr[j] ≤ u} (what
 * the guide-table search finds, the thresholds being non-decreasing), counted with i32x4
 * compares against the first {@link SIMD_THRESHOLDS} thresholds (as signed compares after
 * flipping the top bits: u ≥ T ⇔ u ⊕ 2³¹ > (T − 1) ⊕ 2³¹). Only when a lane reaches the last
 * of them (k may go on; 0.008 % of the scale case's turns), or kMin is not 0, or a threshold
 * is 0, do the four lanes take the scalar guide-table search. Same draws, same k, same order:
 * the generator stream and V are unchanged.
 */
export function deltaStepCountsDef(counts: 1 | 2): FuncDef {
  const [n, step, lim, oV, oL, oP, par, sa, sb, into, wAt, st, thr, guide, shift, kMin, cw, evAt] = Array.from({ length: 18 }, (_, q) => q);
  const types: number[] = [];
  const locals = (type: number, count: number) => Array.from({ length: count }, () => 18 + types.push(type) - 1);
  const [c, m, ra, rb, rc, rd, u, t, k, slow, done, ti, pV, pL, pA, pB, endL] = locals(I32, 17);
  const us = locals(I32, 4);
  const [uf, f] = locals(F64, 2);
  const [A, VR, VTH, LIMV, WA, WB, W, EVV, KV, M, M3, INA, INAP, CV, KW0, KW1, VO, X, VP, SPK] = locals(V128, 20);
  const T = locals(V128, SIMD_THRESHOLDS);
  const XA = locals(V128, 2);
  const XB = locals(V128, 2);
  const l: DrawLocals = { a: ra, b: rb, c: rc, d: rd, u, t, k, uf, thr, guide, shift, kMin };
  const sl = { m, oP, c, pL, oL, step };
  const FLIP = i32Const(0x80000000);
  const splatAt = (base: number, q: number) => [...get(base), ...f64LoadAt(8 * q), ...F64X2_SPLAT];

  /**
   * The thresholds the SIMD look-up compares with: T[j] = splat((thr[j] − 1) ⊕ 2³¹), or
   * 0x7fffffff (no flipped u exceeds it) from the first threshold of 2³² on (the table's last
   * entry is 2³², so no read goes past it). A threshold of 0 (never reached by a binomial table
   * of non-zero mass) or kMin ≠ 0 sends every turn to the scalar search.
   */
  const thresholds = [
    ...get(kMin),
    I32_CONST,
    0,
    I32_NE,
    ...set(slow),
    ...T.flatMap((Tj, j) => [
      ...i32Const(0x7fffffff),
      ...set(ti),
      ...get(done),
      I32_EQZ,
      IF,
      VOID,
      ...get(thr),
      ...f64LoadAt(8 * j),
      ...set(f),
      ...get(f),
      ...F64_TWO32,
      F64_LT,
      IF,
      VOID,
      ...get(f),
      I32_TRUNC_F64_U,
      TEE,
      ti,
      I32_EQZ,
      IF,
      VOID,
      I32_CONST,
      1,
      ...set(slow),
      END,
      ...get(ti),
      I32_CONST,
      1,
      I32_SUB,
      ...FLIP,
      I32_XOR,
      ...set(ti),
      ELSE,
      I32_CONST,
      1,
      ...set(done),
      END,
      END,
      ...get(ti),
      ...I32X4_SPLAT,
      ...set(Tj),
    ]),
    ...splatAt(wAt, 0),
    ...set(W),
  ];

  /**
   * The drive's draws for `lanes` neurons (2 or 4): the flipped outputs u ⊕ 2³¹ into the lanes
   * of KV (unused lanes 2³¹ ⊕ 2³¹ = the flip of u = 0, below every threshold), then k per lane
   * (−M), added into EVV, and k·w into KW0 (lanes 0, 1) and KW1 (2, 3).
   */
  const draws = (lanes: number) => [
    ...us
      .slice(0, lanes)
      .flatMap((uq, q) => [...xoshiroStep(l, uq), ...get(uq), ...FLIP, I32_ADD, ...(q === 0 ? I32X4_SPLAT : [...set(uq), ...get(KV), ...get(uq), ...i32x4ReplaceLane(q)]), ...set(KV)]),
    ...(lanes === 2 ? [2, 3].flatMap((q) => [...get(KV), ...FLIP, ...i32x4ReplaceLane(q), ...set(KV)]) : []),
    // M = −#{j : u ≥ T_j}: each true compare is −1
    ...get(KV),
    ...get(T[SIMD_THRESHOLDS - 1]),
    ...I32X4_GT_S,
    ...set(M3),
    ...T.slice(0, -1).flatMap((Tj, j) => [...get(KV), ...get(Tj), ...I32X4_GT_S, ...(j ? I32X4_ADD : [])]),
    ...get(M3),
    ...I32X4_ADD,
    ...set(M),
    ...get(M3),
    ...V128_ANY_TRUE,
    ...get(slow),
    I32_OR,
    IF,
    VOID,
    ...us
      .slice(0, lanes)
      .flatMap((_, q) => [...get(KV), ...i32x4ExtractLane(q), ...FLIP, I32_XOR, ...set(u), ...tableLookup(l, u), ...get(M), I32_CONST, 0, ...get(k), I32_SUB, ...i32x4ReplaceLane(q), ...set(M)]),
    END,
    ...get(EVV),
    ...get(M),
    ...I32X4_SUB,
    ...set(EVV),
    I32_CONST,
    0,
    ...I32X4_SPLAT,
    ...get(M),
    ...I32X4_SUB,
    ...set(KV),
    ...get(KV),
    ...F64X2_CONVERT_LOW_I32X4_S,
    ...get(W),
    ...F64X2_MUL,
    ...set(KW0),
    ...(lanes === 4 ? [...get(KV), ...get(KV), ...HIGH_TO_LOW, ...F64X2_CONVERT_LOW_I32X4_S, ...get(W), ...F64X2_MUL, ...set(KW1)] : []),
  ];

  /** A slot's counts of `pairs` pairs (i32 lanes) × its ring's weight into X[0] (lanes 0, 1) and X[1] (2, 3), the counts zeroed. */
  const slot = (pairs: number, p: number, X: number[], wl: number) => {
    const bytes = 2 * pairs * counts;
    const load =
      bytes === 4 && counts === 1
        ? [...V128_LOAD32_ZERO_U8, ...I16X8_EXTEND_LOW_I8X16_U]
        : bytes === 8
          ? V128_LOAD64_ZERO
          : [...(bytes === 2 ? i32Load16At(0) : I32_LOAD), ...I32X4_SPLAT, ...(counts === 1 ? I16X8_EXTEND_LOW_I8X16_U : [])];
    const store = bytes === 2 ? i32Store16At(0) : bytes === 4 ? I32_STORE : I64_STORE;
    return [
      ...get(p),
      ...load,
      ...I32X4_EXTEND_LOW_I16X8_U,
      ...set(CV),
      ...[0, 1].slice(0, pairs).flatMap((h) => [...get(CV), ...(h ? [...get(CV), ...HIGH_TO_LOW] : []), ...F64X2_CONVERT_LOW_I32X4_S, ...get(wl), ...F64X2_MUL, ...set(X[h])]),
      ...get(p),
      ...(bytes === 8 ? [0x42, 0] : [I32_CONST, 0]),
      ...store,
    ];
  };

  /** Pair p (0, 1) of the turn: update, spikes, and V ← (V + a) + b where active and not spiking. INA holds the turn's refractory lanes. */
  const pair = (p: number) => [
    ...get(INA),
    ...(p ? I64X2_EXTEND_HIGH_I32X4_S : I64X2_EXTEND_LOW_I32X4_S),
    ...set(INAP),
    ...get(pV),
    ...v128LoadAt(3, 16 * p),
    ...set(VO),
    ...leak(VR, A, VO),
    ...set(X),
    ...get(VO),
    ...get(X),
    ...get(INAP),
    ...V128_BITSELECT,
    ...set(VP),
    ...get(X),
    ...get(VTH),
    ...F64X2_GT,
    ...get(INAP),
    ...V128_ANDNOT,
    ...set(SPK),
    ...get(SPK),
    ...V128_ANY_TRUE,
    IF,
    VOID,
    ...get(SPK),
    ...I64X2_BITMASK,
    ...set(m),
    ...turnSpike(sl, 1, 2 * p),
    ...turnSpike(sl, 2, 2 * p + 1),
    END,
    ...get(pV),
    ...get(VP),
    ...get(VP),
    ...get(XA[p]),
    ...F64X2_ADD,
    ...get(XB[p]),
    ...F64X2_ADD,
    ...get(INAP),
    ...get(SPK),
    ...V128_OR,
    ...V128_BITSELECT,
    ...v128StoreAt(16 * p),
  ];

  /** `pairs` pairs of neurons (2 a turn, 1 for a last pair): the slots, the draws, then each pair's update, spikes and V. */
  const turn = (pairs: number) => [
    ...slot(pairs, pA, XA, WA),
    ...slot(pairs, pB, XB, WB),
    ...get(into),
    IF,
    VOID,
    ...draws(2 * pairs),
    ...get(into),
    I32_CONST,
    1,
    I32_EQ,
    IF,
    VOID,
    ...[0, 1].slice(0, pairs).flatMap((p) => [...get(XA[p]), ...get(p ? KW1 : KW0), ...F64X2_ADD, ...set(XA[p])]),
    ELSE,
    ...[0, 1].slice(0, pairs).flatMap((p) => [...get(XB[p]), ...get(p ? KW1 : KW0), ...F64X2_ADD, ...set(XB[p])]),
    END,
    END,
    // refractory lanes: lastSpike > lim
    ...get(pL),
    ...(pairs === 2 ? v128LoadAt(2, 0) : V128_LOAD64_ZERO),
    ...get(LIMV),
    ...I32X4_GT_S,
    ...set(INA),
    ...[0, 1].slice(0, pairs).flatMap(pair),
  ];

  const body = [
    ...splatAt(par, 1),
    ...set(A),
    ...splatAt(par, 0),
    ...set(VR),
    ...splatAt(par, 2),
    ...set(VTH),
    ...get(lim),
    ...I32X4_SPLAT,
    ...set(LIMV),
    ...splatAt(cw, 0),
    ...set(WA),
    ...splatAt(cw, 1),
    ...set(WB),
    ...get(into),
    IF,
    VOID,
    ...loadState(st, l),
    ...thresholds,
    END,
    ...get(oV),
    ...set(pV),
    ...get(sa),
    ...set(pA),
    ...get(sb),
    ...set(pB),
    ...turnLoop({ n, oL, pL, endL }, turn, [...advanceBy(pA, 4 * counts), ...advanceBy(pB, 4 * counts), ...advanceBy(pV, 32)]),
    ...get(into),
    IF,
    VOID,
    ...storeState(st, l),
    ...get(evAt),
    ...get(evAt),
    ...I32_LOAD,
    ...[0, 1, 2, 3].flatMap((q) => [...get(EVV), ...i32x4ExtractLane(q), I32_ADD]),
    ...I32_STORE,
    END,
    ...get(c),
  ];
  return {
    exportName: `deltaStepCounts${8 * counts}`,
    params: Array.from({ length: 18 }, () => I32),
    results: [I32],
    locals: types,
    body,
  };
}

export type DeltaStepCountsKernel = (
  ...args: [
    n: number,
    step: number,
    lim: number,
    oV: number,
    oL: number,
    oP: number,
    par: number,
    sa: number,
    sb: number,
    into: number,
    wAt: number,
    st: number,
    thr: number,
    guide: number,
    shift: number,
    kMin: number,
    cw: number,
    evAt: number,
  ]
) => number;
