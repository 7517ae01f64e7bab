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
import type { DistValue } from '../core/dist-value.ts';
import { lifStateIn, wasmKernels, type LifCondMKernel } from './wasm-kernels.ts';
import type { Arena } from './arena.ts';
import { thresholdRefractory, resetTo } from './threshold.ts';
import { stepsOf } from '../core/time.ts';

/** Bytes of state per neuron: V, g_e, g_i, current (f64) and the last spike step (i32). */
export const LIF_COND_EXP_BYTES = 4 * 8 + 4;

export class LifCondExp implements NeuronGroup {
  /** V, the conductances, the injected current, the last spikes and the pending ones move into the network's arena in {@link bindArena}. */
  v: Float64Array;
  gExc: Float64Array;
  gInh: Float64Array;
  inputs: readonly Float64Array[];
  current: Float64Array;
  lastSpike: Int32Array;
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
  /** The wasm update fused with the threshold (state arrays live in its memory), or null for the JS loops. */
  private kernel: LifCondMKernel | null;
  /** The same two neurons at a time (f64x2), for the even part; and that kernel for a group without an injected current. */
  private pairs: LifCondMKernel | null;
  private pairsNoCur: LifCondMKernel | null;
  /** The kernels' f64 constants in their memory (k, de, di, eL, eE, eI, vTh, r), or null without them. */
  private par: Float64Array | null;
  /** Byte offsets of V, g_e, g_i, current, last spike and pending in the kernel's memory. */
  private offsets: readonly [number, number, number, number, number, number];
  /** Spikes found by the wasm `update`, handed out by `threshold`. */
  private pending: Int32Array;
  private pendingCount = 0;

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
    this.refSteps = stepsOf(params.t_ref_ms as number, dt);
    this.rScale = (params.r_m_mohm as number) / 1000;

    // Layout in the kernel's memory: four f64 arrays, then two i32 arrays.
    const kern = wasmKernels(size * 40 + 64);
    const buf = kern ? kern.buffer : new ArrayBuffer(size * 40);
    this.kernel = kern ? kern.lifCondM : null;
    this.pairs = kern ? kern.lifCondPairsM : null;
    this.pairsNoCur = kern ? kern.lifCondPairsNoCurM : null;
    // The kernels' f64 constants k, de, di, eL, eE, eI, vTh, r after the arrays (r is set per step: it depends on hasCurrent).
    this.par = kern ? new Float64Array(buf, size * 40, 8) : null;
    this.par?.set([this.k, this.de, this.di, this.eL, this.eE, this.eI, this.vTh, 0]);
    this.offsets = [0, 8 * size, 16 * size, 24 * size, 32 * size, 36 * size];
    this.v = new Float64Array(buf, 0, size);
    this.gExc = new Float64Array(buf, 8 * size, size);
    this.gInh = new Float64Array(buf, 16 * size, size);
    this.current = new Float64Array(buf, 24 * size, size);
    this.lastSpike = new Int32Array(buf, 32 * size, size).fill(-0x3fffffff);
    this.pending = new Int32Array(buf, 36 * size, size);
    this.inputs = [this.gExc, this.gInh];
    this.bytes = size * LIF_COND_EXP_BYTES;
    // Draw order is fixed (V, then g_e, then g_i), so a seed gives the same start.
    fill(this.v, params.v_init_mv as DistValue, ctx.rng);
    fill(this.gExc, params.g_exc_init as DistValue, ctx.rng);
    fill(this.gInh, params.g_inh_init as DistValue, ctx.rng);
  }

  /**
   * Move the state into the network's arena (wasm-kernels.ts `lifStateIn`), so
   * zero-delay projections add into g_e and g_i with the wasm delivery kernels.
   * False, nothing moved, without the wasm kernels or without room.
   */
  bindArena(arena: Arena): boolean {
    if (!this.kernel || !this.par) return false;
    const s = lifStateIn(arena, [this.v, this.gExc, this.gInh, this.current], [this.lastSpike, this.pending], this.par);
    if (!s) return false;
    [this.v, this.gExc, this.gInh, this.current] = s.f64;
    [this.lastSpike, this.pending] = s.i32;
    this.inputs = [this.gExc, this.gInh];
    this.kernel = s.kernels.lifCondM;
    this.pairs = s.kernels.lifCondPairsM;
    this.pairsNoCur = s.kernels.lifCondPairsNoCurM;
    this.par = s.par;
    this.offsets = s.offsets;
    return true;
  }

  update(step: number): void {
    const { v, gExc, gInh, lastSpike, k, de, di, eL, eE, eI, refSteps } = this;
    const n = this.size;
    const cur = this.current;
    const r = this.hasCurrent ? this.rScale : 0;
    if (this.kernel && this.pairs) {
      const o = this.offsets;
      // lastSpike ≤ step − refSteps is step − lastSpike ≥ refSteps on the same integers.
      const lim = step - refSteps;
      const even = n & ~1;
      const parArr = this.par!;
      parArr[7] = r;
      const par = parArr.byteOffset;
      let c = (this.hasCurrent ? this.pairs : this.pairsNoCur!)(even, lim, step, o[0], o[1], o[2], o[3], o[4], o[5], par);
      if (even < n) {
        // The odd last neuron: the scalar kernel over a one-neuron window (it reports index 0).
        const j = n - 1;
        const s = this.kernel(1, lim, step, o[0] + 8 * j, o[1] + 8 * j, o[2] + 8 * j, o[3] + 8 * j, o[4] + 4 * j, o[5] + 4 * c, par);
        if (s === 1) this.pending[c++] = j;
      }
      this.pendingCount = c;
      return;
    }
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
    if (this.kernel) {
      const c = this.pendingCount;
      // A copy loop, not out.set(pending.subarray(…)): a subarray is an allocation per step.
      const pending = this.pending;
      for (let k = 0; k < c; k++) out[k] = pending[k];
      return c;
    }
    return thresholdRefractory(this.v, this.lastSpike, this.vTh, this.refSteps, step, out);
  }

  reset(spikes: Int32Array, count: number): void {
    resetTo(this.v, spikes, count, this.vReset);
  }

  stateVar(id: string): Float64Array | undefined {
    return id === 'v' ? this.v : id === 'g_exc' ? this.gExc : id === 'g_inh' ? this.gInh : undefined;
  }
}
