/**
 * Adaptive LIF: the current-based LIF of lif-curr-exp plus a spike-triggered
 * adaptation current w (written, like the synaptic currents, as the voltage R·w
 * it drives), integrated exactly.
 *
 *   τm dV/dt = −(V − v_rest) + I_exc + I_inh + R·I_ext − w     (unless refractory)
 *   τe dI_exc/dt = −I_exc ,  τi dI_inh/dt = −I_inh ,  τw dw/dt = −w
 *   on a spike: V ← v_reset, w ← w + b
 *
 * The system is linear between spikes, and w decays like a synaptic current of
 * opposite sign, so one exact step is
 *   V ← E + (V − E)·a + I_exc·c_e + I_inh·c_i − w·c_w
 * with a = e^{−dt/τm}, c_x = synapticFactor(dt, τm, τx) and E = v_rest + R·I_ext.
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import { synapticFactor } from './lif-curr-exp.ts';
import type { DistValue } from '../core/dist-value.ts';
import { thresholdRefractory } from './threshold.ts';
import { stepsOf } from '../core/time.ts';

/** V, I_exc, I_inh, w, current (f64) and the last spike step (i32). */
export const ALIF_BYTES = 5 * 8 + 4;

export class Alif implements NeuronGroup {
  readonly v: Float64Array;
  readonly iExc: Float64Array;
  readonly iInh: Float64Array;
  readonly w: Float64Array;
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  readonly bytes: number;
  hasCurrent = false;

  private readonly a: number;
  private readonly be: number;
  private readonly bi: number;
  private readonly bw: number;
  private readonly ce: number;
  private readonly ci: number;
  private readonly cw: number;
  private readonly refSteps: number;
  private readonly vRest: number;
  private readonly vReset: number;
  private readonly vTh: number;
  private readonly jump: number;
  private readonly rScale: number;

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    const dt = ctx.dtMs;
    const tauM = params.tau_m_ms as number;
    const tauE = params.tau_syn_exc_ms as number;
    const tauI = params.tau_syn_inh_ms as number;
    const tauW = params.tau_w_ms as number;
    this.a = Math.exp(-dt / tauM);
    this.be = Math.exp(-dt / tauE);
    this.bi = Math.exp(-dt / tauI);
    this.bw = Math.exp(-dt / tauW);
    this.ce = synapticFactor(dt, tauM, tauE);
    this.ci = synapticFactor(dt, tauM, tauI);
    this.cw = synapticFactor(dt, tauM, tauW);
    this.refSteps = stepsOf(params.t_ref_ms as number, dt);
    this.vRest = params.v_rest_mv as number;
    this.vReset = params.v_reset_mv as number;
    this.vTh = params.v_th_mv as number;
    this.jump = params.b_mv as number;
    this.rScale = (params.r_m_mohm as number) / 1000;

    this.v = new Float64Array(size);
    this.iExc = new Float64Array(size);
    this.iInh = new Float64Array(size);
    this.w = new Float64Array(size);
    this.current = new Float64Array(size);
    this.lastSpike = new Int32Array(size).fill(-0x3fffffff);
    this.inputs = [this.iExc, this.iInh];
    this.bytes = size * ALIF_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
  }

  update(step: number): void {
    const { v, iExc, iInh, w, lastSpike, a, be, bi, bw, ce, ci, cw, refSteps, vRest } = this;
    const n = this.size;
    const cur = this.current;
    const r = this.hasCurrent ? this.rScale : 0;
    for (let i = 0; i < n; i++) {
      const ie = iExc[i];
      const ii = iInh[i];
      const wi = w[i];
      if (step - lastSpike[i] >= refSteps) {
        const e = vRest + r * cur[i];
        v[i] = e + (v[i] - e) * a + ie * ce + ii * ci - wi * cw;
      }
      iExc[i] = ie * be;
      iInh[i] = ii * bi;
      w[i] = wi * bw;
    }
  }

  threshold(step: number, out: Int32Array): number {
    return thresholdRefractory(this.v, this.lastSpike, this.vTh, this.refSteps, step, out);
  }

  reset(spikes: Int32Array, count: number): void {
    const { v, w, vReset, jump } = this;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      v[i] = vReset;
      w[i] += jump;
    }
  }

  stateVar(id: string): Float64Array | undefined {
    switch (id) {
      case 'v':
        return this.v;
      case 'i_exc':
        return this.iExc;
      case 'i_inh':
        return this.iInh;
      case 'w':
        return this.w;
      default:
        return undefined;
    }
  }
}
