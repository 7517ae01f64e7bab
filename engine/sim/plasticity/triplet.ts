/**
 * Triplet STDP (Pfister & Gerstner 2006), event-driven, additive with hard
 * bounds [0, w_max].
 *
 * Traces (dimensionless): r1 (τ+), r2 (τx) per presynaptic neuron; o1 (τ−),
 * o2 (τy) per postsynaptic neuron. At a presynaptic spike
 *   w ← w − o1·(A2− + A3−·r2(t−ε)),  then r1, r2 jump,
 * and at a postsynaptic spike
 *   w ← w + r1·(A2+ + A3+·o2(t−ε)),  then o1, o2 jump.
 * All-to-all interaction: a jump adds 1; nearest-spike (the paper's "minimal"
 * interaction with saturating traces): a jump sets the trace to 1.
 *
 * As in `sim/stdp.ts`, traces are per neuron, not per synapse: each trace jumps
 * only at its own neuron's spikes and decays exponentially, so every synapse of
 * a neuron would hold the same value. In a step with both spikes, the
 * presynaptic update runs first (the pair counts as pre-before-post).
 */
import type { Csr } from '../connect.ts';
import { buildCsc, deliverOnly, type Csc, type Delivery, type PlasticSynapses } from './types.ts';
import type { Normaliser } from './normalise.ts';

export interface TripletParams {
  readonly a2Plus: number;
  readonly a3Plus: number;
  readonly a2Minus: number;
  readonly a3Minus: number;
  readonly tauPlusMs: number;
  readonly tauMinusMs: number;
  readonly tauXMs: number;
  readonly tauYMs: number;
  readonly wMax: number;
  readonly interaction: 'all-to-all' | 'nearest';
}

/** The rule's params from a resolved `triplet-stdp` node params object. */
export function tripletParamsOf(p: Readonly<Record<string, unknown>>): TripletParams {
  return {
    a2Plus: p.a2_plus as number,
    a3Plus: p.a3_plus as number,
    a2Minus: p.a2_minus as number,
    a3Minus: p.a3_minus as number,
    tauPlusMs: p.tau_plus_ms as number,
    tauMinusMs: p.tau_minus_ms as number,
    tauXMs: p.tau_x_ms as number,
    tauYMs: p.tau_y_ms as number,
    wMax: p.w_max as number,
    interaction: p.interaction === 'nearest' ? 'nearest' : 'all-to-all',
  };
}

/** Bytes per synapse beyond the index: weight (8) + CSC entry (8). */
export const TRIPLET_BYTES_PER_SYNAPSE = 16;
/** Bytes per neuron: two traces (16) + last step (4). */
export const TRIPLET_BYTES_PER_NEURON = 20;

export class TripletSynapses implements PlasticSynapses {
  readonly w: Float64Array;
  readonly r1: Float64Array;
  readonly r2: Float64Array;
  readonly preStep: Int32Array;
  readonly o1: Float64Array;
  readonly o2: Float64Array;
  readonly postStep: Int32Array;
  readonly csc: Csc;
  learning = true;
  normaliser: Normaliser | null = null;
  private readonly kPlus: number;
  private readonly kMinus: number;
  private readonly kX: number;
  private readonly kY: number;

  /** @param w initial weights, CSR order; clipped to [0, w_max] and owned from now on. */
  constructor(
    readonly csr: Csr,
    w: Float64Array,
    readonly params: TripletParams,
    readonly dtMs: number,
  ) {
    const nSyn = csr.col.length;
    if (w.length !== nSyn) throw new Error(`triplet STDP: ${w.length} weights for ${nSyn} synapses`);
    for (let k = 0; k < nSyn; k++) w[k] = w[k] < 0 ? 0 : w[k] > params.wMax ? params.wMax : w[k];
    this.w = w;
    this.r1 = new Float64Array(csr.nSource);
    this.r2 = new Float64Array(csr.nSource);
    this.preStep = new Int32Array(csr.nSource);
    this.o1 = new Float64Array(csr.nTarget);
    this.o2 = new Float64Array(csr.nTarget);
    this.postStep = new Int32Array(csr.nTarget);
    this.kPlus = dtMs / params.tauPlusMs;
    this.kMinus = dtMs / params.tauMinusMs;
    this.kX = dtMs / params.tauXMs;
    this.kY = dtMs / params.tauYMs;
    this.csc = buildCsc(csr);
  }

  get wMax(): number {
    return this.params.wMax;
  }

  get bytes(): number {
    const c = this.csc;
    return this.w.byteLength + c.ptr.byteLength + c.syn.byteLength + c.pre.byteLength + (this.r1.byteLength + this.preStep.byteLength) * 2 + (this.o1.byteLength + this.postStep.byteLength) * 2;
  }

  pre(n: number, spikes: Int32Array, count: number, out: Delivery): number {
    if (!this.learning) return deliverOnly(this.csr, this.w, n, spikes, count, out);
    const { rowPtr, col } = this.csr;
    const { buf, size, slots, d, sign } = out;
    const { r1, r2, preStep, o1, postStep, w, kPlus, kMinus, kX } = this;
    const { a2Minus, a3Minus, wMax } = this.params;
    const nearest = this.params.interaction === 'nearest';
    const off0 = ((n + out.dConst) % slots) * size;
    let events = 0;
    for (let s = 0; s < count; s++) {
      const i = spikes[s];
      const age = n - preStep[i];
      const r2Before = r2[i] * Math.exp(-age * kX);
      const start = rowPtr[i];
      const end = rowPtr[i + 1];
      events += end - start;
      const depScale = a2Minus + a3Minus * r2Before;
      for (let k = start; k < end; k++) {
        const j = col[k];
        const off = d === null ? off0 : ((n + d[k]) % slots) * size;
        buf[off + j] += sign * w[k];
        const a = o1[j];
        if (a === 0) continue;
        const x = w[k] - a * Math.exp(-(n - postStep[j]) * kMinus) * depScale;
        w[k] = x < 0 ? 0 : x > wMax ? wMax : x;
      }
      r1[i] = nearest ? 1 : r1[i] * Math.exp(-age * kPlus) + 1;
      r2[i] = nearest ? 1 : r2Before + 1;
      preStep[i] = n;
    }
    return events;
  }

  post(n: number, spikes: Int32Array, count: number): number {
    if (!this.learning) return 0;
    const { r1, preStep, o1, o2, postStep, w, kPlus, kMinus, kY } = this;
    const { ptr, syn, pre } = this.csc;
    const { a2Plus, a3Plus, wMax } = this.params;
    const nearest = this.params.interaction === 'nearest';
    let events = 0;
    for (let s = 0; s < count; s++) {
      const j = spikes[s];
      const age = n - postStep[j];
      const o2Before = o2[j] * Math.exp(-age * kY);
      const potScale = a2Plus + a3Plus * o2Before;
      const start = ptr[j];
      const end = ptr[j + 1];
      events += end - start;
      for (let q = start; q < end; q++) {
        const i = pre[q];
        const a = r1[i];
        if (a === 0) continue;
        const k = syn[q];
        const x = w[k] + a * Math.exp(-(n - preStep[i]) * kPlus) * potScale;
        w[k] = x < 0 ? 0 : x > wMax ? wMax : x;
      }
      o1[j] = nearest ? 1 : o1[j] * Math.exp(-age * kMinus) + 1;
      o2[j] = nearest ? 1 : o2Before + 1;
      postStep[j] = n;
    }
    return events;
  }

  get periodic(): boolean {
    return this.normaliser !== null;
  }

  tick(n: number): void {
    if (this.learning && this.normaliser) this.normaliser.tick(n, this.w);
  }
}
