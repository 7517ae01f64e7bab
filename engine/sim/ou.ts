/**
 * Ornstein–Uhlenbeck noise current:
 *
 *   τ dI/dt = −(I − μ) + σ·√(2τ)·ξ(t)
 *
 * (ξ white noise), so I is Gaussian with mean μ, stationary variance σ² and
 * autocorrelation σ²·e^{−|Δt|/τ}. It is advanced with the exact update
 *
 *   I(t + dt) = μ + (I(t) − μ)·a + σ·√(1 − a²)·N(0, 1),  a = e^{−dt/τ},
 *
 * which has the stationary statistics for any dt. I starts from the
 * stationary distribution N(μ, σ²), so there is no initial transient; the value
 * I(t_n) is held over step n.
 *
 * `size` processes run side by side, independently: one per target neuron
 * (independent noise), or one for all (shared noise).
 */
import type { BuildContext, CurrentSource } from './runtime.ts';
import type { Rng } from './rng.ts';

export class OuCurrent implements CurrentSource {
  /** The current of each process in the current step (pA). */
  readonly state: Float64Array;
  private readonly a: number;
  private readonly kick: number;
  private readonly rng: Rng;
  /** The step whose values `state` holds. */
  private step = 0;

  constructor(
    readonly meanPa: number,
    readonly sigmaPa: number,
    tauMs: number,
    readonly size: number,
    ctx: BuildContext,
  ) {
    this.a = Math.exp(-ctx.dtMs / tauMs);
    this.kick = sigmaPa * Math.sqrt(1 - this.a * this.a);
    this.rng = ctx.rng;
    this.state = new Float64Array(size);
    for (let i = 0; i < size; i++) this.state[i] = meanPa + sigmaPa * this.rng.normal();
  }

  /** The current of process 0 during `step` (shared noise). */
  value(step: number): number {
    this.advanceTo(step);
    return this.state[0];
  }

  /**
   * Add the current during `step` to `out`: process i's to neuron i (independent
   * noise), or with a single process, its value to every neuron (shared noise).
   */
  addCurrent(step: number, out: Float64Array): void {
    this.advanceTo(step);
    const s = this.state;
    if (s.length === 1) {
      const x = s[0];
      for (let i = 0; i < out.length; i++) out[i] += x;
      return;
    }
    for (let i = 0; i < s.length; i++) out[i] += s[i];
  }

  private advanceTo(step: number): void {
    const { state, a, kick, meanPa } = this;
    // A skipped step is still drawn: the path must not depend on how the caller steps.
    while (this.step < step) {
      for (let i = 0; i < state.length; i++) state[i] = meanPa + (state[i] - meanPa) * a + kick * this.rng.normal();
      this.step++;
    }
  }
}
