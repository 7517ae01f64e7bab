/**
 * The one-thread network: a plan built (./build.ts, every population whole)
 * and stepped through the schedule of ./schedule.ts — currents, update,
 * threshold, synapses, drives, absorb, reset, monitors (Brian2's order,
 * MODELS.md §0). Beyond the shared stepper it runs what only one thread does:
 * plastic projections (sim/stdp.ts, sim/plasticity/: their presynaptic
 * pathway in the synapses phase and, after every projection's, their
 * postsynaptic one), readouts and rewards, blocked delivery into huge rings,
 * and the monitors. Nothing is allocated inside a step.
 */
import type { MonitorPlan, NetworkPlan, ProjectionPlan } from '../core/plan.ts';
import type { RuntimeOf, NeuronGroup, SpikeSource } from './runtime.ts';
import { expectedSynapses, narrowColumns, type Csr } from './connect.ts';
import { isConstant } from './dist.ts';
import { runStats, type RunProfile, type RunStats } from './stats.ts';
import { RateRecorder, SpikeRecorder, StateRecorder } from './monitors.ts';
import { createArena } from './arena.ts';
import { deliveryKernels } from './wasm-kernels-delivery.ts';
import { PoissonDrive } from './poisson-drive.ts';
import { WeightRecorder } from './weight-recorder.ts';
import { weightSummary, type WeightSummary } from './stdp.ts';
import { stepsOf } from '../core/time.ts';
import { BuildCancelled, BuildError } from './build-error.ts';
import { Builder, drawSynapsesSteps, ruleSpecOf, runBuild, wallMs, type Built, type BuildProgress, type PartSpec, type Projection, type Ring } from './build.ts';
import { READ_AHEAD_MIN_BYTES, readRows, SCHEDULE, Stepper } from './schedule.ts';
// --- learning (issue 5): every plasticity rule behind one interface, readouts, phases, rewards ---
import { heldOutByPopulation, Learning, plasticityRuntime, type PlasticSynapses } from './plasticity/index.ts';

export { BuildCancelled, BuildError } from './build-error.ts';

/** A plastic projection's weights after (or during) a run, for reports and files. */
export interface PlasticReport extends WeightSummary {
  readonly nodeId: string;
  readonly edgeId: string;
}

const BYTES_PER_SYNAPSE_INDEX = 4;

/**
 * Blocked delivery (see `propagateBlocked`), by default: rings whose slot has at least
 * `minTargets` targets (512 kB of f64) stage each step's events by target
 * block first. Blocks of 2^`blockShift` targets (2¹⁵ f64 = 256 kB of a slot,
 * which stays in L2 and in the TLB while it is written); at most
 * `stageEvents` events staged before a flush (Int32 targets, plus Float32
 * weights when a projection has them).
 */
const BLOCKED_DELIVERY: BlockedDelivery = { minTargets: 1 << 16, blockShift: 15, stageEvents: 1 << 21 };

/**
 * Count rings (see `setUpCountRings`), by default for groups of at least this many
 * neurons: where the f64 slot (512 kB and more) no longer stays in the core's cache.
 */
export const COUNT_RINGS_MIN_TARGETS = 1 << 16;

/** The sizes of blocked delivery (see `propagateBlocked`). */
export interface BlockedDelivery {
  readonly minTargets: number;
  readonly blockShift: number;
  readonly stageEvents: number;
}

/** Bytes the built network will hold, estimated from the plan before allocating. */
export function estimateMemory(plan: NetworkPlan, runtimes: RuntimeOf, blocked: BlockedDelivery = BLOCKED_DELIVERY): { bytes: number; synapses: number } {
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
    const rule = p.plasticity ? plasticityRuntime(p.plasticity, runtimes) : null;
    const per = rule ? index + 8 + rule.bytesPerSynapse + (isConstant(p.delayMs) ? 0 : 2) : index + (isConstant(p.weight) ? 0 : 4) + (isConstant(p.delayMs) ? 0 : 2);
    if (rule) bytes += (src.size + tgt.size + 1) * rule.bytesPerNeuron;
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
  /** Called as the build goes (./build.ts); `Network.build` calls it at most once per piece of work. */
  readonly progress?: BuildProgress;
  /** Other sizes for blocked delivery (tests compare it with the plain loop on small networks). */
  readonly blockedDelivery?: Partial<BlockedDelivery>;
  /**
   * The smallest group whose rings may become count rings (`Stepper.setUpCountRings`;
   * default 65 536; tests lower it to compare the two paths on small networks, Infinity: never).
   */
  readonly countRingsMinTargets?: number;
  /** Read the rows of static projections whose columns take at least this many bytes ahead of each step's delivery (`readRowsAhead`; default `READ_AHEAD_MIN_BYTES`, Infinity: never). */
  readonly readAheadMinBytes?: number;
  /**
   * Time every build phase and every phase of every step, for `stats().profile`
   * (two clock reads per phase and step; off, `advance` runs the schedule untimed).
   */
  readonly profile?: boolean;
  readonly now?: () => number;
}

export function formatBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

/**
 * The recorders of `plan`'s spike, rate and state monitors (state monitors read
 * the array `stateOf` gives), and the weight monitors, for the caller to attach.
 */
export function recordersOf(
  plan: NetworkPlan,
  runtimes: RuntimeOf,
  stateOf: (population: number, variable: string) => Float64Array | undefined,
): { recorders: SpikeRecorder[]; stateRecorders: StateRecorder[]; rateRecorders: RateRecorder[]; weightMonitors: MonitorPlan[] } {
  const out = { recorders: [] as SpikeRecorder[], stateRecorders: [] as StateRecorder[], rateRecorders: [] as RateRecorder[], weightMonitors: [] as MonitorPlan[] };
  for (const m of plan.monitors) {
    const rt = runtimes(m.kind);
    if (!rt || rt.role !== 'monitor') throw new BuildError(`Node "${m.nodeId}" is not a monitor`, m.nodeId);
    if (rt.records === 'weights') {
      out.weightMonitors.push(m);
      continue;
    }
    m.sources.forEach((popIndex, slot) => {
      const pop = plan.populations[popIndex];
      if (rt.records === 'spikes') out.recorders.push(new SpikeRecorder(m.nodeId, slot, popIndex));
      else if (rt.records === 'rate') {
        const binSteps = Math.max(1, stepsOf(m.params.bin_ms as number, plan.dtMs));
        out.rateRecorders.push(new RateRecorder(m.nodeId, slot, popIndex, binSteps));
      } else {
        const variable = m.params.variable as string;
        const arr = stateOf(popIndex, variable);
        if (!arr) throw new BuildError(`Monitor "${m.nodeId}", field variable: "${pop.nodeId}" has no state variable "${variable}"`, m.nodeId, 'variable');
        const wanted = (m.params.neurons as number[]).filter((i) => i < pop.size);
        const neurons = Int32Array.from(wanted.length > 0 ? wanted : [0]);
        const everySteps = Math.max(1, stepsOf(m.params.interval_ms as number, plan.dtMs));
        out.stateRecorders.push(new StateRecorder(m.nodeId, slot, popIndex, variable, neurons, everySteps, arr));
      }
    });
  }
  return out;
}

/** How `Network` builds its one part: every population whole, synapses drawn here. */
function wholeSpec(plan: NetworkPlan, options: BuildOptions, est: { bytes: number }): PartSpec {
  const runtimes = options.runtimes;
  const sizeOf = (i: number) => (runtimes(plan.populations[i].kind)?.role === 'current-source' ? 0 : plan.populations[i].size);
  return {
    plan,
    runtimes,
    first: true,
    // Rings are made in the arena (no copy later; `setUpWasmDelivery` moves only what is elsewhere).
    ringsInArena: true,
    progress: options.progress,
    heldOut: heldOutByPopulation(plan),
    rangeOf: (size) => ({ lo: 0, hi: size }),
    // One wasm memory for the whole network (sim/arena.ts), reserved generously (untouched pages cost
    // nothing): connectivity is drawn straight into it, and lif-delta groups keep their state there.
    // Only when one of those will use it; otherwise `setUpWasmDelivery` makes one of the size it needs.
    arenaFor: (groups) => (groups.some((g) => g.bindArena) || plan.projections.some((p) => !p.synapses && p.rule === 'fixed-in-degree') ? createArena(Math.ceil(est.bytes * 1.25) + (1 << 20)) : null),
    synapsesOf: (_k, p, src, tgt, arena) => drawSynapsesSteps(plan, p, src.size, tgt.size, arena ?? undefined),
    expectedSynapses: (k) => {
      const p = plan.projections[k];
      return p.synapses ? p.synapses.pre.length : expectedSynapses(ruleSpecOf(p), sizeOf(p.source), sizeOf(p.target));
    },
  };
}

/** Refuse a plan whose estimate is over the host's limit, naming its largest part. */
function checkMemory(plan: NetworkPlan, est: { bytes: number; synapses: number }, limit: number): void {
  if (est.bytes <= limit) return;
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

export class Network extends Stepper {
  /** Every projection, whole: its synapses and ring are always here. */
  declare readonly projections: (Projection & { csr: Csr; readonly ring: Ring })[];
  /** One recorder per (spike monitor, observed population). */
  readonly recorders: SpikeRecorder[] = [];
  readonly stateRecorders: StateRecorder[] = [];
  readonly rateRecorders: RateRecorder[] = [];
  /** One per weight monitor watching a plastic projection. */
  readonly weightRecorders: WeightRecorder[] = [];
  /** Projections through a plasticity node, with their target population's index. */
  readonly plasticProjections: { projection: Projection; target: number }[] = [];
  /** Static projections from neurons with large columns, whose rows the step reads ahead of its delivery (`readRowsAhead`). */
  private readonly ahead: readonly (Projection & { csr: Csr })[];
  private aheadSink = 0;
  readonly nSteps: number;
  readonly dtMs: number;
  readonly memoryBytes: number;
  /** Next step to run. */
  step = 0;
  /** Readouts, phases and rewards (issue 5), or null when the network has none. */
  readonly learn: Learning | null;

  /**
   * Build `plan` (throws BuildError on a bad or too-big plan). `built`: the
   * result of a build already run ({@link Network.build}).
   */
  constructor(
    readonly plan: NetworkPlan,
    options: BuildOptions,
    built?: Built,
  ) {
    const blocked = { ...BLOCKED_DELIVERY, ...options.blockedDelivery };
    const est = estimateMemory(plan, options.runtimes, blocked);
    if (!built) checkMemory(plan, est, options.memoryLimitBytes ?? Infinity);
    super(built ?? runBuild(wholeSpec(plan, options, est)));
    const clock = this.buildClock;
    clock.start('setup');
    this.nSteps = plan.nSteps;
    this.dtMs = plan.dtMs;
    this.blockedCfg = blocked;
    for (const pr of this.projections) if (pr.plastic) this.plasticProjections.push({ projection: pr, target: pr.target });
    this.monitorsOf(plan, options.runtimes);

    let mem = 0;
    for (const pop of this.pops) mem += (pop.group?.bytes ?? 0) + pop.spikes.byteLength;
    for (const pr of this.projections) mem += pr.csr!.rowPtr.byteLength + pr.csr!.col.byteLength + (pr.w?.byteLength ?? 0) + (pr.d?.byteLength ?? 0);
    for (const {
      projection: { plastic: st },
    } of this.plasticProjections)
      mem += st!.bytes;
    this.setUpWasmDelivery();
    mem += this.setUpBlockedDelivery();
    this.setUpCountRings(plan.projections, options.countRingsMinTargets ?? COUNT_RINGS_MIN_TARGETS);
    for (const r of this.rings) if (!r.alias) mem += r.counts?.byteLength ?? r.buf.byteLength;
    this.setUpAbsorbPairs();
    this.fuseCountAbsorbs();
    this.ahead = this.projections.filter((pr) => !pr.plastic && !this.pops[pr.source].source && !pr.ring.counts && pr.csr.col.byteLength >= (options.readAheadMinBytes ?? READ_AHEAD_MIN_BYTES));
    this.memoryBytes = mem;

    // --- learning (issue 5) ---
    const plasticByNode = new Map<string, PlasticSynapses>();
    for (const { projection: pr } of this.plasticProjections) plasticByNode.set(pr.plasticNodeId!, pr.plastic!);
    const learn = new Learning(
      plan.learning,
      this,
      options.runtimes,
      plasticByNode,
      this.groupPops.map((p) => p.group!),
    );
    this.learn = learn.active ? learn : null;
    if (plan.sameStepDelivery) this.sameStepSetUp(plan);
    clock.stop();
    if (options.profile) this.phaseMs = new Float64Array(SCHEDULE.length);
  }

  /** Wall time per step phase when profiling (null: off). */
  private phaseMs: Float64Array | null = null;

  /**
   * Build `plan` a piece at a time: after the populations and after each
   * projection, report progress and `pause()` (a host lets its messages in);
   * when `cancelled()` then holds, reject with {@link BuildCancelled}.
   */
  static async build(plan: NetworkPlan, options: BuildOptions, pause: () => Promise<void>, cancelled: () => boolean): Promise<Network> {
    const est = estimateMemory(plan, options.runtimes, { ...BLOCKED_DELIVERY, ...options.blockedDelivery });
    checkMemory(plan, est, options.memoryLimitBytes ?? Infinity);
    const it = new Builder(wholeSpec(plan, options, est)).steps();
    for (;;) {
      const r = it.next();
      if (r.done) return new Network(plan, options, r.value);
      await pause();
      if (cancelled()) throw new BuildCancelled();
    }
  }

  /** The neuron groups with their population's index. */
  get groups(): { index: number; group: NeuronGroup }[] {
    return this.groupPops.map((p) => ({ index: this.pops.indexOf(p), group: p.group! }));
  }

  /** The spike sources with their population's index. */
  get sources(): { index: number; source: SpikeSource }[] {
    return this.sourcePops.map((p) => ({ index: this.pops.indexOf(p), source: p.source! }));
  }

  get neurons(): number {
    let n = 0;
    for (const p of this.groupPops) n += p.group!.size;
    return n;
  }

  private monitorsOf(plan: NetworkPlan, runtimes: RuntimeOf): void {
    const r = recordersOf(plan, runtimes, (p, variable) => this.pops[p].group?.stateVar(variable));
    this.recorders.push(...r.recorders);
    this.stateRecorders.push(...r.stateRecorders);
    this.rateRecorders.push(...r.rateRecorders);
    // --- weight monitors (sim/weight-recorder.ts): snapshots of a plastic projection's weights.
    for (const m of r.weightMonitors) {
      const watched = this.plasticProjections.find((x) => x.projection.plasticNodeId === m.plasticNodeId)?.projection;
      if (!watched) continue;
      const everySteps = Math.max(1, stepsOf(m.params.interval_ms as number, plan.dtMs));
      this.weightRecorders.push(new WeightRecorder(m.nodeId, m.plasticNodeId!, watched.csr!, () => watched.plastic!.w, everySteps));
    }
  }

  /** Same-step delivery (schedule.ts `stepInGraphOrder`): one thread, no plasticity or learning. */
  private sameStepSetUp(plan: NetworkPlan): void {
    const plastic = this.plasticProjections[0]?.projection.edgeId ?? (this.learn ? (plan.learning?.readouts?.[0]?.nodeId ?? '') : null);
    if (plastic !== null)
      throw new BuildError(
        `Same-step delivery (simulation setting same_step_delivery) runs networks without plasticity or learning; "${plastic}" has them. Turn the setting off in the simulation settings.`,
        plastic,
        'same_step_delivery',
      );
    this.useGraphOrder();
  }

  /** Run one step: every phase of the schedule (./schedule.ts), or the graph order of same-step delivery (untimed by `profile`). */
  advance(): void {
    const acc = this.phaseMs;
    if (this.sameStepDelivery) {
      const n = this.step;
      this.stepInGraphOrder(n, (pr) => this.propagate(pr, n));
      this.recordSpikes(n);
    } else if (acc === null) this.run(this.step, 0, SCHEDULE.length);
    else {
      let t = wallMs();
      for (let k = 0; k < SCHEDULE.length; k++) {
        this.phases[k](this.step);
        const now = wallMs();
        acc[k] += now - t;
        t = now;
      }
    }
    this.step++;
  }

  /** Where the time went (null unless built with `profile`). */
  profile(): RunProfile | null {
    const acc = this.phaseMs;
    if (acc === null) return null;
    const run: Record<string, number> = {};
    SCHEDULE.forEach((name, k) => (run[name] = acc[k]));
    const blockedProjections = this.stage === null ? 0 : this.projections.filter((p) => !p.plastic && p.colAt < 0 && p.d === null && p.ring!.input.length >= this.blockedCfg.minTargets).length;
    return {
      build_ms: { ...this.buildClock.ms },
      run_ms: run,
      paths: { ...this.fastPaths(), blockedProjections, countRings: this.rings.filter((r) => r.counts).length, fusedUpdates: this.absorbPairs.filter((p) => p.fused).length },
    };
  }

  override currents(n: number): void {
    this.learn?.beginStep(n);
    super.currents(n);
  }

  override threshold(n: number): void {
    super.threshold(n);
    this.recordSpikes(n);
  }

  private recordSpikes(n: number): void {
    const recorders = this.recorders;
    for (let k = 0; k < recorders.length; k++) {
      const rec = recorders[k];
      const pop = this.pops[rec.population];
      rec.record(pop.spikes, pop.count, n);
    }
  }

  deliverSpikes(n: number): void {
    if (this.ahead.length > 0) this.readRowsAhead();
    const projections = this.projections;
    for (let k = 0; k < projections.length; k++) this.propagate(projections[k], n);
    // MODELS.md §4: in a step with both, presynaptic updates run before postsynaptic ones.
    const plastic = this.plasticProjections;
    for (let k = 0; k < plastic.length; k++) {
      const { projection, target } = plastic[k];
      const tgt = this.pops[target];
      if (tgt.count > 0) projection.events += projection.plastic!.post(n, tgt.spikes, tgt.count);
    }
    this.learn?.endStep(n, this.pops);
  }

  /** How many projections have their rows read ahead of delivery. */
  get readAheadCount(): number {
    return this.ahead.length;
  }

  /**
   * Before the step's delivery: the rows the large static projections will walk, every
   * spike's, read ahead (schedule.ts `readRows`), so the delivery finds them in the cache
   * instead of waiting for memory at each row's start (a row of a large projection starts at
   * a random place in megabytes of columns). Only reads: the results cannot change. The
   * parallel shards do the same (parallel/shard.ts `readRowsAhead`, where it was measured first).
   */
  private readRowsAhead(): void {
    let x = 0;
    const ahead = this.ahead;
    for (let a = 0; a < ahead.length; a++) {
      const pr = ahead[a];
      const pop = this.pops[pr.source];
      x ^= readRows(pr.csr.rowPtr, pr.csr.col, pop.spikes, 0, pop.count);
    }
    this.aheadSink ^= x;
  }

  record(n: number): void {
    const states = this.stateRecorders;
    for (let k = 0; k < states.length; k++) states[k].record(n);
    const weights = this.weightRecorders;
    for (let k = 0; k < weights.length; k++) weights[k].record(n);
    const rates = this.rateRecorders;
    for (let k = 0; k < rates.length; k++) rates[k].record(this.pops[rates[k].population].count, n);
  }

  private propagate(pr: Projection, n: number): void {
    const pop = this.pops[pr.source];
    const count = pop.count;
    if (count === 0) return;
    if (pr.plastic) {
      pr.events += pr.plastic.pre(n, pop.spikes, count, pr.delivery!);
      return;
    }
    if (pr.ring!.counts && pr.colAt >= 0) {
      // The count kernel walks every row in one call, reading the spikes from the arena.
      this.countSpikes!.set(pop.spikes.subarray(0, count));
      pr.events += this.deliverCounts(pr, count, n);
      return;
    }
    if (pr.colAt < 0 && pr.d === null && this.stage !== null && pr.ring!.input.length >= this.blockedCfg.minTargets) {
      pr.events += this.propagateBlocked(pr, pop.spikes, count, n);
      return;
    }
    pr.events += this.deliver(pr, pop.spikes, 0, count, n);
  }

  /**
   * Move the static, constant-delay projections' columns and weights, and
   * their rings, into one memory of the wasm delivery kernels. Rings that
   * alias a receptor or feed a plastic projection stay where they are, and so
   * do their projections; without room (or wasm), large rings get blocked
   * delivery (`setUpBlockedDelivery`, called after this).
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
    const inArena = (x: ArrayBufferView) => this.wasm !== null && x.buffer === this.wasm.buffer;
    for (const pr of this.projections) {
      const r = pr.ring!;
      // A ring that aliases a receptor is that group's own variable: delivered in wasm only where the group
      // keeps it in the arena (lif-curr-exp, lif-cond-exp: `bindArena`), never moved.
      if (pr.plastic || pr.d !== null || (r.alias && !inArena(r.buf)) || plasticRings.has(r)) continue;
      // Large rings too: the wasm loop's random adds into a slot of megabytes beat the JS blocked
      // delivery 1.6–2.6× in CPU time (1 M-neuron scale case, bench/README.md), and the ring's group
      // then absorbs it, with its Poisson drive, in one wasm pass. Blocked delivery stays the path
      // without wasm (or without room in its memory).
      chosen.push(pr);
      rings.add(r);
    }
    if (rings.size === 0) return;
    // Poisson drives into those rings draw in wasm too, their tables beside them.
    const drives = this.drives.map((d) => d.drive).filter((d): d is PoissonDrive => d instanceof PoissonDrive);
    const driven = drives.filter((d) => this.drives.some((x) => x.drive === d && rings.has(x.ring)));
    const align8 = (x: number) => Math.ceil(x / 8) * 8;
    // Bytes to add to a memory that already holds what `have` says: rings (the build makes them in the
    // network's arena), drive tables, and per projection its constant weight (f64 at an 8-byte boundary,
    // read by the kernel), columns and weights.
    const need = (have: (x: ArrayBufferView) => boolean) => {
      let bytes = 0;
      for (const r of rings) bytes += have(r.buf) ? 0 : r.buf.byteLength;
      for (const d of driven) bytes += align8(d.kernelBytes());
      for (const pr of chosen) bytes += 16 + (have(pr.csr!.col) ? 0 : pr.csr!.col.byteLength) + (pr.w && !have(pr.w) ? pr.w.byteLength : 0);
      return bytes;
    };
    // Without the network's arena (too big for one, or full), a memory of just the size of everything.
    if (!this.wasm || !this.arena || this.arena.free < need(inArena) + 64) {
      // Aliased rings cannot move with the rest.
      if (chosen.some((pr) => pr.ring!.alias)) {
        for (let k = chosen.length - 1; k >= 0; k--) if (chosen[k].ring!.alias) rings.delete(chosen.splice(k, 1)[0].ring!);
        if (rings.size === 0) return;
      }
      const arena = createArena(need(() => false) + 64);
      const kernels = arena ? deliveryKernels(arena.memory) : null;
      if (!arena || !kernels) return;
      this.arena = arena;
      this.wasm = kernels;
    }
    const arena = this.arena;
    const k = this.wasm;
    for (const r of rings) {
      if (inArena(r.buf)) continue;
      const size = r.input.length;
      const buf = arena.f64(r.buf.length)!;
      buf.set(r.buf);
      r.buf = buf;
      r.views = Array.from({ length: r.slots }, (_, s) => buf.subarray(s * size, (s + 1) * size));
    }
    for (const d of driven) if (d.kernelArgs(k) === null) d.bindKernel(k, arena.alloc(d.kernelBytes(), 8));
    for (const pr of chosen) {
      const wc = arena.f64(1)!;
      wc[0] = pr.wConst;
      pr.wcAt = wc.byteOffset;
      // Columns drawn straight into the arena (connect.ts) stay where they are.
      if (!inArena(pr.csr!.col)) {
        const col = pr.csr!.col instanceof Uint16Array ? arena.u16(pr.csr!.col.length)! : arena.u32(pr.csr!.col.length)!;
        col.set(pr.csr!.col);
        pr.csr = { ...pr.csr!, col };
      }
      pr.colAt = pr.csr!.col.byteOffset;
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

  /** The blocked-delivery sizes of this network. */
  private readonly blockedCfg: BlockedDelivery;
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
      if (pr.plastic || pr.d !== null || pr.colAt >= 0 || pr.ring!.input.length < this.blockedCfg.minTargets) continue;
      maxBlocks = Math.max(maxBlocks, Math.ceil(pr.ring!.input.length / (1 << this.blockedCfg.blockShift)));
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
    const { rowPtr, col } = pr.csr!;
    const ring = pr.ring!;
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
      const { rowPtr, col } = pr.csr!;
      const nSyn = col.length;
      const pre = new Int32Array(nSyn);
      for (let i = 0; i + 1 < rowPtr.length; i++) pre.fill(i, rowPtr[i], rowPtr[i + 1]);
      return { nodeId: pr.plasticNodeId!, edgeId: pr.edgeId, pre, post: Int32Array.from(col), w: pr.plastic!.w.slice() };
    });
  }

  /** Statistics of the steps run so far. */
  stats(buildMs: number, runMs: number): RunStats {
    return {
      ...runStats(this.pops, (p) => (p.group ? 'neurons' : p.source ? 'source' : null), this, buildMs, runMs),
      ...(this.plasticProjections.length > 0 ? { plastic: this.plasticReports() } : {}),
      ...(this.learn && this.learn.readouts.length > 0 ? { readouts: this.learn.stats() } : {}),
      ...(this.phaseMs ? { profile: this.profile()! } : {}),
    };
  }
}
