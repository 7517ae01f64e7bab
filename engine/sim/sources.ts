/**
 * Input sources: spike sources (emit indices per step) and current sources
 * (one value per step for every neuron of the target).
 */
import type { BuildContext, CurrentSource, SpikeSource } from './runtime.ts';
import type { Rng } from './rng.ts';

/**
 * Independent Poisson trains: each channel spikes in a step with probability
 * p = rate·dt. The (step, channel) trials are treated as one Bernoulli sequence
 * and the gaps between successes are drawn geometrically, so the cost is per
 * spike, not per channel, and the statistics are those of independent draws.
 */
export class PoissonSource implements SpikeSource {
  private next: number;
  private readonly p: number;
  private readonly rng: Rng;

  constructor(
    readonly size: number,
    rateHz: number,
    ctx: BuildContext,
  ) {
    this.p = Math.min(1, (rateHz * ctx.dtMs) / 1000);
    this.rng = ctx.rng;
    this.next = this.p > 0 ? this.rng.geometric(this.p) : Infinity;
  }

  emit(step: number, out: Int32Array): number {
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
    this.on = Math.ceil(startMs / dtMs - 1e-9);
    this.off = Math.ceil(stopMs / dtMs - 1e-9);
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
    const steps = timesMs.map((t) => Math.round(t / dtMs));
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
