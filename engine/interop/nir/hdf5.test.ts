import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import h5wasm from 'h5wasm';
import { chunkShape, readNir, writeNir } from './hdf5.ts';
import { NIR_DTYPES, nirGraph, nirNode, ints, tensor, tensorSize } from './model.ts';
import type { NirDtype, NirGraph, NirMetaValue, NirMetadata, NirNode, NirNodeOf, NirTensor } from './model.ts';
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

  it('chunks a large array in pieces of at most 1 MiB and a small one whole, and reads both back', async () => {
    expect(chunkShape([3], 8)).toEqual([3]);
    expect(chunkShape([1000, 1000], 4)).toEqual([500, 500]);
    expect(chunkShape([2, 300_000], 8)).toEqual([2, 37_500]);
    const big = tensor(
      Array.from({ length: 600 * 700 }, (_, i) => (i % 97) / 7),
      [600, 700],
      'float32',
    );
    const g = nirGraph([['w', nirNode('Linear', { weight: big })]], []);
    expect(((await readNir(await writeNir(g))).nodes.get('w') as NirNodeOf<'Linear'>).params.weight).toStrictEqual(big);
  });

  it('keeps a metadata key "__proto__" as a key', async () => {
    const g = nirGraph(
      [['input', nirNode('Input', { shape: ints([2]) })]],
      [],
      Object.fromEntries([
        ['__proto__', 'x'],
        ['b', 'y'],
      ]),
    );
    const back = await readNir(await writeNir(g));
    expect(Object.keys(back.metadata)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(back.metadata)).toBe(Object.prototype);
  });

  it('writes and reads a graph without edges (an empty edges dataset, as h5py writes [])', async () => {
    const g = nirGraph([['input', nirNode('Input', { shape: ints([2]) })]], []);
    expect((await readNir(await writeNir(g))).edges).toEqual([]);
  });

  it('fills a missing v_reset with zeros and broadcasts a scalar w_in per neuron, as the reference reader does', async () => {
    const bytes = await craftHdf5({
      version: '1.0.7',
      node: {
        type: 'NIRGraph',
        edges: edges([['input', 'c']]),
        nodes: {
          input: { type: 'Input', shape: i64([3]) },
          c: {
            type: 'CubaLIF',
            tau_syn: f64([1, 2, 3]),
            tau_mem: f64([4, 5, 6]),
            r: f64([1, 1, 1]),
            v_leak: f64([0, 0, 0]),
            v_threshold: f64([1, 1, 1]),
            w_in: f64([2], []),
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

// ---- random graphs for the round-trip property ------------------------------

const INT_RANGE: Record<string, [number, number]> = {
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  uint16: [0, 2 ** 16 - 1],
  int8: [-128, 127],
  uint8: [0, 255],
};
const value = (dtype: NirDtype): fc.Arbitrary<number> =>
  dtype === 'float64'
    ? fc.double({ noNaN: true, noDefaultInfinity: true })
    : dtype === 'float32'
      ? fc.float({ noNaN: true, noDefaultInfinity: true })
      : fc.integer({ min: INT_RANGE[dtype][0], max: INT_RANGE[dtype][1] });
const tensorOf = (dtype: NirDtype, shape: number[]): fc.Arbitrary<NirTensor> =>
  fc.array(value(dtype), { minLength: tensorSize(shape), maxLength: tensorSize(shape) }).map((v) => tensor(v, shape, dtype));
const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });
const anyTensor = fc.tuple(fc.constantFrom(...NIR_DTYPES), shapeArb).chain(([d, s]) => tensorOf(d, s));
const floatDtype = fc.constantFrom<NirDtype>('float64', 'float32');
const nameArb = fc.stringMatching(/^[A-Za-z0-9_. -]{1,10}$/).filter((n) => n !== '.' && n !== '..');
const metaArb: fc.Arbitrary<NirMetadata> = fc.letrec<{ meta: NirMetadata; value: NirMetaValue }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 }), anyTensor, tie('meta')),
  meta: fc.dictionary(nameArb, tie('value'), { maxKeys: 3, noNullPrototype: true }),
})).meta;

const lifArb = fc
  .tuple(floatDtype, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 }), metaArb)
  .chain(([d, shape, metadata]) =>
    fc.tuple(...Array.from({ length: 5 }, () => tensorOf(d, shape))).map(([tau, r, v_leak, v_threshold, v_reset]): NirNode => nirNode('LIF', { tau, r, v_leak, v_threshold, v_reset }, metadata)),
  );
const linearArb = fc
  .tuple(floatDtype, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([d, rows, cols]) => tensorOf(d, [rows, cols]).map((weight): NirNode => nirNode('Linear', { weight })));
const delayArb = fc.tuple(floatDtype, shapeArb).chain(([d, s]) => tensorOf(d, s).map((t): NirNode => nirNode('Delay', { delay: { ...t, data: t.data.map(Math.abs) } })));
const graphArb = fc
  .tuple(fc.uniqueArray(fc.tuple(nameArb, fc.oneof(lifArb, linearArb, delayArb)), { selector: ([n]) => n, minLength: 1, maxLength: 5 }), metaArb)
  .map(([nodes, metadata]) => nirGraph(nodes, [], metadata));

describe('readNir / writeNir round trip (property)', () => {
  it('any graph of LIF, Linear and Delay nodes with any metadata (every dtype, 0-d to 3-D, nested groups, string lists) comes back identical', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, async (graph) => {
        expect(await readNir(await writeNir(graph))).toStrictEqual(graph);
      }),
      { seed: 14, numRuns: 60 },
    );
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
    expect(err.problems).toEqual([
      {
        path: 'node/nodes/lif1',
        nodeType: 'LIF',
        field: 'v_threshold',
        message: 'has shape [4] but tau has shape [3]; every neuron parameter of a LIF needs the same shape (one value per neuron)',
      },
    ]);
  });

  it('a Linear weight that is not a matrix', async () => {
    const err = await readError(await craftHdf5(lifGraph({}, { lin: { type: 'Linear', weight: f64([1, 2, 3]) } })));
    expect(err.message).toBe('node/nodes/lin (Linear), field weight: must be a matrix (at least 2-D: [outputs, inputs]), got shape [3]');
  });

  it('an edge to a node that does not exist', async () => {
    expect((await readNir(await craftHdf5(lifGraph()))).edges).toHaveLength(2);
    const err = await readError(
      await craftHdf5(
        lifGraph({}, {}, [
          ['input', 'lif1'],
          ['lif1', 'ghost'],
        ]),
      ),
    );
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

  it('a dataset named like an Object property ("constructor") is an extra dataset, not a crash', async () => {
    const err = await readError(await craftHdf5(lifGraph({ constructor: f64([1, 1, 1]) })));
    expect(err.message).toMatch(/^node\/nodes\/lif1 \(LIF\), field constructor: is not a parameter of LIF/);
  });

  it('a missing required parameter', async () => {
    const err = await readError(await craftHdf5(lifGraph({ v_leak: undefined })));
    expect(err.message).toBe('node/nodes/lif1 (LIF), field v_leak: is missing');
  });

  it('edge sizes that disagree (3 neurons into a 2-input Linear)', async () => {
    const lin = { type: 'Linear', weight: f64([1, 2, 3, 4], [2, 2]) };
    const err = await readError(
      await craftHdf5(
        lifGraph({}, { lin }, [
          ['input', 'lif1'],
          ['lif1', 'lin'],
        ]),
      ),
    );
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
