/**
 * Explicit connectivity (issue 14): dense matrices, synapse lists with delays,
 * signed weights, and matrices or lists from `.npy`, `.npz` (NumPy and
 * scipy.sparse, files they wrote: test/fixtures/weights/) and `.csv`.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkDocument } from './validate.ts';
import { inlineWeightFiles, inlineWeightsOf, sideWeightFiles } from './weights.ts';
import { weightsFromTable } from './weights-files.ts';
import { serializeDocument } from './serialize.ts';
import { loadDocument } from './load.ts';
import { compileDocument } from '../compile/compile.ts';
import { encodeNpz, encodeNpy, utf8, zipStore } from './npz.ts';
import type { GraphDocument } from './document.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/weights/${name}`, import.meta.url)));

/** A 3-neuron generator wired into a 2-neuron population (`kind`) whose wire holds `weights`. */
function doc(weights: unknown, kind = 'lif-delta'): GraphDocument {
  const r = loadDocument(
    JSON.stringify({
      format: 'spikeflow-graph',
      version: 2,
      simulation: { dt_ms: 0.1, duration_ms: 5, seed: 1 },
      nodes: [
        { id: 'src', kind: 'spike-generator', params: { size: 3, neurons: [0, 1, 2], times_ms: [1, 2, 3] } },
        { id: 'pop', kind, params: { size: 2 } },
      ],
      edges: [{ id: 'w1', source: { node: 'src', port: 'spikes' }, target: { node: 'pop', port: 'in' }, params: { rule: 'all-to-all' }, weights }],
    }),
  );
  const d = r.ok ? r.doc : r.recoverable;
  if (!d) throw new Error(JSON.stringify(r));
  return d;
}

/** A 0-d byte-string .npy, as NumPy writes scipy.sparse's `format` member. */
function byteStringNpy(text: string): Uint8Array {
  let header = `{'descr': '|S${text.length}', 'fortran_order': False, 'shape': (), }`;
  header = header.padEnd(64 - 10 - 1) + '\n';
  return new Uint8Array([0x93, ...utf8('NUMPY'), 1, 0, header.length, 0, ...utf8(header), ...utf8(text)]);
}

const errors = (d: GraphDocument) => checkDocument(d).errors.map((e) => `${e.pointer} ${e.message}`);

describe('explicit weights in the document', () => {
  it('a dense [target][source] matrix compiles to its non-zero entries, source by source, negative weights kept on a current-like input', () => {
    const d = doc({
      dense: [
        [0, 1.5, 0],
        [2, 0, -3],
      ],
    });
    expect(errors(d)).toEqual([]);
    const c = compileDocument(d);
    if (!c.ok) throw new Error(JSON.stringify(c.issues));
    expect(c.plan.projections[0].synapses).toEqual({ pre: [0, 1, 2], post: [1, 0, 1], w: [2, 1.5, -3] });
  });

  it('a synapse list may carry one delay per synapse, which reaches the plan', () => {
    const d = doc({ pre: [0, 2], post: [1, 1], w: [0.5, 0.25], delay_ms: [1, 2.5] });
    expect(errors(d)).toEqual([]);
    const c = compileDocument(d);
    if (!c.ok) throw new Error(JSON.stringify(c.issues));
    expect(c.plan.projections[0].synapses).toEqual({ pre: [0, 2], post: [1, 1], w: [0.5, 0.25], delayMs: [1, 2.5] });
  });

  it('names the wire and the field for a matrix of the wrong shape, a bad entry, an index out of range and a bad delay', () => {
    expect(errors(doc({ dense: [[1, 1, 1]] }))).toEqual([
      '/edges/0/weights/dense Edge "w1" (src → pop), field weights.dense: has 1 rows, but the target "pop" has 2 neurons (one row per target neuron).',
    ]);
    expect(
      errors(
        doc({
          dense: [
            [1, 1, 1],
            [1, 1],
          ],
        }),
      ),
    ).toEqual(['/edges/0/weights/dense/1 Edge "w1" (src → pop), field weights.dense: row 1 has 2 entries, but the source "src" has 3 neurons (one column per source neuron).']);
    expect(
      errors(
        doc({
          dense: [
            [1, 1, 1],
            [1, 'x', 1],
          ],
        }),
      )[0],
    ).toContain('field weights.dense: row 1, column 1 must be a finite number (got "x")');
    expect(errors(doc({ pre: [0, 3], post: [0, 0], w: [1, 1] }))[0]).toContain(
      '/edges/0/weights/pre/1 Edge "w1" (src → pop), field weights.pre: entry 1 is 3, out of range: "src" has 3 neurons (indices 0…2)',
    );
    expect(errors(doc({ pre: [0], post: [0], w: [1], delay_ms: [-1] }))[0]).toContain('field weights.delay_ms: entry 0 must be a finite number ≥ 0 ms (got -1)');
    expect(errors(doc({ pre: [0], post: [0], w: [1], delay_ms: [1, 2] }))[0]).toContain('pre, post, w and delay_ms must have one entry per synapse, but they have 1, 1, 1 and 2 entries');
  });

  it('refuses negative weights into a conductance-based population, where the receptor must set the sign', () => {
    expect(
      errors(
        doc(
          {
            dense: [
              [0, 1, 0],
              [0, -1, 0],
            ],
          },
          'lif-cond-exp',
        ),
      )[0],
    ).toContain('field weights.dense: row 1, column 1 must be a finite number ≥ 0 (got -1; the receptor sets the sign)');
    expect(
      errors(
        doc(
          {
            dense: [
              [0, 1, 0],
              [0, 2, 0],
            ],
          },
          'lif-cond-exp',
        ),
      ),
    ).toEqual([]);
  });

  it('saves a dense matrix one row per line and a delay list on one line, and loads it back to the same bytes', () => {
    const d = doc({
      dense: [
        [0, 1.5, 0],
        [2, 0, -3],
      ],
    });
    const text = serializeDocument(d);
    expect(text).toContain('"dense": [\n          [0,1.5,0],\n          [2,0,-3]\n        ]');
    const again = loadDocument(text);
    expect(again.ok && serializeDocument(again.doc)).toBe(text);
    const list = serializeDocument(doc({ pre: [0, 2], post: [1, 1], w: [0.5, 0.25], delay_ms: [1, 2.5] }));
    expect(list).toContain('"delay_ms": [1,2.5]');
  });
});

describe('weights from .npy, .npz and .csv files', () => {
  const W = [
    [0, 1.5, 0],
    [2, 0, -3],
  ];
  const list = { pre: [1, 0, 2], post: [0, 1, 1], w: [1.5, 2, -3] };

  it('reads a NumPy .npy matrix (float32, and a Fortran-order float64) as a dense matrix', () => {
    expect(weightsFromTable('w.npy', fixture('dense.npy'))).toEqual({ ok: true, weights: { dense: W } });
    expect(weightsFromTable('w.npy', fixture('fortran.npy'))).toEqual({ ok: true, weights: { dense: W } });
  });

  it('reads scipy.sparse csr, csc and coo matrices (save_npz) as synapse lists with their shape', () => {
    const csr = weightsFromTable('w.npz', fixture('csr.npz'));
    expect(csr).toEqual({ ok: true, weights: { ...list, shape: [2, 3] } });
    const sorted = (r: ReturnType<typeof weightsFromTable>) => {
      if (!r.ok || !('pre' in r.weights)) throw new Error('not a list');
      const { pre, post, w } = r.weights;
      return pre.map((p, k) => `${p}>${post[k]}:${w[k]}`).sort();
    };
    expect(sorted(weightsFromTable('w.npz', fixture('csc.npz')))).toEqual(sorted(csr));
    expect(sorted(weightsFromTable('w.npz', fixture('coo.npz')))).toEqual(sorted(csr));
  });

  it('reads an .npz of pre, post, w and delay_ms arrays, or the matrix a key names', () => {
    const npz = encodeNpz([
      { name: 'pre', data: new Int32Array([0, 2]) },
      { name: 'post', data: new Int32Array([1, 1]) },
      { name: 'w', data: new Float64Array([0.5, -0.25]) },
      { name: 'delay_ms', data: new Float64Array([1, 2]) },
    ]);
    expect(weightsFromTable('w.npz', npz)).toEqual({ ok: true, weights: { pre: [0, 2], post: [1, 1], w: [0.5, -0.25], delay_ms: [1, 2] } });
    const two = encodeNpz([
      { name: 'fc1', data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] },
      { name: 'fc2', data: new Float64Array([1, 2]), shape: [1, 2] },
    ]);
    expect(weightsFromTable('w.npz', two, 'fc1')).toEqual({
      ok: true,
      weights: {
        dense: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
    });
    expect(weightsFromTable('w.npz', two)).toEqual({ ok: false, problem: 'holds 2 arrays ("fc1", "fc2"): name the matrix with "key", or store "pre", "post" and "w"' });
    expect(weightsFromTable('w.npz', two, 'fc3')).toEqual({ ok: false, problem: 'has no array "fc3" (it has "fc1", "fc2")' });
  });

  it('reads a CSV synapse list with a header, or a matrix without one, and names a bad cell', () => {
    expect(weightsFromTable('w.csv', 'pre,post,weight,delay_ms\n0,1,0.5,1\n2,1,-0.25,2\n')).toEqual({ ok: true, weights: { pre: [0, 2], post: [1, 1], w: [0.5, -0.25], delay_ms: [1, 2] } });
    expect(weightsFromTable('w.csv', '0 1.5 0\n2 0 -3\n')).toEqual({ ok: true, weights: { dense: W } });
    expect(weightsFromTable('w.csv', '0,1.5,0\n2,NaN,-3\n')).toEqual({ ok: false, problem: 'line 2, column 2 is not a finite number (got "NaN")' });
    expect(weightsFromTable('w.csv', 'pre,post,gain\n0,1,2\n')).toEqual({ ok: false, problem: 'has columns "gain"; a synapse list has the columns pre, post, w (or weight) and optionally delay_ms' });
  });

  it('refuses a 1-D .npy, a file that is not NumPy, and NaN in a matrix (named with the wire and the file)', () => {
    expect(weightsFromTable('w.npy', encodeNpy(new Float64Array([1, 2])))).toEqual({
      ok: false,
      problem: 'its array has shape (2); a weight matrix is 2-D: one row per target neuron, one column per source neuron',
    });
    const bad = weightsFromTable('w.npy', new Uint8Array([1, 2, 3]));
    expect(bad.ok).toBe(false);
    const d = doc({ file: 'w.npy' });
    expect(sideWeightFiles(d)).toEqual(['w.npy']);
    const inlined = inlineWeightFiles(d, new Map([['w.npy', encodeNpy(new Float64Array([0, 1, 0, NaN, 0, 1]), [2, 3])]]));
    expect(inlined.issues).toEqual([]);
    expect(errors(inlined.doc)).toEqual(['/edges/0/weights/dense/1/0 Edge "w1" (src → pop), field weights.dense: row 1, column 0 must be a finite number (got NaN) (read from "w.npy").']);
  });

  it('inlines a scipy matrix into the document beside its reference and checks its shape against the populations', () => {
    const d = doc({ file: 'm.npz' });
    const inlined = inlineWeightFiles(d, new Map([['m.npz', fixture('csr.npz')]]));
    expect(inlined.issues).toEqual([]);
    expect(errors(inlined.doc)).toEqual([]);
    expect(inlineWeightsOf(inlined.doc.edges[0] as unknown as Record<string, unknown>)).toMatchObject(list);
    // The same matrix into a 3-neuron population: the shape no longer fits.
    const d3 = doc({ file: 'm.npz' });
    (d3.nodes[1].params as Record<string, unknown>).size = 3;
    expect(errors(inlineWeightFiles(d3, new Map([['m.npz', fixture('csr.npz')]])).doc)).toEqual([
      '/edges/0/weights/shape Edge "w1" (src → pop), field weights.shape: is a 2 × 3 matrix, but the projection needs 3 × 3 (target "pop" × source "src") (read from "m.npz").',
    ]);
    // A scipy-like archive with a byte-string format member made here, in format "dia": named.
    const dia = zipStore([
      { name: 'format.npy', bytes: byteStringNpy('dia') },
      { name: 'shape.npy', bytes: encodeNpy(new Int32Array([2, 3])) },
      { name: 'data.npy', bytes: encodeNpy(new Float64Array([1])) },
    ]);
    expect(inlineWeightFiles(doc({ file: 'x.npz' }), new Map([['x.npz', dia]])).issues[0].message).toBe(
      'Wire "w1", field weights.file: the weights file "x.npz" is a scipy.sparse matrix in format "dia"; csr, csc and coo are read.',
    );
  });
});
