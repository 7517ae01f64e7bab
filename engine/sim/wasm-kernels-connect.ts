/**
 * The fixed-in-degree build's two hot loops in WebAssembly (connect.ts):
 * drawing k sources per target (`rng.int(nSource)`'s exact xoshiro128**
 * sequence with its rejection, skipping the excluded source and, without
 * multapses, sources already drawn for this target — a mark per source, or
 * past 2¹⁶ sources a small hash set per target), and the counting sort's
 * scatter of those draws into CSR rows (direct, or past 2¹⁶ sources in two
 * passes through buckets of 2¹² sources). The JS loops spend most of their
 * time on typed-array bounds checks and Uint32 conversions; the wasm loops
 * do the same integer steps on the same arrays, so the synapses and the
 * generator state afterwards are identical (wasm-kernels-connect.test.ts and
 * connect.test.ts check it).
 *
 * Brunel x4's excitatory projection (12.5 M synapses, memory already
 * touched) takes 43 ms to draw and 55 ms to scatter here; the scatter is
 * bound by its 10⁴ write streams (2.4 ns a synapse with 2 500 sources, 4.4
 * with 10 000), and first touches of fresh memory (~3 ms per MB) now cost
 * more than both. `i32.rem_u` stays: an exact
 * multiply-based remainder (Lemire's fastmod) measured no faster on this
 * machine's divider.
 *
 * The kernels run over an arena's memory (arena.ts): the columns are drawn
 * straight into the memory the delivery kernels read. The module is compiled
 * once; each memory gets one instance, cached. Callers split a projection
 * into calls of ~2¹⁶ synapses (connect.ts), because V8 swaps a function's
 * optimised code in only between calls.
 */
import {
  BLOCK,
  BR_IF,
  END,
  I32,
  I32_ADD,
  I32_CONST,
  I32_EQ,
  I32_EQZ,
  I32_GE_U,
  I32_GT_U,
  I32_AND,
  I32_NE,
  I32_OR,
  I32_SHR_U,
  BR,
  i32Const,
  I32_LOAD,
  I32_LOAD16_U,
  I32_LT_U,
  I32_MUL,
  I32_REM_U,
  I32_SHL,
  I32_STORE,
  I32_STORE16,
  LOOP,
  SELECT,
  TEE,
  VOID,
  get,
  i32LoadAt,
  i32StoreAt,
  set,
  xoshiroStep,
} from '../core/wasm.ts';
import { wasmKernelsEnabled } from './wasm-kernels.ts';
import { api, assemble, type FuncDef, type WasmMemory } from '../core/wasm.ts';

/** The byte address of an array's element: `base` (a local) + (the i32 that `index` leaves << `shift`). */
function elementAt(base: number, index: number[], shift: number): number[] {
  return [...get(base), ...index, I32_CONST, shift, I32_SHL, I32_ADD];
}

/** `at = counter++` for the u32 counter at the address that `address` leaves (kept in local `fa`). */
function takeAndBump(address: number[], fa: number, at: number): number[] {
  return [...address, TEE, fa, ...I32_LOAD, ...set(at), ...get(fa), ...get(at), I32_CONST, 1, I32_ADD, ...I32_STORE];
}

/** Moves the pointer in local `p` on by `bytes`. */
function advance(p: number, bytes: number): number[] {
  return [...get(p), I32_CONST, bytes, I32_ADD, ...set(p)];
}

/** The end of a counted loop: i += 1, and round again while i < n (unsigned). */
function nextWhileBelow(i: number, n: number): number[] {
  return [...get(i), I32_CONST, 1, I32_ADD, TEE, i, ...get(n), I32_LT_U, BR_IF, 0];
}

/**
 * `draw(j0, j1, k, n, noAuto, st, pre, mark, counts, maxAccept)`: connect.ts's
 * `drawMarked` for targets j0 … j1−1: per target k accepted draws of
 * `rng.int(n)` — xoshiro128** outputs x (state: 4 i32 at byte address st,
 * read and written back), rejected while x > maxAccept (the largest multiple
 * of n, minus one), r = x mod n — skipping r = j when noAuto and, unless
 * `multi`, sources whose u32 mark (at `mark`) already carries this target's
 * stamp j + 1. Each accepted r is appended to `pre` (u16 when not `wide`) and
 * counted in the u32 `counts[r + 1]`.
 */
function drawDef(wide: boolean, multi: boolean): FuncDef {
  const [j, nTarget, k, n, noAuto, st, pre, mark, counts, maxAccept] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [a, b, c, d, q, x, r, t, exclude, stamp, at] = Array.from({ length: 11 }, (_, i) => 10 + i);
  const rng: RngLocals = { st, a, b, c, d, x, t, n, r, maxAccept };
  const markAt = elementAt(mark, get(r), 2);
  return {
    exportName: `draw${multi ? 'Multi' : ''}${wide ? 32 : 16}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    body: perTargetDraws(
      { j, nTarget, k, noAuto, q, exclude, stamp, pre, counts, r, at, wide },
      rng,
      // accepted unless r is excluded or, without multapses, marked with this target's stamp
      [...drawAgainWhileExcluded(rng, exclude), ...(multi ? [] : [...markAt, TEE, at, ...I32_LOAD, ...get(stamp), I32_EQ, BR_IF, 0]), END, ...(multi ? [] : [...get(at), ...get(stamp), ...I32_STORE])],
    ),
  };
}

/** The locals of the xoshiro128** draw `r = rng.int(n)` (state a b c d, loaded from and stored to `st`). */
interface RngLocals {
  readonly st: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly x: number;
  readonly t: number;
  readonly n: number;
  readonly r: number;
  readonly maxAccept: number;
}

/** r = `rng.int(n)`: outputs x = rotl(b·5, 7)·9 with the state transition, rejected while x > maxAccept; r = x mod n. */
function drawBelow(l: RngLocals): number[] {
  const { x, n, r, maxAccept } = l;
  return [LOOP, VOID, ...xoshiroStep(l, x), ...get(x), ...get(maxAccept), I32_GT_U, BR_IF, 0, END, ...get(x), ...get(n), I32_REM_U, ...set(r)];
}

/**
 * Opens the loop that draws r until it is accepted: r = `rng.int(n)`, drawn again
 * (a branch to the loop) while r is `exclude`; the caller adds its own checks and the END.
 */
function drawAgainWhileExcluded(rng: RngLocals, exclude: number): number[] {
  return [LOOP, VOID, ...drawBelow(rng), ...get(rng.r), ...get(exclude), I32_EQ, BR_IF, 0];
}

/**
 * The draw kernels' frame: the generator state loaded from `st`, then for
 * each target j = j0 … j1−1 (exclude = noAuto ? j : −1, stamp = j + 1) k
 * times `accept` (which leaves an accepted source in r), appended to `pre`
 * and counted in `counts[r + 1]`; the state stored back.
 */
function perTargetDraws(
  l: { j: number; nTarget: number; k: number; noAuto: number; q: number; exclude: number; stamp: number; pre: number; counts: number; r: number; at: number; wide: boolean },
  { st, a, b, c, d }: RngLocals,
  accept: number[],
): number[] {
  const { j, nTarget, k, noAuto, q, exclude, stamp, pre, counts, r, at, wide } = l;
  const state = [a, b, c, d];
  // exclude = noAuto ? j : −1 (never a source), stamp = j + 1
  const perTarget = [...get(j), I32_CONST, 0x7f, ...get(noAuto), SELECT, ...set(exclude), ...get(j), I32_CONST, 1, I32_ADD, ...set(stamp)];
  return [
    ...state.flatMap((v, i) => [...get(st), ...i32LoadAt(4 * i), ...set(v)]),
    ...forTargets(
      j,
      nTarget,
      k,
      q,
      [
        ...accept,
        ...get(pre),
        ...get(r),
        ...(wide ? I32_STORE : I32_STORE16),
        ...advance(pre, wide ? 4 : 2),
        // counts[r + 1]++
        ...elementAt(counts, get(r), 2),
        TEE,
        at,
        ...get(at),
        ...i32LoadAt(4),
        I32_CONST,
        1,
        I32_ADD,
        ...i32StoreAt(4),
      ],
      perTarget,
    ),
    ...state.flatMap((v, i) => [...get(st), ...get(v), ...i32StoreAt(4 * i)]),
  ];
}

/**
 * `drawHashed(j0, j1, k, n, noAuto, st, pre, table, counts, maxAccept, shift)`:
 * connect.ts's `drawHashed` (no multapses, u32 `pre`): "already drawn for this
 * target" is a linear-probing hash set of 2^(32 − shift) slots of 8 bytes at
 * `table` (a slot is live when its first i32 is this target's stamp; its
 * second is the source), slot h = (r · 0x9e3779b1) >>> shift. The same
 * accepted draws as the marks (any exact set gives them), with the set in L1
 * instead of a mark per source.
 */
function drawHashedDef(): FuncDef {
  const [j, nTarget, k, n, noAuto, st, pre, table, counts, maxAccept, shift] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [a, b, c, d, q, x, r, t, exclude, stamp, at, h, mask] = Array.from({ length: 13 }, (_, i) => 11 + i);
  const rng: RngLocals = { st, a, b, c, d, x, t, n, r, maxAccept };
  return {
    exportName: 'drawHashed32',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    body: [
      // mask = (1 << (32 − shift)) − 1 = 0xffffffff >>> shift
      ...i32Const(-1),
      ...get(shift),
      I32_SHR_U,
      ...set(mask),
      ...perTargetDraws({ j, nTarget, k, noAuto, q, exclude, stamp, pre, counts, r, at, wide: true }, rng, [
        ...drawAgainWhileExcluded(rng, exclude),
        ...get(r),
        ...i32Const(0x9e3779b1),
        I32_MUL,
        ...get(shift),
        I32_SHR_U,
        ...set(h),
        BLOCK,
        VOID,
        LOOP,
        VOID,
        // at = table + 8h; an empty slot (other stamp) ends the probe, this source draws again
        ...elementAt(table, get(h), 3),
        TEE,
        at,
        ...I32_LOAD,
        ...get(stamp),
        I32_NE,
        BR_IF,
        1,
        ...get(at),
        ...i32LoadAt(4),
        ...get(r),
        I32_EQ,
        BR_IF,
        2,
        ...get(h),
        I32_CONST,
        1,
        I32_ADD,
        ...get(mask),
        I32_AND,
        ...set(h),
        BR,
        0,
        END,
        END,
        ...get(at),
        ...get(stamp),
        ...I32_STORE,
        ...get(at),
        ...get(r),
        ...i32StoreAt(4),
        END,
      ]),
    ],
  };
}

/**
 * `scatter(j0, j1, k, pre, fill, col)`: the counting sort's second pass,
 * `col[fill[pre[s]]++] = j` for the k sources (u16 at `pre` when not `wide`,
 * from target j0's first) of each target j = j0 … j1−1 in order, so every
 * row lists its targets ascending. `narrowCol`: the columns are u16.
 */
function scatterDef(wide: boolean, narrowCol = false): FuncDef {
  const [j, nTarget, k, pre, fill, col] = [0, 1, 2, 3, 4, 5];
  const [q, fa, at] = [6, 7, 8];
  return {
    exportName: `scatter${wide ? 32 : 16}${narrowCol ? 'To16' : ''}`,
    params: [I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32],
    body: forTargets(j, nTarget, k, q, [
      ...takeAndBump(elementAt(fill, [...get(pre), ...(wide ? I32_LOAD : I32_LOAD16_U)], 2), fa, at),
      ...elementAt(col, get(at), narrowCol ? 1 : 2),
      ...get(j),
      ...(narrowCol ? I32_STORE16 : I32_STORE),
      ...advance(pre, wide ? 4 : 2),
    ]),
  };
}

/**
 * How the two-level sort keeps a synapse's source within its bucket (its low 12 bits)
 * between the passes: in a u16 `low` array beside u16 (16) or u32 (32) columns, or
 * `Packed` into the u32 column's top 12 bits over a target of at most 20 bits.
 */
export type BucketMode = 16 | 32 | 'Packed';

/** Bits of a target in a packed column (BucketMode `Packed`): the source's low bits go above them. */
export const PACKED_TARGET_BITS = 20;

/**
 * `bucketScatter(j0, j1, k, pre, bucketFill, col, low)`: the two-level sort's
 * first pass (connect.ts `scatterTwoLevel`): each source i (u32 at `pre`) of
 * targets j0 … j1−1, in order, goes to at = `bucketFill[i >>> 12]++` (u32s),
 * with `col[at] = j` and the u16 `low[at] = i & 0xfff` (`Packed`: `col[at] =
 * j | (i & 0xfff) << 20`, `low` unused).
 */
function bucketScatterDef(mode: BucketMode): FuncDef {
  const [j, nTarget, k, pre, bucketFill, col, low] = [0, 1, 2, 3, 4, 5, 6];
  const [q, i, fa, at] = [7, 8, 9, 10];
  const lowOf = [...get(i), ...i32Const((1 << SORT_BUCKET_SHIFT) - 1), I32_AND];
  const store =
    mode === 'Packed'
      ? [...elementAt(col, get(at), 2), ...get(j), ...lowOf, I32_CONST, PACKED_TARGET_BITS, I32_SHL, I32_OR, ...I32_STORE]
      : [...elementAt(col, get(at), mode === 16 ? 1 : 2), ...get(j), ...(mode === 16 ? I32_STORE16 : I32_STORE), ...elementAt(low, get(at), 1), ...lowOf, ...I32_STORE16];
  return {
    exportName: `bucketScatter${mode}`,
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32],
    body: forTargets(j, nTarget, k, q, [
      // at = bucketFill[i >>> 12]++ for the source i at pre
      ...takeAndBump([...get(pre), ...I32_LOAD, TEE, i, I32_CONST, SORT_BUCKET_SHIFT, I32_SHR_U, I32_CONST, 2, I32_SHL, ...get(bucketFill), I32_ADD], fa, at),
      ...store,
      ...advance(pre, 4),
    ]),
  };
}

/**
 * `bucketRows(n, low, from, fill, col)`: the two-level sort's second pass over
 * one bucket: for s = 0 … n−1, `col[fill[low[s]]++] = from[s]` (u16 `low`,
 * u32 `fill`; `from` and `col` u16 in mode 16, else u32; `Packed`: the low
 * bits are `from[s] >>> 20` and the target `from[s] & 0xfffff`).
 */
function bucketRowsDef(mode: BucketMode): FuncDef {
  const [n, low, from, fill, col] = [0, 1, 2, 3, 4];
  const [s, fa, at, v] = [5, 6, 7, 8];
  const size = mode === 16 ? 1 : 2;
  const fromAt = [...elementAt(from, get(s), size), ...(mode === 16 ? I32_LOAD16_U : I32_LOAD)];
  const lowBits = mode === 'Packed' ? [...fromAt, TEE, v, I32_CONST, PACKED_TARGET_BITS, I32_SHR_U] : [...elementAt(low, get(s), 1), ...I32_LOAD16_U];
  const target = mode === 'Packed' ? [...get(v), ...i32Const((1 << PACKED_TARGET_BITS) - 1), I32_AND] : fromAt;
  return {
    exportName: `bucketRows${mode}`,
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32],
    body: [
      BLOCK,
      VOID,
      ...get(n),
      I32_EQZ,
      BR_IF,
      0,
      LOOP,
      VOID,
      ...takeAndBump(elementAt(fill, lowBits, 2), fa, at),
      ...elementAt(col, get(at), size),
      ...target,
      ...(mode === 16 ? I32_STORE16 : I32_STORE),
      ...nextWhileBelow(s, n),
      END,
      END,
    ],
  };
}

/** `body` k times (q = 0 … k−1) for each target j = j … nTarget−1, after `perTarget` (nothing when j ≥ nTarget or k = 0). */
function forTargets(j: number, nTarget: number, k: number, q: number, body: number[], perTarget: number[] = []): number[] {
  return [
    BLOCK,
    VOID,
    ...get(j),
    ...get(nTarget),
    I32_GE_U,
    BR_IF,
    0,
    ...get(k),
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...perTarget,
    I32_CONST,
    0,
    ...set(q),
    LOOP,
    VOID,
    ...body,
    ...nextWhileBelow(q, k),
    END,
    ...nextWhileBelow(j, nTarget),
    END,
    END,
  ];
}

/** Sources per bucket of the two-level sort, as a shift (connect.ts). */
export const SORT_BUCKET_SHIFT = 12;

/** `draw…(j0, j1, k, n, noAuto, st, pre, mark, counts, maxAccept)`; every argument an i32 (byte addresses for arrays). */
export type DrawKernel = (j0: number, j1: number, k: number, n: number, noAuto: number, st: number, pre: number, mark: number, counts: number, maxAccept: number) => void;
/** `scatter…(j0, j1, k, pre, fill, col)`, byte addresses for arrays (`pre` at target j0's first source). */
export type ScatterRowsKernel = (j0: number, j1: number, k: number, pre: number, fill: number, col: number) => void;

/** The connectivity kernels bound to one memory. */
export interface ConnectKernels {
  /** Without multapses (stamped marks), u16 `pre`. */
  readonly draw16: DrawKernel;
  /** Without multapses (stamped marks), u32 `pre`. */
  readonly draw32: DrawKernel;
  /** With multapses (`mark` unused), u16 `pre`. */
  readonly drawMulti16: DrawKernel;
  /** With multapses (`mark` unused), u32 `pre`. */
  readonly drawMulti32: DrawKernel;
  readonly scatter16: ScatterRowsKernel;
  readonly scatter32: ScatterRowsKernel;
  /** Into u16 columns (targets < 2¹⁶), from u16 or u32 `pre`. */
  readonly scatter16To16: ScatterRowsKernel;
  readonly scatter32To16: ScatterRowsKernel;
  /** Without multapses past 2¹⁶ sources: a hash set per target in `table` instead of marks (u32 `pre`; the last argument is the hash's shift). */
  readonly drawHashed32: (j0: number, j1: number, k: number, n: number, noAuto: number, st: number, pre: number, table: number, counts: number, maxAccept: number, shift: number) => void;
  /** The two-level sort's first pass, into u16 / u32 / packed u32 columns (`BucketMode`). */
  readonly bucketScatter16: BucketScatterKernel;
  readonly bucketScatter32: BucketScatterKernel;
  readonly bucketScatterPacked: BucketScatterKernel;
  /** The two-level sort's second pass (one bucket), by `BucketMode`. */
  readonly bucketRows16: BucketRowsKernel;
  readonly bucketRows32: BucketRowsKernel;
  readonly bucketRowsPacked: BucketRowsKernel;
}

/** `bucketScatter…(j0, j1, k, pre, bucketFill, col, low)`, byte addresses for arrays (`pre` at target j0's first source). */
export type BucketScatterKernel = (j0: number, j1: number, k: number, pre: number, bucketFill: number, col: number, low: number) => void;
/** `bucketRows…(n, low, from, fill, col)`, byte addresses for arrays. */
export type BucketRowsKernel = (n: number, low: number, from: number, fill: number, col: number) => void;

/** The kernels of the large-source draw and sort (after the first eight). */
const EXTRA_DEFS = (): FuncDef[] => [drawHashedDef(), ...BUCKET_MODES.flatMap((m) => [bucketScatterDef(m), bucketRowsDef(m)])];
const BUCKET_MODES: readonly BucketMode[] = [16, 32, 'Packed'];

/** The module for unshared memories ([0]) and for shared ones ([1]: the parallel draw, parallel/shard.ts `drawProjections`). */
const compiled: (object | null | undefined)[] = [undefined, undefined];
const instances = new WeakMap<WasmMemory, ConnectKernels | null>();

function module(shared: boolean): object | null {
  const s = shared ? 1 : 0;
  if (compiled[s] === undefined) {
    try {
      compiled[s] = api
        ? new api.Module(
            assemble(
              [
                drawDef(false, false),
                drawDef(true, false),
                drawDef(false, true),
                drawDef(true, true),
                scatterDef(false),
                scatterDef(true),
                scatterDef(false, true),
                scatterDef(true, true),
                ...EXTRA_DEFS(),
              ],
              shared,
            ),
          )
        : null;
    } catch {
      compiled[s] = null;
    }
  }
  return compiled[s];
}

/**
 * The connectivity kernels over `memory` (an arena's), or null when
 * WebAssembly is missing or the kernels are turned off
 * (`setWasmKernelsEnabled`): the caller then runs its JS loops.
 */
export function connectKernels(memory: WasmMemory): ConnectKernels | null {
  if (!wasmKernelsEnabled()) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  const mod = module(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer);
  let kernels: ConnectKernels | null = null;
  if (api && mod) {
    try {
      const e = new api.Instance(mod, { env: { mem: memory } }).exports;
      kernels = {
        draw16: e.draw16 as DrawKernel,
        draw32: e.draw32 as DrawKernel,
        drawMulti16: e.drawMulti16 as DrawKernel,
        drawMulti32: e.drawMulti32 as DrawKernel,
        scatter16: e.scatter16 as ScatterRowsKernel,
        scatter32: e.scatter32 as ScatterRowsKernel,
        scatter16To16: e.scatter16To16 as ScatterRowsKernel,
        scatter32To16: e.scatter32To16 as ScatterRowsKernel,
        drawHashed32: e.drawHashed32 as ConnectKernels['drawHashed32'],
        bucketScatter16: e.bucketScatter16 as BucketScatterKernel,
        bucketScatter32: e.bucketScatter32 as BucketScatterKernel,
        bucketScatterPacked: e.bucketScatterPacked as BucketScatterKernel,
        bucketRows16: e.bucketRows16 as BucketRowsKernel,
        bucketRows32: e.bucketRows32 as BucketRowsKernel,
        bucketRowsPacked: e.bucketRowsPacked as BucketRowsKernel,
      };
    } catch {
      kernels = null;
    }
  }
  instances.set(memory, kernels);
  return kernels;
}
