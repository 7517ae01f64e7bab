import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { Editor } from '../store/editor.ts';
import { KIND_SOURCE, allEntries, entriesForInsert, entriesForWire, fuzzyScore, registerQuickAddSource, searchEntries } from './sources.ts';
import { chooseEntry } from './quick-add.ts';

const labels = (q: string) => searchEntries(KIND_SOURCE.entries(), q).map((e) => e.kindId);

describe('quick-add search', () => {
  it('ranks a word-start match above a match inside a word, and letters in order last', () => {
    expect(fuzzyScore('lif', 'LIF (current)')!).toBeGreaterThan(fuzzyScore('lif', 'Adaptive lif')!);
    expect(fuzzyScore('if', 'Adaptive lif')!).toBeGreaterThan(fuzzyScore('plf', 'Poisson lif')!);
    expect(fuzzyScore('xyz', 'LIF')).toBeNull();
    expect(fuzzyScore('pssn src', 'Poisson source')).not.toBeNull();
  });

  it('finds kinds by label, by loose letters, and by id', () => {
    expect(labels('poisson')[0]).toBe('poisson-source');
    expect(labels('spike mon')[0]).toBe('spike-monitor');
    expect(labels('izh')[0]).toBe('izhikevich');
    expect(labels('stdp')).toContain('stdp');
    expect(labels('')).toHaveLength(KIND_SOURCE.entries().length);
    // Letters in order count in a label only, not across a description.
    expect(labels('stdp').slice(0, 3)).toEqual(['stdp', 'triplet-stdp', 'reward-stdp']);
    expect(labels('stdp')).not.toContain('poisson-source');
  });

  it('lists entries of a registered source (saved groups, motifs) beside the kinds, until it is removed', () => {
    const placed: string[] = [];
    const remove = registerQuickAddSource({
      id: 'motifs',
      entries: () => [{ key: 'motif:wta', label: 'Winner-take-all', detail: 'A motif', section: 'Motifs', place: () => (placed.push('wta'), null) }],
    });
    expect(searchEntries(allEntries(), 'winner')[0].key).toBe('motif:wta');
    remove();
    expect(allEntries().some((e) => e.key === 'motif:wta')).toBe(false);
  });
});

describe('quick-add from a dropped wire', () => {
  it('offers only kinds with a port that takes the wire, and wires the one chosen', () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('poisson-source', { x: 0, y: 0 });
    const end = { node: 'poisson1', port: 'spikes', side: 'source' as const };
    const kinds = entriesForWire(allEntries(), ed.doc, end).map((e) => e.kindId);
    expect(kinds).toContain('lif-curr-exp');
    expect(kinds).toContain('spike-monitor');
    expect(kinds).toContain('stdp');
    // A source has no input: nothing can take a wire out of a Poisson source into it.
    expect(kinds).not.toContain('poisson-source');
    expect(kinds).not.toContain('dc-current');
    const lif = entriesForWire(allEntries(), ed.doc, end).find((e) => e.kindId === 'lif-curr-exp')!;
    const id = chooseEntry(ed, lif, { screen: { x: 0, y: 0 }, at: { x: 400, y: 100 }, wire: end });
    expect(id).toBe('lif1');
    expect(ed.doc.edges.map((e) => `${e.source.node}.${e.source.port}->${e.target.node}.${e.target.port}`)).toEqual(['poisson1.spikes->lif1.in']);
    expect(ed.doc.nodes[1].position).toEqual({ x: 400, y: 80 });
  });

  it('from an input, offers kinds whose outputs feed it', () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('spike-monitor', { x: 0, y: 0 });
    const kinds = entriesForWire(allEntries(), ed.doc, { node: 'mon1', port: 'spikes', side: 'target' }).map((e) => e.kindId);
    expect(kinds).toContain('poisson-source');
    expect(kinds).toContain('lif-curr-exp');
    expect(kinds).not.toContain('spike-monitor');
  });

  it('inserts a chosen node on a wire: source → new → target, in one undo step', () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('poisson-source', { x: 0, y: 0 });
    ed.addNode('spike-monitor', { x: 600, y: 0 });
    ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'mon1', port: 'spikes' });
    const kinds = entriesForInsert(allEntries(), ed.doc, 'e1').map((e) => e.kindId);
    expect(kinds).toContain('lif-curr-exp');
    expect(kinds).not.toContain('rate-monitor');
    const steps = ed.state.past.length;
    const id = ed.insertOnWire('e1', 'lif-curr-exp', { x: 300, y: 0 });
    expect(ed.doc.edges.map((e) => `${e.source.node}->${e.target.node}`)).toEqual([`poisson1->${id}`, `${id}->mon1`]);
    expect(ed.state.past.length).toBe(steps + 1);
    ed.undo();
    expect(ed.doc.edges.map((e) => e.id)).toEqual(['e1']);
  });
});

describe('node and wire commands of the context menus', () => {
  function net() {
    const ed = new Editor(newDocument('N'));
    ed.addNode('poisson-source', { x: 0, y: 0 });
    ed.addNode('lif-curr-exp', { x: 300, y: 0 });
    ed.addNode('lif-curr-exp', { x: 600, y: 0 });
    ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif1', port: 'in' });
    ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'lif2', port: 'in' });
    return ed;
  }

  it('disconnects every wire of a node in one step', () => {
    const ed = net();
    expect(ed.disconnect(['lif1'])).toBe(2);
    expect(ed.doc.edges).toEqual([]);
    ed.undo();
    expect(ed.doc.edges).toHaveLength(2);
  });

  it('resets parameters to the kind defaults', () => {
    const ed = net();
    const original = structuredClone(ed.doc.nodes[1].params);
    ed.setParam('lif1', 'tau_m_ms', 33);
    ed.setParam('lif1', 'size', 5);
    expect(ed.resetParams(['lif1'])).toBe(true);
    expect(ed.doc.nodes[1].params).toEqual(original);
    expect(ed.resetParams(['lif1'])).toBe(false);
  });

  it('reverses a population-to-population wire, and refuses a source-to-population one', () => {
    const ed = net();
    expect(ed.reverseProblem('e2')).toBeNull();
    expect(ed.reverseWire('e2')).toBe(true);
    expect(ed.doc.edges[1]).toMatchObject({ source: { node: 'lif2', port: 'spikes' }, target: { node: 'lif1', port: 'in' } });
    expect(ed.reverseProblem('e1')).not.toBeNull();
    expect(ed.reverseWire('e1')).toBe(false);
    expect(ed.state.notice?.text).toMatch(/^Cannot reverse e1: /);
  });
});
