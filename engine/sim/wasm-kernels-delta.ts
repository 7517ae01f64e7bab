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
  V128_AND,
  F64X2_GT,
  I64X2_BITMASK,
  get,
  set,
  xoshiroStep,
} from './wasm-opcodes.ts';
import { pairCommit, pairNext, pairSpike, splat, type FuncDef, type PairLocals } from './wasm-kernels.ts';

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
  return [
    // u = rotl(b·5, 7)·9; then the state transition
    ...xoshiroStep(l, l.u),
    // k = guide[u >>> shift]; while (u >= thr[k]) k++
    ...get(l.guide),
    ...get(l.u),
    ...get(l.shift),
    I32_SHR_U,
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    ...I32_LOAD,
    ...set(l.k),
    ...get(l.u),
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
    // x = vRest + (V − vRest)·a, as in JS
    ...get(VR),
    ...get(vo),
    ...get(VR),
    ...F64X2_SUB,
    ...get(A),
    ...F64X2_MUL,
    ...F64X2_ADD,
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

/**
 * `deltaStepCounts8/16(n, step, lim, oV, oL, oP, par, sa, sb, into, wAt, st, thr, guide, shift, kMin, cw, evAt) → spikes`:
 * `deltaUpdate` and then `deltaAbsorbPairs8/16` of the same step in one pass, two neurons at a
 * time (n even), for a group whose count rings only receive spikes delayed by one step or
 * more (so this step's deliveries never touch slot n, and the absorb may run before them):
 * per pair, the update (V ← vRest + (V − vRest)·a where lastSpike ≤ lim, spikes where V > vTh),
 * then the drive's two draws, then V ← (V + count_a·w_a (+ k·w)) + count_b·w_b where the
 * neuron was active and did not spike, the count slots zeroed. Each neuron gets the two
 * kernels' operations in their order, so V is bit-identical; V, lastSpike and the slots are
 * read once per step instead of twice. The drive's events are added to the i32 at evAt.
 */
export function deltaStepCountsDef(counts: 1 | 2): FuncDef {
  const [n, step, lim, oV, oL, oP, par, sa, sb, into, wAt, st, thr, guide, shift, kMin, cw, evAt] = Array.from({ length: 18 }, (_, q) => q);
  const [i, c, o8, o4, m, oc, ev, ra, rb, rc, rd, u, t, k] = Array.from({ length: 14 }, (_, q) => 18 + q);
  const [vRest, a, vTh, w, uf, kw0] = Array.from({ length: 6 }, (_, q) => 32 + q);
  const [vo, x, act, spk, A, VR, VTH, LIM, xa, xb, kw, WA, WB, vp] = Array.from({ length: 14 }, (_, q) => 38 + q);
  const l: DrawLocals = { a: ra, b: rb, c: rc, d: rd, u, t, k, uf, thr, guide, shift, kMin };
  const pl: PairLocals = { oV, o8, o4, x, vo, act, VTH, spk, m, oP, c, i, oL, step, n };
  const drawKw = [...poissonDraw(l), ...get(ev), ...get(k), I32_ADD, ...set(ev), ...get(k), F64_CONVERT_I32_S, ...get(w), F64_MUL];
  const slotValue = (s0: number, xl: number, wl: number) => [
    ...addr(s0, oc),
    ...V128_LOAD32_ZERO_U8,
    ...(counts === 1 ? I16X8_EXTEND_LOW_I8X16_U : []),
    ...I32X4_EXTEND_LOW_I16X8_U,
    ...F64X2_CONVERT_LOW_I32X4_U,
    ...get(wl),
    ...F64X2_MUL,
    ...set(xl),
  ];
  const clear = (s0: number) => [...addr(s0, oc), I32_CONST, 0, ...(counts === 1 ? i32Store16At(0) : I32_STORE)];
  const par8 = (q: number) => [...get(par), ...(q ? [I32_CONST, 8 * q, I32_ADD] : []), ...F64_LOAD];
  const cw8 = (q: number) => [...get(cw), ...(q ? [I32_CONST, 8 * q, I32_ADD] : []), ...F64_LOAD, ...F64X2_SPLAT];
  const body = [
    ...par8(0),
    ...set(vRest),
    ...par8(1),
    ...set(a),
    ...par8(2),
    ...set(vTh),
    ...splat(a, A),
    ...splat(vRest, VR),
    ...splat(vTh, VTH),
    ...get(lim),
    I64_EXTEND_I32_S,
    ...I64X2_SPLAT,
    ...set(LIM),
    ...cw8(0),
    ...set(WA),
    ...cw8(1),
    ...set(WB),
    ...get(into),
    IF,
    VOID,
    ...get(wAt),
    ...F64_LOAD,
    ...set(w),
    ...loadState(st, l),
    END,
    BLOCK,
    VOID,
    ...get(n),
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    // The update (deltaUpdate): x where active, spikes recorded.
    ...addr(oL, o4),
    ...V128_LOAD64_ZERO,
    ...I64X2_EXTEND_LOW_I32X4_S,
    ...get(LIM),
    ...I64X2_LE_S,
    ...set(act),
    ...addr(oV, o8),
    ...V128_LOAD,
    ...set(vo),
    ...get(VR),
    ...get(vo),
    ...get(VR),
    ...F64X2_SUB,
    ...get(A),
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...set(x),
    ...get(x),
    ...get(vo),
    ...get(act),
    ...V128_BITSELECT,
    ...set(vp),
    ...get(x),
    ...get(VTH),
    ...F64X2_GT,
    ...get(act),
    ...V128_AND,
    ...set(spk),
    ...get(spk),
    ...V128_ANY_TRUE,
    IF,
    VOID,
    ...get(spk),
    ...I64X2_BITMASK,
    ...set(m),
    ...pairSpike(pl, 1, 0),
    ...pairSpike(pl, 2, 1),
    END,
    // The absorb (deltaAbsorbPairs8/16): the slots' values, the drive's draws, gated by "active and did not spike".
    ...slotValue(sa, xa, WA),
    ...slotValue(sb, xb, WB),
    ...get(into),
    IF,
    VOID,
    ...drawKw,
    ...set(kw0),
    ...drawKw,
    ...set(uf),
    ...get(kw0),
    ...F64X2_SPLAT,
    ...get(uf),
    ...f64x2ReplaceLane(1),
    ...set(kw),
    ...get(into),
    I32_CONST,
    1,
    I32_EQ,
    IF,
    VOID,
    ...get(xa),
    ...get(kw),
    ...F64X2_ADD,
    ...set(xa),
    ELSE,
    ...get(xb),
    ...get(kw),
    ...F64X2_ADD,
    ...set(xb),
    END,
    END,
    ...addr(oV, o8),
    ...get(vp),
    ...get(xa),
    ...F64X2_ADD,
    ...get(xb),
    ...F64X2_ADD,
    ...get(vp),
    ...get(act),
    ...get(spk),
    ...V128_ANDNOT,
    ...V128_BITSELECT,
    ...V128_STORE,
    ...clear(sa),
    ...clear(sb),
    ...get(oc),
    I32_CONST,
    2 * counts,
    I32_ADD,
    ...set(oc),
    ...pairNext(pl),
    END,
    END,
    ...get(into),
    IF,
    VOID,
    ...storeState(st, l),
    ...get(evAt),
    ...get(evAt),
    ...I32_LOAD,
    ...get(ev),
    I32_ADD,
    ...I32_STORE,
    END,
    ...get(c),
  ];
  return {
    exportName: `deltaStepCounts${8 * counts}`,
    params: Array.from({ length: 18 }, () => I32),
    results: [I32],
    locals: [...Array.from({ length: 14 }, () => I32), ...Array.from({ length: 6 }, () => F64), ...Array.from({ length: 14 }, () => V128)],
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
