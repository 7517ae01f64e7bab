import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newDocument } from '../../engine/format/load.ts';
import { PROJECTION_PARAMS, defaultParams, getKind } from '../../engine/kinds/index.ts';
import { Editor, HISTORY_LIMIT, selectCanRedo, selectCanUndo, selectDirty } from './editor.ts';

const FIXED = { clock: () => new Date('2026-01-01T00:00:00Z') };

function fresh(): Editor {
  return new Editor(newDocument('Test', FIXED));
}

/** Poisson → LIF → monitor, wired; returns the ids. */
function buildChain(ed: Editor) {
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  const mon = ed.addNode('spike-monitor', { x: 600, y: 0 });
  const proj = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  const obs = ed.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' });
  if (!proj.ok || !obs.ok) throw new Error('chain did not wire');
  return { src, lif, mon, proj: proj.edgeId, obs: obs.edgeId };
}

/** A deep, plain copy to compare documents by value. */
const snap = (ed: Editor) => JSON.parse(JSON.stringify(ed.doc)) as unknown;

describe('Editor: adding nodes', () => {
  it('gives each new node a readable unique id from its kind, default params, and selects it', () => {
    const ed = fresh();
    const a = ed.addNode('poisson-source', { x: 10.4, y: 20.6 });
    const b = ed.addNode('poisson-source', { x: 0, y: 0 });
    const l = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    const m = ed.addNode('spike-monitor', { x: 0, y: 0 });
    expect([a, b, l, m]).toEqual(['poisson1', 'poisson2', 'lif1', 'mon1']);
    const node = ed.doc.nodes[0];
    expect(node.position).toEqual({ x: 10, y: 21 });
    expect(node.params).toEqual(defaultParams(getKind('poisson-source')!.params));
    expect(ed.state.selection).toEqual({ nodes: ['mon1'], edges: [] });
  });

  it('records one named history entry per added node', () => {
    const ed = fresh();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    expect(ed.state.past.map((e) => e.label)).toEqual(['Add LIF (current, exp. synapses)']);
  });

  it('refuses an unknown kind without touching the document', () => {
    const ed = fresh();
    const before = ed.doc;
    expect(() => ed.addNode('no-such-kind', { x: 0, y: 0 })).toThrow(/Unknown node kind "no-such-kind"/);
    expect(ed.doc).toBe(before);
    expect(ed.state.past).toHaveLength(0);
  });
});

describe('Editor: wiring', () => {
  it('creates a projection with the default projection params and an observe wire with none', () => {
    const ed = fresh();
    const { proj, obs } = buildChain(ed);
    const p = ed.doc.edges.find((e) => e.id === proj)!;
    const o = ed.doc.edges.find((e) => e.id === obs)!;
    expect(p.params).toEqual(defaultParams(PROJECTION_PARAMS));
    expect(p.source).toEqual({ node: 'poisson1', port: 'spikes' });
    expect(p.target).toEqual({ node: 'lif1', port: 'in' });
    expect(o.params).toEqual({});
    expect([proj, obs]).toEqual(['e1', 'e2']);
  });

  it('refuses a wire that makes no sense, says why, and leaves document and history alone', () => {
    const ed = fresh();
    const { lif, src } = buildChain(ed);
    const before = ed.doc;
    const entries = ed.state.past.length;
    // A spikes output cannot feed the current input.
    const r = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'current' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/spikes.*current/);
    expect(ed.doc).toBe(before);
    expect(ed.state.past).toHaveLength(entries);
    expect(ed.state.notice?.level).toBe('error');
    expect(ed.state.notice?.text).toMatch(/^Cannot connect: /);
  });

  it('gives a second projection between the same ports the free receptor, and refuses a third', () => {
    const ed = fresh();
    const { src, lif, proj } = buildChain(ed);
    const second = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
    expect(second.ok).toBe(true);
    const receptors = ed.doc.edges.filter((e) => e.target.node === lif).map((e) => e.params.receptor);
    expect(ed.doc.edges.find((e) => e.id === proj)!.params.receptor).toBe('exc');
    expect(receptors.sort()).toEqual(['exc', 'inh']);
    const third = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
    expect(third.ok).toBe(false);
    expect(ed.doc.edges).toHaveLength(3);
  });

  it('refuses a second identical observing wire', () => {
    const ed = fresh();
    const { lif, mon } = buildChain(ed);
    expect(ed.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' }).ok).toBe(false);
    expect(ed.doc.edges).toHaveLength(2);
  });
});

describe('Editor: editing params', () => {
  it('stores an out-of-range value as typed (the document keeps it) and undo restores the old one', () => {
    const ed = fresh();
    const lif = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.setParam(lif, 'tau_m_ms', -5);
    expect(ed.doc.nodes[0].params.tau_m_ms).toBe(-5);
    ed.undo();
    expect(ed.doc.nodes[0].params.tau_m_ms).toBe(20);
  });

  it('merges edits with the same merge key into one entry, and not across keys', () => {
    const ed = fresh();
    const lif = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    for (const v of [2, 25, 250]) ed.setParam(lif, 'size', v, { mergeKey: 'lif1.size#1' });
    expect(ed.state.past).toHaveLength(2);
    ed.setParam(lif, 'size', 251, { mergeKey: 'lif1.size#2' });
    expect(ed.state.past).toHaveLength(3);
    ed.undo();
    expect(ed.doc.nodes[0].params.size).toBe(250);
    ed.undo();
    expect(ed.doc.nodes[0].params.size).toBe(100);
  });

  it('stops merging once the history is sealed (the field lost focus)', () => {
    const ed = fresh();
    const lif = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.setParam(lif, 'size', 5, { mergeKey: 'k' });
    ed.sealHistory();
    ed.setParam(lif, 'size', 6, { mergeKey: 'k' });
    expect(ed.state.past).toHaveLength(3);
  });

  it('does not record an edit that changes nothing', () => {
    const ed = fresh();
    const lif = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.setParam(lif, 'size', 100);
    expect(ed.state.past).toHaveLength(1);
  });

  it('keeps one value per field when typing merges, so a long text typed key by key is stored once', () => {
    const ed = fresh();
    const enc = ed.addNode('rate-encoder', { x: 0, y: 0 });
    const typed = '0,0.5,1\n1,0.25,0.75';
    for (let i = 1; i <= typed.length; i++) ed.setParam(enc, 'custom_data', typed.slice(0, i), { mergeKey: 'enc.custom_data#1' });
    const top = ed.state.past[ed.state.past.length - 1];
    expect(top.patches).toHaveLength(1);
    expect(top.inversePatches).toHaveLength(1);
    expect(ed.doc.nodes[0].params.custom_data).toBe(typed);
    ed.undo();
    expect(ed.doc.nodes[0].params.custom_data).toBe('');
    ed.redo();
    expect(ed.doc.nodes[0].params.custom_data).toBe(typed);
  });

  it('sets several params as one named entry, and one undo restores them all', () => {
    const ed = fresh();
    const gen = ed.addNode('spike-generator', { x: 0, y: 0 });
    const before = snap(ed);
    expect(ed.setParams(gen, { neurons: [0, 3, 1], times_ms: [5, 6, 7], size: 4 }, 'Import spikes.csv into gen1')).toBe(true);
    expect(ed.doc.nodes[0].params).toMatchObject({ neurons: [0, 3, 1], times_ms: [5, 6, 7], size: 4 });
    expect(ed.state.past.map((e) => e.label)).toEqual(['Add Spike generator', 'Import spikes.csv into gen1']);
    ed.undo();
    expect(snap(ed)).toEqual(before);
    expect(ed.setParams('nope', { size: 2 }, 'x')).toBe(false);
  });

  it('copies object values, so later mutation of the caller’s object cannot reach the document', () => {
    const ed = fresh();
    const { proj } = buildChain(ed);
    const w = { dist: 'uniform', low: 0, high: 2 };
    ed.setEdgeParam(proj, 'weight', w);
    w.high = 99;
    expect(ed.doc.edges[0].params.weight).toEqual({ dist: 'uniform', low: 0, high: 2 });
  });
});

describe('Editor: moving', () => {
  it('records a whole drag as one history entry whose undo restores the start positions', () => {
    const ed = fresh();
    const a = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    const b = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
    const entries = ed.state.past.length;
    for (let i = 1; i <= 20; i++) ed.dragNodes({ [a]: { x: i * 5, y: i * 2 }, [b]: { x: 300 + i * 5, y: i * 2 } });
    expect(ed.state.past).toHaveLength(entries); // nothing recorded mid-drag
    expect(ed.doc.nodes[0].position).toEqual({ x: 100, y: 40 }); // but shown live
    ed.endDrag();
    expect(ed.state.past).toHaveLength(entries + 1);
    expect(ed.state.past.at(-1)!.label).toBe('Move 2 nodes');
    ed.undo();
    expect(ed.doc.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 300, y: 0 },
    ]);
    ed.redo();
    expect(ed.doc.nodes.map((n) => n.position)).toEqual([
      { x: 100, y: 40 },
      { x: 400, y: 40 },
    ]);
  });

  it('records nothing for a drag that ends where it started (a click)', () => {
    const ed = fresh();
    const a = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.dragNodes({ [a]: { x: 30, y: 30 } });
    ed.dragNodes({ [a]: { x: 0, y: 0 } });
    ed.endDrag();
    expect(ed.state.past).toHaveLength(1);
    expect(ed.dirty).toBe(true); // the add itself
  });
});

describe('Editor: deleting', () => {
  it('removes a node with every wire attached to it, as one entry, and undo brings all back in order', () => {
    const ed = fresh();
    const { lif } = buildChain(ed);
    const before = snap(ed);
    ed.setSelection({ nodes: [lif], edges: [] });
    ed.deleteSelection();
    expect(ed.doc.nodes.map((n) => n.id)).toEqual(['poisson1', 'mon1']);
    expect(ed.doc.edges).toEqual([]);
    expect(ed.state.past.at(-1)!.label).toBe('Delete 1 node and 2 wires');
    expect(ed.state.selection).toEqual({ nodes: [], edges: [] });
    ed.undo();
    expect(snap(ed)).toEqual(before);
  });

  it('deletes a selected wire alone', () => {
    const ed = fresh();
    const { proj } = buildChain(ed);
    ed.setSelection({ nodes: [], edges: [proj] });
    ed.deleteSelection();
    expect(ed.doc.edges.map((e) => e.id)).toEqual(['e2']);
    expect(ed.doc.nodes).toHaveLength(3);
  });

  it('does nothing with an empty selection', () => {
    const ed = fresh();
    buildChain(ed);
    const n = ed.state.past.length;
    ed.setSelection({ nodes: [], edges: [] });
    ed.deleteSelection();
    expect(ed.state.past).toHaveLength(n);
  });
});

describe('Editor: undo and redo', () => {
  it('restores exact documents step by step in both directions', () => {
    const ed = fresh();
    const states: unknown[] = [snap(ed)];
    const src = ed.addNode('poisson-source', { x: 0, y: 0 });
    states.push(snap(ed));
    const lif = ed.addNode('lif-curr-exp', { x: 200, y: 0 });
    states.push(snap(ed));
    ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
    states.push(snap(ed));
    ed.setEdgeParam('e1', 'receptor', 'inh');
    states.push(snap(ed));
    ed.setSimulation('duration_ms', 250);
    states.push(snap(ed));
    ed.deleteElements([src]);
    states.push(snap(ed));
    for (let i = states.length - 2; i >= 0; i--) {
      ed.undo();
      expect(snap(ed)).toEqual(states[i]);
    }
    expect(selectCanUndo(ed.state)).toBe(false);
    expect(ed.undo()).toBeNull();
    for (let i = 1; i < states.length; i++) {
      ed.redo();
      expect(snap(ed)).toEqual(states[i]);
    }
    expect(selectCanRedo(ed.state)).toBe(false);
  });

  it('drops the redo branch when a new edit is made after undo', () => {
    const ed = fresh();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.undo();
    expect(selectCanRedo(ed.state)).toBe(true);
    ed.addNode('poisson-source', { x: 0, y: 0 });
    expect(selectCanRedo(ed.state)).toBe(false);
    expect(ed.doc.nodes.map((n) => n.id)).toEqual(['lif1', 'poisson1']);
  });

  it('forgets the oldest steps past the history limit', () => {
    const ed = fresh();
    const lif = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) ed.setParam(lif, 'size', i + 1);
    expect(ed.state.past).toHaveLength(HISTORY_LIMIT);
  });

  it('round-trips any sequence of commands: undo all gives the start, redo all the end', () => {
    const command = fc.oneof(
      fc.record({ op: fc.constant('add' as const), kind: fc.constantFrom('poisson-source', 'lif-curr-exp', 'spike-monitor', 'dc-current'), x: fc.integer({ min: -500, max: 500 }) }),
      fc.record({ op: fc.constant('connect' as const), a: fc.nat(20), b: fc.nat(20) }),
      fc.record({ op: fc.constant('param' as const), a: fc.nat(20), v: fc.integer({ min: -10, max: 1000 }) }),
      fc.record({ op: fc.constant('move' as const), a: fc.nat(20), x: fc.integer({ min: -500, max: 500 }) }),
      fc.record({ op: fc.constant('delete' as const), a: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (cmds) => {
        const ed = fresh();
        const start = snap(ed);
        const pick = (i: number) => ed.doc.nodes[i % Math.max(1, ed.doc.nodes.length)];
        for (const c of cmds) {
          if (c.op === 'add') ed.addNode(c.kind, { x: c.x, y: 0 });
          else if (ed.doc.nodes.length === 0) continue;
          else if (c.op === 'connect') {
            const s = pick(c.a);
            const t = pick(c.b);
            const out = getKind(s.kind)!.outputs[0];
            const inp = getKind(t.kind)!.inputs[0];
            if (out && inp) ed.connect({ node: s.id, port: out.id }, { node: t.id, port: inp.id });
          } else if (c.op === 'param') {
            const n = pick(c.a);
            const name = Object.keys(getKind(n.kind)!.params)[0];
            if (name) ed.setParam(n.id, name, c.v);
          } else if (c.op === 'move') {
            const n = pick(c.a);
            ed.dragNodes({ [n.id]: { x: c.x, y: c.x } });
            ed.endDrag();
          } else ed.deleteElements([pick(c.a).id]);
        }
        const end = snap(ed);
        while (ed.undo() !== null);
        expect(snap(ed)).toEqual(start);
        while (ed.redo() !== null);
        expect(snap(ed)).toEqual(end);
      }),
      { seed: 20260101, numRuns: 150 },
    );
  });
});

describe('Editor: dirty flag', () => {
  it('is clean at first, dirty after an edit, clean after save, dirty after undo past the save and clean again on redo', () => {
    const ed = fresh();
    expect(ed.dirty).toBe(false);
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    expect(ed.dirty).toBe(true);
    ed.markSaved({ path: '/tmp/a.spikeflow.json', fileName: 'a.spikeflow.json' });
    expect(selectDirty(ed.state)).toBe(false);
    expect(ed.state.file.path).toBe('/tmp/a.spikeflow.json');
    ed.undo();
    expect(ed.dirty).toBe(true);
    ed.redo();
    expect(ed.dirty).toBe(false);
  });

  it('is dirty again when an edit merges into the entry that was saved', () => {
    const ed = fresh();
    const lif = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.setParam(lif, 'size', 5, { mergeKey: 'k' });
    ed.markSaved();
    ed.setParam(lif, 'size', 50, { mergeKey: 'k' });
    expect(ed.dirty).toBe(true);
    expect(ed.state.past).toHaveLength(2);
  });

  it('stays dirty when the saved state was on a redo branch that a new edit discarded', () => {
    const ed = fresh();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.markSaved();
    ed.undo();
    ed.addNode('poisson-source', { x: 0, y: 0 });
    ed.undo();
    // Back to the empty document, which is not what was saved.
    expect(ed.dirty).toBe(true);
  });

  it('does not count drag positions shown live as a change until the drag is recorded', () => {
    const ed = fresh();
    const a = ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.markSaved();
    ed.dragNodes({ [a]: { x: 50, y: 0 } });
    expect(ed.dirty).toBe(false);
    ed.endDrag();
    expect(ed.dirty).toBe(true);
  });
});

describe('Editor: loading and unrecorded updates', () => {
  it('loads a document without recording it: history is empty and the document clean', () => {
    const ed = fresh();
    buildChain(ed);
    const other = newDocument('Other', FIXED);
    const epoch = ed.state.docEpoch;
    ed.load(other, { path: '/x/o.spikeflow.json', fileName: 'o.spikeflow.json' });
    expect(ed.doc).toBe(other);
    expect(ed.state.past).toHaveLength(0);
    expect(ed.state.future).toHaveLength(0);
    expect(ed.dirty).toBe(false);
    expect(ed.state.docEpoch).toBe(epoch + 1);
    expect(ed.state.selection).toEqual({ nodes: [], edges: [] });
    expect(ed.state.file.fileName).toBe('o.spikeflow.json');
  });

  it('applies engine updates without a history entry', () => {
    const ed = fresh();
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.applyUnrecorded((d) => {
      d.meta.modified = '2030-01-01T00:00:00.000Z';
    });
    expect(ed.doc.meta.modified).toBe('2030-01-01T00:00:00.000Z');
    expect(ed.state.past).toHaveLength(1);
  });

  it('keeps selection out of the document and prunes it when its targets disappear', () => {
    const ed = fresh();
    const { lif } = buildChain(ed);
    ed.setSelection({ nodes: [lif], edges: ['e1'] });
    expect(JSON.stringify(ed.doc)).not.toContain('selected');
    ed.undo(); // removes e2 (the observe wire): the selection keeps lif1 and e1
    expect(ed.state.selection).toEqual({ nodes: [lif], edges: ['e1'] });
    ed.undo(); // removes e1
    expect(ed.state.selection).toEqual({ nodes: [lif], edges: [] });
  });
});

describe('wiring a plasticity node', () => {
  it('gives the wire out of an STDP node no params of its own (the node holds them)', () => {
    const ed = new Editor();
    const pre = ed.addNode('poisson-source', { x: 0, y: 0 });
    const rule = ed.addNode('stdp', { x: 100, y: 0 });
    const post = ed.addNode('lif-curr-exp', { x: 200, y: 0 });
    expect(ed.connect({ node: pre, port: 'spikes' }, { node: rule, port: 'pre' }).ok).toBe(true);
    expect(ed.connect({ node: rule, port: 'post' }, { node: post, port: 'in' }).ok).toBe(true);
    const out = ed.doc.edges.find((e) => e.source.node === rule)!;
    expect(out.params).toEqual({});
  });
});
