/**
 * LIF neurons with delta synapses (Brunel 2000, MODELS.md §3): an arriving
 * spike makes V jump by its weight, unless the neuron is refractory.
 *
 *   τm dV/dt = −(V − v_rest) + R·I_ext          (unless refractory)
 *   on arrival (not refractory): V ← V + w
 *
 * One exact step with a = e^{−dt/τm} and E = v_rest + R·I_ext (I_ext held over the step):
 *   V ← E + (V − E)·a
 *
 * Input is gated through `absorb`: the engine hands this group each step's
 * arriving input (recurrent spikes and drives) in the synapses phase, after
 * the threshold, so a neuron that spiked in this step (or is still refractory)
 * discards it, as NEST's iaf_psc_delta and Brian2's `v += J*int(not_refractory)`.
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../kinds/define.ts';
import { thresholdRefractory, resetTo } from './threshold.ts';

/** Bytes of state per neuron: V and current (f64), last spike step (i32). */
export const LIF_DELTA_BYTES = 2 * 8 + 4;

export class LifDelta implements NeuronGroup {
  readonly v: Float64Array;
  /**
   * Both receptors act on V itself; the engine only reads their length, since
   * all input goes through {@link absorb}.
   */
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  readonly bytes: number;
  /** Set by the engine when a current source feeds this group. */
  hasCurrent = false;

  private readonly a: number;
  private readonly vRest: number;
  private readonly vReset: number;
  private readonly vTh: number;
  private readonly refSteps: number;
  private readonly rScale: number;
  /** The step being run (set in `update`, read by `absorb`). */
  private step = 0;

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    const dt = ctx.dtMs;
    this.a = Math.exp(-dt / (params.tau_m_ms as number));
    this.vRest = params.v_rest_mv as number;
    this.vReset = params.v_reset_mv as number;
    this.vTh = params.v_th_mv as number;
    this.refSteps = Math.round((params.t_ref_ms as number) / dt);
    this.rScale = (params.r_m_mohm as number) / 1000;
    this.v = new Float64Array(size);
    this.current = new Float64Array(size);
    this.lastSpike = new Int32Array(size).fill(-0x3fffffff);
    this.inputs = [this.v, this.v];
    this.bytes = size * LIF_DELTA_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
  }

  update(step: number): void {
    this.step = step;
    const { v, lastSpike, a, vRest, refSteps } = this;
    const n = this.size;
    if (this.hasCurrent) {
      const cur = this.current;
      const r = this.rScale;
      for (let i = 0; i < n; i++) {
        if (step - lastSpike[i] >= refSteps) {
          const e = vRest + r * cur[i];
          v[i] = e + (v[i] - e) * a;
        }
      }
      return;
    }
    for (let i = 0; i < n; i++) if (step - lastSpike[i] >= refSteps) v[i] = vRest + (v[i] - vRest) * a;
  }

  threshold(step: number, out: Int32Array): number {
    return thresholdRefractory(this.v, this.lastSpike, this.vTh, this.refSteps, step, out);
  }

  /** Add the arriving jumps (already signed) to V of every neuron that is not refractory now. */
  absorb(_r: number, arriving: Float64Array): void {
    const { v, lastSpike, refSteps } = this;
    const step = this.step;
    const n = this.size;
    for (let j = 0; j < n; j++) {
      const x = arriving[j];
      if (x !== 0 && step - lastSpike[j] >= refSteps) v[j] += x;
    }
  }

  reset(spikes: Int32Array, count: number): void {
    resetTo(this.v, spikes, count, this.vReset);
  }

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : undefined;
  }
}
