/**
 * The coordinator of a parallel run. It is thread 0 (it simulates its own
 * share), owns the monitors, and presents the same surface as `Network` to the
 * protocol server (progress counts, recorders, stats).
 */
import type { NetworkPlan } from '../../core/plan.ts';
import type { RuntimeOf } from '../runtime.ts';
import { BuildError, estimateMemory, formatBytes, recordersOf } from '../network.ts';
import type { RateRecorder, SpikeRecorder, StateRecorder } from '../monitors.ts';
import { runStats, type RunProfile, type RunStats } from '../stats.ts';
import { Barrier, CTRL_STOP, CTRL_WORDS } from './barrier.ts';
import type { ThreadHandle, ThreadReport, ThreadSupport } from './pool.ts';
import { createSharedLayout, drawProjections, rangeOf, Shard, splitBySource, SPLIT_BY_SOURCE_FAILED, type DrawnProjection, type SharedLayout } from './shard.ts';
import { LINE_DELIVERED, LINE_DONE } from './barrier.ts';
import { COUNT_RINGS_MIN_TARGETS } from '../network.ts';
import { readProfile, readStepTimes } from './profile.ts';

/** At most this many threads, whatever is asked. */
export const MAX_THREADS = 64;
/**
 * A network runs on every core by default when it has at least this many
 * neurons or {@link AUTO_PARALLEL_MIN_SYNAPSES} synapses, else on one thread:
 * below both, a step takes a few tens of µs and a barrier per step costs
 * more than the split saves (CUBA, 4,000 neurons and 320,000 synapses, runs
 * slower on two threads; Brunel, 3,125 neurons and 3.9 M synapses, faster).
 */
export const AUTO_PARALLEL_MIN_NEURONS = 20_000;
export const AUTO_PARALLEL_MIN_SYNAPSES = 1_000_000;
/**
 * The automatic choice splits only on machines with at least this many cores: on
 * this 2-core VM two threads run Brunel x4 at 1.4–1.7× one thread's speed but Brunel
 * base at 0.9–1.2× (`npm run bench:parallel`, idle machine), and the app on two
 * cores needs one for its window. `--threads 2` still asks for it.
 */
export const AUTO_PARALLEL_MIN_CORES = 4;

/** The thread count a run uses, and why it differs from what was asked, if it does. */
export interface ThreadChoice {
  readonly threads: number;
  readonly note?: string;
}

/**
 * Decide the thread count: `requested` (undefined: automatic — every core for
 * large networks, see {@link AUTO_PARALLEL_MIN_NEURONS}, else one).
 */
export function chooseThreads(plan: NetworkPlan, runtimes: RuntimeOf, requested: number | undefined, support: ThreadSupport | undefined, memoryLimitBytes = Infinity): ThreadChoice {
  if (requested !== undefined && requested <= 1) return { threads: 1 };
  let neurons = 0;
  for (const p of plan.populations) if (runtimes(p.kind)?.role === 'neurons') neurons += p.size;
  const auto = requested === undefined;
  const large = neurons >= AUTO_PARALLEL_MIN_NEURONS || estimateMemory(plan, runtimes).synapses >= AUTO_PARALLEL_MIN_SYNAPSES;
  if (auto && (!large || !support || support.cores < AUTO_PARALLEL_MIN_CORES)) return { threads: 1 };
  if (!support) return { threads: 1, note: 'this engine host cannot start threads (in the browser it needs cross-origin isolation), so the run used one' };
  if (typeof SharedArrayBuffer === 'undefined') return { threads: 1, note: 'shared memory (SharedArrayBuffer) is not available here, so the run used one thread' };
  const problem = parallelProblem(plan, runtimes);
  if (problem) return { threads: 1, note: `${problem}, so the run used one thread` };
  const threads = Math.min(MAX_THREADS, auto ? support.cores : requested);
  // While building, the whole projections (shared) and the threads' parts are held at once.
  if (2 * estimateMemory(plan, runtimes).bytes > memoryLimitBytes) return { threads: 1, note: 'the network is too large to build on several threads within the memory limit' };
  if (!auto && threads < requested) return { threads, note: `${requested} threads asked, ${threads} used (the maximum)` };
  return { threads };
}

const PLAN_KEYS = new Set(['format', 'version', 'dtMs', 'durationMs', 'nSteps', 'seed', 'populations', 'projections', 'injections', 'drives', 'monitors']);
const PROJECTION_KEYS = new Set(['edgeId', 'source', 'target', 'targetPort', 'rule', 'p', 'n', 'allowAutapses', 'allowMultapses', 'weight', 'delayMs', 'receptor']);

/**
 * What in `plan` the parallel engine does not run (as a phrase), or null. It
 * knows only the plan fields listed here, so a feature added to plans later
 * runs on one thread until the parallel engine learns it.
 */
export function parallelProblem(plan: NetworkPlan, runtimes: RuntimeOf): string | null {
  const plastic = plan.projections.find((p) => p.plasticity);
  if (plastic) return `the network has plastic projections (wire "${plastic.edgeId}")`;
  for (const [key, value] of Object.entries(plan)) {
    if (PLAN_KEYS.has(key) || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    return `the network uses ${key}`;
  }
  for (const p of plan.projections) {
    const extra = Object.keys(p).find((k) => !PROJECTION_KEYS.has(k) && (p as unknown as Record<string, unknown>)[k] !== undefined);
    if (extra) return `wire "${p.edgeId}" has ${extra}`;
  }
  for (const m of plan.monitors) {
    const rt = runtimes(m.kind);
    if (!rt || rt.role !== 'monitor' || !['spikes', 'state', 'rate'].includes(rt.records)) return `monitor "${m.nodeId}" is a ${m.kind}`;
  }
  return null;
}

interface PopInfo {
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  readonly isGroup: boolean;
  readonly isSource: boolean;
  /** Spikes up to the last step run (reading it brings a windowed run's counts up to that step, `quiesce`). */
  readonly total: number;
}

/**
 * The longest a parallel run lets a thread run ahead of the others' spikes (`ShardInit.lag`):
 * the shared buffers keep 2 · lag steps.
 */
export const MAX_LAG = 32;

/** A windowed run's spike buffers (2 · lag steps of 4 bytes per neuron) stay within this many bytes: a smaller window where they would not. */
export const WINDOW_BYTES = 1 << 28;

/**
 * The lag of a windowed run (`Shard.lag`: threads synchronise through counters, each at most
 * lag − 1 steps ahead of the others' spikes) of a network of `neurons` neurons drawn as
 * `drawn`: its shortest delay in steps, at most {@link MAX_LAG} and at most what keeps the
 * spike buffers within {@link WINDOW_BYTES} (a smaller window is as correct), when that is at
 * least 2 steps, no projection is split by source (their counts are handed over at every step)
 * and there are two threads or more; else 0, a barrier per step.
 */
export function windowLag(drawn: readonly DrawnProjection[], bySource: readonly boolean[], threads: number, neurons = 0): number {
  if (threads < 2 || bySource.some(Boolean)) return 0;
  let min = Math.min(MAX_LAG, Math.floor(WINDOW_BYTES / (2 * 4 * Math.max(1, neurons))));
  for (const x of drawn) {
    if (x.synapses === 0) continue;
    if (x.d === null) min = Math.min(min, x.dConst);
    else {
      const d = new Uint16Array(x.d, 0, x.synapses);
      for (let k = 0; k < d.length; k++) if (d[k] < min) min = d[k];
    }
  }
  return min >= 2 ? min : 0;
}

export class ParallelNetwork {
  readonly pops: PopInfo[];
  readonly projections: { readonly edgeId: string; readonly events: number }[];
  readonly recorders: SpikeRecorder[] = [];
  readonly stateRecorders: StateRecorder[] = [];
  readonly rateRecorders: RateRecorder[] = [];
  readonly nSteps: number;
  readonly dtMs: number;
  readonly synapses: number;
  readonly memoryBytes: number;
  readonly threads: number;
  readonly threadsNote?: string;
  step = 0;

  private readonly shard: Shard;
  private readonly barrier: Barrier;
  private readonly ctrl: Int32Array;
  /** Per population: spikes so far, and in the last step gathered. */
  private readonly totals: Float64Array;
  private readonly counts: Int32Array;
  /** Monitored state per (population, variable): the recorders' copy, filled from the shared mirror's slot of the step sampled. */
  private readonly stateViews = new Map<string, { readonly local: Float64Array; readonly shared: Float64Array; readonly neurons: Int32Array }>();
  /** A windowed run: state samples (recorder, step) waiting for every thread to finish their step. */
  private readonly pendingSamples: { readonly rec: StateRecorder; readonly n: number }[] = [];
  /** The shard's `lag` (0: a barrier per step). */
  readonly lag: number;
  /** The threads' timings of a profiled run (./profile.ts), else null. */
  private readonly profileBuffer: SharedArrayBuffer | null;
  private readonly gathered: Int32Array[];
  /** Per population, the start of each thread's range. */
  private readonly starts: Int32Array[];
  private disposed = false;
  /** The step whose phase B every thread has finished (see `quiesce`); −1: none yet. */
  private settled = -1;
  /** The final barrier has let the other threads go. */
  private released = false;

  private constructor(
    readonly plan: NetworkPlan,
    shared: SharedLayout,
    shard: Shard,
    private readonly handles: ThreadHandle[],
    threadsNote: string | undefined,
    runtimes: RuntimeOf,
  ) {
    this.shard = shard;
    this.threads = shard.threads;
    this.threadsNote = threadsNote;
    this.nSteps = plan.nSteps;
    this.dtMs = plan.dtMs;
    this.synapses = shard.synapses;
    this.memoryBytes = estimateMemory(plan, runtimes).bytes;
    this.ctrl = new Int32Array(shared.ctrl);
    this.barrier = new Barrier(this.ctrl, this.threads);
    this.lag = shard.lag;
    this.profileBuffer = shared.profile;
    const T = this.threads;
    const quiesce = () => this.quiesce();
    const totals = (this.totals = new Float64Array(plan.populations.length));
    const windowed = this.lag > 0;
    this.counts = new Int32Array(plan.populations.length);
    this.pops = plan.populations.map((p, k) => ({
      nodeId: p.nodeId,
      kind: p.kind,
      size: shard.pops[k].size,
      isGroup: shared.spikes[k] !== null,
      isSource: shard.pops[k].source !== null,
      get total(): number {
        // With a barrier per step the totals are current after every step; windowed, they follow thread 0's delivery.
        if (windowed) quiesce();
        return totals[k];
      },
    }));
    this.starts = plan.populations.map((p) => Int32Array.from({ length: T }, (_, t) => rangeOf(p.size, T, t).lo));
    this.gathered = plan.populations.map(() => new Int32Array(0));
    const net = () => this.step - 1;
    this.projections = plan.projections.map((p, k) => ({
      edgeId: p.edgeId,
      get events(): number {
        quiesce();
        const last = net();
        let e = 0;
        if (last >= 0) for (let t = 0; t < T; t++) e += shard.eventsOf(k, t, last);
        return e;
      },
    }));
    const r = recordersOf(plan, runtimes, (p, variable) => {
      if (!shard.pops[p].group?.stateVar(variable)) return undefined;
      const key = `${p}|${variable}`;
      const mirror = shared.mirrors.find((x) => x.population === p && x.variable === variable)!;
      if (!this.stateViews.has(key))
        this.stateViews.set(key, { local: new Float64Array(Math.max(1, this.pops[p].size)), shared: new Float64Array(mirror.buffer), neurons: Int32Array.from(mirror.neurons) });
      return this.stateViews.get(key)!.local;
    });
    this.recorders.push(...r.recorders);
    this.stateRecorders.push(...r.stateRecorders);
    this.rateRecorders.push(...r.rateRecorders);
    for (const rec of this.recorders) if (this.gathered[rec.population].length === 0) this.gathered[rec.population] = new Int32Array(this.pops[rec.population].size);
    shard.onDelivered = (m) => this.gather(m);
  }

  /**
   * Build a parallel run on `threads` threads (the caller's thread is thread 0):
   * start the others, build this thread's share, and resolve when every thread
   * has built its own. Rejects with a BuildError on a bad plan. With `profile`,
   * every thread times its phases and its barrier waits (`stats().profile.threads`).
   * `build.countRingsMinTargets` is `BuildOptions.countRingsMinTargets` (tests); `build.readAheadMinBytes`
   * is `ShardInit.readAheadMinBytes` (`Shard.deliverSpikes`; tests and the bench compare); `build.window: false`
   * keeps a barrier per step where the run could be windowed ({@link windowLag}).
   */
  static async start(
    plan: NetworkPlan,
    runtimes: RuntimeOf,
    choice: ThreadChoice,
    support: ThreadSupport,
    memoryLimitBytes = Infinity,
    profile = false,
    build: { readonly countRingsMinTargets?: number; readonly splitBySource?: boolean; readonly readAheadMinBytes?: number; readonly window?: boolean } = {},
  ): Promise<ParallelNetwork> {
    const split = build.splitBySource === false ? [] : splitBySource(plan, runtimes, choice.threads, build.countRingsMinTargets ?? COUNT_RINGS_MIN_TARGETS);
    try {
      return await ParallelNetwork.startSplit(plan, runtimes, choice, support, memoryLimitBytes, profile, build, split);
    } catch (e) {
      // A part did not make the count rings the split by source needs: build again, split by target.
      if (!split.some(Boolean) || !String((e as Error)?.message).includes(SPLIT_BY_SOURCE_FAILED)) throw e;
      return ParallelNetwork.startSplit(plan, runtimes, choice, support, memoryLimitBytes, profile, build, []);
    }
  }

  /** {@link start} with the projections `bySource` split by source (shard.ts `splitBySource`). */
  private static async startSplit(
    plan: NetworkPlan,
    runtimes: RuntimeOf,
    choice: ThreadChoice,
    support: ThreadSupport,
    memoryLimitBytes: number,
    profile: boolean,
    build: { readonly countRingsMinTargets?: number; readonly readAheadMinBytes?: number; readonly window?: boolean },
    bySource: readonly boolean[],
  ): Promise<ParallelNetwork> {
    const threads = choice.threads;
    const problem = parallelProblem(plan, runtimes);
    if (problem) throw new Error(`This network cannot run on several threads: ${problem}.`);
    const est = estimateMemory(plan, runtimes);
    if (est.bytes > memoryLimitBytes) {
      throw new BuildError(
        `The network needs about ${formatBytes(est.bytes)} (${Math.round(est.synapses).toLocaleString('en')} synapses), more than the engine's limit of ${formatBytes(memoryLimitBytes)}.`,
        plan.projections[0]?.edgeId ?? plan.populations[0]?.nodeId ?? '',
        undefined,
        'too-big',
      );
    }
    let shared: SharedLayout | null = null;
    const handles: ThreadHandle[] = [];
    const ready: Promise<void>[] = [];
    const stopAll = () => handles.forEach((h) => h.terminate());
    try {
      // Start the threads first: they load their code while this one draws the projections.
      for (let t = 1; t < threads; t++) {
        const h = support.spawn();
        handles.push(h);
        ready.push(
          new Promise<void>((resolve, reject) => {
            h.listen((m: ThreadReport) => {
              if (m.type === 'ready') resolve();
              else if (m.type === 'error') reject(m.code ? new BuildError(m.message, m.nodeId ?? '', m.field, m.code) : new Error(`A simulation thread failed: ${m.message}`));
            });
          }),
        );
      }
      // Drawn once here; every thread keeps the synapses into its own neurons.
      const drawn = drawProjections(plan, runtimes);
      let neurons = 0;
      for (const p of plan.populations) if (runtimes(p.kind)?.role === 'neurons') neurons += p.size;
      const lag = build.window === false ? 0 : windowLag(drawn, bySource, threads, neurons);
      const layout = (shared = createSharedLayout(plan, runtimes, threads, 4 * CTRL_WORDS, profile, bySource, lag));
      const { countRingsMinTargets, readAheadMinBytes } = build;
      handles.forEach((h, k) => h.post({ type: 'init', init: { plan, threads, index: k + 1, shared: layout, drawn, countRingsMinTargets, bySource, readAheadMinBytes, lag } }));
      // Thread 0 builds while the others do.
      const shard = new Shard({ plan, threads, index: 0, shared: layout, drawn, countRingsMinTargets, bySource, readAheadMinBytes, lag }, runtimes);
      const net = new ParallelNetwork(plan, layout, shard, handles, choice.note, runtimes);
      await Promise.all(ready);
      return net;
    } catch (e) {
      // A failed thread must not leave the others blocked.
      if (shared) Atomics.store(new Int32Array((shared as SharedLayout).ctrl), CTRL_STOP, 1);
      stopAll();
      for (const r of ready) r.catch(() => undefined);
      throw e;
    }
  }

  get neurons(): number {
    let n = 0;
    for (const p of this.pops) if (p.isGroup) n += p.size;
    return n;
  }

  get externalEvents(): number {
    this.quiesce();
    const last = this.step - 1;
    let e = 0;
    if (last >= 0) for (let t = 0; t < this.threads; t++) e += this.shard.externalOf(t, last);
    return e;
  }

  /** How many projections thread 0 reads ahead before delivering (`Shard.readAheadCount`). */
  get readAheadCount(): number {
    return this.shard.readAheadCount;
  }

  /** The fast paths of this thread's shard (thread 0), as `Network.fastPaths`. */
  fastPaths(): ReturnType<Shard['fastPaths']> {
    return this.shard.fastPaths();
  }

  /**
   * Bring what the coordinator reports up to the last step run: afterwards every thread has
   * finished it, and the counters of that step (events, drive events: kept per step, the
   * slot of that step), the spike counts and monitors are final for it. With a barrier per
   * step: wait until every other thread has finished the phase B of that step and waits at
   * the next barrier (`Barrier.othersWaiting`; a spin: the others are at most one phase
   * behind). Windowed: deliver (and gather) every step up to it, then wait until every other
   * thread has delivered and finished it; they may be further on (their counters of later
   * steps are in other slots).
   */
  private quiesce(): void {
    const done = this.step - 1;
    if (this.threads === 1 || this.settled >= done || this.released) return;
    if (this.lag > 0) {
      try {
        this.shard.deliverThrough(done);
      } catch {
        return;
      }
      if (this.barrier.awaitOthers(LINE_DELIVERED, done + 1) || this.barrier.awaitOthers(LINE_DONE, done + 1)) return;
      this.takeSamples(done);
      this.settled = done;
      return;
    }
    const stalled = this.barrier.watchdog();
    while (!this.barrier.othersWaiting()) {
      if (stalled()) return;
    }
    this.settled = done;
  }

  /**
   * Step m's spikes of the neuron populations, once every thread's are out (called as thread 0
   * delivers step m): counts, spike and rate monitors.
   */
  private gather(m: number): void {
    const shard = this.shard;
    const T = this.threads;
    for (let p = 0; p < this.pops.length; p++) {
      if (!this.pops[p].isGroup) continue;
      let c = 0;
      for (let t = 0; t < T; t++) c += shard.countOf(p, t, m);
      this.counts[p] = c;
      this.totals[p] += c;
    }
    const at0 = m % shard.slots;
    // Loops by index in the step, not `for … of`: cold code allocates an iterator per loop (../schedule.ts).
    const recorders = this.recorders;
    for (let r = 0; r < recorders.length; r++) {
      const rec = recorders[r];
      const p = rec.population;
      if (!this.pops[p].isGroup) continue;
      const out = this.gathered[p];
      const spikes = shard.sharedSpikes(p)!;
      const starts = this.starts[p];
      const at = at0 * this.pops[p].size;
      let c = 0;
      for (let t = 0; t < T; t++) {
        const lo = at + starts[t];
        const k = shard.countOf(p, t, m);
        for (let i = 0; i < k; i++) out[c + i] = spikes[lo + i];
        c += k;
      }
      rec.record(out, c, m);
    }
    const rates = this.rateRecorders;
    for (let r = 0; r < rates.length; r++) if (this.pops[rates[r].population].isGroup) rates[r].record(this.counts[rates[r].population], m);
  }

  /** Step n's spikes of the spike sources (every thread runs them whole; this thread's copy): counts, spike and rate monitors. */
  private gatherSources(n: number): void {
    const shard = this.shard;
    for (let p = 0; p < this.pops.length; p++) {
      if (!this.pops[p].isSource) continue;
      this.counts[p] = shard.pops[p].count;
      this.totals[p] += this.counts[p];
    }
    const recorders = this.recorders;
    for (let r = 0; r < recorders.length; r++) {
      const rec = recorders[r];
      if (this.pops[rec.population].isSource) rec.record(shard.pops[rec.population].spikes, this.counts[rec.population], n);
    }
    const rates = this.rateRecorders;
    for (let r = 0; r < rates.length; r++) if (this.pops[rates[r].population].isSource) rates[r].record(this.counts[rates[r].population], n);
  }

  /** State monitor `rec` samples step n: the mirror's slot of that step (every owner has written it) into the recorder's copy. */
  private sample(rec: StateRecorder, n: number): void {
    const view = this.stateViews.get(`${rec.population}|${rec.variable}`)!;
    const at = (n % this.shard.slots) * view.neurons.length;
    for (let j = 0; j < view.neurons.length; j++) view.local[view.neurons[j]] = view.shared[at + j];
    rec.record(n);
  }

  /**
   * A windowed run: take the pending state samples of steps up to `upTo` (waiting for their
   * owners to finish them) and any later one already finished, in order.
   */
  private takeSamples(upTo: number): void {
    const q = this.pendingSamples;
    let k = 0;
    for (; k < q.length; k++) {
      const { rec, n } = q[k];
      if (!this.barrier.othersAt(LINE_DONE, n + 1)) {
        if (n > upTo) break;
        if (this.barrier.awaitOthers(LINE_DONE, n + 1)) throw new Error(this.barrier.failure() ?? 'a simulation thread failed or was stopped');
      }
      this.sample(rec, n);
    }
    q.splice(0, k);
  }

  /**
   * Run one step. With a barrier per step: one barrier, after phase A (the spikes are kept by
   * step parity, so a thread may run ahead into the next step's phase A). Windowed (`lag`): no
   * barrier; the shard waits for the other threads where it must (`Shard.threshold`,
   * `Shard.deliverSpikes`). After the last step the threads are let go.
   */
  advance(): void {
    const n = this.step;
    const shard = this.shard;
    const T = this.threads;
    const clock = shard.clock;
    if (clock && n === 0) clock.begin();
    shard.phaseA(n);
    if (this.lag === 0) {
      clock?.arrive(n);
      if (this.barrier.arrive()) throw new Error(this.barrier.failure() ?? 'a simulation thread failed or was stopped');
      clock?.leave();
    }
    this.gatherSources(n);
    // Thread 0's delivery gathers each step's spikes (`gather`, through `Shard.onDelivered`).
    shard.phaseB(n);
    if (this.lag > 0) clock?.stepEnd(n);
    this.step = n + 1;
    // Monitored state is read when every owner has written this step's (only on the steps a monitor samples).
    const states = this.stateRecorders;
    for (let r = 0; r < states.length; r++) {
      const rec = states[r];
      if (n % rec.everySteps !== 0) continue;
      if (this.lag > 0) this.pendingSamples.push({ rec, n });
      else {
        this.quiesce();
        this.sample(rec, n);
      }
    }
    // Windowed: a step's mirror slot is written again 2 · lag steps later; its owners are at most lag − 1 steps ahead.
    if (this.lag > 0 && this.pendingSamples.length > 0) this.takeSamples(n - this.lag);
    if (this.step === this.nSteps && T > 1) {
      this.quiesce();
      this.released = true;
      if (this.lag > 0) return;
      clock?.arrive(this.nSteps);
      this.barrier.arrive();
    }
  }

  /** No plastic projections run in parallel. */
  plasticWeights(): { nodeId: string; edgeId: string; pre: Int32Array; post: Int32Array; w: Float64Array }[] {
    return [];
  }

  /** Stop the other threads (blocked ones included) and end them. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.step < this.nSteps) this.barrier.release();
    for (const h of this.handles) h.terminate();
  }

  /**
   * Where the time went in a profiled run (null unless started with `profile`): thread 0's build
   * and phases, as `Network.profile`, and every thread's phases, busy and wait times.
   */
  profile(): RunProfile | null {
    if (!this.profileBuffer) return null;
    this.quiesce();
    const threads = readProfile(this.profileBuffer, this.threads, this.step);
    return {
      build_ms: this.shard.buildTimes(),
      run_ms: threads.threads[0].run_ms,
      paths: { ...this.fastPaths(), blockedProjections: 0, countRings: this.shard.rings.filter((r) => r.counts).length, splitBySource: this.shard.splitBySourceCount },
      threads,
    };
  }

  /** Per thread, its phase and busy times (ms) in each step of a profiled run (./profile.ts `readStepTimes`), or null; for the bench's critical path. */
  stepTimes(): Float64Array[] | null {
    if (!this.profileBuffer) return null;
    this.quiesce();
    return readStepTimes(this.profileBuffer, this.threads, this.step);
  }

  /** Statistics of the steps run so far (as Network.stats), with the thread count. */
  stats(buildMs: number, runMs: number): RunStats {
    this.quiesce();
    const profile = this.profile();
    return {
      ...runStats(this.pops, (p) => (p.isGroup ? 'neurons' : p.isSource ? 'source' : null), this, buildMs, runMs),
      ...(profile ? { profile } : {}),
      threads: this.threads,
      ...(this.threadsNote ? { threads_note: this.threadsNote } : {}),
    };
  }
}
