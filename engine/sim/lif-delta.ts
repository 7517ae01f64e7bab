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
import { resetTo } from './threshold.ts';

/** Bytes of state per neuron: V and current (f64), last spike step and the pending spike list (i32). */
export const LIF_DELTA_BYTES = 2 * 8 + 4 + 4;

export class LifDelta implements NeuronGroup {
  readonly v: Float64Array;
  /**
   * Both receptors act on V itself; the engine only reads their length, since
   * all input goes through {@link absorb}.
   */
  readonly inputs: readonly Float64Array[];
  readonly current: Float64Array;
  readonly lastSpike: Int32Array;
  /** This step's spikes, found by `update` and handed out by `threshold`. */
  private readonly pending: Int32Array;
  private pendingCount = 0;
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
    this.pending = new Int32Array(size);
    this.inputs = [this.v, this.v];
    this.bytes = size * LIF_DELTA_BYTES;
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
  }

  /**
   * State update and threshold in one pass: a neuron that is refractory
   * neither integrates nor may spike, and one that is not integrates and then
   * spikes iff V > θ — per neuron, which is what the update pass then the
   * threshold pass compute (threshold.ts), with V read once.
   */
  update(step: number): void {
    this.step = step;
    const { v, lastSpike, a, vRest, refSteps, vTh, pending } = this;
    const n = this.size;
    let c = 0;
    if (this.hasCurrent) {
      const cur = this.current;
      const r = this.rScale;
      for (let i = 0; i < n; i++) {
        if (step - lastSpike[i] >= refSteps) {
          const e = vRest + r * cur[i];
          const x = e + (v[i] - e) * a;
          v[i] = x;
          if (x > vTh) {
            pending[c++] = i;
            lastSpike[i] = step;
          }
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (step - lastSpike[i] >= refSteps) {
          const x = vRest + (v[i] - vRest) * a;
          v[i] = x;
          if (x > vTh) {
            pending[c++] = i;
            lastSpike[i] = step;
          }
        }
      }
    }
    this.pendingCount = c;
  }

  threshold(_step: number, out: Int32Array): number {
    const c = this.pendingCount;
    // A copy loop, not out.set(pending.subarray(…)): a subarray is an allocation per step.
    const pending = this.pending;
    for (let k = 0; k < c; k++) out[k] = pending[k];
    return c;
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

  /**
   * `absorb(a)` then `absorb(b)` in one pass (V and the refractory clock read
   * once), and both slots left zero for their next use. Without branches on
   * the inputs: adding a zero input changes nothing, because V of a neuron that
   * is not refractory was just updated and an update never leaves −0 (x + y is
   * −0 only when both are), so `(V + x) + y` is what the two gated passes give.
   */
  absorbPair(a: Float64Array, b: Float64Array): void {
    const { v, lastSpike, refSteps } = this;
    const lim = this.step - refSteps;
    const n = this.size;
    for (let j = 0; j < n; j++) {
      if (lastSpike[j] <= lim) v[j] = v[j] + a[j] + b[j];
      a[j] = 0;
      b[j] = 0;
    }
  }

  reset(spikes: Int32Array, count: number): void {
    resetTo(this.v, spikes, count, this.vReset);
  }

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : undefined;
  }
}
