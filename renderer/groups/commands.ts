/**
 * Group commands on the editor: group the selection, ungroup, enter and leave, rename a
 * port, collapse or expand, place a saved group or a motif. Each edit is one history
 * entry (entering and leaving are navigation, not edits). The action table
 * (app/actions.ts) and any menu call these.
 */
import type { Editor, XY } from '../store/editor.ts';
import { nextId } from '../store/ids.ts';
import { groupNodes, isGroupNode, portLabel, renameGroupIds, uniqueName, ungroupNode, allIds } from '../../engine/format/groups.ts';
import type { DocNode, PortRef } from '../../engine/format/document.ts';
import { getKind } from '../../engine/kinds/index.ts';
import { openGroup } from './boundary.ts';
import type { GroupNode } from '../../engine/format/groups.ts';
import { idSpace, innerPortSpec, rootDraft } from './level.ts';
import { fillDefaults } from '../../engine/format/load.ts';
import { saveToLibrary } from './library.ts';
import type { GroupDefinition } from './motifs.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Group the selected nodes of the current level into one node; returns its id. */
export function groupSelection(editor: Editor): string | null {
  const ids = editor.state.selection.nodes;
  if (ids.length === 0) {
    editor.setNotice({ level: 'warning', text: 'Select one or more nodes to group (drag a box with Shift, or Ctrl+click).' });
    return null;
  }
  const id = nextId(idSpace(editor.doc), 'group');
  const r = groupNodes(editor.view, ids, { id, label: `Group ${id.slice(5)}` });
  if (!r.ok) {
    editor.setNotice({ level: 'error', text: r.problem });
    return null;
  }
  editor.edit(`Group ${plural(r.group.nodes.length, 'node')}`, (d) => {
    d.nodes = r.level.nodes;
    d.edges = r.level.edges;
  });
  editor.setSelection({ nodes: [id], edges: [] });
  return id;
}

/** The selected group of the current level, if exactly one group is selected (or `id`). */
export function selectedGroup(editor: Editor, id?: string): GroupNode | null {
  const ids = id ? [id] : editor.state.selection.nodes;
  const groups = editor.view.nodes.filter((n) => ids.includes(n.id) && isGroupNode(n));
  return groups.length === 1 ? (groups[0] as GroupNode) : null;
}

/** Put a group's contents back in its place (the selected group by default). */
export function ungroup(editor: Editor, id?: string): boolean {
  const g = selectedGroup(editor, id);
  if (!g) {
    editor.setNotice({ level: 'warning', text: 'Select a group to ungroup.' });
    return false;
  }
  const level = ungroupNode(editor.view, g.id);
  if (!level) return false;
  editor.edit(`Ungroup ${g.label || g.id}`, (d) => {
    d.nodes = level.nodes;
    d.edges = level.edges;
  });
  editor.setSelection({ nodes: g.nodes.map((n) => n.id), edges: [] });
  return true;
}

/** Show a group's inside. */
export function enterGroup(editor: Editor, id: string): void {
  if (!isGroupNode(editor.view.nodes.find((n) => n.id === id))) return;
  editor.setGroupPath([...editor.state.groupPath, id]);
}

/** Go back out to `depth` groups deep (0: the document). */
export function leaveTo(editor: Editor, depth: number): void {
  editor.setGroupPath(editor.state.groupPath.slice(0, Math.max(0, depth)));
}

/** Rename a group port (its id, which wires use, stays). */
export function renamePort(editor: Editor, groupId: string, portId: string, label: string, mergeKey?: string): void {
  editor.edit(
    `Rename port ${portId}`,
    (d) => {
      const g = d.nodes.find((n) => n.id === groupId);
      const p = isGroupNode(g) ? g.ports.find((x) => x.id === portId) : undefined;
      if (p) p.label = label;
    },
    mergeKey ? { mergeKey } : {},
  );
}

export function setCollapsed(editor: Editor, groupId: string, collapsed: boolean): void {
  editor.edit(collapsed ? 'Collapse group' : 'Expand group', (d) => {
    const g = d.nodes.find((n) => n.id === groupId);
    if (isGroupNode(g)) g.collapsed = collapsed;
  });
}

/** Place a copy of a saved group or motif at `position` (every id inside made fresh). */
export function placeGroup(editor: Editor, def: GroupDefinition, position: XY): string {
  const copy = renameGroupIds(structuredClone(def.group), allIds(editor.doc), uniqueName);
  copy.position = { x: Math.round(position.x), y: Math.round(position.y) };
  // A definition may leave params out (motifs do): fill them as loading a file would, so
  // the document holds every value and checks clean.
  fillDefaults({ nodes: [copy], edges: [] });
  editor.edit(`Add ${def.name}`, (d) => {
    d.nodes.push(copy);
  });
  editor.setSelection({ nodes: [copy.id], edges: [] });
  return copy.id;
}

/** Save the selected group (or `id`) to the user library under its label. */
export function saveGroupToLibrary(editor: Editor, id?: string): boolean {
  const g = selectedGroup(editor, id);
  if (!g) {
    editor.setNotice({ level: 'warning', text: 'Select a group to save to the library.' });
    return false;
  }
  const name = g.label || g.id;
  const problem = saveToLibrary(g, name);
  editor.setNotice(problem ? { level: 'error', text: problem } : { level: 'info', text: `Saved "${name}" to the group library (palette › My groups).` });
  return problem === null;
}

/**
 * From inside a group: expose an inner port as a new port of the group (wiring it to the
 * boundary's "+"). Returns the new port id, or null (and a notice) when it cannot be.
 */
export function exposePort(editor: Editor, direction: 'in' | 'out', inner: PortRef): string | null {
  const path = editor.state.groupPath;
  const g = openGroup(editor.doc, path);
  const node = editor.view.nodes.find((n) => n.id === inner.node);
  if (!g || !node) return null;
  const spec = isGroupNode(node) ? innerPortSpec(node, inner.port, direction) : (direction === 'in' ? getKind(node.kind)?.inputs : getKind(node.kind)?.outputs)?.find((p) => p.id === inner.port);
  if (!spec) {
    editor.setNotice({ level: 'error', text: `Cannot add a port: "${inner.node}" has no ${direction === 'in' ? 'input' : 'output'} "${inner.port}".` });
    return null;
  }
  const known = g.ports.find((p) => p.direction === direction && p.node === inner.node && p.port === inner.port);
  if (known) {
    editor.setNotice({ level: 'info', text: `"${known.label}" already stands for that port.` });
    return known.id;
  }
  const id = uniqueName(`${inner.node}-${inner.port}`.replace(/[^A-Za-z0-9_-]+/g, '-'), new Set(g.ports.map((p) => p.id)));
  const several = g.ports.some((p) => p.direction === direction && p.node === inner.node);
  const label = uniqueName(portLabel(node, inner.port, direction, several), new Set(g.ports.filter((p) => p.direction === direction).map((p) => p.label)));
  editor.edit(`Add ${direction === 'in' ? 'input' : 'output'} port ${label}`, (d) => {
    const root = rootDraft(d);
    let level: { nodes: DocNode[] } = root;
    let target: GroupNode | undefined;
    for (const step of path) {
      const n = level.nodes.find((x) => x.id === step);
      if (!isGroupNode(n)) return;
      target = n;
      level = n;
    }
    target?.ports.push({ id, label, direction, node: inner.node, port: inner.port });
  });
  return id;
}

/** Remove a port of a group at the current level, and the wires outside that end at it. One undo step. */
export function removePort(editor: Editor, groupId: string, portId: string): void {
  editor.edit(`Remove port ${portId}`, (d) => {
    const g = d.nodes.find((n) => n.id === groupId);
    if (!isGroupNode(g)) return;
    const p = g.ports.find((x) => x.id === portId);
    if (!p) return;
    g.ports = g.ports.filter((x) => x.id !== portId);
    d.edges = d.edges.filter((e) => !((p.direction === 'in' ? e.target : e.source).node === groupId && (p.direction === 'in' ? e.target : e.source).port === portId));
  });
}

/** The groups to enter to see node or wire `id` (outermost first), or null when it is nowhere. */
export function pathTo(level: { nodes: readonly DocNode[]; edges: readonly { id: string }[] }, id: string): string[] | null {
  if (level.nodes.some((n) => n.id === id) || level.edges.some((e) => e.id === id)) return [];
  for (const n of level.nodes) {
    if (!isGroupNode(n)) continue;
    const inner = pathTo(n, id);
    if (inner) return [n.id, ...inner];
  }
  return null;
}

/** Show and select a node or wire wherever it sits, entering the groups it is in (an issue's "show me"). */
export function reveal(editor: Editor, target: { nodeId?: string; edgeId?: string }): void {
  const id = target.nodeId ?? target.edgeId;
  if (id === undefined) return;
  const path = pathTo(editor.doc, id);
  if (!path) return;
  if (path.join('\u0000') !== editor.state.groupPath.join('\u0000')) editor.setGroupPath(path);
  editor.setSelection(target.nodeId !== undefined ? { nodes: [target.nodeId], edges: [] } : { nodes: [], edges: [id] });
}
