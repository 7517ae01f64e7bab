/**
 * Spikeflow's NIR reader and writer against the reference package (neuromorphs/NIR 1.0.7,
 * ../shared/oracles/nir, run by Debian's python3 with python3-h5py and python3-numpy):
 * - files that `nir.write` produces read in TypeScript to the very arrays, dtypes, shapes,
 *   edges and metadata the Python graph held (test/nir/nir_reference.py `describe`);
 * - files that `writeNir` produces load with `nir.read` (type checking on), and Python
 *   asserts that they hold what the TypeScript graph meant;
 * - a reference file read in TypeScript and written again loads in Python as the original.
 *
 * Python or its modules missing: under CI=true this fails; elsewhere it is skipped loudly.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readNir, writeNir } from '../engine/interop/nir/hdf5.ts';
import { nirToDocumentDraft } from '../engine/interop/nir/to-document.ts';
import { documentToNirDraft } from '../engine/interop/nir/from-document.ts';
import { drawnDocument, exportableDocument } from './nir/documents.ts';
import { withDrawnSynapses } from '../engine/hosts/drawn-synapses.ts';
import { loadDocument } from '../engine/format/load.ts';
import { ints, metaNumber, nirGraph, nirNode, tensor } from '../engine/interop/nir/model.ts';
import type { NirGraph, NirNodeOf } from '../engine/interop/nir/model.ts';
import { describeNode, sortDescribed } from './nir/describe.ts';
import type { DescribedNode } from './nir/describe.ts';
import { tsGraphs } from './nir/graphs.ts';
import { hasPythonModules, PYTHON, requireTool } from './require-tool.ts';
import { ROOT } from './helpers.ts';

const NIR_PACKAGE = process.env.SPIKEFLOW_NIR_REFERENCE ?? path.join(ROOT, '..', 'shared', 'oracles', 'nir');
const SCRIPT = path.join(ROOT, 'test', 'nir', 'nir_reference.py');
const REFERENCE = ['lif', 'cubalif', 'if', 'li', 'affine', 'linear', 'delay', 'recurrent', 'nested', 'conv', 'uniform-cubalif', 'cubali-i', 'scale-threshold', 'conv1d', 'avgpool'];

const run =
  requireTool('Python 3 with h5py and numpy', hasPythonModules('h5py', 'numpy'), 'apt-get install -y python3-h5py python3-numpy') &&
  requireTool(
    `the NIR reference package (${NIR_PACKAGE})`,
    existsSync(path.join(NIR_PACKAGE, 'nir', 'serialization.py')),
    'the checkout needs ../shared beside it (as CI has), or set SPIKEFLOW_NIR_REFERENCE',
  );

/**
 * The test graphs, one whose 600 × 500 float32 weight (1.2 MB) the writer splits into chunks,
 * and a Spikeflow document exported by documentToNirDraft.
 */
function tsGraphsAndChunked(): Record<string, NirGraph> {
  const weight = tensor(
    Array.from({ length: 600 * 500 }, (_, i) => ((i * 7919) % 1009) / 1009 - 0.5),
    [600, 500],
    'float32',
  );
  const chunked = nirGraph(
    [
      ['input', nirNode('Input', { shape: ints([500]) })],
      ['w', nirNode('Linear', { weight })],
      ['output', nirNode('Output', { shape: ints([600]) })],
    ],
    [
      ['input', 'w'],
      ['w', 'output'],
    ],
  );
  // Drawn connectivity, exported with consent as the synapses the engine draws (engine/hosts/drawn-synapses.ts).
  const drawn = documentToNirDraft(withDrawnSynapses(drawnDocument()).doc, { staticWeights: true });
  if (drawn.notExported.length > 0) throw new Error(`drawn: ${drawn.notExported.map((n) => n.reason).join('; ')}`);
  return { ...tsGraphs(), chunked, exported: documentToNirDraft(exportableDocument()).graph, drawn: drawn.graph };
}

function python(...args: string[]): string {
  try {
    return execFileSync(PYTHON, [SCRIPT, ...args], {
      env: { ...process.env, PYTHONPATH: NIR_PACKAGE, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`nir_reference.py ${args[0]} failed:\n${err.stderr ?? err.message}`);
  }
}

describe.runIf(run)('NIR files against the reference package', () => {
  let dir: string;
  /** nir.read's verdict on each file TypeScript wrote (one Python run for all). */
  let verdicts: Record<string, string>;
  const written = (name: string) => path.join(dir, `ts-${name}.nir`);
  const rewritten = (name: string) => path.join(dir, `again-${name}.nir`);
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spikeflow-nir-'));
    expect(python('write', dir)).toBe('OK');
    const manifest: [string, string, string][] = [];
    for (const [name, graph] of Object.entries(tsGraphsAndChunked())) {
      writeFileSync(written(name), await writeNir(graph));
      writeFileSync(path.join(dir, `ts-${name}.json`), JSON.stringify(describeNode(graph)));
      manifest.push([written(name), path.join(dir, `ts-${name}.json`), 'in-order']);
    }
    for (const name of REFERENCE) {
      writeFileSync(rewritten(name), await writeNir(await readNir(readFileSync(path.join(dir, `${name}.nir`)))));
      // h5py wrote the original's nodes in name order; ours keeps that order.
      manifest.push([rewritten(name), path.join(dir, `${name}.json`), 'any-order']);
    }
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    verdicts = JSON.parse(python('check-all', path.join(dir, 'manifest.json'))) as Record<string, string>;
  }, 180_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readRef = async (name: string): Promise<NirGraph> => readNir(readFileSync(path.join(dir, `${name}.nir`)));
  const pythonView = (name: string): DescribedNode => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as DescribedNode;
  const node = <T extends (NirGraph['nodes'] extends ReadonlyMap<string, infer N> ? N : never)>(g: NirGraph, name: string) => g.nodes.get(name) as T;

  it.each(REFERENCE)('%s written by nir.write reads with every array, dtype, shape, edge and metadata as Python held them', async (name) => {
    const g = await readRef(name);
    // h5py lists a group's members by name, so compare nodes in name order.
    expect(describeNode(g, true)).toEqual(sortDescribed(pythonView(name)));
  });

  it('a reference LIF reads with its per-neuron arrays and seconds as written', async () => {
    const lif = node<NirNodeOf<'LIF'>>(await readRef('lif'), 'lif');
    expect(lif.type).toBe('LIF');
    expect(Array.from(lif.params.tau.data)).toEqual([0.01, 0.02, 0.0025]);
    expect(Array.from(lif.params.v_reset.data)).toEqual([0, 0.1, -0.2]);
    expect(lif.params.v_threshold.shape).toEqual([3]);
  });

  it('a reference recurrent CubaLIF network reads with its loop edge, w_in and graph metadata', async () => {
    const g = await readRef('recurrent');
    expect(g.edges).toContainEqual(['w_rec', 'lif']);
    expect(g.edges).toContainEqual(['lif', 'w_rec']);
    expect(g.edges).toHaveLength(5);
    const lif = node<NirNodeOf<'CubaLIF'>>(g, 'lif');
    expect(Array.from(lif.params.w_in.data)).toEqual([1, 1, 1]);
    expect(Array.from(node<NirNodeOf<'Linear'>>(g, 'w_rec').params.weight.data)).toEqual([0, -0.5, 0.1, 0.2, 0, 0.3, -0.4, 0.6, 0]);
    expect(metaNumber(g.metadata, 'dt')).toBe(1e-4);
  });

  it('a reference Linear keeps float32 and a nested graph stays a graph with its own edges', async () => {
    const lin = node<NirNodeOf<'Linear'>>(await readRef('linear'), 'linear');
    expect(lin.params.weight.dtype).toBe('float32');
    expect(lin.params.weight.data).toBeInstanceOf(Float32Array);
    expect(lin.params.weight.shape).toEqual([4, 3]);
    expect(Array.from(lin.params.weight.data)).toEqual(Array.from({ length: 12 }, (_, i) => i / 8));
    const sub = node<NirGraph>(await readRef('nested'), 'sub');
    expect(sub.type).toBe('NIRGraph');
    expect([...sub.nodes.keys()].sort()).toEqual(['input', 'lif', 'output']);
    expect(sub.edges).toEqual([
      ['input', 'lif'],
      ['lif', 'output'],
    ]);
  });

  it('a reference Conv2d + SumPool2d + Flatten + Affine network reads with integer fields as numbers', async () => {
    const g = await readRef('conv');
    const conv = node<NirNodeOf<'Conv2d'>>(g, 'conv');
    expect(conv.params.weight.shape).toEqual([2, 1, 3, 3]);
    expect(Array.from(conv.params.stride.data)).toEqual([1, 1]);
    expect(conv.params.groups).toMatchObject({ dtype: 'int64', shape: [] });
    expect(conv.params.groups.data[0]).toBe(1);
    expect(Array.from(node<NirNodeOf<'SumPool2d'>>(g, 'pool').params.kernel_size.data)).toEqual([2, 2]);
    // Python inferred the flatten's input (2 channels × 2 × 2 after the pool) and wrote it.
    expect(Array.from(node<NirNodeOf<'Flatten'>>(g, 'flatten').params.input_type?.data ?? [])).toEqual([2, 2, 2]);
    expect(node<NirNodeOf<'Affine'>>(g, 'affine').params.weight.shape).toEqual([3, 8]);
  });

  it.each(Object.keys(tsGraphsAndChunked()))('%s written by writeNir loads in nir.read holding exactly what TypeScript meant, nodes in order', (name) => {
    expect(verdicts[written(name)]).toBe('OK');
  });

  it.each(REFERENCE)('%s read in TypeScript and written again loads in nir.read as the original', (name) => {
    expect(verdicts[rewritten(name)]).toBe('OK');
  });

  it('a reference recurrent CubaLIF network of uniform populations becomes a Spikeflow document that loads', async () => {
    const draft = nirToDocumentDraft(await readRef('uniform-cubalif'), { dtMs: 0.1 });
    expect(draft.notImported).toEqual([]);
    const res = loadDocument(JSON.stringify(draft.doc));
    expect(res.ok, res.ok ? '' : res.issues.map((i) => i.message).join('\n')).toBe(true);
    const kinds = Object.fromEntries(draft.doc.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toEqual({ input: 'spike-generator', lif: 'lif-curr-exp', output: 'spike-monitor' });
    const byId = Object.fromEntries(draft.doc.edges.map((e) => [e.id, e.params]));
    // R·w_in·|W|·dt/τ_syn with dt = 0.1 ms = 1e-4 s: 2 · 1.5 · 0.5 · 1e-4 / 0.005 = 0.03 mV; the diagonal 0.25 gives 0.015 mV.
    expect(byId['w_in']).toMatchObject({ rule: 'all-to-all', receptor: 'exc' });
    expect(byId['w_in'].weight).toBeCloseTo(0.03, 12);
    expect(byId['w_rec']).toMatchObject({ rule: 'one-to-one', receptor: 'inh' });
    expect(byId['w_rec'].weight).toBeCloseTo(0.015, 12);
  });

  it('a float16 parameter written by h5py is refused by name, not misread', async () => {
    await expect(readNir(readFileSync(path.join(dir, 'bad-float16.nir')))).rejects.toThrow(
      'node/nodes/lif (LIF), field r: has an unsupported datatype (float16); NIR parameters are float32, float64 or integers',
    );
  });

  it('the checker is not blind: a graph that differs from the description fails in Python', async () => {
    const graph = tsGraphs().lif;
    const file = path.join(dir, 'differs.nir');
    writeFileSync(file, await writeNir(graph));
    const meant = describeNode(graph);
    const lif = meant.nodes?.find(([k]) => k === 'lif')?.[1];
    const tau = lif?.params?.tau as { tensor: { data: number[] } };
    tau.tensor.data[1] = 0.011;
    writeFileSync(path.join(dir, 'differs.json'), JSON.stringify(meant));
    expect(() => python('check', file, path.join(dir, 'differs.json'))).toThrow(/nodes\/lif\/params\/tau: values/);
  });
});
