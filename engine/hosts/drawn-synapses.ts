/**
 * Drawn connectivity written out as the synapses the engine draws, for exporters that need
 * every synapse (NIR: a `Linear` holds a weight matrix, not a connection rule). A wire whose
 * synapses the engine draws under the document's seed — a random rule (`bernoulli`,
 * fixed in- or out-degree, …), or drawn weights or delays — gets the synapses of a build of
 * the document ({@link realize}: the same build a run makes, so the same synapses a
 * Spikeflow run uses) as an explicit list in its `weights` field: `pre`, `post`, `w` (≥ 0 in
 * the wire's unit, the receptor giving the sign, as stored learned weights are) and, when
 * the wire's delay is not one number, `delay_ms` per synapse. Plastic projections and
 * wires that already hold weights are left as they are. The host does this (it may build a
 * network); `engine/interop/nir` only maps documents.
 */
import { compileDocument } from '../compile/compile.ts';
import type { GraphDocument } from '../format/document.ts';
import { storeWeights, type ProjectionWeights } from '../format/weights.ts';
import { realize } from './realize.ts';

export interface DrawnSynapses {
  /** `doc` with the drawn wires' synapses stored (a copy; `doc` itself is not changed). */
  readonly doc: GraphDocument;
  /** Per wire written: its id and synapse count, for the notes an exporter prints. */
  readonly realised: readonly { readonly edgeId: string; readonly synapses: number }[];
  /** Why the document could not be built (its wires are then left drawn, and the exporter names them). */
  readonly error?: string;
}

const ONE_RULE = new Set(['all-to-all', 'one-to-one']);

/** `doc` with every drawn wire's synapses stored as the engine draws them under the document's seed. */
export function withDrawnSynapses(doc: GraphDocument): DrawnSynapses {
  // One step is enough: the synapses are drawn at build, before any step (realize.ts).
  const compiled = compileDocument(doc, { durationMs: doc.simulation.dt_ms });
  if (!compiled.ok) return { doc, realised: [], error: compiled.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ') };
  const plan = compiled.plan;
  const drawn = plan.projections
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => !p.plasticity && !p.synapses && (!ONE_RULE.has(p.rule) || typeof p.weight !== 'number' || typeof p.delayMs !== 'number'));
  if (drawn.length === 0) return { doc, realised: [] };
  let net;
  try {
    net = realize(plan, { steps: 0 });
  } catch (e) {
    return { doc, realised: [], error: e instanceof Error ? e.message : String(e) };
  }
  const copy = structuredClone(doc);
  const weights: ProjectionWeights[] = drawn.map(({ p, index }) => {
    const r = net.projections[index];
    return { edgeId: p.edgeId, pre: r.pre, post: r.post, w: r.weight, ...(typeof p.delayMs !== 'number' ? { delayMs: r.delayMs } : {}) };
  });
  // The wires' owners are found wherever they sit (groups included), as for learned weights.
  const { stored } = storeWeights(copy, weights, 'inline');
  const realised = weights.filter((x) => stored.includes(x.edgeId)).map((x) => ({ edgeId: x.edgeId, synapses: x.pre.length }));
  return { doc: copy, realised };
}
