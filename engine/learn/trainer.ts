/**
 * A training job: surrogate-gradient training of a plan's trainable network,
 * one mini-batch at a time so a host can stream progress, pause, resume and
 * stop between batches. Deterministic: the same plan trains the same weights.
 */
import type { NetworkPlan, TrainerPlan } from '../core/plan.ts';
import { Adam } from './adam.ts';
import { buildProblem, type TrainingProblem } from './problem.ts';
import { SgNetwork, type SgLoss } from './sg-network.ts';
import { epochBatches, trainTestSplit } from './split.ts';
import type { Surrogate } from './surrogate.ts';

/** The trainer node's settings (engine/kinds/sg-trainer.ts). */
export interface TrainerSettings {
  readonly surrogate: Surrogate;
  readonly slope: number;
  readonly loss: SgLoss;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly testFraction: number;
  readonly seed: number;
  readonly checkInSimulation: boolean;
}

export function trainerSettings(params: Readonly<Record<string, unknown>>): TrainerSettings {
  return {
    surrogate: params.surrogate as Surrogate,
    slope: params.slope as number,
    loss: params.loss as SgLoss,
    epochs: params.epochs as number,
    batchSize: params.batch_size as number,
    learningRate: params.learning_rate as number,
    testFraction: params.test_fraction as number,
    seed: params.seed as number,
    checkInSimulation: params.check_in_simulation as boolean,
  };
}

/** The figures of one finished epoch. */
export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  /** Mean training loss over the epoch's samples (as they were trained). */
  readonly loss: number;
  /** Accuracy on the training samples as they were trained. */
  readonly trainAccuracy: number;
  /** Accuracy of the trained-so-far network on the test samples (null without a test set). */
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
}

export class TrainingJob {
  readonly settings: TrainerSettings;
  readonly problem: TrainingProblem;
  readonly net: SgNetwork;
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly batchesPerEpoch: number;
  readonly history: EpochReport[] = [];
  private readonly adam: Adam;
  /** Epochs done. */
  epoch = 0;
  /** Batches done in the current epoch. */
  batch = 0;
  private batches: Int32Array[] | null = null;
  private lossSum = 0;
  private correct = 0;
  private seen = 0;

  constructor(
    readonly plan: NetworkPlan,
    readonly trainer: TrainerPlan,
  ) {
    this.settings = trainerSettings(trainer.params);
    this.problem = buildProblem(plan, trainer);
    const s = this.settings;
    this.net = new SgNetwork(this.problem.populations, this.problem.projections, {
      steps: this.problem.data.steps, surrogate: s.surrogate, slope: s.slope, loss: s.loss, readout: this.problem.readout,
    });
    const split = trainTestSplit(this.problem.data.count, s.testFraction, s.seed);
    this.train = split.train;
    this.test = split.test;
    if (this.train.length === 0) throw new Error('no training samples: lower the test fraction or show more samples');
    this.batchesPerEpoch = Math.ceil(this.train.length / s.batchSize);
    this.adam = new Adam(this.net.weights, { lr: s.learningRate });
  }

  get done(): boolean {
    return this.epoch >= this.settings.epochs;
  }

  /** Load sample k's input spikes into the network. */
  private load(k: number): void {
    const d = this.problem.data;
    const T = d.steps;
    this.net.setInput(this.problem.input, d.ptr.subarray(k * T, k * T + T + 1), d.idx);
  }

  /** Train one mini-batch; returns the epoch's report when the batch ended an epoch. */
  step(): EpochReport | null {
    if (this.done) return null;
    if (!this.batches) this.batches = epochBatches(this.train, this.settings.batchSize, this.settings.seed, this.epoch);
    const batch = this.batches[this.batch];
    const net = this.net;
    const labels = this.problem.data.labels;
    net.zeroGrads();
    for (let b = 0; b < batch.length; b++) {
      const k = batch[b];
      this.load(k);
      const r = net.trainSample(labels[k]);
      this.lossSum += r.loss;
      if (r.predicted === labels[k]) this.correct++;
      this.seen++;
    }
    this.adam.step(net.grads, 1 / batch.length);
    // Weights stay ≥ 0: the receptor gives the sign (the document's weight contract).
    for (const w of net.weights) for (let k = 0; k < w.length; k++) if (w[k] < 0) w[k] = 0;
    this.batch++;
    if (this.batch < this.batches.length) return null;
    const test = this.test.length > 0 ? this.evaluate(this.test) : null;
    const report: EpochReport = {
      epoch: this.epoch + 1,
      loss: this.lossSum / this.seen,
      trainAccuracy: this.correct / this.seen,
      testAccuracy: test ? test.accuracy : null,
      testLoss: test ? test.loss : null,
    };
    this.history.push(report);
    this.epoch++;
    this.batch = 0;
    this.batches = null;
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
    return report;
  }

  /** Loss and accuracy of the current weights on some samples, with their mean spikes and synaptic events per sample. */
  evaluate(samples: Int32Array): { loss: number; accuracy: number; spikesPerSample: number; eventsPerSample: number } {
    let loss = 0;
    let correct = 0;
    let spikes = 0;
    let events = 0;
    const labels = this.problem.data.labels;
    for (let i = 0; i < samples.length; i++) {
      const k = samples[i];
      this.load(k);
      const r = this.net.evaluate(labels[k]);
      loss += r.loss;
      if (r.predicted === labels[k]) correct++;
      spikes += this.net.spikesLast;
      events += this.net.eventsLast;
    }
    const n = Math.max(1, samples.length);
    return { loss: loss / n, accuracy: correct / n, spikesPerSample: spikes / n, eventsPerSample: events / n };
  }

  /** The trained weights per projection, each synapse with its two ends (CSR order of the projection). */
  trainedWeights(): { edgeId: string; pre: Int32Array; post: Int32Array; w: Float64Array }[] {
    return this.problem.projections.map((p) => {
      const nSyn = p.col.length;
      const pre = new Int32Array(nSyn);
      for (let i = 0; i + 1 < p.rowPtr.length; i++) pre.fill(i, p.rowPtr[i], p.rowPtr[i + 1]);
      return { edgeId: p.edgeId, pre, post: Int32Array.from(p.col), w: p.w.slice() };
    });
  }

  /**
   * Multiply-accumulates of one pass of an equal-sized dense ANN: one weight
   * matrix per pair of connected populations (an exc and an inh wire between
   * the same two populations are one signed matrix), pre size × post size.
   */
  denseMacsPerSample(): number {
    const pairs = new Set<string>();
    let m = 0;
    for (const p of this.problem.projections) {
      const key = `${p.source}/${p.target}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      m += this.problem.populations[p.source].size * this.problem.populations[p.target].size;
    }
    return m;
  }
}
