/**
 * The PyNN script's side `.npz`: the input spikes Spikeflow's engine draws for
 * the plan's seed and the stored synapses, as the arrays the script reads
 * (`<node>_neuron`, `<node>_t_ms`, `<edge>_pre/_post/_w`), and as base64 for a
 * script that carries them inline. Pure: used by the CLI (engine/hosts/pynn-script.ts)
 * and the app's File › Export (renderer/interop/formats.ts).
 */
import type { NetworkPlan } from '../../core/plan.ts';
import { npzChunks, type NpyStreamArray } from '../../format/npz-stream.ts';
import type { PyNNExport } from './export.ts';

/** The source spikes the engine draws for `plan` (node id → neuron and step of each spike). */
export type SourceSpikes = (plan: NetworkPlan, nodeIds: readonly string[]) => ReadonlyMap<string, { neuron: Int32Array; step: Int32Array }>;

/** The side `.npz`'s arrays for an export of `plan`; empty when the script needs none. Throws naming a source whose spikes are missing. */
export function pynnInputArrays(plan: NetworkPlan, result: Pick<PyNNExport, 'arrays' | 'inputs'>, sourceSpikes: SourceSpikes): NpyStreamArray[] {
  const arrays: NpyStreamArray[] = result.arrays.map((a) => ({ name: a.name, descr: a.data instanceof Int32Array ? '<i4' : '<f8', shape: [a.data.length], parts: () => [a.data] }));
  if (result.inputs.length) {
    const spikes = sourceSpikes(plan, result.inputs);
    for (const id of result.inputs) {
      const s = spikes.get(id);
      if (!s) throw new Error(`node ${id}: its spikes could not be generated`);
      const t = Float64Array.from(s.step, (x) => Number((x * plan.dtMs).toFixed(9)));
      arrays.push({ name: `${id}_neuron`, descr: '<i4', shape: [s.neuron.length], parts: () => [s.neuron] }, { name: `${id}_t_ms`, descr: '<f8', shape: [t.length], parts: () => [t] });
    }
  }
  return arrays;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of `bytes`. */
export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out.push(B64[(n >> 18) & 63], B64[(n >> 12) & 63], i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=', i + 2 < bytes.length ? B64[n & 63] : '=');
  }
  return out.join('');
}

/** The `.npz` of `arrays` in one buffer. */
export function npzBytes(arrays: readonly NpyStreamArray[]): Uint8Array {
  const chunks = [...npzChunks(arrays)];
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
