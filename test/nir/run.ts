/** Runs a document in the engine for the NIR tests (test/nir-*.test.ts). */
import { compileDocument } from '../../engine/compile/compile.ts';
import { loadDocument } from '../../engine/format/load.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { runtimeOf } from '../../engine/kinds/index.ts';
import { Network } from '../../engine/sim/network.ts';

/** Every spike of the run of `doc` (loaded first, so a draft's defaults are filled), as "population neuron step" lines. */
export function spikesOf(doc: GraphDocument): string[] {
  const loaded = loadDocument(JSON.stringify(doc));
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  const compiled = compileDocument(loaded.doc);
  if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
  const net = new Network(compiled.plan, { runtimes: runtimeOf });
  const out: string[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    compiled.plan.populations.forEach((p, i) => {
      const pop = net.pops[i];
      for (let k = 0; k < pop.count; k++) out.push(`${p.nodeId} ${pop.spikes[k]} ${net.step - 1}`);
    });
  }
  return out;
}
