/**
 * The runtime network: a plan built into typed arrays, and the step loop.
 *
 * Each step n follows Brian2's default schedule (MODELS.md §0):
 *   1. state update of every neuron group (currents of step n applied),
 *   2. threshold: groups and spike sources write their spikes of step n,
 *   3. synaptic propagation: every spike walks its CSR row; its weight lands in
 *      the target's ring buffer at slot (n + delay); then slot n is added into
 *      the receptor variables (so zero-delay spikes act in their own step),
 *      — plastic projections (sim/stdp.ts, sim/plasticity/) run their presynaptic pathway here
 *      and, after every projection's, their postsynaptic pathway,
 *   4. reset of the groups that spiked.
 * Nothing is allocated inside `step`.
 */
import type { NetworkPlan, ProjectionPlan } from '../core/plan.ts';
import type { CurrentSource, Drive, NeuronGroup, NeuronRuntime, RuntimeOf, SpikeSource } from './runtime.ts';
import { Rng } from './rng.ts';
import { buildCsr, expectedSynapses, narrowColumns, type Csr, type RuleSpec } from './connect.ts';
import { isConstant, sampler } from './dist.ts';
import type { PopulationStats, RunStats } from './stats.ts';
import { RateRecorder, SpikeRecorder, StateRecorder } from './monitors.ts';
import { deliverRows, deliveryKernels, type DeliveryKernels } from './wasm-kernels-delivery.ts';
import { createArena, type Arena } from './arena.ts';
import { PoissonDrive, type DriveKernelArgs } from './poisson-drive.ts';
import { csrFromStored } from './stored-synapses.ts';
import { WeightRecorder } from './weight-recorder.ts';
import { weightSummary, type WeightSummary } from './stdp.ts';
// --- learning (issue 5): every plasticity rule behind one interface, readouts, phases, rewards ---
import { createPlastic, heldOutByPopulation, Learning, plasticBytes, type Delivery, type PlasticSynapses } from './plasticity/index.ts';
import { stepsOf } from '../core/time.ts';

/** A population slot: either neurons or a spike source, with its spike buffer. */
interface PopSlot {
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  readonly group: NeuronGroup | null;
  readonly source: SpikeSource | null;
  readonly spikes: Int32Array;
  count: number;
  total: number;
}

/** Per (target population, receptor): the delay ring, L slots × N. */
interface Ring {
  readonly target: number;
  readonly receptor: number;
  readonly slots: number;
  /** Moved into the delivery kernels' memory after the build, when they run (`setUpWasmDelivery`). */
  buf: Float64Array;
  readonly input: Float64Array;
  readonly group: NeuronGroup;
  /** One view per slot (empty when the ring aliases the input). */
  views: Float64Array[];
  /** The single slot is the receptor variable itself. */
  readonly alias: boolean;
}

interface Projection {
  readonly edgeId: string;
  readonly source: number;
  /** Its `col` (and `w`) move into the delivery kernels' memory after the build, when they run. */
  csr: Csr;
  /** Signed constant weight, when every synapse has the same. */
  readonly wConst: number;
  w: Float32Array | null;
  readonly dConst: number;
  readonly d: Uint16Array | null;
  readonly ring: Ring;
  /** The rule of a plastic projection (its weights are `plastic.w`), else null. */
  readonly plastic: PlasticSynapses | null;
  /** The plasticity node, for a plastic projection. */
  readonly plasticNodeId?: string;
  /** Where a plastic projection's presynaptic spikes deliver. */
  readonly delivery?: Delivery;
  events: number;
  /** Byte addresses of `csr.col` and `w` in the delivery kernels' memory; −1: the JS loop delivers. */
  colAt?: number;
  wAt?: number;
  /** Byte address of `wConst` (f64) in that memory. */
  wcAt?: number;
}

/** A plastic projection's weights after (or during) a run, for reports and files. */
export interface PlasticReport extends WeightSummary {
  readonly nodeId: string;
  readonly edgeId: string;
}

interface Injection {
  readonly source: CurrentSource;
  readonly target: number;
}

/** An error about a part of the plan; carries the node or edge id for the canvas. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly nodeId: string,
    readonly field?: string,
    readonly code: 'build-failed' | 'too-big' = 'build-failed',
  ) {
    super(message);
  }
}

const BYTES_PER_SYNAPSE_INDEX = 4;

/**
 * Blocked delivery (see `propagateBlocked`): rings whose slot has at least
 * `minTargets` targets (512 kB of f64) stage each step's events by target
 * block first. Blocks of 2^`blockShift` targets (2¹⁵ f64 = 256 kB of a slot,
 * which stays in L2 and in the TLB while it is written); at most
 * `stageEvents` events staged before a flush (Int32 targets, plus Float32
 * weights when a projection has them).
 */
const blocked = { minTargets: 1 << 16, blockShift: 15, stageEvents: 1 << 21 };

/**
 * Change the blocked-delivery sizes for networks built afterwards (tests
 * compare it with the plain loop on small networks); returns the previous ones.
 */
export function configureBlockedDelivery(c: Partial<typeof blocked>): typeof blocked {
  const was = { ...blocked };
  Object.assign(blocked, c);
  return was;
}

function ruleSpecOf(p: ProjectionPlan): RuleSpec {
  return {
    rule: p.rule,
    p: p.p,
    n: p.n,
    samePopulation: p.source === p.target,
    allowAutapses: p.allowAutapses,
    allowMultapses: p.allowMultapses,
  };
}

/** Bytes the built network will hold, estimated from the plan before allocating. */
export function estimateMemory(plan: NetworkPlan, runtimes: RuntimeOf): { bytes: number; synapses: number } {
  let bytes = 0;
  let synapses = 0;
  const maxDelay = new Map<string, number>();
  for (const pop of plan.populations) {
    const rt = runtimes(pop.kind);
    const per = rt && (rt.role === 'neurons' || rt.role === 'spike-source') ? rt.bytesPerNeuron : 0;
    bytes += pop.size * (per + 4);
  }
  for (const p of plan.projections) {
    const src = plan.populations[p.source];
    const tgt = plan.populations[p.target];
    const s = p.synapses ? p.synapses.pre.length : expectedSynapses(ruleSpecOf(p), src.size, tgt.size);
    synapses += s;
    // fixed-in-degree stores u16 columns where every target index fits (connect.ts).
    const index = !p.synapses && p.rule === 'fixed-in-degree' && narrowColumns(tgt.size) ? 2 : BYTES_PER_SYNAPSE_INDEX;
    const per = p.plasticity
      ? index + 8 + plasticBytes(p.plasticity.rule).perSynapse + (isConstant(p.delayMs) ? 0 : 2)
      : index + (isConstant(p.weight) ? 0 : 4) + (isConstant(p.delayMs) ? 0 : 2);
    if (p.plasticity) bytes += (src.size + tgt.size + 1) * plasticBytes(p.plasticity.rule).perNeuron;
    // fixed-in-degree draws through a temporary index array of the same length (u16 up to 2¹⁶ sources).
    const temp = p.rule === 'fixed-in-degree' ? (src.size <= 0x10000 ? 2 : 4) : p.rule === 'fixed-total' ? 8 : 0;
    bytes += s * (per + temp) + (src.size + 1) * 4;
    const d = maxDelayMs(p.delayMs);
    const key = `${p.target}/${p.receptor}`;
    maxDelay.set(key, Math.max(maxDelay.get(key) ?? 0, stepsOf(d, plan.dtMs)));
  }
  for (const [key, d] of maxDelay) {
    const t = Number(key.split('/')[0]);
    bytes += (d + 1) * plan.populations[t].size * 8;
  }
  if (plan.populations.some((p) => p.size >= blocked.minTargets) && plan.projections.length > 0) bytes += blocked.stageEvents * 8;
  return { bytes, synapses };
}

function maxDelayMs(d: ProjectionPlan['delayMs']): number {
  if (typeof d === 'number') return d;
  switch (d.dist) {
    case 'uniform':
      return d.high;
    case 'normal':
      return d.max ?? d.mean + 6 * d.sd;
    case 'lognormal':
      return Math.exp(d.mu + 6 * d.sigma);
  }
}

/** How the host limits memory; the network is refused before allocation past it. */
export interface BuildOptions {
  /** The node kinds' runtimes (engine/kinds `runtimeOf`). */
  readonly runtimes: RuntimeOf;
  readonly memoryLimitBytes?: number;
  readonly now?: () => number;
}

export function formatBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

export class Network {
  readonly pops: PopSlot[] = [];
  readonly groups: { index: number; group: NeuronGroup }[] = [];
  readonly sources: { index: number; source: SpikeSource }[] = [];
  readonly projections: Projection[] = [];
  readonly rings: Ring[] = [];
  readonly injections: Injection[] = [];
  /** One recorder per (spike monitor, observed population). */
  readonly recorders: SpikeRecorder[] = [];
  readonly stateRecorders: StateRecorder[] = [];
  readonly rateRecorders: RateRecorder[] = [];
  /** One per weight monitor watching a plastic projection. */
  readonly weightRecorders: WeightRecorder[] = [];
  readonly drives: { drive: Drive; ring: Ring }[] = [];
  /** Projections through a plasticity node, with their target population's index. */
  readonly plasticProjections: { projection: Projection; target: number }[] = [];
  /** Input events from drives (not synapses), e.g. Brunel's external spikes. */
  externalEvents = 0;
  /** Groups that get a current this step, with their injections. */
  private readonly currentTargets: { group: NeuronGroup; list: CurrentSource[]; perNeuron: CurrentSource[] }[] = [];
  readonly nSteps: number;
  readonly dtMs: number;
  readonly synapses: number;
  readonly memoryBytes: number;
  /** Next step to run. */
  step = 0;

  constructor(readonly plan: NetworkPlan, options: BuildOptions) {
    const runtimes = options.runtimes;
    this.nSteps = plan.nSteps;
    this.dtMs = plan.dtMs;
    const est = estimateMemory(plan, runtimes);
    const limit = options.memoryLimitBytes ?? Infinity;
    if (est.bytes > limit) {
      // Blame the largest projection, or the largest population when there is none.
      const biggest = [...plan.projections].sort(
        (a, b) =>
          expectedSynapses(ruleSpecOf(b), plan.populations[b.source].size, plan.populations[b.target].size) -
          expectedSynapses(ruleSpecOf(a), plan.populations[a.source].size, plan.populations[a.target].size),
      )[0];
      const id = biggest?.edgeId ?? [...plan.populations].sort((a, b) => b.size - a.size)[0]?.nodeId ?? '';
      throw new BuildError(
        `The network needs about ${formatBytes(est.bytes)} (${Math.round(est.synapses).toLocaleString('en')} synapses), ` +
          `more than the engine's limit of ${formatBytes(limit)}. Make it smaller (largest part: "${id}").`,
        id,
        undefined,
        'too-big',
      );
    }

    const heldOut = heldOutByPopulation(plan);
    plan.populations.forEach((pop, index) => {
      const rt = runtimes(pop.kind);
      if (!rt) throw new BuildError(`Unknown node kind "${pop.kind}"`, pop.nodeId, 'kind');
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${pop.nodeId}`), heldOut: heldOut.get(index) };
      let group: NeuronGroup | null = null;
      let source: SpikeSource | null = null;
      if (rt.role === 'neurons') group = rt.create(pop.params, pop.size, ctx);
      else if (rt.role === 'spike-source') source = rt.create(pop.params, pop.size, ctx);
      else if (rt.role !== 'current-source') throw new BuildError(`Node "${pop.nodeId}" is not a population`, pop.nodeId);
      const size = rt.role === 'current-source' ? 0 : pop.size;
      this.pops.push({ nodeId: pop.nodeId, kind: pop.kind, size, group, source, spikes: new Int32Array(size), count: 0, total: 0 });
      if (group) this.groups.push({ index, group });
      if (source) this.sources.push({ index, source });
    });

    for (const inj of plan.injections) {
      const src = plan.populations[inj.source];
      const rt = runtimes(src.kind);
      if (!rt || rt.role !== 'current-source') throw new BuildError(`Node "${src.nodeId}" is not a current source`, src.nodeId);
      const tgt = plan.populations[inj.target];
      // One stream per wire, so two targets of one noise source get independent noise.
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${src.nodeId}/${tgt.nodeId}`) };
      const cs = rt.create(src.params, ctx, tgt.size);
      this.injections.push({ source: cs, target: inj.target });
    }
    for (const { index, group } of this.groups) {
      const all = this.injections.filter((i) => i.target === index).map((i) => i.source);
      if (all.length > 0) {
        (group as { hasCurrent?: boolean }).hasCurrent = true;
        this.currentTargets.push({ group, list: all.filter((s) => !s.addCurrent), perNeuron: all.filter((s) => s.addCurrent) });
      }
    }

    // One wasm memory for the whole network (sim/arena.ts), reserved generously (untouched pages cost
    // nothing): connectivity is drawn straight into it, and lif-delta groups keep their state there.
    // Only when one of those will use it; otherwise `setUpWasmDelivery` makes one of the size it needs.
    const arenaUse = this.groups.some(({ group }) => group.bindArena) || plan.projections.some((p) => !p.synapses && p.rule === 'fixed-in-degree');
    this.arena = arenaUse ? createArena(Math.ceil(est.bytes * 1.25) + (1 << 20)) : null;
    this.wasm = this.arena ? deliveryKernels(this.arena.memory) : null;
    if (this.wasm) for (const { group } of this.groups) group.bindArena?.(this.arena!, this.wasm);

    // Ring sizes: the largest delay into each (target, receptor), drawn delays included.
    let synapses = 0;
    const drawn: { p: ProjectionPlan; csr: Csr; w: Float32Array | null; w64: Float64Array | null; d: Uint16Array | null; dConst: number; maxD: number }[] = [];
    for (const p of plan.projections) {
      const src = this.pops[p.source];
      const tgt = this.pops[p.target];
      if (!tgt.group) throw new BuildError(`Wire "${p.edgeId}" targets "${tgt.nodeId}", which has no synapses`, p.edgeId);
      let csr: Csr;
      // --- stored weights (sim/stored-synapses.ts): the document's synapses replace the drawn ones.
      let stored: { csr: Csr; w: Float64Array } | null = null;
      try {
        if (p.synapses) stored = csrFromStored(p.synapses, src.size, tgt.size);
        csr = stored ? stored.csr : buildCsr(ruleSpecOf(p), src.size, tgt.size, new Rng(plan.seed, `connect/${p.edgeId}`), this.arena ?? undefined);
      } catch (e) {
        const id = p.synapses ? (p.plasticity?.nodeId ?? p.edgeId) : p.edgeId;
        throw new BuildError(`${p.synapses && p.plasticity ? 'Node' : 'Wire'} "${id}": ${(e as Error).message}`, id, p.synapses ? 'weights' : 'n');
      }
      const nSyn = csr.col.length;
      synapses += nSyn;
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
      if (isConstant(p.delayMs)) {
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
      drawn.push({ p, csr, w, w64, d, dConst, maxD });
    }
    this.synapses = synapses;

    // One ring per (target, receptor), sized by the largest delay into it.
    const ringOf = new Map<string, Ring>();
    const ringFor = (target: number, r: number, slots: number): Ring => {
      const key = `${target}/${r}`;
      let ring = ringOf.get(key);
      if (!ring) {
        const group = this.pops[target].group!;
        // With no delays and no gating the ring has one slot, and that slot is the receptor variable itself.
        const alias = slots === 1 && !group.absorb;
        const buf = alias ? group.inputs[r] : new Float64Array(slots * group.size);
        const views = alias ? [] : Array.from({ length: slots }, (_, k) => buf.subarray(k * group.size, (k + 1) * group.size));
        ring = { target, receptor: r, slots, buf, input: group.inputs[r], group, views, alias };
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
      const need = Math.max(...drawn.filter((y) => y.p.target === x.p.target && y.p.receptor === x.p.receptor).map((y) => y.maxD)) + 1;
      const ring = ringFor(x.p.target, r, need);
      const sign = rt.receptorSign[r];
      const wConst = isConstant(x.p.weight) ? sign * Math.max(0, x.p.weight) : 0;
      if (x.w && sign !== 1) for (let k = 0; k < x.w.length; k++) x.w[k] *= sign;
      let plastic: PlasticSynapses | null = null;
      let delivery: Delivery | undefined;
      if (x.p.plasticity && x.w64) {
        plastic = createPlastic(x.p.plasticity, x.csr, x.w64, plan.dtMs);
        delivery = { buf: ring.buf, size: ring.input.length, slots: ring.slots, dConst: x.dConst, d: x.d, sign };
      }
      this.projections.push({
        edgeId: x.p.edgeId, source: x.p.source, csr: x.csr, wConst, w: x.w, dConst: x.dConst, d: x.d, ring, events: 0,
        plastic, plasticNodeId: x.p.plasticity?.nodeId, delivery,
      });
      if (plastic) this.plasticProjections.push({ projection: this.projections[this.projections.length - 1], target: x.p.target });
    }

    for (const dp of plan.drives ?? []) {
      const drt = runtimes(dp.kind);
      if (!drt || drt.role !== 'drive') throw new BuildError(`Node "${dp.nodeId}" is not a drive`, dp.nodeId);
      const target = this.pops[dp.target];
      if (!target.group) throw new BuildError(`Wire "${dp.edgeId}": "${target.nodeId}" has no synapses to drive`, dp.edgeId);
      const receptor = dp.params[drt.receptorParam] as string;
      const r = receptorOf(dp.target, receptor, dp.edgeId, drt.receptorParam);
      const sign = (runtimes(plan.populations[dp.target].kind) as NeuronRuntime).receptorSign[r];
      // Rings created by projections keep their size; a drive alone needs one slot.
      const ring = ringOf.get(`${dp.target}/${r}`) ?? ringFor(dp.target, r, 1);
      const ctx = { dtMs: plan.dtMs, nSteps: plan.nSteps, rng: new Rng(plan.seed, `sim/${dp.nodeId}/${target.nodeId}`) };
      this.drives.push({ drive: drt.create(dp.params, target.size, ctx, sign), ring });
    }

    for (const m of plan.monitors) {
      const rt = runtimes(m.kind);
      if (!rt || rt.role !== 'monitor') throw new BuildError(`Node "${m.nodeId}" is not a monitor`, m.nodeId);
      // --- weight monitors (sim/weight-recorder.ts): snapshots of a plastic projection's weights.
      if (rt.records === 'weights') {
        const watched = this.plasticProjections.find((x) => x.projection.plasticNodeId === m.plasticNodeId)?.projection;
        if (watched) {
          const everySteps = Math.max(1, stepsOf(m.params.interval_ms as number, plan.dtMs));
          this.weightRecorders.push(new WeightRecorder(m.nodeId, m.plasticNodeId!, watched.csr, () => watched.plastic!.w, everySteps));
        }
        continue;
      }
      m.sources.forEach((popIndex, slot) => {
        const pop = this.pops[popIndex];
        if (rt.records === 'spikes') this.recorders.push(new SpikeRecorder(m.nodeId, slot, popIndex));
        else if (rt.records === 'rate') {
          const binSteps = Math.max(1, stepsOf(m.params.bin_ms as number, plan.dtMs));
          this.rateRecorders.push(new RateRecorder(m.nodeId, slot, popIndex, binSteps));
        } else {
          const variable = m.params.variable as string;
          const arr = pop.group?.stateVar(variable);
          if (!arr) throw new BuildError(`Monitor "${m.nodeId}", field variable: "${pop.nodeId}" has no state variable "${variable}"`, m.nodeId, 'variable');
          const wanted = (m.params.neurons as number[]).filter((i) => i < pop.size);
          const neurons = Int32Array.from(wanted.length > 0 ? wanted : [0]);
          const everySteps = Math.max(1, stepsOf(m.params.interval_ms as number, plan.dtMs));
          this.stateRecorders.push(new StateRecorder(m.nodeId, slot, popIndex, variable, neurons, everySteps, arr));
        }
      });
    }

    let mem = 0;
    for (const pop of this.pops) mem += (pop.group?.bytes ?? 0) + pop.spikes.byteLength;
    for (const pr of this.projections) mem += pr.csr.rowPtr.byteLength + pr.csr.col.byteLength + (pr.w?.byteLength ?? 0) + (pr.d?.byteLength ?? 0);
    for (const { projection: { plastic: st } } of this.plasticProjections) mem += st!.bytes;
    for (const r of this.rings) if (!r.alias) mem += r.buf.byteLength;
    mem += this.setUpBlockedDelivery();
    this.setUpWasmDelivery();
    this.setUpAbsorbPairs();
    this.memoryBytes = mem;

    // --- learning (issue 5) ---
    const plasticByNode = new Map<string, PlasticSynapses>();
    for (const { projection: pr } of this.plasticProjections) plasticByNode.set(pr.plasticNodeId!, pr.plastic!);
    const learn = new Learning(plan.learning, this, runtimes, plasticByNode, this.groups.map((g) => g.group));
    this.learn = learn.active ? learn : null;
  }

  /** Readouts, phases and rewards (issue 5), or null when the network has none. */
  readonly learn: Learning | null;

  get neurons(): number {
    let n = 0;
    for (const g of this.groups) n += g.group.size;
    return n;
  }

  /** Run one step (see the module docs for the order). */
  advance(): void {
    const n = this.step;
    this.learn?.beginStep(n);
    for (const { group, list, perNeuron } of this.currentTargets) {
      let c = 0;
      for (let k = 0; k < list.length; k++) c += list[k].value(n);
      group.current.fill(c);
      for (let k = 0; k < perNeuron.length; k++) perNeuron[k].addCurrent!(n, group.current);
    }
    for (const { group } of this.groups) group.update(n);
    for (const { index, group } of this.groups) {
      const pop = this.pops[index];
      pop.count = group.threshold(n, pop.spikes);
      pop.total += pop.count;
    }
    for (const { index, source } of this.sources) {
      const pop = this.pops[index];
      pop.count = source.emit(n, pop.spikes);
      pop.total += pop.count;
    }
    for (const rec of this.recorders) {
      const pop = this.pops[rec.population];
      rec.record(pop.spikes, pop.count, n);
    }
    for (const pr of this.projections) this.propagate(pr, n);
    // MODELS.md §4: in a step with both, presynaptic updates run before postsynaptic ones.
    for (const { projection, target } of this.plasticProjections) {
      const tgt = this.pops[target];
      if (tgt.count > 0) projection.events += projection.plastic!.post(n, tgt.spikes, tgt.count);
    }
    this.learn?.endStep(n, this.pops);
    for (const { drive, ring } of this.looseDrives) {
      drive.fill(n, ring.alias ? ring.input : ring.views[n % ring.slots]);
      this.externalEvents += drive.events;
    }
    for (const { group, a, b, fused, into } of this.absorbPairs) {
      if (fused === undefined) group.absorbPair!(a.views[n % a.slots], b.views[n % b.slots]);
      else this.externalEvents += group.absorbPairAt!(a.views[n % a.slots].byteOffset, b.views[n % b.slots].byteOffset, fused, into!);
    }
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
    for (const { index, group } of this.groups) {
      const pop = this.pops[index];
      group.reset(pop.spikes, pop.count);
    }
    for (const rec of this.stateRecorders) rec.record(n);
    for (const rec of this.weightRecorders) rec.record(n);
    for (const rec of this.rateRecorders) rec.record(this.pops[rec.population].count, n);
    this.step = n + 1;
  }

  private propagate(pr: Projection, n: number): void {
    const pop = this.pops[pr.source];
    const count = pop.count;
    if (count === 0) return;
    if (pr.plastic) {
      pr.events += pr.plastic.pre(n, pop.spikes, count, pr.delivery!);
      return;
    }
    if (pr.d === null && this.stage !== null && pr.ring.input.length >= this.blockedCfg.minTargets) {
      pr.events += this.propagateBlocked(pr, pop.spikes, count, n);
      return;
    }
    if (pr.colAt! >= 0) {
      pr.events += this.propagateWasm(pr, pop.spikes, count, n);
      return;
    }
    const { rowPtr, col } = pr.csr;
    const ring = pr.ring;
    const size = ring.input.length;
    const slots = ring.slots;
    const buf = ring.buf;
    const spikes = pop.spikes;
    const w = pr.w;
    const d = pr.d;
    let events = 0;
    if (d === null) {
      const off = ((n + pr.dConst) % slots) * size;
      if (w === null) {
        const wc = pr.wConst;
        for (let s = 0; s < count; s++) {
          const i = spikes[s];
          const end = rowPtr[i + 1];
          const start = rowPtr[i];
          events += end - start;
          for (let k = start; k < end; k++) buf[off + col[k]] += wc;
        }
      } else {
        for (let s = 0; s < count; s++) {
          const i = spikes[s];
          const end = rowPtr[i + 1];
          const start = rowPtr[i];
          events += end - start;
          for (let k = start; k < end; k++) buf[off + col[k]] += w[k];
        }
      }
    } else {
      const wc = pr.wConst;
      for (let s = 0; s < count; s++) {
        const i = spikes[s];
        const end = rowPtr[i + 1];
        const start = rowPtr[i];
        events += end - start;
        for (let k = start; k < end; k++) {
          const off = ((n + d[k]) % slots) * size;
          buf[off + col[k]] += w === null ? wc : w[k];
        }
      }
    }
    pr.events += events;
  }

  /**
   * Gated groups with two rings, absorbed in one pass (`NeuronGroup.absorbPair`); `fused` when that pass is the wasm one
   * (null: no drive in it; else the Poisson drive drawn into ring a (`into` 1) or b (2)).
   */
  private readonly absorbPairs: { group: NeuronGroup; a: Ring; b: Ring; fused?: DriveKernelArgs | null; into?: 0 | 1 | 2 }[] = [];
  private readonly pairedRings = new Set<Ring>();

  /**
   * Pair the two rings of each gated group that can absorb two slots at once
   * (lif-delta: Brunel's exc and inh rings), so V and the refractory clocks are
   * read once per step instead of twice. The pair is absorbed in ring order,
   * neuron by neuron, which is what the two separate passes compute.
   */
  private setUpAbsorbPairs(): void {
    const byGroup = new Map<NeuronGroup, Ring[]>();
    for (const r of this.rings) {
      if (r.alias || !r.group.absorbPair) continue;
      const list = byGroup.get(r.group) ?? [];
      list.push(r);
      byGroup.set(r.group, list);
    }
    const fusedDrives = new Set<Drive>();
    for (const [group, list] of byGroup) {
      if (list.length !== 2) continue;
      const [a, b] = list;
      this.pairedRings.add(a);
      this.pairedRings.add(b);
      // With the group's state and both rings in the arena, one wasm pass absorbs both slots,
      // drawing the numbers of a Poisson drive into one of them on the way (wasm-kernels-delta.ts).
      const k = this.wasm;
      const inArena = (r: Ring) => k !== null && r.buf.buffer === k.buffer;
      if (k && group.absorbPairAt && group.boundTo?.(k) && inArena(a) && inArena(b)) {
        const drives = this.drives.filter((d) => d.ring === a || d.ring === b);
        if (drives.length === 0) {
          this.absorbPairs.push({ group, a, b, fused: null, into: 0 });
          continue;
        }
        const only = drives.length === 1 ? drives[0] : null;
        const args = only && only.drive instanceof PoissonDrive ? only.drive.kernelArgs(k) : null;
        if (only && args) {
          fusedDrives.add(only.drive);
          this.absorbPairs.push({ group, a, b, fused: args, into: only.ring === a ? 1 : 2 });
          continue;
        }
      }
      this.absorbPairs.push({ group, a, b });
    }
    this.looseDrives = this.drives.filter((d) => !fusedDrives.has(d.drive));
  }

  /**
   * Which fast paths this network runs, for tests and the bench: the arena's
   * reserved and used bytes, the projections delivered by the wasm kernels, and
   * the gated groups whose absorb (and Poisson drive) runs as one wasm pass.
   */
  fastPaths(): { arenaBytes: number; arenaUsed: number; wasmProjections: number; fusedAbsorbs: number; fusedDrives: number } {
    return {
      arenaBytes: this.arena?.buffer.byteLength ?? 0,
      arenaUsed: this.arena?.used ?? 0,
      wasmProjections: this.projections.filter((p) => (p.colAt ?? -1) >= 0).length,
      fusedAbsorbs: this.absorbPairs.filter((p) => p.fused !== undefined).length,
      fusedDrives: this.absorbPairs.filter((p) => p.fused).length,
    };
  }

  /** The network's wasm memory and its kernels (null without WebAssembly, or when too big for one memory). */
  private arena: Arena | null = null;
  private wasm: DeliveryKernels | null = null;
  /** Drives not drawn inside a fused absorb pass (`setUpAbsorbPairs`). */
  private looseDrives: { drive: Drive; ring: Ring }[] = [];

  /**
   * Move the static, constant-delay projections' columns and weights, and
   * their rings, into one memory of the wasm delivery kernels. Rings that
   * alias a receptor, feed a plastic projection or are big enough for blocked
   * delivery stay where they are, and so do their projections.
   */
  private setUpWasmDelivery(): void {
    for (const pr of this.projections) {
      pr.colAt = -1;
      pr.wAt = -1;
      pr.wcAt = -1;
    }
    const plasticRings = new Set(this.plasticProjections.map((p) => p.projection.ring));
    const rings = new Set<Ring>();
    const chosen: Projection[] = [];
    for (const pr of this.projections) {
      const r = pr.ring;
      if (pr.plastic || pr.d !== null || r.alias || plasticRings.has(r) || r.input.length >= this.blockedCfg.minTargets) continue;
      chosen.push(pr);
      rings.add(r);
    }
    if (chosen.length === 0) return;
    // Poisson drives into those rings draw in wasm too, their tables beside them.
    const drives = this.drives.map((d) => d.drive).filter((d): d is PoissonDrive => d instanceof PoissonDrive);
    const driven = drives.filter((d) => this.drives.some((x) => x.drive === d && rings.has(x.ring)));
    const align8 = (x: number) => Math.ceil(x / 8) * 8;
    let bytes = 0;
    for (const r of rings) bytes += r.buf.byteLength;
    for (const d of driven) bytes += align8(d.kernelBytes());
    // Per projection: its constant weight (f64 at an 8-byte boundary, read by the kernel), columns, weights.
    const inArena = (x: ArrayBufferView) => this.wasm !== null && x.buffer === this.wasm.buffer;
    for (const pr of chosen) bytes += 16 + (inArena(pr.csr.col) ? 0 : pr.csr.col.byteLength) + (pr.w && !inArena(pr.w) ? pr.w.byteLength : 0);
    // Without the network's arena (too big for one), a memory of just this size.
    if (!this.wasm || !this.arena || this.arena.free < bytes + 64) {
      const arena = createArena(bytes + 64);
      const kernels = arena ? deliveryKernels(arena.memory) : null;
      if (!arena || !kernels) return;
      this.arena = arena;
      this.wasm = kernels;
    }
    const arena = this.arena;
    const k = this.wasm;
    for (const r of rings) {
      const size = r.input.length;
      const buf = arena.f64(r.buf.length)!;
      buf.set(r.buf);
      r.buf = buf;
      r.views = Array.from({ length: r.slots }, (_, s) => buf.subarray(s * size, (s + 1) * size));
    }
    for (const d of driven) d.bindKernel(k, arena.alloc(d.kernelBytes(), 8));
    for (const pr of chosen) {
      const wc = arena.f64(1)!;
      wc[0] = pr.wConst;
      pr.wcAt = wc.byteOffset;
      // Columns drawn straight into the arena (connect.ts) stay where they are.
      if (!inArena(pr.csr.col)) {
        const col = pr.csr.col instanceof Uint16Array ? arena.u16(pr.csr.col.length)! : arena.u32(pr.csr.col.length)!;
        col.set(pr.csr.col);
        pr.csr = { ...pr.csr, col };
      }
      pr.colAt = pr.csr.col.byteOffset;
      if (pr.w) {
        if (!inArena(pr.w)) {
          const w = arena.f32(pr.w.length)!;
          w.set(pr.w);
          pr.w = w;
        }
        pr.wAt = pr.w.byteOffset;
      }
    }
  }

  /** `propagate` for a projection in the delivery kernels' memory: one kernel call per spike. */
  private propagateWasm(pr: Projection, spikes: Int32Array, count: number, n: number): number {
    const ring = pr.ring;
    const slot = ring.buf.byteOffset + ((n + pr.dConst) % ring.slots) * ring.input.length * 8;
    return deliverRows(this.wasm!, pr.csr.rowPtr, pr.csr.col.BYTES_PER_ELEMENT, pr.colAt!, pr.wAt!, pr.wcAt!, slot, spikes, 0, count);
  }

  /** The blocked-delivery sizes when this network was built. */
  private readonly blockedCfg = { ...blocked };
  /** Staged targets and weights of blocked delivery (null: no ring is big enough). */
  private stage: Int32Array | null = null;
  private stageW: Float32Array | null = null;
  /** Per block: next free staging index, and the end of its share. */
  private blockFill = new Int32Array(0);
  private blockEnd = new Int32Array(0);

  /** Allocate the staging buffers when a ring needs blocked delivery; returns their bytes. */
  private setUpBlockedDelivery(): number {
    let maxBlocks = 0;
    let weighted = false;
    for (const pr of this.projections) {
      if (pr.plastic || pr.d !== null || pr.ring.input.length < this.blockedCfg.minTargets) continue;
      maxBlocks = Math.max(maxBlocks, Math.ceil(pr.ring.input.length / (1 << this.blockedCfg.blockShift)));
      if (pr.w !== null) weighted = true;
    }
    if (maxBlocks === 0) return 0;
    this.stage = new Int32Array(this.blockedCfg.stageEvents);
    if (weighted) this.stageW = new Float32Array(this.blockedCfg.stageEvents);
    this.blockFill = new Int32Array(maxBlocks);
    this.blockEnd = new Int32Array(maxBlocks);
    return this.stage.byteLength + (this.stageW?.byteLength ?? 0);
  }

  /**
   * Delivery into a large ring (a slot of megabytes: random writes miss every
   * cache and the TLB). Each event's target first goes to its block's share of
   * the staging buffer (sequential writes), then the blocks are added into the
   * slot one after another, so the writes of a block stay within 256 kB. A
   * stable bucketing: each target still receives its events in the order of
   * the plain loop (spike order, then synapse order), so the sums are
   * bit-identical to it. A full share flushes everything staged so far first.
   */
  private propagateBlocked(pr: Projection, spikes: Int32Array, count: number, n: number): number {
    const { rowPtr, col } = pr.csr;
    const ring = pr.ring;
    const size = ring.input.length;
    const buf = ring.buf;
    const off = ((n + pr.dConst) % ring.slots) * size;
    const stage = this.stage!;
    const w = pr.w;
    const stageW = this.stageW;
    const fill = this.blockFill;
    const end = this.blockEnd;
    const shift = this.blockedCfg.blockShift;
    const nBlocks = Math.ceil(size / (1 << shift));
    const share = Math.floor(stage.length / nBlocks);
    for (let b = 0; b < nBlocks; b++) {
      fill[b] = b * share;
      end[b] = (b + 1) * share;
    }
    let events = 0;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      const start = rowPtr[i];
      const stop = rowPtr[i + 1];
      events += stop - start;
      for (let k = start; k < stop; k++) {
        const t = col[k] | 0;
        const b = t >>> shift;
        let q = fill[b];
        if (q === end[b]) {
          this.flushBlocks(buf, off, nBlocks, share, pr.wConst, w === null ? null : stageW);
          q = fill[b];
        }
        stage[q] = t;
        if (w !== null) stageW![q] = w[k];
        fill[b] = q + 1;
      }
    }
    this.flushBlocks(buf, off, nBlocks, share, pr.wConst, w === null ? null : stageW);
    return events;
  }

  /** Add the staged events into the slot at `off`, block by block, and empty the shares. */
  private flushBlocks(buf: Float64Array, off: number, nBlocks: number, share: number, wc: number, ws: Float32Array | null): void {
    const stage = this.stage!;
    const fill = this.blockFill;
    for (let b = 0; b < nBlocks; b++) {
      const first = b * share;
      const last = fill[b];
      if (ws === null) for (let q = first; q < last; q++) buf[off + stage[q]] += wc;
      else for (let q = first; q < last; q++) buf[off + stage[q]] += ws[q];
      fill[b] = first;
    }
  }

  /** The weights of every plastic projection, summarised (MODELS.md §4 "Reported"). */
  plasticReports(): PlasticReport[] {
    return this.plasticProjections.map(({ projection: pr }) => ({
      nodeId: pr.plasticNodeId!,
      edgeId: pr.edgeId,
      ...weightSummary(pr.plastic!.w, pr.plastic!.wMax),
    }));
  }

  /** Copies of every plastic projection's weights with each synapse's two ends. */
  plasticWeights(): { nodeId: string; edgeId: string; pre: Int32Array; post: Int32Array; w: Float64Array }[] {
    return this.plasticProjections.map(({ projection: pr }) => {
      const { rowPtr, col } = pr.csr;
      const nSyn = col.length;
      const pre = new Int32Array(nSyn);
      for (let i = 0; i + 1 < rowPtr.length; i++) pre.fill(i, rowPtr[i], rowPtr[i + 1]);
      return { nodeId: pr.plasticNodeId!, edgeId: pr.edgeId, pre, post: Int32Array.from(col), w: pr.plastic!.w.slice() };
    });
  }

  /** Statistics of the steps run so far. */
  stats(buildMs: number, runMs: number): RunStats {
    const steps = this.step;
    const simulatedMs = steps * this.dtMs;
    const populations: PopulationStats[] = [];
    let neurons = 0;
    let spikes = 0;
    let sourceChannels = 0;
    let sourceSpikes = 0;
    for (const pop of this.pops) {
      if (pop.group) {
        neurons += pop.size;
        spikes += pop.total;
      } else if (pop.source) {
        sourceChannels += pop.size;
        sourceSpikes += pop.total;
      } else continue;
      populations.push({
        nodeId: pop.nodeId,
        kind: pop.kind,
        size: pop.size,
        spikes: pop.total,
        rate_hz: simulatedMs > 0 ? pop.total / (pop.size * (simulatedMs / 1000)) : 0,
      });
    }
    let events = 0;
    for (const pr of this.projections) events += pr.events;
    return {
      neurons,
      source_channels: sourceChannels,
      synapses: this.synapses,
      spikes,
      source_spikes: sourceSpikes,
      mean_rate_hz: neurons > 0 && simulatedMs > 0 ? spikes / (neurons * (simulatedMs / 1000)) : 0,
      sparsity: neurons > 0 && steps > 0 ? spikes / (neurons * steps) : 0,
      synaptic_events: events,
      external_events: this.externalEvents,
      dense_macs: this.synapses * steps,
      steps,
      dt_ms: this.dtMs,
      simulated_ms: simulatedMs,
      build_ms: buildMs,
      run_ms: runMs,
      realtime_factor: runMs > 0 ? simulatedMs / runMs : 0,
      populations,
      ...(this.plasticProjections.length > 0 ? { plastic: this.plasticReports() } : {}),
      ...(this.learn && this.learn.readouts.length > 0 ? { readouts: this.learn.stats() } : {}),
    };
  }
}
