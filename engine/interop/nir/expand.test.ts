import { describe, it, expect } from 'vitest';
import { expandToSynapses } from './expand.ts';
import type { Synapses } from './expand.ts';
import { ints, nirNode, scalar, tensor, tensorSize } from './model.ts';
import type { NirNodeOf, NirTensor } from './model.ts';
import { inferShapes } from './validate.ts';
import { tsGraphs } from '../../../test/nir/graphs.ts';

/** y = Σ w·x[pre] per post, plus the bias. */
function apply(s: Synapses, x: number[]): number[] {
  const y = Array.from(s.bias ?? new Float64Array(tensorSize(s.outShape)));
  for (let k = 0; k < s.pre.length; k++) y[s.post[k]] += s.weight[k] * x[s.pre[k]];
  return y;
}

const conv2d = (weight: NirTensor, o: { stride?: number[]; padding?: number[] | 'same' | 'valid'; dilation?: number[]; groups?: number; bias?: number[] } = {}) =>
  nirNode('Conv2d', {
    weight,
    stride: ints(o.stride ?? [1, 1]),
    padding: Array.isArray(o.padding) || o.padding === undefined ? ints(o.padding ?? [0, 0]) : o.padding,
    dilation: ints(o.dilation ?? [1, 1]),
    groups: scalar(o.groups ?? 1, 'int64'),
    bias: tensor(o.bias ?? Array(weight.shape[0]).fill(0)),
  });

/**
 * PyTorch's Conv2d written the plain way, as the oracle: zero-pad the input into a larger
 * array, then slide the kernel (dilated) with the stride over it, channel groups apart.
 */
function naiveConv2d(x: number[], [c, h, w]: number[], node: NirNodeOf<'Conv2d'>): { y: number[]; shape: number[] } {
  const [cOut, cpg, kh, kw] = node.params.weight.shape;
  const [sh, sw] = Array.from(node.params.stride.data);
  const [dh, dw] = Array.from(node.params.dilation.data);
  const g = node.params.groups.data[0];
  const pad = node.params.padding;
  const [top, left, bottom, right] =
    pad === 'valid'
      ? [0, 0, 0, 0]
      : pad === 'same'
        ? [Math.floor((dh * (kh - 1)) / 2), Math.floor((dw * (kw - 1)) / 2), Math.ceil((dh * (kh - 1)) / 2), Math.ceil((dw * (kw - 1)) / 2)]
        : [pad.data[0], pad.data[1], pad.data[0], pad.data[1]];
  const H = h + top + bottom;
  const W = w + left + right;
  const padded = new Array<number>(c * H * W).fill(0);
  for (let ci = 0; ci < c; ci++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) padded[(ci * H + i + top) * W + j + left] = x[(ci * h + i) * w + j];
  const oh = Math.floor((H - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((W - dw * (kw - 1) - 1) / sw) + 1;
  const y: number[] = [];
  for (let co = 0; co < cOut; co++) {
    const group = Math.floor(co / (cOut / g));
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let acc = node.params.bias.data[co];
        for (let ci = 0; ci < cpg; ci++) {
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              acc += node.params.weight.data[((co * cpg + ci) * kh + a) * kw + b] * padded[((group * cpg + ci) * H + i * sh + a * dh) * W + j * sw + b * dw];
            }
          }
        }
        y.push(acc);
      }
    }
  }
  return { y, shape: [cOut, oh, ow] };
}

/** Seeded values in [−1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
}

describe('expandToSynapses', () => {
  const x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const k = tensor([1, 0, 0, -1], [1, 1, 2, 2]);

  it('expands a 2×2 kernel over a 3×3 input (hand-computed: x[i,j] − x[i+1,j+1] = −4 everywhere)', () => {
    const s = expandToSynapses(conv2d(k) as NirNodeOf<'Conv2d'>, [1, 3, 3]);
    expect(s.outShape).toEqual([1, 2, 2]);
    expect(apply(s, x3)).toEqual([-4, -4, -4, -4]);
    expect(s.pre.length).toBe(8); // zeros in the kernel make no synapses
  });

  it('pads with zeros and strides (hand-computed: −1, −3, −7, −4)', () => {
    const s = expandToSynapses(conv2d(k, { padding: [1, 1], stride: [2, 2] }) as NirNodeOf<'Conv2d'>, [1, 3, 3]);
    expect(s.outShape).toEqual([1, 2, 2]);
    expect(apply(s, x3)).toEqual([-1, -3, -7, -4]);
  });

  it('sum- and average-pools 2×2 blocks (hand-computed on 0…15)', () => {
    const x = Array.from({ length: 16 }, (_, i) => i);
    const pool = { kernel_size: ints([2, 2]), stride: ints([2, 2]), padding: ints([0, 0]) };
    expect(apply(expandToSynapses(nirNode('SumPool2d', pool), [1, 4, 4]), x)).toEqual([10, 18, 42, 50]);
    expect(apply(expandToSynapses(nirNode('AvgPool2d', pool), [1, 4, 4]), x)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it.each([
    ['groups, stride and padding', { shape: [4, 2, 3, 3], input: [4, 6, 5], o: { groups: 2, stride: [2, 1], padding: [1, 2], bias: [0.1, 0.2, -0.3, 0.4] } }],
    ['dilation', { shape: [2, 3, 3, 2], input: [3, 7, 7], o: { dilation: [2, 3] } }],
    ['"same" with an even kernel', { shape: [2, 1, 4, 2], input: [1, 5, 6], o: { padding: 'same' as const } }],
    ['"valid"', { shape: [3, 2, 2, 2], input: [2, 4, 4], o: { padding: 'valid' as const, stride: [2, 2] } }],
  ])('matches a plain convolution with %s on seeded values', (_name, c) => {
    const node = conv2d(tensor(values(tensorSize(c.shape), 3), c.shape), c.o) as NirNodeOf<'Conv2d'>;
    const x = values(tensorSize(c.input), 5);
    const s = expandToSynapses(node, c.input);
    const oracle = naiveConv2d(x, c.input, node);
    expect(s.outShape).toEqual(oracle.shape);
    apply(s, x).forEach((v, i) => expect(v).toBeCloseTo(oracle.y[i], 12));
  });

  it('expands a Conv1d along its one dimension', () => {
    const node = nirNode('Conv1d', {
      weight: tensor([1, -1], [1, 1, 2]),
      stride: scalar(1, 'int64'),
      padding: scalar(0, 'int64'),
      dilation: scalar(1, 'int64'),
      groups: scalar(1, 'int64'),
      bias: tensor([0.5]),
    });
    const s = expandToSynapses(node, [1, 4]);
    expect(s.outShape).toEqual([1, 3]);
    expect(apply(s, [1, 4, 9, 16])).toEqual([-2.5, -4.5, -6.5]);
  });

  it('gives the shapes that the reference package inferred for the reference network (conv, then pool)', () => {
    const g = tsGraphs().conv;
    const io = inferShapes(g);
    const conv = expandToSynapses(g.nodes.get('conv') as NirNodeOf<'Conv2d'>, io.get('conv')?.in ?? []);
    expect(conv.outShape).toEqual([2, 4, 4]);
    expect(expandToSynapses(g.nodes.get('pool') as NirNodeOf<'SumPool2d'>, conv.outShape).outShape).toEqual([2, 2, 2]);
  });

  it('refuses an input whose channels do not fit the weights, and a kernel larger than the input', () => {
    expect(() => expandToSynapses(conv2d(k) as NirNodeOf<'Conv2d'>, [2, 3, 3])).toThrow('Conv2d: the input has 2 channels but the weights expect 1 (1 per group × 1 groups)');
    expect(() => expandToSynapses(conv2d(k) as NirNodeOf<'Conv2d'>, [1, 1, 3])).toThrow('Conv2d: the kernel [2, 2] does not fit the input [1, 3]');
  });
});
