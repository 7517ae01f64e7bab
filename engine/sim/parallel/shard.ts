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
 * Per-neuron randomness does not depend on the thread count: initial state is
 * drawn for the whole population and sliced, the Poisson drive jumps its
 * generator over the other threads' neurons (./jump.ts), and per-neuron
 * current sources and other drives run whole on every thread and are sliced.
 * Every float is summed in the single-threaded order, so runs are
 * spike-for-spike identical for any thread count.
 */
import type { NetworkPlan } from '../../core/plan.ts';
import type { RuntimeOf } from '../runtime.ts';
import type { Csr } from '../connect.ts';
import { COUNT_RINGS_MIN_TARGETS, estimateMemory } from '../network.ts';
import { BuildError, drawSynapses, runBuild, type PopSlot } from '../build.ts';
import { BARRIER_AFTER, SCHEDULE, Stepper } from '../schedule.ts';
import { createArena, type Arena } from '../arena.ts';
import { createProfileBuffer, ThreadClock } from './profile.ts';

/** Populations smaller than this many neurons per thread stay whole on thread 0. */
export const MIN_NEURONS_PER_THREAD = 256;

/** The neurons [lo, hi) of a population of `size` that thread `index` of `threads` owns. */
export function rangeOf(size: number, threads: number, index: number): { lo: number; hi: number } {
  if (threads <= 1 || size < MIN_NEURONS_PER_THREAD * threads) return index === 0 ? { lo: 0, hi: size } : { lo: size, hi: size };
  return { lo: Math.floor((size * index) / threads), hi: Math.floor((size * (index + 1)) / threads) };
}

/** The shared buffers of a parallel run; created by the coordinator, shared with every thread. */
export interface SharedLayout {
  /** Barrier and stop flag (barrier.ts). */
  readonly ctrl: SharedArrayBuffer;
  /** Int32 spike counts, [parity · populations · threads + population · threads + thread], parity = step mod 2. */
  readonly counts: SharedArrayBuffer;
  /** Float64 synaptic events per thread and projection, [thread · projections + k]. */
  readonly events: SharedArrayBuffer;
  /** Float64 drive events per thread. */
  readonly external: SharedArrayBuffer;
  /** Per population: Int32 spikes by global index, thread t writing from its range's start, at parity · size (null: not a neuron group). */
  readonly spikes: readonly (SharedArrayBuffer | null)[];
  /** State monitored variables, whole population each; owners write their neurons after every step. */
  readonly mirrors: readonly { readonly population: number; readonly variable: string; readonly neurons: readonly number[]; readonly buffer: SharedArrayBuffer }[];
  /** Per-thread phase, wait and per-step busy times of a profiled run (./profile.ts), else null. */
  readonly profile: SharedArrayBuffer | null;
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
}

/** A whole projection in shared memory: CSR by source, unsigned weights (null: constant), delays in steps (null: constant). */
export interface DrawnProjection {
  readonly synapses: number;
  readonly rowPtr: SharedArrayBuffer;
  readonly col: SharedArrayBuffer;
  readonly w: SharedArrayBuffer | null;
  readonly d: SharedArrayBuffer | null;
  readonly dConst: number;
  /** The largest delay in steps (sizes the rings, the same on every thread). */
  readonly maxD: number;
}

/** A shared copy of `a` viewed as `make` views it (`bytesPer` bytes an element: u16 columns are widened to u32 here). */
function shareCopy<T extends Uint32Array | Float32Array | Uint16Array>(
  a: Uint32Array | Float32Array | Uint16Array,
  make: (b: SharedArrayBuffer) => T,
  bytesPer = a.BYTES_PER_ELEMENT,
): SharedArrayBuffer {
  const b = new SharedArrayBuffer(Math.max(4, a.length * bytesPer));
  make(b).set(a as never);
  return b;
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
  // The wasm draw kernels work in an arena; each projection is drawn there, copied out to shared memory,
  // and its room given back for the next (sized for the whole network: untouched pages cost nothing).
  const arena = createArena(Math.ceil(estimateMemory(plan, runtimes).bytes * 1.25) + (1 << 20)) ?? undefined;
  return plan.projections.map((p) => {
    const mark = arena?.mark() ?? 0;
    if (p.plasticity) throw new BuildError(`Wire "${p.edgeId}" is plastic; plastic networks run on one thread`, p.edgeId);
    const tgt = plan.populations[p.target];
    if (roleOf(tgt.kind) !== 'neurons') throw new BuildError(`Wire "${p.edgeId}" targets "${tgt.nodeId}", which has no synapses`, p.edgeId);
    const x = drawSynapses(plan, p, sizeOf(p.source), tgt.size, arena);
    const nSyn = x.synapses;
    const shared = {
      synapses: nSyn,
      dConst: x.dConst,
      maxD: x.maxD,
      w: x.w ? shareCopy(x.w, (b) => new Float32Array(b)) : null,
      d: x.d ? shareCopy(x.d, (b) => new Uint16Array(b)) : null,
      rowPtr: shareCopy(x.csr.rowPtr, (b) => new Uint32Array(b)),
      col: shareCopy(x.csr.col, (b) => new Uint32Array(b, 0, nSyn), 4),
    };
    arena?.release(mark);
    return shared;
  });
}

/** Allocate the shared buffers for `plan` on `threads` threads (with `profile`, room for the threads' timings). */
export function createSharedLayout(plan: NetworkPlan, runtimes: RuntimeOf, threads: number, ctrlBytes: number, profile = false): SharedLayout {
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
      if (!mirrors.some((x) => x.population === population && x.variable === variable)) {
        mirrors.push({ population, variable, neurons: [], buffer: new SharedArrayBuffer(8 * Math.max(1, size)) });
      }
      const mirror = mirrors.find((x) => x.population === population && x.variable === variable)!;
      for (const i of neurons.length > 0 ? neurons : [0]) if (!mirror.neurons.includes(i)) mirror.neurons.push(i);
    }
  }
  return {
    ctrl: new SharedArrayBuffer(ctrlBytes),
    // Two of each, by step parity: a thread may write step n+1's spikes while another still reads step n's.
    counts: new SharedArrayBuffer(4 * Math.max(1, 2 * P * threads)),
    events: new SharedArrayBuffer(8 * Math.max(1, plan.projections.length * threads)),
    external: new SharedArrayBuffer(8 * threads),
    spikes: plan.populations.map((p) => (roleOf(p.kind) === 'neurons' ? new SharedArrayBuffer(4 * Math.max(1, 2 * p.size)) : null)),
    mirrors,
    profile: profile ? createProfileBuffer(threads, plan.nSteps) : null,
  };
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

export class Shard extends Stepper {
  readonly threads: number;
  readonly index: number;
  /** Per population: the shared spike array and the threads' range starts. */
  private readonly exchange: Exchange[];
  private readonly counts: Int32Array;
  private readonly events: Float64Array;
  private readonly external: Float64Array;
  private readonly mirrors: { readonly out: Float64Array; readonly from: Float64Array; readonly lo: number; readonly neurons: Int32Array }[] = [];
  /** This thread's timings in a profiled run (./profile.ts), else null; its caller marks the barrier with `arrive`/`leave`. */
  readonly clock: ThreadClock | null;

  constructor(init: ShardInit, runtimes: RuntimeOf) {
    const { plan, threads, index, shared } = init;
    const range = (size: number) => rangeOf(size, threads, index);
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
          const whole: Csr = { nSource: src.size, nTarget: tgt.size, rowPtr: new Uint32Array(x.rowPtr, 0, src.size + 1), col: new Uint32Array(x.col, 0, n) };
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
    if (this.counts.length < 2 * P * threads) throw new Error('shared layout does not match the plan');
    this.events = new Float64Array(shared.events, 8 * index * plan.projections.length, plan.projections.length);
    this.external = new Float64Array(shared.external);
    this.exchange = this.pops.map((pop, p) => ({
      pop,
      p,
      shared: shared.spikes[p] ? new Int32Array(shared.spikes[p]!) : null,
      starts: Int32Array.from({ length: threads }, (_, t) => rangeOf(pop.size, threads, t).lo),
    }));
    // Count rings as `Network` makes them (decided on the whole population's size, so every thread count makes the same choice).
    this.setUpCountRings(plan.projections, init.countRingsMinTargets ?? COUNT_RINGS_MIN_TARGETS);
    this.setUpAbsorbPairs();
    this.fuseCountAbsorbs();
    this.clock = shared.profile ? new ThreadClock(shared.profile, threads, index) : null;
    for (const m of shared.mirrors) {
      const pop = this.pops[m.population];
      const from = pop.group?.stateVar(m.variable);
      if (!from) continue;
      const mine = m.neurons.filter((i) => i >= pop.lo && i < pop.hi);
      if (mine.length > 0) this.mirrors.push({ out: new Float64Array(m.buffer), from, lo: pop.lo, neurons: Int32Array.from(mine) });
    }
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

  /** Threshold, then this thread's spikes (global indices) and counts into shared memory. */
  override threshold(n: number): void {
    super.threshold(n);
    const T = this.threads;
    const par = n & 1;
    const base = par * this.pops.length * T;
    for (const { pop, p, shared } of this.exchange) {
      if (!pop.group) continue;
      const count = pop.count;
      const at = par * pop.size + pop.lo;
      const lo = pop.lo;
      const spikes = pop.spikes;
      for (let k = 0; k < count; k++) shared![at + k] = spikes[k] + lo;
      this.counts[base + p * T + this.index] = count;
    }
  }

  /** Wall time per build phase of this thread's part (../build.ts). */
  buildTimes(): Record<string, number> {
    return { ...this.buildClock.ms };
  }

  /** Population p's shared spike array (neuron populations: every thread's spikes by global index, by step parity). */
  sharedSpikes(p: number): Int32Array | null {
    return this.exchange[p].shared;
  }

  /** The spike count of thread `thread`'s range of population `p` in step n (after step n's barrier). */
  countOf(p: number, thread: number, n: number): number {
    return this.counts[((n & 1) * this.pops.length + p) * this.threads + thread];
  }

  /** Every projection walks the spikes of all threads, in thread order (ascending neuron index, as one thread would). */
  deliverSpikes(n: number): void {
    const T = this.threads;
    for (let k = 0; k < this.projections.length; k++) {
      const pr = this.projections[k];
      if (!pr.csr) continue;
      const { pop, shared, starts } = this.exchange[pr.source];
      if (pr.ring!.counts && pr.colAt >= 0) pr.events += this.deliverCountsOf(pr, n);
      else if (pop.source) {
        if (pop.count > 0) pr.events += this.deliver(pr, pop.spikes, 0, pop.count, n);
      } else {
        const par = n & 1;
        const at = par * pop.size;
        const base = (par * this.pops.length + pr.source) * T;
        for (let t = 0; t < T; t++) {
          const count = this.counts[base + t];
          if (count > 0) pr.events += this.deliver(pr, shared!, at + starts[t], at + starts[t] + count, n);
        }
      }
      this.events[k] = pr.events;
    }
  }

  /** A count ring's delivery: every thread's spikes of its source, in thread order, copied into the arena for one kernel call. */
  private deliverCountsOf(pr: (typeof this.projections)[number], n: number): number {
    const { pop, shared, starts } = this.exchange[pr.source];
    const sp = this.countSpikes!;
    if (pop.source) {
      sp.set(pop.spikes.subarray(0, pop.count));
      return pop.count > 0 ? this.deliverCounts(pr, pop.count, n) : 0;
    }
    const T = this.threads;
    const at = (n & 1) * pop.size;
    const base = ((n & 1) * this.pops.length + pr.source) * T;
    let c = 0;
    for (let t = 0; t < T; t++) {
      const count = this.counts[base + t];
      if (count > 0) sp.set(shared!.subarray(at + starts[t], at + starts[t] + count), c);
      c += count;
    }
    return c > 0 ? this.deliverCounts(pr, c, n) : 0;
  }

  /** Counters and monitored state into shared memory. */
  record(_n: number): void {
    this.external[this.index] = this.externalEvents;
    for (const m of this.mirrors) for (let k = 0; k < m.neurons.length; k++) m.out[m.neurons[k]] = m.from[m.neurons[k] - m.lo];
  }
}

/** Where phase B starts: the phase after the barrier. */
const BARRIER_INDEX = SCHEDULE.indexOf(BARRIER_AFTER) + 1;
