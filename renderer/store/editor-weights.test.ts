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

  it('writes learnt time constants into their populations with the weights, in the same undo step; params the kind lacks and unknown nodes are left alone', () => {
    const { ed, stdp, post } = plastic();
    const lif = ed.doc.nodes.find((n) => n.kind === 'lif-curr-exp')!.id;
    const tauBefore = ed.doc.nodes.find((n) => n.id === lif)!.params.tau_m_ms;
    ed.storeLearnedWeights([{ nodeId: stdp, edgeId: post, pre: [0], post: [0], w: [1] }], 'inline', [
      { nodeId: lif, params: { tau_m_ms: 12.5, tau_syn_exc_ms: 4.25, tau_w_ms: 80 } },
      { nodeId: 'gone', params: { tau_m_ms: 3 } },
    ]);
    const params = ed.doc.nodes.find((n) => n.id === lif)!.params;
    expect(params.tau_m_ms).toBe(12.5);
    expect(params.tau_syn_exc_ms).toBe(4.25);
    expect(Object.hasOwn(params, 'tau_w_ms')).toBe(false);
    expect(ed.undo()).toBe('Keep learned weights in the document');
    expect(ed.doc.nodes.find((n) => n.id === lif)!.params.tau_m_ms).toBe(tauBefore);
  });
});
