/**
 * The build: the one place that turns a plan into populations, currents,
 * synapses, delay rings and drives. It builds a *part* of the network — a
 * range [lo, hi) of every neuron population's neurons — so the same code
 * serves the one-thread `Network` (every range whole) and a parallel shard
 * (parallel/shard.ts: a thread's ranges). What differs is handed in: where the
 * synapses come from (drawn here, or a thread's share of the coordinator's
 * draw) and how much wasm memory the part gets.
 *
 * The build is a generator ({@link Builder.steps}): it yields after the
 * populations and after every projection, reporting progress, so a host can
 * let other work (a `stop`) in between; `runBuild` runs it straight through.
 */
import type { NetworkPlan, ProjectionPlan } from '../core/plan.ts';
import { stepsOf } from '../core/time.ts';
import type { CurrentSource, Drive, NeuronGroup, NeuronRuntime, RuntimeOf, SpikeSource, DriveKernelArgs } from './runtime.ts';
import type { HeldOut } from './input-stream.ts';
import { Rng } from './rng.ts';
import { buildCsrSteps, type Csr, type RuleSpec } from './connect.ts';
import { isConstant, sampler } from './dist.ts';
import type { Arena } from './arena.ts';
import { deliveryKernels, type DeliveryKernels } from './wasm-kernels-delivery.ts';
import { PoissonDrive } from './poisson-drive.ts';
import { csrFromStored } from './stored-synapses.ts';
import { sliceParams } from '../core/per-neuron.ts';
import { createPlastic, type Delivery, type PlasticSynapses } from './plasticity/index.ts';
import { BuildError } from './build-error.ts';
import { jump, jumpMatrix, type JumpMatrix } from './parallel/jump.ts';

export { BuildCancelled, BuildError } from './build-error.ts';

/** How a build reports progress: `done` of `total` units (neurons and synapses), and what it is building. */
export type BuildProgress = (done: number, total: number, phase: string) => void;

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

/** A population: its whole size, this part's range of it, and its spikes of the current step. */
export interface PopSlot {
  readonly nodeId: string;
  readonly kind: string;
  /** The whole population's size (0 for a current source). */
  readonly size: number;
  /** This part's neurons [lo, hi) (a spike source: all its channels). */
  readonly lo: number;
  readonly hi: number;
  /** This part's neurons (null: a source, a current source, or none here). */
  readonly group: NeuronGroup | null;
  /** A spike source, whole in every part (it costs O(spikes)). */
  readonly source: SpikeSource | null;
  /** This step's spikes: part-local neuron indices, or the source's channels. */
  readonly spikes: Int32Array;
  count: number;
  total: number;
}

/** Per (target population, receptor): the delay ring, L slots × the part's neurons. */
export interface Ring {
  readonly target: number;
  readonly receptor: number;
  readonly slots: number;
  /** Moved into the delivery kernels' memory after the build when they run (`Network`). */
  buf: Float64Array;
  readonly input: Float64Array;
  readonly group: NeuronGroup;
  /** One view per slot (empty when the ring aliases the input). */
  views: Float64Array[];
  /** The single slot is the receptor variable itself. */
  readonly alias: boolean;
  /**
   * A count ring (`Network`, large rings whose synapses all carry one weight): per slot one
   * u8 or u16 count per target (slot s at s × size elements), absorbed as count × weight;
   * `buf` and `views` are then unused. Undefined: the f64 ring.
   */
  counts?: Uint8Array | Uint16Array;
  /**
   * A count ring's elements per slot (default: the part's neurons). A part of a parallel run
   * whose projections into the group are split by *source* (parallel/shard.ts) keeps counts
   * for every neuron of the population: its slots are the whole population wide, and its own
   * neurons start at {@link countLo}.
   */
  countStride?: number;
  /** Where the part's own neurons start within a count slot (default 0). */
  countLo?: number;
}

export interface Projection {
  readonly edgeId: string;
  readonly source: number;
  readonly target: number;
  /** Synapses of the whole projection (every part). */
  readonly synapses: number;
  /** The synapses into this part's neurons (columns local to it); null when it owns none. */
  csr: Csr | null;
  /** Signed constant weight, when every synapse has the same. */
  readonly wConst: number;
  w: Float32Array | null;
  readonly dConst: number;
  readonly d: Uint16Array | null;
  readonly ring: Ring | null;
  /** The rule of a plastic projection (its weights are `plastic.w`), else null. */
  readonly plastic: PlasticSynapses | null;
  /** The plasticity node, for a plastic projection. */
  readonly plasticNodeId?: string;
  /** Where a plastic projection's presynaptic spikes deliver. */
  readonly delivery?: Delivery;
  events: number;
  /** Byte addresses of `csr.col`, `w` and the f64 `wConst` in the delivery kernels' memory; colAt −1: the JS loop delivers. */
  colAt: number;
  wAt: number;
  wcAt: number;
}

/** A drive into a ring. */
export interface DriveSlot {
  readonly drive: Drive;
  readonly ring: Ring;
  /** A sliced Poisson drive: its generator state, and the jump over the other parts' neurons after each step. */
  readonly state: Int32Array | null;
  readonly skip: JumpMatrix | null;
  /** Another drive of a sliced population: runs whole into this buffer, and the part takes its slice. */
  readonly whole: Float64Array | null;
  readonly lo: number;
  /** Whether this part counts the drive's events (a whole drive counts in part 0 only). */
  readonly countEvents: boolean;
  /** Drawn inside its group's fused absorb pass, not filled on its own. */
  fused: boolean;
}

/** A group that gets a current, with its sources. */
export interface CurrentTarget {
  readonly group: NeuronGroup;
  readonly list: CurrentSource[];
  readonly perNeuron: CurrentSource[];
  /** The whole population's current, when per-neuron sources run whole for a part. */
  readonly whole: Float64Array | null;
  readonly lo: number;
}

/** A gated group's two rings, absorbed in one pass; `args` null: the JS pass, else the wasm one (drawing `drive` into ring `into`). */
export interface AbsorbPair {
  readonly group: NeuronGroup;
  readonly a: Ring;
  readonly b: Ring;
  readonly drive: DriveSlot | null;
  readonly args: DriveKernelArgs | null;
  readonly into: 0 | 1 | 2;
  /** Both rings are count rings: the bytes per count and the byte address of their two f64 weights. */
  readonly counts?: { readonly bytes: 1 | 2; readonly cw: number };
  /** The group's update absorbs the pair (`NeuronGroup.fuseCountRings`); the drive's events of the step are in this i32. */
  readonly fused?: Int32Array;
}

/** One projection's synapses as the part gets them: CSR by source, unsigned weights (null: constant), delays in steps. */
export interface PartSynapses {
  /** Synapses of the whole projection. */
  readonly synapses: number;
  readonly csr: Csr;
  /** Non-plastic drawn weights (unsigned). */
  readonly w: Float32Array | null;
  /** A plastic projection's weights. */
  readonly w64: Float64Array | null;
  readonly d: Uint16Array | null;
  readonly dConst: number;
  /** The largest delay in steps of the whole projection (sizes the rings, the same in every part). */
  readonly maxD: number;
}

/**
 * Draw a projection's synapses, weights and delays from the plan's seeded
 * streams (`connect/`, `weights/`, `delays/` + edge id), or take the stored
 * ones; into `arena` where the connect kernels can.
 */
export function drawSynapses(plan: NetworkPlan, p: ProjectionPlan, nSource: number, nTarget: number, arena: Arena | undefined): PartSynapses {
  const it = drawSynapsesSteps(plan, p, nSource, nTarget, arena);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link drawSynapses} a piece at a time: yields the synapses drawn so far
 * within a large projection (connect.ts `buildCsrSteps`, about every 10⁶).
 */
export function* drawSynapsesSteps(plan: NetworkPlan, p: ProjectionPlan, nSource: number, nTarget: number, arena: Arena | undefined): Generator<number, PartSynapses> {
  let csr: Csr;
  let stored: ReturnType<typeof csrFromStored> | null = null;
  try {
    if (p.synapses) stored = csrFromStored(p.synapses, nSource, nTarget);
    csr = stored ? stored.csr : yield* buildCsrSteps(ruleSpecOf(p), nSource, nTarget, new Rng(plan.seed, `connect/${p.edgeId}`), arena);
  } catch (e) {
    const id = p.synapses ? (p.plasticity?.nodeId ?? p.edgeId) : p.edgeId;
    throw new BuildError(`${p.synapses && p.plasticity ? 'Node' : 'Wire'} "${id}": ${(e as Error).message}`, id, p.synapses ? 'weights' : 'n');
  }
  const nSyn = csr.col.length;
  const wrng = new Rng(plan.seed, `weights/${p.edgeId}`);
  let w: Float32Array | null = null;
  let w64: Float64Array | null = null;
  if (stored) {
    if (p.plasticity) w64 = stored.w;
    else w = Float32Array.from(stored.w);
  } else if (p.plasticity) {
    // Plastic weights change per synapse, so they are stored even when they start equal.
    w64 = new Float64Array(nSyn);
    const draw = sampler(p.weight, wrng, 0);
    for (let k = 0; k < nSyn; k++) w64[k] = draw();
  } else if (!isConstant(p.weight)) {
    w = new Float32Array(nSyn);
    const draw = sampler(p.weight, wrng, 0);
    for (let k = 0; k < nSyn; k++) w[k] = draw();
  }
  let d: Uint16Array | null = null;
  let dConst = 0;
  let maxD = 0;
  if (stored?.delayMs) {
    // Stored delays, one per synapse (already in CSR order).
    const ms = stored.delayMs;
    d = new Uint16Array(nSyn);
    for (let k = 0; k < nSyn; k++) {
      const s = stepsOf(ms[k], plan.dtMs);
      if (s > 65535) throw new BuildError(`Wire "${p.edgeId}": a stored delay of ${s} steps is over the limit of 65535 steps`, p.edgeId, 'weights.delay_ms');
      d[k] = s;
      if (s > maxD) maxD = s;
    }
  } else if (isConstant(p.delayMs)) {
    dConst = stepsOf(p.delayMs, plan.dtMs);
    maxD = dConst;
  } else {
    d = new Uint16Array(nSyn);
    const draw = sampler(p.delayMs, new Rng(plan.seed, `delays/${p.edgeId}`), 0);
    for (let k = 0; k < nSyn; k++) {
      const s = stepsOf(draw(), plan.dtMs);
      if (s > 65535) throw new BuildError(`Wire "${p.edgeId}": a delay of ${s} steps is over the limit of 65535 steps`, p.edgeId, 'delay_ms');
      d[k] = s;
      if (s > maxD) maxD = s;
    }
  }
  return { synapses: nSyn, csr, w, w64, d, dConst, maxD };
}

/** What differs between the parts a build makes. */
export interface PartSpec {
  readonly plan: NetworkPlan;
  readonly runtimes: RuntimeOf;
  /** The neurons [lo, hi) of a population of `size` this part owns. */
  rangeOf(size: number): { lo: number; hi: number };
  /** Held-out samples per encoder population (a readout's test phase). */
  readonly heldOut?: ReadonlyMap<number, HeldOut>;
  /** The wasm memory for the part, given its groups; null: none (yet). */
  arenaFor(groups: readonly NeuronGroup[]): Arena | null;
  /** Whether the rings go into the arena as they are made (else `Network` moves the ones it delivers in wasm later). */
  readonly ringsInArena: boolean;
  /**
   * Projection k's synapses into this part's neurons [lo, hi) of its target; `arena` and `wasm` as the part has them.
   * A generator yields the synapses drawn so far within the projection (the build reports them and yields too).
   */
  synapsesOf(k: number, p: ProjectionPlan, source: PopSlot, target: PopSlot, arena: Arena | null, wasm: DeliveryKernels | null): PartSynapses | Generator<number, PartSynapses>;
  /** Expected synapses of projection k (the progress total). */
  expectedSynapses(k: number): number;
  /** Part 0 counts the events of drives that every part runs whole. */
  readonly first: boolean;
  readonly progress?: BuildProgress;
}

/**
 * Milliseconds for profiles: the host's `performance.now` where it has one (Node, browsers, workers;
 * the engine core's types have no `performance`), else `Date.now`.
 */
export const wallMs: () => number = (() => {
  const p = (globalThis as { performance?: { now(): number } }).performance;
  return p ? () => p.now() : Date.now;
})();

/** Adds wall time to named phases, only between `start` and `stop` (never across a build's yields). */
export class PhaseClock {
  readonly ms: Record<string, number> = {};
  private phase = '';
  private t0 = 0;
  start(phase: string): void {
    this.stop();
    this.phase = phase;
    this.t0 = wallMs();
  }
  stop(): void {
    if (this.phase) this.ms[this.phase] = (this.ms[this.phase] ?? 0) + wallMs() - this.t0;
    this.phase = '';
  }
}

/** A built part: every structure the steppers run. */
export interface Built {
  readonly pops: PopSlot[];
  readonly currents: CurrentTarget[];
  readonly projections: Projection[];
  readonly rings: Ring[];
  readonly drives: DriveSlot[];
  readonly arena: Arena | null;
  readonly wasm: DeliveryKernels | null;
  /** Synapses of the whole network. */
  readonly synapses: number;
  /** Wall time per build phase (populations, synapses, rings, drives). */
  readonly clock: PhaseClock;
}

/** Builds one part of a network; {@link steps} yields between pieces of work. */
export class Builder {
  result: Built | null = null;
  constructor(private readonly spec: PartSpec) {}

  *steps(): Generator<void, Built> {
    const s = this.spec;
    const { plan, runtimes } = s;
    let total = 0;
    for (const pop of plan.populations) total += pop.size;
    plan.projections.forEach((_, k) => (total += s.expectedSynapses(k)));
    let done = 0;
    const report = (phase: string) => s.progress?.(Math.min(done, total), total, phase);
    report('populations');
    const clock = new PhaseClock();
    clock.start('populations');

    const pops = this.populations();
    for (const pop of plan.populations) done += pop.size;
    const groups = pops.filter((p) => p.group).map((p) => p.group!);
    const currents = this.currents(pops);
    const arena = s.arenaFor(groups);
    const wasm = arena ? deliveryKernels(arena.memory) : null;
    if (wasm) for (const g of groups) g.bindArena?.(arena!, wasm);
    report('synapses');
    clock.stop();
    yield;

    let synapses = 0;
    const drawn: (PartSynapses | null)[] = [];
    for (let k = 0; k < plan.projections.length; k++) {
      const p = plan.projections[k];
      const src = pops[p.source];
      const tgt = pops[p.target];
      if (runtimes(plan.populations[p.target].kind)?.role !== 'neurons') throw new BuildError(`Wire "${p.edgeId}" targets "${tgt.nodeId}", which has no synapses`, p.edgeId);
      clock.start('synapses');
      const expected = s.expectedSynapses(k);
      let x: PartSynapses | null = null;
      if (tgt.group) {
        const got = s.synapsesOf(k, p, src, tgt, arena, wasm);
        if (isGenerator(got)) {
          // Within a large projection: report (never past this projection's share) and let the host in.
          for (;;) {
            const r = got.next();
            if (r.done) {
              x = r.value;
              break;
            }
            s.progress?.(Math.min(done + Math.min(r.value, expected), total), total, 'synapses');
            clock.stop();
            yield;
            clock.start('synapses');
          }
        } else x = got;
      }
      drawn.push(x);
      if (x) synapses += x.synapses;
      done += expected;
      report('synapses');
      clock.stop();
      yield;
    }

    clock.start('rings');
    const rings = new RingSet(plan, runtimes, pops, s.ringsInArena && wasm ? arena : null);
    const projections = plan.projections.map((p, k) => this.wire(p, drawn, k, rings, wasm, arena));
    clock.start('drives');
    const drives = this.drives(pops, rings, wasm, arena);
    clock.stop();
    report('done');
    this.result = { pops, currents, projections, rings: rings.list, drives, arena, wasm, synapses, clock };
    return this.result;
  }

  private populations(): PopSlot[] {
    const { plan, runtimes, heldOut } = this.spec;
    return plan.populations.map((pop, index) => {
      const rt = runtimes(pop.kind);
      if (!rt) throw new BuildError(`Unknown node kind "${pop.kind}"`, pop.nodeId, 'kind');
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${pop.nodeId}`), heldOut: heldOut?.get(index) };
      let group: NeuronGroup | null = null;
      let source: SpikeSource | null = null;
      let lo = 0;
      let hi = 0;
      if (rt.role === 'neurons') {
        ({ lo, hi } = this.spec.rangeOf(pop.size));
        if (hi > lo || hi - lo === pop.size) {
          // Initial state is drawn for the whole population from the node's stream, then sliced.
          const whole = rt.create(pop.params, pop.size, ctx);
          if (hi - lo === pop.size) group = whole;
          else {
            group = rt.create(sliceParams(pop.params, lo, hi), hi - lo, { ...ctx, rng: new Rng(plan.seed, `sim/${pop.nodeId}/unused`) });
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
      const size = rt.role === 'current-source' ? 0 : pop.size;
      return { nodeId: pop.nodeId, kind: pop.kind, size, lo, hi, group, source, spikes: new Int32Array(source ? size : hi - lo), count: 0, total: 0 };
    });
  }

  /** Current sources run whole in every part (a uniform one costs one value per step). */
  private currents(pops: readonly PopSlot[]): CurrentTarget[] {
    const { plan, runtimes } = this.spec;
    const injections: { source: CurrentSource; target: number }[] = [];
    for (const inj of plan.injections) {
      const src = plan.populations[inj.source];
      const rt = runtimes(src.kind);
      if (!rt || rt.role !== 'current-source') throw new BuildError(`Node "${src.nodeId}" is not a current source`, src.nodeId);
      if (!pops[inj.target].group) continue;
      const tgt = plan.populations[inj.target];
      // One stream per wire, so two targets of one noise source get independent noise.
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${src.nodeId}/${tgt.nodeId}`) };
      injections.push({ source: rt.create(src.params, ctx, tgt.size), target: inj.target });
    }
    const out: CurrentTarget[] = [];
    pops.forEach((pop, p) => {
      const group = pop.group;
      const all = injections.filter((i) => i.target === p).map((i) => i.source);
      if (!group || all.length === 0) return;
      (group as { hasCurrent?: boolean }).hasCurrent = true;
      const perNeuron = all.filter((x) => x.addCurrent);
      const whole = perNeuron.length > 0 && group.size !== pop.size ? new Float64Array(pop.size) : null;
      out.push({ group, list: all.filter((x) => !x.addCurrent), perNeuron, whole, lo: pop.lo });
    });
    return out;
  }

  /** Projection k into its ring: signed weights, its plasticity, and whether the wasm kernels deliver it. */
  private wire(p: ProjectionPlan, drawn: readonly (PartSynapses | null)[], k: number, rings: RingSet, wasm: DeliveryKernels | null, arena: Arena | null): Projection {
    const { plan } = this.spec;
    const x = drawn[k];
    const r = rings.receptorOf(p.target, p.receptor, p.edgeId, 'receptor');
    const sign = rings.signOf(p.target, r);
    const wConst = isConstant(p.weight) ? sign * Math.max(0, p.weight) : 0;
    let ring: Ring | null = null;
    let plastic: PlasticSynapses | null = null;
    let delivery: Delivery | undefined;
    if (x) {
      let need = 0;
      plan.projections.forEach((q, j) => {
        const y = drawn[j];
        if (y && q.target === p.target && q.receptor === p.receptor) need = Math.max(need, y.maxD);
      });
      ring = rings.ringFor(p.target, r, need + 1);
      if (x.w && sign !== 1) for (let i = 0; i < x.w.length; i++) x.w[i] *= sign;
      if (p.plasticity && x.w64) {
        plastic = createPlastic(p.plasticity, this.spec.runtimes, x.csr, x.w64, plan.dtMs);
        delivery = { buf: ring.buf, size: ring.input.length, slots: ring.slots, dConst: x.dConst, d: x.d, sign };
      }
    }
    // The wasm kernels deliver a constant-delay projection whose columns (and weights) and ring are in the arena.
    const there = (a: ArrayBufferView | null) => a === null || (wasm !== null && a.buffer === wasm.buffer);
    let colAt = -1;
    let wcAt = -1;
    if (wasm && x && ring && !plastic && !ring.alias && x.d === null && there(ring.buf) && there(x.csr.col) && there(x.w)) {
      const wc = arena!.f64(1);
      if (wc) {
        wc[0] = wConst;
        wcAt = wc.byteOffset;
        colAt = x.csr.col.byteOffset;
      }
    }
    return {
      edgeId: p.edgeId,
      source: p.source,
      target: p.target,
      synapses: x?.synapses ?? 0,
      csr: x?.csr ?? null,
      wConst,
      w: x?.w ?? null,
      dConst: x?.dConst ?? 0,
      d: x?.d ?? null,
      ring,
      plastic,
      plasticNodeId: p.plasticity?.nodeId,
      delivery,
      events: 0,
      colAt,
      wAt: colAt >= 0 && x?.w ? x.w.byteOffset : -1,
      wcAt,
    };
  }

  /**
   * Drives: whole in a part that owns the whole population; a Poisson drive of
   * a sliced one jumps its generator over the other parts' neurons (./parallel/jump.ts);
   * any other drive runs whole and the part takes its slice.
   */
  private drives(pops: readonly PopSlot[], rings: RingSet, wasm: DeliveryKernels | null, arena: Arena | null): DriveSlot[] {
    const { plan, runtimes } = this.spec;
    const out: DriveSlot[] = [];
    for (const dp of plan.drives ?? []) {
      const drt = runtimes(dp.kind);
      if (!drt || drt.role !== 'drive') throw new BuildError(`Node "${dp.nodeId}" is not a drive`, dp.nodeId);
      const target = pops[dp.target];
      if (runtimes(target.kind)?.role !== 'neurons') throw new BuildError(`Wire "${dp.edgeId}": "${target.nodeId}" has no synapses to drive`, dp.edgeId);
      if (!target.group) continue;
      const receptor = dp.params[drt.receptorParam] as string;
      const r = rings.receptorOf(dp.target, receptor, dp.edgeId, drt.receptorParam);
      const sign = rings.signOf(dp.target, r);
      // Rings created by projections keep their size; a drive alone needs one slot.
      const ring = rings.existing(dp.target, r) ?? rings.ringFor(dp.target, r, 1);
      const ctx = () => ({ dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${dp.nodeId}/${target.nodeId}`) });
      const n = target.hi - target.lo;
      const own = drt.create(dp.params, n, ctx(), sign);
      // A Poisson drive into a ring in the arena draws in wasm, its table and generator beside the ring (first, so `state` below is where it lives).
      if (own instanceof PoissonDrive && wasm && ring.buf.buffer === wasm.buffer) {
        const at = arena!.alloc(own.kernelBytes(), 8);
        if (at >= 0) own.bindKernel(wasm, at);
      }
      const state = own instanceof PoissonDrive ? (own as unknown as { state?: unknown }).state : undefined;
      const base = { ring, lo: target.lo, fused: false };
      if (n === target.size) out.push({ ...base, drive: own, state: null, skip: null, whole: null, countEvents: true });
      else if (state instanceof Int32Array && state.length === 4) {
        // One 32-bit draw per neuron per step: skip the neurons before this range, then the others after each step.
        if (target.lo > 0) jump(jumpMatrix(target.lo), state);
        out.push({ ...base, drive: own, state, skip: jumpMatrix(target.size - n), whole: null, countEvents: true });
      } else {
        const drive = drt.create(dp.params, target.size, ctx(), sign);
        out.push({ ...base, drive, state: null, skip: null, whole: new Float64Array(target.size), countEvents: this.spec.first });
      }
    }
    return out;
  }
}

function isGenerator<T>(x: T | Generator<number, T>): x is Generator<number, T> {
  return typeof (x as { next?: unknown }).next === 'function';
}

/** Run a build straight through. */
export function runBuild(spec: PartSpec): Built {
  const it = new Builder(spec).steps();
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/** The rings of a part, one per (target, receptor), and the targets' receptors. */
class RingSet {
  readonly list: Ring[] = [];
  private readonly byKey = new Map<string, Ring>();
  constructor(
    private readonly plan: NetworkPlan,
    private readonly runtimes: RuntimeOf,
    private readonly pops: readonly PopSlot[],
    private readonly arena: Arena | null,
  ) {}

  private neurons(target: number): NeuronRuntime {
    return this.runtimes(this.plan.populations[target].kind) as NeuronRuntime;
  }

  receptorOf(target: number, receptor: string, id: string, field: string): number {
    const rt = this.neurons(target);
    const r = rt.receptors.indexOf(receptor);
    if (r < 0) throw new BuildError(`Wire "${id}": the target has no receptor "${receptor}" (it has ${rt.receptors.join(', ')})`, id, field);
    return r;
  }

  signOf(target: number, r: number): number {
    return this.neurons(target).receptorSign[r];
  }

  existing(target: number, r: number): Ring | undefined {
    return this.byKey.get(`${target}/${r}`);
  }

  ringFor(target: number, r: number, slots: number): Ring {
    const key = `${target}/${r}`;
    let ring = this.byKey.get(key);
    if (!ring) {
      const group = this.pops[target].group!;
      // With no delays and no gating the ring has one slot, and that slot is the receptor variable itself.
      const alias = slots === 1 && !group.absorb;
      const inArena = alias ? null : (this.arena?.f64Zero(slots * group.size) ?? null);
      const buf = alias ? group.inputs[r] : (inArena ?? new Float64Array(slots * group.size));
      const views = alias ? [] : Array.from({ length: slots }, (_, k) => buf.subarray(k * group.size, (k + 1) * group.size));
      ring = { target, receptor: r, slots, buf, input: group.inputs[r], group, views, alias };
      this.byKey.set(key, ring);
      this.list.push(ring);
    }
    return ring;
  }
}
