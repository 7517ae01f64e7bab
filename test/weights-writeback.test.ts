/**
 * Learned-weight write-back across layers: the CLI runs a plastic graph, writes
 * the learned weights back (inline or into a side file), and the saved
 * document then builds a network that starts from exactly those weights.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import { inlineWeightFiles, sideWeightFiles } from '../engine/format/weights.ts';
import type { GraphDocument } from '../engine/format/document.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { Network } from '../engine/sim/network.ts';
import { ROOT } from './helpers.ts';
import { execFileSync } from 'node:child_process';
import { PYTHON, requireTool } from './require-tool.ts';
import { defaultParams, getKind } from '../engine/kinds/index.ts';
import { newDocument } from '../engine/format/load.ts';
import { runtimeOf } from '../engine/kinds/index.ts';

function hasNumpy(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const W_MAX = 0.01;

/** The STDP example, shortened to 0.5 s so the test is quick (the weights still move). */
function exampleText(): string {
  const r = loadDocument(readFileSync(path.join(ROOT, 'examples/stdp.spikeflow.json'), 'utf8'));
  if (!r.ok) throw new Error('example does not load');
  r.doc.simulation.duration_ms = 500;
  return serializeDocument(r.doc);
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

/** The plastic weights the document's network holds before its first step. */
function weightsAtStart(doc: GraphDocument): Float64Array {
  const plan = compileDocument(doc);
  if (!plan.ok) throw new Error(plan.issues.map((i) => i.message).join('\n'));
  return new Network(plan.plan, { runtimes: runtimeOf }).plasticWeights()[0].w;
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;

function load(file: string): GraphDocument {
  const text = readFileSync(file, 'utf8');
  const r = loadDocument(text);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  // Stable serialization holds for documents with stored weights too.
  expect(serializeDocument(r.doc)).toBe(text);
  return r.doc;
}

describe('learned weights written back by the CLI', () => {
  it('inline: the saved document starts its next run from the learned weights', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-wb-'));
    const file = path.join(dir, 'net.spikeflow.json');
    writeFileSync(file, exampleText());
    const initial = weightsAtStart(load(file));

    const first = await cli(['run', file, '--json', '--save-weights', 'inline']);
    expect(first.code).toBe(0);
    const learnedMean = JSON.parse(first.out).plastic[0].w_mean_over_wmax * W_MAX;
    // The run did learn something: the mean moved away from the drawn start.
    expect(Math.abs(learnedMean - mean(initial))).toBeGreaterThan(1e-6);

    const saved = load(file);
    const stored = saved.nodes.find((n) => n.id === 'stdp')!.weights as { pre: number[]; post: number[]; w: number[] };
    expect(stored.w).toHaveLength(1000);
    expect(stored.post.every((j) => j === 0)).toBe(true);
    const start = weightsAtStart(saved);
    expect(Array.from(start)).toEqual(stored.w);
    expect(mean(start)).toBeCloseTo(learnedMean, 12);

    // And it runs again from there.
    const second = await cli(['run', file, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out).synapses).toBe(1000);
    rmSync(dir, { recursive: true });
  });

  it('side file: the document references <name>.weights.json, which the CLI reads back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-wb-'));
    const file = path.join(dir, 'net.spikeflow.json');
    const copy = path.join(dir, 'learned.spikeflow.json');
    writeFileSync(file, exampleText());

    const first = await cli(['run', file, '--json', '--save-weights', 'file', '--save-to', copy]);
    expect(first.code).toBe(0);
    const learnedMean = JSON.parse(first.out).plastic[0].w_mean_over_wmax * W_MAX;
    // The original is untouched; the copy references the side file next to it.
    expect(readFileSync(file, 'utf8')).toBe(exampleText());
    const saved = load(copy);
    expect(saved.nodes.find((n) => n.id === 'stdp')!.weights).toEqual({ file: 'learned.weights.json' });
    const side = path.join(dir, 'learned.weights.json');
    expect(existsSync(side)).toBe(true);

    const names = sideWeightFiles(saved);
    const inlined = inlineWeightFiles(saved, new Map(names.map((n) => [n, readFileSync(path.join(dir, n), 'utf8')])));
    expect(inlined.issues).toEqual([]);
    expect(mean(weightsAtStart(inlined.doc))).toBeCloseTo(learnedMean, 12);

    expect((await cli(['validate', copy])).code).toBe(0);
    expect((await cli(['run', copy, '--json'])).code).toBe(0);

    // Without its side file the document does not run, and says which node and field.
    rmSync(side);
    const missing = await cli(['run', copy, '--json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('/nodes/1/weights/file: Node "stdp" (STDP (pair)), field weights.file: the weights file "learned.weights.json" was not found next to');
    rmSync(dir, { recursive: true });
  });

  it("side files are plain files in the document's folder: a symbolic link or a folder resolving outside it is refused, reading and writing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-wb-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'sf-outside-'));
    try {
      const file = path.join(dir, 'net.spikeflow.json');
      writeFileSync(file, exampleText());
      const secret = path.join(outside, 'secret.json');
      writeFileSync(secret, '{"secret":1}');

      // Writing: the side file the CLI would write is a link to a file outside.
      symlinkSync(secret, path.join(dir, 'net.weights.json'));
      const write = await cli(['run', file, '--json', '--save-weights', 'file']);
      expect(write.code).toBe(1);
      expect(write.err).toContain('net.weights.json is a symbolic link');
      expect(write.err).toContain('the document on disk is unchanged');
      expect(readFileSync(secret, 'utf8')).toBe('{"secret":1}');
      expect(readFileSync(file, 'utf8')).toBe(exampleText());

      // Reading: a document whose weights file is that link does not run.
      const doc = load(file);
      doc.nodes.find((n) => n.id === 'stdp')!.weights = { file: 'net.weights.json' };
      writeFileSync(file, serializeDocument(doc));
      const read = await cli(['run', file, '--json']);
      expect(read.code).toBe(2);
      expect(read.err).toContain('its weights file "net.weights.json"');
      expect(read.err).toContain('is a symbolic link');
      expect((await cli(['validate', file])).err).toContain('is a symbolic link');

      // A folder inside the document's that is a link to one outside it.
      symlinkSync(outside, path.join(dir, 'linked'));
      doc.nodes.find((n) => n.id === 'stdp')!.weights = { file: 'linked/secret.json' };
      writeFileSync(file, serializeDocument(doc));
      const linked = await cli(['run', file, '--json']);
      expect(linked.code).toBe(2);
      expect(linked.err).toContain(`outside the document's folder`);
      expect(readdirSync(outside)).toEqual(['secret.json']);
    } finally {
      rmSync(dir, { recursive: true });
      rmSync(outside, { recursive: true });
    }
  });

  it('refuses --save-weights without a mode and --save-to without --save-weights', async () => {
    expect((await cli(['run', 'x.json', '--save-weights', 'disk'])).err).toContain('--save-weights needs "inline" or "file"');
    expect((await cli(['run', 'x.json', '--save-to', 'y.json'])).err).toContain('--save-to goes with --save-weights');
  });
});

describe.runIf(requireTool('python3 with numpy', hasNumpy(), 'apt-get install -y python3-numpy'))('a weight monitor from the CLI', () => {
  it('--out writes its snapshots as <monitor>.npz: w [snapshots, synapses], t_ms, pre, post; the last row is the final weights', async () => {
    const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({
      id,
      kind,
      label: id,
      position: { x: 0, y: 0 },
      params: { ...defaultParams(getKind(kind)!.params), ...params },
    });
    const wire = (id: string, s: string, sp: string, t: string, tp: string) => ({ id, source: { node: s, port: sp }, target: { node: t, port: tp }, params: {} });
    const doc = newDocument('wm');
    doc.simulation.duration_ms = 200;
    doc.nodes = [
      node('in', 'poisson-source', { size: 20, rate_hz: 100 }),
      node('stdp', 'stdp', { rule: 'all-to-all', weight: 5, w_max: 10, a_pre: 0.5, a_post: -0.5 }),
      node('out', 'lif-curr-exp', { size: 3 }),
      node('wm', 'weight-monitor', { interval_ms: 50 }),
    ];
    doc.edges = [wire('pre', 'in', 'spikes', 'stdp', 'pre'), wire('post', 'stdp', 'post', 'out', 'in'), wire('w', 'stdp', 'post', 'wm', 'projection')];
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-wm-'));
    const file = path.join(dir, 'wm.spikeflow.json');
    writeFileSync(file, serializeDocument(doc));
    const out = path.join(dir, 'out');
    expect((await cli(['run', file, '--out', out])).code).toBe(0);
    const py = [
      'import numpy as np, json, sys',
      `d = np.load(${JSON.stringify(path.join(out, 'wm.npz'))})`,
      `csv = np.loadtxt(${JSON.stringify(path.join(out, 'stdp.weights.csv'))}, delimiter=',', skiprows=1)`,
      'print(json.dumps({"shape": list(d["w"].shape), "t": d["t_ms"].tolist(), "pre": d["pre"].tolist()[:4], "first": float(d["w"][0].mean()),',
      '  "last_matches_csv": bool(np.allclose(d["w"][-1], csv[:, 2].astype(np.float32))), "moved": bool(np.any(d["w"][-1] != 5))}))',
    ].join('\n');
    const r = JSON.parse(execFileSync(PYTHON, ['-c', py], { encoding: 'utf8' }));
    expect(r.shape).toEqual([5, 60]);
    expect(r.t).toEqual([0, 50, 100, 150, 200]);
    expect(r.pre).toEqual([0, 0, 0, 1]);
    expect(r.first).toBe(5);
    expect(r.last_matches_csv).toBe(true);
    expect(r.moved).toBe(true);
    rmSync(dir, { recursive: true });
  });
});
