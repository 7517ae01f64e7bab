/**
 * Pair STDP on one projection, event-driven (MODELS.md §4: Song, Miller &
 * Abbott 2000 as simplified in Brian2's docs).
 *
 * Traces are kept per *neuron*, not per synapse: A_pre per presynaptic neuron,
 * A_post per postsynaptic neuron, each with the step of its last jump. Brian2
 * keeps A_pre,k and A_post,k per synapse k, decaying them at every pre or post
 * event of k. Because the decay is an exact exponential, decaying in pieces
 * equals decaying in one go, and A_pre,k only jumps at spikes of k's
 * presynaptic neuron (A_post,k at spikes of its postsynaptic neuron). So with
 * all-to-all pairing every synapse of presynaptic neuron i holds the same
 * A_pre,k = Σ_{spikes s of i} ΔA_pre·e^{−(t − t_s)/τ_pre}, which is the per-neuron
 * trace; likewise for A_post (and for nearest-spike pairing, where a jump resets
 * the trace, since the reset depends only on the same neuron's spikes). Memory
 * is 16 bytes per neuron instead of 16 per synapse, and an event decays one
 * trace instead of every synapse's.
 *
 * Weights are a `Float64Array` per synapse (CSR order), as Brian2's float64:
 * the rule adds ~1 % of w_max per event over hundreds of thousands of events,
 * and in float32 the rounding of each addition (~6e-8 relative) would be a
 * drift the statistical comparison with Brian2 need not carry. A by-target
 * index (CSC: for each target neuron its synapses and their presynaptic
 * neurons) is built once so a postsynaptic spike walks only its own synapses.
 */
import type { Csr } from './connect.ts';
import { deliverOnly, type Delivery, type PlasticSynapses } from './plasticity/types.ts';
import type { Normaliser } from './plasticity/normalise.ts';

export type { Delivery } from './plasticity/types.ts';

/** The rule's params, as the `stdp` node kind declares them. */
export interface StdpParams {
  readonly tauPreMs: number;
  readonly tauPostMs: number;
  /** ΔA_pre: jump of the presynaptic trace (potentiation amplitude). */
  readonly aPre: number;
  /** ΔA_post: jump of the postsynaptic trace (negative for depression). */
  readonly aPost: number;
  readonly wMax: number;
  readonly mode: 'additive' | 'multiplicative';
  readonly pairing: 'all-to-all' | 'nearest';
}

/** The rule's params from a resolved `stdp` node params object. */
export function stdpParamsOf(params: Readonly<Record<string, unknown>>): StdpParams {
  return {
    tauPreMs: params.tau_pre_ms as number,
    tauPostMs: params.tau_post_ms as number,
    aPre: params.a_pre as number,
    aPost: params.a_post as number,
    wMax: params.w_max as number,
    mode: params.mode === 'multiplicative' ? 'multiplicative' : 'additive',
    pairing: params.pairing === 'nearest' ? 'nearest' : 'all-to-all',
  };
}

/** Bytes per synapse of a plastic projection beyond its index: weight (8) + CSC entry (8). */
export const STDP_BYTES_PER_SYNAPSE = 16;
/** Bytes per neuron (source or target): trace (8) + last step (4). */
export const STDP_BYTES_PER_NEURON = 12;

export class StdpSynapses implements PlasticSynapses {
  /** Current weight of each synapse, CSR order (the order of `csr.col`). */
  readonly w: Float64Array;
  readonly aPre: Float64Array;
  readonly preStep: Int32Array;
  readonly aPost: Float64Array;
  readonly postStep: Int32Array;
  /** CSC: synapses onto target j are `cscSyn[cscPtr[j] … cscPtr[j+1])`, their sources `cscPre[…]`. */
  readonly cscPtr: Uint32Array;
  readonly cscSyn: Uint32Array;
  readonly cscPre: Uint32Array;
  private readonly kPre: number;
  private readonly kPost: number;
  learning = true;
  /** Weight normalisation at an interval, when the node asks for it. */
  normaliser: Normaliser | null = null;

  /**
   * @param w initial weights, CSR order; clipped to [0, w_max] here and owned from now on.
   */
  constructor(
    readonly csr: Csr,
    w: Float64Array,
    readonly params: StdpParams,
    readonly dtMs: number,
  ) {
    const { rowPtr, col, nSource, nTarget } = csr;
    const nSyn = col.length;
    if (w.length !== nSyn) throw new Error(`STDP: ${w.length} weights for ${nSyn} synapses`);
    for (let k = 0; k < nSyn; k++) w[k] = w[k] < 0 ? 0 : w[k] > params.wMax ? params.wMax : w[k];
    this.w = w;
    this.aPre = new Float64Array(nSource);
    this.preStep = new Int32Array(nSource);
    this.aPost = new Float64Array(nTarget);
    this.postStep = new Int32Array(nTarget);
    this.kPre = dtMs / params.tauPreMs;
    this.kPost = dtMs / params.tauPostMs;
    const ptr = new Uint32Array(nTarget + 1);
    for (let k = 0; k < nSyn; k++) ptr[col[k] + 1]++;
    for (let j = 0; j < nTarget; j++) ptr[j + 1] += ptr[j];
    const fill = ptr.slice(0, nTarget);
    const syn = new Uint32Array(nSyn);
    const pre = new Uint32Array(nSyn);
    for (let i = 0; i < nSource; i++) {
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
        const q = fill[col[k]]++;
        syn[q] = k;
        pre[q] = i;
      }
    }
    this.cscPtr = ptr;
    this.cscSyn = syn;
    this.cscPre = pre;
  }

  /**
   * Presynaptic pathway of step `n` for the sources in `spikes[0 … count)`:
   * each synapse delivers its current weight, then the source's trace jumps and
   * the weight takes the (decayed) postsynaptic trace. Returns the synapses walked.
   */
  pre(n: number, spikes: Int32Array, count: number, out: Delivery): number {
    if (!this.learning) return deliverOnly(this.csr, this.w, n, spikes, count, out);
    const { rowPtr, col } = this.csr;
    const { buf, size, slots, d, sign } = out;
    const { aPre, preStep, aPost, postStep, w, kPre, kPost } = this;
    const { aPre: dPre, wMax } = this.params;
    const nearest = this.params.pairing === 'nearest';
    const mult = this.params.mode === 'multiplicative';
    const off0 = ((n + out.dConst) % slots) * size;
    let events = 0;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      aPre[i] = nearest ? dPre : aPre[i] * Math.exp(-(n - preStep[i]) * kPre) + dPre;
      preStep[i] = n;
      const start = rowPtr[i];
      const end = rowPtr[i + 1];
      events += end - start;
      for (let k = start; k < end; k++) {
        const j = col[k];
        const off = d === null ? off0 : ((n + d[k]) % slots) * size;
        // Brian2's on_pre order: deliver first, then learn.
        buf[off + j] += sign * w[k];
        const a = aPost[j];
        if (a === 0) continue;
        const dw = a * Math.exp(-(n - postStep[j]) * kPost);
        const x = w[k] + (mult ? (dw * w[k]) / wMax : dw);
        w[k] = x < 0 ? 0 : x > wMax ? wMax : x;
      }
    }
    return events;
  }

  /**
   * Postsynaptic pathway of step `n` for the targets in `spikes[0 … count)`
   * (run after every presynaptic pathway of the step): the target's trace jumps
   * and each of its synapses takes its source's (decayed) presynaptic trace.
   * Returns the synapses walked.
   */
  post(n: number, spikes: Int32Array, count: number): number {
    if (!this.learning) return 0;
    const { aPre, preStep, aPost, postStep, w, kPre, kPost, cscPtr, cscSyn, cscPre } = this;
    const { aPost: dPost, wMax } = this.params;
    const nearest = this.params.pairing === 'nearest';
    const mult = this.params.mode === 'multiplicative';
    let events = 0;
    for (let s = 0; s < count; s++) {
      const j = spikes[s];
      aPost[j] = nearest ? dPost : aPost[j] * Math.exp(-(n - postStep[j]) * kPost) + dPost;
      postStep[j] = n;
      const start = cscPtr[j];
      const end = cscPtr[j + 1];
      events += end - start;
      for (let q = start; q < end; q++) {
        const i = cscPre[q];
        const a = aPre[i];
        if (a === 0) continue;
        const k = cscSyn[q];
        const dw = a * Math.exp(-(n - preStep[i]) * kPre);
        const x = w[k] + (mult ? dw * (1 - w[k] / wMax) : dw);
        w[k] = x < 0 ? 0 : x > wMax ? wMax : x;
      }
    }
    return events;
  }

  get wMax(): number {
    return this.params.wMax;
  }

  get bytes(): number {
    return (
      this.w.byteLength + this.cscPtr.byteLength + this.cscSyn.byteLength + this.cscPre.byteLength + this.aPre.byteLength + this.preStep.byteLength + this.aPost.byteLength + this.postStep.byteLength
    );
  }

  get periodic(): boolean {
    return this.normaliser !== null;
  }

  tick(n: number): void {
    if (this.learning && this.normaliser) this.normaliser.tick(n, this.w);
  }
}

/** A compact summary of a plastic projection's weights (MODELS.md §4 "Reported"). */
export interface WeightSummary {
  readonly synapses: number;
  readonly w_max: number;
  /** Mean weight / w_max. */
  readonly w_mean_over_wmax: number;
  /** Fraction of weights below 0.1·w_max. */
  readonly frac_low: number;
  /** Fraction of weights above 0.9·w_max. */
  readonly frac_high: number;
  /** Counts in 20 bins of width w_max/20 over [0, w_max], the last bin closed. */
  readonly w_hist_20: readonly number[];
}

export function weightSummary(w: ArrayLike<number>, wMax: number): WeightSummary {
  const hist = new Array<number>(20).fill(0);
  let sum = 0;
  let low = 0;
  let high = 0;
  const n = w.length;
  for (let k = 0; k < n; k++) {
    const x = w[k];
    sum += x;
    if (x < 0.1 * wMax) low++;
    if (x > 0.9 * wMax) high++;
    const b = Math.floor((x / wMax) * 20);
    hist[b < 0 ? 0 : b > 19 ? 19 : b]++;
  }
  return {
    synapses: n,
    w_max: wMax,
    w_mean_over_wmax: n > 0 ? sum / n / wMax : 0,
    frac_low: n > 0 ? low / n : 0,
    frac_high: n > 0 ? high / n : 0,
    w_hist_20: hist,
  };
}
