/**
 * Adaptive exponential integrate-and-fire neurons (Brette & Gerstner 2005)
 * with current-based exponential synapses.
 *
 *   C dV/dt = −g_L(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) − w + I    (unless refractory)
 *   τ_w dw/dt = a(V − E_L) − w
 *   I = I_exc + I_inh + I_ext ,  τe dI_exc/dt = −I_exc ,  τi dI_inh/dt = −I_inh
 *   spike when V > V_peak: V ← V_reset, w ← w + b
 *
 * Units: C pF, g_L and a nS, V mV, w and currents pA, times ms (nS·mV = pA,
 * pA/pF = mV/ms). Integration: forward Euler at dt for V and w, right-hand
 * sides at t_n; synaptic currents decay exactly. The exponent is capped at
 * {@link EXP_ARG_MAX} so a step can never overflow: a V that shoots past
 * V_peak is caught by the threshold of the same step and reset, and w only
 * ever sees the V of the start of a step.
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../core/dist-value.ts';
import { thresholdRefractory } from './threshold.ts';
import { stepsOf } from '../core/time.ts';

/** e^50 ≈ 5·10²¹: far above any V_peak in use (Δ_T = 2 mV, V_peak − V_T = 50 mV gives 25), far below overflow. */
export const EXP_ARG_MAX = 50;

/** V, w, I_exc, I_inh, current (f64) and the last spike step (i32). */
export const ADEX_BYTES = 5 * 8 + 4;

export class AdEx implements NeuronGroup {
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly iExc: Float64Array;
  readonly iInh: Float64Array;
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  readonly bytes: number;
  hasCurrent = false;

  /** dt/C (mV per pA per step). */
  private readonly kv: number;
  /** dt/τ_w. */
  private readonly kw: number;
  private readonly gL: number;
  private readonly eL: number;
  private readonly vT: number;
  private readonly invDeltaT: number;
  private readonly gLDeltaT: number;
  private readonly aNs: number;
  private readonly bPa: number;
  private readonly vReset: number;
  private readonly vPeak: number;
  private readonly refSteps: number;
  private readonly be: number;
  private readonly bi: number;

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    const dt = ctx.dtMs;
    this.kv = dt / (params.c_pf as number);
    this.kw = dt / (params.tau_w_ms as number);
    this.gL = params.g_l_ns as number;
    this.eL = params.e_l_mv as number;
    this.vT = params.v_t_mv as number;
    const deltaT = params.delta_t_mv as number;
    this.invDeltaT = 1 / deltaT;
    this.gLDeltaT = this.gL * deltaT;
    this.aNs = params.a_ns as number;
    this.bPa = params.b_pa as number;
    this.vReset = params.v_reset_mv as number;
    this.vPeak = params.v_peak_mv as number;
    this.refSteps = stepsOf(params.t_ref_ms as number, dt);
    this.be = Math.exp(-dt / (params.tau_syn_exc_ms as number));
    this.bi = Math.exp(-dt / (params.tau_syn_inh_ms as number));

    this.v = new Float64Array(size);
    this.w = new Float64Array(size);
    this.iExc = new Float64Array(size);
    this.iInh = new Float64Array(size);
    this.current = new Float64Array(size);
    this.lastSpike = new Int32Array(size).fill(-0x3fffffff);
    this.inputs = [this.iExc, this.iInh];
    this.bytes = size * ADEX_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
    fill(this.w, params.w_init_pa as DistValue, ctx.rng);
  }

  update(step: number): void {
    const { v, w, iExc, iInh, current, lastSpike, kv, kw, gL, eL, vT, invDeltaT, gLDeltaT, aNs, refSteps, be, bi } = this;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      const y = w[i];
      const ie = iExc[i];
      const ii = iInh[i];
      if (step - lastSpike[i] >= refSteps) {
        let arg = (x - vT) * invDeltaT;
        if (arg > EXP_ARG_MAX) arg = EXP_ARG_MAX;
        v[i] = x + kv * (-gL * (x - eL) + gLDeltaT * Math.exp(arg) - y + ie + ii + current[i]);
      }
      w[i] = y + kw * (aNs * (x - eL) - y);
      iExc[i] = ie * be;
      iInh[i] = ii * bi;
    }
  }

  threshold(step: number, out: Int32Array): number {
    return thresholdRefractory(this.v, this.lastSpike, this.vPeak, this.refSteps, step, out);
  }

  reset(spikes: Int32Array, count: number): void {
    const { v, w, vReset, bPa } = this;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      v[i] = vReset;
      w[i] += bPa;
    }
  }

  stateVar(id: string): Float64Array | undefined {
    switch (id) {
      case 'v':
        return this.v;
      case 'w':
        return this.w;
      case 'i_exc':
        return this.iExc;
      case 'i_inh':
        return this.iInh;
      default:
        return undefined;
    }
  }
}
