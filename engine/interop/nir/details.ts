/**
 * What NIR does not carry but a Spikeflow document holds — names, labels, positions, the run
 * settings, a generator's spikes, initial values — kept in the graph's `metadata/spikeflow`
 * (a JSON string: metadata, because the reference reader refuses extra datasets in a node),
 * so that Spikeflow → NIR → Spikeflow gives the same document. The NIR numbers stay the
 * truth: a stored value is used only where the NIR mapping has none, or where the two agree
 * up to float rounding (so 0.45 mV exported as 90 and read back as 0.45000000000000007 stays
 * 0.45); a file edited in another tool keeps its edits.
 */
import type { GraphDocument } from '../../format/document.ts';

export const DETAILS_KEY = 'spikeflow';

interface Stored {
  readonly version: 1;
  readonly meta: Record<string, unknown>;
  readonly simulation: Record<string, unknown>;
  readonly nodes: Record<string, { kind: string; label: string; position: { x: number; y: number }; params: Record<string, unknown> }>;
  readonly edges: Record<string, { source: string; target: string; params: Record<string, unknown>; extra?: Record<string, unknown> }>;
}

/** The details of the nodes and wires of `doc` that `exported` names, as the metadata string. */
export function storeDetails(doc: GraphDocument, exportedIds: ReadonlySet<string>): string {
  const stored: Stored = {
    version: 1,
    meta: { ...doc.meta },
    simulation: { ...doc.simulation },
    nodes: Object.fromEntries(doc.nodes.filter((n) => exportedIds.has(n.id)).map((n) => [n.id, { kind: n.kind, label: n.label, position: n.position, params: n.params }])),
    edges: Object.fromEntries(doc.edges.filter((e) => exportedIds.has(e.id)).map((e) => [e.id, { source: e.source.node, target: e.target.node, params: e.params, ...extraOf(e) }])),
  };
  return JSON.stringify(stored);
}

/** A wire's own fields beyond its ends, params and weights (such as `expanded_from`), when it has any. */
function extraOf(e: GraphDocument['edges'][number]): { extra?: Record<string, unknown> } {
  const extra = Object.fromEntries(Object.entries(e).filter(([k]) => !['id', 'source', 'target', 'params', 'weights'].includes(k)));
  return Object.keys(extra).length > 0 ? { extra } : {};
}

/** Equal up to float rounding (numbers and arrays of them element by element). */
const close = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
};
/** What the mapping writes where NIR has nothing (a generator's spikes): the stored value wins. */
const placeholder = (v: unknown): boolean => Array.isArray(v) && v.length === 0;

/**
 * Puts the stored details back into the imported `doc` (in place): each node of the same id
 * and kind gets its label, position and the params NIR did not set or set to the same value;
 * each wire of the same id and ends its params likewise; the document its name, description
 * and run settings (dt stays the one chosen). Returns what it did, for the notes, or why not.
 */
export function restoreDetails(doc: GraphDocument, text: unknown): { restored: number; placed: boolean; note?: string } {
  if (typeof text !== 'string') return { restored: 0, placed: false };
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
    if (stored.version !== 1 || typeof stored.nodes !== 'object' || typeof stored.edges !== 'object') throw new Error('not version 1');
  } catch (e) {
    return { restored: 0, placed: false, note: `The file's metadata/${DETAILS_KEY} is unreadable (${(e as Error).message}); labels and positions are new.` };
  }
  let restored = 0;
  const merge = (now: Record<string, unknown>, was: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(was)) if (!(k in now) || placeholder(now[k]) || close(now[k], v)) now[k] = v;
  };
  let placed = doc.nodes.length > 0;
  for (const node of doc.nodes) {
    const was = stored.nodes[node.id];
    if (!was || was.kind !== node.kind) {
      placed = false;
      continue;
    }
    node.label = was.label;
    node.position = was.position;
    merge(node.params, was.params);
    restored++;
  }
  const taken = new Set(doc.edges.map((e) => e.id));
  for (const edge of doc.edges) {
    let was = stored.edges[edge.id];
    if (!was) {
      // A wire the import named itself (a monitor's): its old id, when one wire joined the same ends.
      const same = Object.entries(stored.edges).filter(([id, e]) => !taken.has(id) && e.source === edge.source.node && e.target === edge.target.node);
      if (same.length !== 1) continue;
      edge.id = same[0][0];
      taken.add(edge.id);
      was = same[0][1];
    }
    if (was.source !== edge.source.node || was.target !== edge.target.node) continue;
    merge(edge.params, was.params);
    for (const [k, v] of Object.entries(was.extra ?? {})) if (!(k in edge)) edge[k] = v;
  }
  const dt = doc.simulation.dt_ms;
  Object.assign(doc.meta, stored.meta);
  Object.assign(doc.simulation, stored.simulation, { dt_ms: dt });
  // A file Spikeflow wrote gets its document's own step order back (the import's default is for other tools' files).
  if (!('same_step_delivery' in stored.simulation)) delete doc.simulation.same_step_delivery;
  return { restored, placed };
}
