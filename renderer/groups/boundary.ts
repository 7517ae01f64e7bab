/**
 * Inside a group, its boundary: a "Group inputs" node on the left and a "Group outputs"
 * node on the right, each with a handle per port and a dashed wire to the inner port it
 * stands for, plus a "+" handle: wiring an inner port to "+" exposes it as a new port.
 * These are views of the group's `ports`, never nodes of the document.
 */
import type { Edge, Node } from '@xyflow/react';
import type { GraphDocument, PortRef } from '../../engine/format/document.ts';
import { isGroupNode, levelAt } from '../../engine/format/groups.ts';
import type { GroupNode } from '../../engine/format/groups.ts';

/** Ids no document node can clash with (document ids never start with a control character). */
export const BOUNDARY_IN = '\u0001group-inputs';
export const BOUNDARY_OUT = '\u0001group-outputs';
/** The "+" handle of a boundary node: wire to it to expose a port. */
export const NEW_PORT = '\u0001new-port';

export type BoundaryData = { readonly group: GroupNode; readonly direction: 'in' | 'out' };
export type BoundaryFlowNode = Node<BoundaryData, 'groupBoundary'>;

export function isBoundaryId(id: string): boolean {
  return id === BOUNDARY_IN || id === BOUNDARY_OUT;
}

/** The group shown (the last on the path), or null at the top level. */
export function openGroup(doc: GraphDocument, path: readonly string[]): GroupNode | null {
  if (path.length === 0) return null;
  const parent = levelAt(doc, path.slice(0, -1));
  const g = parent?.nodes.find((n) => n.id === path[path.length - 1]);
  return isGroupNode(g) ? g : null;
}

const cache = new WeakMap<GroupNode, { nodes: BoundaryFlowNode[]; edges: Edge[] }>();

/** The boundary nodes and wires of the group shown, placed beside its contents. */
export function boundaryFlow(g: GroupNode): { nodes: BoundaryFlowNode[]; edges: Edge[] } {
  const hit = cache.get(g);
  if (hit) return hit;
  const xs = g.nodes.map((n) => n.position.x);
  const ys = g.nodes.map((n) => n.position.y);
  const left = xs.length ? Math.min(...xs) : 0;
  const right = xs.length ? Math.max(...xs) : 0;
  const top = ys.length ? Math.min(...ys) : 0;
  const common = { draggable: false, selectable: false, deletable: false, connectable: true } as const;
  const nodes: BoundaryFlowNode[] = [
    { id: BOUNDARY_IN, type: 'groupBoundary', position: { x: left - 240, y: top }, data: { group: g, direction: 'in' }, ...common },
    { id: BOUNDARY_OUT, type: 'groupBoundary', position: { x: right + 260, y: top }, data: { group: g, direction: 'out' }, ...common },
  ];
  const edges: Edge[] = g.ports.map((p) => {
    const inn = p.direction === 'in';
    return {
      id: `\u0001port-${p.id}`,
      source: inn ? BOUNDARY_IN : p.node,
      sourceHandle: inn ? p.id : p.port,
      target: inn ? p.node : BOUNDARY_OUT,
      targetHandle: inn ? p.port : p.id,
      selectable: false,
      deletable: false,
      className: 'sf-boundary-wire',
    };
  });
  const out = { nodes, edges };
  cache.set(g, out);
  return out;
}

/**
 * What a new wire between a boundary node and an inner port means: the inner port to
 * expose, and on which side; null when the wire does not touch a boundary "+" handle.
 */
export function exposedBy(source: PortRef, target: PortRef): { direction: 'in' | 'out'; inner: PortRef } | null {
  if (source.node === BOUNDARY_IN && source.port === NEW_PORT && !isBoundaryId(target.node)) return { direction: 'in', inner: target };
  if (target.node === BOUNDARY_OUT && target.port === NEW_PORT && !isBoundaryId(source.node)) return { direction: 'out', inner: source };
  return null;
}

/** Why a wire that touches a boundary node makes no sense, or null (see `exposedBy`). */
export function boundaryProblem(source: PortRef, target: PortRef): string | null {
  if (!isBoundaryId(source.node) && !isBoundaryId(target.node)) return null;
  return exposedBy(source, target) ? null : 'wire an inner port to the "+" of Group inputs or Group outputs to add a port; rename or remove ports in the group\u2019s inspector.';
}
