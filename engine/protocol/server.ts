/**
 * The engine side of the protocol. Hosts (Electron utility process, Web Worker,
 * worker thread, in-process) only adapt their message pipe to an `Endpoint`
 * and inject a clock and a way to yield; everything else is here.
 *
 * One run at a time. The run advances in chunks of steps sized to about
 * `CHUNK_WALL_MS` of wall time; between chunks it streams progress and spikes
 * and yields, so pause, resume, step and stop are handled promptly.
 */
import { Network, BuildCancelled, BuildError, estimateMemory, formatBytes } from '../sim/network.ts';
import { runStats, type RunStats } from '../sim/stats.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';
import { ParallelNetwork, chooseThreads, type ThreadChoice } from '../sim/parallel/parallel-network.ts';
import type { ThreadSupport } from '../sim/parallel/pool.ts';
import type { EngineError, EngineEvent, EngineMessage, Endpoint, ReplyResult, Request, RunOptions, RunStarted } from './messages.ts';
import { PROTOCOL_VERSION, assertNever, transferablesOf } from './messages.ts';
import { startTraining, type TrainingSession } from './training-session.ts';
import { MonitorStatsCollector } from './monitor-stats.ts';
import { parseDatasetFile } from '../format/dataset-file.ts';
import { copyEntry, entryBuffers, provideDatasetFile, type DatasetFileEntry } from '../sim/dataset-files.ts';
import { readPackedImageFolder, type PackedImageFolder } from '../sim/image-folder.ts';

export const ENGINE_VERSION = '0.1.0';

/** What a host provides. */
export interface HostEnv {
  readonly host: string;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Run `cb` after pending incoming messages have been handled. */
  yieldToEvents(cb: () => void): void;
  /** Networks estimated above this are refused before allocation. */
  readonly memoryLimitBytes?: number;
  /** How this host starts simulation threads (engine/sim/parallel); absent: one thread. */
  readonly threads?: ThreadSupport;
}

const CHUNK_WALL_MS = 40;
/** With `noYield`, how long to run between yields. */
const NO_YIELD_SLICE_MS = 500;
/**
 * With `noYield`, how long to run between handing the recorded data out (and at
 * the end of each slice): per chunk of steps, a short run paid the flush's cold
 * code ten times over (~1 ms of a 60 ms CUBA run; bench: streaming overhead), and
 * in-process the chunks wait for the slice's end anyway.
 */
const NO_YIELD_FLUSH_MS = 50;
/**
 * With `noYield`, also hand the recorded data out after a chunk whose spike
 * recorders hold this many spikes, so their buffers stay small and are reused:
 * 50 ms of COBA's spikes grew them by doubling to ~1 MB of fresh memory, whose
 * first touch costs ~3–14 µs a page on this VM (a 1 s COBA run: ~480 more page
 * faults with monitors than without; flushed so, ~310; bench/README.md, session 12).
 */
const NO_YIELD_FLUSH_SPIKES = 1024;

interface ActiveRun {
  readonly id: number;
  readonly net: Network | ParallelNetwork;
  /** Why the run uses fewer threads than asked (one-thread runs; a parallel network carries its own). */
  readonly threadsNote?: string;
  readonly options: RunOptions;
  readonly buildMs: number;
  runMs: number;
  paused: boolean;
  stopped: boolean;
  /** A chunk is scheduled or running. */
  scheduled: boolean;
  chunkSteps: number;
  /** Steps still to do while paused (from `step`). */
  stepBudget: number;
  /** For each `plan.projections` entry, its index in `net.projections` (-1: none). */
  readonly projectionOrder: readonly number[];
  /** Spike monitors' statistics (CV(ISI), synchrony, criticality), fed by `flushSpikes`. */
  readonly monitorStats: MonitorStatsCollector;
}

/** At most one `build-progress` event per this many ms (and always the last). */
const BUILD_PROGRESS_MS = 50;

/** What a run whose build was cancelled reports as started: the plan's figures, nothing built. */
function plannedRun(plan: NetworkPlan, runId: number, buildMs: number): RunStarted {
  let neurons = 0;
  for (const p of plan.populations) if (runtimeOf(p.kind)?.role === 'neurons') neurons += p.size;
  return { runId, neurons, synapses: Math.round(estimateMemory(plan, runtimeOf).synapses), nSteps: plan.nSteps, dtMs: plan.dtMs, buildMs, memoryBytes: 0 };
}

/** The statistics of a run stopped before its network was built: no steps, no spikes. */
function unbuiltStats(plan: NetworkPlan, buildMs: number): RunStats {
  const pops = plan.populations.map((p) => ({ nodeId: p.nodeId, kind: p.kind, size: p.size, total: 0, role: runtimeOf(p.kind)?.role }));
  const net = { step: 0, dtMs: plan.dtMs, synapses: 0, externalEvents: 0, projections: [] };
  return runStats(pops, (p) => (p.role === 'neurons' ? 'neurons' : p.role === 'spike-source' ? 'source' : null), net, buildMs, 0);
}

/** Serve the protocol on `endpoint`; returns a function that stops serving. */
export function serveEngine(endpoint: Endpoint<Request, EngineMessage>, env: HostEnv): () => void {
  let run: ActiveRun | null = null;
  /** A run still building, which a `stop` cancels. */
  let building: false | { readonly runId: number; cancelled: boolean } = false;
  let closed = false;
  let nextRunId = 1;
  /** A training run (a plan with a trainer: protocol/training-session.ts). */
  let training: TrainingSession | null = null;

  const send = (msg: EngineMessage) => endpoint.post(msg, transferablesOf(msg));
  const ok = (reqId: number, result: ReplyResult = null) => send({ type: 'reply', reqId, ok: true, result });
  const fail = (reqId: number, error: EngineError) => send({ type: 'reply', reqId, ok: false, error });

  function flushSpikes(r: ActiveRun): void {
    for (const rec of r.net.recorders) {
      if (rec.pending === 0) continue;
      const { neuron, step } = rec.drain();
      r.monitorStats.accept(rec.monitorId, rec.sourceSlot, neuron, step);
      const ev: EngineEvent = { type: 'spikes', runId: r.id, monitorId: rec.monitorId, source: rec.sourceSlot, neuron, step };
      send(ev);
    }
    for (const rec of r.net.stateRecorders) {
      if (rec.pending === 0) continue;
      const { step0, values } = rec.drain();
      send({
        type: 'state',
        runId: r.id,
        monitorId: rec.monitorId,
        source: rec.sourceSlot,
        variable: rec.variable,
        // A copy: the recorder keeps its own index array, and transferring would detach it.
        neurons: rec.neurons.slice(),
        everySteps: rec.everySteps,
        step0,
        values,
      });
    }
    for (const rec of r.net.rateRecorders) {
      if (rec.pending === 0) continue;
      const { bin0, counts } = rec.drain();
      send({ type: 'rate', runId: r.id, monitorId: rec.monitorId, source: rec.sourceSlot, size: r.net.pops[rec.population].size, binSteps: rec.binSteps, bin0, counts });
    }
    // Weight monitors (sim/weight-recorder.ts) watch plastic projections, which single-thread networks run.
    for (const rec of 'weightRecorders' in r.net ? r.net.weightRecorders : []) {
      if (rec.pending === 0) continue;
      const snap = rec.drain();
      send({ type: 'weights', runId: r.id, monitorId: rec.monitorId, nodeId: rec.nodeId, sourceSize: rec.sourceSize, targetSize: rec.targetSize, ...snap });
    }
  }

  /** The spikes the spike recorders hold, not yet handed out. */
  function pendingSpikes(net: ActiveRun['net']): number {
    const recorders = net.recorders;
    let n = 0;
    for (let k = 0; k < recorders.length; k++) n += recorders[k].pending;
    return n;
  }

  function sendProgress(r: ActiveRun): void {
    const net = r.net;
    send({
      type: 'progress',
      runId: r.id,
      step: net.step,
      nSteps: net.nSteps,
      wallMs: r.runMs,
      counts: net.pops.map((p) => p.total),
      events: r.projectionOrder.map((k) => (k < 0 ? 0 : net.projections[k].events)),
    });
  }

  /**
   * End a run: the last data, then `finished`. What is computed after the run
   * (weights, statistics) may fail without losing the rest: the failure is sent
   * as the event's `note`, with what could be computed.
   */
  function finish(r: ActiveRun): void {
    if (run === r) run = null;
    const problems: string[] = [];
    const attempt = <T>(what: string, f: () => T, fallback: T): T => {
      try {
        return f();
      } catch (e) {
        problems.push(`${what} failed: ${(e as Error).message ?? String(e)}`);
        return fallback;
      }
    };
    attempt('sending the last data', () => flushSpikes(r), undefined);
    attempt('the last progress', () => sendProgress(r), undefined);
    const weights = attempt('reading the plastic weights', () => r.net.plasticWeights(), []);
    const measured = attempt('the run statistics', () => r.net.stats(r.buildMs, r.runMs), null);
    const monitors = attempt("the spike monitors' statistics", () => r.monitorStats.reports(r.net.step), undefined);
    const stats = { threads: 1, ...(r.threadsNote ? { threads_note: r.threadsNote } : {}), ...(measured ?? fallbackStats(r)), ...(monitors ? { monitors } : {}) };
    attempt('ending the threads', () => disposeNet(r), undefined);
    send({ type: 'finished', runId: r.id, stopped: r.stopped, stats, ...(weights.length > 0 ? { weights } : {}), ...(problems.length ? { note: problems.join('; ') } : {}) });
  }

  /** The statistics a run can give without its network's help. */
  function fallbackStats(r: ActiveRun): RunStats {
    const simulated = r.net.step * r.net.dtMs;
    return {
      neurons: r.net.neurons,
      source_channels: 0,
      synapses: r.net.synapses,
      spikes: 0,
      source_spikes: 0,
      mean_rate_hz: 0,
      sparsity: 0,
      synaptic_events: 0,
      external_events: 0,
      dense_macs: 0,
      steps: r.net.step,
      dt_ms: r.net.dtMs,
      simulated_ms: simulated,
      build_ms: r.buildMs,
      run_ms: r.runMs,
      realtime_factor: r.runMs > 0 ? simulated / r.runMs : 0,
      populations: [],
    };
  }

  /** Advance up to `max` steps, timing only the simulation. */
  function advance(r: ActiveRun, max: number): void {
    const net = r.net;
    const end = Math.min(net.nSteps, net.step + max);
    const t0 = env.now();
    while (net.step < end) net.advance();
    const dt = env.now() - t0;
    r.runMs += dt;
    // Aim the next chunk at CHUNK_WALL_MS.
    if (!r.options.chunkSteps && max > 0) {
      const perStep = dt / Math.max(1, max);
      r.chunkSteps = Math.max(1, Math.min(100_000, Math.round(CHUNK_WALL_MS / Math.max(perStep, 1e-6))));
    }
  }

  function pump(r: ActiveRun): void {
    r.scheduled = false;
    if (run !== r) return;
    if (r.stopped || r.net.step >= r.net.nSteps) {
      finish(r);
      return;
    }
    if (r.paused) {
      if (r.stepBudget <= 0) return;
      const n = Math.min(r.stepBudget, r.chunkSteps);
      r.stepBudget -= n;
      try {
        advance(r, n);
      } catch (e) {
        crash(r, e);
        return;
      }
      flushSpikes(r);
      sendProgress(r);
      if (r.net.step >= r.net.nSteps) finish(r);
      else if (r.stepBudget > 0) schedule(r);
      return;
    }
    try {
      if (r.options.noYield) {
        // Still yield now and then, so the consumer takes the chunks as they come
        // instead of holding every spike of the run in the message queue.
        const t0 = env.now();
        let flushed = t0;
        while (r.net.step < r.net.nSteps && env.now() - t0 < NO_YIELD_SLICE_MS) {
          advance(r, r.chunkSteps);
          if (env.now() - flushed >= NO_YIELD_FLUSH_MS || pendingSpikes(r.net) >= NO_YIELD_FLUSH_SPIKES) {
            flushSpikes(r);
            flushed = env.now();
          }
        }
      } else advance(r, r.chunkSteps);
    } catch (e) {
      crash(r, e);
      return;
    }
    flushSpikes(r);
    sendProgress(r);
    schedule(r);
  }

  function schedule(r: ActiveRun): void {
    if (r.scheduled) return;
    r.scheduled = true;
    env.yieldToEvents(() => pump(r));
  }

  /** End a parallel run's threads. */
  function disposeNet(r: ActiveRun): void {
    if (r.net instanceof ParallelNetwork) r.net.dispose();
  }

  function crash(r: ActiveRun, e: unknown): void {
    try {
      // What was recorded before the failure still goes out, before the failure itself.
      flushSpikes(r);
    } catch {
      // The recorders are plain arrays; if even they fail, the failure is what counts.
    }
    disposeNet(r);
    send({ type: 'failed', runId: r.id, error: { code: 'internal', message: `The engine failed at step ${r.net.step}: ${(e as Error).message ?? String(e)}` } });
    if (run === r) run = null;
  }

  function failBuild(reqId: number, e: unknown): void {
    if (e instanceof BuildError) return fail(reqId, { code: e.code, message: e.message, nodeId: e.nodeId });
    const msg = (e as Error).message ?? String(e);
    // An allocation that fails despite the estimate is still "too big".
    if (e instanceof RangeError) {
      return fail(reqId, { code: 'too-big', message: `The network could not be allocated (${msg}); the engine's limit is ${env.memoryLimitBytes ? formatBytes(env.memoryLimitBytes) : 'unknown'}.` });
    }
    return fail(reqId, { code: 'build-failed', message: `Building the network failed: ${msg}` });
  }

  function startRun(req: Extract<Request, { type: 'run' }>): void {
    if (run || building) return fail(req.reqId, { code: 'busy', message: 'A run is already going; stop it first.' });
    const plan = req.plan;
    if (!plan || plan.format !== 'spikeflow-plan' || !Array.isArray(plan.populations)) {
      return fail(req.reqId, { code: 'invalid-plan', message: 'The engine received something that is not a network plan.' });
    }
    const options = req.options ?? {};
    const requested = options.threads;
    if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1)) {
      return fail(req.reqId, { code: 'bad-request', message: `threads must be a whole number ≥ 1 (got ${String(requested)}).` });
    }
    const t0 = env.now();
    const choice: ThreadChoice = chooseThreads(plan, runtimeOf, requested, env.threads, env.memoryLimitBytes);
    if (choice.threads > 1 && env.threads) {
      // The other threads build asynchronously; the run starts when all have. The threads draw their parts
      // whole, so the progress is the start and the end; a `stop` meanwhile ends the run once they are built.
      const pending = { runId: nextRunId++, cancelled: false };
      building = pending;
      const report = (done: number, phase: string) => send({ type: 'build-progress', runId: pending.runId, phase, done, total: 1, wallMs: env.now() - t0 });
      report(0, 'threads');
      ParallelNetwork.start(plan, runtimeOf, choice, env.threads, env.memoryLimitBytes, !!options.profile).then(
        (net) => {
          building = false;
          if (closed) return net.dispose();
          if (pending.cancelled) {
            net.dispose();
            return endUnbuilt(req, plan, pending.runId, env.now() - t0);
          }
          report(1, 'done');
          begin(req, net, t0, undefined, pending.runId);
        },
        (e: unknown) => {
          building = false;
          if (closed) return;
          if (e instanceof BuildError || e instanceof RangeError) return failBuild(req.reqId, e);
          if (pending.cancelled) return endUnbuilt(req, plan, pending.runId, env.now() - t0);
          // Threads that could not start (e.g. a packaged app's file layout) must not cost the run: use one.
          const why = `the simulation threads could not start (${(e as Error).message ?? String(e)}), so the run used one thread`;
          let net: Network;
          try {
            net = new Network(plan, { runtimes: runtimeOf, memoryLimitBytes: env.memoryLimitBytes });
          } catch (e2) {
            return failBuild(req.reqId, e2);
          }
          begin(req, net, t0, why, pending.runId);
        },
      );
      return;
    }
    // One thread: build a piece at a time, reporting progress, so a `stop` can cancel the build.
    const pending = { runId: nextRunId++, cancelled: false };
    building = pending;
    let lastProgress = -Infinity;
    const progress = (done: number, total: number, phase: string) => {
      const now = env.now();
      if (now - lastProgress < BUILD_PROGRESS_MS && phase !== 'done') return;
      lastProgress = now;
      send({ type: 'build-progress', runId: pending.runId, phase, done, total, wallMs: now - t0 });
    };
    Network.build(
      plan,
      { runtimes: runtimeOf, memoryLimitBytes: env.memoryLimitBytes, progress, profile: !!options.profile },
      () => new Promise<void>((resolve) => env.yieldToEvents(resolve)),
      () => pending.cancelled || closed,
    ).then(
      (net) => {
        building = false;
        if (!closed) begin(req, net, t0, choice.note, pending.runId);
      },
      (e: unknown) => {
        building = false;
        if (closed) return;
        if (!(e instanceof BuildCancelled)) return failBuild(req.reqId, e);
        endUnbuilt(req, plan, pending.runId, env.now() - t0);
      },
    );
  }

  /** Stopped while building: the run starts and finishes at once, stopped, with no steps run. */
  function endUnbuilt(req: Extract<Request, { type: 'run' }>, plan: NetworkPlan, runId: number, buildMs: number): void {
    const started = plannedRun(plan, runId, buildMs);
    ok(req.reqId, started);
    send({ type: 'finished', runId, stopped: true, stats: unbuiltStats(plan, buildMs) });
  }

  /**
   * Start a built network's run. `buildStart` is when the build began: the build ends here, once
   * the spike monitors' statistics have their memory (made and touched now, ~2 ms, so the run's
   * first hand-out does not pay for it; it is the monitors' set-up, as the recorders' is).
   */
  function begin(req: Extract<Request, { type: 'run' }>, net: Network | ParallelNetwork, buildStart: number, threadsNote: string | undefined, runId = nextRunId++): void {
    const plan = req.plan;
    const options = req.options ?? {};
    const monitorStats = new MonitorStatsCollector(plan);
    const buildMs = env.now() - buildStart;
    const r: ActiveRun = {
      id: runId,
      net,
      options,
      buildMs,
      runMs: 0,
      threadsNote,
      paused: !!options.startPaused,
      stopped: false,
      scheduled: false,
      chunkSteps: options.chunkSteps ?? 10,
      stepBudget: 0,
      projectionOrder: plan.projections.map((p) => net.projections.findIndex((x) => x.edgeId === p.edgeId)),
      monitorStats,
    };
    run = r;
    ok(req.reqId, { runId: r.id, neurons: net.neurons, synapses: net.synapses, nSteps: net.nSteps, dtMs: net.dtMs, buildMs, memoryBytes: net.memoryBytes });
    if (r.paused) send({ type: 'paused', runId: r.id, step: 0 });
    schedule(r);
  }

  function handle(req: Request): void {
    if (!req || typeof req !== 'object' || typeof (req as { reqId?: unknown }).reqId !== 'number') return;
    switch (req.type) {
      case 'hello':
        if (req.protocol !== PROTOCOL_VERSION) {
          return fail(req.reqId, { code: 'protocol-mismatch', message: `The UI speaks protocol ${req.protocol}, the engine ${PROTOCOL_VERSION}.` });
        }
        return ok(req.reqId, { protocol: PROTOCOL_VERSION, engineVersion: ENGINE_VERSION, host: env.host });
      case 'run':
        if (training) return fail(req.reqId, { code: 'busy', message: 'A training run is going; stop it first.' });
        if (req.plan?.trainers?.length && !(run || building)) {
          training = startTraining(req, nextRunId++, {
            now: () => env.now(),
            yieldToEvents: (cb) => env.yieldToEvents(cb),
            send,
            ok,
            fail,
            ended: () => (training = null),
            memoryLimitBytes: env.memoryLimitBytes,
          });
          return;
        }
        return startRun(req);
      case 'pause':
        if (training) return training.control(req);
        if (!run) return fail(req.reqId, { code: 'no-run', message: 'Nothing is running.' });
        if (!run.paused) {
          run.paused = true;
          send({ type: 'paused', runId: run.id, step: run.net.step });
        }
        return ok(req.reqId);
      case 'resume':
        if (training) return training.control(req);
        if (!run) return fail(req.reqId, { code: 'no-run', message: 'Nothing is running.' });
        if (run.paused) {
          run.paused = false;
          run.stepBudget = 0;
          send({ type: 'resumed', runId: run.id, step: run.net.step });
          schedule(run);
        }
        return ok(req.reqId);
      case 'step':
        if (training) return training.control(req);
        if (!run) return fail(req.reqId, { code: 'no-run', message: 'Nothing is running.' });
        if (!run.paused) return fail(req.reqId, { code: 'bad-request', message: 'Pause the run before stepping it.' });
        if (!(Number.isInteger(req.steps) && req.steps > 0)) return fail(req.reqId, { code: 'bad-request', message: 'steps must be a positive whole number.' });
        run.stepBudget += req.steps;
        schedule(run);
        return ok(req.reqId);
      case 'stop':
        if (training) return training.control(req);
        if (!run && building) {
          building.cancelled = true;
          return ok(req.reqId);
        }
        if (!run) return fail(req.reqId, { code: 'no-run', message: 'Nothing is running.' });
        run.stopped = true;
        run.paused = false;
        ok(req.reqId);
        // Finish now if no chunk is pending (a paused run), otherwise at the next chunk.
        if (!run.scheduled) finish(run);
        return;
      case 'provide-file':
        return provideFile(req);
      case 'provide-image-folder':
        return provideImageFolder(req);
      default:
        return assertNever(req, 'request');
    }
  }

  /** Parse a dataset file's bytes (inflating a gzip is asynchronous) and keep its arrays for the runs that name its path. */
  function provideFile(req: Extract<Request, { type: 'provide-file' }>): void {
    if (typeof req.path !== 'string' || req.path.trim() === '' || !(req.bytes instanceof Uint8Array)) {
      return fail(req.reqId, { code: 'bad-request', message: "provide-file needs a path and the file's bytes." });
    }
    answerEntry(req.reqId, req.path, parseDatasetFile(req.bytes));
  }

  /** Decode an image folder's packed images and keep its arrays, as {@link provideFile}. */
  function provideImageFolder(req: Extract<Request, { type: 'provide-image-folder' }>): void {
    const f = req.folder as Partial<PackedImageFolder> | undefined;
    if (typeof req.path !== 'string' || req.path.trim() === '' || !Array.isArray(f?.classes) || !(f.bytes instanceof Uint8Array)) {
      return fail(req.reqId, { code: 'bad-request', message: "provide-image-folder needs a path and the folder's packed images." });
    }
    answerEntry(req.reqId, req.path, readPackedImageFolder(req.folder));
  }

  /** Keep a parsed dataset entry for the runs that name `path`, and answer it. */
  function answerEntry(reqId: number, path: string, parsed: Promise<DatasetFileEntry>): void {
    parsed.then(
      (entry) => {
        provideDatasetFile(path, entry);
        if (closed) return;
        // The caller gets copies (made here, off its thread) whose buffers are transferred, not cloned on its side.
        const copy = copyEntry(entry);
        endpoint.post({ type: 'reply', reqId: reqId, ok: true, result: copy }, entryBuffers(copy));
      },
      (e: unknown) => {
        if (!closed) fail(reqId, { code: 'internal', message: `Reading "${path}" failed: ${(e as Error).message ?? String(e)}` });
      },
    );
  }

  const unlisten = endpoint.listen(handle);
  return () => {
    unlisten();
    training?.close();
    training = null;
    closed = true;
    if (run) {
      run.stopped = true;
      disposeNet(run);
    }
    run = null;
  };
}
