/**
 * A training job: surrogate-gradient training of a plan's trainable network,
 * in steps a host can end after any sample, so it can stream progress, pause,
 * resume and stop promptly. Deterministic: the same plan trains the same weights.
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
  /** Train at most this many samples in all (a host's bound, e.g. the CLI's --duration-ms); absent: no bound. */
  readonly maxSamples?: number;
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
    ...(typeof params.max_samples === 'number' && params.max_samples >= 1 ? { maxSamples: Math.floor(params.max_samples) } : {}),
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
      steps: this.problem.data.steps,
      surrogate: s.surrogate,
      slope: s.slope,
      loss: s.loss,
      readout: this.problem.readout,
    });
    const split = trainTestSplit(this.problem.data.count, s.testFraction, s.seed);
    this.train = split.train;
    this.test = split.test;
    if (this.train.length === 0) throw new Error('no training samples: lower the test fraction or show more samples');
    this.batchesPerEpoch = Math.ceil(this.train.length / s.batchSize);
    this.adam = new Adam(this.net.weights, { lr: s.learningRate });
  }

  get done(): boolean {
    return !this.epochEval && (this.epoch >= this.settings.epochs || this.budgetSpent);
  }

  /** Samples trained so far, over all epochs. */
  samplesTrained = 0;
  /** The sample budget (settings.maxSamples) ended the training early. */
  budgetSpent = false;
  /** Position in the current batch (a batch may be trained across several calls). */
  private sampleInBatch = 0;
  /** The epoch-end evaluation on the test set, while it runs. */
  private epochEval: Evaluation | null = null;

  /** Load sample k's input spikes into the network. */
  private load(k: number): void {
    const d = this.problem.data;
    const T = d.steps;
    this.net.setInput(this.problem.input, d.ptr.subarray(k * T, k * T + T + 1), d.idx);
  }

  /**
   * Train on, one sample at a time, until a mini-batch ends (returning the
   * epoch's report when it ended an epoch) or `shouldYield` says to stop for now
   * (checked after every sample; the next call goes on where this one stopped),
   * so a host can act on Stop within one sample's time.
   */
  step(shouldYield: () => boolean = () => false): EpochReport | null {
    if (this.done) return null;
    if (this.epochEval) return this.endEpoch(shouldYield);
    if (!this.batches) this.batches = epochBatches(this.train, this.settings.batchSize, this.settings.seed, this.epoch);
    const batch = this.batches[this.batch];
    const net = this.net;
    const labels = this.problem.data.labels;
    const budget = this.settings.maxSamples ?? Infinity;
    if (this.sampleInBatch === 0) net.zeroGrads();
    while (this.sampleInBatch < batch.length && this.samplesTrained < budget) {
      const k = batch[this.sampleInBatch++];
      this.load(k);
      const r = net.trainSample(labels[k]);
      this.lossSum += r.loss;
      if (r.predicted === labels[k]) this.correct++;
      this.seen++;
      this.samplesTrained++;
      if (this.sampleInBatch < batch.length && this.samplesTrained < budget && shouldYield()) return null;
    }
    this.adam.step(net.grads, 1 / this.sampleInBatch);
    // Weights stay ≥ 0: the receptor gives the sign (the document's weight contract).
    for (const w of net.weights) for (let k = 0; k < w.length; k++) if (w[k] < 0) w[k] = 0;
    this.sampleInBatch = 0;
    this.batch++;
    if (this.samplesTrained >= budget) this.budgetSpent = this.batch < this.batches.length || this.epoch + 1 < this.settings.epochs;
    if (this.batch < this.batches.length && !this.budgetSpent) return null;
    this.epochEval = new Evaluation(this, this.test);
    if (shouldYield()) return null;
    return this.endEpoch(shouldYield);
  }

  private endEpoch(shouldYield: () => boolean): EpochReport | null {
    const ev = this.epochEval!;
    if (!ev.advance(shouldYield)) return null;
    this.epochEval = null;
    const test = this.test.length > 0 ? ev.result() : null;
    const report: EpochReport = {
      epoch: this.epoch + 1,
      loss: this.lossSum / Math.max(1, this.seen),
      trainAccuracy: this.correct / Math.max(1, this.seen),
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

  /** One evaluation sample: loss, whether it was right, spikes and events. */
  evaluateSample(k: number): { loss: number; correct: boolean; spikes: number; events: number } {
    this.load(k);
    const label = this.problem.data.labels[k];
    const r = this.net.evaluate(label);
    return { loss: r.loss, correct: r.predicted === label, spikes: this.net.spikesLast, events: this.net.eventsLast };
  }

  /** Loss and accuracy of the current weights on some samples, with their mean spikes and synaptic events per sample. */
  evaluate(samples: Int32Array): EvaluationResult {
    const ev = new Evaluation(this, samples);
    ev.advance(() => false);
    return ev.result();
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

export interface EvaluationResult {
  readonly loss: number;
  readonly accuracy: number;
  readonly spikesPerSample: number;
  readonly eventsPerSample: number;
}

/** An evaluation over some samples that can pause between samples (see {@link TrainingJob.step}). */
export class Evaluation {
  private next = 0;
  private loss = 0;
  private correct = 0;
  private spikes = 0;
  private events = 0;

  constructor(
    private readonly job: TrainingJob,
    readonly samples: Int32Array,
  ) {}

  /** Evaluate samples until all are done (true) or `shouldYield` says to stop for now (false). */
  advance(shouldYield: () => boolean): boolean {
    while (this.next < this.samples.length) {
      const r = this.job.evaluateSample(this.samples[this.next++]);
      this.loss += r.loss;
      if (r.correct) this.correct++;
      this.spikes += r.spikes;
      this.events += r.events;
      if (this.next < this.samples.length && shouldYield()) return false;
    }
    return true;
  }

  result(): EvaluationResult {
    const n = Math.max(1, this.samples.length);
    return { loss: this.loss / n, accuracy: this.correct / n, spikesPerSample: this.spikes / n, eventsPerSample: this.events / n };
  }
}
