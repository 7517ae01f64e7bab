/** Runs a document in the engine for the NIR tests (test/nir-*.test.ts). */
import { compileDocument } from '../../engine/compile/compile.ts';
import { loadDocument } from '../../engine/format/load.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { runtimeOf } from '../../engine/kinds/index.ts';
import { Network } from '../../engine/sim/network.ts';

/** Every spike of the run of `doc` (loaded first, so a draft's defaults are filled), as "population neuron step" lines. */
export function spikesOf(doc: GraphDocument): string[] {
  return traceOf(doc, false);
}

/**
 * `doc` with every spike generator fed seeded spikes (each channel spikes in a step with
 * probability `p`, over the first 50 ms) and a 60 ms run, so that an imported graph has
 * something to do: per-step NIR input needs many spikes to move a neuron.
 */
export function withInputSpikes(doc: GraphDocument, p = 0.8, seed = 7): GraphDocument {
  const copy = JSON.parse(JSON.stringify(doc)) as GraphDocument;
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  copy.simulation.duration_ms = 60;
  for (const node of copy.nodes) {
    if (node.kind !== 'spike-generator') continue;
    const neurons: number[] = [];
    const times: number[] = [];
    const dt = copy.simulation.dt_ms;
    for (let k = 1; k * dt <= 50; k++) {
      for (let c = 0; c < Number(node.params.size); c++) {
        if (next() < p) {
          neurons.push(c);
          times.push(Number((k * dt).toFixed(9)));
        }
      }
    }
    node.params.neurons = neurons;
    node.params.times_ms = times;
  }
  return copy;
}

/** The spikes of {@link spikesOf}, then V of every neuron of each population (spiking or readout) at every step ("pop v neuron step value"). */
export function traceOf(doc: GraphDocument, withV = true): string[] {
  const loaded = loadDocument(JSON.stringify(doc));
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  const compiled = compileDocument(loaded.doc);
  if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
  const net = new Network(compiled.plan, { runtimes: runtimeOf });
  const spikes: string[] = [];
  const values: string[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    compiled.plan.populations.forEach((p, i) => {
      const pop = net.pops[i];
      for (let k = 0; k < pop.count; k++) spikes.push(`${p.nodeId} ${pop.spikes[k]} ${net.step - 1}`);
      const v = withV ? pop.group?.stateVar('v') : undefined;
      if (v) v.forEach((x, j) => values.push(`${p.nodeId} v ${j} ${net.step - 1} ${x}`));
    });
  }
  return [...spikes, ...values];
}
