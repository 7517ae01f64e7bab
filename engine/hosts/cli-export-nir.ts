/**
 * `spikeflow export FILE --to nir -o model.nir [--static-weights]`: the document as a NIR
 * graph (engine/interop/nir). All or nothing: when a node or wire has no NIR form, each is
 * named on stderr with the reason, the exit code is 2 and no file is written. With
 * `--static-weights` the user agrees that plasticity nodes' stored weights become static
 * `Linear` nodes, drawn connectivity the synapses the engine draws under the document's
 * seed (engine/hosts/drawn-synapses.ts), and Poisson sources and encoders `Input` nodes.
 */
import type { Exporter } from './cli-common.ts';
import { withDrawnSynapses } from './drawn-synapses.ts';

export const nirExporter: Exporter = {
  label: 'NIR graph',
  flags: ['--static-weights'],
  async run({ doc, io, flags }) {
    // h5wasm (~4 MB) loads only for this format.
    const { exportNirDocument } = await import('../interop/nir/convert.ts');
    const staticWeights = flags.has('--static-weights');
    // With consent, drawn connectivity goes out as the synapses the engine draws under the seed.
    const drawn = staticWeights ? withDrawnSynapses(doc) : undefined;
    if (drawn?.error) io.err(`spikeflow: the drawn synapses could not be built: ${drawn.error}`);
    for (const r of drawn?.realised ?? []) io.err(`note: ${r.edgeId}: its ${r.synapses} drawn synapses are written as the engine draws them under seed ${doc.simulation.seed}`);
    const out = await exportNirDocument(drawn?.doc ?? doc, { staticWeights });
    for (const line of out.notes) io.err(`note: ${line}`);
    if (!out.bytes) {
      for (const line of out.notExported) io.err(`spikeflow: ${line}`);
      io.err(
        `spikeflow: ${out.notExported.length} item(s) have no NIR form: nothing written${staticWeights ? '' : ' (--static-weights exports plasticity as its stored weights, drawn connectivity as the synapses drawn under the seed, and Poisson sources and encoders as Input nodes)'}`,
      );
      return null;
    }
    return { text: out.bytes, notExported: [] };
  },
};
