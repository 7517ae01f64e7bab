/**
 * `spikeflow export FILE --to pynn -o net.py`: the PyNN script, and next to it
 * `net.inputs.npz` with the input spikes Spikeflow's engine draws for the
 * document's seed (and stored synapses), when the network has any.
 */
import path from 'node:path';
import { compileDocument } from '../compile/compile.ts';
import type { Exporter } from './cli-common.ts';
import { pynnFiles } from './pynn-script.ts';
import { sourceSpikes } from './pynn-inputs.ts';

export const pynnExporter: Exporter = {
  label: 'PyNN script',
  async run({ doc, file, io }) {
    const compiled = compileDocument(doc);
    if (!compiled.ok) {
      for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
      return null;
    }
    // The script names its side file after itself; without -o it is `net.py`'s.
    const { script, notExported, approximations, npz } = pynnFiles(compiled.plan, 'net.py', doc.meta.name || path.basename(file), sourceSpikes);
    for (const line of approximations) io.err(`spikeflow: ${line}`);
    return { text: script, notExported, ...(npz ? { sideFiles: [{ ext: '.inputs.npz', content: npz }] } : {}) };
  },
};
