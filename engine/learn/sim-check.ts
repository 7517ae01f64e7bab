/**
 * The trained weights in the event-driven simulation: the plan is run by the
 * engine's own Network with the trained weights stored on their projections
 * (and learnt time constants, if any, in their populations' params),
 * the encoder showing every sample of its subset in order, and the class of
 * a sample is the readout neuron with the most spikes in its presentation
 * window (ties to the lowest index, as in training). State carries over from
 * one sample to the next, as in any run: the encoder's rest lets it decay.
 */
import type { NetworkPlan, ProjectionPlan } from '../core/plan.ts';
import { Network } from '../sim/network.ts';
import { argmax } from './loss.ts';
import { sequentialParams } from './problem.ts';
import type { TrainingJob } from './trainer.ts';
import { runtimeOf } from '../kinds/index.ts';

export interface SimCheck {
  /** Accuracy on the test samples (the training samples when there is no test set). */
  readonly testAccuracy: number;
  readonly trainAccuracy: number;
  /** Per test sample: spikes of the trained populations, input spikes, and synaptic events of the trained projections. */
  readonly spikesPerSample: number;
  readonly inputSpikesPerSample: number;
  readonly synopsPerSample: number;
  readonly samples: number;
  readonly steps: number;
  /** The network the check ran, for its statistics. */
  readonly net: Network;
}

/** The plan of the check: trained weights stored, samples in order, every sample shown once, no monitors. */
export function checkPlan(job: TrainingJob): NetworkPlan {
  const { plan, problem } = job;
  const trained = new Map(job.trainedWeights().map((x) => [x.edgeId, x]));
  const encoderIndex = problem.planIndex[problem.input];
  const readoutIndex = problem.planIndex[problem.readout];
  const silent = job.settings.loss === 'mean-v';
  const taus = new Map(job.learntTimeConstants().map((t) => [t.nodeId, t.params]));
  const nSteps = problem.data.count * problem.data.periodSteps;
  return {
    ...plan,
    nSteps,
    durationMs: nSteps * plan.dtMs,
    populations: plan.populations.map((p0, i) => {
      // Learnt time constants replace the node's own.
      const p = taus.has(p0.nodeId) ? { ...p0, params: { ...p0.params, ...taus.get(p0.nodeId) } } : p0;
      return i === encoderIndex ? { ...p, params: sequentialParams(p.params) } : i === readoutIndex && silent ? { ...p, params: { ...p.params, v_th_mv: Number.MAX_VALUE } } : p;
    }),
    projections: plan.projections.map((p): ProjectionPlan => {
      const t = trained.get(p.edgeId);
      return t ? { ...p, synapses: { pre: Array.from(t.pre), post: Array.from(t.post), w: Array.from(t.w) } } : p;
    }),
    monitors: [],
    trainers: [],
  };
}

/**
 * The check, run a sample at a time: `advance` goes on until every sample is
 * shown (true) or `shouldYield` says to stop for now (false), so a host stays
 * responsive to Stop.
 */
export class SimulationCheck {
  readonly net: Network;
  private readonly job: TrainingJob;
  private readonly counts: Float64Array;
  private readonly isTest: Uint8Array;
  private readonly evalSet: Int32Array;
  private readonly trainedPops: Network['pops'];
  private readonly projections: Network['projections'];
  private k = 0;
  private testCorrect = 0;
  private trainCorrect = 0;
  private spikes = 0;
  private inputSpikes = 0;
  private events = 0;

  constructor(job: TrainingJob) {
    const { problem } = job;
    this.job = job;
    this.net = new Network(checkPlan(job), { runtimes: runtimeOf });
    this.trainedPops = problem.planIndex.slice(1).map((i) => this.net.pops[i]);
    const trainedEdges = new Set(problem.projections.map((p) => p.edgeId));
    this.projections = this.net.projections.filter((p) => trainedEdges.has(p.edgeId));
    this.counts = new Float64Array(this.net.pops[problem.planIndex[problem.readout]].size);
    this.isTest = new Uint8Array(problem.data.count);
    this.evalSet = job.test.length > 0 ? job.test : job.train;
    for (const k of this.evalSet) this.isTest[k] = 1;
  }

  advance(shouldYield: () => boolean): boolean {
    const { problem } = this.job;
    const data = problem.data;
    const net = this.net;
    const readout = net.pops[problem.planIndex[problem.readout]];
    const inputPop = net.pops[problem.planIndex[problem.input]];
    const T = data.steps;
    const counts = this.counts;
    while (this.k < data.count) {
      const k = this.k++;
      counts.fill(0);
      const s0 = this.trainedPops.reduce((a, p) => a + p.total, 0);
      const i0 = inputPop.total;
      const e0 = this.projections.reduce((a, p) => a + p.events, 0);
      const loss = this.job.settings.loss;
      const v = loss === 'mean-v' ? readout.group!.stateVar!('v')! : null;
      for (let n = 0; n < data.periodSteps; n++) {
        net.advance();
        if (n >= T) continue;
        if (v) for (let j = 0; j < v.length; j++) counts[j] += v[j];
        else if (loss === 'first-spike') {
          // Score T − n for the step of the first spike: the earliest neuron has the highest.
          for (let j = 0; j < readout.count; j++) if (counts[readout.spikes[j]] === 0) counts[readout.spikes[j]] = T - n;
        } else for (let j = 0; j < readout.count; j++) counts[readout.spikes[j]]++;
      }
      const ok = argmax(counts) === data.labels[k];
      if (this.isTest[k]) {
        if (ok) this.testCorrect++;
        this.spikes += this.trainedPops.reduce((a, p) => a + p.total, 0) - s0;
        this.inputSpikes += inputPop.total - i0;
        this.events += this.projections.reduce((a, p) => a + p.events, 0) - e0;
      } else if (ok) this.trainCorrect++;
      if (this.k < data.count && shouldYield()) return false;
    }
    return true;
  }

  result(): SimCheck {
    const job = this.job;
    const nTest = this.evalSet.length;
    const nTrain = job.problem.data.count - (job.test.length > 0 ? nTest : 0);
    return {
      testAccuracy: this.testCorrect / Math.max(1, nTest),
      trainAccuracy: job.test.length > 0 ? this.trainCorrect / Math.max(1, nTrain) : this.testCorrect / Math.max(1, nTest),
      spikesPerSample: this.spikes / Math.max(1, nTest),
      inputSpikesPerSample: this.inputSpikes / Math.max(1, nTest),
      synopsPerSample: this.events / Math.max(1, nTest),
      samples: nTest,
      steps: this.net.step,
      net: this.net,
    };
  }
}

export function simulateTrained(job: TrainingJob): SimCheck {
  const check = new SimulationCheck(job);
  check.advance(() => false);
  return check.result();
}
