/**
 * `spikeflow import model.nir -o doc.json` and `spikeflow export doc.json --to nir -o model.nir`
 * through the real CLI (bin/spikeflow.mjs): bad files are refused naming the node and field
 * with exit code 2 and nothing written or changed; good ones import laid out, with every node
 * that is not imported named; export is all or nothing unless --static-weights.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.ts';
import { craftHdf5, f64, lifGraph } from './nir/craft.ts';
import { docNode, exportableDocument, projection } from './nir/documents.ts';
import { readNir, writeNir } from '../engine/interop/nir/hdf5.ts';
import { ints, nirGraph, nirNode, filled, tensor } from '../engine/interop/nir/model.ts';
import type { NirNodeOf } from '../engine/interop/nir/model.ts';
import { loadDocument } from '../engine/format/load.ts';
import type { GraphDocument } from '../engine/format/document.ts';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'spikeflow-nir-cli-'));
});
const at = (name: string) => path.join(dir, name);

/** Input(3) → Linear (all 0.5) → CubaLIF (uniform) ⟲ Linear (−0.25·I) → Output, in seconds, dt 1e-4 in the metadata. */
function recurrent() {
  const p = (v: number) => filled([3], v);
  return nirGraph(
    [
      ['input', nirNode('Input', { shape: ints([3]) })],
      ['w_in', nirNode('Linear', { weight: filled([3, 3], 0.5) })],
      ['lif', nirNode('CubaLIF', { tau_syn: p(0.005), tau_mem: p(0.01), r: p(2), v_leak: p(0), v_threshold: p(1), v_reset: p(0), w_in: p(1.5) })],
      ['w_rec', nirNode('Linear', { weight: tensor([-0.25, 0, 0, 0, -0.25, 0, 0, 0, -0.25], [3, 3]) })],
      ['output', nirNode('Output', { shape: ints([3]) })],
    ],
    [
      ['input', 'w_in'],
      ['w_in', 'lif'],
      ['lif', 'w_rec'],
      ['w_rec', 'lif'],
      ['lif', 'output'],
    ],
    { dt: filled([], 1e-4) },
  );
}

function readDoc(file: string): GraphDocument {
  const loaded = loadDocument(readFileSync(file, 'utf8'));
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('; '));
  return loaded.doc;
}

describe('spikeflow import', () => {
  it('imports a recurrent CubaLIF network laid out in layers, with hand-computed weights and the file dt', async () => {
    writeFileSync(at('rec.nir'), await writeNir(recurrent()));
    const r = await cli(['import', at('rec.nir'), '-o', at('rec.spikeflow.json')]);
    expect(r.stderr).not.toMatch(/not importable/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 nodes, 3 wires imported');
    const doc = readDoc(at('rec.spikeflow.json'));
    expect(doc.simulation.dt_ms).toBeCloseTo(0.1, 12);
    expect(doc.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['input', 'spike-generator'],
      ['lif', 'lif-curr-exp'],
      ['output', 'spike-monitor'],
    ]);
    // Per-step input: R·w_in·W·dt/τ_syn = 2 · 1.5 · 0.5 · 1e-4 / 0.005 = 0.03 mV; recurrent 2 · 1.5 · 0.25 · 0.02 = 0.015 (inh).
    const w = (id: string) => doc.edges.find((e) => e.id === id)?.params;
    expect(w('w_in')).toMatchObject({ rule: 'all-to-all', receptor: 'exc' });
    expect(w('w_in')?.weight as number).toBeCloseTo(0.03, 12);
    expect(w('w_rec')).toMatchObject({ rule: 'one-to-one', receptor: 'inh' });
    expect(w('w_rec')?.weight as number).toBeCloseTo(0.015, 12);
    // Laid out left to right: input, then the population, then the monitor; not piled at one point.
    const x = Object.fromEntries(doc.nodes.map((n) => [n.id, n.position.x]));
    expect(x.input).toBeLessThan(x.lif);
    expect(x.lif).toBeLessThan(x.output);
  });

  it('names every node it does not import, with the reason, and still writes the rest', async () => {
    const three = ints([3]);
    const graph = nirGraph(
      [
        ['input', nirNode('Input', { shape: three })],
        ['scale', nirNode('Scale', { scale: tensor([2, -1, 0.5]) })],
        ['threshold', nirNode('Threshold', { threshold: filled([3], 0.5) })],
        ['output', nirNode('Output', { shape: three })],
      ],
      [
        ['input', 'scale'],
        ['scale', 'threshold'],
        ['threshold', 'output'],
      ],
      // Dirac input: a Threshold holds each step's value, so it is refused (per-step input imports it).
      { spike_input: 'dirac' },
    );
    writeFileSync(at('mixed.nir'), await writeNir(graph));
    const r = await cli(['import', at('mixed.nir'), '-o', at('mixed.spikeflow.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not importable: node threshold (Threshold) — a Threshold is imported only with per-step input');
    expect(r.stderr).toContain('not importable: node output (Output) — nothing importable feeds it');
    expect(r.stderr).toContain('not importable: node scale (Scale) — it is not on an importable path from a spike source to a population or an Output');
    expect(r.stdout).toContain('3 NIR node(s) not imported');
    expect(readDoc(at('mixed.spikeflow.json')).nodes.map((n) => n.id)).toEqual(['input']);
  });

  it('puts a big weight matrix in a .npy beside the document, and export reads it back to the same weights', async () => {
    // Input(100) → Linear 80×100 (seeded, no zeros) → LIF(80) → Output: 8000 weights > 4096, so a side file.
    let seed = 5;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const weights = Array.from({ length: 8000 }, () => 0.1 + next());
    const graph = nirGraph(
      [
        ['input', nirNode('Input', { shape: ints([100]) })],
        ['fc', nirNode('Linear', { weight: tensor(weights, [80, 100]) })],
        ['lif', nirNode('LIF', { tau: filled([80], 0.02), r: filled([80], 1), v_leak: filled([80], 0), v_threshold: filled([80], 1), v_reset: filled([80], 0) })],
        ['output', nirNode('Output', { shape: ints([80]) })],
      ],
      [
        ['input', 'fc'],
        ['fc', 'lif'],
        ['lif', 'output'],
      ],
    );
    writeFileSync(at('big.nir'), await writeNir(graph));
    const r = await cli(['import', at('big.nir'), '-o', at('big.spikeflow.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('weights of 1 wire(s) in big.fc.npy beside it');
    const doc = readDoc(at('big.spikeflow.json'));
    expect(doc.edges.find((e) => e.id === 'fc')?.weights).toEqual({ file: 'big.fc.npy' });
    expect(readFileSync(at('big.spikeflow.json'), 'utf8').length).toBeLessThan(10_000);
    const back = await cli(['export', at('big.spikeflow.json'), '--to', 'nir', '-o', at('big.back.nir')]);
    expect(back.code, back.stderr).toBe(0);
    const fc = (await readNir(new Uint8Array(readFileSync(at('big.back.nir'))))).nodes.get('fc') as NirNodeOf<'Linear'>;
    expect(fc.params.weight.shape).toEqual([80, 100]);
    // Each weight went W·dt/τ (12 significant digits) and back: equal to 1e-11 relative.
    fc.params.weight.data.forEach((x, k) => expect(Math.abs(x - weights[k]) / weights[k]).toBeLessThan(1e-11));
  });

  it('reads times in the unit given, takes the dt given, and makes the input chosen', async () => {
    writeFileSync(at('ms.nir'), await writeNir(recurrent()));
    const r = await cli(['import', at('ms.nir'), '-o', at('ms.spikeflow.json'), '--time-unit', 'ms', '--dt-ms', '0.05', '--input', 'generator', '--reset', 'to-v-reset']);
    expect(r.code).toBe(0);
    const doc = readDoc(at('ms.spikeflow.json'));
    expect(doc.simulation.dt_ms).toBe(0.05);
    const lif = doc.nodes.find((n) => n.id === 'lif');
    expect(lif?.params.tau_m_ms).toBeCloseTo(0.01, 12);
    expect(doc.nodes.find((n) => n.id === 'input')?.kind).toBe('poisson-source');
    expect(r.stderr).toContain("The file's metadata dt is 0.0001 (0.0001 ms); the document uses dt = 0.05 ms.");
  });

  it('refuses a bad option value naming the choices', async () => {
    const r = await cli(['import', at('rec.nir'), '-o', at('never.json'), '--reset', 'zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reset needs one of subtract, to-v-reset (got "zero")');
    expect(existsSync(at('never.json'))).toBe(false);
  });

  const bad: [string, () => Promise<Uint8Array>, string][] = [
    ['not HDF5', async () => new TextEncoder().encode('{"not": "hdf5"}'), 'not an HDF5 file'],
    ['a node without type', () => craftHdf5(lifGraph({ type: undefined })), 'node/nodes/lif1, field type: is missing'],
    ['an unknown type', () => craftHdf5(lifGraph({}, { spiky: { type: 'SpikyNeuron', tau: f64([1]) } })), 'node/nodes/spiky'],
    ['parameters of different shapes', () => craftHdf5(lifGraph({ v_threshold: f64([1, 1, 1, 1]) })), 'node/nodes/lif1 (LIF), field v_threshold'],
    [
      'an edge to a missing node',
      () =>
        craftHdf5(
          lifGraph({}, {}, [
            ['input', 'lif1'],
            ['lif1', 'ghost'],
          ]),
        ),
      'ghost',
    ],
    ['a NaN parameter', () => craftHdf5(lifGraph({ tau: f64([0.01, NaN, 0.03]) })), 'node/nodes/lif1 (LIF), field tau'],
    ['an Input whose shape is not integers', () => craftHdf5(lifGraph({}, { input: { type: 'Input', shape: f64([3.5]) } })), 'node/nodes/input (Input), field shape'],
  ];
  it.each(bad)('refuses %s, naming the node, with exit code 2, writing nothing and leaving an existing file as it was', async (name, make, expected) => {
    const file = at(`bad-${name.replace(/\W+/g, '-')}.nir`);
    writeFileSync(file, await make());
    const out = at('existing.spikeflow.json');
    writeFileSync(out, 'the user\u2019s document');
    const r = await cli(['import', file, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a NIR graph Spikeflow can read (nothing written)');
    expect(r.stderr).toContain(expected);
    expect(readFileSync(out, 'utf8')).toBe('the user\u2019s document');
  });
});

describe('spikeflow export --to nir', () => {
  it('writes a file that reads back to the hand-computed weights', async () => {
    writeFileSync(at('exportable.spikeflow.json'), JSON.stringify(exportableDocument()));
    const r = await cli(['export', at('exportable.spikeflow.json'), '--to', 'nir', '-o', at('exportable.nir')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NIR graph written');
    const graph = await readNir(new Uint8Array(readFileSync(at('exportable.nir'))));
    // W = w·τ/dt = 0.45 · 0.02 / 1e-4 = 90 for every pair.
    expect(Array.from((graph.nodes.get('g_a') as NirNodeOf<'Linear'>).params.weight.data)).toEqual(Array(9).fill(90));
    expect(graph.metadata).toMatchObject({ time_unit: 's', source: 'spikeflow' });
  });

  /** gen → STDP (stored weights) → a, plus a Poisson source → a. */
  function plasticDocument(weights?: { pre: number[]; post: number[]; w: number[] }) {
    const doc = exportableDocument();
    doc.nodes.push(docNode('noise', 'poisson-source', { size: 2 }), docNode('learn', 'stdp', { receptor: 'exc', delay_ms: 0, ...(weights ? { weights } : {}) }));
    doc.edges.push(
      projection('noise_a', 'noise', 'a', { rule: 'all-to-all', weight: 0.1, delay_ms: 0, receptor: 'exc' }),
      { id: 'pre', source: { node: 'gen', port: 'spikes' }, target: { node: 'learn', port: 'pre' }, params: {} },
      { id: 'post', source: { node: 'learn', port: 'post' }, target: { node: 'b', port: 'in' }, params: {} },
    );
    return doc;
  }

  it('refuses plasticity and Poisson input by name, with exit code 2 and no file, unless --static-weights', async () => {
    const file = at('plastic.spikeflow.json');
    writeFileSync(file, JSON.stringify(plasticDocument()));
    const r = await cli(['export', file, '--to', 'nir', '-o', at('plastic.nir')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not exportable: noise (poisson-source) — Poisson input has no NIR form');
    expect(r.stderr).toContain('not exportable: learn (stdp) — plasticity has no NIR form');
    expect(r.stderr).toContain('--static-weights');
    expect(existsSync(at('plastic.nir'))).toBe(false);
    // With consent but no stored weights: the STDP projection is still refused, saying how to store them.
    const r2 = await cli(['export', file, '--to', 'nir', '-o', at('plastic.nir'), '--static-weights']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('not exportable: learn (stdp) — its weights are drawn when a run starts and none are stored');
    expect(existsSync(at('plastic.nir'))).toBe(false);
  });

  it('with --static-weights writes stored weights as a static Linear and the Poisson source as an Input', async () => {
    const file = at('learned.spikeflow.json');
    writeFileSync(file, JSON.stringify(plasticDocument({ pre: [0, 2, 1], post: [0, 1, 2], w: [1, 0.5, 2] })));
    const r = await cli(['export', file, '--to', 'nir', '-o', at('learned.nir'), '--static-weights']);
    expect(r.stderr).not.toMatch(/not exportable/);
    expect(r.code).toBe(0);
    const graph = await readNir(new Uint8Array(readFileSync(at('learned.nir'))));
    expect(graph.nodes.get('noise')).toEqual(nirNode('Input', { shape: ints([2]) }));
    // [post, pre], W = w·τ_syn/dt = w · 0.005 / 1e-4 = 50·w.
    expect(Array.from((graph.nodes.get('learn') as NirNodeOf<'Linear'>).params.weight.data)).toEqual([50, 0, 0, 0, 0, 25, 0, 100, 0]);
    expect(graph.edges).toContainEqual(['gen', 'learn']);
    expect(graph.edges).toContainEqual(['learn', 'b']);
    expect(r.stderr).toContain('learn: its current weights are exported as static ones');
  });

  it('refuses --static-weights for a format that has no such option', async () => {
    const r = await cli(['export', 'examples/cuba.spikeflow.json', '--to', 'brian2', '--static-weights']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--static-weights is not an option of --to brian2');
  });
});

describe('spikeflow import ∘ export', () => {
  it('a document exported and imported again has the same populations and weights', async () => {
    const doc = exportableDocument();
    writeFileSync(at('rt.spikeflow.json'), JSON.stringify(doc));
    expect((await cli(['export', at('rt.spikeflow.json'), '--to', 'nir', '-o', at('rt.nir')])).code).toBe(0);
    const r = await cli(['import', at('rt.nir'), '-o', at('rt.back.json')]);
    expect(r.code).toBe(0);
    const back = readDoc(at('rt.back.json'));
    for (const id of ['a', 'b']) {
      const before = doc.nodes.find((n) => n.id === id)?.params ?? {};
      const after = back.nodes.find((n) => n.id === id)?.params ?? {};
      for (const k of ['size', 'tau_m_ms', 'v_rest_mv', 'v_th_mv', 'v_reset_mv']) expect(after[k] as number, `${id}.${k}`).toBeCloseTo(before[k] as number, 12);
    }
    expect(back.edges.filter((e) => e.target.port === 'in').map((e) => [e.source.node, e.target.node, e.params.rule, e.params.receptor])).toEqual([
      ['gen', 'a', 'all-to-all', 'exc'],
      ['a', 'b', 'one-to-one', 'exc'],
      ['b', 'a', 'one-to-one', 'inh'],
    ]);
  });
});
