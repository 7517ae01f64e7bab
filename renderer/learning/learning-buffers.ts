/**
 * The learning curve of the current training run: the epochs reported by
 * `train-progress` events, how far the run is, and the final summary. The run
 * controller fills it; the Learning tab (LearningPanel.tsx) draws it.
 */
import type { EpochReport, TrainProgressEvent, TrainingSummary } from '../../engine/protocol/messages.ts';

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
  }

  push(e: TrainProgressEvent): void {
    this.trainerId = e.trainerId;
    this.epochs = e.epochs;
    this.epoch = e.epoch;
    this.batch = e.batch;
    this.batches = e.batches;
    this.wallMs = e.wallMs;
    if (e.report) this.history.push(e.report);
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
