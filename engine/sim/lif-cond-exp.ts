/**
 * LIF neurons with conductance-based exponential synapses (the COBA benchmark,
 * MODELS.md §2), integrated with forward Euler as Brian2 does for this model.
 *
 *   τm dV/dt = g_e·(E_e − V) + g_i·(E_i − V) − (V − E_l) + R·I_ext   (unless refractory)
 *   τe dg_e/dt = −g_e ,  τi dg_i/dt = −g_i
 *
 * Conductances are in units of the leak conductance (dimensionless); V, E_* in
 * mV; times in ms; R in MΩ and I_ext in pA (R·I in mV). One Euler step, every
 * right-hand side evaluated with the values at t_n:
 *   V ← V + dt/τm·(g_e(E_e − V) + g_i(E_i − V) − (V − E_l) + R·I_ext)
 *   g_e ← g_e·(1 − dt/τe) ,  g_i ← g_i·(1 − dt/τi)
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../kinds/define.ts';

/** Bytes of state per neuron: V, g_e, g_i, current (f64) and the last spike step (i32). */
export const LIF_COND_EXP_BYTES = 4 * 8 + 4;

export class LifCondExp implements NeuronGroup {
  readonly v: Float64Array;
  readonly gExc: Float64Array;
  readonly gInh: Float64Array;
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  readonly bytes: number;
  /** Set by the engine when a current source feeds this group. */
  hasCurrent = false;

  /** dt/τm. */
  private readonly k: number;
  private readonly de: number;
  private readonly di: number;
  private readonly eL: number;
  private readonly eE: number;
  private readonly eI: number;
  private readonly vReset: number;
  private readonly vTh: number;
  private readonly refSteps: number;
  /** mV per pA. */
  private readonly rScale: number;

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    const dt = ctx.dtMs;
    this.k = dt / (params.tau_m_ms as number);
    this.de = 1 - dt / (params.tau_syn_exc_ms as number);
    this.di = 1 - dt / (params.tau_syn_inh_ms as number);
    this.eL = params.e_l_mv as number;
    this.eE = params.e_exc_mv as number;
    this.eI = params.e_inh_mv as number;
    this.vReset = params.v_reset_mv as number;
    this.vTh = params.v_th_mv as number;
    this.refSteps = Math.round((params.t_ref_ms as number) / dt);
    this.rScale = (params.r_m_mohm as number) / 1000;

    this.v = new Float64Array(size);
    this.gExc = new Float64Array(size);
    this.gInh = new Float64Array(size);
    this.current = new Float64Array(size);
    this.lastSpike = new Int32Array(size).fill(-0x3fffffff);
    this.inputs = [this.gExc, this.gInh];
    this.bytes = size * LIF_COND_EXP_BYTES;
    // Draw order is fixed (V, then g_e, then g_i), so a seed gives the same start.
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
    fill(this.gExc, params.g_exc_init as DistValue, ctx.rng);
    fill(this.gInh, params.g_inh_init as DistValue, ctx.rng);
  }

  update(step: number): void {
    const { v, gExc, gInh, lastSpike, k, de, di, eL, eE, eI, refSteps } = this;
    const n = this.size;
    const cur = this.current;
    const r = this.hasCurrent ? this.rScale : 0;
    for (let i = 0; i < n; i++) {
      const ge = gExc[i];
      const gi = gInh[i];
      if (step - lastSpike[i] >= refSteps) {
        const x = v[i];
        v[i] = x + k * (ge * (eE - x) + gi * (eI - x) - (x - eL) + r * cur[i]);
      }
      gExc[i] = ge * de;
      gInh[i] = gi * di;
    }
  }

  threshold(step: number, out: Int32Array): number {
    const { v, lastSpike, vTh, refSteps } = this;
    let c = 0;
    for (let i = 0; i < this.size; i++) {
      if (v[i] > vTh && step - lastSpike[i] >= refSteps) {
        out[c++] = i;
        lastSpike[i] = step;
      }
    }
    return c;
  }

  reset(spikes: Int32Array, count: number): void {
    const { v, vReset } = this;
    for (let s = 0; s < count; s++) v[spikes[s]] = vReset;
  }

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : id === 'g_exc' ? this.gExc : id === 'g_inh' ? this.gInh : undefined;
  }
}
