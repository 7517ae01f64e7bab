/**
 * LIF neurons with current-based exponential synapses, integrated exactly.
 *
 *   τm dV/dt = −(V − v_rest) + I_exc + I_inh + R·I_ext     (unless refractory)
 *   τe dI_exc/dt = −I_exc ,  τi dI_inh/dt = −I_inh
 *
 * Units: V, v_*, I_exc, I_inh in mV (currents written as the voltage R·I they
 * drive, as in the CUBA benchmark), times in ms, R in MΩ, I_ext in pA.
 *
 * One exact step of length dt, with a = e^{−dt/τm}, b = e^{−dt/τ}:
 *   V ← E + (V − E)·a + I_exc·τe/(τe − τm)·(be − a) + I_inh·τi/(τi − τm)·(bi − a)
 *   with E = v_rest + R·(I_ext + I_bias) (I_ext held over the step); the factor becomes
 *   (dt/τm)·a when τ = τm.
 * With `integration: 'euler'`, one forward-Euler step (NIR's discrete reference):
 *   a = 1 − dt/τm, b = 1 − dt/τ, and the current enters with dt/τm:
 *   V ← V + (dt/τm)·(E − V + I_exc + I_inh),  I ← I·(1 − dt/τ)
 *   (V sees the currents at the start of the step, as the reference's `r·I_last`).
 * Reset: V ← v_reset, or with `reset: 'subtract'` V ← V − (v_th − v_reset).
 */
import type { BuildContext, NeuronGroup } from './runtime.ts';
import { fill } from './dist.ts';
import type { DistValue } from '../core/dist-value.ts';
import { lifStateIn, wasmKernels, type LifCurrMKernel } from './wasm-kernels.ts';
import type { Arena } from './arena.ts';
import { decayFactor, resetOf } from './threshold.ts';
import { stepsOf } from '../core/time.ts';
import { hasPerNeuron, perNeuronValues } from '../core/per-neuron.ts';
import { lifArrays, type LifArrays } from './lif-delta.ts';

/** The exact weight of a decaying input in the membrane update (see the module docs). */
export function synapticFactor(dtMs: number, tauM: number, tauSyn: number): number {
  const a = Math.exp(-dtMs / tauM);
  if (Math.abs(tauSyn - tauM) < 1e-12 * tauM) return (dtMs / tauM) * a;
  return (tauSyn / (tauSyn - tauM)) * (Math.exp(-dtMs / tauSyn) - a);
}

export class LifCurrExp implements NeuronGroup {
  /** V, the two currents, the injected current, the last spikes and the pending ones move into the network's arena in {@link bindArena}. */
  v: Float64Array;
  iExc: Float64Array;
  iInh: Float64Array;
  inputs: readonly Float64Array[];
  current: Float64Array;
  /** Step of the last spike. */
  lastSpike: Int32Array;
  readonly bytes: number;
  /** Set by the engine when a current source feeds this group. */
  hasCurrent = false;
  /** Spikes found by `update`, handed out by `threshold`. */
  private pending: Int32Array;
  private pendingCount = 0;

  private readonly a: number;
  private readonly be: number;
  private readonly bi: number;
  private readonly ce: number;
  private readonly ci: number;
  private readonly refSteps: number;
  private readonly vRest: number;
  private readonly vTh: number;
  /** V ← v_reset, or V ← V − (v_th − v_reset) (`reset: 'subtract'`). */
  readonly reset: (spikes: Int32Array, count: number) => void;
  /** mV per pA. */
  private readonly rScale: number;
  /** The wasm update (state arrays live in its memory), or null for the JS loop. */
  private kernel: LifCurrMKernel | null;
  /** The same two neurons at a time (f64x2), for the even part. */
  private pairs: LifCurrMKernel | null;
  /** `pairs` without the injected-current term, for steps of a group that has none. */
  private pairsNoCur: LifCurrMKernel | null;
  /** Byte offset of the kernels' f64 constants (a, be, bi, ce, ci, vRest, vTh, r) in their memory. */
  private par: number;
  /** Per-neuron constants when any param holds one value per neuron (then the JS loop runs). */
  private readonly perNeuron: (LifArrays & { readonly be: Float64Array; readonly bi: Float64Array; readonly ce: Float64Array; readonly ci: Float64Array }) | null = null;
  /** Byte offsets of V, I_exc, I_inh, current, last spike and pending in the kernel's memory. */
  private offsets: readonly [number, number, number, number, number, number];

  constructor(
    params: Readonly<Record<string, unknown>>,
    readonly size: number,
    ctx: BuildContext,
  ) {
    const dt = ctx.dtMs;
    const tauM = params.tau_m_ms as number;
    const tauE = params.tau_syn_exc_ms as number;
    const tauI = params.tau_syn_inh_ms as number;
    const euler = params.integration === 'euler';
    this.a = decayFactor(dt, tauM, params.integration);
    this.be = decayFactor(dt, tauE, params.integration);
    this.bi = decayFactor(dt, tauI, params.integration);
    // Forward Euler: V gains (dt/τm)·I from the current at the start of the step, whatever τ.
    this.ce = euler ? dt / tauM : synapticFactor(dt, tauM, tauE);
    this.ci = euler ? dt / tauM : synapticFactor(dt, tauM, tauI);
    this.refSteps = stepsOf(params.t_ref_ms as number, dt);
    this.rScale = (params.r_m_mohm as number) / 1000;
    // A bias current only moves the equilibrium: E = v_rest + R·(I_ext + I_bias).
    const bias = (params.i_bias_pa as number | undefined) ?? 0;
    this.vRest = bias !== 0 ? (params.v_rest_mv as number) + this.rScale * bias : (params.v_rest_mv as number);
    this.vTh = params.v_th_mv as number;
    const reset = resetOf(params, size);
    this.reset = (spikes, count) => reset(this.v, spikes, count);

    // Per-neuron constants run in the JS loop (the wasm kernels take one set).
    if (hasPerNeuron(params)) {
      const base = lifArrays(params, size, dt);
      const tauMs = perNeuronValues(params.tau_m_ms, size);
      const tauEs = perNeuronValues(params.tau_syn_exc_ms, size);
      const tauIs = perNeuronValues(params.tau_syn_inh_ms, size);
      const per = (f: (i: number) => number) => Float64Array.from({ length: size }, (_, i) => f(i));
      this.perNeuron = {
        ...base,
        be: per((i) => decayFactor(dt, tauEs[i], params.integration)),
        bi: per((i) => decayFactor(dt, tauIs[i], params.integration)),
        ce: per((i) => (euler ? dt / tauMs[i] : synapticFactor(dt, tauMs[i], tauEs[i]))),
        ci: per((i) => (euler ? dt / tauMs[i] : synapticFactor(dt, tauMs[i], tauIs[i]))),
      };
    }
    // Layout in the kernel's memory: four f64 arrays, then two i32 arrays, then the kernels' f64 constants.
    const k = this.perNeuron ? null : wasmKernels(size * 40 + 64);
    const buf = k ? k.buffer : new ArrayBuffer(size * 40);
    this.kernel = k ? k.lifCurrM : null;
    this.pairs = k ? k.lifCurrPairsM : null;
    this.pairsNoCur = k ? k.lifCurrPairsNoCurM : null;
    this.par = size * 40;
    if (k) new Float64Array(buf, this.par, 8).set([this.a, this.be, this.bi, this.ce, this.ci, this.vRest, this.vTh, this.rScale]);
    this.offsets = [0, 8 * size, 16 * size, 24 * size, 32 * size, 36 * size];
    this.v = new Float64Array(buf, 0, size);
    this.iExc = new Float64Array(buf, 8 * size, size);
    this.iInh = new Float64Array(buf, 16 * size, size);
    this.current = new Float64Array(buf, 24 * size, size);
    this.lastSpike = new Int32Array(buf, 32 * size, size).fill(-0x3fffffff);
    this.pending = new Int32Array(buf, 36 * size, size);
    this.inputs = [this.iExc, this.iInh];
    this.bytes = size * (4 * 8 + 4);
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
  }

  /**
   * Move the state into the network's arena (wasm-kernels.ts `lifStateIn`), so
   * zero-delay projections add into I_exc and I_inh with the wasm delivery
   * kernels. False, nothing moved, for the JS loop (per-neuron constants, no
   * wasm) or without room.
   */
  bindArena(arena: Arena): boolean {
    if (!this.kernel) return false;
    const s = lifStateIn(arena, [this.v, this.iExc, this.iInh, this.current], [this.lastSpike, this.pending], new Float64Array(this.v.buffer, this.par, 8));
    if (!s) return false;
    [this.v, this.iExc, this.iInh, this.current] = s.f64;
    [this.lastSpike, this.pending] = s.i32;
    this.inputs = [this.iExc, this.iInh];
    this.kernel = s.kernels.lifCurrM;
    this.pairs = s.kernels.lifCurrPairsM;
    this.pairsNoCur = s.kernels.lifCurrPairsNoCurM;
    this.par = s.par.byteOffset;
    this.offsets = s.offsets;
    return true;
  }

  /**
   * State update and threshold in one pass (the threshold of neuron i depends
   * only on neuron i, so fusing keeps Brian2's order); the spikes wait in
   * `pending` for `threshold`.
   */
  update(step: number): void {
    const { v, iExc, iInh, lastSpike, a, be, bi, ce, ci, refSteps, vRest, vTh, pending } = this;
    const n = this.size;
    const p = this.perNeuron;
    if (p) {
      // Each neuron's own constants; without injected current `current` stays zero.
      const cur = this.current;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const ie = iExc[i];
        const ii = iInh[i];
        iExc[i] = ie * p.be[i];
        iInh[i] = ii * p.bi[i];
        if (step - lastSpike[i] >= refSteps) {
          const e = p.vRest[i] + p.r[i] * cur[i];
          const x = e + (v[i] - e) * p.a[i] + ie * p.ce[i] + ii * p.ci[i];
          v[i] = x;
          if (x > p.vTh[i]) {
            pending[c++] = i;
            lastSpike[i] = step;
          }
        }
      }
      this.pendingCount = c;
      return;
    }
    if (this.kernel && this.pairs) {
      const o = this.offsets;
      const lim = step - refSteps;
      const hc = this.hasCurrent ? 1 : 0;
      const par = this.par;
      // The kernels test lastSpike ≤ step − refSteps, the same integers as step − lastSpike ≥ refSteps.
      const even = n & ~1;
      const pairs = hc === 1 ? this.pairs : this.pairsNoCur!;
      let c = pairs(even, lim, step, hc, o[0], o[1], o[2], o[3], o[4], o[5], par);
      if (even < n) {
        // The odd last neuron: the scalar kernel over a one-neuron window (it reports index 0).
        const j = n - 1;
        const s = this.kernel(1, lim, step, hc, o[0] + 8 * j, o[1] + 8 * j, o[2] + 8 * j, o[3] + 8 * j, o[4] + 4 * j, o[5] + 4 * c, par);
        if (s === 1) pending[c++] = j;
      }
      this.pendingCount = c;
      return;
    }
    let c = 0;
    if (this.hasCurrent) {
      const cur = this.current;
      const r = this.rScale;
      for (let i = 0; i < n; i++) {
        const ie = iExc[i];
        const ii = iInh[i];
        iExc[i] = ie * be;
        iInh[i] = ii * bi;
        if (step - lastSpike[i] >= refSteps) {
          const e = vRest + r * cur[i];
          const x = e + (v[i] - e) * a + ie * ce + ii * ci;
          v[i] = x;
          if (x > vTh) {
            pending[c++] = i;
            lastSpike[i] = step;
          }
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const ie = iExc[i];
        const ii = iInh[i];
        iExc[i] = ie * be;
        iInh[i] = ii * bi;
        if (step - lastSpike[i] >= refSteps) {
          const x = vRest + (v[i] - vRest) * a + ie * ce + ii * ci;
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

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : id === 'i_exc' ? this.iExc : id === 'i_inh' ? this.iInh : undefined;
  }
}
