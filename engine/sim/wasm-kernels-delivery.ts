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
import {
  BLOCK,
  BR,
  BR_IF,
  END,
  I32_GT_U,
  IF,
  I32_SHR_U,
  I32_STORE,
  i32LoadAt,
  F32_LOAD,
  F64,
  F64_ADD,
  F64_CONVERT_I32_S,
  F64_LOAD,
  F64_MUL,
  F64_PROMOTE_F32,
  F64_STORE,
  GET,
  I32,
  I32_ADD,
  I32_CONST,
  I32_EQZ,
  I32_GE_U,
  I32_LOAD,
  I32_LT_U,
  I32_SHL,
  I32_OR,
  LOOP,
  SELECT,
  i32Const,
  SET,
  TEE,
  VOID,
  i32Load16At,
  i32Load8At,
  i32Store16At,
  i32Store8At,
} from '../core/wasm.ts';
import { wasmKernelsEnabled } from './wasm-kernels.ts';
import { api, assemble, type FuncDef, type WasmMemory } from '../core/wasm.ts';
import {
  deltaStepCountsDef,
  type DeltaStepCountsKernel,
  deltaAbsorbDef,
  deltaUpdateDef,
  loadState,
  poissonDraw,
  storeState,
  type DeltaAbsorbCountKernel,
  type DeltaAbsorbKernel,
  type DeltaUpdateKernel,
  type DrawLocals,
} from './wasm-kernels-delta.ts';

/**
 * The events of one CSR row, columns of `size` bytes at byte addresses p … end (locals):
 * four per turn (`event(off)` with the memarg offsets 0, size, 2·size, 3·size from p) while
 * four are left, then one at a time, in order. Advances p to end.
 */
function rowLoop(p: number, end: number, size: number, event: (off: number) => number[]): number[] {
  return [
    BLOCK,
    VOID,
    LOOP,
    VOID,
    GET,
    p,
    I32_CONST,
    4 * size,
    I32_ADD,
    GET,
    end,
    I32_GT_U,
    BR_IF,
    1,
    ...event(0),
    ...event(size),
    ...event(2 * size),
    ...event(3 * size),
    GET,
    p,
    I32_CONST,
    4 * size,
    I32_ADD,
    SET,
    p,
    BR,
    0,
    END,
    END,
    BLOCK,
    VOID,
    GET,
    p,
    GET,
    end,
    I32_GE_U,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...event(0),
    GET,
    p,
    I32_CONST,
    size,
    I32_ADD,
    TEE,
    p,
    GET,
    end,
    I32_LT_U,
    BR_IF,
    0,
    END,
    END,
  ];
}

/**
 * `scatter(p, end, slot, wcAt)`: for each u32 column at byte addresses p, p+4, …
 * below end, `f64[slot + 8·col] += wc`, with the weight wc read from f64 at wcAt.
 * (Every parameter is an i32: a JS number passed for an f64 parameter is boxed,
 * an allocation per call.) `narrow` builds `scatter16`, over u16 columns
 * (p, p+2, …): half the bytes streamed per event.
 */
function scatterDef(narrow = false): FuncDef {
  const [p, end, slot, wcAt, at, wc] = [0, 1, 2, 3, 4, 5];
  const size = narrow ? 2 : 4;
  /** f64[slot + 8·col[p + off]] += wc (`off` a memarg offset, so four events share one p). */
  const event = (off: number) => [
    GET,
    slot,
    GET,
    p,
    ...(narrow ? [0x2f, 1, off] /* i32.load16_u offset=off */ : [0x28, 2, off]) /* i32.load offset=off */,
    I32_CONST,
    3,
    I32_SHL,
    I32_ADD,
    SET,
    at,
    GET,
    at,
    GET,
    at,
    ...F64_LOAD,
    GET,
    wc,
    F64_ADD,
    ...F64_STORE,
  ];
  return {
    exportName: narrow ? 'scatter16' : 'scatter',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32, F64],
    body: [
      GET,
      wcAt,
      ...F64_LOAD,
      SET,
      wc,
      // Four events per turn while four are left (in order, so the sums are the same), then one at a time.
      ...rowLoop(p, end, size, event),
    ],
  };
}

/**
 * How the count kernels read ahead (`countDef`). Wasm has no prefetch instruction: a "touch"
 * is a load whose value goes into a sink. A load that misses holds up the core once its
 * reorder window (a few hundred instructions, less than one 80-column row's work) is full,
 * so touching one row per spike waits about one memory latency per row; touching a batch
 * of rows at once waits one latency per batch, with all their misses in flight together.
 * Every `batch` spikes, the rows of the `batch` spikes `dist` on are touched — a word of
 * every 64-byte line of each (`lines: 'all'`), or only its first column (`'first'`) — and,
 * with `rowDist` > 0, the row pointers of the `batch` spikes `rowDist` on (so that the rows'
 * own touches do not wait for them). With `prologue`, the rows of the first `dist` spikes
 * (and the row pointers up to `rowDist`) are touched before the first row is walked.
 */
export interface CountAhead {
  readonly batch: number;
  readonly dist: number;
  readonly lines: 'first' | 'all';
  readonly rowDist: number;
  readonly prologue: boolean;
  /**
   * Read the first `warmBytes` of the slot, a byte per 64-byte line, before the rows: the slot
   * was last cleared a step ago and the update pass has since pushed it out of the core's
   * cache; read in order it streams back at memory speed instead of one random miss per line.
   */
  readonly warm: boolean;
}

/** Session 7's look-ahead: each spike touches the first column of the row 8 spikes on (kept for `bench/count-delivery.ts`). */
export const COUNT_AHEAD_S7: CountAhead = { batch: 1, dist: 8, lines: 'first', rowDist: 0, prologue: false, warm: false };

/**
 * The count kernels' look-ahead: batches of 32 rows, every line, row pointers 64 spikes on, the
 * slot read first. On the 1 M-neuron case 0.37–0.39× session 7's delivery CPU per event
 * (bench/README.md).
 */
export const COUNT_AHEAD: CountAhead = { batch: 32, dist: 32, lines: 'all', rowDist: 64, prologue: true, warm: true };

/**
 * `count{C}x{K}(sp, spEnd, rp, colAt, slot, warmBytes, sinkAt) → events`: for each spike (i32 source index)
 * at byte addresses sp, sp+4, … below spEnd, its CSR row (u32 row pointers at rp; columns u16
 * when C is 16, u32 when 32, at byte address colAt) added as `slot[col] += 1` into a ring of
 * counts (u8 when K is 8, u16 when 16) at byte address `slot`. A count ring's synapses all
 * carry one weight, applied once per target when the slot is absorbed (`Network` count
 * rings): 1–2 bytes per target, not 8, so a slot of 10⁶ targets stays in the core's cache.
 * The rows are walked in one call (no call per spike), and rows further on are read early
 * (`CountAhead`), so their cache and TLB misses overlap this row's work; what the touches
 * read is summed into a local stored at byte address `sinkAt` at the end, so no read is
 * dropped. With `look.warm`, the slot's first `warmBytes` bytes are read first. The look-ahead
 * changes when memory is read, never what is added.
 */
export function countDef(colBytes: 2 | 4, cntBytes: 1 | 2, look: CountAhead = COUNT_AHEAD, exportName = `count${8 * colBytes}x${8 * cntBytes}`): FuncDef {
  const [sp, spEnd, rp, colAt, slot, warmBytes, sinkAt] = [0, 1, 2, 3, 4, 5, 6];
  const [p, end, at, ev, i, sink, q, qEnd, a, ae, next] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const colShift = colBytes === 2 ? 1 : 2;
  const loadCol = (off: number) => (colBytes === 2 ? [0x2f, 1, off] : [0x28, 2, off]);
  const event = (off: number) => [
    GET,
    slot,
    GET,
    p,
    ...loadCol(off),
    ...(cntBytes === 2 ? [I32_CONST, 1, I32_SHL] : []),
    I32_ADD,
    TEE,
    at,
    GET,
    at,
    ...(cntBytes === 1 ? i32Load8At(0) : i32Load16At(0)),
    I32_CONST,
    1,
    I32_ADD,
    ...(cntBytes === 1 ? i32Store8At(0) : i32Store16At(0)),
  ];
  /** colAt + rp[i + rowPtrOff/4] · colBytes. */
  const colAddr = (rowPtrOff: number) => [GET, colAt, GET, rp, GET, i, I32_CONST, 2, I32_SHL, I32_ADD, ...i32LoadAt(rowPtrOff), I32_CONST, colShift, I32_SHL, I32_ADD];
  /** q = sp + 4·from; qEnd = min(q + 4·count, spEnd). */
  const window = (from: number, count: number) => [
    GET,
    sp,
    ...i32Const(4 * from),
    I32_ADD,
    TEE,
    q,
    ...i32Const(4 * count),
    I32_ADD,
    TEE,
    qEnd,
    GET,
    spEnd,
    GET,
    qEnd,
    GET,
    spEnd,
    I32_LT_U,
    SELECT,
    SET,
    qEnd,
  ];
  /** For each spike at q … qEnd: `body` with i its source index. */
  const eachSpike = (body: number[]) => [BLOCK, VOID, LOOP, VOID, GET, q, GET, qEnd, I32_GE_U, BR_IF, 1, GET, q, ...I32_LOAD, SET, i, ...body, GET, q, I32_CONST, 4, I32_ADD, SET, q, BR, 0, END, END];
  const sinkAdd = (load: number[]) => [GET, sink, ...load, I32_ADD, SET, sink];
  /** For a = a … ae: `sink += load(a)`, then a to the start of the next 64-byte line (one read per line spanned). */
  const eachLine = (load: number[]) => [
    BLOCK,
    VOID,
    LOOP,
    VOID,
    GET,
    a,
    GET,
    ae,
    I32_GE_U,
    BR_IF,
    1,
    ...sinkAdd([GET, a, ...load]),
    GET,
    a,
    I32_CONST,
    63,
    I32_OR,
    I32_CONST,
    1,
    I32_ADD,
    SET,
    a,
    BR,
    0,
    END,
    END,
  ];
  /** Touch the row of spike i: its first column, or a word of each line it spans. */
  const touchRow =
    look.lines === 'first'
      ? [...colAddr(0), TEE, a, ...colAddr(4), I32_LT_U, IF, VOID, ...sinkAdd([GET, a, ...loadCol(0)]), END]
      : [...colAddr(0), SET, a, ...colAddr(4), SET, ae, ...eachLine(loadCol(0))];
  const touchRowPtr = [GET, rp, GET, i, I32_CONST, 2, I32_SHL, I32_ADD, ...I32_LOAD];
  return {
    exportName,
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    body: [
      BLOCK,
      VOID,
      GET,
      sp,
      GET,
      spEnd,
      I32_GE_U,
      BR_IF,
      0,
      ...(look.warm ? [GET, slot, TEE, a, GET, warmBytes, I32_ADD, SET, ae, ...eachLine(i32Load8At(0))] : []),
      ...(look.prologue ? [...window(0, look.dist), ...eachSpike(touchRow)] : []),
      ...(look.prologue && look.rowDist > look.dist ? [...window(look.dist, look.rowDist - look.dist), ...eachSpike(sinkAdd(touchRowPtr))] : []),
      GET,
      sp,
      SET,
      next,
      LOOP,
      VOID,
      // Every `batch` spikes: touch the rows `dist` on (and the row pointers `rowDist` on).
      GET,
      sp,
      GET,
      next,
      I32_GE_U,
      IF,
      VOID,
      ...window(look.dist, look.batch),
      ...eachSpike(touchRow),
      ...(look.rowDist > 0 ? [...window(look.rowDist, look.batch), ...eachSpike(sinkAdd(touchRowPtr))] : []),
      GET,
      sp,
      ...i32Const(4 * look.batch),
      I32_ADD,
      SET,
      next,
      END,
      GET,
      sp,
      ...I32_LOAD,
      SET,
      i,
      ...colAddr(0),
      SET,
      p,
      ...colAddr(4),
      SET,
      end,
      GET,
      ev,
      GET,
      end,
      GET,
      p,
      0x6b /* i32.sub */,
      I32_ADD,
      SET,
      ev,
      // Four events per turn while four are left, then one at a time.
      ...rowLoop(p, end, colBytes, event),
      GET,
      sp,
      I32_CONST,
      4,
      I32_ADD,
      TEE,
      sp,
      GET,
      spEnd,
      I32_LT_U,
      BR_IF,
      0,
      END,
      END,
      GET,
      sinkAt,
      GET,
      sink,
      ...I32_STORE,
      // Column bytes walked → events.
      GET,
      ev,
      I32_CONST,
      colShift,
      I32_SHR_U,
    ],
  };
}

/** `scatterW(p, end, slot, wp)`: as `scatter`, with the f32 weight at wp, wp+4, … per synapse (`scatterW16`: u16 columns). */
function scatterWDef(narrow = false): FuncDef {
  const [p, end, slot, wp, at] = [0, 1, 2, 3, 4];
  return {
    exportName: narrow ? 'scatterW16' : 'scatterW',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32],
    body: [
      BLOCK,
      VOID,
      GET,
      p,
      GET,
      end,
      I32_GE_U,
      BR_IF,
      0,
      LOOP,
      VOID,
      GET,
      slot,
      GET,
      p,
      ...(narrow ? [0x2f, 1, 0] : I32_LOAD),
      I32_CONST,
      3,
      I32_SHL,
      I32_ADD,
      SET,
      at,
      GET,
      at,
      GET,
      at,
      ...F64_LOAD,
      GET,
      wp,
      ...F32_LOAD,
      F64_PROMOTE_F32,
      F64_ADD,
      ...F64_STORE,
      GET,
      wp,
      I32_CONST,
      4,
      I32_ADD,
      SET,
      wp,
      GET,
      p,
      I32_CONST,
      narrow ? 2 : 4,
      I32_ADD,
      TEE,
      p,
      GET,
      end,
      I32_LT_U,
      BR_IF,
      0,
      END,
      END,
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
  const l: DrawLocals = { a, b, c, d, u, t, k, uf, thr, guide, shift, kMin };
  return {
    exportName: 'poisson',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64],
    body: [
      GET,
      wAt,
      ...F64_LOAD,
      SET,
      w,
      ...loadState(st, l),
      BLOCK,
      VOID,
      GET,
      n,
      I32_EQZ,
      BR_IF,
      0,
      GET,
      slot,
      GET,
      n,
      I32_CONST,
      3,
      I32_SHL,
      I32_ADD,
      SET,
      end,
      LOOP,
      VOID,
      ...poissonDraw(l),
      // slot[j] += k·w
      GET,
      slot,
      GET,
      slot,
      ...F64_LOAD,
      GET,
      k,
      F64_CONVERT_I32_S,
      GET,
      w,
      F64_MUL,
      F64_ADD,
      ...F64_STORE,
      GET,
      ev,
      GET,
      k,
      I32_ADD,
      SET,
      ev,
      GET,
      slot,
      I32_CONST,
      8,
      I32_ADD,
      TEE,
      slot,
      GET,
      end,
      I32_LT_U,
      BR_IF,
      0,
      0x0b,
      0x0b,
      ...storeState(st, l),
      GET,
      ev,
    ],
  };
}

export type PoissonKernel = (n: number, slot: number, wAt: number, st: number, thr: number, guide: number, shift: number, kMin: number) => number;

export type ScatterKernel = (p: number, end: number, slot: number, wcAt: number) => void;
export type ScatterWKernel = (p: number, end: number, slot: number, wp: number) => void;
export type CountKernel = (sp: number, spEnd: number, rp: number, colAt: number, slot: number, warmBytes: number, sinkAt: number) => number;

/** The delivery kernels bound to one memory. */
export interface DeliveryKernels {
  readonly buffer: ArrayBuffer;
  readonly scatter: ScatterKernel;
  readonly scatterW: ScatterWKernel;
  /** `scatter` and `scatterW` over u16 columns (byte addresses step by 2). */
  readonly scatter16: ScatterKernel;
  readonly scatterW16: ScatterWKernel;
  readonly poisson: PoissonKernel;
  /** Count delivery (`countDef`): [u16 columns, u32 columns] into u8 counts, and into u16 counts. */
  readonly count8: readonly [CountKernel, CountKernel];
  readonly count16: readonly [CountKernel, CountKernel];
  /** A lif-delta group's update and its drive + absorb pass (wasm-kernels-delta.ts). */
  readonly deltaUpdate: DeltaUpdateKernel;
  readonly deltaAbsorbDrive: DeltaAbsorbKernel;
  readonly deltaAbsorbPairs: DeltaAbsorbKernel;
  /** The same pass over count rings of u8 (index 0) or u16 (1) counts (wasm-kernels-delta.ts). */
  readonly deltaAbsorbCounts: readonly [DeltaAbsorbCountKernel, DeltaAbsorbCountKernel];
  readonly deltaAbsorbCountPairs: readonly [DeltaAbsorbCountKernel, DeltaAbsorbCountKernel];
  /** A lif-delta group's update and count-ring absorb in one pass (u8, u16 counts; wasm-kernels-delta.ts). */
  readonly deltaStepCounts: readonly [DeltaStepCountsKernel, DeltaStepCountsKernel];
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    try {
      compiled = api
        ? new api.Module(
            assemble([
              scatterDef(),
              scatterWDef(),
              scatterDef(true),
              scatterWDef(true),
              poissonDef(),
              deltaUpdateDef(),
              deltaAbsorbDef(1),
              deltaAbsorbDef(2),
              countDef(2, 1),
              countDef(4, 1),
              countDef(2, 2),
              countDef(4, 2),
              deltaAbsorbDef(1, 1),
              deltaAbsorbDef(2, 1),
              deltaAbsorbDef(1, 2),
              deltaAbsorbDef(2, 2),
              deltaStepCountsDef(1),
              deltaStepCountsDef(2),
            ]),
          )
        : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Delivery kernels over `memory` (a network's arena, sim/arena.ts), or null
 * when WebAssembly or the kernels are not available (or are turned off): the
 * caller then keeps its JS loops.
 */
export function deliveryKernels(memory: WasmMemory): DeliveryKernels | null {
  if (!wasmKernelsEnabled()) return null;
  const mod = module();
  if (!api || !mod) return null;
  try {
    const inst = new api.Instance(mod, { env: { mem: memory } });
    const x = inst.exports;
    return {
      buffer: memory.buffer,
      scatter: x.scatter as ScatterKernel,
      scatterW: x.scatterW as ScatterWKernel,
      scatter16: x.scatter16 as ScatterKernel,
      scatterW16: x.scatterW16 as ScatterWKernel,
      poisson: x.poisson as PoissonKernel,
      deltaUpdate: x.deltaUpdate as DeltaUpdateKernel,
      deltaAbsorbDrive: x.deltaAbsorbDrive as DeltaAbsorbKernel,
      deltaAbsorbPairs: x.deltaAbsorbPairs as DeltaAbsorbKernel,
      count8: [x.count16x8 as CountKernel, x.count32x8 as CountKernel],
      count16: [x.count16x16 as CountKernel, x.count32x16 as CountKernel],
      deltaAbsorbCounts: [x.deltaAbsorbDrive8 as DeltaAbsorbCountKernel, x.deltaAbsorbDrive16 as DeltaAbsorbCountKernel],
      deltaStepCounts: [x.deltaStepCounts8 as DeltaStepCountsKernel, x.deltaStepCounts16 as DeltaStepCountsKernel],
      deltaAbsorbCountPairs: [x.deltaAbsorbPairs8 as DeltaAbsorbCountKernel, x.deltaAbsorbPairs16 as DeltaAbsorbCountKernel],
    };
  } catch {
    return null;
  }
}

/**
 * Deliver the rows of spikes[from, to) with the kernels `k`: one kernel call
 * per spike over its CSR row (u16 or u32 columns at byte address colAt), into
 * the f64 ring slot at byte address `slot`, with the constant weight at wcAt
 * (wAt < 0) or the f32 weights at wAt. Returns the events delivered.
 * `Network` and the parallel shards both deliver through it.
 */
export function deliverRows(k: DeliveryKernels, rowPtr: Uint32Array, colBytes: number, colAt: number, wAt: number, wcAt: number, slot: number, spikes: Int32Array, from: number, to: number): number {
  let events = 0;
  if (wAt < 0) {
    const scatter = colBytes === 2 ? k.scatter16 : k.scatter;
    for (let s = from; s < to; s++) {
      const i = spikes[s];
      const b = rowPtr[i];
      const e = rowPtr[i + 1];
      events += e - b;
      scatter(colAt + colBytes * b, colAt + colBytes * e, slot, wcAt);
    }
  } else {
    const scatterW = colBytes === 2 ? k.scatterW16 : k.scatterW;
    for (let s = from; s < to; s++) {
      const i = spikes[s];
      const b = rowPtr[i];
      const e = rowPtr[i + 1];
      events += e - b;
      scatterW(colAt + colBytes * b, colAt + colBytes * e, slot, wAt + 4 * b);
    }
  }
  return events;
}

/**
 * Deliver the spikes at byte addresses [sp, spEnd) of the arena (i32 source indices) into a
 * count ring's slot of `slotBytes` bytes at byte address `slot` (`cntBytes` 1: u8 counts, 2:
 * u16), in one kernel call over their CSR rows (`csr` in the arena, its columns at colAt; an
 * i32 of scratch at sinkAt). Returns the events delivered. The slot is read ahead (`warm`)
 * when the spikes' rows are expected to hold at least one event per 64-byte line of it (mean
 * row length × spikes ≥ slotBytes / 64): below that, most lines would be read for nothing.
 */
export function deliverCountRows(
  k: DeliveryKernels,
  csr: { readonly rowPtr: Uint32Array; readonly col: Uint16Array | Uint32Array },
  colAt: number,
  cntBytes: 1 | 2,
  slot: number,
  slotBytes: number,
  sp: number,
  spEnd: number,
  sinkAt: number,
): number {
  const rows = csr.rowPtr.length - 1;
  const warm = rows > 0 && ((spEnd - sp) / 4) * (csr.col.length / rows) * 64 >= slotBytes ? slotBytes : 0;
  return (cntBytes === 1 ? k.count8 : k.count16)[csr.col.BYTES_PER_ELEMENT === 2 ? 0 : 1](sp, spEnd, csr.rowPtr.byteOffset, colAt, slot, warm, sinkAt);
}
