/**
 * The trained weights in the event-driven simulation: the plan is run by the
 * engine's own Network with the trained weights stored on their projections,
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
  const nSteps = problem.data.count * problem.data.periodSteps;
  return {
    ...plan,
    nSteps,
    durationMs: nSteps * plan.dtMs,
    populations: plan.populations.map((p, i) => (i === encoderIndex ? { ...p, params: sequentialParams(p.params) } : p)),
    projections: plan.projections.map((p): ProjectionPlan => {
      const t = trained.get(p.edgeId);
      return t ? { ...p, synapses: { pre: Array.from(t.pre), post: Array.from(t.post), w: Array.from(t.w) } } : p;
    }),
    monitors: [],
    trainers: [],
  };
}

export function simulateTrained(job: TrainingJob): SimCheck {
  const { problem } = job;
  const data = problem.data;
  const net = new Network(checkPlan(job), { runtimes: runtimeOf });
  const ro = problem.planIndex[problem.readout];
  const inputPop = net.pops[problem.planIndex[problem.input]];
  const trainedPops = problem.planIndex.slice(1).map((i) => net.pops[i]);
  const trainedEdges = new Set(problem.projections.map((p) => p.edgeId));
  const projections = net.projections.filter((p) => trainedEdges.has(p.edgeId));
  const readout = net.pops[ro];
  const counts = new Float64Array(readout.size);
  const isTest = new Uint8Array(data.count);
  const evalSet = job.test.length > 0 ? job.test : job.train;
  for (const k of evalSet) isTest[k] = 1;
  let testCorrect = 0;
  let trainCorrect = 0;
  let spikes = 0;
  let inputSpikes = 0;
  let events = 0;
  const T = data.steps;
  for (let k = 0; k < data.count; k++) {
    counts.fill(0);
    const s0 = trainedPops.reduce((a, p) => a + p.total, 0);
    const i0 = inputPop.total;
    const e0 = projections.reduce((a, p) => a + p.events, 0);
    for (let n = 0; n < data.periodSteps; n++) {
      net.advance();
      if (n >= T) continue;
      for (let j = 0; j < readout.count; j++) counts[readout.spikes[j]]++;
    }
    const ok = argmax(counts) === data.labels[k];
    if (isTest[k]) {
      if (ok) testCorrect++;
      spikes += trainedPops.reduce((a, p) => a + p.total, 0) - s0;
      inputSpikes += inputPop.total - i0;
      events += projections.reduce((a, p) => a + p.events, 0) - e0;
    } else if (ok) trainCorrect++;
  }
  const nTest = evalSet.length;
  const nTrain = data.count - (job.test.length > 0 ? nTest : 0);
  return {
    testAccuracy: testCorrect / Math.max(1, nTest),
    trainAccuracy: job.test.length > 0 ? trainCorrect / Math.max(1, nTrain) : testCorrect / Math.max(1, nTest),
    spikesPerSample: spikes / Math.max(1, nTest),
    inputSpikesPerSample: inputSpikes / Math.max(1, nTest),
    synopsPerSample: events / Math.max(1, nTest),
    samples: nTest,
    steps: net.step,
    net,
  };
}
