/**
 * Reward-modulated STDP (Izhikevich 2007; Frémaux & Gerstner 2016): pair STDP
 * writes into a per-synapse eligibility trace e instead of the weight, and a
 * neuromodulator turns eligibility into weight change.
 *
 *   e decays with τ_e; pre spike: e += A_post (the target's decayed trace),
 *   post spike: e += A_pre (the source's decayed trace), traces as in pair STDP;
 *   a modulator amount m arriving in step n: w ← clip(w + η·m·e, 0, w_max).
 *
 * The amount m is what the modulator delivers in the step: a reward impulse r
 * (one step), or R·dt for a continuous reward level R (per ms). Eligibility is
 * decayed lazily (each synapse keeps the step it was last brought up to date).
 */
import type { Csr } from '../connect.ts';
import { buildCsc, deliverOnly, type Csc, type Delivery, type PlasticSynapses } from './types.ts';
import type { Normaliser } from './normalise.ts';

export interface RewardStdpParams {
  readonly tauPreMs: number;
  readonly tauPostMs: number;
  readonly aPre: number;
  readonly aPost: number;
  readonly tauEMs: number;
  readonly eta: number;
  readonly wMax: number;
}

export function rewardStdpParamsOf(p: Readonly<Record<string, unknown>>): RewardStdpParams {
  return {
    tauPreMs: p.tau_pre_ms as number,
    tauPostMs: p.tau_post_ms as number,
    aPre: p.a_pre as number,
    aPost: p.a_post as number,
    tauEMs: p.tau_e_ms as number,
    eta: p.eta as number,
    wMax: p.w_max as number,
  };
}

/** Bytes per synapse beyond the index: weight (8), eligibility (8), its step (4), CSC entry (8). */
export const RSTDP_BYTES_PER_SYNAPSE = 28;
export const RSTDP_BYTES_PER_NEURON = 12;

export class RewardStdpSynapses implements PlasticSynapses {
  readonly w: Float64Array;
  /** Eligibility of each synapse, as of step `eStep[k]`. */
  readonly e: Float64Array;
  readonly eStep: Int32Array;
  readonly aPre: Float64Array;
  readonly preStep: Int32Array;
  readonly aPost: Float64Array;
  readonly postStep: Int32Array;
  readonly csc: Csc;
  learning = true;
  normaliser: Normaliser | null = null;
  private readonly kPre: number;
  private readonly kPost: number;
  private readonly kE: number;

  constructor(
    readonly csr: Csr,
    w: Float64Array,
    readonly params: RewardStdpParams,
    readonly dtMs: number,
  ) {
    const nSyn = csr.col.length;
    if (w.length !== nSyn) throw new Error(`reward STDP: ${w.length} weights for ${nSyn} synapses`);
    for (let k = 0; k < nSyn; k++) w[k] = w[k] < 0 ? 0 : w[k] > params.wMax ? params.wMax : w[k];
    this.w = w;
    this.e = new Float64Array(nSyn);
    this.eStep = new Int32Array(nSyn);
    this.aPre = new Float64Array(csr.nSource);
    this.preStep = new Int32Array(csr.nSource);
    this.aPost = new Float64Array(csr.nTarget);
    this.postStep = new Int32Array(csr.nTarget);
    this.kPre = dtMs / params.tauPreMs;
    this.kPost = dtMs / params.tauPostMs;
    this.kE = dtMs / params.tauEMs;
    this.csc = buildCsc(csr);
  }

  get wMax(): number {
    return this.params.wMax;
  }

  get bytes(): number {
    const c = this.csc;
    return (
      this.w.byteLength +
      this.e.byteLength +
      this.eStep.byteLength +
      c.ptr.byteLength +
      c.syn.byteLength +
      c.pre.byteLength +
      this.aPre.byteLength +
      this.preStep.byteLength +
      this.aPost.byteLength +
      this.postStep.byteLength
    );
  }

  /** Eligibility of synapse k at step n. */
  eligibility(k: number, n: number): number {
    return this.e[k] * Math.exp(-(n - this.eStep[k]) * this.kE);
  }

  pre(n: number, spikes: Int32Array, count: number, out: Delivery): number {
    if (!this.learning) return deliverOnly(this.csr, this.w, n, spikes, count, out);
    const { rowPtr, col } = this.csr;
    const { buf, size, slots, d, sign } = out;
    const { aPre, preStep, aPost, postStep, w, e, eStep, kPre, kPost, kE } = this;
    const off0 = ((n + out.dConst) % slots) * size;
    let events = 0;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      aPre[i] = aPre[i] * Math.exp(-(n - preStep[i]) * kPre) + this.params.aPre;
      preStep[i] = n;
      const start = rowPtr[i];
      const end = rowPtr[i + 1];
      events += end - start;
      for (let k = start; k < end; k++) {
        const j = col[k];
        const off = d === null ? off0 : ((n + d[k]) % slots) * size;
        buf[off + j] += sign * w[k];
        const a = aPost[j];
        if (a === 0) continue;
        e[k] = e[k] * Math.exp(-(n - eStep[k]) * kE) + a * Math.exp(-(n - postStep[j]) * kPost);
        eStep[k] = n;
      }
    }
    return events;
  }

  post(n: number, spikes: Int32Array, count: number): number {
    if (!this.learning) return 0;
    const { aPre, preStep, aPost, postStep, e, eStep, kPre, kPost, kE } = this;
    const { ptr, syn, pre } = this.csc;
    let events = 0;
    for (let s = 0; s < count; s++) {
      const j = spikes[s];
      aPost[j] = aPost[j] * Math.exp(-(n - postStep[j]) * kPost) + this.params.aPost;
      postStep[j] = n;
      const start = ptr[j];
      const end = ptr[j + 1];
      events += end - start;
      for (let q = start; q < end; q++) {
        const i = pre[q];
        const a = aPre[i];
        if (a === 0) continue;
        const k = syn[q];
        e[k] = e[k] * Math.exp(-(n - eStep[k]) * kE) + a * Math.exp(-(n - preStep[i]) * kPre);
        eStep[k] = n;
      }
    }
    return events;
  }

  modulate(n: number, m: number): void {
    if (!this.learning || m === 0) return;
    const { w, e, eStep, kE } = this;
    const { eta, wMax } = this.params;
    const g = eta * m;
    for (let k = 0; k < w.length; k++) {
      const ek = e[k];
      if (ek === 0) continue;
      const x = w[k] + g * ek * Math.exp(-(n - eStep[k]) * kE);
      w[k] = x < 0 ? 0 : x > wMax ? wMax : x;
    }
  }

  get periodic(): boolean {
    return this.normaliser !== null;
  }

  tick(n: number): void {
    if (this.learning && this.normaliser) this.normaliser.tick(n, this.w);
  }
}
