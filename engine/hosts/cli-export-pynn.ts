/**
 * `spikeflow export FILE --to pynn -o net.py`: the PyNN script, and next to it
 * `net.inputs.npz` with the input spikes Spikeflow's engine draws for the
 * document's seed (when the network has spike sources).
 */
import path from 'node:path';
import os from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { compileDocument } from '../compile/compile.ts';
import type { Exporter } from './cli-export.ts';
import { writePyNNScript } from './pynn-script.ts';
import { sourceSpikes } from './pynn-inputs.ts';

export const pynnExporter: Exporter = {
  label: 'PyNN script',
  async run({ doc, file, io, outFile }) {
    const compiled = compileDocument(doc);
    if (!compiled.ok) {
      for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
      return null;
    }
    const title = doc.meta.name || path.basename(file);
    // Without -o the script goes to stdout and its side file cannot be written: only a network without sources can.
    const target = outFile ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'spikeflow-pynn-')), 'net.py');
    const result = await writePyNNScript(compiled.plan, target, title, sourceSpikes);
    if (!outFile) {
      await rm(path.dirname(target), { recursive: true, force: true });
      if (result.files.length > 1) {
        io.err('spikeflow: this network has spike inputs, written to a side .npz next to the script: give -o net.py');
        return null;
      }
    } else if (result.files.length > 1) io.err(`spikeflow: wrote ${result.files[1]} (the input spikes the script reads)`);
    for (const line of result.approximations) io.err(`spikeflow: ${line}`);
    return { text: outFile ? await readFile(target, 'utf8') : result.script, notExported: result.notExported };
  },
};
