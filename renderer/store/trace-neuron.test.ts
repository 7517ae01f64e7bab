import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import { Editor } from './editor.ts';

function withLif(): { ed: Editor; lif: string; src: string } {
  const ed = new Editor(newDocument('Test', { clock: () => new Date('2026-01-01T00:00:00Z') }));
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  return { ed, lif, src };
}

describe('Editor: tracing a chosen neuron', () => {
  it('adds a state monitor of v wired to the population, as one undo step that compiles', () => {
    const { ed, lif } = withLif();
    const before = ed.state.past.length;
    const id = ed.traceNeuron(lif, 17)!;
    const mon = ed.doc.nodes.find((n) => n.id === id)!;
    expect(mon.kind).toBe('state-monitor');
    expect(mon.params.variable).toBe('v');
    expect(mon.params.neurons).toEqual([17]);
    expect(ed.doc.edges.some((e) => e.source.node === lif && e.target.node === id)).toBe(true);
    expect(ed.state.past.length).toBe(before + 1);
    expect(ed.state.selection.nodes).toEqual([id]);
    expect(compileDocument(ed.doc).ok).toBe(true);
    ed.undo();
    expect(ed.doc.nodes.some((n) => n.id === id)).toBe(false);
    expect(ed.doc.edges.some((e) => e.target.node === id)).toBe(false);
  });

  it('adds the neuron to a state monitor already recording the population, once', () => {
    const { ed, lif } = withLif();
    const id = ed.traceNeuron(lif, 3)!;
    expect(ed.traceNeuron(lif, 9)).toBe(id);
    expect(ed.doc.nodes.find((n) => n.id === id)!.params.neurons).toEqual([3, 9]);
    const entries = ed.state.past.length;
    expect(ed.traceNeuron(lif, 9)).toBe(id);
    expect(ed.state.past.length).toBe(entries);
    expect(ed.doc.nodes.filter((n) => n.kind === 'state-monitor')).toHaveLength(1);
  });

  it('refuses a population without state (a Poisson source) and says why', () => {
    const { ed, src } = withLif();
    expect(ed.traceNeuron(src, 1)).toBeNull();
    expect(ed.state.notice?.text).toMatch(/no state variable/);
    expect(ed.doc.nodes.some((n) => n.kind === 'state-monitor')).toBe(false);
  });
});
