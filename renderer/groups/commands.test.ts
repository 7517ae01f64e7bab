import { describe, it, expect } from 'vitest';
import { Editor } from '../store/editor.ts';
import { newDocument } from '../../engine/format/load.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import { validateDocument } from '../../engine/format/load.ts';
import type { GroupNode } from '../../engine/format/groups.ts';
import { enterGroup, exposePort, groupSelection, leaveTo, placeGroup, removePort, renamePort, reveal, setCollapsed, ungroup } from './commands.ts';
import { libraryGroups, saveToLibrary } from './library.ts';
import type { LibraryStorage } from './library.ts';
import { MOTIFS } from './motifs.ts';

/** poisson1 → lif1 → mon1, built through the editor as the UI does. */
function chain(): Editor {
  const editor = new Editor(newDocument('t', { clock: () => new Date(0) }));
  const src = editor.addNode('poisson-source', { x: 0, y: 0 });
  const lif = editor.addNode('lif-curr-exp', { x: 300, y: 0 });
  const mon = editor.addNode('spike-monitor', { x: 600, y: 0 });
  editor.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  editor.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' });
  return editor;
}

describe('group commands on the editor', () => {
  it('groups the selection as one undo step, and undo gives the flat graph back', () => {
    const editor = chain();
    const before = editor.doc;
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    const id = groupSelection(editor);
    expect(id).toBe('group1');
    expect(editor.doc.nodes.map((n) => n.id)).toEqual(['poisson1', 'group1', 'mon1']);
    expect(editor.state.past.at(-1)?.label).toBe('Group 1 node');
    expect(editor.state.selection.nodes).toEqual(['group1']);
    editor.undo();
    expect(editor.doc).toEqual(before);
  });

  it('enters a group, edits inside it (one step each), and leaves through the path', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1', 'mon1'], edges: [] });
    groupSelection(editor);
    enterGroup(editor, 'group1');
    expect(editor.state.groupPath).toEqual(['group1']);
    expect(editor.view.nodes.map((n) => n.id)).toEqual(['lif1', 'mon1']);
    editor.setParam('lif1', 'size', 7);
    const g = () => editor.doc.nodes.find((n) => n.id === 'group1') as GroupNode;
    expect(g().nodes[0].params.size).toBe(7);
    // A new node inside gets an id unused anywhere in the document.
    const inner = editor.addNode('lif-curr-exp', { x: 0, y: 200 });
    expect(inner).toBe('lif2');
    expect(g().nodes.map((n) => n.id)).toEqual(['lif1', 'mon1', 'lif2']);
    editor.undo();
    expect(g().nodes.map((n) => n.id)).toEqual(['lif1', 'mon1']);
    leaveTo(editor, 0);
    expect(editor.state.groupPath).toEqual([]);
    expect(editor.view).toBe(editor.doc);
  });

  it('keeps learned weights on their owner wherever it sits, also while a group is open', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1', 'mon1'], edges: [] });
    groupSelection(editor);
    enterGroup(editor, 'group1');
    // e1 (poisson1 → lif1) now crosses into the group: it lives outside, at the top level.
    const w = { pre: new Int32Array([0]), post: new Int32Array([1]), w: new Float32Array([0.5]) };
    expect(editor.storeLearnedWeights([{ edgeId: 'e1', ...w }] as never, 'inline')).toEqual({ stored: ['e1'], missing: [] });
    expect(editor.doc.edges.find((e) => e.id === 'e1')?.weights).toEqual({ pre: [0], post: [1], w: [0.5] });
    expect(editor.forgetStoredWeights()).toEqual(['e1']);
  });

  it('pastes inside a group with ids fresh across the document, and a pasted group gets fresh contents', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    groupSelection(editor);
    // lif2 would be free inside the group, but it is taken outside it.
    editor.addNode('lif-curr-exp', { x: 0, y: 300 });
    enterGroup(editor, 'group1');
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    const inside = editor.duplicateSelection();
    expect(inside).toEqual(['lif3']);
    leaveTo(editor, 0);
    editor.setSelection({ nodes: ['group1'], edges: [] });
    const [copy] = editor.duplicateSelection();
    const g = editor.doc.nodes.find((n) => n.id === copy) as GroupNode;
    expect(g.nodes.map((n) => n.id)).toEqual(['lif1-2', 'lif3-2']);
    expect(validateDocument(editor.doc)).toEqual([]);
  });

  it('exposes an inner port as a new group port from inside, and removes a port with its outside wires, each one step', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    groupSelection(editor);
    enterGroup(editor, 'group1');
    const g = () => editor.doc.nodes.find((n) => n.id === 'group1') as GroupNode;
    expect(g().ports.map((p) => p.id)).toEqual(['lif1-in', 'lif1-spikes']);
    expect(exposePort(editor, 'in', { node: 'lif1', port: 'current' })).toBe('lif1-current');
    expect(g().ports.at(-1)).toEqual({ id: 'lif1-current', label: 'lif1 current / drive', direction: 'in', node: 'lif1', port: 'current' });
    // The same inner port again: no second port.
    expect(exposePort(editor, 'in', { node: 'lif1', port: 'current' })).toBe('lif1-current');
    expect(g().ports).toHaveLength(3);
    expect(exposePort(editor, 'out', { node: 'lif1', port: 'nope' })).toBeNull();
    leaveTo(editor, 0);
    removePort(editor, 'group1', 'lif1-in');
    expect(g().ports.map((p) => p.id)).toEqual(['lif1-spikes', 'lif1-current']);
    expect(editor.doc.edges.map((e) => e.id)).toEqual(['e2']);
    editor.undo();
    expect(editor.doc.edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('reveals a node inside a group (an issue clicked): enters the groups it sits in and selects it', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1', 'mon1'], edges: [] });
    groupSelection(editor);
    editor.setSelection({ nodes: ['group1'], edges: [] });
    groupSelection(editor);
    reveal(editor, { nodeId: 'lif1' });
    expect(editor.state.groupPath).toEqual(['group2', 'group1']);
    expect(editor.state.selection.nodes).toEqual(['lif1']);
    reveal(editor, { edgeId: 'e1' });
    expect(editor.state.groupPath).toEqual([]);
    expect(editor.state.selection.edges).toEqual(['e1']);
  });

  it('leaves a group that an undo removed', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    groupSelection(editor);
    enterGroup(editor, 'group1');
    editor.undo();
    expect(editor.state.groupPath).toEqual([]);
  });

  it('wires into a group port with the projection defaults of the inner port', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1', 'mon1'], edges: [] });
    groupSelection(editor);
    const src2 = editor.addNode('poisson-source', { x: 0, y: 200 });
    const g = editor.doc.nodes.find((n) => n.id === 'group1') as GroupNode;
    const port = g.ports.find((p) => p.direction === 'in')!;
    const r = editor.connect({ node: src2, port: 'spikes' }, { node: 'group1', port: port.id });
    expect(r.ok).toBe(true);
    expect(editor.doc.edges.at(-1)!.params).toMatchObject({ rule: 'all-to-all', receptor: 'exc' });
    // A port that does not exist is refused with the reason.
    const bad = editor.connect({ node: src2, port: 'spikes' }, { node: 'group1', port: 'nope' });
    expect(bad).toEqual({ ok: false, problem: 'Group "Group 1" has no input port "nope".' });
    expect(compileDocument(editor.doc).ok).toBe(true);
  });

  it('renames a port (typing is one step), collapses, expands and ungroups, each undoable', () => {
    const editor = chain();
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    groupSelection(editor);
    const g = () => editor.doc.nodes.find((n) => n.id === 'group1') as GroupNode;
    const portId = g().ports[0].id;
    const steps = editor.state.past.length;
    renamePort(editor, 'group1', portId, 'd', 'k');
    renamePort(editor, 'group1', portId, 'drive', 'k');
    expect(g().ports[0].label).toBe('drive');
    expect(editor.state.past.length).toBe(steps + 1);
    setCollapsed(editor, 'group1', true);
    expect(g().collapsed).toBe(true);
    editor.setSelection({ nodes: ['group1'], edges: [] });
    expect(ungroup(editor)).toBe(true);
    expect(editor.doc.nodes.map((n) => n.id)).toEqual(['poisson1', 'lif1', 'mon1']);
    expect(editor.doc.edges.map((e) => `${e.source.node}→${e.target.node}`)).toEqual(['poisson1→lif1', 'lif1→mon1']);
    editor.undo();
    expect(g().collapsed).toBe(true);
  });

  it('places a motif twice with fresh ids, and the document still compiles', () => {
    const editor = chain();
    const a = placeGroup(editor, MOTIFS[1], { x: 0, y: 400 });
    const b = placeGroup(editor, MOTIFS[1], { x: 300, y: 400 });
    expect(a).not.toBe(b);
    const ga = editor.doc.nodes.find((n) => n.id === a) as GroupNode;
    const gb = editor.doc.nodes.find((n) => n.id === b) as GroupNode;
    expect(ga.nodes.map((n) => n.id)).not.toEqual(gb.nodes.map((n) => n.id));
    expect(compileDocument(editor.doc).ok).toBe(true);
    // Every param is in the document (filled as a load would), so it checks clean as it is.
    expect(validateDocument(editor.doc)).toEqual([]);
    expect(ga.nodes[0].params).toHaveProperty('tau_m_ms');
  });
});

describe('the group library', () => {
  it('saves a group, lists it, and replaces one saved under the same name', () => {
    const mem = new Map<string, string>();
    const storage: LibraryStorage = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) };
    expect(saveToLibrary(MOTIFS[0].group, 'My E/I', storage)).toBeNull();
    expect(saveToLibrary(MOTIFS[1].group, 'My E/I', storage)).toBeNull();
    const list = libraryGroups(storage);
    expect(list.map((g) => [g.name, g.group.nodes.length])).toEqual([['My E/I', 2]]);
  });

  it('says so when the store refuses, and reads a broken store as empty', () => {
    const full: LibraryStorage = {
      getItem: () => '{broken',
      setItem: () => {
        throw new Error('quota exceeded');
      },
    };
    expect(libraryGroups(full)).toEqual([]);
    expect(saveToLibrary(MOTIFS[0].group, 'x', full)).toBe('The group library could not be written (quota exceeded).');
  });
});

describe('quick-add', () => {
  it('offers the motifs, and choosing one places it with fresh ids', async () => {
    const { GROUP_QUICK_ADD_SOURCE } = await import('./quick-add-source.ts');
    const entries = GROUP_QUICK_ADD_SOURCE.entries();
    expect(entries.filter((e) => e.section === 'Motifs').map((e) => e.label)).toEqual(MOTIFS.map((m) => m.name));
    const editor = chain();
    const id = entries.find((e) => e.key === 'motif:wta')!.place(editor, { x: 10, y: 20 });
    expect(editor.doc.nodes.find((n) => n.id === id)).toMatchObject({ kind: 'group', position: { x: 10, y: 20 } });
  });
});

describe('comparing runs of a grouped document', () => {
  it('lists a param changed inside a group, and nothing for the grouping itself', async () => {
    const { diffDocuments } = await import('../history/param-diff.ts');
    const editor = chain();
    const flat = editor.doc;
    editor.setSelection({ nodes: ['lif1'], edges: [] });
    groupSelection(editor);
    expect(diffDocuments(flat, editor.doc)).toEqual([]);
    enterGroup(editor, 'group1');
    editor.setParam('lif1', 'tau_m_ms', 12);
    expect(diffDocuments(flat, editor.doc).map((c) => [c.id, c.field, c.before, c.after])).toEqual([['lif1', 'tau_m_ms', '20', '12']]);
  });
});
