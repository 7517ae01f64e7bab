import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import { encodeNpy, encodeNpz } from '../../engine/format/npz.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import { groupSelection } from '../groups/commands.ts';
import { Editor, selectDirty } from './editor.ts';
import { clearWireWeights, loadWireWeights, readWireWeights, wireEnds } from './wire-weights.ts';

/** A 4-channel spike generator → a 3-neuron LIF (delta synapses, mV), wired by the editor. */
function wired(kind = 'lif-delta'): { ed: Editor; gen: string; lif: string; wire: string } {
  const ed = new Editor(newDocument('Test', { clock: () => new Date('2026-01-01T00:00:00Z') }));
  const gen = ed.addNode('spike-generator', { x: 0, y: 0 });
  const lif = ed.addNode(kind, { x: 400, y: 0 });
  ed.setParam(gen, 'size', 4);
  ed.setParam(lif, 'size', 3);
  const c = ed.connect({ node: gen, port: 'spikes' }, { node: lif, port: 'in' });
  if (!c.ok) throw new Error('did not wire');
  ed.markSaved();
  return { ed, gen, lif, wire: c.edgeId };
}

const weightsOf = (ed: Editor, wire: string) => ed.doc.edges.find((e) => e.id === wire)?.weights;

describe('Loading explicit weights into a wire', () => {
  it('stores a 3×4 .npy matrix inline in the wire as one undo step; undo gives back the rule', () => {
    const { ed, wire } = wired();
    // One row per target neuron, one column per source neuron; only source 2 connects.
    const m = Float64Array.from([0, 0, 1.5, 0, 0, 0, 2.5, 0, 0, 0, -0.5, 0]);
    const r = loadWireWeights(ed, wire, 'w.npy', encodeNpy(m, [3, 4]));
    expect(r).toEqual({ ok: true, summary: 'Loaded a 3×4 matrix from w.npy' });
    expect(weightsOf(ed, wire)).toEqual({
      dense: [
        [0, 0, 1.5, 0],
        [0, 0, 2.5, 0],
        [0, 0, -0.5, 0],
      ],
    });
    expect(selectDirty(ed.state)).toBe(true);
    expect(ed.undo()).toBe(`Load weights from w.npy into ${wire}`);
    expect(weightsOf(ed, wire)).toBeUndefined();
    expect(selectDirty(ed.state)).toBe(false);
    // The document compiles with the loaded weights: exactly the three synapses from source 2.
    ed.redo();
    const compiled = compileDocument(ed.doc);
    expect(compiled.ok).toBe(true);
  });

  it('reads a CSV synapse list with delays and a CSV matrix without a header', () => {
    const { ed, wire } = wired();
    const list = 'pre,post,w,delay_ms\n0,0,1.25,1\n3,2,0.5,2.5\n';
    expect(loadWireWeights(ed, wire, 'syn.csv', list)).toEqual({ ok: true, summary: 'Loaded 2 synapses with delays from syn.csv' });
    expect(weightsOf(ed, wire)).toEqual({ pre: [0, 3], post: [0, 2], w: [1.25, 0.5], delay_ms: [1, 2.5] });
    const matrix = '1,0,0,0\n0,1,0,0\n0,0,1,0\n';
    expect(loadWireWeights(ed, wire, 'eye.csv', matrix).ok).toBe(true);
    expect(weightsOf(ed, wire)).toEqual({
      dense: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
    });
    // Two loads, two undo steps.
    expect(ed.undo()).toBe(`Load weights from eye.csv into ${wire}`);
    expect(weightsOf(ed, wire)).toEqual({ pre: [0, 3], post: [0, 2], w: [1.25, 0.5], delay_ms: [1, 2.5] });
  });

  it('reads an .npz of pre, post and w, and the one 2-D array of an .npz that also holds a bias', () => {
    const { ed, wire } = wired();
    const npz = encodeNpz([
      { name: 'pre', data: Int32Array.from([1, 2]) },
      { name: 'post', data: Int32Array.from([2, 0]) },
      { name: 'w', data: Float64Array.from([0.75, 1]) },
    ]);
    expect(loadWireWeights(ed, wire, 'syn.npz', npz).ok).toBe(true);
    expect(weightsOf(ed, wire)).toEqual({ pre: [1, 2], post: [2, 0], w: [0.75, 1] });
    // A layer saved with numpy.savez(weight=W, bias=b): its one 2-D array is the matrix, and the summary says which.
    const layer = encodeNpz([
      { name: 'weight', data: Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), shape: [3, 4] },
      { name: 'bias', data: Float64Array.from([0.5, 0.5, 0.5]) },
    ]);
    expect(loadWireWeights(ed, wire, 'layer.npz', layer)).toEqual({ ok: true, summary: 'Loaded a 3×4 matrix (array "weight") from layer.npz' });
    expect(weightsOf(ed, wire)).toEqual({
      dense: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
    });
    // Two matrices: which one is meant cannot be told, so it is refused with what the file may hold.
    const two = encodeNpz([
      { name: 'a', data: new Float64Array(12), shape: [3, 4] },
      { name: 'b', data: new Float64Array(12), shape: [3, 4] },
    ]);
    const r = readWireWeights(ed.doc, wire, 'two.npz', two);
    expect(!r.ok && r.message).toMatch(/field weights: the file "two\.npz" holds 2 arrays \("a", "b"\): keep one 2-D matrix in it, or the arrays "pre", "post" and "w"\.$/);
  });

  it('refuses a matrix of the wrong shape, naming the wire, the field, the population and the file; nothing changes', () => {
    const { ed, gen, lif, wire } = wired();
    const before = ed.doc;
    const steps = ed.state.past.length;
    const r = loadWireWeights(ed, wire, 'big.npy', encodeNpy(new Float64Array(4 * 4), [4, 4]));
    expect(r).toEqual({
      ok: false,
      message: `Wire "${wire}" (${gen} → ${lif}), field weights.dense: has 4 rows, but the target "${lif}" has 3 neurons (one row per target neuron) (in the file "big.npy").`,
    });
    expect(ed.doc).toBe(before);
    expect(ed.state.past).toHaveLength(steps);
    const cols = loadWireWeights(ed, wire, 'narrow.csv', '1,2\n3,4\n5,6\n');
    expect(cols.ok).toBe(false);
    expect(!cols.ok && cols.message).toBe(
      `Wire "${wire}" (${gen} → ${lif}), field weights.dense: row 0 has 2 entries, but the source "${gen}" has 4 neurons (one column per source neuron) (in the file "narrow.csv").`,
    );
  });

  it('refuses NaN and out-of-range indices with the entry, the field and the file', () => {
    const { ed, gen, lif, wire } = wired();
    const steps = ed.state.past.length;
    const nan = loadWireWeights(ed, wire, 'nan.npy', encodeNpy(Float64Array.from([0, 0, 0, 0, 0, NaN, 0, 0, 0, 0, 0, 0]), [3, 4]));
    expect(!nan.ok && nan.message).toBe(`Wire "${wire}" (${gen} → ${lif}), field weights.dense: row 1, column 1 must be a finite number (got NaN) (in the file "nan.npy").`);
    const out = loadWireWeights(ed, wire, 'far.csv', 'pre,post,w\n0,0,1\n4,1,1\n');
    expect(!out.ok && out.message).toBe(`Wire "${wire}" (${gen} → ${lif}), field weights.pre: entry 1 is 4, out of range: "${gen}" has 4 neurons (indices 0…3) (in the file "far.csv").`);
    const csvNan = loadWireWeights(ed, wire, 'bad.csv', '1,0,0,0\n0,NaN,0,0\n0,0,1,0\n');
    expect(!csvNan.ok && csvNan.message).toBe(`Wire "${wire}" (${gen} → ${lif}), field weights: the file "bad.csv" line 2, column 2 is not a finite number (got "NaN").`);
    expect(ed.state.past).toHaveLength(steps);
    expect(weightsOf(ed, wire)).toBeUndefined();
  });

  it('refuses negative weights into a conductance input, whose receptor gives the sign', () => {
    const { ed, wire } = wired('lif-cond-exp');
    const r = readWireWeights(ed.doc, wire, 'neg.csv', '0,0,-1,0\n0,0,0,0\n0,0,0,0\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/field weights\.dense: row 0, column 2 must be a finite number ≥ 0 \(got -1; the receptor sets the sign\) \(in the file "neg\.csv"\)/);
    expect(wireEnds(ed.doc, wire)?.unit).toBe('× g_L');
  });

  it('checks against the real sizes when the target sits inside a group, and stores on the outer wire', () => {
    const { ed, lif, wire } = wired();
    ed.setSelection({ nodes: [lif], edges: [] });
    expect(groupSelection(ed)).not.toBeNull();
    const ends = wireEnds(ed.doc, wire);
    expect(ends).toMatchObject({ targetId: lif, targetSize: 3, sourceSize: 4, pointer: '/edges/0' });
    expect(readWireWeights(ed.doc, wire, 'small.csv', '1,1,1,1\n').ok).toBe(false);
    expect(loadWireWeights(ed, wire, 'ok.csv', '1,1,1,1\n0,0,0,0\n2,2,2,2\n').ok).toBe(true);
    expect(ed.doc.edges[0].weights).toEqual({
      dense: [
        [1, 1, 1, 1],
        [0, 0, 0, 0],
        [2, 2, 2, 2],
      ],
    });
  });

  it('clears explicit weights as one undo step, and does nothing on a wire that holds none', () => {
    const { ed, wire } = wired();
    expect(clearWireWeights(ed, wire)).toBe(false);
    loadWireWeights(ed, wire, 'w.csv', 'pre,post,w\n0,0,1\n');
    expect(clearWireWeights(ed, wire)).toBe(true);
    expect(weightsOf(ed, wire)).toBeUndefined();
    expect(ed.undo()).toBe(`Clear explicit weights of ${wire}`);
    expect(weightsOf(ed, wire)).toEqual({ pre: [0], post: [0], w: [1] });
  });
});
