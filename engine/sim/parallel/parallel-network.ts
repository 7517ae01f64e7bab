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
import { createSharedLayout, drawProjections, eventsStride, LINE_F64, rangeOf, Shard, splitBySource, SPLIT_BY_SOURCE_FAILED, type SharedLayout } from './shard.ts';
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
  total: number;
  /** Spikes in the last step. */
  count: number;
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
  private readonly events: Float64Array;
  private readonly external: Float64Array;
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
    this.events = new Float64Array(shared.events);
    this.external = new Float64Array(shared.external);
    this.profileBuffer = shared.profile;
    const T = this.threads;
    this.pops = plan.populations.map((p, k) => ({
      nodeId: p.nodeId,
      kind: p.kind,
      size: shard.pops[k].size,
      isGroup: shared.spikes[k] !== null,
      isSource: shard.pops[k].source !== null,
      total: 0,
      count: 0,
    }));
    this.starts = plan.populations.map((p) => Int32Array.from({ length: T }, (_, t) => rangeOf(p.size, T, t).lo));
    this.gathered = plan.populations.map(() => new Int32Array(0));
    const K = eventsStride(plan.projections.length);
    const events = this.events;
    const quiesce = () => this.quiesce();
    this.projections = plan.projections.map((p, k) => ({
      edgeId: p.edgeId,
      get events(): number {
        quiesce();
        let e = 0;
        for (let t = 0; t < T; t++) e += events[t * K + k];
        return e;
      },
    }));
    const r = recordersOf(plan, runtimes, (p, variable) =>
      shard.pops[p].group?.stateVar(variable) ? new Float64Array(shared.mirrors.find((x) => x.population === p && x.variable === variable)!.buffer) : undefined,
    );
    this.recorders.push(...r.recorders);
    this.stateRecorders.push(...r.stateRecorders);
    this.rateRecorders.push(...r.rateRecorders);
    for (const rec of this.recorders) if (this.gathered[rec.population].length === 0) this.gathered[rec.population] = new Int32Array(this.pops[rec.population].size);
  }

  /**
   * Build a parallel run on `threads` threads (the caller's thread is thread 0):
   * start the others, build this thread's share, and resolve when every thread
   * has built its own. Rejects with a BuildError on a bad plan. With `profile`,
   * every thread times its phases and its barrier waits (`stats().profile.threads`).
   * `build.countRingsMinTargets` is `BuildOptions.countRingsMinTargets` (tests); `build.readAheadMinBytes`
   * is `ShardInit.readAheadMinBytes` (`Shard.deliverSpikes`; tests and the bench compare).
   */
  static async start(
    plan: NetworkPlan,
    runtimes: RuntimeOf,
    choice: ThreadChoice,
    support: ThreadSupport,
    memoryLimitBytes = Infinity,
    profile = false,
    build: { readonly countRingsMinTargets?: number; readonly splitBySource?: boolean; readonly readAheadMinBytes?: number } = {},
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
    build: { readonly countRingsMinTargets?: number; readonly readAheadMinBytes?: number },
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
    const shared = createSharedLayout(plan, runtimes, threads, 4 * CTRL_WORDS, profile, bySource);
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
      const { countRingsMinTargets, readAheadMinBytes } = build;
      handles.forEach((h, k) => h.post({ type: 'init', init: { plan, threads, index: k + 1, shared, drawn, countRingsMinTargets, bySource, readAheadMinBytes } }));
      // Thread 0 builds while the others do.
      const shard = new Shard({ plan, threads, index: 0, shared, drawn, countRingsMinTargets, bySource, readAheadMinBytes }, runtimes);
      const net = new ParallelNetwork(plan, shared, shard, handles, choice.note, runtimes);
      await Promise.all(ready);
      return net;
    } catch (e) {
      // A failed thread must not leave the others blocked.
      Atomics.store(new Int32Array(shared.ctrl), CTRL_STOP, 1);
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
    let e = 0;
    for (let t = 0; t < this.threads; t++) e += this.external[t * LINE_F64];
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
   * Wait until every other thread has finished the phase B of the last step
   * run and waits at the next barrier (each has arrived there, `Barrier.othersWaiting`):
   * their counters and monitored state are final for that step. A spin: the
   * other threads are at most one phase behind.
   */
  private quiesce(): void {
    const done = this.step - 1;
    if (this.threads === 1 || this.settled >= done || this.released) return;
    const stalled = this.barrier.watchdog();
    while (!this.barrier.othersWaiting()) {
      if (stalled()) return;
    }
    this.settled = done;
  }

  /**
   * Run one step on every thread: one barrier, after phase A (the spikes are
   * double-buffered by step parity, so a thread may run ahead into the next
   * step's phase A). After the last step the threads are let go.
   */
  advance(): void {
    const n = this.step;
    const shard = this.shard;
    const T = this.threads;
    const clock = shard.clock;
    if (clock && n === 0) clock.begin();
    shard.phaseA(n);
    clock?.arrive(n);
    if (this.barrier.arrive()) throw new Error(this.barrier.failure() ?? 'a simulation thread failed or was stopped');
    clock?.leave();
    for (let p = 0; p < this.pops.length; p++) {
      const pop = this.pops[p];
      if (pop.isGroup) {
        let c = 0;
        for (let t = 0; t < T; t++) c += shard.countOf(p, t, n);
        pop.count = c;
      } else if (pop.isSource) pop.count = shard.pops[p].count;
      pop.total += pop.count;
    }
    const par = n & 1;
    for (const rec of this.recorders) {
      const p = rec.population;
      if (this.pops[p].isSource) {
        rec.record(shard.pops[p].spikes, this.pops[p].count, n);
        continue;
      }
      const out = this.gathered[p];
      const spikes = shard.sharedSpikes(p)!;
      const starts = this.starts[p];
      const at = par * this.pops[p].size;
      let c = 0;
      for (let t = 0; t < T; t++) {
        const lo = at + starts[t];
        const k = shard.countOf(p, t, n);
        for (let i = 0; i < k; i++) out[c + i] = spikes[lo + i];
        c += k;
      }
      rec.record(out, c, n);
    }
    shard.phaseB(n);
    this.step = n + 1;
    // Monitored state is read when every owner has written this step's (only on the steps a monitor samples).
    for (const rec of this.stateRecorders) {
      if (n % rec.everySteps !== 0) continue;
      this.quiesce();
      rec.record(n);
    }
    for (const rec of this.rateRecorders) rec.record(this.pops[rec.population].count, n);
    if (this.step === this.nSteps && T > 1) {
      this.quiesce();
      this.released = true;
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
