/**
 * The engine side of a training run: a `run` whose plan has a trainer trains
 * (engine/learn/) instead of simulating. Batches run in slices of about
 * `SLICE_MS` of wall time; between slices the session streams
 * `train-progress` and yields, so pause, resume and stop act between batches.
 * At the end it checks the trained weights in the event-driven simulation and
 * sends `finished` with the summary and the weights.
 */
import type { NetworkPlan } from '../core/plan.ts';
import { TrainError } from '../learn/problem.ts';
import { Evaluation, TrainingJob, type EvaluationResult, type TrainingCheckpoint } from '../learn/trainer.ts';
import { checkPlan, SimulationCheck } from '../learn/sim-check.ts';
import { estimateTraining } from '../learn/limits.ts';
import { Network, formatBytes } from '../sim/network.ts';
import type { RunStats } from '../sim/stats.ts';
import type { EngineError, EngineMessage, Request, RunOptions, RunStarted, TrainingSummary } from './messages.ts';
import { runtimeOf } from '../kinds/index.ts';

const SLICE_MS = 40;
const NO_YIELD_SLICE_MS = 500;

export interface TrainingHost {
  now(): number;
  yieldToEvents(cb: () => void): void;
  send(msg: EngineMessage): void;
  ok(reqId: number, result: RunStarted | null): void;
  fail(reqId: number, error: EngineError): void;
  /** Called once when the session has sent `finished` or `failed`. */
  ended(): void;
  /** Trainings estimated above this are refused before allocation. */
  readonly memoryLimitBytes?: number;
}

export interface TrainingSession {
  /** Handle pause, resume, step or stop of the running session. */
  control(req: Extract<Request, { type: 'pause' | 'resume' | 'step' | 'stop' }>): void;
  /** End without sending anything (the server is closing). */
  close(): void;
}

/** Start a training run for `req` (its plan has a trainer); replies to the request. Returns null when it failed to start. */
export function startTraining(req: { reqId: number; plan: NetworkPlan; options?: RunOptions }, runId: number, host: TrainingHost): TrainingSession | null {
  const plan = req.plan;
  const trainer = plan.trainers![0];
  const t0 = host.now();
  let job: TrainingJob;
  try {
    const est = estimateTraining(plan, trainer);
    const limit = host.memoryLimitBytes ?? Infinity;
    if (est.bytes > limit) {
      host.fail(req.reqId, {
        code: 'too-big',
        message:
          `The training needs about ${formatBytes(est.bytes)}, more than the engine's limit of ${formatBytes(limit)}. ` +
          `Make "${est.nodeId}" smaller (field ${est.field}), or shorten the encoder's presentation_ms or sample_count.`,
        nodeId: est.nodeId,
      });
      return null;
    }
    job = new TrainingJob(plan, trainer);
    // A host resuming a stopped training hands its checkpoint in with the trainer's params.
    if (trainer.params.resume_from) {
      try {
        job.resume(trainer.params.resume_from as TrainingCheckpoint);
      } catch (e) {
        throw new TrainError(`The checkpoint cannot resume this training: ${(e as Error).message}`, trainer.nodeId);
      }
    }
  } catch (e) {
    if (e instanceof TrainError) host.fail(req.reqId, { code: 'build-failed', message: e.message, nodeId: e.nodeId });
    else host.fail(req.reqId, { code: 'build-failed', message: `Preparing the training failed: ${(e as Error).message ?? String(e)}`, nodeId: trainer.nodeId });
    return null;
  }
  const buildMs = host.now() - t0;
  const options = req.options ?? {};
  let paused = !!options.startPaused;
  let stopped = false;
  let scheduled = false;
  let closed = false;
  let trainMs = 0;
  const neurons = job.problem.populations.reduce((a, p) => a + (p.lif ? p.size : 0), 0);
  const synapses = job.problem.projections.reduce((a, p) => a + p.col.length, 0);
  host.ok(req.reqId, { runId, neurons, synapses, nSteps: plan.nSteps, dtMs: plan.dtMs, buildMs, memoryBytes: 0 });
  if (paused) host.send({ type: 'paused', runId, step: 0 });

  const progress = (wallMs: number, report?: ReturnType<TrainingJob['step']>) =>
    host.send({
      type: 'train-progress',
      runId,
      trainerId: trainer.nodeId,
      epoch: job.epoch,
      epochs: job.settings.epochs,
      batch: job.batch,
      batches: job.batchesPerEpoch,
      wallMs,
      ...(job.layers.length > 0 ? { layers: job.layers } : {}),
      ...(report ? { report } : {}),
      ...(report && trainer.params.emit_checkpoints ? { checkpoint: job.checkpoint() } : {}),
    });

  /** The final passes (after the last epoch), run in slices like the training. */
  let finalTest: Evaluation | null = null;
  let finalTrain: Evaluation | null = null;
  let check: SimulationCheck | null = null;
  let checkMs = 0;
  let finalStarted = false;

  /** Advance the final passes within the slice; true when all are done. */
  function finalPasses(shouldYield: () => boolean): boolean {
    if (!finalStarted) {
      finalStarted = true;
      if (job.test.length > 0) finalTest = new Evaluation(job, job.test);
      finalTrain = new Evaluation(job, job.train);
    }
    if (finalTest && !finalTest.advance(shouldYield)) return false;
    if (finalTrain && !finalTrain.advance(shouldYield)) return false;
    if (!job.settings.checkInSimulation) return true;
    const t = host.now();
    check ??= new SimulationCheck(job);
    const doneCheck = check.advance(shouldYield);
    checkMs += host.now() - t;
    return doneCheck;
  }

  function finish(): void {
    if (closed) return;
    closed = true;
    // A stop skips the final passes: the last finished epoch's figures stand.
    const last = job.history[job.history.length - 1];
    const complete = !stopped;
    const final: EvaluationResult | null = complete && finalTest ? finalTest.result() : null;
    const trainEval = complete && finalTrain ? finalTrain.result() : null;
    let simulated: TrainingSummary['simulated'];
    let stats: RunStats | undefined;
    let note: string | undefined;
    try {
      if (complete && check) {
        const sim = check.result();
        simulated = {
          testAccuracy: sim.testAccuracy,
          trainAccuracy: sim.trainAccuracy,
          spikesPerSample: sim.spikesPerSample,
          inputSpikesPerSample: sim.inputSpikesPerSample,
          synopsPerSample: sim.synopsPerSample,
          samples: sim.samples,
          simMs: checkMs,
        };
        stats = sim.net.stats(buildMs, checkMs);
      } else stats = new Network(checkPlan(job), { runtimes: runtimeOf }).stats(buildMs, 0);
    } catch (e) {
      // The trained weights are the result: a failure in the statistics must not lose them.
      note = `the statistics after training failed: ${(e as Error).message ?? String(e)}`;
    }
    const training: TrainingSummary = {
      trainerId: trainer.nodeId,
      epochs: job.epoch,
      epochsPlanned: job.settings.epochs,
      stopped,
      trainMs,
      trainSamples: job.train.length,
      testSamples: job.test.length,
      steps: job.problem.data.steps,
      history: job.history,
      testAccuracy: final ? final.accuracy : complete || !last ? null : last.testAccuracy,
      trainAccuracy: trainEval ? trainEval.accuracy : last ? last.trainAccuracy : null,
      denseMacsPerSample: job.denseMacsPerSample(),
      ...(job.settings.learnTimeConstants ? { timeConstants: job.learntTimeConstants() } : {}),
      ...(final ? { confusion: final.confusion, misclassified: final.misclassified } : {}),
      ...(simulated ? { simulated } : {}),
      ...(job.budgetSpent ? { budgetSpent: true } : {}),
      ...(note ? { note } : {}),
    };
    host.send({ type: 'finished', runId, stopped, stats: stats ?? emptyStats(plan, buildMs), training, trainedWeights: job.trainedWeights() });
    host.ended();
  }

  function pump(): void {
    scheduled = false;
    if (closed) return;
    const t0 = host.now();
    const slice = options.noYield ? NO_YIELD_SLICE_MS : SLICE_MS;
    const shouldYield = () => host.now() - t0 >= slice;
    if (stopped || job.done) {
      try {
        if (!stopped && !finalPasses(shouldYield)) {
          schedule();
          return;
        }
        finish();
      } catch (e) {
        crash(e);
      }
      return;
    }
    if (paused) return;
    let reported = false;
    try {
      do {
        const report = job.step(shouldYield);
        if (report) {
          progress(trainMs + (host.now() - t0), report);
          reported = true;
        }
      } while (!job.done && !shouldYield());
    } catch (e) {
      crash(e);
      return;
    }
    trainMs += host.now() - t0;
    // Within an epoch, say how far it is.
    if (!reported) progress(trainMs);
    schedule();
  }

  function crash(e: unknown): void {
    if (closed) return;
    closed = true;
    host.send({ type: 'failed', runId, error: { code: 'internal', message: `Training failed in epoch ${job.epoch + 1}: ${(e as Error).message ?? String(e)}`, nodeId: trainer.nodeId } });
    host.ended();
  }

  function schedule(): void {
    if (scheduled || closed) return;
    scheduled = true;
    host.yieldToEvents(pump);
  }

  schedule();
  return {
    control(r) {
      switch (r.type) {
        case 'pause':
          if (!paused) {
            paused = true;
            host.send({ type: 'paused', runId, step: job.epoch });
          }
          return host.ok(r.reqId, null);
        case 'resume':
          if (paused) {
            paused = false;
            host.send({ type: 'resumed', runId, step: job.epoch });
            schedule();
          }
          return host.ok(r.reqId, null);
        case 'step':
          return host.fail(r.reqId, { code: 'bad-request', message: 'A training run cannot be stepped; pause, resume or stop it.' });
        case 'stop':
          stopped = true;
          paused = false;
          host.ok(r.reqId, null);
          if (!scheduled) pump();
          return;
      }
    },
    close() {
      closed = true;
    },
  };
}

/** Statistics of a training whose network statistics failed: the counts the plan gives, nothing measured. */
function emptyStats(plan: NetworkPlan, buildMs: number): RunStats {
  return {
    neurons: plan.populations.reduce((a, p) => a + p.size, 0),
    source_channels: 0,
    synapses: 0,
    spikes: 0,
    source_spikes: 0,
    mean_rate_hz: 0,
    sparsity: 0,
    synaptic_events: 0,
    external_events: 0,
    dense_macs: 0,
    steps: 0,
    dt_ms: plan.dtMs,
    simulated_ms: 0,
    build_ms: buildMs,
    run_ms: 0,
    realtime_factor: 0,
    populations: [],
  };
}
