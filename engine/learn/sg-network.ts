/**
 * The trainable network: discrete-time LIF populations with exponential
 * current synapses, run over one presentation window of T steps, and its
 * backward pass (backprop through time, BPTT) with a surrogate spike derivative.
 *
 * The forward step is the engine's (sim/lif-curr-exp.ts with Brian2's order,
 * sim/network.ts), so trained weights mean the same in the event-driven
 * simulation. For step n, with state after step n − 1 (V' after reset):
 *
 *   V[n]    = v_rest + (V'[n−1] − v_rest)·a + I_e[n−1]·c_e + I_i[n−1]·c_i   (held: V[n] = V'[n−1] while refractory)
 *   s[n]    = H(V[n] − v_th)  (0 while refractory)
 *   I_r[n]  = I_r[n−1]·b_r + Σ_k sign_r · w_k · s_pre(k)[n − d_k]          (synapses k onto the neuron on receptor r)
 *   V'[n]   = V[n]·(1 − s[n]) + v_reset·s[n]
 *
 * with a = e^(−dt/τm), b_r = e^(−dt/τ_r) and c_r the exact synaptic factor.
 * A spike of step n acts in step n (zero delay) and reaches the membrane in
 * step n + 1, as in the engine. Refractoriness follows the spikes of the forward
 * pass and is a constant of the backward pass.
 *
 * Backward: the exact derivative of that forward pass, except that dH/dV is
 * replaced by the surrogate. With `smooth` the forward pass uses the smooth
 * step itself (s = σ(x)), so the backward pass is then the true gradient —
 * which is what the gradient check tests. The reset's gradient is kept (not
 * detached), so the two modes share one backward pass.
 *
 * Two more neuron models share the pass (`SgLifSpec.model`):
 *
 * - `alif` (engine/sim/alif.ts): the same, plus an adaptation current W that a
 *   spike raises by b and that pulls V down:
 *     V[n]  = … − W'[n−1]·c_w,   W'[n] = W'[n−1]·b_w + b·s[n]
 * - `delta` (engine/sim/lif-delta.ts): no synaptic current; the arriving input
 *   X[n] (both receptors, signed) jumps V after the threshold, unless the neuron
 *   is held (refractory), and the reset follows:
 *     V[n]  = v_rest + (V'[n−1] − v_rest)·a,   V''[n] = V[n] + X[n],
 *     V'[n] = V''[n]·(1 − s[n]) + v_reset·s[n]
 *
 * Losses: cross-entropy on the readout's logits — its spike counts Σ_n s[n]
 * (`count`); its largest membrane potential (max_n V[n] − v_rest)/(v_th − v_rest)
 * (`max-v`); the time-averaged membrane of a readout that does not spike
 * (`mean-v`, mean_n (V[n] − v_rest)/(v_th − v_rest)); or minus its first spike
 * time in steps (`first-spike`), t̂ = Σ_n n·s[n]·Π_{m<n}(1 − s[m]) + T·Π_m(1 − s[m]),
 * which is the first spike step (T when silent) with hard spikes and smooth in s.
 * Optional firing-rate regulariser: λ × the spikes per neuron of the trained
 * populations other than the readout, added to the loss (the sparsity knob).
 *
 * All buffers are allocated once; a sample costs no allocation.
 */
import { smoothSpike, surrogateGrad, type Surrogate } from './surrogate.ts';
import { argmax, softmaxCrossEntropy } from './loss.ts';
import { synapticFactor } from '../sim/lif-curr-exp.ts';
import { DenseF32 } from './dense-f32.ts';

export const SG_LOSSES = ['count', 'max-v', 'mean-v', 'first-spike'] as const;
export type SgLoss = (typeof SG_LOSSES)[number];

/** LIF constants of one population (see the module docs). */
export interface SgLifSpec {
  readonly a: number;
  readonly be: number;
  readonly bi: number;
  readonly ce: number;
  readonly ci: number;
  readonly vRest: number;
  readonly vReset: number;
  readonly vTh: number;
  /** Membrane potential at the start of every sample. */
  readonly vInit: number;
  readonly refSteps: number;
  /** The neuron model (see the module docs); absent: `current`. */
  readonly model?: SgModel;
  /** alif: decay b_w = e^(−dt/τw) and factor c_w of the adaptation current, and its jump b per spike (mV). */
  readonly bw?: number;
  readonly cw?: number;
  readonly jump?: number;
  /** The time constants the factors above come from (needed to learn them, {@link SgOptions.learnTau}). */
  readonly tau?: SgTimeConstants;
}

/** A population's time constants in ms (τw: alif only) and the step they are taken over. */
export interface SgTimeConstants {
  readonly dt: number;
  readonly m: number;
  readonly exc: number;
  readonly inh: number;
  readonly w: number;
}

/** The smallest a learnt time constant may become, in steps (it stays positive). */
export const MIN_TAU_STEPS = 0.1;

/** `current`: lif-curr-exp; `alif`: adaptive LIF (adaptation current); `delta`: lif-delta. */
export type SgModel = 'current' | 'alif' | 'delta';

/** A population: spike input (from the data) or LIF neurons. */
export interface SgPopulationSpec {
  readonly nodeId: string;
  readonly size: number;
  /** LIF constants, or null for an input population (spikes given per sample). */
  readonly lif: SgLifSpec | null;
}

/** A trainable projection: synapse k joins pre neuron i (row of k) to post neuron col[k]. */
export interface SgProjectionSpec {
  readonly edgeId: string;
  readonly source: number;
  readonly target: number;
  /** 0: exc (I_e), 1: inh (I_i). */
  readonly receptor: 0 | 1;
  /** The receptor's sign (+1 exc, −1 for current-based inh). */
  readonly sign: number;
  readonly rowPtr: Uint32Array;
  readonly col: Uint32Array;
  /** Per-synapse delays in steps, or null when all are `dConst`. */
  readonly delay: Uint16Array | Int32Array | null;
  readonly dConst: number;
  /** The weights, in the target's weight unit (mV), before the receptor's sign; trained in place. */
  readonly w: Float64Array;
}

export interface SgOptions {
  readonly steps: number;
  readonly surrogate: Surrogate;
  readonly slope: number;
  readonly loss: SgLoss;
  /** Index of the readout population (one neuron per class). */
  readonly readout: number;
  /** Forward with the smooth step instead of the spike (gradient checks). */
  readonly smooth?: boolean;
  /** Weight λ of the firing-rate regulariser (absent or 0: none). */
  readonly rateReg?: number;
  /**
   * Run the dense projections (all-to-all, no delays) on the float32 SIMD
   * kernels (`dense-f32.ts`) when WebAssembly has them; ignored with `smooth`.
   * Their weight gradients then collect in float32 until {@link SgNetwork.flushGrads},
   * and after any change of the weights {@link SgNetwork.syncWeights} must run.
   */
  readonly f32Kernels?: boolean;
  /**
   * Learn each trained population's time constants with its weights: τm,
   * τsyn exc and inh (current-based models) and τw (alif), one of each per
   * population ({@link SgNetwork.tauParams}); every population needs `lif.tau`.
   */
  readonly learnTau?: boolean;
}

/** The result of one sample. */
export interface SgSampleResult {
  loss: number;
  predicted: number;
}

/** A population's LIF constants, which change when its time constants are learnt. */
type MutableLif = { -readonly [K in keyof SgLifSpec]: SgLifSpec[K] };

interface PopState {
  readonly spec: { readonly nodeId: string; readonly size: number; readonly lif: MutableLif | null };
  /** dL/d of its constants a, be, bi, ce, ci, bw, cw over the sample (learnTau). */
  readonly gk: Float64Array;
  /** s[n·N + j]: spikes (or smooth steps), every population. */
  readonly s: Float64Array;
  /** V[n·N + j] before reset (LIF only; delta: before the input jump). */
  readonly v: Float64Array;
  /** Current-based models: the synaptic currents; delta: `ie` holds the arriving input X[n]. */
  readonly ie: Float64Array;
  readonly ii: Float64Array;
  /** 1 where the neuron was refractory (held) in step n. */
  readonly refr: Uint8Array;
  readonly last: Int32Array;
  readonly gie: Float64Array;
  readonly gii: Float64Array;
  /** alif: W'[n] (after the spike's jump), and dL/dW' of the step after the current one. */
  readonly w: Float64Array;
  readonly gw: Float64Array;
  readonly gs: Float64Array;
  readonly model: SgModel;
  /** Spikes are cut (a non-spiking readout, loss mean-v). */
  readonly silent: boolean;
  /** The rate regulariser's gradient per spike (λ / neurons regularised; 0 when not regularised). */
  regGrad: number;
  gv: Float64Array;
  gvNext: Float64Array;
  /** Projections out of this population. */
  readonly out: number[];
  /** Projections into this population. */
  readonly inc: number[];
}

export class SgNetwork {
  readonly T: number;
  readonly pops: PopState[];
  readonly grads: Float64Array[];
  readonly logits: Float64Array;
  private readonly dLogits: Float64Array;
  /** Step of each readout neuron's largest V (max-v loss). */
  private readonly argmaxStep: Int32Array;
  /** first-spike loss: Π_{m<n}(1 − s[m]) per step and readout neuron, and t̂ per neuron. */
  private readonly survive: Float64Array;
  /** The regulariser's part of the last sample's loss. */
  regLoss = 0;
  /** The scale of the sample being trained (trainSample), which the regulariser's gradient takes too. */
  private regScale = 1;
  /** first-spike loss: the backward pass's R per readout neuron. */
  private readonly firstR: Float64Array;
  /** Per projection: all-to-all without delays (synapse k of row i is i·N_target + j), so the loops run without the column index. */
  private readonly dense: boolean[];
  /** The float32 kernels of the dense projections (options.f32Kernels), or null. */
  readonly f32: DenseF32 | null;
  /**
   * Learnt time constants (options.learnTau), one array [τm, τexc, τinh, τw] (ms)
   * per trained population in network order (`tauPops` gives its index), and
   * their gradients; empty otherwise. After changing them, call `applyTimeConstants`.
   */
  readonly tauParams: Float64Array[] = [];
  readonly tauGrads: Float64Array[] = [];
  readonly tauPops: number[] = [];
  /** Spikes (hard forward) of the last sample per population, and synaptic events. */
  spikesLast = 0;
  eventsLast = 0;

  constructor(
    readonly populations: readonly SgPopulationSpec[],
    readonly projections: readonly SgProjectionSpec[],
    readonly options: SgOptions,
  ) {
    const T = options.steps;
    this.T = T;
    this.pops = populations.map((spec, index) => {
      const N = spec.size;
      const lif = spec.lif !== null;
      const TN = lif ? T * N : 0;
      const model = spec.lif?.model ?? 'current';
      return {
        spec: { nodeId: spec.nodeId, size: spec.size, lif: spec.lif ? { ...spec.lif } : null },
        gk: new Float64Array(7),
        model,
        silent: index === options.readout && options.loss === 'mean-v',
        regGrad: 0,
        w: new Float64Array(model === 'alif' ? TN : 0),
        gw: new Float64Array(model === 'alif' ? N : 0),
        s: new Float64Array(T * N),
        v: new Float64Array(TN),
        ie: new Float64Array(TN),
        ii: new Float64Array(TN),
        refr: new Uint8Array(TN),
        last: new Int32Array(lif ? N : 0),
        gie: new Float64Array(TN),
        gii: new Float64Array(TN),
        gs: new Float64Array(lif ? N : 0),
        gv: new Float64Array(lif ? N : 0),
        gvNext: new Float64Array(lif ? N : 0),
        out: [],
        inc: [],
      };
    });
    projections.forEach((p, k) => {
      if (!this.pops[p.target].spec.lif) throw new Error(`projection ${p.edgeId} targets an input population`);
      this.pops[p.source].out.push(k);
      this.pops[p.target].inc.push(k);
    });
    const r = this.pops[options.readout];
    if (!r?.spec.lif) throw new Error('the readout must be a LIF population');
    this.grads = projections.map((p) => new Float64Array(p.w.length));
    this.dense = projections.map((p) => p.delay === null && isDense(p.rowPtr, p.col, populations[p.target].size));
    this.f32 =
      options.f32Kernels && !options.smooth
        ? DenseF32.create(
            projections,
            this.dense,
            populations.map((p) => p.size),
          )
        : null;
    this.logits = new Float64Array(r.spec.size);
    this.dLogits = new Float64Array(r.spec.size);
    this.argmaxStep = new Int32Array(r.spec.size);
    this.firstR = new Float64Array(r.spec.size);
    this.survive = new Float64Array(options.loss === 'first-spike' ? (T + 1) * r.spec.size : 0);
    if (options.learnTau) {
      this.pops.forEach((p, i) => {
        if (!p.spec.lif) return;
        const t = p.spec.lif.tau;
        if (!t) throw new Error(`learning time constants needs those of population ${p.spec.nodeId}`);
        this.tauPops.push(i);
        this.tauParams.push(Float64Array.of(t.m, t.exc, t.inh, t.w));
        this.tauGrads.push(new Float64Array(4));
      });
      this.applyTimeConstants();
    }
    const reg = options.rateReg ?? 0;
    if (reg > 0) {
      const regPops = this.pops.filter((p, i) => p.spec.lif && i !== options.readout);
      const n = regPops.reduce((a, p) => a + p.spec.size, 0);
      for (const p of regPops) p.regGrad = reg / Math.max(1, n);
    }
  }

  /** The trained weights, one array per projection (the same arrays the optimiser updates). */
  get weights(): Float64Array[] {
    return this.projections.map((p) => p.w);
  }

  /** Everything trained: the weights, then the time constants when they are learnt. */
  get parameters(): Float64Array[] {
    return [...this.weights, ...this.tauParams];
  }

  /** The gradients of {@link parameters}, in the same order. */
  get parameterGrads(): Float64Array[] {
    return [...this.grads, ...this.tauGrads];
  }

  zeroGrads(): void {
    for (const g of this.grads) g.fill(0);
    for (const g of this.tauGrads) g.fill(0);
    this.f32?.zeroGrads();
  }

  /** With the float32 kernels: add their weight gradients into {@link grads} (before reading them). A no-op without. */
  flushGrads(): void {
    this.f32?.flushGrads(this.grads);
  }

  /** With the float32 kernels: copy the weights into them, after any change of {@link weights}. A no-op without. */
  syncWeights(): void {
    this.f32?.syncWeights(this.projections);
  }

  /**
   * Recompute each population's decay and input factors from `tauParams`
   * (each kept at least {@link MIN_TAU_STEPS} steps); a no-op when time constants are not learnt.
   */
  applyTimeConstants(): void {
    this.tauPops.forEach((pi, k) => {
      const L = this.pops[pi].spec.lif!;
      const dt = L.tau!.dt;
      const t = this.tauParams[k];
      for (let x = 0; x < 4; x++) t[x] = Math.max(MIN_TAU_STEPS * dt, t[x]);
      L.a = Math.exp(-dt / t[0]);
      if (L.model === 'delta') return;
      L.be = Math.exp(-dt / t[1]);
      L.bi = Math.exp(-dt / t[2]);
      L.ce = synapticFactor(dt, t[0], t[1]);
      L.ci = synapticFactor(dt, t[0], t[2]);
      if (L.model === 'alif') {
        L.bw = Math.exp(-dt / t[3]);
        L.cw = synapticFactor(dt, t[0], t[3]);
      }
    });
  }

  /**
   * Set the input spikes of population `pop` for the next sample: channel
   * `idx[k]` spikes in step `step` for k in [ptr[step], ptr[step + 1]).
   */
  setInput(pop: number, ptr: Int32Array, idx: Int32Array | Uint16Array): void {
    const st = this.pops[pop];
    const N = st.spec.size;
    st.s.fill(0);
    for (let n = 0; n < this.T; n++) for (let k = ptr[n]; k < ptr[n + 1]; k++) st.s[n * N + idx[k]] = 1;
  }

  /** Run the forward pass of the sample whose inputs are set; fills the logits. */
  forward(): void {
    const { T, pops, projections } = this;
    const smooth = !!this.options.smooth;
    const { surrogate, slope } = this.options;
    let spikes = 0;
    let events = 0;
    let regLoss = 0;
    for (const st of pops) {
      if (!st.spec.lif) continue;
      st.last.fill(-0x3fffffff);
    }
    const f32 = this.f32;
    f32?.newPass();
    for (let n = 0; n < T; n++) {
      // 1. state update and threshold
      for (const st of pops) {
        const L = st.spec.lif;
        if (!L) continue;
        const N = st.spec.size;
        const { v, s, ie, ii, refr, last, w, model, silent } = st;
        const delta = model === 'delta';
        const alif = model === 'alif';
        const bw = L.bw ?? 0;
        const cw = L.cw ?? 0;
        const jump = L.jump ?? 0;
        const o = n * N;
        const p = o - N;
        const theta = L.vTh - L.vRest;
        for (let j = 0; j < N; j++) {
          let vPrev: number, iePrev: number, iiPrev: number, wPrev: number;
          if (n === 0) {
            vPrev = L.vInit;
            iePrev = 0;
            iiPrev = 0;
            wPrev = 0;
          } else {
            const sp = s[p + j];
            const vp = delta && !refr[p + j] ? v[p + j] + ie[p + j] : v[p + j];
            vPrev = vp * (1 - sp) + L.vReset * sp;
            iePrev = ie[p + j];
            iiPrev = ii[p + j];
            wPrev = alif ? w[p + j] : 0;
          }
          if (delta) ie[o + j] = 0;
          else {
            ie[o + j] = iePrev * L.be;
            ii[o + j] = iiPrev * L.bi;
          }
          let sj = 0;
          if (n - last[j] >= L.refSteps) {
            const x = delta ? L.vRest + (vPrev - L.vRest) * L.a : L.vRest + (vPrev - L.vRest) * L.a + iePrev * L.ce + iiPrev * L.ci - wPrev * cw;
            v[o + j] = x;
            refr[o + j] = 0;
            if (!silent) {
              const hard = x > L.vTh;
              if (hard) {
                last[j] = n;
                spikes++;
              }
              sj = smooth ? smoothSpike(surrogate, (x - L.vTh) / theta, slope) : hard ? 1 : 0;
            }
          } else {
            v[o + j] = vPrev;
            refr[o + j] = 1;
          }
          s[o + j] = sj;
          if (alif) w[o + j] = wPrev * bw + jump * sj;
          regLoss += st.regGrad * sj;
        }
      }
      // 2. propagation: spikes of step n − d land in step n
      for (let q = 0; q < projections.length; q++) {
        const pr = projections[q];
        const src = pops[pr.source];
        const tgt = pops[pr.target];
        const Ns = src.spec.size;
        const Nt = tgt.spec.size;
        const I = pr.receptor === 0 || tgt.model === 'delta' ? tgt.ie : tgt.ii;
        const o = n * Nt;
        const { rowPtr, col, w, sign } = pr;
        const s = src.s;
        if (pr.delay === null) {
          const m = n - pr.dConst;
          if (m < 0) continue;
          const so = m * Ns;
          if (f32?.has(q)) {
            events += f32.forward(q, s, so, Ns, sign, I, o);
            continue;
          }
          if (this.dense[q]) {
            // Event-driven: only the rows that spiked, each a contiguous run of Nt weights.
            for (let i = 0; i < Ns; i++) {
              const x = s[so + i];
              if (x === 0) continue;
              const f = sign * x;
              events += Nt;
              axpy(I, o, w, i * Nt, Nt, f);
            }
            continue;
          }
          for (let i = 0; i < Ns; i++) {
            const x = s[so + i];
            if (x === 0) continue;
            const f = sign * x;
            const end = rowPtr[i + 1];
            events += end - rowPtr[i];
            for (let k = rowPtr[i]; k < end; k++) I[o + col[k]] += f * w[k];
          }
        } else {
          const d = pr.delay;
          for (let i = 0; i < Ns; i++) {
            const end = rowPtr[i + 1];
            for (let k = rowPtr[i]; k < end; k++) {
              const m = n - d[k];
              if (m < 0) continue;
              const x = s[m * Ns + i];
              if (x === 0) continue;
              events++;
              I[o + col[k]] += sign * x * w[k];
            }
          }
        }
      }
    }
    this.spikesLast = spikes;
    this.eventsLast = events;
    this.regLoss = regLoss;
    this.readoutLogits();
  }

  /** The readout's logits for the loss (see the module docs). */
  private readoutLogits(): void {
    const { T, pops } = this;
    const r = pops[this.options.readout];
    const L = r.spec.lif!;
    const C = r.spec.size;
    const theta = L.vTh - L.vRest;
    const loss = this.options.loss;
    for (let c = 0; c < C; c++) {
      if (loss === 'count') {
        let sum = 0;
        for (let n = 0; n < T; n++) sum += r.s[n * C + c];
        this.logits[c] = sum;
      } else if (loss === 'max-v') {
        let best = -Infinity;
        let at = 0;
        for (let n = 0; n < T; n++) {
          const x = r.v[n * C + c];
          if (x > best) {
            best = x;
            at = n;
          }
        }
        this.logits[c] = (best - L.vRest) / theta;
        this.argmaxStep[c] = at;
      } else if (loss === 'mean-v') {
        let sum = 0;
        for (let n = 0; n < T; n++) sum += r.v[n * C + c];
        this.logits[c] = (sum / T - L.vRest) / theta;
      } else {
        // t̂ = Σ n·s[n]·P[n] + T·P[T], P[n] = Π_{m<n}(1 − s[m]).
        const P = this.survive;
        let prod = 1;
        let t = 0;
        for (let n = 0; n < T; n++) {
          P[n * C + c] = prod;
          const x = r.s[n * C + c];
          t += n * x * prod;
          prod *= 1 - x;
        }
        P[T * C + c] = prod;
        this.logits[c] = -(t + T * prod);
      }
    }
  }

  /** Forward, loss and prediction without gradients. */
  evaluate(label: number): SgSampleResult {
    this.forward();
    const loss = softmaxCrossEntropy(this.logits, label, this.dLogits) + this.regLoss;
    return { loss, predicted: argmax(this.logits) };
  }

  /**
   * Forward, loss, and the backward pass: adds dL/dw of this sample, times
   * `scale`, to `grads`.
   */
  trainSample(label: number, scale = 1): SgSampleResult {
    const res = this.evaluate(label);
    if (scale !== 1) for (let c = 0; c < this.dLogits.length; c++) this.dLogits[c] *= scale;
    this.regScale = scale;
    this.backward();
    return res;
  }

  /** BPTT from the loss gradient in `dLogits` (see the module docs). */
  private backward(): void {
    const { T, pops, projections, grads } = this;
    const { surrogate, slope, loss } = this.options;
    const ro = this.options.readout;
    const C = pops[ro].spec.size;
    const dLogits = this.dLogits;
    const scaleReg = this.regScale;
    // first-spike: R[c] = t̂ of the steps after n, given no spike up to n (R = T after the last step).
    const R = this.firstR;
    if (loss === 'first-spike') R.fill(T);
    const learnTau = this.tauPops.length > 0;
    const f32 = this.f32;
    f32?.newPass();
    for (const st of pops) {
      if (!st.spec.lif) continue;
      st.gie.fill(0);
      st.gii.fill(0);
      st.gvNext.fill(0);
      st.gw.fill(0);
      st.gk.fill(0);
    }
    for (let n = T - 1; n >= 0; n--) {
      // Gradients of step n's currents (or arriving input) and adaptation, from step n + 1.
      for (const st of pops) {
        const L = st.spec.lif;
        if (!L) continue;
        const N = st.spec.size;
        const o = n * N;
        const { gie, gii, refr, gvNext, gw, s, model } = st;
        const gs = st.gs;
        const last = n + 1 >= T;
        const q = o + N;
        if (model === 'delta') {
          // X[n] enters V''[n] (unless held), which reaches V[n + 1] through V'[n].
          if (!last) {
            for (let j = 0; j < N; j++) {
              const gvp = refr[q + j] ? gvNext[j] : gvNext[j] * L.a;
              gie[o + j] = refr[o + j] ? 0 : gvp * (1 - s[o + j]);
            }
            if (learnTau) tauStepDelta(st, L, n);
          }
        } else if (!last) {
          const cw = L.cw ?? 0;
          const bw = L.bw ?? 0;
          for (let j = 0; j < N; j++) {
            const gvj = refr[q + j] ? 0 : gvNext[j];
            gie[o + j] = gie[q + j] * L.be + gvj * L.ce;
            gii[o + j] = gii[q + j] * L.bi + gvj * L.ci;
            // dL/dW'[n]: W'[n + 1] = W'[n]·b_w + …, V[n + 1] = … − W'[n]·c_w.
            if (model === 'alif') gw[j] = gw[j] * bw - gvj * cw;
          }
          if (learnTau) tauStepCurrent(st, L, n);
        }
        if (st.regGrad !== 0) gs.fill(st.regGrad * scaleReg);
        else gs.fill(0);
      }
      // Loss gradient on the readout's spikes.
      if (loss === 'count') {
        const gs = pops[ro].gs;
        for (let c = 0; c < C; c++) gs[c] += dLogits[c];
      } else if (loss === 'first-spike') {
        // logit = −t̂; dt̂/ds[n] = P[n]·(n − R[n]); then R[n − 1] = n·s[n] + (1 − s[n])·R[n].
        const r = pops[ro];
        const P = this.survive;
        for (let c = 0; c < C; c++) {
          const x = r.s[n * C + c];
          r.gs[c] -= dLogits[c] * P[n * C + c] * (n - R[c]);
          R[c] = n * x + (1 - x) * R[c];
        }
      }
      // Through the synapses: spikes of step n acted in step n + d.
      for (let k = 0; k < projections.length; k++) {
        const pr = projections[k];
        const src = pops[pr.source];
        const tgt = pops[pr.target];
        const Ns = src.spec.size;
        const Nt = tgt.spec.size;
        const gI = pr.receptor === 0 || tgt.model === 'delta' ? tgt.gie : tgt.gii;
        const { rowPtr, col, w, sign } = pr;
        const g = grads[k];
        const s = src.s;
        const so = n * Ns;
        const gs = src.spec.lif ? src.gs : null;
        const d = pr.delay;
        const tc = n + pr.dConst;
        // With one delay, every synapse of this step lands in the same step (or after the window).
        if (d === null && tc >= T) continue;
        const gOff = tc * Nt;
        if (f32?.has(k)) {
          f32.backward(k, s, so, Ns, sign, gI, gOff, gs);
          continue;
        }
        if (this.dense[k]) {
          denseBackward(s, so, Ns, Nt, w, g, gI, gOff, sign, gs);
          continue;
        }
        for (let i = 0; i < Ns; i++) {
          const x = s[so + i];
          // An input's spikes need no gradient: only the weights of its active rows.
          if (gs === null && x === 0) continue;
          const end = rowPtr[i + 1];
          let acc = 0;
          if (d === null) {
            if (x !== 0) {
              for (let kk = rowPtr[i]; kk < end; kk++) {
                const gt = sign * gI[gOff + col[kk]];
                acc += w[kk] * gt;
                g[kk] += x * gt;
              }
            } else for (let kk = rowPtr[i]; kk < end; kk++) acc += w[kk] * gI[gOff + col[kk]];
            if (x === 0) acc *= sign;
          } else {
            for (let kk = rowPtr[i]; kk < end; kk++) {
              const t = n + d[kk];
              if (t >= T) continue;
              const gt = sign * gI[t * Nt + col[kk]];
              acc += w[kk] * gt;
              if (x !== 0) g[kk] += x * gt;
            }
          }
          if (gs !== null) gs[i] += acc;
        }
      }
      // Membrane: the gradients of V[n] from V'[n] (the next step) and from s[n].
      for (const st of pops) {
        const L = st.spec.lif;
        if (!L) continue;
        const N = st.spec.size;
        const o = n * N;
        const { v, s, refr, gs, gvNext, gw, ie, model, silent } = st;
        const gv = st.gv;
        const theta = L.vTh - L.vRest;
        const nextHeld = n + 1 < T ? st.refr : null;
        const jump = model === 'alif' ? (L.jump ?? 0) : 0;
        const delta = model === 'delta';
        for (let j = 0; j < N; j++) {
          // dL/dV'[n]: V[n+1] = V'[n] when held, else v_rest + (V'[n] − v_rest)·a + …
          const gvp = nextHeld === null ? 0 : nextHeld[o + N + j] ? gvNext[j] : gvNext[j] * L.a;
          let out = gvp * (1 - s[o + j]);
          if (!refr[o + j] && !silent) {
            // The reset replaces V'' (delta: V plus its input) by v_reset; alif's W' jumps by b.
            const vBefore = delta ? v[o + j] + ie[o + j] : v[o + j];
            const gsj = gs[j] + gvp * (L.vReset - vBefore) + (jump !== 0 ? gw[j] * jump : 0);
            out += (gsj * surrogateGrad(surrogate, (v[o + j] - L.vTh) / theta, slope)) / theta;
          }
          gv[j] = out;
        }
        st.gv = gvNext;
        st.gvNext = gv;
      }
      if (loss === 'max-v' || loss === 'mean-v') {
        const r = pops[ro];
        const L = r.spec.lif!;
        const theta = L.vTh - L.vRest;
        if (loss === 'max-v') {
          for (let c = 0; c < C; c++) if (this.argmaxStep[c] === n) r.gvNext[c] += dLogits[c] / theta;
        } else for (let c = 0; c < C; c++) r.gvNext[c] += dLogits[c] / (theta * T);
      }
    }
    if (learnTau) this.tauBackward();
  }

  /** The time constants' gradients from their factors' (`gk`), with the first step's decay from V(0) (see `tauStepCurrent`). */
  private tauBackward(): void {
    this.tauPops.forEach((pi, k) => {
      const st = this.pops[pi];
      const L = st.spec.lif!;
      const gk = st.gk;
      // V[0] = v_rest + (v_init − v_rest)·a: gvNext now holds dL/dV[0].
      for (let j = 0; j < st.spec.size; j++) gk[0] += st.gvNext[j] * (L.vInit - L.vRest);
      const [m, e, i, w] = this.tauParams[k];
      const dt = L.tau!.dt;
      const g = this.tauGrads[k];
      // da/dτ = a·dt/τ² for a = e^(−dt/τ); the synaptic factors by synapticFactorGrad.
      g[0] += gk[0] * ((L.a * dt) / (m * m));
      if (L.model === 'delta') return;
      const [ceM, ceE] = synapticFactorGrad(dt, m, e);
      const [ciM, ciI] = synapticFactorGrad(dt, m, i);
      g[0] += gk[3] * ceM + gk[4] * ciM;
      g[1] += gk[1] * ((L.be * dt) / (e * e)) + gk[3] * ceE;
      g[2] += gk[2] * ((L.bi * dt) / (i * i)) + gk[4] * ciI;
      if (L.model === 'alif') {
        const [cwM, cwW] = synapticFactorGrad(dt, m, w);
        g[0] += gk[6] * cwM;
        g[3] += gk[5] * ((L.bw! * dt) / (w * w)) + gk[6] * cwW;
      }
    });
  }
}

/**
 * Step n's part of dL/d(a, be, bi, ce, ci, bw, cw) of a current-based
 * population (`gk`), once its gradients of step n are known: V[n + 1] (when
 * not held) = v_rest + (V'[n] − v_rest)·a + I_e[n]·c_e + I_i[n]·c_i − W'[n]·c_w;
 * I_r[n] = I_r[n − 1]·b_r + …; W'[n] = W'[n − 1]·b_w + b·s[n].
 */
function tauStepCurrent(st: PopState, L: MutableLif, n: number): void {
  const N = st.spec.size;
  const o = n * N;
  const q = o + N;
  const p = o - N;
  const { v, s, ie, ii, refr, gvNext, gie, gii, gw, w, gk } = st;
  const alif = st.model === 'alif';
  for (let j = 0; j < N; j++) {
    if (!refr[q + j]) {
      const gvj = gvNext[j];
      const vAfter = v[o + j] * (1 - s[o + j]) + L.vReset * s[o + j];
      gk[0] += gvj * (vAfter - L.vRest);
      gk[3] += gvj * ie[o + j];
      gk[4] += gvj * ii[o + j];
      if (alif) gk[6] -= gvj * w[o + j];
    }
    if (n > 0) {
      gk[1] += gie[o + j] * ie[p + j];
      gk[2] += gii[o + j] * ii[p + j];
      if (alif) gk[5] += gw[j] * w[p + j];
    }
  }
}

/** The same for a delta-synapse population: only V[n + 1] = v_rest + (V'[n] − v_rest)·a, with V'[n] after its input jump and reset. */
function tauStepDelta(st: PopState, L: MutableLif, n: number): void {
  const N = st.spec.size;
  const o = n * N;
  const q = o + N;
  const { v, s, ie, refr, gvNext, gk } = st;
  for (let j = 0; j < N; j++) {
    if (refr[q + j]) continue;
    const vp = refr[o + j] ? v[o + j] : v[o + j] + ie[o + j];
    gk[0] += gvNext[j] * (vp * (1 - s[o + j]) + L.vReset * s[o + j] - L.vRest);
  }
}

/**
 * The partial derivatives (∂/∂τm, ∂/∂τs) of `synapticFactor(dt, τm, τs)` =
 * τs/(τs − τm)·(B − A), A = e^(−dt/τm), B = e^(−dt/τs); at τs ≈ τm, those of
 * its limit, with ∂τm + ∂τs = d/dτ [(dt/τ)·e^(−dt/τ)] and ∂τs = f′(τ) + τ·f″(τ)/2, f(x) = e^(−dt/x).
 */
export function synapticFactorGrad(dt: number, m: number, s: number): [number, number] {
  const D = s - m;
  if (Math.abs(D) < 1e-6 * m) {
    const f = Math.exp(-dt / m);
    const f1 = (f * dt) / (m * m);
    const f2 = f * ((dt * dt) / m ** 4 - (2 * dt) / m ** 3);
    const dS = f1 + (m * f2) / 2;
    const total = (-dt / (m * m)) * f + (dt / m) * f1;
    return [total - dS, dS];
  }
  const A = Math.exp(-dt / m);
  const B = Math.exp(-dt / s);
  const dA = (A * dt) / (m * m);
  const dB = (B * dt) / (s * s);
  return [(s * (B - A)) / (D * D) - (s * dA) / D, (B - A) / D + (s * dB) / D - (s * (B - A)) / (D * D)];
}

/** y[yo + j] += f · x[xo + j] for j < n. */
function axpy(y: Float64Array, yo: number, x: Float64Array, xo: number, n: number, f: number): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    y[yo + j] += f * x[xo + j];
    y[yo + j + 1] += f * x[xo + j + 1];
    y[yo + j + 2] += f * x[xo + j + 2];
    y[yo + j + 3] += f * x[xo + j + 3];
  }
  for (; j < n; j++) y[yo + j] += f * x[xo + j];
}

/** Σ_j a[ao + j] · b[bo + j] for j < n (four partial sums). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < n; j++) s0 += a[ao + j] * b[bo + j];
  return s0 + s1 + (s2 + s3);
}

/** Whether a CSR projection is all-to-all in order: row i holds columns 0 … nTarget − 1 at i·nTarget. */
function isDense(rowPtr: Uint32Array, col: Uint32Array, nTarget: number): boolean {
  const rows = rowPtr.length - 1;
  if (col.length !== rows * nTarget) return false;
  for (let i = 0; i <= rows; i++) if (rowPtr[i] !== i * nTarget) return false;
  for (let k = 0; k < col.length; k++) if (col[k] !== k % nTarget) return false;
  return true;
}

/**
 * One step of the backward pass through a dense projection (see `backward`):
 * for every source row i with activity x = s[so + i], the weight gradients
 * g[i, j] += x · sign · gI[j]; and, for a trained source, gs[i] += sign · Σ_j w[i, j] · gI[j].
 * An input's silent rows are skipped (their weights get nothing, they need no gradient).
 */
function denseBackward(s: Float64Array, so: number, Ns: number, Nt: number, w: Float64Array, g: Float64Array, gI: Float64Array, gOff: number, sign: number, gs: Float64Array | null): void {
  for (let i = 0; i < Ns; i++) {
    const x = s[so + i];
    const base = i * Nt;
    if (gs === null) {
      if (x === 0) continue;
      axpy(g, base, gI, gOff, Nt, x * sign);
      continue;
    }
    if (x !== 0) axpy(g, base, gI, gOff, Nt, x * sign);
    gs[i] += sign * dot(w, base, gI, gOff, Nt);
  }
}
