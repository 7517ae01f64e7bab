/**
 * What an encoder sees over time: a sequence of presentations of input
 * vectors, each shown for a presentation time and followed by a rest time.
 *
 * Time is discretised in whole steps: P = round(presentation / dt) ≥ 1 steps,
 * R = round(rest / dt) steps. Presentation k occupies steps
 * [k·(P + R), k·(P + R) + P); its rest the R steps after. During a rest the
 * input vector is all zeros.
 *
 * The vector of presentation k is either a fixed list of values (every
 * presentation shows the same), or sample s(k) of a dataset. The samples of a
 * subset [first, first + count) are shown in order or shuffled; a shuffled
 * stream draws a fresh permutation per pass (epoch) from its own seed, so every
 * encoder with the same dataset settings shows the same sample at the same time.
 */
import { Rng } from './rng.ts';
import { readSample, type Dataset } from './dataset.ts';
import { stepsOf } from '../core/time.ts';

export interface StreamTiming {
  readonly dtMs: number;
  readonly presentationMs: number;
  readonly restMs: number;
}

export interface DatasetOrder {
  /** First sample of the subset shown. */
  readonly first: number;
  /** Samples in the subset; 0 = all from `first` on. */
  readonly count: number;
  readonly shuffle: boolean;
  /** Seed of the presentation order (independent of the simulation seed). */
  readonly seed: number;
}

/**
 * Held-out samples (a classifier readout's test phase): from presentation
 * `fromPresentation` on, the stream shows samples first, first + 1, …,
 * first + count − 1 in order, cycled, instead of its own subset.
 */
export interface HeldOut {
  readonly fromPresentation: number;
  readonly first: number;
  readonly count: number;
}

/** Steps of a duration, rounded to the nearest whole step. */

export class InputStream {
  /** Values per presentation (the vector length). */
  readonly length: number;
  readonly presentationSteps: number;
  readonly restSteps: number;
  private readonly period: number;
  private readonly fixed: Float64Array | null;
  private readonly dataset: Dataset | null;
  private readonly first: number;
  private readonly count: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private readonly perm: Int32Array;
  private permEpoch = -1;
  private readonly heldOut: HeldOut | null;

  /** A stream of a fixed vector (`values`) or of a dataset's samples. */
  constructor(source: readonly number[] | Dataset, timing: StreamTiming, order: DatasetOrder = { first: 0, count: 0, shuffle: false, seed: 0 }, heldOut: HeldOut | null = null) {
    this.presentationSteps = Math.max(1, stepsOf(timing.presentationMs, timing.dtMs));
    this.restSteps = stepsOf(timing.restMs, timing.dtMs);
    this.period = this.presentationSteps + this.restSteps;
    if (Array.isArray(source)) {
      this.fixed = Float64Array.from(source as readonly number[]);
      this.dataset = null;
      this.length = this.fixed.length;
      this.first = 0;
      this.count = 1;
    } else {
      const d = source as Dataset;
      this.fixed = null;
      this.dataset = d;
      this.length = d.length;
      if (!(order.first >= 0 && order.first < d.count)) throw new Error(`first sample ${order.first} is outside the dataset (${d.count} samples)`);
      this.first = order.first;
      this.count = order.count > 0 ? order.count : d.count - order.first;
      if (this.first + this.count > d.count) {
        throw new Error(`samples ${order.first}…${order.first + this.count - 1} run past the dataset (${d.count} samples)`);
      }
    }
    this.heldOut = this.dataset && heldOut && heldOut.count > 0 ? heldOut : null;
    if (this.heldOut && this.heldOut.first + this.heldOut.count > this.dataset!.count) {
      throw new Error(`held-out samples ${this.heldOut.first}…${this.heldOut.first + this.heldOut.count - 1} run past the dataset (${this.dataset!.count} samples)`);
    }
    this.shuffle = order.shuffle && this.dataset !== null;
    this.seed = order.seed;
    this.perm = new Int32Array(this.shuffle ? this.count : 0);
  }

  /** The presentation that step `step` belongs to (its rest included). */
  presentation(step: number): number {
    return Math.floor(step / this.period);
  }

  /** Whether `step` shows a vector (false during a rest). */
  showing(step: number): boolean {
    return step % this.period < this.presentationSteps;
  }

  /**
   * A number that changes exactly at the steps where the input may change:
   * 2k while presentation k shows, 2k + 1 during its rest.
   */
  segment(step: number): number {
    return 2 * this.presentation(step) + (this.showing(step) ? 0 : 1);
  }

  /** First step of presentation k. */
  onsetStep(k: number): number {
    return k * this.period;
  }

  /** The dataset sample shown in presentation k, or −1 for a stream of fixed values. */
  sampleOf(k: number): number {
    if (!this.dataset) return -1;
    const h = this.heldOut;
    if (h && k >= h.fromPresentation) return h.first + ((k - h.fromPresentation) % h.count);
    const epoch = Math.floor(k / this.count);
    const j = k - epoch * this.count;
    if (!this.shuffle) return this.first + j;
    if (epoch !== this.permEpoch) this.drawPermutation(epoch);
    return this.first + this.perm[j];
  }

  /** The label shown at `step`: the sample's label, or −1 during a rest or for fixed values. */
  labelAt(step: number): number {
    if (!this.dataset || !this.showing(step)) return -1;
    return this.dataset.labels[this.sampleOf(this.presentation(step))];
  }

  /** Write the input vector of `step` into `out` (zeros during a rest). */
  vectorAt(step: number, out: Float64Array): void {
    if (!this.showing(step)) {
      out.fill(0);
      return;
    }
    if (this.fixed) out.set(this.fixed);
    else readSample(this.dataset!, this.sampleOf(this.presentation(step)), out);
  }

  /** Fisher–Yates with a stream per epoch: any epoch can be drawn without drawing the ones before. */
  private drawPermutation(epoch: number): void {
    const p = this.perm;
    for (let i = 0; i < p.length; i++) p[i] = i;
    const rng = new Rng(this.seed, `dataset-order/${epoch}`);
    for (let i = p.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    this.permEpoch = epoch;
  }
}
