/**
 * Encoders: spike sources that turn the vectors of an {@link InputStream}
 * into spikes. Each re-reads its input only when the stream's segment changes
 * (a new presentation or a rest), so a step costs O(channels) compares and no
 * allocation. All randomness comes from the node's own stream (`ctx.rng`).
 */
import type { BuildContext, SpikeSource } from './runtime.ts';
import type { Rng } from './rng.ts';
import type { InputStream } from './input-stream.ts';
import { stepsOf } from '../core/time.ts';

/**
 * Per-channel spike trains at rates that change only at segment boundaries.
 * - `poisson`: in each step a channel spikes with probability p = min(1, rate·dt)
 *   (a Bernoulli process, as a Poisson source); the gap to the next spike is
 *   drawn geometrically, and redrawn when the rate changes (the process is
 *   memoryless, so this is exact).
 * - `regular`: a phase accumulator: each step adds p; a spike when it reaches
 *   1 (then 1 is subtracted). It restarts at 0 at each change of input, so a
 *   channel spikes floor(n·p) times in the first n steps of a presentation.
 */
export class RateTrains {
  /** Spike probability per step of each channel (rate·dt, at most 1). */
  readonly p: Float64Array;
  private readonly next: Float64Array;
  private readonly phase: Float64Array;

  constructor(
    readonly size: number,
    private readonly regular: boolean,
    private readonly rng: Rng,
  ) {
    this.p = new Float64Array(size);
    this.next = new Float64Array(regular ? 0 : size).fill(Infinity);
    this.phase = new Float64Array(regular ? size : 0);
  }

  /** Call after changing `p`, at the step from which the new rates hold. */
  restart(step: number): void {
    const { p, size } = this;
    if (this.regular) {
      this.phase.fill(0);
      return;
    }
    for (let i = 0; i < size; i++) this.next[i] = p[i] > 0 ? step + this.rng.geometric(p[i]) : Infinity;
  }

  emit(step: number, out: Int32Array): number {
    const { p, size } = this;
    let c = 0;
    if (this.regular) {
      const phase = this.phase;
      for (let i = 0; i < size; i++) {
        const x = phase[i] + p[i];
        // The tolerance absorbs rounding of repeated sums (10 × 0.1 < 1 in floats).
        if (x >= 1 - 1e-9) {
          out[c++] = i;
          phase[i] = x - 1;
        } else phase[i] = x;
      }
      return c;
    }
    const next = this.next;
    for (let i = 0; i < size; i++) {
      let t = next[i];
      // A step skipped by the caller must not replay old trials.
      if (t < step) t = step + this.rng.geometric(p[i]);
      if (t === step) {
        out[c++] = i;
        t = step + 1 + this.rng.geometric(p[i]);
      }
      next[i] = t;
    }
    return c;
  }
}

/** Spike probability per step of a rate (Hz) at dt (ms), saturating at one spike per step. */
function perStep(rateHz: number, dtMs: number): number {
  return Math.min(1, Math.max(0, (rateHz * dtMs) / 1000));
}

/** Base of the encoders: tracks the stream's segment and re-reads the input vector when it changes. */
abstract class StreamEncoder implements SpikeSource {
  protected readonly x: Float64Array;
  private seg = -1;

  constructor(
    readonly size: number,
    protected readonly stream: InputStream,
  ) {
    this.x = new Float64Array(stream.length);
  }

  emit(step: number, out: Int32Array): number {
    const seg = this.stream.segment(step);
    if (seg !== this.seg) {
      this.seg = seg;
      this.stream.vectorAt(step, this.x);
      this.onInput(step);
    }
    return this.spikes(step, out);
  }

  /** The input vector `x` changed at `step`. */
  protected abstract onInput(step: number): void;
  protected abstract spikes(step: number, out: Int32Array): number;
}

/** Rate code: channel i fires at x_i · max_rate (Poisson or regular). */
export class RateEncoder extends StreamEncoder {
  private readonly trains: RateTrains;
  private readonly dtMs: number;

  constructor(
    stream: InputStream,
    private readonly maxRateHz: number,
    regular: boolean,
    ctx: BuildContext,
  ) {
    super(stream.length, stream);
    this.trains = new RateTrains(stream.length, regular, ctx.rng);
    this.dtMs = ctx.dtMs;
  }

  protected onInput(step: number): void {
    const p = this.trains.p;
    for (let i = 0; i < this.size; i++) p[i] = perStep(this.x[i] * this.maxRateHz, this.dtMs);
    this.trains.restart(step);
  }

  protected spikes(step: number, out: Int32Array): number {
    return this.trains.emit(step, out);
  }
}

/**
 * Gaussian population code (receptive fields): value i drives n channels
 * i·n + k, k = 0 … n−1, with centres μ_k = k/(n−1) spread over [0, 1] (μ = 0.5
 * when n = 1); channel (i, k) fires at max_rate · exp(−(x_i − μ_k)² / (2σ²)).
 */
export class GaussianEncoder extends StreamEncoder {
  private readonly trains: RateTrains;
  private readonly dtMs: number;

  constructor(
    stream: InputStream,
    private readonly perValue: number,
    private readonly sigma: number,
    private readonly maxRateHz: number,
    regular: boolean,
    ctx: BuildContext,
  ) {
    super(stream.length * perValue, stream);
    this.trains = new RateTrains(this.size, regular, ctx.rng);
    this.dtMs = ctx.dtMs;
  }

  /** Centre of channel k of a value's population. */
  static centre(k: number, perValue: number): number {
    return perValue === 1 ? 0.5 : k / (perValue - 1);
  }

  protected onInput(step: number): void {
    const { perValue, sigma, x } = this;
    const p = this.trains.p;
    const twoS2 = 2 * sigma * sigma;
    // A rest (all zeros) silences the population instead of lighting up the centre at 0.
    const silent = !this.stream.showing(step);
    for (let i = 0; i < x.length; i++) {
      for (let k = 0; k < perValue; k++) {
        const d = x[i] - GaussianEncoder.centre(k, perValue);
        p[i * perValue + k] = silent ? 0 : perStep(this.maxRateHz * Math.exp(-(d * d) / twoS2), this.dtMs);
      }
    }
    this.trains.restart(step);
  }

  protected spikes(step: number, out: Int32Array): number {
    return this.trains.emit(step, out);
  }
}

export type LatencyForm = 'linear' | 'log';

/**
 * Latency (time-to-first-spike) code: one spike per channel per presentation,
 * earlier for larger values. With onset t₀ of the presentation:
 * - linear: t = t₀ + t_max · (1 − x);
 * - log: t = t₀ + τ · ln(x / (x − θ)), the time an RC membrane driven by a
 *   constant x takes to charge to the threshold θ.
 * Values x ≤ θ do not spike. The time is rounded to the nearest step; a spike
 * that would fall at or after the end of the presentation is dropped.
 */
export class LatencyEncoder extends StreamEncoder {
  /** Step of each channel's spike in the current presentation, or −1. */
  private readonly at: Float64Array;

  constructor(
    stream: InputStream,
    private readonly form: LatencyForm,
    private readonly tMs: number,
    private readonly threshold: number,
    private readonly dtMs: number,
  ) {
    super(stream.length, stream);
    this.at = new Float64Array(stream.length).fill(-1);
  }

  /** Latency (ms after onset) of value x, or null for no spike. */
  static latencyMs(x: number, form: LatencyForm, tMs: number, threshold: number): number | null {
    if (!(x > threshold)) return null;
    return form === 'linear' ? tMs * (1 - Math.min(1, x)) : tMs * Math.log(x / (x - threshold));
  }

  protected onInput(step: number): void {
    const at = this.at;
    at.fill(-1);
    if (!this.stream.showing(step)) return;
    const onset = this.stream.onsetStep(this.stream.presentation(step));
    const end = onset + this.stream.presentationSteps;
    for (let i = 0; i < at.length; i++) {
      const t = LatencyEncoder.latencyMs(this.x[i], this.form, this.tMs, this.threshold);
      if (t === null) continue;
      const s = onset + stepsOf(t, this.dtMs);
      if (s < end) at[i] = s;
    }
  }

  protected spikes(step: number, out: Int32Array): number {
    let c = 0;
    const at = this.at;
    for (let i = 0; i < at.length; i++) if (at[i] === step) out[c++] = i;
    return c;
  }
}

/**
 * Delta (send-on-change) code with on and off channels: channel i (0 … L−1)
 * is ON for value i, channel L + i is OFF. Each value keeps a reference r_i,
 * the input at its last spike (0 at the start, as if the input had been
 * blank). When the input x_i changes, ON spikes if x_i − r_i ≥ θ, OFF spikes if
 * r_i − x_i ≥ θ, and then r_i ← x_i. At most one spike per value per change.
 */
export class DeltaEncoder extends StreamEncoder {
  private readonly ref: Float64Array;
  private readonly pending: Int32Array;
  private pendingCount = 0;
  private pendingStep = -1;

  constructor(
    stream: InputStream,
    private readonly threshold: number,
  ) {
    super(2 * stream.length, stream);
    this.ref = new Float64Array(stream.length);
    this.pending = new Int32Array(stream.length);
  }

  protected onInput(step: number): void {
    const { x, ref, threshold } = this;
    const n = x.length;
    let c = 0;
    // Slack for decimal inputs such as 0.3 − 0.1 < 0.2 in floats.
    const theta = threshold - 1e-12;
    for (let i = 0; i < n; i++) {
      const d = x[i] - ref[i];
      if (d >= theta) {
        this.pending[c++] = i;
        ref[i] = x[i];
      } else if (-d >= theta) {
        this.pending[c++] = n + i;
        ref[i] = x[i];
      }
    }
    this.pendingCount = c;
    this.pendingStep = step;
  }

  protected spikes(step: number, out: Int32Array): number {
    if (step !== this.pendingStep) return 0;
    out.set(this.pending.subarray(0, this.pendingCount));
    return this.pendingCount;
  }
}
