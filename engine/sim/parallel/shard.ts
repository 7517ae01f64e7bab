/**
 * One thread's share of a network (see ./README.md for the design).
 *
 * Every neuron population is split into contiguous ranges, one per thread
 * ({@link rangeOf}); a thread builds sub-groups for its ranges, the synapses
 * whose *targets* lie in them (the coordinator draws each projection once into
 * shared memory, {@link drawProjections}; each thread copies out its part, so no
 * two threads write the same memory), and its own delay rings. Spikes cross threads through shared memory; each
 * step is one barrier:
 *
 *   A: currents → state update → threshold; spikes (global indices) into the
 *      population's shared spike array at the thread's range; spike sources
 *      (replicated on every thread: they cost O(spikes)) emit.
 *   ─ barrier ─
 *   B: every projection walks the spikes of all threads (in thread order, i.e.
 *      ascending neuron index, as one thread would) into local rings; drives;
 *      rings into the receptors; reset; counters and monitored state into
 *      shared memory.
 *
 * The spike arrays and counts are double-buffered by step parity, so a thread
 * that finishes B early may run A of the next step while another still reads
 * this step's spikes (it cannot get further: the next barrier waits for all).
 * The coordinator reads counters and monitored state once every other thread
 * waits at the next barrier (`ParallelNetwork.quiesce`).
 *
 * A run whose every delay is two steps or more is windowed instead ({@link Shard.lag}):
 * no barrier; a thread publishes its spikes after its threshold, delivers each step
 * once every thread's spikes of it are out (in step order, at the latest lag − 1 steps
 * later), and the buffers keep 2 · lag steps.
 *
 * Per-neuron randomness does not depend on the thread count: initial state is
 * drawn for the whole population and sliced, the Poisson drive jumps its
 * generator over the other threads' neurons (./jump.ts), and per-neuron
 * current sources and other drives run whole on every thread and are sliced.
 * Every float is summed in the single-threaded order, so runs are
 * spike-for-spike identical for any thread count.
 */
import type { NetworkPlan } from '../../core/plan.ts';
import { stepsOf } from '../../core/time.ts';
import { isConstant } from '../dist.ts';
import { wasmKernelsEnabled } from '../wasm-kernels.ts';
import type { Ring } from '../build.ts';
import type { RuntimeOf } from '../runtime.ts';
import type { Csr } from '../connect.ts';
import { COUNT_RINGS_MIN_TARGETS, estimateMemory } from '../network.ts';
import { BuildError, drawSynapses, runBuild, type PopSlot, type Projection } from '../build.ts';
import { BARRIER_AFTER, READ_AHEAD_MIN_BYTES, readRows, SCHEDULE, Stepper } from '../schedule.ts';
import { createArena, type Arena } from '../arena.ts';
import { createProfileBuffer, ThreadClock } from './profile.ts';
import { Barrier, LINE_DELIVERED, LINE_DONE, LINE_PUBLISHED } from './barrier.ts';
import { addCountsKernels, type AddCountsKernel } from './wasm-add-counts.ts';

/** Populations smaller than this many neurons per thread stay whole on thread 0. */
export const MIN_NEURONS_PER_THREAD = 256;

/** The neurons [lo, hi) of a population of `size` that thread `index` of `threads` owns. */
export function rangeOf(size: number, threads: number, index: number): { lo: number; hi: number } {
  if (threads <= 1 || size < MIN_NEURONS_PER_THREAD * threads) return index === 0 ? { lo: 0, hi: size } : { lo: size, hi: size };
  return { lo: Math.floor((size * index) / threads), hi: Math.floor((size * (index + 1)) / threads) };
}

/**
 * What each thread writes every step (its spike counts, event counters) sits on cache lines
 * of its own: slots of two threads on one line would make the line travel between the
 * cores at every write (false sharing). 64 bytes (x86, most ARM cores).
 */
const LINE_BYTES = 64;
/** Float64 slots per cache line. */
export const LINE_F64 = LINE_BYTES / 8;
/** Int32 spike counts a thread writes per step parity: one per population, padded to whole lines. */
export function countsStride(populations: number): number {
  return Math.ceil(Math.max(1, populations) / (LINE_BYTES / 4)) * (LINE_BYTES / 4);
}
/** Float64 event counters per thread: one per projection, padded to whole lines. */
export function eventsStride(projections: number): number {
  return Math.ceil(Math.max(1, projections) / LINE_F64) * LINE_F64;
}

/** The shared buffers of a parallel run; created by the coordinator, shared with every thread. */
export interface SharedLayout {
  /** Barrier and stop flag (barrier.ts). */
  readonly ctrl: SharedArrayBuffer;
  /**
   * Steps whose spikes, counts and counters are kept at once ({@link stepSlots}): step n in slot
   * n mod slots. 2 with a barrier per step (by step parity); 2 · lag in a windowed run.
   */
  readonly slots: number;
  /** Int32 spike counts, [(slot · threads + thread) · {@link countsStride} + population]. */
  readonly counts: SharedArrayBuffer;
  /** Float64 synaptic events per thread and projection, summed up to a step: [(slot · threads + thread) · {@link eventsStride} + k]. */
  readonly events: SharedArrayBuffer;
  /** Float64 drive events per thread, summed up to a step: [(slot · threads + thread) · {@link LINE_F64}]. */
  readonly external: SharedArrayBuffer;
  /** Per population: Int32 spikes by global index, thread t writing from its range's start, at slot · size (null: not a neuron group). */
  readonly spikes: readonly (SharedArrayBuffer | null)[];
  /** State monitored variables: per (population, variable) the monitored neurons' values, [slot · neurons.length + j] for neuron neurons[j]; owners write theirs after every step. */
  readonly mirrors: readonly { readonly population: number; readonly variable: string; readonly neurons: readonly number[]; readonly buffer: SharedArrayBuffer }[];
  /** Per-thread phase, wait and per-step busy times of a profiled run (./profile.ts), else null. */
  readonly profile: SharedArrayBuffer | null;
  /**
   * Projections split by source ({@link splitBySource}): per (target, receptor, delay), the
   * counts each thread delivered into the other threads' neurons in a step, handed over
   * through shared memory: [(parity · threads + thread) · size + neuron], u8 or u16 counts
   * in 2 bytes per neuron of room.
   */
  readonly countExchange: readonly { readonly key: string; readonly buffer: SharedArrayBuffer }[];
}

/** What a thread needs to build its shard. */
export interface ShardInit {
  readonly plan: NetworkPlan;
  readonly threads: number;
  readonly index: number;
  readonly shared: SharedLayout;
  /** Every projection, drawn once by the coordinator ({@link drawProjections}), in plan order. */
  readonly drawn: readonly DrawnProjection[];
  /** Count rings for groups of at least this many neurons (whole population; default `COUNT_RINGS_MIN_TARGETS`, as `Network`'s). */
  readonly countRingsMinTargets?: number;
  /** Per projection: split by source ({@link splitBySource}; the same on every thread). Default: none. */
  readonly bySource?: readonly boolean[];
  /**
   * Steps a thread may run ahead of the others' spikes (a windowed run, {@link Shard.lag}; the
   * network's shortest delay in steps), or 0: a barrier per step. The same on every thread.
   */
  readonly lag?: number;
  /** Read the rows of projections whose columns take at least this many bytes ahead of the step's delivery ({@link Shard.deliverSpikes}); default {@link READ_AHEAD_MIN_BYTES}, Infinity: never. */
  readonly readAheadMinBytes?: number;
}

/** The message of the error a part throws when a projection split by source found no count ring to deliver into. */
export const SPLIT_BY_SOURCE_FAILED = 'internal: a projection split by source has no count ring';

/**
 * The count exchanges ({@link SharedLayout.countExchange}) of the projections split by source:
 * one per (target, receptor, delay), keyed so, with the first projection that has it.
 */
function countExchanges(plan: NetworkPlan, bySource: readonly boolean[]): { key: string; k: number }[] {
  const first = new Map<string, number>();
  plan.projections.forEach((p, k) => {
    const key = `${p.target}|${p.receptor}|${stepsOf(p.delayMs as number, plan.dtMs)}`;
    if (bySource[k] && !first.has(key)) first.set(key, k);
  });
  return [...first].map(([key, k]) => ({ key, k }));
}

/**
 * Which projections a parallel run splits by *source* rather than by target: every
 * projection into a population whose rings will be count rings (a large lif-delta group,
 * `Schedule.setUpCountRings`: one constant weight per receptor, constant delays, no
 * plasticity) when each is a fixed in-degree wire from a neuron population delayed by two
 * steps or more. A thread then walks only its own neurons' spikes, along whole rows, into
 * counts for the whole target population, and hands the counts for the other threads'
 * neurons over after the step (`Shard.deliverSpikes`). Split by target, every thread walks
 * every spike's row for its share of the targets: each row read twice as often in shorter
 * pieces, which cost two threads 41 % more delivery work than one on the 1 M-neuron bench
 * case. Counts are integers, so the sum over threads is exact, in any order: spikes stay
 * identical to one thread's. The delay of two steps lets the handover wait for the next
 * step's barrier. Decided here, from the plan, so that every thread splits alike; a part
 * whose build did not make the count rings after all throws {@link SPLIT_BY_SOURCE_FAILED}
 * and the run is built again split by target (`ParallelNetwork.create`).
 */
export function splitBySource(plan: NetworkPlan, runtimes: RuntimeOf, threads: number, minTargets: number): boolean[] {
  const out = plan.projections.map(() => false);
  if (threads <= 1 || !wasmKernelsEnabled()) return out;
  plan.populations.forEach((pop, t) => {
    const rt = runtimes(pop.kind);
    if (rt?.role !== 'neurons' || pop.size < Math.max(minTargets, MIN_NEURONS_PER_THREAD * threads)) return;
    const into = plan.projections.map((p, k) => ({ p, k })).filter(({ p }) => p.target === t);
    if (into.length === 0) return;
    const weight = new Map<string, unknown>();
    const bound = new Map<string, number>();
    for (const { p } of into) {
      const ok =
        !p.plasticity &&
        !p.synapses &&
        p.rule === 'fixed-in-degree' &&
        Number.isInteger(p.n) &&
        runtimes(plan.populations[p.source].kind)?.role === 'neurons' &&
        isConstant(p.weight) &&
        isConstant(p.delayMs) &&
        stepsOf(p.delayMs as number, plan.dtMs) >= 2 &&
        (!weight.has(p.receptor) || weight.get(p.receptor) === p.weight);
      if (!ok) return;
      weight.set(p.receptor, p.weight);
      bound.set(p.receptor, (bound.get(p.receptor) ?? 0) + p.n!);
    }
    if (Math.max(...bound.values()) > 0xffff) return;
    for (const { k } of into) out[k] = true;
  });
  return out;
}

/** A whole projection in shared memory: CSR by source, unsigned weights (null: constant), delays in steps (null: constant). */
export interface DrawnProjection {
  readonly synapses: number;
  /** The u32 row pointers (source size + 1) at byte `rowPtrAt` of `rowPtr`. */
  readonly rowPtr: SharedArrayBuffer;
  readonly rowPtrAt: number;
  /** The columns (global target indices), `colBytes` each (2: u16, 4: u32), at byte `colAt` of `col`. */
  readonly col: SharedArrayBuffer;
  readonly colAt: number;
  readonly colBytes: 2 | 4;
  readonly w: SharedArrayBuffer | null;
  readonly d: SharedArrayBuffer | null;
  readonly dConst: number;
  /** The largest delay in steps (sizes the rings, the same on every thread). */
  readonly maxD: number;
}

/** A shared copy of `a` viewed as `make` views it. */
function shareCopy<T extends Uint32Array | Float32Array | Uint16Array>(a: T, make: (b: SharedArrayBuffer) => T): SharedArrayBuffer {
  const b = new SharedArrayBuffer(Math.max(4, a.byteLength));
  make(b).set(a as never);
  return b;
}

/** `a` where the threads can read it: itself when it lies in `shared` (the draw's shared arena), else a shared copy. */
function shareView(a: Uint32Array | Uint16Array, shared: Arena | null): { readonly buffer: SharedArrayBuffer; readonly at: number } {
  if (shared !== null && a.buffer === shared.buffer) return { buffer: a.buffer as unknown as SharedArrayBuffer, at: a.byteOffset };
  return { buffer: a instanceof Uint16Array ? shareCopy(a, (b) => new Uint16Array(b)) : shareCopy(a, (b) => new Uint32Array(b)), at: 0 };
}

/**
 * Draw every projection of `plan` once, from the same seeded streams and in the
 * same order as `Network` (../build.ts `drawSynapses`), into shared memory; each
 * thread then keeps the synapses into its own neurons. Throws BuildError on a
 * wire that cannot be built.
 */
export function drawProjections(plan: NetworkPlan, runtimes: RuntimeOf): DrawnProjection[] {
  const roleOf = (kind: string) => runtimes(kind)?.role;
  const sizeOf = (i: number) => (roleOf(plan.populations[i].kind) === 'current-source' ? 0 : plan.populations[i].size);
  // The wasm draw kernels work in an arena (sized for the whole network: untouched pages cost nothing).
  // A shared one, so the threads read the drawn rows where they were drawn: copying them out to shared
  // memory first cost Brunel x4 ~160 ms of its ~600 ms two-thread build (first touch of 48 MB, bench/README.md).
  // Where a shared memory cannot be made, each projection is copied out and its room given back for the next.
  const bytes = Math.ceil(estimateMemory(plan, runtimes).bytes * 1.25) + (1 << 20);
  const shared = typeof SharedArrayBuffer === 'undefined' ? null : createArena(bytes, true);
  const arena = shared ?? createArena(bytes) ?? undefined;
  return plan.projections.map((p) => {
    const mark = arena?.mark() ?? 0;
    if (p.plasticity) throw new BuildError(`Wire "${p.edgeId}" is plastic; plastic networks run on one thread`, p.edgeId);
    const tgt = plan.populations[p.target];
    if (roleOf(tgt.kind) !== 'neurons') throw new BuildError(`Wire "${p.edgeId}" targets "${tgt.nodeId}", which has no synapses`, p.edgeId);
    const x = drawSynapses(plan, p, sizeOf(p.source), tgt.size, arena);
    const nSyn = x.synapses;
    const rowPtr = shareView(x.csr.rowPtr, shared);
    const col = shareView(x.csr.col, shared);
    const out: DrawnProjection = {
      synapses: nSyn,
      dConst: x.dConst,
      maxD: x.maxD,
      w: x.w ? shareCopy(x.w, (b) => new Float32Array(b)) : null,
      d: x.d ? shareCopy(x.d, (b) => new Uint16Array(b)) : null,
      rowPtr: rowPtr.buffer,
      rowPtrAt: rowPtr.at,
      col: col.buffer,
      colAt: col.at,
      colBytes: x.csr.col.BYTES_PER_ELEMENT === 2 ? 2 : 4,
    };
    // A shared arena keeps what was drawn in it (the draw gave its scratch back); an unshared one was copied out.
    if (!shared) arena?.release(mark);
    return out;
  });
}

/** Steps kept at once in the shared buffers ({@link SharedLayout.slots}) of a run with `lag` ({@link ShardInit.lag}). */
export function stepSlots(lag: number): number {
  return lag > 0 ? 2 * lag : 2;
}

/** Allocate the shared buffers for `plan` on `threads` threads (with `profile`, room for the threads' timings; `lag`: {@link ShardInit.lag}). */
export function createSharedLayout(plan: NetworkPlan, runtimes: RuntimeOf, threads: number, ctrlBytes: number, profile = false, bySource: readonly boolean[] = [], lag = 0): SharedLayout {
  const slots = stepSlots(lag);
  const roleOf = (kind: string) => runtimes(kind)?.role;
  const P = plan.populations.length;
  const mirrors: { population: number; variable: string; neurons: number[]; buffer: SharedArrayBuffer }[] = [];
  for (const m of plan.monitors) {
    const rt = runtimes(m.kind);
    if (!rt || rt.role !== 'monitor' || rt.records !== 'state') continue;
    for (const population of m.sources) {
      const variable = m.params.variable as string;
      const size = plan.populations[population].size;
      const neurons = (m.params.neurons as number[]).filter((i) => i < size);
      if (!mirrors.some((x) => x.population === population && x.variable === variable)) mirrors.push({ population, variable, neurons: [], buffer: new SharedArrayBuffer(8) });
      const mirror = mirrors.find((x) => x.population === population && x.variable === variable)!;
      for (const i of neurons.length > 0 ? neurons : [0]) if (!mirror.neurons.includes(i)) mirror.neurons.push(i);
    }
  }
  for (const m of mirrors) m.buffer = new SharedArrayBuffer(8 * slots * Math.max(1, m.neurons.length));
  return {
    ctrl: new SharedArrayBuffer(ctrlBytes),
    slots,
    // A slot per step kept: a thread may write step n+1's spikes while another still reads step n's (windowed: n − 2·lag + 1's).
    counts: new SharedArrayBuffer(4 * slots * threads * countsStride(P)),
    events: new SharedArrayBuffer(8 * slots * threads * eventsStride(plan.projections.length)),
    external: new SharedArrayBuffer(8 * slots * threads * LINE_F64),
    spikes: plan.populations.map((p) => (roleOf(p.kind) === 'neurons' ? new SharedArrayBuffer(4 * Math.max(1, slots * p.size)) : null)),
    mirrors,
    profile: profile ? createProfileBuffer(threads, plan.nSteps) : null,
    countExchange: countExchanges(plan, bySource).map(({ key, k }) => ({
      key,
      buffer: new SharedArrayBuffer(2 * 2 * threads * Math.max(1, plan.populations[plan.projections[k].target].size)),
    })),
  };
}

/**
 * Own rows [lo, hi) of `csr`, columns unchanged (the whole target population), in new
 * arrays; the columns in the arena (u16 when the targets allow) for the wasm kernels.
 */
function sliceBySource(csr: Csr, lo: number, hi: number, arena: Arena | null): Csr {
  const { rowPtr, col, nTarget } = csr;
  const first = rowPtr[lo];
  const kept = rowPtr[hi] - first;
  const narrow = nTarget <= 0x10000;
  const c2 = (narrow ? arena?.u16(kept) : arena?.u32(kept)) ?? (narrow ? new Uint16Array(kept) : new Uint32Array(kept));
  c2.set(col.subarray(first, first + kept));
  const ptr = new Uint32Array(hi - lo + 1);
  for (let i = lo; i <= hi; i++) ptr[i - lo] = rowPtr[i] - first;
  return { nSource: hi - lo, nTarget, rowPtr: ptr, col: c2 };
}

/**
 * Keep the synapses of `csr` whose targets lie in [lo, hi), in order, with
 * columns made local, in new arrays (the whole projection is shared by all threads).
 */
function filterByTarget(csr: Csr, lo: number, hi: number, w: Float32Array | null, d: Uint16Array | null, arena: Arena | null): { csr: Csr; w: Float32Array | null; d: Uint16Array | null } {
  const { rowPtr, col, nSource } = csr;
  const span = hi - lo;
  const total = col.length;
  let kept = 0;
  // One unsigned compare tests lo ≤ j < hi.
  for (let k = 0; k < total; k++) if ((col[k] - lo) >>> 0 < span) kept++;
  const ptr = new Uint32Array(nSource + 1);
  // Columns (u16 when the range allows) and weights go to the arena, for the wasm delivery kernels.
  const narrow = span <= 0x10000;
  const c2 = (narrow ? arena?.u16(kept) : arena?.u32(kept)) ?? (narrow ? new Uint16Array(kept) : new Uint32Array(kept));
  const w2 = w ? (arena?.f32(kept) ?? new Float32Array(kept)) : null;
  const d2 = d ? new Uint16Array(kept) : null;
  let m = 0;
  for (let i = 0; i < nSource; i++) {
    const end = rowPtr[i + 1];
    for (let k = rowPtr[i]; k < end; k++) {
      const j = (col[k] - lo) >>> 0;
      if (j >= span) continue;
      c2[m] = j;
      if (w2 !== null) w2[m] = w![k];
      if (d2 !== null) d2[m] = d![k];
      m++;
    }
    ptr[i + 1] = m;
  }
  return { csr: { nSource, nTarget: span, rowPtr: ptr, col: c2 }, w: w2, d: d2 };
}

/** A thread's part of a population: its spikes in shared memory, and where each thread's range starts. */
interface Exchange {
  readonly pop: PopSlot;
  readonly p: number;
  /** The shared spike array (neuron populations). */
  readonly shared: Int32Array | null;
  readonly starts: Int32Array;
}

/** The counts one thread's split-by-source projections deliver into one ring at one delay, handed to the neurons' owners. */
interface Handover {
  readonly ring: Ring;
  readonly d: number;
  /** The whole target population, this thread's neurons [lo, hi) of it, and bytes per count. */
  readonly size: number;
  readonly lo: number;
  readonly hi: number;
  readonly bytes: number;
  /** The shared exchange ({@link SharedLayout.countExchange}), as bytes; 2 bytes of room per neuron and (parity, thread). */
  readonly shared: Uint8Array;
}

export class Shard extends Stepper {
  readonly threads: number;
  readonly index: number;
  /** Target populations whose projections are split by source: their count rings count the whole population. */
  private readonly splitTargets: Set<number>;
  /** Per projection: split by source. */
  private readonly bySource: readonly boolean[];
  private readonly handovers: readonly Handover[];
  /** The wasm adds of u8 and u16 counts over this thread's arena, and room there for one handed-over range (null: the JS loop). */
  private readonly adder: { readonly add: readonly [AddCountsKernel, AddCountsKernel]; readonly scratch: Uint8Array } | null = null;
  /** Per population: the shared spike array and the threads' range starts. */
  private readonly exchange: Exchange[];
  private readonly counts: Int32Array;
  /** Int32 slots per (step parity, thread) block of {@link counts}. */
  private readonly countsStride: number;
  private readonly events: Float64Array;
  /** Float64 slots per (step slot, thread) block of {@link events}. */
  private readonly eventsStride: number;
  private readonly external: Float64Array;
  /** Per monitored (population, variable) with neurons here: the shared mirror, `width` values a slot; this part's neurons (global) and their places j in a slot. */
  private readonly mirrors: { readonly out: Float64Array; readonly from: Float64Array; readonly lo: number; readonly width: number; readonly neurons: Int32Array; readonly at: Int32Array }[] = [];
  /** Steps kept at once in the shared buffers ({@link SharedLayout.slots}). */
  readonly slots: number;
  /**
   * A windowed run (NEST's exchange every minimum delay): the network's shortest delay in
   * steps (≥ 2), or 0 with a barrier per step. A spike of step n reaches no ring slot
   * absorbed before step n + lag, so a thread need not have the other threads' spikes of
   * step m before its step m + lag − 1: it runs up to lag − 1 steps ahead of the slowest,
   * and the threads wait for each other only through counters on lines of their own
   * (`barrier.ts` `LINE_PUBLISHED`, `LINE_DELIVERED`, `LINE_DONE`), no barrier. Each thread
   * delivers the steps in order, all threads' spikes of a step in thread order, so every
   * ring slot is summed in one thread's order ({@link deliverSpikes}).
   */
  readonly lag: number;
  /** The counters of a windowed run (this thread's, and waits for the others'). */
  private readonly sync: Barrier;
  /** Steps this thread has delivered (a windowed run: every step before this one). */
  private delivered = 0;
  /** Called with each step m as this thread delivers it, once every thread's spikes of m are out (the coordinator gathers them for its monitors). */
  onDelivered: ((m: number) => void) | null = null;
  /** A windowed run: each spike source's spikes and counts of the steps kept, by slot (its own array holds only the last step's). */
  private readonly sourceCopies: ({ readonly spikes: Int32Array[]; readonly count: Int32Array } | null)[];
  /** This thread's timings in a profiled run (./profile.ts), else null; its caller marks the barrier with `arrive`/`leave`. */
  readonly clock: ThreadClock | null;
  /** Per projection: its rows are read ahead before the step's delivery ({@link readRowsAhead}). */
  private readonly ahead: readonly boolean[];
  /** What the look-ahead read (kept, so that the reads are not optimised away). */
  private aheadSink = 0;

  constructor(init: ShardInit, runtimes: RuntimeOf) {
    const { plan, threads, index, shared } = init;
    const range = (size: number) => rangeOf(size, threads, index);
    const bySource = init.bySource ?? [];
    super(
      runBuild({
        plan,
        runtimes,
        first: index === 0,
        ringsInArena: true,
        rangeOf: range,
        // One wasm memory for this thread's part (sized generously: untouched pages cost nothing), as `Network`'s:
        // the local columns, the rings, lif-delta's state and the Poisson drives' tables live there.
        arenaFor: (groups) => {
          let bytes = 1 << 20;
          for (const g of groups) bytes += 32 * (g.size + 2);
          // Count rings' spike list (every thread's spikes of a source).
          for (const p of plan.populations) bytes += 4 * (p.size + 2);
          plan.projections.forEach((p, k) => {
            const size = plan.populations[p.target].size;
            const { lo, hi } = range(size);
            if (runtimes(plan.populations[p.target].kind)?.role !== 'neurons' || hi <= lo) return;
            if (bySource[k]) {
              // Own sources' whole rows (a range's share: room for 25 % more), and u8/u16 counts for the whole target population.
              const src = plan.populations[p.source].size;
              const r = range(src);
              bytes += Math.ceil((1.25 * init.drawn[k].synapses * 4 * (r.hi - r.lo)) / Math.max(1, src)) + 4 * (r.hi - r.lo + 1) + 2 * 2 * (init.drawn[k].maxD + 1) * size + 256;
            }
            const share = Math.ceil((init.drawn[k].synapses * (hi - lo)) / Math.max(1, size));
            // Columns and weights (a range's share is drawn at random: room for 25 % more), and a ring of its delays.
            bytes += Math.ceil(1.25 * share * 8) + 8 * (init.drawn[k].maxD + 1) * (hi - lo) + 64;
            // Count rings: the row pointers and u8/u16 counts beside the f64 ring.
            bytes += 4 * (plan.populations[p.source].size + 1) + 2 * (init.drawn[k].maxD + 1) * (hi - lo) + 64;
          });
          return createArena(bytes);
        },
        synapsesOf: (k, _p, src, tgt, arena, wasm) => {
          const x = init.drawn[k];
          const n = x.synapses;
          const whole: Csr = {
            nSource: src.size,
            nTarget: tgt.size,
            rowPtr: new Uint32Array(x.rowPtr, x.rowPtrAt, src.size + 1),
            col: x.colBytes === 2 ? new Uint16Array(x.col, x.colAt, n) : new Uint32Array(x.col, x.colAt, n),
          };
          if (bySource[k]) return { synapses: n, csr: sliceBySource(whole, src.lo, src.hi, wasm ? arena : null), w: null, w64: null, d: null, dConst: x.dConst, maxD: x.maxD };
          const part = filterByTarget(whole, tgt.lo, tgt.hi, x.w ? new Float32Array(x.w, 0, n) : null, x.d ? new Uint16Array(x.d, 0, n) : null, wasm ? arena : null);
          return { synapses: n, csr: part.csr, w: part.w, w64: null, d: part.d, dConst: x.dConst, maxD: x.maxD };
        },
        expectedSynapses: (k) => init.drawn[k].synapses,
      }),
    );
    this.threads = threads;
    this.index = index;
    const P = plan.populations.length;
    this.counts = new Int32Array(shared.counts);
    this.countsStride = countsStride(P);
    this.slots = shared.slots;
    this.lag = init.lag ?? 0;
    if (this.slots !== stepSlots(this.lag)) throw new Error('shared layout does not match the plan');
    if (this.counts.length < this.slots * threads * this.countsStride) throw new Error('shared layout does not match the plan');
    this.sync = new Barrier(new Int32Array(shared.ctrl), threads, Date.now, index);
    this.eventsStride = eventsStride(plan.projections.length);
    this.events = new Float64Array(shared.events);
    this.external = new Float64Array(shared.external);
    this.exchange = this.pops.map((pop, p) => ({
      pop,
      p,
      shared: shared.spikes[p] ? new Int32Array(shared.spikes[p]!) : null,
      starts: Int32Array.from({ length: threads }, (_, t) => rangeOf(pop.size, threads, t).lo),
    }));
    // Count rings as `Network` makes them (decided on the whole population's size, so every thread count makes the same choice);
    // the rings of projections split by source count for the whole target population.
    this.splitTargets = new Set(plan.projections.flatMap((p, k) => (bySource[k] ? [p.target] : [])));
    this.setUpCountRings(plan.projections, init.countRingsMinTargets ?? COUNT_RINGS_MIN_TARGETS);
    this.bySource = this.projections.map((pr, k) => {
      if (!bySource[k]) return false;
      const ring = pr.ring;
      if (!ring?.counts || pr.colAt < 0 || ring.countStride !== this.pops[pr.target].size) throw new Error(`${SPLIT_BY_SOURCE_FAILED} (wire "${pr.edgeId}")`);
      return true;
    });
    const exchanges = new Map(shared.countExchange.map((e) => [e.key, e.buffer]));
    this.handovers = countExchanges(plan, bySource).map(({ key, k }) => {
      const pr = this.projections[k];
      const ring = pr.ring!;
      const pop = this.pops[pr.target];
      const bytes = ring.counts!.BYTES_PER_ELEMENT;
      return {
        ring,
        d: pr.dConst,
        size: pop.size,
        lo: pop.lo,
        hi: pop.hi,
        bytes,
        shared: new Uint8Array(exchanges.get(key)!),
      };
    });
    const most = Math.max(0, ...this.handovers.map((h) => (h.hi - h.lo) * h.bytes));
    const add = most > 0 && this.arena ? addCountsKernels(this.arena.memory) : null;
    const scratch = add ? this.arena!.countsZero(most + 16, 1) : null;
    if (add && scratch) this.adder = { add, scratch: scratch as Uint8Array };
    this.setUpAbsorbPairs();
    this.fuseCountAbsorbs();
    this.clock = shared.profile ? new ThreadClock(shared.profile, threads, index) : null;
    this.ahead = this.projections.map(
      (pr, k) => !this.bySource[k] && !this.pops[pr.source].source && !pr.ring?.counts && pr.csr !== null && pr.csr.col.byteLength >= (init.readAheadMinBytes ?? READ_AHEAD_MIN_BYTES),
    );
    for (const m of shared.mirrors) {
      const pop = this.pops[m.population];
      const from = pop.group?.stateVar(m.variable);
      if (!from) continue;
      const at = m.neurons.flatMap((i, j) => (i >= pop.lo && i < pop.hi ? [j] : []));
      if (at.length > 0) this.mirrors.push({ out: new Float64Array(m.buffer), from, lo: pop.lo, width: m.neurons.length, neurons: Int32Array.from(at, (j) => m.neurons[j]), at: Int32Array.from(at) });
    }
    this.sourceCopies = this.pops.map((pop) =>
      this.lag > 0 && pop.source ? { spikes: Array.from({ length: this.slots }, () => new Int32Array(pop.spikes.length)), count: new Int32Array(this.slots) } : null,
    );
  }

  /** Phase A of step n: the schedule up to the barrier (currents, update, threshold); spikes into shared memory. */
  phaseA(n: number): void {
    if (this.clock) this.clock.phases(this.phases, n, 0, BARRIER_INDEX);
    else this.run(n, 0, BARRIER_INDEX);
  }

  /** Phase B of step n: the rest of the schedule (propagation, drives, rings, reset); counters into shared memory. */
  phaseB(n: number): void {
    if (this.clock) this.clock.phases(this.phases, n, BARRIER_INDEX, SCHEDULE.length);
    else this.run(n, BARRIER_INDEX, SCHEDULE.length);
  }

  /**
   * Threshold, then this thread's spikes (global indices) and counts into shared memory, in
   * slot n mod {@link slots}. A windowed run first waits until every thread has delivered
   * the step that slot held (n − slots), and then publishes step n.
   */
  override threshold(n: number): void {
    super.threshold(n);
    const slot = n % this.slots;
    if (this.lag > 0 && n >= this.slots) this.wait(LINE_DELIVERED, n - this.slots + 1);
    const base = (slot * this.threads + this.index) * this.countsStride;
    // Loops by index in the step, not `for … of`: cold code allocates an iterator per loop (../schedule.ts).
    const exchange = this.exchange;
    for (let e = 0; e < exchange.length; e++) {
      const { pop, p, shared } = exchange[e];
      if (!pop.group) continue;
      const count = pop.count;
      const at = slot * pop.size + pop.lo;
      const lo = pop.lo;
      const spikes = pop.spikes;
      for (let k = 0; k < count; k++) shared![at + k] = spikes[k] + lo;
      this.counts[base + p] = count;
    }
    if (this.lag === 0) return;
    for (let p = 0; p < this.sourceCopies.length; p++) {
      const copy = this.sourceCopies[p];
      if (copy === null) continue;
      copy.spikes[slot].set(this.pops[p].spikes.subarray(0, this.pops[p].count));
      copy.count[slot] = this.pops[p].count;
    }
    this.sync.post(LINE_PUBLISHED, n + 1);
  }

  /** A windowed run: wait until every other thread's counter `word` has reached `value` (throws when the run is stopped or dead). */
  private wait(word: number, value: number): void {
    if (this.sync.othersAt(word, value)) return;
    this.clock?.waitStart();
    const sleeps = this.sync.sleeps;
    const stopped = this.sync.awaitOthers(word, value);
    this.clock?.waitEnd(this.sync.sleeps !== sleeps);
    if (stopped) throw new Error(this.sync.failure() ?? RUN_STOPPED);
  }

  /** Wall time per build phase of this thread's part (../build.ts). */
  buildTimes(): Record<string, number> {
    return { ...this.buildClock.ms };
  }

  /** Population p's shared spike array (neuron populations: every thread's spikes by global index, step n at (n mod {@link slots}) · size). */
  sharedSpikes(p: number): Int32Array | null {
    return this.exchange[p].shared;
  }

  /** The spike count of thread `thread`'s range of population `p` in step n (after step n's barrier, or once every thread has published it). */
  countOf(p: number, thread: number, n: number): number {
    return this.counts[((n % this.slots) * this.threads + thread) * this.countsStride + p];
  }

  /** Thread `thread`'s synaptic events of projection k up to step n (after every thread has delivered step n; kept for {@link slots} steps). */
  eventsOf(k: number, thread: number, n: number): number {
    return this.events[((n % this.slots) * this.threads + thread) * this.eventsStride + k];
  }

  /** Thread `thread`'s drive events up to step n (after every thread has finished step n). */
  externalOf(thread: number, n: number): number {
    return this.external[((n % this.slots) * this.threads + thread) * LINE_F64];
  }

  /** How many projections this thread reads ahead ({@link readRowsAhead}). */
  get readAheadCount(): number {
    return this.ahead.filter(Boolean).length;
  }

  /** How many projections this run splits by source ({@link splitBySource}). */
  get splitBySourceCount(): number {
    return this.bySource.filter(Boolean).length;
  }

  protected override countLayout(r: Ring): { stride: number; lo: number } {
    const pop = this.pops[r.target];
    return this.splitTargets.has(r.target) ? { stride: pop.size, lo: pop.lo } : super.countLayout(r);
  }

  /**
   * Every projection split by target walks the spikes of all threads, in thread order
   * (ascending neuron index, as one thread would); one split by source walks this thread's
   * own spikes into counts for the whole target population. Those counts for other
   * threads' neurons are handed over: taken in by their owners at the next step, after its
   * barrier ({@link splitBySource}).
   */
  deliverSpikes(n: number): void {
    if (this.lag === 0) {
      this.deliverStep(n);
      return;
    }
    // Windowed: every step whose spikes every thread has published, in order; and at least up to
    // step n − lag + 1, waiting for them if need be (slot n + 1 of a ring, absorbed next, gets no
    // later step's spikes; a fused count absorb takes it in the next update).
    const need = n - this.lag + 1;
    while (this.delivered <= n) {
      const m = this.delivered;
      if (!this.sync.othersAt(LINE_PUBLISHED, m + 1)) {
        if (m > need) break;
        this.wait(LINE_PUBLISHED, m + 1);
      }
      this.deliverOne(m);
    }
  }

  /**
   * A windowed run: deliver every step up to `last` (waiting for the other threads' spikes),
   * once this thread has finished step `last` (the coordinator's `quiesce`, and every thread
   * after its last step: the events of the last steps count).
   */
  deliverThrough(last: number): void {
    while (this.delivered <= last) {
      this.wait(LINE_PUBLISHED, this.delivered + 1);
      this.deliverOne(this.delivered);
    }
  }

  /** Deliver step m and say so. */
  private deliverOne(m: number): void {
    this.deliverStep(m);
    this.delivered = m + 1;
    this.sync.post(LINE_DELIVERED, m + 1);
  }

  /** Deliver every thread's spikes of step n (see {@link deliverSpikes}); this thread's events so far into slot n's counters. */
  private deliverStep(n: number): void {
    const T = this.threads;
    this.onDelivered?.(n);
    const handovers = this.handovers;
    if (n > 0) for (let k = 0; k < handovers.length; k++) this.takeHandover(handovers[k], n - 1);
    this.readRowsAhead(n);
    const slot = n % this.slots;
    const events = (slot * T + this.index) * this.eventsStride;
    for (let k = 0; k < this.projections.length; k++) {
      const pr = this.projections[k];
      if (!pr.csr) continue;
      const { pop, shared, starts } = this.exchange[pr.source];
      if (this.bySource[k]) {
        if (pop.count > 0) {
          this.countSpikes!.set(pop.spikes.subarray(0, pop.count));
          pr.events += this.deliverCounts(pr, pop.count, n);
        }
      } else if (pr.ring!.counts && pr.colAt >= 0) pr.events += this.deliverCountsOf(pr, n);
      else if (pop.source) {
        const count = this.sourceCount(pr.source, n);
        if (count > 0) pr.events += this.deliver(pr, this.sourceArray(pr.source, n), 0, count, n);
      } else {
        const at = slot * pop.size;
        const base = slot * T * this.countsStride + pr.source;
        for (let t = 0; t < T; t++) {
          const count = this.counts[base + t * this.countsStride];
          if (count > 0) pr.events += this.deliver(pr, shared!, at + starts[t], at + starts[t] + count, n);
        }
      }
      this.events[events + k] = pr.events;
    }
    for (let k = 0; k < handovers.length; k++) this.handOver(handovers[k], n);
  }

  /**
   * Before the step's delivery: read one word of every 64-byte line of the rows that the
   * projections split by target (f64 rings, neuron sources, columns of
   * {@link READ_AHEAD_MIN_BYTES} or more) will walk, every spike's, all of them first. The
   * loads are independent, so the core has many in flight at once; the delivery then finds its
   * rows in the cache instead of waiting for memory at every row (the delivery kernels walk one
   * row per call, and a row of a large projection starts at a random place in megabytes of
   * columns). Split by target, a thread walks every spike's row for its share of the targets:
   * twice the rows of one thread, each half as long, so twice the waits at a row's start.
   * Brunel x4 (idle-ish, `npx tsx bench/parallel.ts --profile`): delivery on two threads
   * 0.77 → 0.50 s summed over the threads (bench/README.md "Session 10").
   */
  private readRowsAhead(n: number): void {
    const T = this.threads;
    const par = n % this.slots;
    let x = 0;
    for (let k = 0; k < this.projections.length; k++) {
      if (!this.ahead[k]) continue;
      const pr = this.projections[k];
      const { rowPtr, col } = pr.csr!;
      const { pop, shared, starts } = this.exchange[pr.source];
      const at = par * pop.size;
      const base = par * T * this.countsStride + pr.source;
      for (let t = 0; t < T; t++) {
        const from = at + starts[t];
        x ^= readRows(rowPtr, col, shared!, from, from + this.counts[base + t * this.countsStride]);
      }
    }
    this.aheadSink ^= x;
  }

  /** The bytes of slot s of a handover's ring (the whole population), from neuron a to b. */
  private slotBytes(h: Handover, s: number, a: number, b: number): Uint8Array {
    const c = h.ring.counts!;
    return new Uint8Array(c.buffer, c.byteOffset + (s * h.size + a) * h.bytes, (b - a) * h.bytes);
  }

  /** After step n's delivery: the counts for other threads' neurons in slot n + d go to the exchange, and leave the ring. */
  private handOver(h: Handover, n: number): void {
    const s = (n + h.d) % h.ring.slots;
    const base = ((n & 1) * this.threads + this.index) * h.size * 2;
    this.handOverRange(h, s, base, 0, h.lo);
    this.handOverRange(h, s, base, h.hi, h.size);
  }

  /** {@link handOver}'s neurons [a, b) of slot s, into the exchange at `base`. */
  private handOverRange(h: Handover, s: number, base: number, a: number, b: number): void {
    if (b <= a) return;
    const from = this.slotBytes(h, s, a, b);
    h.shared.set(from, base + a * h.bytes);
    from.fill(0);
  }

  /** Before step n + 1's delivery: the counts other threads handed over after step n, added into this thread's neurons. */
  private takeHandover(h: Handover, n: number): void {
    const s = (n + h.d) % h.ring.slots;
    const own = this.slotBytes(h, s, h.lo, h.hi);
    const adder = this.adder;
    for (let t = 0; t < this.threads; t++) {
      if (t === this.index) continue;
      const at = ((n & 1) * this.threads + t) * h.size * 2 + h.lo * h.bytes;
      const from = h.shared.subarray(at, at + own.length);
      if (adder === null) {
        addCounts(own, from, h.bytes);
        continue;
      }
      // Into the arena (a copy), then sixteen bytes a turn in wasm; the last few in JS.
      const scratch = adder.scratch;
      scratch.set(from);
      const whole = own.length & ~15;
      adder.add[h.bytes - 1](own.byteOffset, scratch.byteOffset, whole);
      addTail(own, scratch, whole, own.length, h.bytes);
    }
  }

  /** A count ring's delivery: every thread's spikes of its source, in thread order, copied into the arena for one kernel call. */
  private deliverCountsOf(pr: Projection, n: number): number {
    const { pop, shared, starts } = this.exchange[pr.source];
    const sp = this.countSpikes!;
    if (pop.source) {
      const count = this.sourceCount(pr.source, n);
      sp.set(this.sourceArray(pr.source, n).subarray(0, count));
      return count > 0 ? this.deliverCounts(pr, count, n) : 0;
    }
    const T = this.threads;
    const slot = n % this.slots;
    const at = slot * pop.size;
    const base = slot * T * this.countsStride + pr.source;
    let c = 0;
    for (let t = 0; t < T; t++) {
      const count = this.counts[base + t * this.countsStride];
      if (count > 0) sp.set(shared!.subarray(at + starts[t], at + starts[t] + count), c);
      c += count;
    }
    return c > 0 ? this.deliverCounts(pr, c, n) : 0;
  }

  /** Spike source population p's spikes of step n (a windowed run's copy: it may deliver after later thresholds). */
  private sourceArray(p: number, n: number): Int32Array {
    const copy = this.sourceCopies[p];
    return copy === null ? this.pops[p].spikes : copy.spikes[n % this.slots];
  }

  /** How many spikes {@link sourceArray} holds for step n. */
  private sourceCount(p: number, n: number): number {
    const copy = this.sourceCopies[p];
    return copy === null ? this.pops[p].count : copy.count[n % this.slots];
  }

  /** Counters and monitored state of step n into shared memory (slot n mod {@link slots}); a windowed run then says step n is done. */
  record(n: number): void {
    const slot = n % this.slots;
    this.external[(slot * this.threads + this.index) * LINE_F64] = this.externalEvents;
    const mirrors = this.mirrors;
    for (let j = 0; j < mirrors.length; j++) {
      const m = mirrors[j];
      const base = slot * m.width;
      for (let k = 0; k < m.neurons.length; k++) m.out[base + m.at[k]] = m.from[m.neurons[k] - m.lo];
    }
    if (this.lag > 0) this.sync.post(LINE_DONE, n + 1);
  }
}

/** The message of a windowed run's wait when the run was stopped (the coordinator stops the threads; a thread that failed names itself). */
export const RUN_STOPPED = 'the run was stopped';

/**
 * dst += src, count by count (u8 or u16 counts as bytes). The counts of one slot never sum
 * past the count type's range (the ring's bound, `setUpCountRings`), so four u8 or two u16
 * counts add as one u32 where both are aligned: no lane carries into the next.
 */
export function addCounts(dst: Uint8Array, src: Uint8Array, bytes: number): void {
  const n = dst.length;
  let i = 0;
  if ((dst.byteOffset & 3) === (src.byteOffset & 3)) {
    // Up to the first aligned word one count at a time, then words.
    const head = Math.min(n, (4 - (dst.byteOffset & 3)) & 3);
    i = addTail(dst, src, 0, head, bytes);
    const words = (n - i) >> 2;
    if (words > 0) {
      const d = new Uint32Array(dst.buffer, dst.byteOffset + i, words);
      const s = new Uint32Array(src.buffer, src.byteOffset + i, words);
      // No test for zero: two of three words hold a count (a branch that mispredicts costs more than the add).
      for (let w = 0; w < words; w++) d[w] = (d[w] + s[w]) >>> 0;
      i += 4 * words;
    }
  }
  addTail(dst, src, i, n, bytes);
}

/** dst += src over bytes [from, to) by counts of `bytes` bytes (little-endian); returns `to`. */
function addTail(dst: Uint8Array, src: Uint8Array, from: number, to: number, bytes: number): number {
  if (bytes === 1) for (let i = from; i < to; i++) dst[i] += src[i];
  else
    for (let i = from; i < to; i += 2) {
      const v = dst[i] + (dst[i + 1] << 8) + src[i] + (src[i + 1] << 8);
      dst[i] = v & 0xff;
      dst[i + 1] = v >>> 8;
    }
  return to;
}

/** Where phase B starts: the phase after the barrier. */
const BARRIER_INDEX = SCHEDULE.indexOf(BARRIER_AFTER) + 1;
