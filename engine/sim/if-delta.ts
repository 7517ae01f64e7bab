/**
 * Integrate-and-fire neurons without leak, with delta synapses (NIR `IF`);
 * with no threshold (`vTh` = +∞) the same group is NIR's integrator `I`.
 *
 *   C dV/dt = I_ext + I_bias                      (unless refractory)
 *   on arrival (not refractory): V ← V + w
 *
 * Units: V in mV, C in pF, currents in pA, so dV/dt is in mV/ms (pA/pF).
 * Every constant may differ per neuron (core/per-neuron.ts); this kernel is JS only.
 * One exact step (I_ext held over the step; forward Euler is the same here):
 *   V ← V + (dt/C)·(I_ext + I_bias)
 * Spike when V > v_th (strict) and not refractory; then V ← v_reset, or with
 * `reset: 'subtract'` V ← V − (v_th − v_reset). Input is gated as in
 * lif-delta: what arrives while refractory, including in the spike's own
 * step, is discarded.
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../core/dist-value.ts';
import { absorbGated, absorbPairGated, copySpikes, resetOf } from './threshold.ts';
import { stepsOf } from '../core/time.ts';
import { perNeuronValues } from '../core/per-neuron.ts';

/** Bytes of state per neuron: V and current (f64), last spike step and the pending spike list (i32). */
export const IF_DELTA_BYTES = 2 * 8 + 4 + 4;

export class IfDelta implements NeuronGroup {
  readonly v: Float64Array;
  /** Both receptors act on V itself, through {@link absorb}. */
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  readonly bytes: number;
  /** Set by the engine when a current source feeds this group. */
  hasCurrent = false;
  readonly reset: (spikes: Int32Array, count: number) => void;
  private readonly pending: Int32Array;
  private pendingCount = 0;
  /** mV per pA per step, per neuron: dt/C. */
  private readonly k: Float64Array;
  /** The bias's rise per step, dt·I_bias/C (mV), per neuron. */
  private readonly kBias: Float64Array;
  private readonly vTh: Float64Array;
  private readonly refSteps: number;
  private step = 0;

  /**
   * `params`: `c_m_pf`, `v_th_mv` (+∞ for the integrator), `v_reset_mv`,
   * `t_ref_ms`, `reset`, `i_bias_pa`, `v_init_mv`.
   */
  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    // Per neuron, dt/C, dt·I_bias/C and θ (core/per-neuron.ts); one value repeated when the params hold one.
    this.k = perNeuronValues(params.c_m_pf, size, (c) => ctx.dtMs / c);
    const bias = perNeuronValues(params.i_bias_pa ?? 0, size);
    this.kBias = this.k.map((k, i) => k * bias[i]);
    this.vTh = perNeuronValues(params.v_th_mv, size);
    this.refSteps = stepsOf(params.t_ref_ms as number, ctx.dtMs);
    this.v = new Float64Array(size);
    this.current = new Float64Array(size);
    this.lastSpike = new Int32Array(size).fill(-0x3fffffff);
    this.pending = new Int32Array(size);
    this.inputs = [this.v, this.v];
    this.bytes = size * IF_DELTA_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
    const reset = resetOf(params, size);
    this.reset = (spikes, count) => reset(this.v, spikes, count);
  }

  /**
   * State update and threshold in one pass, as lif-delta. One loop serves
   * with and without injected current: without, `current` stays all zero.
   */
  update(step: number): void {
    this.step = step;
    const { v, lastSpike, k, kBias, vTh, pending } = this;
    const cur = this.current;
    const lim = step - this.refSteps;
    const n = this.size;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (lastSpike[i] <= lim) {
        const x = v[i] + (k[i] * cur[i] + kBias[i]);
        v[i] = x;
        if (x > vTh[i]) {
          pending[c++] = i;
          lastSpike[i] = step;
        }
      }
    }
    this.pendingCount = c;
  }

  threshold(_step: number, out: Int32Array): number {
    return copySpikes(this.pending, this.pendingCount, out);
  }

  absorb(_r: number, arriving: Float64Array): void {
    absorbGated(this.v, this.lastSpike, this.step - this.refSteps, arriving);
  }

  absorbPair(a: Float64Array, b: Float64Array): void {
    absorbPairGated(this.v, this.lastSpike, this.step - this.refSteps, a, b);
  }

  /** Same-step delivery: the step's input added to V before the update, so the threshold of `step` sees it (V + x + dt·I/C, the reference's sum). */
  absorbBeforeUpdate(step: number, _r: number, arriving: Float64Array): void {
    absorbGated(this.v, this.lastSpike, step - this.refSteps, arriving);
  }

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : undefined;
  }
}
