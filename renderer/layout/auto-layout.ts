/**
 * Auto-layout with elkjs: layered, left to right (inputs on the left, monitors on the
 * right), ports fixed on the sides they are drawn on, so wires run forward and do not
 * cross nodes. Lays out the whole graph or only some nodes (the wires among them); the
 * result keeps the laid-out nodes' top left corner where it was, so the view does not
 * jump. Ports sit where the canvas draws the handles (when it has drawn them), and
 * elk's orthogonal wire routes are kept (`keptRoutes`, canvas/wire-route.ts) and drawn
 * until an end of the wire moves. elkjs (≈1.5 MB) is loaded on first use.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { getKind } from '../../engine/kinds/index.ts';
import type { ElkExtendedEdge } from 'elkjs/lib/elk-api';
import type { SizeOf, XY } from './placement.ts';
import type { Editor } from '../store/editor.ts';
import { canvasPorts } from '../canvas/obstacles.ts';
import { keptRoutes } from '../canvas/wire-route.ts';
import { wireLabelSize, wireLabels } from '../canvas/flow-mapping.ts';
import type { Pt } from '../canvas/wire-route.ts';

/** elk options: layered, left → right, orthogonal wires; wire labels get a layer of their own between node layers. */
export const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '48',
  'elk.layered.spacing.nodeNodeBetweenLayers': '64',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '32',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '80',
};

/** Where a port sits inside its node (null: unknown, elk then spreads the ports along the side). */
export type PortAt = (node: string, side: 'source' | 'target', port: string) => Pt | null;

export interface Layout {
  readonly positions: Record<string, XY>;
  /** Each laid-out wire's route from output to input, in the same coordinates as `positions`. */
  readonly routes: Record<string, Pt[]>;
}

/** New positions for `ids` (all nodes when null); answers {} when fewer than two nodes take part. */
export async function layoutPositions(doc: GraphDocument, ids: readonly string[] | null, sizeOf: SizeOf): Promise<Record<string, XY>> {
  return (await layoutGraph(doc, ids, sizeOf)).positions;
}

/** Positions for `ids` (all nodes when null) and routes for the wires among them. */
export async function layoutGraph(doc: GraphDocument, ids: readonly string[] | null, sizeOf: SizeOf, portAt: PortAt = () => null): Promise<Layout> {
  const chosen = new Set(ids ?? doc.nodes.map((n) => n.id));
  const nodes = doc.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length < 2) return { positions: {}, routes: {} };
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const portId = (node: string, side: 'in' | 'out', port: string) => `${node}\u0000${side}\u0000${port}`;
  const edges = doc.edges.filter((e) => chosen.has(e.source.node) && chosen.has(e.target.node) && e.source.node !== e.target.node);
  // Ports from the wires themselves, so nodes that are not registered kinds (groups, whose
  // ports are their own) lay out too; a kind's declared order comes first.
  const portsOf = new Map<string, { id: string; side: 'WEST' | 'EAST'; rank: number; at: Pt | null }[]>();
  const addPort = (node: string, side: 'in' | 'out', port: string) => {
    const list = portsOf.get(node) ?? [];
    const id = portId(node, side, port);
    if (list.some((p) => p.id === id)) return;
    const kind = getKind(doc.nodes.find((n) => n.id === node)?.kind ?? '');
    const declared = (side === 'in' ? kind?.inputs : kind?.outputs)?.findIndex((p) => p.id === port) ?? -1;
    const at = portAt(node, side === 'in' ? 'target' : 'source', port);
    list.push({ id, side: side === 'in' ? 'WEST' : 'EAST', rank: declared >= 0 ? declared : 1000 + list.length, at });
    portsOf.set(node, list);
  };
  for (const e of edges) {
    addPort(e.source.node, 'out', e.source.port);
    addPort(e.target.node, 'in', e.target.port);
  }
  const labels = wireLabels(doc);
  const graph = {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((n) => {
      const size = sizeOf(n);
      const ports = [...(portsOf.get(n.id) ?? [])].sort((a, b) => a.rank - b.rank);
      // Where the canvas knows every port's place, elk keeps them there, so its routes meet the handles.
      const fixed = ports.length > 0 && ports.every((p) => p.at);
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': fixed ? 'FIXED_POS' : 'FIXED_ORDER' },
        ports: ports.map((p, i) => ({
          id: p.id,
          ...(fixed ? { x: p.side === 'EAST' ? size.width : 0, y: p.at!.y, width: 0, height: 0 } : {}),
          layoutOptions: { 'elk.port.side': p.side, 'elk.port.index': String(i) },
        })),
      };
    }),
    // Labels (as the canvas draws them) get room between the layers.
    edges: edges.map((e) => {
      const text = labels.get(e.id);
      return {
        id: e.id,
        sources: [portId(e.source.node, 'out', e.source.port)],
        targets: [portId(e.target.node, 'in', e.target.port)],
        ...(text ? { labels: [{ id: `${e.id}\u0000label`, text, ...wireLabelSize(text) }] } : {}),
      };
    }),
  };
  const out = await elk.layout(graph);
  const minX = Math.min(...nodes.map((n) => n.position.x));
  const minY = Math.min(...nodes.map((n) => n.position.y));
  const laid = out.children ?? [];
  const lx = Math.min(...laid.map((c) => c.x ?? 0));
  const ly = Math.min(...laid.map((c) => c.y ?? 0));
  const dx = Math.round(minX - lx);
  const dy = Math.round(minY - ly);
  const positions: Record<string, XY> = {};
  for (const c of laid) positions[c.id] = { x: Math.round(c.x ?? 0) + dx, y: Math.round(c.y ?? 0) + dy };
  const routes: Record<string, Pt[]> = {};
  for (const e of (out.edges ?? []) as ElkExtendedEdge[]) {
    const sec = e.sections?.[0];
    if (!sec || (e.sections?.length ?? 0) > 1) continue;
    routes[e.id] = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint].map((p) => ({ x: p.x + dx, y: p.y + dy }));
  }
  return { positions, routes };
}

/**
 * Lay out the level shown (the document, or the group entered) or the selected nodes
 * in it, as one undo step, and keep elk's routes for the wires among them.
 */
export async function autoLayout(editor: Editor, ids: readonly string[] | null): Promise<boolean> {
  const { positions, routes } = await layoutGraph(editor.view, ids, editor.sizeOf, canvasPorts.offset ?? undefined);
  const first = Object.keys(positions)[0];
  if (!first) return false;
  const applied = editor.applyLayout(positions, ids ? `Auto-layout ${ids.length} nodes` : 'Auto-layout');
  // A selection laid out may have moved clear of the other nodes: its routes move with it.
  const at = editor.view.nodes.find((n) => n.id === first)?.position ?? positions[first];
  const sx = at.x - positions[first].x;
  const sy = at.y - positions[first].y;
  for (const [id, route] of Object.entries(routes))
    keptRoutes.set(
      id,
      route.map((p) => ({ x: p.x + sx, y: p.y + sy })),
    );
  return applied;
}
