import { describe, it, expect } from 'vitest';
import { filled, ints, nirGraph, nirNode, scalar, tensor } from './model.ts';
import type { NirGraph, NirNode } from './model.ts';
import { formatProblem, inferShapes, validateNirGraph } from './validate.ts';
import { tsGraphs } from '../../../test/nir/graphs.ts';

const lif = (n: number, over: Record<string, unknown> = {}): NirNode =>
  nirNode('LIF', {
    tau: filled([n], 0.02),
    r: filled([n], 1),
    v_leak: filled([n], 0),
    v_threshold: filled([n], 1),
    v_reset: filled([n], 0),
    ...over,
  } as never);
const messages = (g: NirGraph) => validateNirGraph(g).map(formatProblem);

describe('validateNirGraph', () => {
  it.each(Object.keys(tsGraphs()))('accepts the well-formed %s graph', (name) => {
    expect(messages(tsGraphs()[name])).toEqual([]);
  });

  it('names a neuron parameter whose length differs from the first one', () => {
    const g = nirGraph([['lif1', lif(3, { v_threshold: filled([4], 1) })]], []);
    expect(messages(g)).toEqual(['node/nodes/lif1 (LIF), field v_threshold: has shape [4] but tau has shape [3]; every neuron parameter of a LIF needs the same shape (one value per neuron)']);
  });

  it('refuses a tensor whose data does not fill its shape', () => {
    const g = nirGraph([['lif1', lif(2, { r: { dtype: 'float64', shape: [3], data: new Float64Array(2) } })]], []);
    expect(messages(g)).toEqual(['node/nodes/lif1 (LIF), field r: has shape [3] but 2 values']);
  });

  it('refuses Infinity as well as NaN', () => {
    const g = nirGraph([['d', nirNode('Delay', { delay: tensor([1, Infinity]) })]], []);
    expect(messages(g)).toEqual(['node/nodes/d (Delay), field delay: element 1 is Infinity; every value must be a finite number']);
  });

  it('refuses a negative delay and a fractional integer field', () => {
    const g = nirGraph(
      [
        ['d', nirNode('Delay', { delay: tensor([-0.001]) })],
        ['f', nirNode('Flatten', { start_dim: scalar(0.5), end_dim: scalar(-1, 'int64') })],
      ],
      [],
    );
    expect(messages(g)).toEqual(['node/nodes/d (Delay), field delay: must be ≥ 0', 'node/nodes/f (Flatten), field start_dim: must hold integers (got 0.5)']);
  });

  it('names a missing parameter and one that the primitive does not have', () => {
    const g = nirGraph([['s', { type: 'Scale', params: { factor: tensor([1]) }, metadata: {} } as unknown as NirNode]], []);
    expect(messages(g)).toEqual(['node/nodes/s (Scale), field factor: is not a parameter of Scale (extra values belong under metadata/)', 'node/nodes/s (Scale), field scale: is missing']);
  });

  it('checks an Affine bias against the weight rows', () => {
    const g = nirGraph([['a', nirNode('Affine', { weight: tensor([1, 2, 3, 4, 5, 6], [2, 3]), bias: tensor([0, 0, 0]) })]], []);
    expect(messages(g)).toEqual(['node/nodes/a (Affine), field bias: has shape [3]; with weight [2, 3] it must be one value or shape [2]']);
  });

  it('checks convolutions: weight rank, one bias per output channel, positive strides, padding words', () => {
    const conv = (over: Record<string, unknown>) =>
      nirNode('Conv2d', {
        input_shape: ints([4, 4]),
        weight: filled([2, 1, 3, 3], 1),
        stride: ints([1, 1]),
        padding: ints([0, 0]),
        dilation: ints([1, 1]),
        groups: scalar(1, 'int64'),
        bias: tensor([0, 0]),
        ...over,
      } as never);
    expect(messages(nirGraph([['c', conv({ weight: filled([2, 3, 3], 1) })]], []))).toEqual([
      'node/nodes/c (Conv2d), field weight: must be 4-D ([out channels, in channels, height, width]), got shape [2, 3, 3]',
    ]);
    expect(messages(nirGraph([['c', conv({ bias: tensor([0, 0, 0]), stride: ints([0, 1]), padding: 'full' })]], []))).toEqual([
      'node/nodes/c (Conv2d), field padding: must be numbers or "same" / "valid" (got the string "full")',
    ]);
    expect(messages(nirGraph([['c', conv({ bias: tensor([0, 0, 0]), stride: ints([0, 1]) })]], []))).toEqual([
      'node/nodes/c (Conv2d), field bias: needs 2 values (one per output channel), got 3',
      'node/nodes/c (Conv2d), field stride: must be ≥ 1 (got 0, 1)',
    ]);
    expect(messages(nirGraph([['c', conv({ padding: 'same' })]], []))).toEqual([]);
  });

  it('refuses node names that cannot be HDF5 group names', () => {
    const g = nirGraph([['a/b', lif(1)]], []);
    expect(messages(g)).toEqual(['node/nodes/a/b (LIF): "a/b" is not a usable node name (empty, ".", ".." or containing "/")']);
  });

  it('names each edge end that is not a node of the same graph, even one inside a subgraph', () => {
    const sub = nirGraph([['lif', lif(2)]], []);
    const g = nirGraph(
      [
        ['sub', sub],
        ['x', lif(2)],
      ],
      [
        ['x', 'lif'],
        ['sub', 'x'],
      ],
    );
    expect(messages(g)).toEqual(['node/edges (NIRGraph), field edges[0]: edge x → lif names a node "lif" that is not in this graph']);
  });

  it('compares sizes along edges, carrying shapes through pooling and flatten', () => {
    const g = tsGraphs().conv;
    const io = inferShapes(g);
    expect(io.get('conv')).toEqual({ in: [1, 4, 4], out: [2, 4, 4] });
    expect(io.get('pool')).toEqual({ in: [2, 4, 4], out: [2, 2, 2] });
    expect(io.get('flatten')).toEqual({ in: [2, 2, 2], out: [8] });
    const wrong = nirGraph(
      [...g.nodes].map(([k, n]) => (k === 'affine' ? [k, nirNode('Affine', { weight: filled([3, 9], 0), bias: filled([3], 0) })] : [k, n])),
      g.edges,
    );
    expect(messages(wrong)).toEqual(['node/edges (NIRGraph), field edges[3]: edge flatten → affine: flatten gives 8 values (shape [8]) but affine takes 9 (shape [9])']);
  });

  it("takes a subgraph's sizes from its Input and Output nodes", () => {
    const g = tsGraphs().nested;
    expect(inferShapes(g).get('sub')).toEqual({ in: [3], out: [3] });
  });
});
