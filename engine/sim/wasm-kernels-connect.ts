/**
 * The fixed-in-degree build's two hot loops in WebAssembly (connect.ts):
 * drawing k sources per target (`rng.int(nSource)`'s exact xoshiro128**
 * sequence with its rejection, skipping the excluded source and, without
 * multapses, sources already drawn for this target), and the counting sort's
 * scatter of those draws into CSR rows. The JS loops spend most of their
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
  I32_LOAD,
  I32_LOAD16_U,
  I32_LT_U,
  I32_MUL,
  I32_REM_U,
  I32_ROTL,
  I32_SHL,
  I32_STORE,
  I32_STORE16,
  I32_XOR,
  LOOP,
  SELECT,
  TEE,
  VOID,
  get,
  i32LoadAt,
  i32StoreAt,
  set,
} from './wasm-opcodes.ts';
import { api, assemble, wasmKernelsEnabled, type FuncDef, type WasmMemory } from './wasm-kernels.ts';

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
  const xorTo = (u: number, v: number) => [...get(u), ...get(v), I32_XOR, ...set(u)];
  const markAt = [...get(mark), ...get(r), I32_CONST, 2, I32_SHL, I32_ADD];
  return {
    exportName: `draw${multi ? 'Multi' : ''}${wide ? 32 : 16}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    body: [
      ...get(st),
      ...i32LoadAt(0),
      ...set(a),
      ...get(st),
      ...i32LoadAt(4),
      ...set(b),
      ...get(st),
      ...i32LoadAt(8),
      ...set(c),
      ...get(st),
      ...i32LoadAt(12),
      ...set(d),
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
      // exclude = noAuto ? j : −1 (never a source), stamp = j + 1
      ...get(j),
      I32_CONST,
      0x7f,
      ...get(noAuto),
      SELECT,
      ...set(exclude),
      ...get(j),
      I32_CONST,
      1,
      I32_ADD,
      ...set(stamp),
      I32_CONST,
      0,
      ...set(q),
      LOOP,
      VOID,
      LOOP,
      VOID,
      LOOP,
      VOID,
      // x = rotl(b·5, 7)·9; then the state transition
      ...get(b),
      I32_CONST,
      5,
      I32_MUL,
      I32_CONST,
      7,
      I32_ROTL,
      I32_CONST,
      9,
      I32_MUL,
      ...set(x),
      ...get(b),
      I32_CONST,
      9,
      I32_SHL,
      ...set(t),
      ...xorTo(c, a),
      ...xorTo(d, b),
      ...xorTo(b, c),
      ...xorTo(a, d),
      ...xorTo(c, t),
      ...get(d),
      I32_CONST,
      11,
      I32_ROTL,
      ...set(d),
      ...get(x),
      ...get(maxAccept),
      I32_GT_U,
      BR_IF,
      0,
      END,
      ...get(x),
      ...get(n),
      I32_REM_U,
      ...set(r),
      ...get(r),
      ...get(exclude),
      I32_EQ,
      BR_IF,
      0,
      ...(multi ? [] : [...markAt, TEE, at, ...I32_LOAD, ...get(stamp), I32_EQ, BR_IF, 0]),
      END,
      ...(multi ? [] : [...get(at), ...get(stamp), ...I32_STORE]),
      ...get(pre),
      ...get(r),
      ...(wide ? I32_STORE : I32_STORE16),
      ...get(pre),
      I32_CONST,
      wide ? 4 : 2,
      I32_ADD,
      ...set(pre),
      // counts[r + 1]++
      ...get(counts),
      ...get(r),
      I32_CONST,
      2,
      I32_SHL,
      I32_ADD,
      TEE,
      at,
      ...get(at),
      ...i32LoadAt(4),
      I32_CONST,
      1,
      I32_ADD,
      ...i32StoreAt(4),
      ...get(q),
      I32_CONST,
      1,
      I32_ADD,
      TEE,
      q,
      ...get(k),
      I32_LT_U,
      BR_IF,
      0,
      END,
      ...get(j),
      I32_CONST,
      1,
      I32_ADD,
      TEE,
      j,
      ...get(nTarget),
      I32_LT_U,
      BR_IF,
      0,
      END,
      END,
      ...get(st),
      ...get(a),
      ...i32StoreAt(0),
      ...get(st),
      ...get(b),
      ...i32StoreAt(4),
      ...get(st),
      ...get(c),
      ...i32StoreAt(8),
      ...get(st),
      ...get(d),
      ...i32StoreAt(12),
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
    body: [
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
      I32_CONST,
      0,
      ...set(q),
      LOOP,
      VOID,
      ...get(fill),
      ...get(pre),
      ...(wide ? I32_LOAD : I32_LOAD16_U),
      I32_CONST,
      2,
      I32_SHL,
      I32_ADD,
      TEE,
      fa,
      ...I32_LOAD,
      ...set(at),
      ...get(fa),
      ...get(at),
      I32_CONST,
      1,
      I32_ADD,
      ...I32_STORE,
      ...get(col),
      ...get(at),
      I32_CONST,
      narrowCol ? 1 : 2,
      I32_SHL,
      I32_ADD,
      ...get(j),
      ...(narrowCol ? I32_STORE16 : I32_STORE),
      ...get(pre),
      I32_CONST,
      wide ? 4 : 2,
      I32_ADD,
      ...set(pre),
      ...get(q),
      I32_CONST,
      1,
      I32_ADD,
      TEE,
      q,
      ...get(k),
      I32_LT_U,
      BR_IF,
      0,
      END,
      ...get(j),
      I32_CONST,
      1,
      I32_ADD,
      TEE,
      j,
      ...get(nTarget),
      I32_LT_U,
      BR_IF,
      0,
      END,
      END,
    ],
  };
}

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
}

let compiled: object | null | undefined;
const instances = new WeakMap<WasmMemory, ConnectKernels | null>();

function module(): object | null {
  if (compiled === undefined) {
    try {
      compiled = api
        ? new api.Module(
            assemble([drawDef(false, false), drawDef(true, false), drawDef(false, true), drawDef(true, true), scatterDef(false), scatterDef(true), scatterDef(false, true), scatterDef(true, true)]),
          )
        : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
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
  const mod = module();
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
      };
    } catch {
      kernels = null;
    }
  }
  instances.set(memory, kernels);
  return kernels;
}
