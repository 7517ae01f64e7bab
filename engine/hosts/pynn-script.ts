/**
 * Writes a document as a PyNN script and its side `.npz` of pre-generated
 * inputs (Node host code): the pure export (engine/interop/pynn/) plus the
 * spikes Spikeflow's engine draws for the plan's seed. Used by
 * `spikeflow export --to pynn` and `spikeflow run --backend`.
 */
import path from 'node:path';
import type { NetworkPlan } from '../core/plan.ts';
import { exportPyNN, type PyNNExport } from '../interop/pynn/index.ts';
import { npzChunks } from '../format/npz-stream.ts';
import { pynnInputArrays, type SourceSpikes } from '../interop/pynn/inputs.ts';
import { writeFileAtomic } from './atomic-write.ts';

/** The side file's name for a script file: `net.py` → `net.inputs.npz`. */
export const inputsFileFor = (scriptFile: string): string => `${path.basename(scriptFile).replace(/\.py$/i, '')}.inputs.npz`;

export type { SourceSpikes };

/**
 * Export `plan` for a script named `scriptFile`: the export and, when the
 * script needs one, the content of its side `.npz` (input spikes, stored synapses).
 */
export function pynnFiles(plan: NetworkPlan, scriptFile: string, title: string, sourceSpikes: SourceSpikes): PyNNExport & { npz: Iterable<Uint8Array> | null } {
  const result = exportPyNN(plan, { title, inputsFile: inputsFileFor(scriptFile) });
  const arrays = pynnInputArrays(plan, result, sourceSpikes);
  return { ...result, npz: arrays.length ? npzChunks(arrays) : null };
}

/**
 * Export `plan` and write the script to `scriptFile` and, when it needs one,
 * the side `.npz` next to it (first, so the script never exists without it).
 */
export async function writePyNNScript(plan: NetworkPlan, scriptFile: string, title: string, sourceSpikes: SourceSpikes): Promise<PyNNExport & { files: string[] }> {
  const { npz, ...result } = pynnFiles(plan, scriptFile, title, sourceSpikes);
  const files: string[] = [];
  if (npz) {
    const at = path.join(path.dirname(scriptFile), inputsFileFor(scriptFile));
    await writeFileAtomic(at, npz);
    files.push(at);
  }
  await writeFileAtomic(scriptFile, result.script);
  return { ...result, files: [scriptFile, ...files] };
}
