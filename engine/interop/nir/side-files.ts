/**
 * Big weight arrays of an imported document moved out into side files, as the CLI writes
 * them beside the document (`spikeflow import … -o DIR/model.spikeflow.json`): a dense matrix
 * becomes a `.npy` (float64, one row per target neuron), a synapse list a `.npz` with `pre`,
 * `post` (int32), `w` and `delay_ms` (float64), and the wire's `weights` becomes
 * `{"file": "…"}`, which the loader and every host read back (engine/format/weights.ts).
 * Small arrays stay inline. Pure: names and bytes out; writing them is the host's job.
 */
import { encodeNpy, encodeNpz } from '../../format/npz.ts';
import type { NpyArray } from '../../format/npz.ts';
import type { GraphDocument } from '../../format/document.ts';

/** Arrays of more numbers than this go to a side file (a 64 × 64 matrix stays inline). */
export const SIDE_FILE_LIMIT = 4096;

export interface SideFile {
  /** The file name, relative to the document (beside it). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * Moves each wire's `weights` holding more than `limit` numbers into a side file named
 * `<base>.<wire id>.npy|npz` (characters other than letters, digits, `.`, `_` and `-` become
 * `_`). Changes `doc` in place; returns the files to write.
 */
export function moveWeightsToSideFiles(doc: GraphDocument, base: string, limit = SIDE_FILE_LIMIT): SideFile[] {
  const files: SideFile[] = [];
  const taken = new Set<string>();
  for (const edge of doc.edges) {
    const w = edge.weights as { dense?: number[][]; pre?: number[]; post?: number[]; w?: number[]; delay_ms?: number[] } | undefined;
    if (!w) continue;
    const count = w.dense ? w.dense.length * (w.dense[0]?.length ?? 0) : (w.w?.length ?? 0) * (w.delay_ms ? 4 : 3);
    if (count <= limit) continue;
    const stem = `${base}.${edge.id.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    let name = `${stem}.${w.dense ? 'npy' : 'npz'}`;
    for (let k = 2; taken.has(name); k++) name = `${stem}-${k}.${w.dense ? 'npy' : 'npz'}`;
    taken.add(name);
    if (w.dense) {
      const rows = w.dense.length;
      const cols = w.dense[0]?.length ?? 0;
      files.push({ name, bytes: encodeNpy(Float64Array.from(w.dense.flat()), [rows, cols]) });
    } else {
      const arrays: NpyArray[] = [
        { name: 'pre', data: Int32Array.from(w.pre ?? []) },
        { name: 'post', data: Int32Array.from(w.post ?? []) },
        { name: 'w', data: Float64Array.from(w.w ?? []) },
      ];
      if (w.delay_ms) arrays.push({ name: 'delay_ms', data: Float64Array.from(w.delay_ms) });
      files.push({ name, bytes: encodeNpz(arrays) });
    }
    edge.weights = { file: name };
  }
  return files;
}
