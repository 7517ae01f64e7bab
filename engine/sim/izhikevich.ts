/**
 * Izhikevich (2003) neurons with current-based exponential synapses.
 *
 *   dv/dt = 0.04·v² + 5·v + 140 − u + I        (v in mV, t in ms)
 *   du/dt = a·(b·v − u)
 *   I = I_exc + I_inh + I_ext ,  τe dI_exc/dt = −I_exc ,  τi dI_inh/dt = −I_inh
 *   spike when v ≥ v_peak: v ← c, u ← u + d
 *
 * Currents are in the 2003 model's units, which are pA for a 1 pF membrane
 * (1 pA adds 1 mV/ms to dv/dt). Integration: forward Euler at dt for v and u
 * (both right-hand sides with the values at t_n); the synaptic currents decay
 * exactly (×e^{−dt/τ}).
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../core/dist-value.ts';

/** v, u, I_exc, I_inh, current (f64). */
export const IZHIKEVICH_BYTES = 5 * 8;

export class Izhikevich implements NeuronGroup {
  readonly v: Float64Array;
  readonly u: Float64Array;
  readonly iExc: Float64Array;
  readonly iInh: Float64Array;
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly bytes: number;
  hasCurrent = false;

  private readonly dt: number;
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;
  private readonly d: number;
  private readonly vPeak: number;
  private readonly be: number;
  private readonly bi: number;

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    this.dt = ctx.dtMs;
    this.a = params.a as number;
    this.b = params.b as number;
    this.c = params.c_mv as number;
    this.d = params.d as number;
    this.vPeak = params.v_peak_mv as number;
    this.be = Math.exp(-ctx.dtMs / (params.tau_syn_exc_ms as number));
    this.bi = Math.exp(-ctx.dtMs / (params.tau_syn_inh_ms as number));
    this.v = new Float64Array(size);
    this.u = new Float64Array(size);
    this.iExc = new Float64Array(size);
    this.iInh = new Float64Array(size);
    this.current = new Float64Array(size);
    this.inputs = [this.iExc, this.iInh];
    this.bytes = size * IZHIKEVICH_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
    // Izhikevich's initial condition: u on the v-nullcline of the recovery variable.
    for (let i = 0; i < size; i++) this.u[i] = this.b * this.v[i];
  }

  update(): void {
    const { v, u, iExc, iInh, current, dt, a, b, be, bi } = this;
    const n = this.size;
    const ab = a * b;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      const y = u[i];
      const ie = iExc[i];
      const ii = iInh[i];
      v[i] = x + dt * ((0.04 * x + 5) * x + 140 - y + ie + ii + current[i]);
      u[i] = y + dt * (ab * x - a * y);
      iExc[i] = ie * be;
      iInh[i] = ii * bi;
    }
  }

  threshold(_step: number, out: Int32Array): number {
    const { v, vPeak } = this;
    let c = 0;
    for (let i = 0; i < this.size; i++) if (v[i] >= vPeak) out[c++] = i;
    return c;
  }

  reset(spikes: Int32Array, count: number): void {
    const { v, u, c, d } = this;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      v[i] = c;
      u[i] += d;
    }
  }

  stateVar(id: string): Float64Array | undefined {
    switch (id) {
      case 'v':
        return this.v;
      case 'u':
        return this.u;
      case 'i_exc':
        return this.iExc;
      case 'i_inh':
        return this.iInh;
      default:
        return undefined;
    }
  }
}
