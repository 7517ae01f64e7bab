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
import type { NetworkPlan, ProjectionPlan } from '../../core/plan.ts';
import type { CurrentSource, Drive, NeuronGroup, NeuronRuntime, RuntimeOf, SpikeSource } from '../runtime.ts';
import { Rng } from '../rng.ts';
import { stepsOf } from '../../core/time.ts';
import { buildCsr, type Csr, type RuleSpec } from '../connect.ts';
import { isConstant, sampler } from '../dist.ts';
import { BuildError, estimateMemory } from '../network.ts';
import { PoissonDrive, type DriveKernelArgs } from '../poisson-drive.ts';
import { createArena, type Arena } from '../arena.ts';
import { deliverRows, deliveryKernels, type DeliveryKernels } from '../wasm-kernels-delivery.ts';
import { jump, jumpMatrix, type JumpMatrix } from './jump.ts';

/** Kernel arguments of an absorb pass without a drive. */
const NO_ARGS: DriveKernelArgs = { wAt: 0, stateAt: 0, thrAt: 0, guideAt: 0, shift: 0, kMin: 0 };

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
}

/** What a thread needs to build its shard. */
export interface ShardInit {
  readonly plan: NetworkPlan;
  readonly threads: number;
  readonly index: number;
  readonly shared: SharedLayout;
  /** Every projection, drawn once by the coordinator ({@link drawProjections}), in plan order. */
  readonly drawn: readonly DrawnProjection[];
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
function shareCopy<T extends Uint32Array | Float32Array | Uint16Array>(a: Uint32Array | Float32Array | Uint16Array, make: (b: SharedArrayBuffer) => T, bytesPer = a.BYTES_PER_ELEMENT): SharedArrayBuffer {
  const b = new SharedArrayBuffer(Math.max(4, a.length * bytesPer));
  make(b).set(a as never);
  return b;
}

/**
 * Draw every projection of `plan` once, from the same seeded streams and in the
 * same order as `Network`, into shared memory; each thread then keeps the
 * synapses into its own neurons. Throws BuildError on a wire that cannot be built.
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
    let csr: Csr;
    try {
      csr = buildCsr(ruleSpecOf(p), sizeOf(p.source), tgt.size, new Rng(plan.seed, `connect/${p.edgeId}`), arena);
    } catch (e) {
      throw new BuildError(`Wire "${p.edgeId}": ${(e as Error).message}`, p.edgeId, 'n');
    }
    const nSyn = csr.col.length;
    let w: SharedArrayBuffer | null = null;
    if (!isConstant(p.weight)) {
      w = new SharedArrayBuffer(Math.max(4, 4 * nSyn));
      const wa = new Float32Array(w);
      const draw = sampler(p.weight, new Rng(plan.seed, `weights/${p.edgeId}`), 0);
      for (let k = 0; k < nSyn; k++) wa[k] = draw();
    }
    let d: SharedArrayBuffer | null = null;
    let dConst = 0;
    let maxD = 0;
    if (isConstant(p.delayMs)) {
      dConst = stepsOf(p.delayMs, plan.dtMs);
      maxD = dConst;
    } else {
      d = new SharedArrayBuffer(Math.max(4, 2 * nSyn));
      const da = new Uint16Array(d);
      const draw = sampler(p.delayMs, new Rng(plan.seed, `delays/${p.edgeId}`), 0);
      for (let k = 0; k < nSyn; k++) {
        const st = stepsOf(draw(), plan.dtMs);
        if (st > 65535) throw new BuildError(`Wire "${p.edgeId}": a delay of ${st} steps is over the limit of 65535 steps`, p.edgeId, 'delay_ms');
        da[k] = st;
        if (st > maxD) maxD = st;
      }
    }
    const shared = {
      synapses: nSyn, dConst, maxD, w, d,
      rowPtr: shareCopy(csr.rowPtr, (b) => new Uint32Array(b)),
      col: shareCopy(csr.col, (b) => new Uint32Array(b, 0, nSyn), 4),
    };
    arena?.release(mark);
    return shared;
  });
}

/** Allocate the shared buffers for `plan` on `threads` threads. */
export function createSharedLayout(plan: NetworkPlan, runtimes: RuntimeOf, threads: number, ctrlBytes: number): SharedLayout {
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
  };
}

export function ruleSpecOf(p: ProjectionPlan): RuleSpec {
  return {
    rule: p.rule,
    p: p.p,
    n: p.n,
    samePopulation: p.source === p.target,
    allowAutapses: p.allowAutapses,
    allowMultapses: p.allowMultapses,
  };
}

interface ShardPop {
  readonly nodeId: string;
  readonly kind: string;
  /** The whole population's size. */
  readonly size: number;
  readonly lo: number;
  readonly hi: number;
  /** This thread's sub-group (null: a source, a current source, or no neurons here). */
  readonly group: NeuronGroup | null;
  /** A spike source, replicated whole on every thread. */
  readonly source: SpikeSource | null;
  /** Local spikes: sub-group indices, or the source's channels. */
  readonly spikes: Int32Array;
  count: number;
  /** The shared spike array (neuron populations). */
  readonly shared: Int32Array | null;
  /** Where each thread's range starts (neuron populations). */
  readonly starts: Int32Array;
}

interface Ring {
  readonly receptor: number;
  readonly slots: number;
  readonly buf: Float64Array;
  readonly input: Float64Array;
  readonly group: NeuronGroup;
  readonly views: Float64Array[];
  readonly alias: boolean;
}

interface ShardProjection {
  readonly source: number;
  /** Synapses of the whole projection (all threads). */
  readonly synapses: number;
  /** The synapses into this thread's targets, columns local to its range; null when it owns none. */
  readonly csr: Csr | null;
  readonly wConst: number;
  readonly w: Float32Array | null;
  readonly dConst: number;
  readonly d: Uint16Array | null;
  readonly ring: Ring | null;
  events: number;
  /** Byte addresses of the columns, the f32 weights and the f64 constant weight in the shard's arena; colAt −1: the JS loop delivers. */
  readonly colAt: number;
  readonly wAt: number;
  readonly wcAt: number;
}

interface ShardDrive {
  readonly drive: Drive;
  readonly ring: Ring;
  /** Poisson drive: its generator state, and the jump over the other threads' neurons after each step. */
  readonly state: Int32Array | null;
  readonly skip: JumpMatrix | null;
  /** Another drive: runs whole into this buffer, and the thread takes its slice. */
  readonly whole: Float64Array | null;
  readonly lo: number;
  /** Whether this thread counts the drive's events (a whole drive counts on thread 0 only). */
  readonly countEvents: boolean;
  /** Drawn inside its group's fused absorb pass (`Shard.absorbPairs`), not filled on its own. */
  fused: boolean;
}

interface CurrentTarget {
  readonly group: NeuronGroup;
  readonly list: CurrentSource[];
  readonly perNeuron: CurrentSource[];
  /** The whole population's current, when per-neuron sources run whole. */
  readonly whole: Float64Array | null;
  readonly lo: number;
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

export class Shard {
  readonly pops: ShardPop[] = [];
  readonly projections: ShardProjection[] = [];
  readonly rings: Ring[] = [];
  readonly drives: ShardDrive[] = [];
  readonly threads: number;
  readonly index: number;
  /** Synapses of the whole network. */
  readonly synapses: number;
  private readonly groups: ShardPop[] = [];
  private readonly sources: ShardPop[] = [];
  private readonly currentTargets: CurrentTarget[] = [];
  private readonly counts: Int32Array;
  private readonly events: Float64Array;
  private readonly external: Float64Array;
  private readonly mirrors: { readonly out: Float64Array; readonly from: Float64Array; readonly lo: number; readonly neurons: Int32Array }[] = [];
  private externalEvents = 0;
  /** The shard's wasm memory and its kernels (as `Network`'s: sim/arena.ts), null without WebAssembly. */
  private readonly arena: Arena | null = null;
  private readonly wasm: DeliveryKernels | null = null;
  /** Gated groups whose two rings (and one Poisson drive) are absorbed in one wasm pass, as `Network.setUpAbsorbPairs`. */
  private readonly absorbPairs: { group: NeuronGroup; a: Ring; b: Ring; drive: ShardDrive | null; args: DriveKernelArgs | null; into: 0 | 1 | 2 }[] = [];
  private readonly pairedRings = new Set<Ring>();

  constructor(init: ShardInit, runtimes: RuntimeOf) {
    const roleOf = (kind: string) => runtimes(kind)?.role;
    const { plan, threads, index, shared } = init;
    this.threads = threads;
    this.index = index;
    const P = plan.populations.length;
    this.counts = new Int32Array(shared.counts);
    this.events = new Float64Array(shared.events, 8 * index * plan.projections.length, plan.projections.length);
    this.external = new Float64Array(shared.external);

    plan.populations.forEach((pop, p) => {
      const rt = runtimes(pop.kind);
      if (!rt) throw new BuildError(`Unknown node kind "${pop.kind}"`, pop.nodeId, 'kind');
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${pop.nodeId}`) };
      let group: NeuronGroup | null = null;
      let source: SpikeSource | null = null;
      let lo = 0;
      let hi = 0;
      if (rt.role === 'neurons') {
        ({ lo, hi } = rangeOf(pop.size, threads, index));
        if (hi > lo) {
          // Initial state is drawn for the whole population from the node's stream, then sliced.
          const whole = rt.create(pop.params, pop.size, ctx);
          if (hi - lo === pop.size) group = whole;
          else {
            group = rt.create(pop.params, hi - lo, { ...ctx, rng: new Rng(plan.seed, `sim/${pop.nodeId}/unused`) });
            for (const id of rt.stateVars ?? []) {
              const from = whole.stateVar(id);
              const to = group.stateVar(id);
              if (from && to) to.set(from.subarray(lo, hi));
            }
          }
        }
      } else if (rt.role === 'spike-source') {
        source = rt.create(pop.params, pop.size, ctx);
        hi = pop.size;
      } else if (rt.role !== 'current-source') throw new BuildError(`Node "${pop.nodeId}" is not a population`, pop.nodeId);
      const sharedSpikes = shared.spikes[p];
      const slot: ShardPop = {
        nodeId: pop.nodeId, kind: pop.kind, size: rt.role === 'current-source' ? 0 : pop.size, lo, hi, group, source,
        spikes: new Int32Array(source ? pop.size : hi - lo), count: 0,
        shared: sharedSpikes ? new Int32Array(sharedSpikes) : null,
        starts: Int32Array.from({ length: threads }, (_, t) => rangeOf(pop.size, threads, t).lo),
      };
      this.pops.push(slot);
      if (group) this.groups.push(slot);
      if (source) this.sources.push(slot);
    });
    if (this.counts.length < 2 * P * threads) throw new Error('shared layout does not match the plan');

    // Current sources run whole on every thread (a uniform one costs one value per step).
    const injections: { source: CurrentSource; target: number }[] = [];
    for (const inj of plan.injections) {
      const src = plan.populations[inj.source];
      const rt = runtimes(src.kind);
      if (!rt || rt.role !== 'current-source') throw new BuildError(`Node "${src.nodeId}" is not a current source`, src.nodeId);
      if (!this.pops[inj.target].group) continue;
      const tgt = plan.populations[inj.target];
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${src.nodeId}/${tgt.nodeId}`) };
      injections.push({ source: rt.create(src.params, ctx, tgt.size), target: inj.target });
    }
    for (const pop of this.groups) {
      const p = this.pops.indexOf(pop);
      const all = injections.filter((i) => i.target === p).map((i) => i.source);
      if (all.length === 0) continue;
      const group = pop.group!;
      (group as { hasCurrent?: boolean }).hasCurrent = true;
      const perNeuron = all.filter((s) => s.addCurrent);
      const whole = perNeuron.length > 0 && group.size !== pop.size ? new Float64Array(pop.size) : null;
      this.currentTargets.push({ group, list: all.filter((s) => !s.addCurrent), perNeuron, whole, lo: pop.lo });
    }

    // One wasm memory for this thread's part (sized generously: untouched pages cost nothing), as `Network`'s:
    // the local columns, the rings, lif-delta's state and the Poisson drives' tables live there.
    let bytes = 1 << 20;
    for (const pop of this.groups) bytes += 32 * (pop.hi - pop.lo + 2);
    plan.projections.forEach((p, k) => {
      const tgt = this.pops[p.target];
      if (!tgt.group) return;
      const share = Math.ceil((init.drawn[k].synapses * (tgt.hi - tgt.lo)) / Math.max(1, tgt.size));
      // Columns and weights (a range's share is drawn at random: room for 25 % more), and a ring of its delays.
      bytes += Math.ceil(1.25 * share * 8) + 8 * (init.drawn[k].maxD + 1) * (tgt.hi - tgt.lo) + 64;
    });
    this.arena = createArena(bytes);
    this.wasm = this.arena ? deliveryKernels(this.arena.memory) : null;
    if (this.wasm) for (const pop of this.groups) pop.group!.bindArena?.(this.arena!, this.wasm);
    const arena = this.wasm ? this.arena : null;

    let synapses = 0;
    const drawn: { p: ProjectionPlan; synapses: number; csr: Csr | null; w: Float32Array | null; d: Uint16Array | null; dConst: number; maxD: number }[] = [];
    plan.projections.forEach((p, k) => {
      const x = init.drawn[k];
      const src = this.pops[p.source];
      const tgt = this.pops[p.target];
      if (!tgt.group) {
        drawn.push({ p, synapses: 0, csr: null, w: null, d: null, dConst: 0, maxD: 0 });
        return;
      }
      const n = x.synapses;
      const whole: Csr = { nSource: src.size, nTarget: tgt.size, rowPtr: new Uint32Array(x.rowPtr, 0, src.size + 1), col: new Uint32Array(x.col, 0, n) };
      const part = filterByTarget(whole, tgt.lo, tgt.hi, x.w ? new Float32Array(x.w, 0, n) : null, x.d ? new Uint16Array(x.d, 0, n) : null, arena);
      drawn.push({ p, synapses: x.synapses, csr: part.csr, w: part.w, d: part.d, dConst: x.dConst, maxD: x.maxD });
      synapses += x.synapses;
    });
    this.synapses = synapses;

    const ringOf = new Map<string, Ring>();
    const ringFor = (target: number, r: number, slots: number): Ring => {
      const key = `${target}/${r}`;
      let ring = ringOf.get(key);
      if (!ring) {
        const group = this.pops[target].group!;
        const alias = slots === 1 && !group.absorb;
        const inArena = alias ? null : (arena?.f64(slots * group.size)?.fill(0) ?? null);
        const buf = alias ? group.inputs[r] : (inArena ?? new Float64Array(slots * group.size));
        const views = alias ? [] : Array.from({ length: slots }, (_, k) => buf.subarray(k * group.size, (k + 1) * group.size));
        ring = { receptor: r, slots, buf, input: group.inputs[r], group, views, alias };
        ringOf.set(key, ring);
        this.rings.push(ring);
      }
      return ring;
    };
    const receptorOf = (target: number, receptor: string, id: string, field: string): number => {
      const rt = runtimes(plan.populations[target].kind) as NeuronRuntime;
      const r = rt.receptors.indexOf(receptor);
      if (r < 0) throw new BuildError(`Wire "${id}": the target has no receptor "${receptor}" (it has ${rt.receptors.join(', ')})`, id, field);
      return r;
    };
    for (const x of drawn) {
      const rt = runtimes(plan.populations[x.p.target].kind) as NeuronRuntime;
      const r = receptorOf(x.p.target, x.p.receptor, x.p.edgeId, 'receptor');
      const sign = rt.receptorSign[r];
      const wConst = isConstant(x.p.weight) ? sign * Math.max(0, x.p.weight) : 0;
      let ring: Ring | null = null;
      if (x.csr) {
        const need = Math.max(...drawn.filter((y) => y.csr && y.p.target === x.p.target && y.p.receptor === x.p.receptor).map((y) => y.maxD)) + 1;
        ring = ringFor(x.p.target, r, need);
        if (x.w && sign !== 1) for (let k = 0; k < x.w.length; k++) x.w[k] *= sign;
      }
      // The wasm kernels deliver a constant-delay projection whose columns (and weights) and ring are in the arena.
      const k = this.wasm;
      const there = (a: ArrayBufferView | null) => a === null || (k !== null && a.buffer === k.buffer);
      let colAt = -1;
      let wcAt = -1;
      if (k && x.csr && ring && !ring.alias && x.d === null && there(ring.buf) && there(x.csr.col) && there(x.w)) {
        const wc = arena!.f64(1);
        if (wc) {
          wc[0] = wConst;
          wcAt = wc.byteOffset;
          colAt = x.csr.col.byteOffset;
        }
      }
      this.projections.push({
        source: x.p.source, synapses: x.synapses, csr: x.csr, wConst, w: x.w, dConst: x.dConst, d: x.d, ring, events: 0,
        colAt, wAt: colAt >= 0 && x.w ? x.w.byteOffset : -1, wcAt,
      });
    }

    for (const dp of plan.drives ?? []) {
      const drt = runtimes(dp.kind);
      if (!drt || drt.role !== 'drive') throw new BuildError(`Node "${dp.nodeId}" is not a drive`, dp.nodeId);
      const target = this.pops[dp.target];
      if (roleOf(target.kind) !== 'neurons') throw new BuildError(`Wire "${dp.edgeId}": "${target.nodeId}" has no synapses to drive`, dp.edgeId);
      if (!target.group) continue;
      const receptor = dp.params[drt.receptorParam] as string;
      const r = receptorOf(dp.target, receptor, dp.edgeId, drt.receptorParam);
      const sign = (runtimes(plan.populations[dp.target].kind) as NeuronRuntime).receptorSign[r];
      const ring = ringOf.get(`${dp.target}/${r}`) ?? ringFor(dp.target, r, 1);
      const rng = () => new Rng(plan.seed, `sim/${dp.nodeId}/${target.nodeId}`);
      const n = target.hi - target.lo;
      const whole = n === target.size;
      const sliced = whole ? null : drt.create(dp.params, n, { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: rng() }, sign);
      const own = whole ? drt.create(dp.params, n, { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: rng() }, sign) : sliced!;
      // A Poisson drive into a ring in the arena draws in wasm, its table and generator beside the ring (first, so `state` below is where it lives).
      if (own instanceof PoissonDrive && this.wasm && ring.buf.buffer === this.wasm.buffer) {
        const at = arena!.alloc(own.kernelBytes(), 8);
        if (at >= 0) own.bindKernel(this.wasm, at);
      }
      const state = own instanceof PoissonDrive ? (own as unknown as { state?: unknown }).state : undefined;
      if (whole) {
        this.drives.push({ drive: own, ring, state: null, skip: null, whole: null, lo: target.lo, countEvents: true, fused: false });
      } else if (state instanceof Int32Array && state.length === 4) {
        // One 32-bit draw per neuron per step: skip the neurons before this range, then the others after each step.
        if (target.lo > 0) jump(jumpMatrix(target.lo), state);
        this.drives.push({ drive: own, ring, state, skip: jumpMatrix(target.size - n), whole: null, lo: target.lo, countEvents: true, fused: false });
      } else {
        const drive = drt.create(dp.params, target.size, { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: rng() }, sign);
        this.drives.push({ drive, ring, state: null, skip: null, whole: new Float64Array(target.size), lo: target.lo, countEvents: index === 0, fused: false });
      }
    }

    this.setUpAbsorbPairs();

    for (const m of shared.mirrors) {
      const pop = this.pops[m.population];
      const from = pop.group?.stateVar(m.variable);
      if (!from) continue;
      const mine = m.neurons.filter((i) => i >= pop.lo && i < pop.hi);
      if (mine.length > 0) this.mirrors.push({ out: new Float64Array(m.buffer), from, lo: pop.lo, neurons: Int32Array.from(mine) });
    }
  }

  /** Which fast paths this thread runs, as `Network.fastPaths`. */
  fastPaths(): { arenaBytes: number; arenaUsed: number; wasmProjections: number; fusedAbsorbs: number; fusedDrives: number } {
    return {
      arenaBytes: this.wasm ? (this.arena?.buffer.byteLength ?? 0) : 0,
      arenaUsed: this.wasm ? (this.arena?.used ?? 0) : 0,
      wasmProjections: this.projections.filter((p) => p.colAt >= 0).length,
      fusedAbsorbs: this.absorbPairs.filter((p) => p.args !== null).length,
      fusedDrives: this.absorbPairs.filter((p) => p.drive !== null).length,
    };
  }

  /**
   * As `Network.setUpAbsorbPairs`: a gated group with two rings absorbs both in
   * one pass, and when its state and rings are in the arena that pass is the
   * wasm one, drawing a sliced Poisson drive into one of them on the way (the
   * drive then jumps over the other threads' neurons, as when it fills alone).
   */
  private setUpAbsorbPairs(): void {
    const byGroup = new Map<NeuronGroup, Ring[]>();
    for (const r of this.rings) {
      if (r.alias || !r.group.absorbPair) continue;
      byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
    }
    const k = this.wasm;
    for (const [group, list] of byGroup) {
      if (list.length !== 2) continue;
      const [a, b] = list;
      this.pairedRings.add(a);
      this.pairedRings.add(b);
      const inArena = (r: Ring) => k !== null && r.buf.buffer === k.buffer;
      if (k && group.absorbPairAt && group.boundTo?.(k) && inArena(a) && inArena(b)) {
        const drives = this.drives.filter((d) => d.ring === a || d.ring === b);
        if (drives.length === 0) {
          this.absorbPairs.push({ group, a, b, drive: null, args: NO_ARGS, into: 0 });
          continue;
        }
        const only = drives.length === 1 && !drives[0].whole ? drives[0] : null;
        const args = only && only.drive instanceof PoissonDrive ? only.drive.kernelArgs(k) : null;
        if (only && args) {
          only.fused = true;
          this.absorbPairs.push({ group, a, b, drive: only, args, into: only.ring === a ? 1 : 2 });
          continue;
        }
      }
      this.absorbPairs.push({ group, a, b, drive: null, args: null, into: 0 });
    }
  }

  /** Phase A of step n: currents, update, threshold; spikes into shared memory. */
  phaseA(n: number): void {
    for (const { group, list, perNeuron, whole, lo } of this.currentTargets) {
      let c = 0;
      for (let k = 0; k < list.length; k++) c += list[k].value(n);
      if (whole) {
        whole.fill(c);
        for (let k = 0; k < perNeuron.length; k++) perNeuron[k].addCurrent!(n, whole);
        group.current.set(whole.subarray(lo, lo + group.size));
      } else {
        group.current.fill(c);
        for (let k = 0; k < perNeuron.length; k++) perNeuron[k].addCurrent!(n, group.current);
      }
    }
    for (const pop of this.groups) pop.group!.update(n);
    const T = this.threads;
    const t = this.index;
    const par = n & 1;
    const base = par * this.pops.length * T;
    for (let p = 0; p < this.pops.length; p++) {
      const pop = this.pops[p];
      if (!pop.group) continue;
      const count = pop.group.threshold(n, pop.spikes);
      pop.count = count;
      const out = pop.shared!;
      const at = par * pop.size + pop.lo;
      const lo = pop.lo;
      const spikes = pop.spikes;
      for (let k = 0; k < count; k++) out[at + k] = spikes[k] + lo;
      this.counts[base + p * T + t] = count;
    }
    for (const pop of this.sources) pop.count = pop.source!.emit(n, pop.spikes);
  }

  /** The spike count of thread `thread`'s range of population `p` in step n (after step n's barrier). */
  countOf(p: number, thread: number, n: number): number {
    return this.counts[((n & 1) * this.pops.length + p) * this.threads + thread];
  }

  /** Phase B of step n: propagation, drives, rings, reset; counters into shared memory. */
  phaseB(n: number): void {
    const T = this.threads;
    for (let k = 0; k < this.projections.length; k++) {
      const pr = this.projections[k];
      if (!pr.csr) continue;
      const pop = this.pops[pr.source];
      if (pop.source) this.propagate(pr, pop.spikes, 0, pop.count, n);
      else {
        const spikes = pop.shared!;
        const starts = pop.starts;
        const par = n & 1;
        const at = par * pop.size;
        const base = (par * this.pops.length + pr.source) * T;
        for (let t = 0; t < T; t++) {
          const count = this.counts[base + t];
          if (count > 0) this.propagate(pr, spikes, at + starts[t], count, n);
        }
      }
      this.events[k] = pr.events;
    }
    for (const d of this.drives) {
      if (d.fused) continue;
      const ring = d.ring;
      const out = ring.alias ? ring.input : ring.views[n % ring.slots];
      if (d.whole) {
        d.whole.fill(0);
        d.drive.fill(n, d.whole);
        const lo = d.lo;
        for (let j = 0; j < out.length; j++) out[j] += d.whole[lo + j];
      } else {
        d.drive.fill(n, out);
        if (d.skip) jump(d.skip, d.state!);
      }
      if (d.countEvents) this.externalEvents += d.drive.events;
    }
    for (const { group, a, b, drive, args, into } of this.absorbPairs) {
      const s = n % a.slots;
      const t = n % b.slots;
      if (args === null) group.absorbPair!(a.views[s], b.views[t]);
      else {
        const events = group.absorbPairAt!(a.views[s].byteOffset, b.views[t].byteOffset, into === 0 ? null : args, into);
        if (drive) {
          if (drive.skip) jump(drive.skip, drive.state!);
          if (drive.countEvents) this.externalEvents += events;
        }
      }
    }
    this.external[this.index] = this.externalEvents;
    for (const ring of this.rings) {
      if (ring.alias || this.pairedRings.has(ring)) continue;
      const slot = ring.views[n % ring.slots];
      if (ring.group.absorb) {
        ring.group.absorb(ring.receptor, slot);
        slot.fill(0);
        continue;
      }
      const input = ring.input;
      for (let j = 0; j < slot.length; j++) {
        const x = slot[j];
        if (x !== 0) {
          input[j] += x;
          slot[j] = 0;
        }
      }
    }
    for (const pop of this.groups) pop.group!.reset(pop.spikes, pop.count);
    for (const m of this.mirrors) for (let k = 0; k < m.neurons.length; k++) m.out[m.neurons[k]] = m.from[m.neurons[k] - m.lo];
  }

  /** Network.propagate over spikes[start, start + count) (global source indices). */
  private propagate(pr: ShardProjection, spikes: Int32Array, start: number, count: number, n: number): void {
    const { rowPtr, col } = pr.csr!;
    const ring = pr.ring!;
    const size = ring.input.length;
    const slots = ring.slots;
    const buf = ring.buf;
    const w = pr.w;
    const d = pr.d;
    const end = start + count;
    let events = 0;
    if (pr.colAt >= 0) {
      const slot = buf.byteOffset + ((n + pr.dConst) % slots) * size * 8;
      events = deliverRows(this.wasm!, rowPtr, col.BYTES_PER_ELEMENT, pr.colAt, pr.wAt, pr.wcAt, slot, spikes, start, end);
    } else if (d === null) {
      const off = ((n + pr.dConst) % slots) * size;
      if (w === null) {
        const wc = pr.wConst;
        for (let s = start; s < end; s++) {
          const i = spikes[s];
          const e = rowPtr[i + 1];
          const b = rowPtr[i];
          events += e - b;
          for (let k = b; k < e; k++) buf[off + col[k]] += wc;
        }
      } else {
        for (let s = start; s < end; s++) {
          const i = spikes[s];
          const e = rowPtr[i + 1];
          const b = rowPtr[i];
          events += e - b;
          for (let k = b; k < e; k++) buf[off + col[k]] += w[k];
        }
      }
    } else {
      const wc = pr.wConst;
      for (let s = start; s < end; s++) {
        const i = spikes[s];
        const e = rowPtr[i + 1];
        const b = rowPtr[i];
        events += e - b;
        for (let k = b; k < e; k++) {
          const off = ((n + d[k]) % slots) * size;
          buf[off + col[k]] += w === null ? wc : w[k];
        }
      }
    }
    pr.events += events;
  }
}
