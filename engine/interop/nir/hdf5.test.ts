import { describe, it, expect } from 'vitest';
import h5wasm from 'h5wasm';
import { readNir, writeNir } from './hdf5.ts';
import { nirGraph, nirNode, ints, tensor } from './model.ts';
import type { NirGraph, NirNodeOf } from './model.ts';
import { NirFormatError } from './validate.ts';
import { tsGraphs } from '../../../test/nir/graphs.ts';
import { craftHdf5, edges, f64, i64, lifGraph } from '../../../test/nir/craft.ts';

/** The error readNir throws for `bytes` (fails the test when it returns a graph). */
async function readError(bytes: Uint8Array): Promise<NirFormatError> {
  let graph: NirGraph | undefined;
  try {
    graph = await readNir(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(NirFormatError);
    return e as NirFormatError;
  }
  throw new Error(`readNir returned a graph with nodes ${[...graph.nodes.keys()]}`);
}

describe('readNir / writeNir round trip (no Python)', () => {
  it.each(Object.keys(tsGraphs()))('%s: TypeScript → .nir → TypeScript gives the identical graph, typed arrays and node order included', async (name) => {
    const graph = tsGraphs()[name];
    const back = await readNir(await writeNir(graph));
    expect(back).toStrictEqual(graph);
    expect([...back.nodes.keys()]).toEqual([...graph.nodes.keys()]);
  });

  it('keeps a non-alphabetical node order (input, w_in, lif, w_rec, output)', async () => {
    const back = await readNir(await writeNir(tsGraphs().recurrent));
    expect([...back.nodes.keys()]).toEqual(['input', 'w_in', 'lif', 'w_rec', 'output']);
  });

  it('returns int64 datasets as plain numbers, not BigInt, with their dtype kept', async () => {
    const conv = (await readNir(await writeNir(tsGraphs().conv))).nodes.get('conv') as NirNodeOf<'Conv2d'>;
    expect(conv.params.groups).toStrictEqual({ dtype: 'int64', shape: [], data: Float64Array.of(1) });
    expect(typeof conv.params.stride.data[0]).toBe('number');
  });

  it('writes and reads a graph without edges (an empty edges dataset, as h5py writes [])', async () => {
    const g = nirGraph([['input', nirNode('Input', { shape: ints([2]) })]], []);
    expect((await readNir(await writeNir(g))).edges).toEqual([]);
  });

  it('fills a missing v_reset with zeros and broadcasts a scalar w_in per neuron, as the reference reader does', async () => {
    const bytes = await craftHdf5({
      version: '1.0.7',
      node: {
        type: 'NIRGraph', edges: edges([['input', 'c']]),
        nodes: {
          input: { type: 'Input', shape: i64([3]) },
          c: {
            type: 'CubaLIF', tau_syn: f64([1, 2, 3]), tau_mem: f64([4, 5, 6]), r: f64([1, 1, 1]), v_leak: f64([0, 0, 0]),
            v_threshold: f64([1, 1, 1]), w_in: f64([2], []),
          },
        },
      },
    });
    const c = (await readNir(bytes)).nodes.get('c') as NirNodeOf<'CubaLIF'>;
    expect(Array.from(c.params.v_reset.data)).toEqual([0, 0, 0]);
    expect(c.params.w_in).toStrictEqual({ dtype: 'float64', shape: [3], data: Float64Array.of(2, 2, 2) });
  });

  it('leaves nothing behind in the in-memory file system after reads, failed reads and writes', async () => {
    const { FS } = await h5wasm.ready;
    const ours = () => FS.readdir('/').filter((f: string) => f.startsWith('spikeflow-nir-'));
    await readNir(await writeNir(tsGraphs().lif));
    await readError(await craftHdf5(lifGraph({ tau: f64([NaN, 1, 1]) })));
    expect(ours()).toEqual([]);
  });
});

describe('readNir refuses bad files, naming the node and the field', () => {
  it('a file that is not HDF5 (a JSON document)', async () => {
    const err = await readError(new TextEncoder().encode('{"format": "spikeflow-graph"}'));
    expect(err.message).toMatch(/^\/: not an HDF5 file \(no HDF5 signature/);
  });

  it('an HDF5 file cut short after its signature', async () => {
    const whole = await writeNir(tsGraphs().lif);
    const err = await readError(whole.slice(0, 200));
    expect(err.message).toMatch(/^\/: could not be read as HDF5 \(.*\); the file may be truncated or damaged$/);
  });

  it('an HDF5 file without the root group "node"', async () => {
    const err = await readError(await craftHdf5({ version: '1.0.7', graph: { type: 'NIRGraph' } }));
    expect(err.message).toBe('/node: is missing: a NIR file has a root group "node" holding the graph');
  });

  it('a node group without its "type" dataset', async () => {
    const err = await readError(await craftHdf5(lifGraph({ type: undefined })));
    expect(err.message).toBe('node/nodes/lif1, field type: is missing: every NIR node group holds a scalar string dataset "type"');
  });

  it('an unknown node type', async () => {
    const err = await readError(await craftHdf5(lifGraph({}, { spiky: { type: 'SpikyNeuron', tau: f64([1]) } })));
    expect(err.message).toMatch(/^node\/nodes\/spiky, field type: unknown NIR type "SpikyNeuron" \(known: NIRGraph, LIF, CubaLIF/);
  });

  it('LIF parameters of different lengths', async () => {
    const err = await readError(await craftHdf5(lifGraph({ v_threshold: f64([1, 1, 1, 1]) })));
    expect(err.problems).toEqual([{
      path: 'node/nodes/lif1', nodeType: 'LIF', field: 'v_threshold',
      message: 'has shape [4] but tau has shape [3]; every neuron parameter of a LIF needs the same shape (one value per neuron)',
    }]);
  });

  it('a Linear weight that is not a matrix', async () => {
    const err = await readError(await craftHdf5(lifGraph({}, { lin: { type: 'Linear', weight: f64([1, 2, 3]) } })));
    expect(err.message).toBe('node/nodes/lin (Linear), field weight: must be a matrix (at least 2-D: [outputs, inputs]), got shape [3]');
  });

  it('an edge to a node that does not exist', async () => {
    expect((await readNir(await craftHdf5(lifGraph()))).edges).toHaveLength(2);
    const err = await readError(await craftHdf5(lifGraph({}, {}, [['input', 'lif1'], ['lif1', 'ghost']])));
    expect(err.message).toBe('node/edges (NIRGraph), field edges[1]: edge lif1 → ghost names a node "ghost" that is not in this graph');
  });

  it('a NaN parameter', async () => {
    const err = await readError(await craftHdf5(lifGraph({ tau: f64([0.01, NaN, 0.03]) })));
    expect(err.message).toBe('node/nodes/lif1 (LIF), field tau: element 1 is NaN; every value must be a finite number');
  });

  it('an extra dataset in a node group (the reference reader refuses it too)', async () => {
    const err = await readError(await craftHdf5(lifGraph({ gain: f64([1, 1, 1]) })));
    expect(err.message).toMatch(/^node\/nodes\/lif1 \(LIF\), field gain: is not a parameter of LIF/);
  });

  it('a missing required parameter', async () => {
    const err = await readError(await craftHdf5(lifGraph({ v_leak: undefined })));
    expect(err.message).toBe('node/nodes/lif1 (LIF), field v_leak: is missing');
  });

  it('edge sizes that disagree (3 neurons into a 2-input Linear)', async () => {
    const lin = { type: 'Linear', weight: f64([1, 2, 3, 4], [2, 2]) };
    const err = await readError(await craftHdf5(lifGraph({}, { lin }, [['input', 'lif1'], ['lif1', 'lin']])));
    expect(err.message).toBe('node/edges (NIRGraph), field edges[1]: edge lif1 → lin: lif1 gives 3 values (shape [3]) but lin takes 2 (shape [2])');
  });

  it('reports every problem at once, in a nested graph too', async () => {
    const sub = { ...(lifGraph({ tau: f64([1, NaN, 1]) }).node as object) };
    const err = await readError(await craftHdf5(lifGraph({ r: f64([1, 1]) }, { sub })));
    expect(err.problems.map((p) => `${p.path} ${p.field}`)).toEqual(['node/nodes/lif1 r', 'node/nodes/sub/nodes/lif1 tau']);
  });
});

describe('writeNir refuses invalid graphs', () => {
  it('a NaN weight, naming the node and field, and writes nothing', async () => {
    const g = nirGraph([['lin', nirNode('Linear', { weight: tensor([1, NaN], [1, 2]) })]], []);
    await expect(writeNir(g)).rejects.toThrow('node/nodes/lin (Linear), field weight: element 1 is NaN; every value must be a finite number');
  });
});
