/**
 * Input sources: spike sources (emit indices per step) and current sources
 * (one value per step for every neuron of the target).
 */
import type { BuildContext, CurrentSource, SpikeSource } from './runtime.ts';
import type { Rng } from './rng.ts';
import { firstStepFrom, spikeStepOf } from '../core/time.ts';

/** A piecewise-constant rate: `ratesHz[k]` from `timesMs[k]` until the next time; 0 before the first. */
export interface PiecewiseRate {
  readonly timesMs: readonly number[];
  readonly ratesHz: readonly number[];
}

/**
 * Independent Poisson trains: each channel spikes in a step with probability
 * p = rate·dt. The (step, channel) trials are treated as one Bernoulli sequence
 * and the gaps between successes are drawn geometrically, so the cost is per
 * spike, not per channel, and the statistics are those of independent draws.
 *
 * A piecewise rate holds piece k in the steps n with times_ms[k] ≤ n·dt <
 * times_ms[k+1] (as the step current); the gap is redrawn where the rate
 * changes, which is exact because the trials are memoryless.
 */
export class PoissonSource implements SpikeSource {
  private next: number;
  private p = 0;
  private readonly rng: Rng;
  /** First step of each piece, ascending, and its spike probability per step. */
  private readonly pieceStart: number[];
  private readonly pieceP: number[];
  private piece = -1;
  /** First step of the next piece (Infinity after the last). */
  private pieceEnd = 0;

  constructor(
    readonly size: number,
    rate: number | PiecewiseRate,
    ctx: BuildContext,
  ) {
    const prob = (hz: number) => Math.min(1, (hz * ctx.dtMs) / 1000);
    this.rng = ctx.rng;
    if (typeof rate === 'number') {
      this.pieceStart = [0];
      this.pieceP = [prob(rate)];
    } else {
      this.pieceStart = [0];
      this.pieceP = [0];
      rate.timesMs.forEach((t, k) => {
        const start = firstStepFrom(t, ctx.dtMs);
        // A later piece that starts in the same step replaces the earlier one.
        while (this.pieceStart.length > 0 && this.pieceStart[this.pieceStart.length - 1] >= start) {
          this.pieceStart.pop();
          this.pieceP.pop();
        }
        this.pieceStart.push(start);
        this.pieceP.push(prob(rate.ratesHz[k]));
      });
    }
    this.next = Infinity;
    this.enter(0);
  }

  /** The spike probability per step in `step` (for tests and inspection). */
  probabilityAt(step: number): number {
    let k = 0;
    while (k + 1 < this.pieceStart.length && this.pieceStart[k + 1] <= step) k++;
    return this.pieceP[k];
  }

  /** Switch to the piece that holds `step` and draw the next event from that step on. */
  private enter(step: number): void {
    let k = Math.max(0, this.piece);
    while (k + 1 < this.pieceStart.length && this.pieceStart[k + 1] <= step) k++;
    this.piece = k;
    this.pieceEnd = k + 1 < this.pieceStart.length ? this.pieceStart[k + 1] : Infinity;
    this.p = this.pieceP[k];
    this.next = this.p > 0 && this.p < 1 ? step * this.size + this.rng.geometric(this.p) : Infinity;
  }

  emit(step: number, out: Int32Array): number {
    if (step >= this.pieceEnd) this.enter(step);
    const n = this.size;
    const end = (step + 1) * n;
    const base = step * n;
    let c = 0;
    if (this.p >= 1) {
      for (let i = 0; i < n; i++) out[i] = i;
      return n;
    }
    // A step skipped by the caller must not replay old trials.
    if (this.next < base) this.next = base + this.rng.geometric(this.p);
    while (this.next < end) {
      out[c++] = this.next - base;
      this.next += 1 + this.rng.geometric(this.p);
    }
    return c;
  }
}

/** On in steps n with start ≤ n·dt < stop (ms), with a small tolerance for float steps. */
export class StepCurrent implements CurrentSource {
  private readonly on: number;
  private readonly off: number;

  constructor(
    private readonly amplitudePa: number,
    startMs: number,
    stopMs: number,
    dtMs: number,
  ) {
    this.on = firstStepFrom(startMs, dtMs);
    this.off = firstStepFrom(stopMs, dtMs);
  }

  value(step: number): number {
    return step >= this.on && step < this.off ? this.amplitudePa : 0;
  }
}

/** Explicit (channel, time) spikes, sorted by step at build time. */
export class SpikeGenerator implements SpikeSource {
  private readonly stepOf: Int32Array;
  private readonly channel: Int32Array;
  private cursor = 0;
  private readonly seen: Int32Array;

  constructor(
    readonly size: number,
    neurons: readonly number[],
    timesMs: readonly number[],
    dtMs: number,
  ) {
    const order = neurons.map((_, k) => k);
    const steps = timesMs.map((t) => spikeStepOf(t, dtMs));
    order.sort((x, y) => steps[x] - steps[y] || neurons[x] - neurons[y]);
    this.stepOf = Int32Array.from(order, (k) => steps[k]);
    this.channel = Int32Array.from(order, (k) => neurons[k]);
    this.seen = new Int32Array(size).fill(-1);
  }

  emit(step: number, out: Int32Array): number {
    let c = 0;
    while (this.cursor < this.stepOf.length && this.stepOf[this.cursor] < step) this.cursor++;
    while (this.cursor < this.stepOf.length && this.stepOf[this.cursor] === step) {
      const ch = this.channel[this.cursor++];
      if (this.seen[ch] !== step) {
        this.seen[ch] = step;
        out[c++] = ch;
      }
    }
    return c;
  }
}
