/**
 * Groups (subgraphs), format version 2.
 *
 * A group is a node of kind `group` that holds its own `nodes` and `edges` and a list of
 * named boundary `ports`, each bound to one port of one inner node (which may itself be a
 * group's port: groups nest). Wires outside refer to the group's port ids; wires inside
 * refer to inner nodes.
 *
 * ```
 * { "id": "ei", "kind": "group", "label": "Balanced E/I", "position": { "x": 0, "y": 0 },
 *   "collapsed": false,
 *   "ports": [ { "id": "exc-in", "label": "drive", "direction": "in", "node": "exc", "port": "in" },
 *              { "id": "exc-spikes", "label": "exc", "direction": "out", "node": "exc", "port": "spikes" } ],
 *   "nodes": [ …inner nodes… ], "edges": [ …inner wires… ] }
 * ```
 *
 * **Ids are unique across the whole document**, groups included, so the flat graph of a
 * grouped document has exactly the ids (and therefore the random streams, which the engine
 * keys by node and wire id) of the graph before grouping: grouping never changes a run.
 *
 * The engine never sees groups: {@link flattenDocument} replaces each group by its inner
 * nodes and wires (inner nodes take the group's place in the node list; each group's inner
 * wires follow the wires of its level), and rewires each wire at a group port to the inner
 * port it stands for. Validation and compilation run on the flat graph; their issues are
 * mapped back ({@link mapFlatIssue}) to pointers into the grouped document
 * (`/nodes/2/nodes/0/params/tau_m_ms`) with messages that name the group.
 *
 * Pure: no DOM, no Node.
 */
import type { DocEdge, DocIssue, DocNode, GraphDocument, PortRef } from './document.ts';
import { pointer } from './pointer.ts';
import { getKind } from '../kinds/index.ts';

/** The reserved kind id of a group node. */
export const GROUP_KIND = 'group';

/** A boundary port of a group: a name outside, an inner node's port inside. */
export interface GroupPort {
  /** Stable id, unique among the group's ports; outside wires refer to it. */
  id: string;
  /** The editable name shown on the group node. */
  label: string;
  direction: 'in' | 'out';
  /** The inner node (or inner group) and its port this port stands for. */
  node: string;
  port: string;
  [unknown: string]: unknown;
}

export interface GroupNode extends DocNode {
  kind: typeof GROUP_KIND;
  /** Always `{}`: a group has no params of its own. */
  params: Record<string, unknown>;
  nodes: DocNode[];
  edges: DocEdge[];
  ports: GroupPort[];
  /** Editor state: shown as a compact header (true) or with its contents listed. */
  collapsed?: boolean;
}

/** Nodes and wires of one level: the document itself, or a group. */
export interface Level {
  nodes: DocNode[];
  edges: DocEdge[];
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether a node (any JSON value) is a group node. */
export function isGroupNode(n: unknown): n is GroupNode {
  return isObj(n) && n.kind === GROUP_KIND;
}

/** Whether a document (any JSON value) has a group anywhere. */
export function hasGroups(doc: unknown): boolean {
  return isObj(doc) && Array.isArray(doc.nodes) && doc.nodes.some(isGroupNode);
}

/** How messages name a group: `"ei" (Balanced E/I)`. */
export function describeGroup(g: { id: unknown; label?: unknown }): string {
  return typeof g.label === 'string' && g.label !== '' && g.label !== g.id ? `"${String(g.id)}" (${g.label})` : `"${String(g.id)}"`;
}

// ---------------------------------------------------------------- flattening

/** Where a node or wire of the flat graph sits in the grouped document. */
export interface Origin {
  /** Pointer to it in the grouped document, e.g. `/nodes/2/nodes/0`. */
  readonly pointer: string;
  /** The groups it sits in, outermost first (empty at the top level). */
  readonly groups: readonly { readonly id: string; readonly label: string }[];
}

export interface Flattened {
  /** The graph without groups (a new top object; nodes and plain wires are shared, not copied). */
  readonly doc: GraphDocument;
  /** Per flat node and per flat wire, by index: where it came from. */
  readonly nodeOrigins: readonly Origin[];
  readonly edgeOrigins: readonly Origin[];
  /** Broken group structure (ports bound to nothing, wires to a port that does not exist, …). */
  readonly issues: DocIssue[];
}

interface Frame {
  readonly ptr: string;
  readonly groups: Origin['groups'];
}

/**
 * Replace every group by its contents, recursively (see the module comment). A document
 * without groups comes back as is (same object). Never throws: malformed groups give
 * issues, and what cannot be resolved is left out of the flat graph.
 */
export function flattenDocument(doc: GraphDocument): Flattened {
  if (!hasGroups(doc)) {
    const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
    const edges = Array.isArray(doc.edges) ? doc.edges : [];
    return {
      doc,
      nodeOrigins: nodes.map((_, i) => ({ pointer: pointer('nodes', i), groups: [] })),
      edgeOrigins: edges.map((_, i) => ({ pointer: pointer('edges', i), groups: [] })),
      issues: [],
    };
  }
  const nodes: DocNode[] = [];
  const edges: DocEdge[] = [];
  const nodeOrigins: Origin[] = [];
  const edgeOrigins: Origin[] = [];
  const issues: DocIssue[] = [];
  const where = new Map<string, string>(); // node id → the id of the group holding it ('' = top)

  const inside = (n: GroupNode, frame: Frame, i: number): Frame => ({ ptr: `${frame.ptr}/nodes/${i}`, groups: [...frame.groups, { id: String(n.id), label: String(n.label ?? n.id) }] });
  // Nodes: a group's contents take its place in the node list.
  const walkNodes = (level: Obj, frame: Frame, groupId: string): void => {
    const levelNodes = Array.isArray(level.nodes) ? (level.nodes as unknown[]) : [];
    levelNodes.forEach((n, i) => {
      if (isObj(n) && typeof n.id === 'string') where.set(n.id, groupId);
      if (isGroupNode(n)) {
        if (checkGroupShape(n, `${frame.ptr}/nodes/${i}`, frame.groups, issues)) walkNodes(n, inside(n, frame, i), String(n.id));
        return;
      }
      nodes.push(n as DocNode);
      nodeOrigins.push({ pointer: `${frame.ptr}/nodes/${i}`, groups: frame.groups });
    });
  };
  // Wires: a level's own, then each of its groups' in node order.
  const walkEdges = (level: Obj, frame: Frame): void => {
    const levelNodes = Array.isArray(level.nodes) ? (level.nodes as unknown[]) : [];
    const levelEdges = Array.isArray(level.edges) ? (level.edges as unknown[]) : [];
    const byId = new Map<string, Obj>();
    for (const n of levelNodes) if (isObj(n) && typeof n.id === 'string' && !byId.has(n.id)) byId.set(n.id, n);
    levelEdges.forEach((e, i) => {
      const ptr = `${frame.ptr}/edges/${i}`;
      if (!isObj(e)) {
        edges.push(e as DocEdge);
        edgeOrigins.push({ pointer: ptr, groups: frame.groups });
        return;
      }
      const source = resolveEnd(e, 'source', byId, ptr, frame, issues);
      const target = resolveEnd(e, 'target', byId, ptr, frame, issues);
      if (source === null || target === null) return;
      edges.push(source === e.source && target === e.target ? (e as DocEdge) : ({ ...e, source, target } as DocEdge));
      edgeOrigins.push({ pointer: ptr, groups: frame.groups });
    });
    levelNodes.forEach((n, i) => {
      if (isGroupNode(n) && Array.isArray(n.nodes) && Array.isArray(n.edges) && Array.isArray(n.ports)) walkEdges(n, inside(n, frame, i));
    });
  };
  walkNodes(doc as unknown as Obj, { ptr: '', groups: [] }, '');
  walkEdges(doc as unknown as Obj, { ptr: '', groups: [] });
  // A wire must stay on its level: reaching into a group bypasses its ports.
  const checkLevel = (level: Obj, ptr: string, groupId: string, groups: Origin['groups']): void => {
    const levelEdges = Array.isArray(level.edges) ? (level.edges as unknown[]) : [];
    levelEdges.forEach((e, i) => {
      if (!isObj(e)) return;
      for (const end of ['source', 'target'] as const) {
        const ref = e[end];
        if (!isObj(ref) || typeof ref.node !== 'string') continue;
        const home = where.get(ref.node);
        if (home !== undefined && home !== groupId) {
          issues.push({
            pointer: `${ptr}/edges/${i}/${end}/node`,
            edgeId: typeof e.id === 'string' ? e.id : undefined,
            field: `${end}.node`,
            message: `${inGroups(groups)}Wire "${String(e.id)}", field ${end}.node: node "${ref.node}" is ${home === '' ? 'outside this group' : `inside group "${home}"`}; a wire joins nodes of one level, and crosses a group's boundary through its ports.`,
          });
        }
      }
    });
    const levelNodes = Array.isArray(level.nodes) ? (level.nodes as unknown[]) : [];
    levelNodes.forEach((n, i) => {
      if (isGroupNode(n)) checkLevel(n, `${ptr}/nodes/${i}`, String(n.id), [...groups, { id: String(n.id), label: String(n.label ?? n.id) }]);
    });
  };
  checkLevel(doc as unknown as Obj, '', '', []);
  return { doc: { ...doc, nodes, edges }, nodeOrigins, edgeOrigins, issues };
}

function inGroups(groups: Origin['groups']): string {
  return groups.length === 0 ? '' : `In group ${groups.map(describeGroup).join(' › ')}: `;
}

/** Checks a group's own fields; false when its ports cannot be used. */
function checkGroupShape(g: GroupNode, ptr: string, groups: Origin['groups'], issues: DocIssue[]): boolean {
  const who = `${inGroups(groups)}Group ${describeGroup(g)}`;
  const nodeId = typeof g.id === 'string' ? g.id : undefined;
  let ok = true;
  for (const field of ['nodes', 'edges', 'ports'] as const) {
    if (!Array.isArray(g[field])) {
      issues.push({
        pointer: `${ptr}/${field}`,
        nodeId,
        field,
        message: `${who}, field ${field}: must be a list (got ${g[field] === undefined ? 'nothing' : JSON.stringify(g[field])?.slice(0, 40)}).`,
      });
      ok = false;
    }
  }
  if (!ok) return false;
  const innerIds = new Set(g.nodes.filter(isObj).map((n) => n.id));
  const seen = new Set<string>();
  g.ports.forEach((p: unknown, i) => {
    const pp = `${ptr}/ports/${i}`;
    if (!isObj(p)) {
      issues.push({ pointer: pp, nodeId, field: 'ports', message: `${who}, field ports: entry ${i} must be an object with id, label, direction, node and port.` });
      return;
    }
    const bad = (field: string, problem: string) =>
      issues.push({ pointer: `${pp}/${field}`, nodeId, field: `ports.${field}`, message: `${who}, port ${typeof p.id === 'string' ? `"${p.id}"` : i}, field ${field}: ${problem}.` });
    if (typeof p.id !== 'string' || p.id === '') bad('id', 'must be a non-empty string');
    else if (seen.has(p.id)) bad('id', `"${p.id}" is used by two ports`);
    else seen.add(p.id);
    if (p.label !== undefined && typeof p.label !== 'string') bad('label', 'must be a string');
    if (p.direction !== 'in' && p.direction !== 'out') bad('direction', `must be "in" or "out" (got ${JSON.stringify(p.direction)})`);
    if (typeof p.node !== 'string' || !innerIds.has(p.node)) bad('node', `${JSON.stringify(p.node)} is not a node of this group`);
    if (typeof p.port !== 'string' || p.port === '') bad('port', 'must be a port id of the inner node');
  });
  return true;
}

/**
 * The flat port a wire end stands for: itself, or (through group ports, recursively) the
 * inner node's port. null (with an issue) when a group port does not exist.
 */
function resolveEnd(e: Obj, end: 'source' | 'target', byId: Map<string, Obj>, ptr: string, frame: Frame, issues: DocIssue[]): PortRef | null {
  const ref = e[end];
  if (!isObj(ref) || typeof ref.node !== 'string' || typeof ref.port !== 'string') return ref as PortRef;
  const node = byId.get(ref.node);
  if (!isGroupNode(node)) return ref as unknown as PortRef;
  const direction = end === 'source' ? 'out' : 'in';
  let g: GroupNode = node;
  let port = ref.port;
  const chain: string[] = [];
  for (let depth = 0; depth < 64; depth++) {
    const p = Array.isArray(g.ports) ? g.ports.find((x) => isObj(x) && x.id === port) : undefined;
    if (!p || p.direction !== direction) {
      const names = (Array.isArray(g.ports) ? g.ports : []).filter((x) => isObj(x) && x.direction === direction).map((x) => x.id);
      issues.push({
        pointer: `${ptr}/${end}/port`,
        edgeId: typeof e.id === 'string' ? e.id : undefined,
        field: `${end}.port`,
        message:
          `${inGroups(frame.groups)}Wire "${String(e.id)}", field ${end}.port: group ${describeGroup(g)}${chain.length ? ` (inside ${chain.join(' › ')})` : ''} has no ${direction === 'in' ? 'input' : 'output'} port "${port}"` +
          `${names.length ? ` (its ${direction === 'in' ? 'inputs' : 'outputs'}: ${names.join(', ')})` : ''}.`,
      });
      return null;
    }
    const inner = Array.isArray(g.nodes) ? g.nodes.find((n) => isObj(n) && n.id === p.node) : undefined;
    if (!isGroupNode(inner)) return { ...(ref as unknown as PortRef), node: p.node, port: p.port };
    chain.push(`"${g.id}"`);
    g = inner;
    port = p.port;
  }
  issues.push({ pointer: `${ptr}/${end}`, field: end, message: `Wire "${String(e.id)}": groups nest too deep (over 64 levels).` });
  return null;
}

/**
 * Point an issue about the flat graph at the grouped document: its pointer goes through
 * the groups, and its message starts with the groups it is in.
 */
export function mapFlatIssue(issue: DocIssue, f: Pick<Flattened, 'nodeOrigins' | 'edgeOrigins'>): DocIssue {
  const m = /^\/(nodes|edges)\/(\d+)(.*)$/.exec(issue.pointer);
  if (!m) return issue;
  const origin = (m[1] === 'nodes' ? f.nodeOrigins : f.edgeOrigins)[Number(m[2])];
  if (!origin) return issue;
  return { ...issue, pointer: origin.pointer + m[3], message: inGroups(origin.groups) + issue.message };
}

/**
 * Check a grouped document: the groups' structure, then `checkFlat` (the validator) on
 * the flat graph, with every issue pointed back into the groups. Injected to keep this
 * module below validate.ts.
 */
export function checkGroupedDocument<C extends { errors: DocIssue[]; warnings: DocIssue[] }>(doc: GraphDocument, checkFlat: (flat: GraphDocument) => C): C {
  const f = flattenDocument(doc);
  const flat = checkFlat(f.doc);
  return { ...flat, errors: [...f.issues, ...flat.errors.map((i) => mapFlatIssue(i, f))], warnings: flat.warnings.map((i) => mapFlatIssue(i, f)) };
}

/**
 * Compile a grouped document: flatten, refuse broken groups, run `compileFlat` (the
 * compiler) on the flat graph, and point its issues back into the groups.
 */
export function compileGrouped<R extends { ok: true } | { ok: false; issues: DocIssue[] }>(doc: GraphDocument, compileFlat: (flat: GraphDocument) => R): R | { ok: false; issues: DocIssue[] } {
  const f = flattenDocument(doc);
  if (f.issues.length > 0) return { ok: false, issues: f.issues };
  const r = compileFlat(f.doc);
  return r.ok ? r : { ...r, issues: r.issues.map((i) => mapFlatIssue(i, f)) };
}

/**
 * Fill what groups may leave out (a nested group's label and position, every wire's
 * params), then `fillFlat` (the loader's fill) over the flat graph, whose nodes are the
 * document's own objects, so their defaults land in the document. Mutates `doc`.
 */
export function fillGroupDefaults(doc: Obj, fillFlat: (flat: Obj) => void): void {
  if (!hasGroups(doc)) return;
  const prepare = (level: Obj): void => {
    for (const e of Array.isArray(level.edges) ? level.edges : []) if (isObj(e) && !Object.hasOwn(e, 'params')) e.params = {};
    for (const n of Array.isArray(level.nodes) ? level.nodes : []) {
      if (!isGroupNode(n)) continue;
      const gn = n as unknown as Obj;
      if (!Object.hasOwn(gn, 'label') && typeof gn.id === 'string') gn.label = gn.id;
      if (!Object.hasOwn(gn, 'position')) gn.position = { x: 0, y: 0 };
      prepare(gn);
    }
  };
  prepare(doc);
  const f = flattenDocument(doc as unknown as GraphDocument);
  // Rewired copies share their `params` object with the document's wire (made above).
  fillFlat({ meta: {}, view: {}, nodes: f.doc.nodes, edges: f.doc.edges });
}

// ---------------------------------------------------------------- navigating

/** The level a path of group ids leads to (the document for an empty path); null when a group on it is gone. */
export function levelAt(doc: Level, path: readonly string[]): Level | null {
  let level: Level = doc;
  for (const id of path) {
    const g = level.nodes.find((n) => n.id === id);
    if (!isGroupNode(g)) return null;
    level = g;
  }
  return level;
}

/** Every node id and wire id anywhere in a level, groups included. */
export function allIds(level: Level, into: Set<string> = new Set()): Set<string> {
  for (const n of level.nodes) {
    into.add(n.id);
    if (isGroupNode(n)) allIds(n, into);
  }
  for (const e of level.edges) into.add(e.id);
  return into;
}

/** The port spec of a group port, resolved through nested groups to the inner kind's port. */
export function resolvePort(level: Level, ref: PortRef, direction: 'in' | 'out'): PortRef | null {
  let node = level.nodes.find((n) => n.id === ref.node);
  let port = ref.port;
  for (let depth = 0; depth < 64 && node; depth++) {
    if (!isGroupNode(node)) return { node: node.id, port };
    const p = node.ports.find((x) => x.id === port && x.direction === direction);
    if (!p) return null;
    port = p.port;
    node = node.nodes.find((n) => n.id === p.node);
  }
  return null;
}

// ---------------------------------------------------------------- grouping and ungrouping

/** Letters, digits, `-` and `_` only: port ids become handle ids and wire fields. */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'port';
}

/**
 * A name for the port that stands for `node`'s `port`: the inner node's label, plus the
 * port's name when the group has more than one port on that side for the node
 * (`Excitatory`, `Excitatory current`).
 */
export function portLabel(node: Pick<DocNode, 'id' | 'label' | 'kind'> & Partial<Pick<GroupNode, 'ports'>>, port: string, direction: 'in' | 'out', several: boolean): string {
  const name = node.label || node.id;
  if (!several) return name;
  const spec = isGroupNode(node) ? node.ports.find((p) => p.id === port) : (direction === 'in' ? getKind(node.kind)?.inputs : getKind(node.kind)?.outputs)?.find((p) => p.id === port);
  return `${name} ${spec?.label ?? port}`;
}

/** `base`, or `base-2`, `base-3`, … : the first not in `used`. */
export function uniqueName(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

export interface GroupOptions {
  /** The new group's id (unique in the whole document). */
  readonly id: string;
  readonly label: string;
}

export type GroupResult = { readonly ok: true; readonly level: Level; readonly group: GroupNode } | { readonly ok: false; readonly problem: string };

/**
 * Put nodes `ids` of a level into a new group (a new level is returned; the given one is
 * not changed). The group takes the place of the first of them; wires between them move
 * inside; each wire that crosses the boundary stays outside, now ending at a group port:
 * one port per inner node port that a crossing wire reaches (several wires may share it).
 * Ids, params and the crossing wires' params are kept, so the flat graph is the same.
 */
export function groupNodes(level: Level, ids: readonly string[], options: GroupOptions): GroupResult {
  const chosen = new Set(ids);
  const inner = level.nodes.filter((n) => chosen.has(n.id));
  if (inner.length === 0) return { ok: false, problem: 'Select one or more nodes to group.' };
  const ports: GroupPort[] = [];
  const portOf = new Map<string, string>(); // `${direction}\0${node}\0${port}` → group port id
  const usedIds = new Set<string>();
  const portFor = (direction: 'in' | 'out', ref: PortRef): string => {
    const key = `${direction}\0${ref.node}\0${ref.port}`;
    const known = portOf.get(key);
    if (known) return known;
    const id = uniqueName(slug(`${ref.node}-${ref.port}`), usedIds);
    usedIds.add(id);
    ports.push({ id, label: '', direction, node: ref.node, port: ref.port });
    portOf.set(key, id);
    return id;
  };
  const innerEdges: DocEdge[] = [];
  const outerEdges: DocEdge[] = [];
  for (const e of level.edges) {
    const sIn = chosen.has(e.source.node);
    const tIn = chosen.has(e.target.node);
    if (sIn && tIn) innerEdges.push(e);
    else if (tIn) outerEdges.push({ ...e, target: { ...e.target, node: options.id, port: portFor('in', e.target) } });
    else if (sIn) outerEdges.push({ ...e, source: { ...e.source, node: options.id, port: portFor('out', e.source) } });
    else outerEdges.push(e);
  }
  // Inputs first, then outputs, each in the order the wires came.
  ports.sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'in' ? -1 : 1));
  // Names are unique per side: an input and an output may both be called `exc`.
  const usedLabels = { in: new Set<string>(), out: new Set<string>() };
  for (const p of ports) {
    const several = ports.filter((q) => q.direction === p.direction && q.node === p.node).length > 1;
    p.label = uniqueName(
      portLabel(
        inner.find((n) => n.id === p.node)!,
        p.port,
        p.direction,
        several,
      ),
      usedLabels[p.direction],
    );
    usedLabels[p.direction].add(p.label);
  }
  const x = Math.min(...inner.map((n) => n.position.x));
  const y = Math.min(...inner.map((n) => n.position.y));
  const group: GroupNode = {
    id: options.id,
    kind: GROUP_KIND,
    label: options.label,
    position: { x: Math.round(x), y: Math.round(y) },
    params: {},
    collapsed: false,
    ports,
    nodes: inner,
    edges: innerEdges,
  };
  const nodes: DocNode[] = [];
  let placed = false;
  for (const n of level.nodes) {
    if (!chosen.has(n.id)) nodes.push(n);
    else if (!placed) {
      nodes.push(group);
      placed = true;
    }
  }
  return { ok: true, level: { nodes, edges: outerEdges }, group };
}

/**
 * Put a group's contents back into its level (a new level is returned): its nodes take
 * its place, moved by how far the group moved since they were grouped; its wires follow
 * the level's; wires at its ports end at the inner ports again. Wires at a port that no
 * longer exists are dropped.
 */
export function ungroupNode(level: Level, groupId: string): Level | null {
  const g = level.nodes.find((n) => n.id === groupId);
  if (!isGroupNode(g)) return null;
  const x0 = g.nodes.length ? Math.min(...g.nodes.map((n) => n.position.x)) : 0;
  const y0 = g.nodes.length ? Math.min(...g.nodes.map((n) => n.position.y)) : 0;
  const dx = g.position.x - x0;
  const dy = g.position.y - y0;
  const moved = g.nodes.map((n) => (dx === 0 && dy === 0 ? n : { ...n, position: { x: n.position.x + dx, y: n.position.y + dy } }));
  const nodes = level.nodes.flatMap((n) => (n === g ? moved : [n]));
  const edges: DocEdge[] = [];
  for (const e of level.edges) {
    let { source, target } = e;
    if (source.node === groupId) {
      const p = g.ports.find((x) => x.id === source.port && x.direction === 'out');
      if (!p) continue;
      source = { ...source, node: p.node, port: p.port };
    }
    if (target.node === groupId) {
      const p = g.ports.find((x) => x.id === target.port && x.direction === 'in');
      if (!p) continue;
      target = { ...target, node: p.node, port: p.port };
    }
    edges.push(source === e.source && target === e.target ? e : { ...e, source, target });
  }
  edges.push(...g.edges);
  return { nodes, edges };
}

/**
 * A copy of a group with every id inside (nodes, wires, nested groups) renamed to one
 * not in `used` (which is extended), its ports rebound to the new ids: for placing a
 * saved group or a motif a second time. The group's own id is renamed too.
 */
export function renameGroupIds(g: GroupNode, used: Set<string>, fresh: (base: string, used: ReadonlySet<string>) => string): GroupNode {
  const rename = (level: GroupNode): GroupNode => {
    const map = new Map<string, string>();
    const nodes = level.nodes.map((n) => {
      const id = fresh(n.id, used);
      used.add(id);
      map.set(n.id, id);
      const renamed = { ...n, id };
      return isGroupNode(renamed) ? rename(renamed) : renamed;
    });
    const ref = (r: PortRef): PortRef => ({ ...r, node: map.get(r.node) ?? r.node });
    const edges = level.edges.map((e) => {
      const id = fresh(e.id, used);
      used.add(id);
      return { ...e, id, source: ref(e.source), target: ref(e.target) };
    });
    const ports = level.ports.map((p) => ({ ...p, node: map.get(p.node) ?? p.node }));
    return { ...level, nodes, edges, ports };
  };
  const id = fresh(g.id, used);
  used.add(id);
  return rename({ ...g, id });
}
