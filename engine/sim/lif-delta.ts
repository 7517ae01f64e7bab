/**
 * LIF neurons with delta synapses (Brunel 2000, MODELS.md §3): an arriving
 * spike makes V jump by its weight, unless the neuron is refractory.
 *
 *   τm dV/dt = −(V − v_rest) + R·I_ext          (unless refractory)
 *   on arrival (not refractory): V ← V + w
 *
 * One exact step with a = e^{−dt/τm} and E = v_rest + R·(I_ext + I_bias) (I_ext held over the step):
 *   V ← E + (V − E)·a
 * or, with `integration: 'euler'`, one forward-Euler step: the same with a = 1 − dt/τm,
 * i.e. V ← V + (dt/τm)·(E − V).
 * Reset: V ← v_reset, or with `reset: 'subtract'` V ← V − (v_th − v_reset).
 *
 * Forward Euler is the NIR discrete reference's step, V ← V + (dt/τm)·(E − V + R·x), where a
 * step's input x enters with the leak, before the threshold. The engine hands a step's input
 * over after the threshold, so in Euler mode it is held and added in the next step's update,
 * after the leak and before the threshold: the reference's V and spikes, one step later.
 *
 * Input is gated through `absorb`: the engine hands this group each step's
 * arriving input (recurrent spikes and drives) in the synapses phase, after
 * the threshold, so a neuron that spiked in this step (or is still refractory)
 * discards it, as NEST's iaf_psc_delta and Brian2's `v += J*int(not_refractory)`.
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../core/dist-value.ts';
import { absorbGated, absorbPairGated, copySpikes, decayFactor, resetOf } from './threshold.ts';
import type { Arena } from './arena.ts';
import type { DeliveryKernels } from './wasm-kernels-delivery.ts';
import type { DeltaAbsorbCountKernel } from './wasm-kernels-delta.ts';
import type { DriveKernelArgs } from './poisson-drive.ts';
import { stepsOf } from '../core/time.ts';
import { hasPerNeuron, perNeuronValues } from '../core/per-neuron.ts';

/** Bytes of state per neuron: V and current (f64), last spike step and the pending spike list (i32). */
export const LIF_DELTA_BYTES = 2 * 8 + 4 + 4;

/** Kernel arguments for "no drive" (`into` 0: the kernels read none of them). */
const NO_DRIVE: DriveKernelArgs = { wAt: 0, stateAt: 0, thrAt: 0, guideAt: 0, shift: 0, kMin: 0 };

export class LifDelta implements NeuronGroup {
  /** V, last-spike steps and the spike list move into the network's arena in {@link bindArena}. */
  v: Float64Array;
  /**
   * Both receptors act on V itself; the engine only reads their length, since
   * all input goes through {@link absorb}.
   */
  inputs: readonly Float64Array[];
  readonly current: Float64Array;
  lastSpike: Int32Array;
  /** This step's spikes, found by `update` and handed out by `threshold`. */
  private pending: Int32Array;
  /** The wasm kernels, once the state is in their memory; and the byte offsets of V, lastSpike, pending and (vRest, a, vTh). */
  private kernels: DeliveryKernels | null = null;
  private at = { v: 0, last: 0, pending: 0, par: 0, padded: 0 };
  private pendingCount = 0;
  readonly bytes: number;
  /** Set by the engine when a current source feeds this group. */
  hasCurrent = false;

  private readonly a: number;
  private readonly vRest: number;
  private readonly vTh: number;
  private readonly refSteps: number;
  /** V ← v_reset, or V ← V − (v_th − v_reset) (`reset: 'subtract'`). */
  readonly reset: (spikes: Int32Array, count: number) => void;
  private readonly rScale: number;
  /** The step being run (set in `update`, read by `absorb`). */
  private step = 0;
  /** Per-neuron constants when any param holds one value per neuron (then the JS loop runs, not wasm). */
  private readonly perNeuron: LifArrays | null = null;
  /** Euler mode: each neuron's input of the last step, added in the next update before the threshold (then the JS loop runs). */
  private readonly held: Float64Array | null = null;
  private readonly heldArrays: LifArrays | null = null;

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    const dt = ctx.dtMs;
    if (hasPerNeuron(params)) this.perNeuron = lifArrays(params, size, dt);
    if (params.integration === 'euler') {
      this.held = new Float64Array(size);
      this.heldArrays = this.perNeuron ?? lifArrays(params, size, dt);
      const held = this.held;
      this.absorbBeforeUpdate = (step, _r, arriving) => absorbGated(held, this.lastSpike, step - this.refSteps, arriving);
    }
    this.a = decayFactor(dt, params.tau_m_ms as number, params.integration);
    this.rScale = (params.r_m_mohm as number) / 1000;
    // A bias current only moves the equilibrium: E = v_rest + R·(I_ext + I_bias).
    const bias = (params.i_bias_pa as number | undefined) ?? 0;
    this.vRest = bias !== 0 ? (params.v_rest_mv as number) + this.rScale * bias : (params.v_rest_mv as number);
    this.vTh = params.v_th_mv as number;
    this.refSteps = stepsOf(params.t_ref_ms as number, dt);
    const reset = resetOf(params, size);
    this.reset = (spikes, count) => reset(this.v, spikes, count);
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
    if (this.held && this.heldArrays) {
      this.pendingCount = this.updateHeld(step, this.heldArrays, this.held);
      return;
    }
    if (this.perNeuron) {
      this.pendingCount = this.updatePerNeuron(step, this.perNeuron);
      return;
    }
    const k = this.kernels;
    if (k !== null && !this.hasCurrent) {
      const at = this.at;
      const f = this.fused;
      if (f !== null) {
        const sa = f.a.byteOffset + (step % f.slotsA) * f.strideA * f.bytes;
        const sb = f.b.byteOffset + (step % f.slotsB) * f.strideB * f.bytes;
        const d = f.drive;
        this.pendingCount = k.deltaStepCounts[f.bytes - 1](
          at.padded,
          step,
          step - this.refSteps,
          at.v,
          at.last,
          at.pending,
          at.par,
          sa,
          sb,
          f.into,
          d.wAt,
          d.stateAt,
          d.thrAt,
          d.guideAt,
          d.shift,
          d.kMin,
          f.cw,
          f.evAt,
        );
        return;
      }
      this.pendingCount = k.deltaUpdate(at.padded, step, step - this.refSteps, at.v, at.last, at.pending, at.par);
      return;
    }
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

  /** {@link update} with each neuron's own constants (`a`, `E` without the injected part, R, θ). */
  private updatePerNeuron(step: number, p: LifArrays): number {
    const { v, lastSpike, refSteps, pending } = this;
    const cur = this.current;
    const n = this.size;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (step - lastSpike[i] >= refSteps) {
        const e = p.vRest[i] + p.r[i] * cur[i];
        const x = e + (v[i] - e) * p.a[i];
        v[i] = x;
        if (x > p.vTh[i]) {
          pending[c++] = i;
          lastSpike[i] = step;
        }
      }
    }
    return c;
  }

  /** {@link updatePerNeuron} with the held input of the last step added after the leak, before the threshold (Euler mode). */
  private updateHeld(step: number, p: LifArrays, held: Float64Array): number {
    const { v, lastSpike, refSteps, pending } = this;
    const cur = this.current;
    const n = this.size;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const x0 = held[i];
      held[i] = 0;
      if (step - lastSpike[i] >= refSteps) {
        const e = p.vRest[i] + p.r[i] * cur[i];
        const x = e + (v[i] - e) * p.a[i] + x0;
        v[i] = x;
        if (x > p.vTh[i]) {
          pending[c++] = i;
          lastSpike[i] = step;
        }
      }
    }
    return c;
  }

  threshold(_step: number, out: Int32Array): number {
    return copySpikes(this.pending, this.pendingCount, out);
  }

  /** Add the arriving jumps (already signed) to V of every neuron that is not refractory now. */
  absorb(_r: number, arriving: Float64Array): void {
    absorbGated(this.held ?? this.v, this.lastSpike, this.step - this.refSteps, arriving);
  }

  /**
   * Same-step delivery under forward Euler: the step's input goes to the held input that
   * `update(step)` adds after the leak, before the threshold — the NIR discrete reference's
   * V ← V + (dt/τm)·(E − V) + x in the same step. Exact integration has no such method (its
   * input stays a jump at the end of the step), see the constructor.
   */
  readonly absorbBeforeUpdate?: (step: number, r: number, arriving: Float64Array) => void;

  /** `absorb(a)` then `absorb(b)` in one pass, both slots left zero (`absorbPairGated`). */
  absorbPair(a: Float64Array, b: Float64Array): void {
    absorbPairGated(this.held ?? this.v, this.lastSpike, this.step - this.refSteps, a, b);
  }

  /**
   * Move V, the last-spike steps and the spike list into the arena the
   * delivery kernels `k` run over, so `update` and {@link absorbPairAt} run
   * there (wasm-kernels-delta.ts). The arrays are padded to an even length
   * with a neuron that is never active, for the two-lane update. Returns
   * false, changing nothing, when the arena has no room.
   */
  bindArena(arena: Arena, k: DeliveryKernels): boolean {
    // The wasm passes take one set of constants; per-neuron ones stay in the JS loop.
    if (this.perNeuron || this.held) return false;
    const n = this.size;
    const padded = n + (n & 1);
    const mark = arena.mark();
    const v = arena.f64(padded);
    const last = arena.i32(padded);
    const pending = arena.i32(padded);
    const par = arena.f64(3);
    if (!v || !last || !pending || !par) {
      arena.release(mark);
      return false;
    }
    v.fill(0).set(this.v);
    last.fill(0x7fffffff).set(this.lastSpike);
    pending.set(this.pending);
    par[0] = this.vRest;
    par[1] = this.a;
    par[2] = this.vTh;
    this.v = v.subarray(0, n);
    this.lastSpike = last.subarray(0, n);
    this.pending = pending.subarray(0, n);
    this.inputs = [this.v, this.v];
    this.at = { v: v.byteOffset, last: last.byteOffset, pending: pending.byteOffset, par: par.byteOffset, padded };
    this.kernels = k;
    return true;
  }

  /** Whether the state is in the memory of kernels `k` (so {@link absorbPairAt} can run with them). */
  boundTo(k: DeliveryKernels): boolean {
    return this.kernels === k;
  }

  /**
   * {@link absorbPair} of the two slots at byte offsets `sa` and `sb` of the
   * arena, after adding, neuron by neuron, a bound Poisson drive's draws into
   * slot a (`into` 1) or b (2); `drive` null (into 0) for none. This is
   * `drive.fill` then `absorbPair`, in one pass. Returns the drive's events.
   */
  absorbPairAt(sa: number, sb: number, drive: DriveKernelArgs | null, into: 0 | 1 | 2): number {
    const k = this.kernels!;
    return this.absorbWith(k.deltaAbsorbPairs, k.deltaAbsorbDrive, sa, sb, 8, 0, drive, into);
  }

  /**
   * {@link absorbPairAt} over two count rings (`Network` count rings): slot a's value is its
   * count (u8 when `bytes` is 1, u16 when 2) × the f64 at `cw`, slot b's × the f64 at `cw` + 8.
   */
  absorbCountsAt(sa: number, sb: number, bytes: 1 | 2, cw: number, drive: DriveKernelArgs | null, into: 0 | 1 | 2): number {
    const k = this.kernels!;
    return this.absorbWith(k.deltaAbsorbCountPairs[bytes - 1], k.deltaAbsorbCounts[bytes - 1], sa, sb, bytes, cw, drive, into);
  }

  /** Run an absorb kernel over the pairs (f64x2), then its scalar twin on the odd last neuron, which continues the drive's stored generator. */
  private absorbWith(pairs: DeltaAbsorbCountKernel, one: DeltaAbsorbCountKernel, sa: number, sb: number, slotBytes: number, cw: number, drive: DriveKernelArgs | null, into: 0 | 1 | 2): number {
    const at = this.at;
    const lim = this.step - this.refSteps;
    const n = this.size;
    const even = n & ~1;
    const d = drive ?? NO_DRIVE;
    let events = pairs(even, lim, at.v, at.last, sa, sb, into, d.wAt, d.stateAt, d.thrAt, d.guideAt, d.shift, d.kMin, cw);
    if (even < n) {
      const os = slotBytes * even;
      events += one(1, lim, at.v + 8 * even, at.last + 4 * even, sa + os, sb + os, into, d.wAt, d.stateAt, d.thrAt, d.guideAt, d.shift, d.kMin, cw);
    }
    return events;
  }

  /** Set by {@link fuseCountRings}: the count rings `update` absorbs in its pass. */
  private fused: {
    a: Uint8Array | Uint16Array;
    slotsA: number;
    strideA: number;
    b: Uint8Array | Uint16Array;
    slotsB: number;
    strideB: number;
    bytes: 1 | 2;
    cw: number;
    drive: DriveKernelArgs;
    into: 0 | 1 | 2;
    evAt: number;
  } | null = null;

  /**
   * From now on, `update` also absorbs its step's slots of the count rings a and b (wasm
   * `deltaStepCounts`: the update, then {@link absorbCountsAt}, per pair of neurons): for a
   * group in the arena, of an even size, with no injected current. Slot s of a starts at
   * element s × strideA of `a` (default: the group's size; more when the ring counts a whole
   * population of which this group is a part, parallel/shard.ts).
   */
  fuseCountRings(
    a: Uint8Array | Uint16Array,
    slotsA: number,
    b: Uint8Array | Uint16Array,
    slotsB: number,
    cw: number,
    drive: DriveKernelArgs | null,
    into: 0 | 1 | 2,
    evAt: number,
    strideA = this.size,
    strideB = this.size,
  ): boolean {
    if (this.kernels === null || this.hasCurrent || this.size % 2 !== 0 || a.BYTES_PER_ELEMENT !== b.BYTES_PER_ELEMENT) return false;
    this.fused = { a, slotsA, strideA, b, slotsB, strideB, bytes: a.BYTES_PER_ELEMENT as 1 | 2, cw, drive: drive ?? NO_DRIVE, into, evAt };
    return true;
  }

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : undefined;
  }
}

/** A LIF group's constants, one per neuron: decay `a`, equilibrium without injected current `vRest` (v_rest + R·I_bias), R (mV/pA), threshold. */
export interface LifArrays {
  readonly a: Float64Array;
  readonly vRest: Float64Array;
  readonly r: Float64Array;
  readonly vTh: Float64Array;
}

/** {@link LifArrays} of `n` neurons from params that may hold per-neuron values (core/per-neuron.ts). */
export function lifArrays(params: Readonly<Record<string, unknown>>, n: number, dtMs: number): LifArrays {
  const a = perNeuronValues(params.tau_m_ms, n, (tau) => decayFactor(dtMs, tau, params.integration));
  const r = perNeuronValues(params.r_m_mohm, n, (x) => x / 1000);
  const vRest = perNeuronValues(params.v_rest_mv, n);
  const bias = perNeuronValues(params.i_bias_pa ?? 0, n);
  for (let i = 0; i < n; i++) if (bias[i] !== 0) vRest[i] += r[i] * bias[i];
  return { a, vRest, r, vTh: perNeuronValues(params.v_th_mv, n) };
}
