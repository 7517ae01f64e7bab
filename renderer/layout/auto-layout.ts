/**
 * Auto-layout with elkjs: layered, left to right (inputs on the left, monitors on the
 * right), ports fixed on the sides they are drawn on, so wires run forward and do not
 * cross nodes. Lays out the whole graph or only some nodes (the wires among them); the
 * result keeps the laid-out nodes' top left corner where it was, so the view does not
 * jump. elkjs (≈1.5 MB) is loaded on first use.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { getKind } from '../../engine/kinds/index.ts';
import type { SizeOf, XY } from './placement.ts';

/** elk options: layered, left → right, roomy enough for the wire labels between layers. */
export const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '48',
  'elk.layered.spacing.nodeNodeBetweenLayers': '120',
  'elk.layered.spacing.edgeNodeBetweenLayers': '32',
  'elk.edgeRouting': 'SPLINES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '80',
};

/** New positions for `ids` (all nodes when null); answers {} when fewer than two nodes take part. */
export async function layoutPositions(doc: GraphDocument, ids: readonly string[] | null, sizeOf: SizeOf): Promise<Record<string, XY>> {
  const chosen = new Set(ids ?? doc.nodes.map((n) => n.id));
  const nodes = doc.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length < 2) return {};
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const portId = (node: string, side: 'in' | 'out', port: string) => `${node}\u0000${side}\u0000${port}`;
  const edges = doc.edges.filter((e) => chosen.has(e.source.node) && chosen.has(e.target.node) && e.source.node !== e.target.node);
  // Ports from the wires themselves, so nodes that are not registered kinds (groups, whose
  // ports are their own) lay out too; a kind's declared order comes first.
  const portsOf = new Map<string, { id: string; side: 'WEST' | 'EAST'; rank: number }[]>();
  const addPort = (node: string, side: 'in' | 'out', port: string) => {
    const list = portsOf.get(node) ?? [];
    const id = portId(node, side, port);
    if (list.some((p) => p.id === id)) return;
    const kind = getKind(doc.nodes.find((n) => n.id === node)?.kind ?? '');
    const declared = (side === 'in' ? kind?.inputs : kind?.outputs)?.findIndex((p) => p.id === port) ?? -1;
    list.push({ id, side: side === 'in' ? 'WEST' : 'EAST', rank: declared >= 0 ? declared : 1000 + list.length });
    portsOf.set(node, list);
  };
  for (const e of edges) {
    addPort(e.source.node, 'out', e.source.port);
    addPort(e.target.node, 'in', e.target.port);
  }
  const graph = {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((n) => {
      const size = sizeOf(n);
      const ports = [...(portsOf.get(n.id) ?? [])].sort((a, b) => a.rank - b.rank);
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: ports.map((p, i) => ({ id: p.id, layoutOptions: { 'elk.port.side': p.side, 'elk.port.index': String(i) } })),
      };
    }),
    edges: edges.map((e) => ({ id: e.id, sources: [portId(e.source.node, 'out', e.source.port)], targets: [portId(e.target.node, 'in', e.target.port)] })),
  };
  const out = await elk.layout(graph);
  const minX = Math.min(...nodes.map((n) => n.position.x));
  const minY = Math.min(...nodes.map((n) => n.position.y));
  const laid = out.children ?? [];
  const lx = Math.min(...laid.map((c) => c.x ?? 0));
  const ly = Math.min(...laid.map((c) => c.y ?? 0));
  const positions: Record<string, XY> = {};
  for (const c of laid) positions[c.id] = { x: Math.round(minX + (c.x ?? 0) - lx), y: Math.round(minY + (c.y ?? 0) - ly) };
  return positions;
}
