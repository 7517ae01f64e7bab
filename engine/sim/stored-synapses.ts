/**
 * Stored synapses (a document's `weights` field, via `ProjectionPlan.synapses`)
 * built into a projection's CSR: rows by presynaptic neuron, synapses of a row
 * in their stored order, so the weights written back after a run (which come
 * out in CSR order) rebuild the very same arrays.
 */
import type { StoredSynapses } from '../core/plan.ts';
import type { Csr } from './connect.ts';

/**
 * The CSR of stored synapses and their weights (and stored delays in ms, when
 * given) in CSR order. Throws on an index out of range.
 */
export function csrFromStored(s: StoredSynapses, nSource: number, nTarget: number): { csr: Csr; w: Float64Array; delayMs: Float64Array | null } {
  const n = s.pre.length;
  if (s.post.length !== n || s.w.length !== n) throw new Error(`stored weights have ${s.pre.length} pre, ${s.post.length} post and ${s.w.length} w entries`);
  if (s.delayMs && s.delayMs.length !== n) throw new Error(`stored weights have ${n} synapses but ${s.delayMs.length} delays`);
  const rowPtr = new Uint32Array(nSource + 1);
  for (let k = 0; k < n; k++) {
    const i = s.pre[k];
    const j = s.post[k];
    if (!(i >= 0 && i < nSource)) throw new Error(`stored synapse ${k} starts at neuron ${i}, but the source has ${nSource}`);
    if (!(j >= 0 && j < nTarget)) throw new Error(`stored synapse ${k} ends at neuron ${j}, but the target has ${nTarget}`);
    rowPtr[i + 1]++;
  }
  for (let i = 0; i < nSource; i++) rowPtr[i + 1] += rowPtr[i];
  const next = rowPtr.slice(0, nSource);
  const col = new Uint32Array(n);
  const w = new Float64Array(n);
  const delays = s.delayMs;
  const delayMs = delays ? new Float64Array(n) : null;
  for (let k = 0; k < n; k++) {
    const at = next[s.pre[k]]++;
    col[at] = s.post[k];
    w[at] = s.w[k];
    if (delayMs) delayMs[at] = delays![k];
  }
  return { csr: { nSource, nTarget, rowPtr, col }, w, delayMs };
}
