/**
 * The layout of an imported graph: elkjs's layered algorithm, left to right (inputs on the
 * left, monitors on the right), as the app's Tidy does, with each node's size estimated from
 * its port count (the canvas has not measured it yet). Runs in Node, a worker and the
 * renderer alike; elkjs (≈1.5 MB) is loaded on first use.
 */
import type { GraphDocument } from '../../format/document.ts';

/** Layered, left → right, roomy enough for the wire labels between layers. */
const OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '48',
  'elk.layered.spacing.nodeNodeBetweenLayers': '120',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '80',
};

/** The canvas's node width and a height for a header, three summary rows and two ports. */
const WIDTH = 184;
const HEIGHT = 160;

/**
 * Positions every node of `doc` (in place) in layers from the inputs, starting at (80, 80).
 * Wires into a node come from the left; loops (recurrent wires) are drawn back.
 */
export async function layoutImported(doc: GraphDocument): Promise<void> {
  if (doc.nodes.length === 0) return;
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const out = await elk.layout({
    id: 'root',
    layoutOptions: OPTIONS,
    children: doc.nodes.map((n) => ({ id: n.id, width: WIDTH, height: HEIGHT })),
    edges: doc.edges.filter((e) => ids.has(e.source.node) && ids.has(e.target.node) && e.source.node !== e.target.node).map((e) => ({ id: e.id, sources: [e.source.node], targets: [e.target.node] })),
  });
  const at = new Map((out.children ?? []).map((c) => [c.id, { x: Math.round(80 + (c.x ?? 0)), y: Math.round(80 + (c.y ?? 0)) }]));
  for (const n of doc.nodes) n.position = at.get(n.id) ?? n.position;
}
