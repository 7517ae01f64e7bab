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
import { TrainingJob } from '../learn/trainer.ts';
import { checkPlan, simulateTrained } from '../learn/sim-check.ts';
import { Network } from '../sim/network.ts';
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
    job = new TrainingJob(plan, trainer);
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
      type: 'train-progress', runId, trainerId: trainer.nodeId, epoch: job.epoch, epochs: job.settings.epochs,
      batch: job.batch, batches: job.batchesPerEpoch, wallMs, ...(report ? { report } : {}),
    });

  function finish(): void {
    if (closed) return;
    closed = true;
    const t = host.now();
    const final = job.test.length > 0 ? job.evaluate(job.test) : null;
    const trainEval = job.evaluate(job.train);
    let simulated: TrainingSummary['simulated'];
    let stats;
    if (job.settings.checkInSimulation) {
      const sim = simulateTrained(job);
      const simMs = host.now() - t;
      simulated = {
        testAccuracy: sim.testAccuracy, trainAccuracy: sim.trainAccuracy, spikesPerSample: sim.spikesPerSample,
        inputSpikesPerSample: sim.inputSpikesPerSample, synopsPerSample: sim.synopsPerSample, samples: sim.samples, simMs,
      };
      stats = sim.net.stats(buildMs, simMs);
    } else stats = new Network(checkPlan(job), { runtimes: runtimeOf }).stats(buildMs, 0);
    const training: TrainingSummary = {
      trainerId: trainer.nodeId, epochs: job.epoch, epochsPlanned: job.settings.epochs, stopped, trainMs,
      trainSamples: job.train.length, testSamples: job.test.length, steps: job.problem.data.steps, history: job.history,
      testAccuracy: final ? final.accuracy : null, trainAccuracy: trainEval.accuracy,
      denseMacsPerSample: job.denseMacsPerSample(), ...(simulated ? { simulated } : {}),
    };
    host.send({ type: 'finished', runId, stopped, stats, training, trainedWeights: job.trainedWeights() });
    host.ended();
  }

  function pump(): void {
    scheduled = false;
    if (closed) return;
    if (stopped || job.done) {
      try {
        finish();
      } catch (e) {
        crash(e);
      }
      return;
    }
    if (paused) return;
    const t0 = host.now();
    const slice = options.noYield ? NO_YIELD_SLICE_MS : SLICE_MS;
    let reported = false;
    try {
      do {
        const report = job.step();
        if (report) {
          progress(trainMs + (host.now() - t0), report);
          reported = true;
        }
      } while (!job.done && host.now() - t0 < slice);
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
