/**
 * NIR graphs built in TypeScript, one per primitive family, for the round-trip tests
 * (engine/interop/nir/hdf5.test.ts) and the reference-reader check (test/nir-reference.test.ts).
 * Each starts at Input nodes and ends at Output nodes, so nir.read's type inference accepts it.
 */
import { ints, nirGraph, nirNode, scalar, tensor } from '../../engine/interop/nir/model.ts';
import type { NirGraph, NirNode } from '../../engine/interop/nir/model.ts';

const io = (shape: number[]): [NirNode, NirNode] => [nirNode('Input', { shape: ints(shape) }), nirNode('Output', { shape: ints(shape) })];

/** A chain graph: each node feeds the next. */
function chain(nodes: [string, NirNode][], metadata = {}): NirGraph {
  const edges = nodes.slice(1).map(([b], i) => [nodes[i][0], b] as const);
  return nirGraph(nodes, edges, metadata);
}

const t = (values: number[], shape?: number[]) => tensor(values, shape);
const f32 = (values: number[], shape?: number[]) => tensor(values, shape, 'float32');

export function tsGraphs(): Record<string, NirGraph> {
  const [in3, out3] = io([3]);
  const [in2, out2] = io([2]);
  const lif = nirNode('LIF', {
    tau: t([0.02, 0.01, 0.0025]),
    r: t([1, 2, 0.5]),
    v_leak: t([0, -0.1, 0.1]),
    v_threshold: t([1, 1.5, 0.8]),
    v_reset: t([0, 0.1, -0.2]),
  });
  const cuba = (n: number, f = t) =>
    nirNode('CubaLIF', {
      tau_syn: f(Array(n).fill(0.005)),
      tau_mem: f(Array.from({ length: n }, (_, i) => 0.01 * (i + 1))),
      r: f(Array(n).fill(1)),
      v_leak: f(Array(n).fill(0)),
      v_threshold: f(Array.from({ length: n }, (_, i) => 1 + i / 10)),
      v_reset: f(Array(n).fill(0)),
      w_in: f(Array.from({ length: n }, (_, i) => 0.5 + i)),
    });
  const sub = chain(
    [
      ['input', io([3])[0]],
      ['lif', nirNode('LIF', { tau: t([0.02, 0.02, 0.02]), r: t([1, 1, 1]), v_leak: t([0, 0, 0]), v_threshold: t([1, 1, 1]), v_reset: t([0, 0, 0]) })],
      ['output', io([3])[1]],
    ],
    { note: 'a subgraph' },
  );
  return {
    lif: chain(
      [
        ['input', in3],
        ['lif', lif],
        ['output', out3],
      ],
      {
        dt: scalar(1e-4),
        source: 'spikeflow',
        steps: scalar(100, 'int64'),
        tags: ['a', 'b'],
        nested: { gain: tensor([1, 2, 3, 4], [2, 2]) },
      },
    ),
    cubalif: chain([
      ['input', in3],
      ['cubalif', cuba(3, f32)],
      ['output', out3],
    ]),
    if: chain([
      ['input', in2],
      ['if', nirNode('IF', { r: t([1, 3]), v_threshold: t([1, 2]), v_reset: t([0, -1]) })],
      ['output', out2],
    ]),
    li: chain([
      ['input', in2],
      ['li', nirNode('LI', { tau: t([0.01, 0.05]), r: t([1, 1]), v_leak: t([0, 0.2]) })],
      ['output', out2],
    ]),
    'cubali-i': chain([
      ['input', in2],
      ['cubali', nirNode('CubaLI', { tau_syn: t([0.005, 0.01]), tau_mem: t([0.02, 0.04]), r: t([1, 2]), v_leak: t([0, 0]), w_in: t([1, 0.5]) })],
      ['i', nirNode('I', { r: t([1, 0.5]) })],
      ['output', out2],
    ]),
    affine: chain([
      ['input', in3],
      ['affine', nirNode('Affine', { weight: t([1, -2, 0.5, 0, 3, -1.5], [2, 3]), bias: t([0.25, -0.75]) }, { origin: 'fc1' })],
      ['output', out2],
    ]),
    linear: chain([
      ['input', in2],
      ['linear', nirNode('Linear', { weight: f32([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2]) })],
      ['output', out3],
    ]),
    'scale-threshold': chain([
      ['input', in3],
      ['scale', nirNode('Scale', { scale: t([2, -1, 0.5]) })],
      ['threshold', nirNode('Threshold', { threshold: t([0.5, 0.5, 1]) })],
      ['output', out3],
    ]),
    delay: chain([
      ['input', in3],
      ['delay', nirNode('Delay', { delay: t([0.001, 0.002, 0]) })],
      ['output', out3],
    ]),
    recurrent: nirGraph(
      [
        ['input', in2],
        ['w_in', nirNode('Linear', { weight: t([1, 0, 0, 1, 0.5, 0.5], [3, 2]) })],
        ['lif', cuba(3)],
        ['w_rec', nirNode('Linear', { weight: t([0, -0.5, 0.1, 0.2, 0, 0.3, -0.4, 0.6, 0], [3, 3]) })],
        ['output', out3],
      ],
      [
        ['input', 'w_in'],
        ['w_in', 'lif'],
        ['lif', 'w_rec'],
        ['w_rec', 'lif'],
        ['lif', 'output'],
      ],
      { dt: scalar(1e-4) },
    ),
    nested: chain([
      ['input', in2],
      ['affine', nirNode('Affine', { weight: t([1, 2, 3, 4, 5, 6], [3, 2]), bias: t([0, 0.1, 0.2]) })],
      ['sub', sub],
      ['output', out3],
    ]),
    conv: chain([
      ['input', nirNode('Input', { shape: ints([1, 4, 4]) })],
      [
        'conv',
        nirNode('Conv2d', {
          input_shape: ints([4, 4]),
          weight: t(
            Array.from({ length: 18 }, (_, i) => (i - 9) / 10),
            [2, 1, 3, 3],
          ),
          stride: ints([1, 1]),
          padding: ints([1, 1]),
          dilation: ints([1, 1]),
          groups: scalar(1, 'int64'),
          bias: t([0.1, -0.1]),
        }),
      ],
      ['pool', nirNode('SumPool2d', { kernel_size: ints([2, 2]), stride: ints([2, 2]), padding: ints([0, 0]) })],
      ['flatten', nirNode('Flatten', { start_dim: scalar(0, 'int64'), end_dim: scalar(-1, 'int64'), input_type: ints([2, 2, 2]) })],
      [
        'affine',
        nirNode('Affine', {
          weight: t(
            Array.from({ length: 24 }, (_, i) => i / 24),
            [3, 8],
          ),
          bias: t([0, 0, 0]),
        }),
      ],
      ['output', out3],
    ]),
    conv1d: chain([
      ['input', nirNode('Input', { shape: ints([2, 5]) })],
      [
        'conv',
        nirNode('Conv1d', {
          input_shape: scalar(5, 'int64'),
          weight: t(Array(12).fill(1), [3, 2, 2]),
          stride: scalar(2, 'int64'),
          padding: 'valid',
          dilation: scalar(1, 'int64'),
          groups: scalar(1, 'int64'),
          bias: t([0, 1, 2]),
        }),
      ],
      ['output', nirNode('Output', { shape: ints([3, 2]) })],
    ]),
    avgpool: chain([
      ['input', nirNode('Input', { shape: ints([1, 4, 4]) })],
      ['pool', nirNode('AvgPool2d', { kernel_size: ints([2, 2]), stride: ints([2, 2]), padding: ints([0, 0]) })],
      ['output', nirNode('Output', { shape: ints([1, 2, 2]) })],
    ]),
  };
}
