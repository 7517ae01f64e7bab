/**
 * LIF neurons with a homeostatic adaptive threshold (Diehl & Cook 2015): the
 * current-based LIF of lif-curr-exp (integrated exactly, like sim/alif.ts)
 * whose threshold is v_th + θ_i, where θ_i grows by θ+ at each spike of neuron i
 * and decays with τθ. θ changes only while learning is on: in a frozen phase
 * (the network calls `setLearning(false)`) it stays as learnt, as in Diehl &
 * Cook's test mode.
 *
 *   τm dV/dt = −(V − v_rest) + I_exc + I_inh + R·I_ext     (unless refractory)
 *   τθ dθ/dt = −θ                                           (learning only)
 *   spike when V > v_th + θ; then V ← v_reset, θ ← θ + θ+ (learning only)
 */
import type { BuildContext, NeuronGroup } from '../runtime.ts';
import { fill } from '../dist.ts';
import { synapticFactor } from '../lif-curr-exp.ts';
import type { DistValue } from '../../core/dist-value.ts';
import { stepsOf } from '../../core/time.ts';

/** V, I_exc, I_inh, θ, current (f64) and the last spike step (i32). */
export const ADAPTIVE_LIF_BYTES = 5 * 8 + 4;

export class AdaptiveThresholdLif implements NeuronGroup {
  readonly v: Float64Array;
  readonly iExc: Float64Array;
  readonly iInh: Float64Array;
  readonly theta: Float64Array;
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  readonly bytes: number;
  hasCurrent = false;
  learning = true;

  private readonly a: number;
  private readonly be: number;
  private readonly bi: number;
  private readonly bTheta: number;
  private readonly ce: number;
  private readonly ci: number;
  private readonly refSteps: number;
  private readonly vRest: number;
  private readonly vReset: number;
  private readonly vTh: number;
  private readonly thetaPlus: number;
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
    this.a = Math.exp(-dt / tauM);
    this.be = Math.exp(-dt / tauE);
    this.bi = Math.exp(-dt / tauI);
    this.bTheta = Math.exp(-dt / (params.tau_theta_ms as number));
    this.ce = synapticFactor(dt, tauM, tauE);
    this.ci = synapticFactor(dt, tauM, tauI);
    this.refSteps = stepsOf(params.t_ref_ms as number, dt);
    this.vRest = params.v_rest_mv as number;
    this.vReset = params.v_reset_mv as number;
    this.vTh = params.v_th_mv as number;
    this.thetaPlus = params.theta_plus_mv as number;
    this.rScale = (params.r_m_mohm as number) / 1000;
    this.v = new Float64Array(size);
    this.iExc = new Float64Array(size);
    this.iInh = new Float64Array(size);
    this.theta = new Float64Array(size);
    this.current = new Float64Array(size);
    this.lastSpike = new Int32Array(size).fill(-0x3fffffff);
    this.inputs = [this.iExc, this.iInh];
    this.bytes = size * ADAPTIVE_LIF_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
  }

  setLearning(on: boolean): void {
    this.learning = on;
  }

  update(step: number): void {
    const { v, iExc, iInh, theta, lastSpike, a, be, bi, ce, ci, refSteps, vRest } = this;
    const n = this.size;
    const cur = this.current;
    const r = this.hasCurrent ? this.rScale : 0;
    for (let i = 0; i < n; i++) {
      const ie = iExc[i];
      const ii = iInh[i];
      if (step - lastSpike[i] >= refSteps) {
        const e = vRest + r * cur[i];
        v[i] = e + (v[i] - e) * a + ie * ce + ii * ci;
      }
      iExc[i] = ie * be;
      iInh[i] = ii * bi;
    }
    if (this.learning) {
      const b = this.bTheta;
      for (let i = 0; i < n; i++) theta[i] *= b;
    }
  }

  threshold(step: number, out: Int32Array): number {
    const { v, theta, lastSpike, vTh, refSteps } = this;
    let c = 0;
    for (let i = 0; i < this.size; i++) {
      if (v[i] > vTh + theta[i] && step - lastSpike[i] >= refSteps) {
        out[c++] = i;
        lastSpike[i] = step;
      }
    }
    return c;
  }

  reset(spikes: Int32Array, count: number): void {
    const { v, theta, vReset, thetaPlus } = this;
    const grow = this.learning;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      v[i] = vReset;
      if (grow) theta[i] += thetaPlus;
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
      case 'theta':
        return this.theta;
      default:
        return undefined;
    }
  }
}
