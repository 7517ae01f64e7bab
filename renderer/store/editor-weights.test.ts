import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { Editor, selectDirty } from './editor.ts';

/** Poisson → STDP → LIF, wired by the editor; returns the ids. */
function plastic(): { ed: Editor; stdp: string; post: string } {
  const ed = new Editor(newDocument('Test', { clock: () => new Date('2026-01-01T00:00:00Z') }));
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const stdp = ed.addNode('stdp', { x: 300, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 600, y: 0 });
  const pre = ed.connect({ node: src, port: 'spikes' }, { node: stdp, port: 'pre' });
  const post = ed.connect({ node: stdp, port: 'post' }, { node: lif, port: 'in' });
  if (!pre.ok || !post.ok) throw new Error('did not wire');
  ed.markSaved();
  return { ed, stdp, post: post.edgeId };
}

describe('Editor: learned weights', () => {
  it('keeps learned weights on the plasticity node as one undoable step that makes the document dirty', () => {
    const { ed, stdp, post } = plastic();
    const r = ed.storeLearnedWeights([{ nodeId: stdp, edgeId: post, pre: Int32Array.from([0, 1]), post: Int32Array.from([0, 0]), w: Float64Array.from([0.25, 0.5]) }], 'inline');
    expect(r).toEqual({ stored: [stdp], missing: [] });
    expect(ed.doc.nodes.find((n) => n.id === stdp)!.weights).toEqual({ pre: [0, 1], post: [0, 0], w: [0.25, 0.5] });
    expect(selectDirty(ed.state)).toBe(true);
    expect(ed.undo()).toBe('Keep learned weights in the document');
    expect(
      Object.hasOwn(
        ed.doc.nodes.find((n) => n.id === stdp)!,
        'weights',
      ),
    ).toBe(false);
    expect(selectDirty(ed.state)).toBe(false);
  });

  it('references a side file, and forgets stored weights as another step', () => {
    const { ed, stdp, post } = plastic();
    ed.storeLearnedWeights([{ nodeId: stdp, edgeId: post, pre: [0], post: [0], w: [1] }], { file: 'net.weights.json' });
    expect(ed.doc.nodes.find((n) => n.id === stdp)!.weights).toEqual({ file: 'net.weights.json' });
    expect(ed.forgetStoredWeights()).toEqual([stdp]);
    expect(ed.doc.nodes.find((n) => n.id === stdp)!.weights).toBeUndefined();
    expect(ed.undo()).toBe('Forget stored weights');
    expect(ed.doc.nodes.find((n) => n.id === stdp)!.weights).toEqual({ file: 'net.weights.json' });
  });
});
