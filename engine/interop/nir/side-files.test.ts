import { describe, it, expect } from 'vitest';
import { moveWeightsToSideFiles } from './side-files.ts';
import { newDocument } from '../../format/load.ts';
import { readNpy, readNpz } from '../../core/npy-read.ts';
import { weightsFromTable } from '../../format/weights-files.ts';

function docWith(weights: Record<string, unknown>, id = 'conv+pool:in->out') {
  const doc = newDocument('t', { clock: () => new Date('2026-01-01T00:00:00Z') });
  doc.edges.push({ id, source: { node: 'a', port: 'spikes' }, target: { node: 'b', port: 'in' }, params: {}, weights });
  return doc;
}

describe('moveWeightsToSideFiles', () => {
  it('writes a synapse list of more than 4096 numbers as a .npz of pre, post, w and delay_ms, named after a cleaned wire id, that reads back to the same list', () => {
    const n = 1500;
    const list = {
      pre: Array.from({ length: n }, (_, k) => k % 30),
      post: Array.from({ length: n }, (_, k) => k % 7),
      w: Array.from({ length: n }, (_, k) => k / 8 - 3),
      delay_ms: Array.from({ length: n }, (_, k) => k % 3),
    };
    const doc = docWith(list);
    const files = moveWeightsToSideFiles(doc, 'net');
    expect(files.map((f) => f.name)).toEqual(['net.conv_pool_in-_out.npz']);
    expect(doc.edges[0].weights).toEqual({ file: 'net.conv_pool_in-_out.npz' });
    const arrays = readNpz(files[0].bytes);
    expect([...arrays.keys()]).toEqual(['pre', 'post', 'w', 'delay_ms']);
    const read = weightsFromTable('x.npz', files[0].bytes, undefined);
    expect(read).toEqual({ ok: true, weights: list });
  });

  it('keeps small arrays inline, and writes a big dense matrix as a 2-D float64 .npy', () => {
    const small = docWith({ dense: [[1, 2]] });
    expect(moveWeightsToSideFiles(small, 'net')).toEqual([]);
    expect(small.edges[0].weights).toEqual({ dense: [[1, 2]] });
    const dense = Array.from({ length: 50 }, (_, j) => Array.from({ length: 100 }, (_, i) => j - i / 4));
    const big = docWith({ dense }, 'fc');
    const files = moveWeightsToSideFiles(big, 'net');
    expect(files.map((f) => f.name)).toEqual(['net.fc.npy']);
    const a = readNpy(files[0].bytes);
    expect(a.shape).toEqual([50, 100]);
    expect(Array.from(a.data)).toEqual(dense.flat());
  });
});
