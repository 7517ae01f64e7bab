/**
 * The level the canvas shows: the document, or the inside of a group the user entered
 * (`groupPath`, outermost first). Editor commands find and change nodes and wires of
 * that level through a *level view*: an object shaped like the document whose `nodes`
 * and `edges` are the group's (meta and simulation are the document's). Pure helpers,
 * no React.
 */
import type { Draft } from 'immer';
import type { DocEdge, DocNode, GraphDocument, PortRef } from '../../engine/format/document.ts';
import { allIds, flattenDocument, hasGroups, isGroupNode, levelAt, renameGroupIds, resolvePort, uniqueName } from '../../engine/format/groups.ts';
import type { GroupNode } from '../../engine/format/groups.ts';
import { connectionProblem } from '../../engine/format/connect.ts';
import { getKind } from '../../engine/kinds/index.ts';
import type { PortSpec } from '../../engine/kinds/index.ts';

const views = new WeakMap<GraphDocument, Map<string, GraphDocument>>();

/** The deepest prefix of `path` that still leads to a group (after an undo removed one, say). */
export function validPath(doc: GraphDocument, path: readonly string[]): readonly string[] {
  let level: { nodes: DocNode[] } = doc;
  for (let i = 0; i < path.length; i++) {
    const g = level.nodes.find((n) => n.id === path[i]);
    if (!isGroupNode(g)) return path.slice(0, i);
    level = g;
  }
  return path;
}

/** The level at `path` as a document (the document itself at the top). Memoised per document. */
export function levelView(doc: GraphDocument, path: readonly string[]): GraphDocument {
  if (path.length === 0) return doc;
  const key = path.join('\u0000');
  let byPath = views.get(doc);
  if (!byPath) views.set(doc, (byPath = new Map()));
  let view = byPath.get(key);
  if (!view) {
    const level = levelAt(doc, path) ?? { nodes: [], edges: [] };
    view = { ...doc, nodes: level.nodes, edges: level.edges };
    byPath.set(key, view);
  }
  return view;
}

/**
 * The immer draft of the level at `path`: reads and writes of `nodes` and `edges` go to
 * the group's own lists, everything else to the document. A recipe written for the
 * document edits the group unchanged.
 */
export function scopedDraft(d: Draft<GraphDocument>, path: readonly string[]): Draft<GraphDocument> {
  if (path.length === 0) return d;
  let g: Draft<GroupNode> | undefined;
  let level: { nodes: Draft<DocNode>[] } = d;
  for (const id of path) {
    const n = level.nodes.find((x) => x.id === id);
    if (!isGroupNode(n)) return d;
    g = n as Draft<GroupNode>;
    level = g;
  }
  const group = g!;
  const scoped = new Proxy(d, {
    get(target, prop, receiver) {
      if (prop === 'nodes') return group.nodes;
      if (prop === 'edges') return group.edges;
      return Reflect.get(target, prop, receiver) as unknown;
    },
    set(target, prop, value, receiver) {
      if (prop === 'nodes') group.nodes = value as Draft<DocNode>[];
      else if (prop === 'edges') group.edges = value as Draft<DocEdge>[];
      else return Reflect.set(target, prop, value, receiver);
      return true;
    },
  });
  drafts.set(scoped, d);
  return scoped;
}

/** Every id in the document, groups included, as a level `nextId` can read: ids are unique document-wide. */
export function idSpace(doc: GraphDocument): Pick<GraphDocument, 'nodes' | 'edges'> {
  const ids = [...allIds(doc)];
  return { nodes: ids.map((id) => ({ id }) as DocNode), edges: [] };
}

export interface Wiring {
  /** The flat graph of the level, where the wire's ends are checked. */
  readonly doc: GraphDocument;
  readonly source: PortRef;
  readonly target: PortRef;
}

/** A wire between two ends of a level, with group ports resolved to the inner ports they stand for. */
export function wiringOf(level: GraphDocument, source: PortRef, target: PortRef): Wiring {
  return {
    doc: flattenDocument(level).doc,
    source: resolvePort(level, source, 'out') ?? source,
    target: resolvePort(level, target, 'in') ?? target,
  };
}

/** Why a wire between two ends of a level makes no sense (group ports included), or null. */
export function levelConnectionProblem(level: GraphDocument, source: PortRef, target: PortRef): string | null {
  for (const [ref, dir] of [
    [source, 'out'],
    [target, 'in'],
  ] as const) {
    const n = level.nodes.find((x) => x.id === ref.node);
    if (isGroupNode(n) && !n.ports.some((p) => p.id === ref.port && p.direction === dir)) {
      return `Group "${n.label || n.id}" has no ${dir === 'in' ? 'input' : 'output'} port "${ref.port}".`;
    }
  }
  const w = wiringOf(level, source, target);
  return connectionProblem(w.doc, w.source, w.target);
}

/** The port declaration a group port stands for (through nested groups), for its type and title. */
export function innerPortSpec(g: GroupNode, portId: string, direction: 'in' | 'out'): PortSpec | undefined {
  const ref = resolvePort({ nodes: [g], edges: [] }, { node: g.id, port: portId }, direction);
  if (!ref) return undefined;
  const find = (nodes: readonly DocNode[]): DocNode | undefined => {
    for (const n of nodes) {
      if (n.id === ref.node) return n;
      const inner = isGroupNode(n) ? find(n.nodes) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const kind = getKind(find(g.nodes)?.kind ?? '');
  return (direction === 'in' ? kind?.inputs : kind?.outputs)?.find((p) => p.id === ref.port);
}

/** The input port a wire into a level node enters: a kind's port, or the inner port a group port stands for. */
export function levelInputPort(level: GraphDocument, target: PortRef): PortSpec | undefined {
  const n = level.nodes.find((x) => x.id === target.node);
  if (!n) return undefined;
  return isGroupNode(n) ? innerPortSpec(n, target.port, 'in') : getKind(n.kind)?.inputs.find((p) => p.id === target.port);
}

/** Every node id inside a group, nested groups included (their issues show on the group). */
export function innerNodeIds(g: GroupNode, into: string[] = []): string[] {
  for (const n of g.nodes) {
    into.push(n.id);
    if (isGroupNode(n)) innerNodeIds(n, into);
  }
  return into;
}

/** Nodes about to be added, with every id inside their groups renamed to one unused in `doc`. */
export function freshGroupContents(nodes: DocNode[], doc: GraphDocument): DocNode[] {
  if (!nodes.some(isGroupNode)) return nodes;
  const used = allIds(doc);
  for (const n of nodes) used.add(n.id);
  return nodes.map((n) => (isGroupNode(n) ? { ...renameGroupIds(n, used, uniqueName), id: n.id } : n));
}

const flatNodes = new WeakMap<GraphDocument, readonly DocNode[]>();

/** Every node of the document, groups opened (the nodes the engine sees), memoised per document. */
export function flatNodesOf(doc: GraphDocument): readonly DocNode[] {
  let nodes = flatNodes.get(doc);
  if (!nodes) flatNodes.set(doc, (nodes = flattenDocument(doc).doc.nodes));
  return nodes;
}

const drafts = new WeakMap<object, Draft<GraphDocument>>();

/** The whole document's draft behind a scoped one (for edits that must see every level, e.g. stored weights). */
export function rootDraft(d: Draft<GraphDocument>): Draft<GraphDocument> {
  return drafts.get(d) ?? d;
}

/**
 * The level at `path` with a stand-in for every id used elsewhere in the document (kind
 * unknown, so nothing can wire to it): for code that picks fresh ids by looking at one
 * level (the clipboard's paste), so they are fresh document-wide.
 */
export function levelWithAllIds(doc: GraphDocument, path: readonly string[]): GraphDocument {
  const view = levelView(doc, path);
  if (!hasGroups(doc) && path.length === 0) return view;
  const here = new Set([...view.nodes.map((n) => n.id), ...view.edges.map((e) => e.id)]);
  const others = [...allIds(doc)].filter((id) => !here.has(id)).map((id) => ({ id, kind: '', label: id, position: { x: 0, y: 0 }, params: {} }) as DocNode);
  return { ...view, nodes: [...view.nodes, ...others] };
}
