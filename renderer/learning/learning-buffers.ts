/**
 * The learning curve of the current training run: the epochs reported by
 * `train-progress` events, how far the run is, and the final summary. The run
 * controller fills it; the Learning tab (LearningPanel.tsx) draws it.
 */
import type { EpochReport, TrainProgressEvent, TrainingSummary } from '../../engine/protocol/messages.ts';
import type { NetworkPlan } from '../../engine/core/plan.ts';
import type { TrainingCheckpoint } from '../../engine/learn/trainer.ts';

/** The most points a per-layer series keeps; when full, neighbouring points are averaged in pairs. */
export const MAX_LAYER_POINTS = 400;

/** One trained population's figures over the run: after each reported batch, its spike rate and gradient norm. */
export interface LayerSeries {
  readonly name: string;
  /** Batches trained (over all epochs) when each point was reported. */
  readonly at: number[];
  readonly rateHz: number[];
  readonly gradNorm: number[];
}

export class LearningBuffers {
  /** The trainer of the current run, or null when the run does not train. */
  trainerId: string | null = null;
  epochs = 0;
  /** Epochs done, and batches done in the current epoch. */
  epoch = 0;
  batch = 0;
  batches = 0;
  wallMs = 0;
  readonly history: EpochReport[] = [];
  summary: TrainingSummary | null = null;
  /** Per trained population (network order), from the `layers` of train-progress events. */
  readonly layers: LayerSeries[] = [];
  /** The last batch whose layer figures were kept (a slice without a new batch repeats them). */
  private layersAt = -1;
  /** The state to resume from after the last finished epoch (the app always asks for it). */
  checkpoint: TrainingCheckpoint | null = null;
  /** A checkpoint the next training run starts from (loaded from a file, or the last run's); used once. */
  resumeFrom: { checkpoint: TrainingCheckpoint; source: string } | null = null;
  /** What the current run resumed from, for the status line. */
  resumedFrom: string | null = null;
  /** The params of the encoder feeding the training (its dataset draws the misclassified samples). */
  encoderParams: Readonly<Record<string, unknown>> | null = null;

  /** A new run: training towards `trainerId` for `epochs` epochs, or no training (null). */
  reset(trainerId: string | null, epochs = 0): void {
    this.trainerId = trainerId;
    this.epochs = epochs;
    this.epoch = 0;
    this.batch = 0;
    this.batches = 0;
    this.wallMs = 0;
    this.history.length = 0;
    this.summary = null;
    this.layers.length = 0;
    this.layersAt = -1;
    this.checkpoint = null;
    // What adjust() recorded for this run stays (the run controller resets after sending the plan).
    if (trainerId === null) {
      this.resumedFrom = null;
      this.encoderParams = null;
    }
  }

  /**
   * The plan about to run, adjusted: a training always sends a checkpoint after each
   * epoch (so a stopped run can be resumed or saved), and starts from
   * {@link resumeFrom} when one is set (then cleared). Remembers the encoder's params.
   */
  adjust(plan: NetworkPlan): NetworkPlan {
    const trainer = plan.trainers?.[0];
    if (!trainer) return plan;
    const datasetInputs = ['digits', 'custom', 'file'];
    this.encoderParams = plan.populations.find((p) => datasetInputs.includes(String(p.params.input)))?.params ?? null;
    const resume = this.resumeFrom;
    this.resumeFrom = null;
    this.resumedFrom = resume ? resume.source : null;
    const params = { ...trainer.params, emit_checkpoints: true, ...(resume ? { resume_from: resume.checkpoint } : {}) };
    return { ...plan, trainers: [{ ...trainer, params }, ...plan.trainers!.slice(1)] };
  }

  push(e: TrainProgressEvent): void {
    this.trainerId = e.trainerId;
    this.epochs = e.epochs;
    this.epoch = e.epoch;
    this.batch = e.batch;
    this.batches = e.batches;
    this.wallMs = e.wallMs;
    if (e.report) this.history.push(e.report);
    if (e.checkpoint) this.checkpoint = e.checkpoint;
    const at = e.epoch * e.batches + e.batch;
    if (e.layers && at !== this.layersAt) {
      this.layersAt = at;
      for (const l of e.layers) {
        let s = this.layers.find((x) => x.name === l.name);
        if (!s) this.layers.push((s = { name: l.name, at: [], rateHz: [], gradNorm: [] }));
        s.at.push(at);
        s.rateHz.push(l.rateHz);
        s.gradNorm.push(l.gradNorm);
        if (s.at.length > MAX_LAYER_POINTS) for (const a of [s.at, s.rateHz, s.gradNorm]) halve(a);
      }
    }
  }

  finish(summary: TrainingSummary | undefined): void {
    if (!summary) return;
    this.summary = summary;
    this.epoch = summary.epochs;
    this.wallMs = summary.trainMs;
    // The summary's history is authoritative (events may have been skipped).
    this.history.splice(0, this.history.length, ...summary.history);
  }
}

/** Average neighbouring values in pairs, in place (an odd last value stays). */
function halve(a: number[]): void {
  const n = Math.floor(a.length / 2);
  for (let k = 0; k < n; k++) a[k] = (a[2 * k] + a[2 * k + 1]) / 2;
  if (a.length % 2 === 1) a[n] = a[a.length - 1];
  a.length = n + (a.length % 2);
}

/** One curve of a learning-curve chart: an SVG path over the chart's box. */
export interface CurvePath {
  readonly key: string;
  readonly d: string;
}

/**
 * SVG paths of series over epochs 1 … `epochs` in a `width` × `height` box,
 * y from `yMin` (bottom) to `yMax` (top); null values break nothing, they are
 * skipped. A single point draws as a dot-sized segment.
 */
export function curvePaths(series: readonly { key: string; values: readonly (number | null)[] }[], epochs: number, width: number, height: number, yMin: number, yMax: number): CurvePath[] {
  const span = Math.max(1, epochs - 1);
  const x = (e: number) => (epochs <= 1 ? width / 2 : ((e - 1) / span) * width);
  const y = (v: number) => height - ((Math.min(yMax, Math.max(yMin, v)) - yMin) / (yMax - yMin || 1)) * height;
  return series.map((s) => {
    const parts: string[] = [];
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      parts.push(`${parts.length === 0 ? 'M' : 'L'}${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`);
    });
    if (parts.length === 1) parts.push(`h0.1`);
    return { key: s.key, d: parts.join(' ') };
  });
}

/** A y range for losses: 0 to a round value above the largest. */
export function lossRange(history: readonly EpochReport[]): number {
  let max = 0;
  for (const h of history) max = Math.max(max, h.loss, h.testLoss ?? 0);
  if (max <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(max)));
  return Math.ceil(max / p) * p;
}
