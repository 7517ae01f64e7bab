import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { Editor } from './editor.ts';
import { copyFragment, fragmentText, parseFragment, placeFragment } from './clipboard.ts';
import { estimateSize, overlaps, rectOf } from '../layout/placement.ts';

/** poisson1 → lif1 → mon1, and lif1 → lif2 (a recurrent-looking chain). */
function chain() {
  const ed = new Editor(newDocument('Net'));
  ed.addNode('poisson-source', { x: 0, y: 0 });
  ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  ed.addNode('spike-monitor', { x: 600, y: 0 });
  ed.addNode('lif-curr-exp', { x: 300, y: 200 });
  expect(ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif1', port: 'in' }).ok).toBe(true);
  expect(ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'mon1', port: 'spikes' }).ok).toBe(true);
  expect(ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'lif2', port: 'in' }).ok).toBe(true);
  return ed;
}

describe('the clipboard', () => {
  it('copies the selected nodes with the wires between them only', () => {
    const ed = chain();
    const f = copyFragment(ed.doc, ['poisson1', 'lif1']);
    expect(f.nodes.map((n) => n.id)).toEqual(['poisson1', 'lif1']);
    expect(f.edges.map((e) => `${e.source.node}->${e.target.node}`)).toEqual(['poisson1->lif1']);
  });

  it('pastes with fresh ids at the given point, the wire rewired to the copies, as one undo step', () => {
    const ed = chain();
    ed.setParam('lif1', 'size', 77);
    ed.setSelection({ nodes: ['poisson1', 'lif1'], edges: [] });
    const fragment = parseFragment(fragmentText(ed.copySelection()!));
    expect(fragment.ok).toBe(true);
    const before = ed.state.past.length;
    const edgesBefore = ed.doc.edges.length;
    const ids = ed.paste(fragment.ok ? fragment.fragment : { nodes: [], edges: [] }, { x: 1000, y: 500 });
    expect(ids).toEqual(['poisson2', 'lif3']);
    const p2 = ed.doc.nodes.find((n) => n.id === 'poisson2')!;
    const l3 = ed.doc.nodes.find((n) => n.id === 'lif3')!;
    // The fragment's top-left corner (0, 0) lands at the point; relative offsets kept.
    expect(p2.position).toEqual({ x: 1000, y: 500 });
    expect(l3.position).toEqual({ x: 1300, y: 500 });
    expect(l3.params.size).toBe(77);
    expect(l3.label).toBe('lif3');
    const added = ed.doc.edges.slice(edgesBefore);
    expect(added.map((e) => `${e.source.node}->${e.target.node}`)).toEqual(['poisson2->lif3']);
    expect(ed.state.past.length).toBe(before + 1);
    expect(ed.state.past[ed.state.past.length - 1].label).toBe('Paste 2 nodes');
    expect(ed.state.selection.nodes).toEqual(['poisson2', 'lif3']);
    ed.undo();
    expect(ed.doc.nodes.map((n) => n.id)).toEqual(['poisson1', 'lif1', 'mon1', 'lif2']);
  });

  it('pastes between two documents', () => {
    const a = chain();
    a.setSelection({ nodes: ['lif1', 'mon1'], edges: [] });
    const text = fragmentText(a.copySelection()!);
    const b = new Editor(newDocument('Other'));
    const parsed = parseFragment(text);
    if (!parsed.ok) throw new Error(parsed.message);
    b.paste(parsed.fragment, { x: 0, y: 0 });
    expect(b.doc.nodes.map((n) => n.id)).toEqual(['lif1', 'mon1']);
    expect(b.doc.edges.map((e) => `${e.source.node}->${e.target.node}`)).toEqual(['lif1->mon1']);
  });

  it('drops wires that would dangle from hand-written text', () => {
    const text = JSON.stringify({
      nodes: [{ id: 'a', kind: 'lif-curr-exp', position: { x: 0, y: 0 }, params: {} }],
      edges: [{ id: 'e1', source: { node: 'gone', port: 'spikes' }, target: { node: 'a', port: 'in' }, params: {} }],
    });
    const parsed = parseFragment(text);
    expect(parsed.ok && parsed.fragment.edges).toEqual([]);
    // Defaults are filled, as when a file is opened.
    expect(parsed.ok && parsed.fragment.nodes[0].params.tau_m_ms).toBeTypeOf('number');
  });

  it('accepts a whole graph document', () => {
    const ed = chain();
    const parsed = parseFragment(JSON.stringify(ed.doc));
    expect(parsed.ok && parsed.fragment.nodes.length).toBe(4);
    expect(parsed.ok && parsed.fragment.edges.length).toBe(3);
  });

  it('refuses text that is not nodes with a message, and names a bad node and field', () => {
    expect(parseFragment('hello world')).toEqual({ ok: false, message: 'The clipboard does not hold Spikeflow nodes: it is not JSON ("hello world").' });
    expect(parseFragment('{"a": 1}')).toMatchObject({ ok: false, message: expect.stringMatching(/no "nodes" list/) });
    expect(parseFragment('{"format": "excalidraw", "nodes": []}')).toMatchObject({ ok: false, message: expect.stringMatching(/"excalidraw"/) });
    const unknown = parseFragment(JSON.stringify({ nodes: [{ id: 'x', kind: 'no-such-kind', position: { x: 0, y: 0 }, params: {} }] }));
    expect(unknown).toMatchObject({ ok: false, message: expect.stringMatching(/^Nothing pasted: .*no-such-kind/) });
  });

  it('pastes a value that parses but is invalid, marked as when a file with it is opened', () => {
    const parsed = parseFragment(JSON.stringify({ nodes: [{ id: 'x', kind: 'lif-curr-exp', position: { x: 0, y: 0 }, params: { tau_m_ms: -5 } }] }));
    expect(parsed.ok && parsed.fragment.nodes[0].params.tau_m_ms).toBe(-5);
  });

  it('duplicates the selection beside itself, clear of every node, keeping its shape', () => {
    const ed = chain();
    ed.setSelection({ nodes: ['lif1', 'mon1'], edges: [] });
    expect(ed.duplicateSelection()).toEqual(['lif3', 'mon2']);
    const at = (id: string) => ed.doc.nodes.find((n) => n.id === id)!.position;
    expect(at('mon2').x - at('lif3').x).toBe(300);
    expect(at('mon2').y).toBe(at('lif3').y);
    const rects = ed.doc.nodes.map((n) => rectOf(n, estimateSize));
    for (const id of ['lif3', 'mon2']) {
      const r = rectOf(
        ed.doc.nodes.find((n) => n.id === id)!,
        estimateSize,
      );
      expect(rects.filter((o) => overlaps(o, r, 0))).toHaveLength(1);
    }
    expect(ed.state.past[ed.state.past.length - 1].label).toBe('Duplicate 2 nodes');
  });

  it('leaves out a pasted wire that the document refuses there', () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.addNode('state-monitor', { x: 300, y: 0 });
    const fragment = copyFragment(ed.doc, ['lif1', 'mon1']);
    const placed = placeFragment(ed.doc, { ...fragment, edges: [{ id: 'e9', source: { node: 'lif1', port: 'spikes' }, target: { node: 'lif1', port: 'nope' }, params: {} }] }, { x: 0, y: 0 });
    expect(placed.nodes).toHaveLength(2);
    expect(placed.edges).toEqual([]);
    expect(placed.refused).toBe(1);
  });

  it('selects everything', () => {
    const ed = chain();
    ed.selectAll();
    expect(ed.state.selection.nodes).toHaveLength(4);
    expect(ed.state.selection.edges).toHaveLength(3);
  });
});
