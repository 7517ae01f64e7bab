/**
 * The common shape of plastic synapses: every rule (pair STDP, triplet STDP,
 * reward-modulated STDP) keeps its weights as a `Float64Array` in CSR order
 * beside the projection's CSR, and is driven by the network through the same
 * calls, so `network.ts` treats rules alike.
 *
 * Per step n the network calls, in MODELS.md §4's order:
 *   `pre(n, …)` for the projection's source spikes (deliver, then learn),
 *   `post(n, …)` for the target's spikes (after every projection's `pre`),
 *   `modulate(n, m)` when the rule has a modulator and the signal is non-zero,
 *   `tick(n)` at the end of the step (e.g. weight normalisation at its interval).
 * While `learning` is false, `pre` only delivers and nothing else changes the weights.
 */
import type { Csr } from '../connect.ts';

/** Where a presynaptic spike's weight lands: the target's ring (see network.ts). */
export interface Delivery {
  readonly buf: Float64Array;
  /** Target population size (row length of one ring slot). */
  readonly size: number;
  readonly slots: number;
  readonly dConst: number;
  readonly d: Uint16Array | null;
  /** Receptor sign (−1 for current-based inhibition). */
  readonly sign: number;
}

export interface PlasticSynapses {
  readonly csr: Csr;
  /** Current weight of each synapse, CSR order (the order of `csr.col`). */
  readonly w: Float64Array;
  /** Upper weight bound (the lower is 0). */
  readonly wMax: number;
  /** Whether the rule may change weights now (false in a frozen phase). */
  learning: boolean;
  /** Presynaptic pathway: deliver the weights of `spikes[0 … count)`, then learn. Returns synapses walked. */
  pre(n: number, spikes: Int32Array, count: number, out: Delivery): number;
  /** Postsynaptic pathway for the target's spikes. Returns synapses walked. */
  post(n: number, spikes: Int32Array, count: number): number;
  /** A neuromodulator amount `m` arriving in step n (reward-modulated rules only). */
  modulate?(n: number, m: number): void;
  /** End of step n: periodic work (weight normalisation). */
  tick?(n: number): void;
  /** Whether `tick` has work to do (so a network without any skips the call). */
  readonly periodic?: boolean;
  /** Bytes held beyond the CSR index. */
  readonly bytes: number;
  /** Weight normalisation (./normalise.ts), set by the engine when the node asks for it; the rule ticks it while learning. */
  normaliser?: { tick(n: number, w: Float64Array): void } | null;
}

/** Delivery only, for a frozen phase: every synapse of a spiking source adds its weight. */
export function deliverOnly(csr: Csr, w: Float64Array, n: number, spikes: Int32Array, count: number, out: Delivery): number {
  const { rowPtr, col } = csr;
  const { buf, size, slots, d, sign } = out;
  const off0 = ((n + out.dConst) % slots) * size;
  let events = 0;
  for (let s = 0; s < count; s++) {
    const i = spikes[s];
    const start = rowPtr[i];
    const end = rowPtr[i + 1];
    events += end - start;
    if (d === null) for (let k = start; k < end; k++) buf[off0 + col[k]] += sign * w[k];
    else for (let k = start; k < end; k++) buf[((n + d[k]) % slots) * size + col[k]] += sign * w[k];
  }
  return events;
}

/** CSC index of a CSR: for each target, its synapses (CSR indices) and their sources. */
export interface Csc {
  readonly ptr: Uint32Array;
  readonly syn: Uint32Array;
  readonly pre: Uint32Array;
}

export function buildCsc(csr: Csr): Csc {
  const { rowPtr, col, nSource, nTarget } = csr;
  const nSyn = col.length;
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
  return { ptr, syn, pre };
}
