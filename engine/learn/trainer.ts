/**
 * A training job: surrogate-gradient training of a plan's trainable network,
 * in steps a host can end after any sample, so it can stream progress, pause,
 * resume and stop promptly. Deterministic: the same plan trains the same weights.
 */
import type { NetworkPlan, TrainerPlan } from '../core/plan.ts';
import { buildProblem, type TrainingProblem } from './problem.ts';
import { SgNetwork, type SgLoss } from './sg-network.ts';
import { epochBatches, splitSamples } from './split.ts';
import { createOptimizer, scheduledLr, type LrSchedule, type Optimizer, type OptimizerKind, type OptimizerState } from './optim.ts';
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
  readonly optimizer: OptimizerKind;
  readonly lrSchedule: LrSchedule;
  readonly lrStepEpochs: number;
  readonly lrGamma: number;
  /** L2 weight decay λ: λ·w is added to each weight's gradient. */
  readonly weightDecay: number;
  /** Firing-rate regulariser λ (sg-network.ts). */
  readonly rateRegularizer: number;
  /** The share of the training samples held out for validation (early stopping). */
  readonly validationFraction: number;
  /** Stop after this many epochs without a better validation loss, keeping the best weights (0: never). */
  readonly patience: number;
  /** Train at most this many samples in all (a host's bound, e.g. the CLI's --duration-ms); absent: no bound. */
  readonly maxSamples?: number;
  /** Learn each trained population's time constants with the weights (sg-network.ts `learnTau`). */
  readonly learnTimeConstants: boolean;
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
    optimizer: (params.optimizer as OptimizerKind | undefined) ?? 'adam',
    lrSchedule: (params.lr_schedule as LrSchedule | undefined) ?? 'constant',
    lrStepEpochs: (params.lr_step_epochs as number | undefined) ?? 10,
    lrGamma: (params.lr_gamma as number | undefined) ?? 0.5,
    weightDecay: (params.weight_decay as number | undefined) ?? 0,
    rateRegularizer: (params.rate_regularizer as number | undefined) ?? 0,
    validationFraction: (params.validation_fraction as number | undefined) ?? 0,
    patience: (params.patience as number | undefined) ?? 0,
    learnTimeConstants: (params.learn_time_constants as boolean | undefined) ?? false,
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
  /** Loss and accuracy on the validation samples (null without a validation set). */
  readonly validationLoss?: number | null;
  readonly validationAccuracy?: number | null;
  /** The learning rate the epoch trained with. */
  readonly lr?: number;
  /** Mean spikes per sample of the trained populations over the epoch, by population (readout last). */
  readonly spikesPerSample?: Readonly<Record<string, number>>;
  /** Per trained population over the epoch: mean spike rate, and the mean over its batches of the incoming weights' gradient norm. */
  readonly layers?: readonly LayerStat[];
}

/**
 * One trained population's figures over a batch (or an epoch): for a
 * Learning tab's per-layer plots.
 */
export interface LayerStat {
  /** The population's node id. */
  readonly name: string;
  /** Mean spike rate of its neurons over the samples trained (Hz: spikes / neurons / presentation window). */
  readonly rateHz: number;
  /** L2 norm of the gradient of its incoming weights (the batch-mean gradient the optimiser stepped with, weight decay included). */
  readonly gradNorm: number;
}

/** A misclassified test sample: its index in the dataset's samples (as the encoder shows them), the true and the predicted class. */
export interface Misclassified {
  readonly sample: number;
  readonly label: number;
  readonly predicted: number;
}

/** How many misclassified samples an evaluation keeps (the first ones, in evaluation order). */
export const MISCLASSIFIED_KEPT = 12;

/**
 * Everything a training needs to go on after a stop: the epoch reached, the
 * weights, the optimiser's state and the early-stopping record. JSON-safe.
 */
export interface TrainingCheckpoint {
  readonly format: 'spikeflow-training-checkpoint';
  readonly version: 1;
  readonly trainerId: string;
  readonly epoch: number;
  readonly weights: { readonly edgeId: string; readonly w: number[] }[];
  readonly optimizer: OptimizerState;
  readonly history: EpochReport[];
  readonly best: { readonly loss: number; readonly epoch: number; readonly weights: number[][] } | null;
  /** With learnt time constants: [τm, τexc, τinh, τw] (ms) per trained population, in network order. */
  readonly timeConstants?: number[][];
}

/** A trained population's learnt time constants (ms), named as its node's params (only those its kind has). */
export interface LearntTimeConstants {
  readonly nodeId: string;
  readonly params: Readonly<Record<string, number>>;
}

export class TrainingJob {
  readonly settings: TrainerSettings;
  readonly problem: TrainingProblem;
  readonly net: SgNetwork;
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly validation: Int32Array;
  readonly batchesPerEpoch: number;
  history: EpochReport[] = [];
  private readonly optimizer: Optimizer;
  /** The best validation loss so far, its epoch (1-based) and the weights it had (early stopping). */
  private best: { loss: number; epoch: number; weights: Float64Array[] } | null = null;
  /** Early stopping ended the training (the best weights were restored). */
  stoppedEarly = false;
  /** Spikes per trained population over the current epoch, and over the current batch. */
  private readonly epochSpikes: Float64Array;
  private readonly batchSpikes: Float64Array;
  /** Sum over the epoch's batches of each population's gradient norm. */
  private readonly epochGradNorm: Float64Array;
  /** Per trained population (LIF, in network order), its rate and gradient norm over the last finished batch; empty before the first. */
  layers: LayerStat[] = [];
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
      rateReg: s.rateRegularizer,
      learnTau: s.learnTimeConstants,
      f32Kernels: true,
    });
    const split = splitSamples(this.problem.data.count, s.testFraction, s.validationFraction, s.seed, this.problem.data.testFrom);
    this.train = split.train;
    this.test = split.test;
    this.validation = split.validation;
    if (this.train.length === 0) throw new Error('no training samples: lower the test fraction or show more samples');
    this.batchesPerEpoch = Math.ceil(this.train.length / s.batchSize);
    this.optimizer = createOptimizer(s.optimizer, this.net.parameters, s.learningRate);
    this.epochSpikes = new Float64Array(this.net.pops.length);
    this.batchSpikes = new Float64Array(this.net.pops.length);
    this.epochGradNorm = new Float64Array(this.net.pops.length);
  }

  get done(): boolean {
    return !this.epochEval && (this.epoch >= this.settings.epochs || this.budgetSpent || this.stoppedEarly);
  }

  /** Samples trained so far, over all epochs. */
  samplesTrained = 0;
  /** The sample budget (settings.maxSamples) ended the training early. */
  budgetSpent = false;
  /** Position in the current batch (a batch may be trained across several calls). */
  private sampleInBatch = 0;
  /** The epoch-end evaluations (validation, then test), while they run. */
  private epochEval: { validation: Evaluation; test: Evaluation } | null = null;

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
    if (!this.batches) {
      this.batches = epochBatches(this.train, this.settings.batchSize, this.settings.seed, this.epoch);
      const st = this.settings;
      this.optimizer.lr = scheduledLr(st.lrSchedule, st.learningRate, this.epoch, st.epochs, st.lrStepEpochs, st.lrGamma);
    }
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
      this.countSpikes();
      this.seen++;
      this.samplesTrained++;
      if (this.sampleInBatch < batch.length && this.samplesTrained < budget && shouldYield()) return null;
    }
    net.flushGrads();
    const wd = this.settings.weightDecay;
    if (wd > 0) {
      // L2 decay on the batch mean: λ·w per sample, so the gradient's scale below leaves λ·w.
      const n = this.sampleInBatch;
      net.weights.forEach((w, p) => {
        const g = net.grads[p];
        for (let k = 0; k < w.length; k++) g[k] += wd * n * w[k];
      });
    }
    this.batchLayers(this.sampleInBatch);
    this.optimizer.step(net.parameterGrads, 1 / this.sampleInBatch);
    // Weights stay ≥ 0: the receptor gives the sign (the document's weight contract).
    for (const w of net.weights) for (let k = 0; k < w.length; k++) if (w[k] < 0) w[k] = 0;
    net.applyTimeConstants();
    net.syncWeights();
    this.sampleInBatch = 0;
    this.batch++;
    if (this.samplesTrained >= budget) this.budgetSpent = this.batch < this.batches.length || this.epoch + 1 < this.settings.epochs;
    if (this.batch < this.batches.length && !this.budgetSpent) return null;
    this.epochEval = { validation: new Evaluation(this, this.validation), test: new Evaluation(this, this.test) };
    if (shouldYield()) return null;
    return this.endEpoch(shouldYield);
  }

  /** Add the last sample's spikes per trained population to the epoch's and the batch's counts. */
  private countSpikes(): void {
    const pops = this.net.pops;
    for (let i = 0; i < pops.length; i++) {
      if (!pops[i].spec.lif) continue;
      const s = pops[i].s;
      let c = 0;
      for (let k = 0; k < s.length; k++) c += s[k];
      this.epochSpikes[i] += c;
      this.batchSpikes[i] += c;
    }
  }

  /** Spikes per neuron per presentation window → Hz. */
  private rateHz(spikes: number, pop: number, samples: number): number {
    const windowS = (this.problem.data.steps * this.plan.dtMs) / 1000;
    return spikes / Math.max(1, samples) / this.net.pops[pop].spec.size / windowS;
  }

  /** The finished batch's per-layer figures (before the optimiser's step; `grads` hold the sum over its `n` samples). */
  private batchLayers(n: number): void {
    const net = this.net;
    const sq = new Float64Array(net.pops.length);
    net.projections.forEach((p, k) => {
      const g = net.grads[k];
      let acc = 0;
      for (let i = 0; i < g.length; i++) acc += g[i] * g[i];
      sq[p.target] += acc;
    });
    const layers: LayerStat[] = [];
    net.pops.forEach((p, i) => {
      if (!p.spec.lif) return;
      const gradNorm = Math.sqrt(sq[i]) / n;
      this.epochGradNorm[i] += gradNorm;
      layers.push({ name: p.spec.nodeId, rateHz: this.rateHz(this.batchSpikes[i], i, n), gradNorm });
    });
    this.batchSpikes.fill(0);
    this.layers = layers;
  }

  private endEpoch(shouldYield: () => boolean): EpochReport | null {
    const ev = this.epochEval!;
    if (!ev.validation.advance(shouldYield) || !ev.test.advance(shouldYield)) return null;
    this.epochEval = null;
    const test = this.test.length > 0 ? ev.test.result() : null;
    const val = this.validation.length > 0 ? ev.validation.result() : null;
    const spikes: Record<string, number> = {};
    const layers: LayerStat[] = [];
    const batches = Math.max(1, this.batch);
    this.net.pops.forEach((p, i) => {
      if (!p.spec.lif) return;
      spikes[p.spec.nodeId] = this.epochSpikes[i] / Math.max(1, this.seen);
      layers.push({ name: p.spec.nodeId, rateHz: this.rateHz(this.epochSpikes[i], i, this.seen), gradNorm: this.epochGradNorm[i] / batches });
    });
    const report: EpochReport = {
      epoch: this.epoch + 1,
      loss: this.lossSum / Math.max(1, this.seen),
      trainAccuracy: this.correct / Math.max(1, this.seen),
      testAccuracy: test ? test.accuracy : null,
      testLoss: test ? test.loss : null,
      validationAccuracy: val ? val.accuracy : null,
      validationLoss: val ? val.loss : null,
      lr: this.optimizer.lr,
      spikesPerSample: spikes,
      layers,
    };
    this.history.push(report);
    this.epoch++;
    this.batch = 0;
    this.batches = null;
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
    this.epochSpikes.fill(0);
    this.epochGradNorm.fill(0);
    if (val) this.earlyStopping(val.loss);
    return report;
  }

  /** Keep the weights of the best validation loss; after `patience` epochs without a better one, restore them and stop. */
  private earlyStopping(loss: number): void {
    const patience = this.settings.patience;
    if (this.best === null || loss < this.best.loss) {
      this.best = { loss, epoch: this.epoch, weights: this.net.parameters.map((w) => w.slice()) };
      return;
    }
    if (patience > 0 && this.epoch - this.best.epoch >= patience) {
      this.net.parameters.forEach((w, p) => w.set(this.best!.weights[p]));
      this.net.syncWeights();
      this.net.applyTimeConstants();
      this.stoppedEarly = true;
    }
  }

  /** The state to resume from after the current epoch (call between epochs: at the start or after `step` returned a report). */
  checkpoint(): TrainingCheckpoint {
    if (this.batch !== 0 || this.sampleInBatch !== 0 || this.epochEval) throw new Error('a checkpoint is taken between epochs');
    return {
      format: 'spikeflow-training-checkpoint',
      version: 1,
      trainerId: this.trainer.nodeId,
      epoch: this.epoch,
      weights: this.problem.projections.map((p) => ({ edgeId: p.edgeId, w: Array.from(p.w) })),
      optimizer: this.optimizer.state(),
      history: this.history.slice(),
      best: this.best ? { loss: this.best.loss, epoch: this.best.epoch, weights: this.best.weights.map((w) => Array.from(w)) } : null,
      ...(this.net.tauParams.length > 0 ? { timeConstants: this.net.tauParams.map((t) => Array.from(t)) } : {}),
    };
  }

  /**
   * Go on from a checkpoint of the same network (same wires and synapse
   * counts, same optimiser): weights, optimiser state, epoch and history are
   * restored, so the next epochs train what an uninterrupted run would have.
   * Throws with the reason when it does not fit.
   */
  resume(cp: TrainingCheckpoint): void {
    if (cp?.format !== 'spikeflow-training-checkpoint' || cp.version !== 1) throw new Error('not a Spikeflow training checkpoint (format spikeflow-training-checkpoint, version 1)');
    if (this.epoch !== 0 || this.batch !== 0 || this.sampleInBatch !== 0) throw new Error('a training resumes from a checkpoint only before it starts');
    const projections = this.problem.projections;
    if (cp.weights.length !== projections.length) throw new Error(`the checkpoint has ${cp.weights.length} trained wires, this network ${projections.length}`);
    cp.weights.forEach((x, i) => {
      const p = projections[i];
      if (x.edgeId !== p.edgeId || x.w.length !== p.w.length) {
        throw new Error(`the checkpoint's wire ${i} is "${x.edgeId}" with ${x.w.length} synapses; this network's is "${p.edgeId}" with ${p.w.length}`);
      }
    });
    const taus = this.net.tauParams;
    if ((cp.timeConstants?.length ?? 0) !== taus.length || cp.timeConstants?.some((t, i) => t.length !== taus[i].length)) {
      throw new Error(
        taus.length > 0
          ? 'the checkpoint has no learnt time constants for these populations (was it made with "learn time constants" off?)'
          : 'the checkpoint has learnt time constants; turn "learn time constants" on to resume it',
      );
    }
    this.optimizer.load(cp.optimizer);
    cp.weights.forEach((x, i) => projections[i].w.set(x.w));
    cp.timeConstants?.forEach((t, i) => taus[i].set(t));
    this.net.applyTimeConstants();
    this.net.syncWeights();
    this.epoch = cp.epoch;
    this.history = cp.history.slice();
    this.best = cp.best ? { loss: cp.best.loss, epoch: cp.best.epoch, weights: cp.best.weights.map((w) => Float64Array.from(w)) } : null;
  }

  /** One evaluation sample: loss, its label and the predicted class, whether it was right, spikes and events. */
  evaluateSample(k: number): { loss: number; correct: boolean; label: number; predicted: number; spikes: number; events: number } {
    this.load(k);
    const label = this.problem.data.labels[k];
    const r = this.net.evaluate(label);
    return { loss: r.loss, correct: r.predicted === label, label, predicted: r.predicted, spikes: this.net.spikesLast, events: this.net.eventsLast };
  }

  /** Loss and accuracy of the current weights on some samples, with their mean spikes and synaptic events per sample. */
  evaluate(samples: Int32Array): EvaluationResult {
    const ev = new Evaluation(this, samples);
    ev.advance(() => false);
    return ev.result();
  }

  /** The learnt time constants per trained population (empty when they are not learnt). */
  learntTimeConstants(): LearntTimeConstants[] {
    return this.net.tauPops.map((pi, k) => {
      const st = this.net.pops[pi];
      const [m, e, i, w] = this.net.tauParams[k];
      const model = st.spec.lif!.model ?? 'current';
      const params: Record<string, number> = { tau_m_ms: m };
      if (model !== 'delta') Object.assign(params, { tau_syn_exc_ms: e, tau_syn_inh_ms: i });
      if (model === 'alif') params.tau_w_ms = w;
      return { nodeId: st.spec.nodeId, params };
    });
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
  /** confusion[true][predicted]: sample counts, classes × classes. */
  readonly confusion: number[][];
  /** The first {@link MISCLASSIFIED_KEPT} misclassified samples. */
  readonly misclassified: Misclassified[];
}

/** An evaluation over some samples that can pause between samples (see {@link TrainingJob.step}). */
export class Evaluation {
  private next = 0;
  private loss = 0;
  private correct = 0;
  private spikes = 0;
  private events = 0;
  private readonly confusion: number[][];
  private readonly misclassified: Misclassified[] = [];

  constructor(
    private readonly job: TrainingJob,
    readonly samples: Int32Array,
  ) {
    const classes = job.net.logits.length;
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  }

  /** Evaluate samples until all are done (true) or `shouldYield` says to stop for now (false). */
  advance(shouldYield: () => boolean): boolean {
    while (this.next < this.samples.length) {
      const r = this.job.evaluateSample(this.samples[this.next++]);
      this.loss += r.loss;
      if (r.correct) this.correct++;
      else if (this.misclassified.length < MISCLASSIFIED_KEPT) this.misclassified.push({ sample: this.samples[this.next - 1], label: r.label, predicted: r.predicted });
      if (r.label < this.confusion.length) this.confusion[r.label][r.predicted]++;
      this.spikes += r.spikes;
      this.events += r.events;
      if (this.next < this.samples.length && shouldYield()) return false;
    }
    return true;
  }

  result(): EvaluationResult {
    const n = Math.max(1, this.samples.length);
    return {
      loss: this.loss / n,
      accuracy: this.correct / n,
      spikesPerSample: this.spikes / n,
      eventsPerSample: this.events / n,
      confusion: this.confusion.map((row) => row.slice()),
      misclassified: this.misclassified.slice(),
    };
  }
}
