/**
 * Connectivity: draws a projection's synapses and stores them compressed per
 * source neuron (CSR), so a spike walks exactly its own out-synapses.
 *
 *   targets of source i = col[rowPtr[i] .. rowPtr[i+1])
 *
 * Draws come from the projection's own connectivity stream, never from the
 * simulation's streams.
 */
import type { Rng } from './rng.ts';
import { createArena, type Arena } from './arena.ts';
import { connectKernels, PACKED_TARGET_BITS, SORT_BUCKET_SHIFT, type BucketMode, type ConnectKernels } from './wasm-kernels-connect.ts';

export interface Csr {
  readonly nSource: number;
  readonly nTarget: number;
  readonly rowPtr: Uint32Array;
  /**
   * Target indices; Uint16 where the rule allows it and every target fits
   * ({@link narrowColumns}), half the bytes per synapse to store and to stream
   * through delivery.
   */
  readonly col: Uint32Array | Uint16Array;
}

/** Whether a fixed-in-degree projection onto `nTarget` targets stores its columns as Uint16 (every index fits). */
export function narrowColumns(nTarget: number): boolean {
  return nTarget <= 0x10000;
}

export interface RuleSpec {
  readonly rule: 'all-to-all' | 'one-to-one' | 'bernoulli' | 'fixed-in-degree' | 'fixed-out-degree' | 'fixed-total';
  readonly p?: number;
  readonly n?: number;
  /** Source and target are the same population, so i → i is an autapse. */
  readonly samePopulation: boolean;
  readonly allowAutapses: boolean;
  readonly allowMultapses: boolean;
}

/** Growable Uint32 list, to collect synapses whose count is only known after drawing. */
class U32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(Math.ceil(this.data.length * 1.5));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  /**
   * The list, as a view of its buffer: a copy of the exact length would double
   * the columns' memory until GC (and the allocator keeps the freed pages: the
   * OS sees them). The buffer's slack is what the capacity was sized above the
   * count, 6σ + 16 entries for a Bernoulli draw.
   */
  trimmed(): Uint32Array {
    return this.length === this.data.length ? this.data : this.data.subarray(0, this.length);
  }
}

/** The number of synapses a rule makes, exactly or in expectation; for estimates before building. */
export function expectedSynapses(spec: RuleSpec, nSource: number, nTarget: number): number {
  const auto = spec.samePopulation && !spec.allowAutapses;
  switch (spec.rule) {
    case 'all-to-all':
      return nSource * nTarget - (auto ? Math.min(nSource, nTarget) : 0);
    case 'one-to-one':
      return auto ? 0 : nSource;
    case 'bernoulli':
      return (spec.p ?? 0) * (nSource * nTarget - (auto ? Math.min(nSource, nTarget) : 0));
    case 'fixed-in-degree':
      return (spec.n ?? 0) * nTarget;
    case 'fixed-out-degree':
      return (spec.n ?? 0) * nSource;
    case 'fixed-total':
      return spec.n ?? 0;
  }
}

/**
 * Why a rule cannot be built for these sizes, as a sentence about the named
 * field; or null when it can.
 */
export function ruleProblem(spec: RuleSpec, nSource: number, nTarget: number): { field: string; message: string } | null {
  const auto = spec.samePopulation && !spec.allowAutapses;
  const n = spec.n ?? 0;
  switch (spec.rule) {
    case 'one-to-one':
      if (nSource !== nTarget) {
        return { field: 'rule', message: `one-to-one needs equal sizes, but the source has ${nSource} and the target ${nTarget} neurons` };
      }
      return null;
    case 'fixed-in-degree': {
      const avail = nSource - (auto ? 1 : 0);
      if (!spec.allowMultapses && n > avail) {
        return { field: 'n', message: `in-degree ${n} is larger than the ${avail} distinct sources available (turn on multapses or lower it)` };
      }
      return null;
    }
    case 'fixed-out-degree': {
      const avail = nTarget - (auto ? 1 : 0);
      if (!spec.allowMultapses && n > avail) {
        return { field: 'n', message: `out-degree ${n} is larger than the ${avail} distinct targets available (turn on multapses or lower it)` };
      }
      return null;
    }
    case 'fixed-total': {
      const avail = nSource * nTarget - (auto ? Math.min(nSource, nTarget) : 0);
      if (!spec.allowMultapses && n > avail) {
        return { field: 'n', message: `${n} synapses is more than the ${avail} distinct pairs available (turn on multapses or lower it)` };
      }
      return null;
    }
    default:
      return null;
  }
}

/**
 * Draw a projection. Throws an Error with the ruleProblem message if it cannot be built.
 *
 * With an `arena`, fixed in-degree allocates the returned `col` and then
 * `rowPtr` from it (views that stay; other rules ignore the arena), borrows
 * its scratch from the arena after them and gives it back before returning,
 * and runs its loops as wasm kernels over the arena's memory. When the arena
 * has no room the result is plain arrays; the synapses and `rng`'s state
 * afterwards are the same either way.
 */
export function buildCsr(spec: RuleSpec, nSource: number, nTarget: number, rng: Rng, arena?: Arena): Csr {
  const it = buildCsrSteps(spec, nSource, nTarget, rng, arena);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/** About this many synapses between two yields of {@link buildCsrSteps}. */
export const SYNAPSES_PER_YIELD = 1 << 20;

/**
 * {@link buildCsr} a piece at a time: a fixed-in-degree projection yields the
 * synapses drawn so far about every {@link SYNAPSES_PER_YIELD} (so a host can
 * report progress and cancel within a large projection); the other rules draw
 * in one go. The synapses are the same as `buildCsr`'s.
 */
export function* buildCsrSteps(spec: RuleSpec, nSource: number, nTarget: number, rng: Rng, arena?: Arena): Generator<number, Csr> {
  const problem = ruleProblem(spec, nSource, nTarget);
  if (problem) throw new Error(problem.message);
  const noAuto = spec.samePopulation && !spec.allowAutapses;
  switch (spec.rule) {
    case 'all-to-all': {
      const rowPtr = new Uint32Array(nSource + 1);
      const per = (i: number) => nTarget - (noAuto && i < nTarget ? 1 : 0);
      for (let i = 0; i < nSource; i++) rowPtr[i + 1] = rowPtr[i] + per(i);
      const col = new Uint32Array(rowPtr[nSource]);
      let k = 0;
      for (let i = 0; i < nSource; i++) for (let j = 0; j < nTarget; j++) if (!(noAuto && i === j)) col[k++] = j;
      return { nSource, nTarget, rowPtr, col };
    }
    case 'one-to-one': {
      const rowPtr = new Uint32Array(nSource + 1);
      const col = new Uint32Array(noAuto ? 0 : nSource);
      for (let i = 0; i < nSource; i++) {
        rowPtr[i + 1] = rowPtr[i] + (noAuto ? 0 : 1);
        if (!noAuto) col[i] = i;
      }
      return { nSource, nTarget, rowPtr, col };
    }
    case 'bernoulli':
      return bernoulli(spec.p ?? 0, nSource, nTarget, noAuto, rng);
    case 'fixed-in-degree':
      return yield* fixedInDegree(spec.n ?? 0, nSource, nTarget, noAuto, spec.allowMultapses, rng, arena);
    case 'fixed-out-degree':
      return fixedOutDegree(spec.n ?? 0, nSource, nTarget, noAuto, spec.allowMultapses, rng);
    case 'fixed-total':
      return fixedTotal(spec.n ?? 0, nSource, nTarget, noAuto, spec.allowMultapses, rng);
  }
}

/** Every pair independently with probability p; gaps drawn geometrically, so the cost is O(synapses). */
function bernoulli(p: number, nSource: number, nTarget: number, noAuto: boolean, rng: Rng): Csr {
  const rowPtr = new Uint32Array(nSource + 1);
  const expected = p * nSource * nTarget;
  const list = new U32List(Math.ceil(expected + 6 * Math.sqrt(expected) + 16));
  if (p > 0) {
    for (let i = 0; i < nSource; i++) {
      let j = p >= 1 ? 0 : rng.geometric(p);
      while (j < nTarget) {
        if (!(noAuto && i === j)) list.push(j);
        j += p >= 1 ? 1 : 1 + rng.geometric(p);
      }
      rowPtr[i + 1] = list.length;
    }
  }
  return { nSource, nTarget, rowPtr, col: list.trimmed() };
}

/**
 * Draw `k` of `n` indices into `out` (from `offset`), distinct unless `multi`,
 * skipping `exclude` (−1 for none). `mark`/`stamp` make rejection O(k) without clearing.
 */
function drawK(k: number, n: number, exclude: number, multi: boolean, rng: Rng, out: Uint32Array, offset: number, mark: Uint32Array, stamp: number): void {
  for (let c = 0; c < k; c++) {
    let r: number;
    do {
      r = rng.int(n);
    } while (r === exclude || (!multi && mark[r] === stamp));
    mark[r] = stamp;
    out[offset + c] = r;
  }
}

/** Build CSR (by source) from pairs grouped by target: a counting sort. */
function csrFromPairs(pre: Uint32Array, post: Uint32Array, nSource: number, nTarget: number): Csr {
  const rowPtr = new Uint32Array(nSource + 1);
  for (let s = 0; s < pre.length; s++) rowPtr[pre[s] + 1]++;
  for (let i = 0; i < nSource; i++) rowPtr[i + 1] += rowPtr[i];
  const fillPos = rowPtr.slice(0, nSource);
  const col = new Uint32Array(pre.length);
  for (let s = 0; s < pre.length; s++) col[fillPos[pre[s]]++] = post[s];
  return { nSource, nTarget, rowPtr, col };
}

/**
 * k distinct (unless multi) sources per target. This is the build's hot loop
 * (Brunel x4: 15.6 M draws; the scale case: 10⁸), so it runs
 * `rng.int(nSource)`'s exact sequence — xoshiro128** with rejection above the
 * largest multiple of nSource — with the generator state in locals instead of
 * a method call per draw. "Already drawn for this target" is a stamped mark
 * per source while that array is small; past {@link BIG_SOURCES} sources a
 * per-target hash set in L1 answers the same question (the same draws are
 * kept, so the synapses are identical either way).
 *
 * The draws (`pre`, u16 while sources fit) are counted per source as they
 * are made, then sorted into rows by target. With an arena, the columns and
 * row pointers are allocated from it (they stay), the scratch after them is
 * given back before returning, and the draw (marked or hashed) and the sort
 * (direct or two-level) run as wasm kernels (wasm-kernels-connect.ts); every
 * path draws the same synapses.
 */
function* fixedInDegree(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng, arena: Arena | undefined): Generator<number, Csr> {
  const total = k * nTarget;
  if (nSource > 0x100000000) {
    const pre = new Uint32Array(total);
    const mark = new Uint32Array(nSource);
    for (let j = 0; j < nTarget; j++) drawK(k, nSource, noAuto ? j : -1, multi, rng, pre, j * k, mark, j + 1);
    const rowPtr = new Uint32Array(nSource + 1);
    for (let s = 0; s < total; s++) rowPtr[pre[s] + 1]++;
    return sortTargetBlocks(pre, k, nSource, nTarget, rowPtr, new Uint32Array(total), null, null);
  }
  const narrow = narrowColumns(nTarget);
  let col: Uint32Array | Uint16Array | null = null;
  let rowPtr: Uint32Array | null = null;
  if (arena) {
    const start = arena.mark();
    col = narrow ? arena.u16(total) : arena.u32(total);
    rowPtr = col && arena.u32(nSource + 1);
    if (!rowPtr) {
      arena.release(start);
      arena = undefined;
    } else {
      // Released scratch is reused unzeroed; the counts start at 0.
      rowPtr.fill(0);
    }
  }
  if (!col || !rowPtr) {
    col = narrow ? new Uint16Array(total) : new Uint32Array(total);
    rowPtr = new Uint32Array(nSource + 1);
  }
  const hashed = !multi && nSource > BIG_SOURCES;
  const wide = nSource > 0x10000;
  const scratchStart = arena ? arena.mark() : -1;
  const bits = hashBits(k);
  let scratch = arena ? arenaScratch(arena, total, nSource, wide, multi ? 0 : hashed ? 2 << bits : nSource) : null;
  if (arena && !scratch) arena.release(scratchStart);
  // (No sources leaves nothing to draw from; the JS loops' result is kept rather than a wasm divide by zero.)
  const kernels = arena && scratch && nSource > 0 ? connectKernels(arena.memory) : null;
  if (!scratch)
    scratch = {
      pre: wide ? new Uint32Array(total) : new Uint16Array(total),
      mark: new Uint32Array(hashed || multi ? 0 : nSource),
      fill: new Uint32Array(nSource > SORT_TWO_LEVEL_SOURCES ? 0 : nSource),
      st: new Int32Array(4),
    };
  const { pre, mark, fill, st } = scratch;
  rng.getState(st);
  // Targets per piece between yields (the generator state stays in `st` across pieces).
  const piece = Math.max(1, Math.floor(SYNAPSES_PER_YIELD / Math.max(1, k)));
  if (kernels) {
    const draw = hashed
      ? (j0: number, j1: number, k: number, n: number, noAuto: number, st: number, pre: number, table: number, counts: number, maxAccept: number) =>
          kernels.drawHashed32(j0, j1, k, n, noAuto, st, pre, table, counts, maxAccept, 32 - bits)
      : multi
        ? wide
          ? kernels.drawMulti32
          : kernels.drawMulti16
        : wide
          ? kernels.draw32
          : kernels.draw16;
    const maxAccept = (0x100000000 - (0x100000000 % nSource) - 1) | 0;
    const per = kernelTargets(k);
    let next = piece;
    for (let j0 = 0; j0 < nTarget; j0 += per) {
      if (j0 >= next) {
        next = j0 + piece;
        yield j0 * k;
      }
      draw(j0, Math.min(nTarget, j0 + per), k, nSource, noAuto ? 1 : 0, st.byteOffset, pre.byteOffset + j0 * k * pre.BYTES_PER_ELEMENT, mark.byteOffset, rowPtr.byteOffset, maxAccept);
    }
  } else {
    const side = hashed ? sideDraw(k, nSource, piece, noAuto, st) : null;
    for (let j0 = 0; j0 < nTarget; j0 += piece) {
      if (j0 > 0) yield j0 * k;
      const j1 = Math.min(nTarget, j0 + piece);
      if (side) side.draw(j0, j1, pre as Uint32Array);
      else if (hashed) drawHashed(k, nSource, j0, j1, noAuto, st, pre as Uint32Array, rowPtr);
      else drawMarked(k, nSource, j0, j1, noAuto, multi, st, pre, mark, rowPtr);
    }
    side?.finish(rowPtr, st);
  }
  rng.setState(st);
  if (total > SYNAPSES_PER_YIELD) yield total;
  const csr = sortTargetBlocks(pre, k, nSource, nTarget, rowPtr, col, fill, kernels, arena);
  if (arena) arena.release(scratchStart);
  return csr;
}

/**
 * Targets per wasm kernel call (about 2¹⁶ synapses). V8 first runs a wasm
 * function as baseline (Liftoff) code and swaps in the optimised code only
 * for later calls, so one call for a whole projection would stay at the
 * baseline (~2.5× slower); many short calls move over within a few ms.
 */
function kernelTargets(k: number): number {
  return Math.max(1, Math.floor(0x10000 / Math.max(1, k)));
}

interface InDegreeScratch {
  readonly pre: Uint16Array | Uint32Array;
  readonly mark: Uint32Array;
  readonly fill: Uint32Array;
  readonly st: Int32Array;
}

/**
 * The hashed draw in wasm for a projection whose arrays are not in a wasm memory (no
 * arena, or no room: the 10⁷-neuron case): a small memory of its own holds the counts
 * per source, the hash set, the generator state and one piece's draws (≤ `piece`
 * targets), copied out to `pre` after each piece; `finish` copies the counts to
 * `rowPtr` (still zero) and the state to `st`. The same draws as `drawHashed`; null
 * without wasm.
 */
function sideDraw(
  k: number,
  nSource: number,
  piece: number,
  noAuto: boolean,
  st: Int32Array,
): { draw(j0: number, j1: number, pre: Uint32Array): void; finish(rowPtr: Uint32Array, st: Int32Array): void } | null {
  const bits = hashBits(k);
  const arena = createArena(4 * (nSource + 1) + (8 << bits) + 16 + 4 * piece * k + 64);
  const kernels = arena && connectKernels(arena.memory);
  const counts = arena?.u32(nSource + 1);
  const table = arena?.u32(2 << bits);
  const state = arena?.u32(4);
  const out = arena?.u32(piece * k);
  if (!kernels || !counts || !table || !state || !out) return null;
  new Int32Array(state.buffer, state.byteOffset, 4).set(st);
  const maxAccept = (0x100000000 - (0x100000000 % nSource) - 1) | 0;
  const per = kernelTargets(k);
  return {
    draw(j0, j1, pre) {
      for (let a = j0; a < j1; a += per) {
        kernels.drawHashed32(a, Math.min(j1, a + per), k, nSource, noAuto ? 1 : 0, state.byteOffset, out.byteOffset + (a - j0) * k * 4, table.byteOffset, counts.byteOffset, maxAccept, 32 - bits);
      }
      pre.set(out.subarray(0, (j1 - j0) * k), j0 * k);
    },
    finish(rowPtr, st) {
      rowPtr.set(counts);
      st.set(new Int32Array(state.buffer, state.byteOffset, 4));
    },
  };
}

/** Slots of the hashed draw's set, as a power of two: at least 4k (drawHashed). */
function hashBits(k: number): number {
  let bits = 4;
  while (1 << bits < 4 * k) bits++;
  return bits;
}

/**
 * The fixed-in-degree scratch from `arena` (`marks` u32s zeroed: a mark per source, the
 * hashed draw's set, or none), or null when it does not fit (the caller releases).
 */
function arenaScratch(arena: Arena, total: number, nSource: number, wide: boolean, marks: number): InDegreeScratch | null {
  const pre = wide ? arena.u32(total) : arena.u16(total);
  const mark = pre && arena.u32(marks);
  const fill = mark && arena.u32(nSource > SORT_TWO_LEVEL_SOURCES ? 0 : nSource);
  const st4 = fill && arena.u32(4);
  if (!pre || !mark || !fill || !st4) return null;
  // Stamps left by an earlier projection would read as "already drawn".
  mark.fill(0);
  return { pre, mark, fill, st: new Int32Array(st4.buffer, st4.byteOffset, 4) };
}

/**
 * `rng.int(nSource)` draws for k sources per target into `pre`, skipping
 * `noAuto`'s j and, unless multi, sources already drawn for this target
 * (stamped marks), each counted in `counts[r + 1]`; the generator state is
 * read from and written back to `st`. `pre` is u16 or u32: one loop for both
 * (the wasm kernels are the fast path; this is the fallback without them).
 */
function drawMarked(k: number, nSource: number, j0: number, j1: number, noAuto: boolean, multi: boolean, st: Int32Array, pre: Uint16Array | Uint32Array, mark: Uint32Array, counts: Uint32Array): void {
  let a = st[0];
  let b = st[1];
  let c = st[2];
  let d = st[3];
  const limit = 0x100000000 - (0x100000000 % nSource);
  // Both operands typed uint32 let V8 use an integer remainder (~5× faster than its float modulo).
  const nU = nSource >>> 0;
  let s = j0 * k;
  for (let j = j0; j < j1; j++) {
    const exclude = noAuto ? j : -1;
    const stamp = j + 1;
    for (let q = 0; q < k; q++) {
      let r: number;
      do {
        let x: number;
        do {
          const b5 = Math.imul(b, 5);
          x = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
          const t = b << 9;
          c ^= a;
          d ^= b;
          b ^= c;
          a ^= d;
          c ^= t;
          d = (d << 11) | (d >>> 21);
        } while (x >= limit);
        r = ((x >>> 0) % nU) >>> 0;
      } while (r === exclude || (!multi && mark[r] === stamp));
      if (!multi) mark[r] = stamp;
      pre[s++] = r;
      counts[r + 1]++;
    }
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

/** {@link drawMarked} without multapses, remembering this target's sources in a small hash set (L1) instead. */
function drawHashed(k: number, nSource: number, j0: number, j1: number, noAuto: boolean, st: Int32Array, pre: Uint32Array, counts: Uint32Array): void {
  const bits = hashBits(k);
  const mask = (1 << bits) - 1;
  const hashKey = new Int32Array(1 << bits);
  const hashStamp = new Int32Array(1 << bits);
  let a = st[0];
  let b = st[1];
  let c = st[2];
  let d = st[3];
  const limit = 0x100000000 - (0x100000000 % nSource);
  const nU = nSource >>> 0;
  let s = j0 * k;
  for (let j = j0; j < j1; j++) {
    const exclude = noAuto ? j : -1;
    const stamp = j + 1;
    for (let q = 0; q < k; q++) {
      let r: number;
      for (;;) {
        let x: number;
        do {
          const b5 = Math.imul(b, 5);
          x = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
          const t = b << 9;
          c ^= a;
          d ^= b;
          b ^= c;
          a ^= d;
          c ^= t;
          d = (d << 11) | (d >>> 21);
        } while (x >= limit);
        r = ((x >>> 0) % nU) >>> 0;
        if (r === exclude) continue;
        // Linear probing; a slot is live when it carries this target's stamp.
        let h = Math.imul(r, 0x9e3779b1) >>> (32 - bits);
        let dup = false;
        while (hashStamp[h] === stamp) {
          if (hashKey[h] === r) {
            dup = true;
            break;
          }
          h = (h + 1) & mask;
        }
        if (dup) continue;
        hashStamp[h] = stamp;
        hashKey[h] = r;
        break;
      }
      pre[s++] = r;
      counts[r + 1]++;
    }
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

/** Past this many sources, the stamped marks outgrow L2: fixed-in-degree hashes instead. */
const BIG_SOURCES = 1 << 16;
/** Past this many sources, one write stream per row outgrows L2: the CSR sort goes in two levels. */
const SORT_TWO_LEVEL_SOURCES = 1 << 16;

/**
 * CSR by source from `pre`, which lists k sources per target in target order,
 * and `rowPtr` holding the count of source i at i + 1 (a stable counting sort:
 * each row lists its targets in ascending order). With many sources the
 * direct scatter writes to nSource places at random (a cache and TLB miss per
 * synapse), so it goes in two stable passes: first into buckets of 2¹²
 * sources (few write streams; `low` keeps the source within its bucket), then
 * each bucket into its rows. `fill` (nSource long) is scratch for the direct
 * scatter, null to allocate it; `kernels` runs the scatter in wasm (all
 * arrays then in its memory; the two-level sort's own scratch too, from
 * `arena`, when it fits).
 */
function sortTargetBlocks(
  pre: Uint16Array | Uint32Array,
  k: number,
  nSource: number,
  nTarget: number,
  rowPtr: Uint32Array,
  col: Uint32Array | Uint16Array,
  fill: Uint32Array | null,
  kernels: ConnectKernels | null,
  arena?: Arena,
): Csr {
  for (let i = 0; i < nSource; i++) rowPtr[i + 1] += rowPtr[i];
  if (nSource > SORT_TWO_LEVEL_SOURCES) {
    if (!(kernels && arena && scatterTwoLevelWasm(pre as Uint32Array, k, nSource, nTarget, rowPtr, col, kernels, arena))) scatterTwoLevel(pre as Uint32Array, k, nSource, nTarget, rowPtr, col);
  } else {
    const fillPos = fill ?? new Uint32Array(nSource);
    fillPos.set(rowPtr.subarray(0, nSource));
    if (kernels) {
      const scatter = col instanceof Uint16Array ? (pre instanceof Uint16Array ? kernels.scatter16To16 : kernels.scatter32To16) : pre instanceof Uint16Array ? kernels.scatter16 : kernels.scatter32;
      const per = kernelTargets(k);
      for (let j0 = 0; j0 < nTarget; j0 += per) {
        scatter(j0, Math.min(nTarget, j0 + per), k, pre.byteOffset + j0 * k * pre.BYTES_PER_ELEMENT, fillPos.byteOffset, col.byteOffset);
      }
    } else {
      scatterRows(pre, k, nTarget, fillPos, col);
    }
  }
  return { nSource, nTarget, rowPtr, col };
}

/** Each (source, target) of `pre` straight into its row (targets ascending within a row); `fillPos` starts as the row starts. */
function scatterRows(pre: Uint16Array | Uint32Array, k: number, nTarget: number, fillPos: Uint32Array, col: Uint32Array | Uint16Array): void {
  for (let j = 0, s = 0; j < nTarget; j++) {
    for (let q = 0; q < k; q++, s++) col[fillPos[pre[s]]++] = j;
  }
}

/** The two-level sort's buckets: how many, and the widest one's synapse count; `bucketFill` (if given) gets each bucket's first place. */
function bucketStarts(nSource: number, rowPtr: Uint32Array, bucketFill: Uint32Array | null): { nBuckets: number; widest: number } {
  const nBuckets = Math.ceil(nSource / (1 << SORT_BUCKET_SHIFT));
  let widest = 0;
  for (let B = 0; B < nBuckets; B++) {
    const lo = rowPtr[B << SORT_BUCKET_SHIFT];
    if (bucketFill) bucketFill[B] = lo;
    widest = Math.max(widest, rowPtr[Math.min(nSource, (B + 1) << SORT_BUCKET_SHIFT)] - lo);
  }
  return { nBuckets, widest };
}

/**
 * {@link scatterTwoLevel} with both passes as wasm kernels, its scratch (`low`, the
 * bucket and row fills, a bucket's copy) from `arena` and given back; false (nothing
 * done) when the scratch does not fit. Into u32 columns of at most 2²⁰ targets the
 * low bits ride in each column's top 12 bits between the passes (`Packed`): no `low`
 * array (2 bytes a synapse less to touch).
 */
function scatterTwoLevelWasm(pre: Uint32Array, k: number, nSource: number, nTarget: number, rowPtr: Uint32Array, col: Uint32Array | Uint16Array, kernels: ConnectKernels, arena: Arena): boolean {
  const start = arena.mark();
  const { nBuckets, widest } = bucketStarts(nSource, rowPtr, null);
  const narrow = col instanceof Uint16Array;
  const mode: BucketMode = narrow ? 16 : nTarget <= 1 << PACKED_TARGET_BITS ? 'Packed' : 32;
  const bucketFill = arena.u32(nBuckets);
  const low = bucketFill && arena.u16(mode === 'Packed' ? 0 : pre.length);
  const fillPos = low && arena.u32(1 << SORT_BUCKET_SHIFT);
  const copy = fillPos && (narrow ? arena.u16(widest) : arena.u32(widest));
  if (!bucketFill || !low || !fillPos || !copy) {
    arena.release(start);
    return false;
  }
  bucketStarts(nSource, rowPtr, bucketFill);
  const first = kernels[`bucketScatter${mode}`];
  const per = kernelTargets(k);
  for (let j0 = 0; j0 < nTarget; j0 += per) first(j0, Math.min(nTarget, j0 + per), k, pre.byteOffset + j0 * k * 4, bucketFill.byteOffset, col.byteOffset, low.byteOffset);
  const rows = kernels[`bucketRows${mode}`];
  for (let B = 0; B < nBuckets; B++) {
    const from = B << SORT_BUCKET_SHIFT;
    const last = Math.min(nSource, from + (1 << SORT_BUCKET_SHIFT));
    const lo = rowPtr[from];
    const hi = rowPtr[last];
    fillPos.set(rowPtr.subarray(from, last));
    copy.set(col.subarray(lo, hi));
    rows(hi - lo, low.byteOffset + lo * 2, copy.byteOffset, fillPos.byteOffset, col.byteOffset);
  }
  arena.release(start);
  return true;
}

/** {@link scatterRows} through buckets of 2¹² sources (see {@link sortTargetBlocks}). */
function scatterTwoLevel(pre: Uint32Array, k: number, nSource: number, nTarget: number, rowPtr: Uint32Array, col: Uint32Array | Uint16Array): void {
  const total = pre.length;
  const bucketFill = new Uint32Array(Math.ceil(nSource / (1 << SORT_BUCKET_SHIFT)));
  const { nBuckets, widest } = bucketStarts(nSource, rowPtr, bucketFill);
  const low = new Uint16Array(total);
  const lowMask = (1 << SORT_BUCKET_SHIFT) - 1;
  for (let j = 0, s = 0; j < nTarget; j++) {
    for (let q = 0; q < k; q++, s++) {
      const i = pre[s];
      const at = bucketFill[i >>> SORT_BUCKET_SHIFT]++;
      col[at] = j;
      low[at] = i & lowMask;
    }
  }
  const scratch = new Uint32Array(widest);
  const fillPos = new Uint32Array(1 << SORT_BUCKET_SHIFT);
  for (let B = 0; B < nBuckets; B++) {
    const first = B << SORT_BUCKET_SHIFT;
    const last = Math.min(nSource, first + (1 << SORT_BUCKET_SHIFT));
    const lo = rowPtr[first];
    const hi = rowPtr[last];
    for (let i = first; i < last; i++) fillPos[i - first] = rowPtr[i];
    scratch.set(col.subarray(lo, hi));
    for (let at = lo; at < hi; at++) col[fillPos[low[at]]++] = scratch[at - lo];
  }
}

function fixedOutDegree(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): Csr {
  const rowPtr = new Uint32Array(nSource + 1);
  const col = new Uint32Array(k * nSource);
  const mark = new Uint32Array(nTarget);
  for (let i = 0; i < nSource; i++) {
    drawK(k, nTarget, noAuto ? i : -1, multi, rng, col, i * k, mark, i + 1);
    rowPtr[i + 1] = rowPtr[i] + k;
    // Sorted targets per row make delivery walk memory in order.
    col.subarray(i * k, (i + 1) * k).sort();
  }
  return { nSource, nTarget, rowPtr, col };
}

function fixedTotal(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): Csr {
  const pre = new Uint32Array(k);
  const post = new Uint32Array(k);
  const seen = multi ? null : new Set<number>();
  for (let c = 0; c < k;) {
    const i = rng.int(nSource);
    const j = rng.int(nTarget);
    if (noAuto && i === j) continue;
    if (seen) {
      const key = i * nTarget + j;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    pre[c] = i;
    post[c] = j;
    c++;
  }
  return csrFromPairs(pre, post, nSource, nTarget);
}
