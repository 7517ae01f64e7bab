/**
 * The two issue-16 experiments in examples/criticality/: each document loads
 * without warnings in canonical form, compiles, carries a saved sweep whose sets
 * name real fields, and a shrunken 2 × 2 sweep of it runs through the CLI with
 * the metrics its figures need (the full-size sweeps are README "Criticality").
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { GraphDocument } from '../engine/format/document.ts';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { checkSets, parseSet, sweepPoints } from '../engine/compile/sweep.ts';
import { ROOT } from './helpers.ts';

const BRUNEL = 'examples/criticality/brunel-phase.spikeflow.json';
const RESERVOIR = 'examples/criticality/reservoir.spikeflow.json';

async function cli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
  return stdout;
}

/** results.csv as one record per row. */
function table(dir: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path.join(dir, 'results.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

describe.each([BRUNEL, RESERVOIR])('%s', (file) => {
  it('loads without warnings in canonical form, compiles, and its saved sweep names real fields', () => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const r = loadDocument(text);
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    expect(r.warnings).toEqual([]);
    expect(serializeDocument(r.doc)).toBe(text);
    const c = compileDocument(r.doc);
    if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('\n'));
    const saved = (r.doc as unknown as { sweep: { sets: string[]; seeds: number } }).sweep;
    const sets = saved.sets.map(parseSet);
    expect(() => checkSets(r.doc, sets)).not.toThrow();
    expect(sweepPoints(sets).length).toBeGreaterThanOrEqual(10);
  });
});

describe('the experiments, shrunk, through spikeflow sweep', () => {
  it('Brunel: a 2 × 2 (g, η) sweep of a 500-neuron copy gives rate, CV(ISI) and synchrony, and fires fastest at low g and high η', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-crit-brunel-'));
    // 400 E + 100 I with C_E = 40, C_I = 10 and J = 2.5 mV (Brunel's J·C_E), g ∈ {3, 6}, η ∈ {1, 4}.
    const small = ['exc.size=400', 'inh.size=100', 'e_ee.n+e_ei.n=40', 'e_ee.weight+e_ei.weight+ext.weight=2.5', 'e_ie.n+e_ii.n=10', 'ext.count=40'];
    await cli(['sweep', BRUNEL, ...small.flatMap((s) => ['--set', s]), '--set', 'e_ie.weight+e_ii.weight=7.5,15', '--set', 'ext.rate_hz=10,40', '--jobs', '2', '--out', out, '--duration-ms', '300']);
    const rows = table(out);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.status).toBe('ok');
      for (const m of ['mean_rate_hz', 'raster.cv_isi_mean', 'raster.synchrony']) expect(Number.isFinite(Number(r[m])), `${m} = ${r[m]}`).toBe(true);
    }
    const rate = (w: string, eta: string) => Number(rows.find((r) => r['e_ie.weight+e_ii.weight'] === w && r['ext.rate_hz'] === eta)!.mean_rate_hz);
    expect(rate('7.5', '40')).toBeGreaterThan(rate('15', '40'));
    expect(rate('7.5', '40')).toBeGreaterThan(rate('15', '10'));
  }, 120_000);

  it('reservoir: a 2-coupling × 2-seed sweep of an 80-neuron copy gives the branching ratio, avalanche exponents and digit accuracy, with m larger at the larger coupling; `run --json` gives the memory capacity', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-crit-reservoir-'));
    // 80 neurons with K = 8 inputs (m = K·J/θ = 0.4·J): J = 1 and 2 mV give m = 0.4 and 0.8; 20 label and 10 test digits (30 × 150 ms).
    const small = ['exc.size=80', 'e_ee.n=8', 'readout.label_presentations=20', 'readout.test_presentations+readout.test_count=10'];
    await cli(['sweep', RESERVOIR, ...small.flatMap((s) => ['--set', s]), '--set', 'e_ee.weight=1,2', '--seeds', '2', '--jobs', '2', '--out', out, '--duration-ms', '4500']);
    const rows = table(out);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.status).toBe('ok');
      for (const m of ['activity.branching_m', 'activity.avalanches', 'readout.test_accuracy']) expect(Number.isFinite(Number(r[m])) && r[m] !== '', `${m} = ${r[m]}`).toBe(true);
      expect(Number(r['readout.test_accuracy'])).toBeGreaterThanOrEqual(0);
      expect(Number(r['readout.test_accuracy'])).toBeLessThanOrEqual(1);
    }
    // The branching ratio and the rate grow with the coupling, seed by seed.
    for (const seed of ['1', '2']) {
      const at = (j: string) => rows.find((r) => r['e_ee.weight'] === j && r.seed === seed)!;
      expect(Number(at('2')['activity.branching_m'])).toBeGreaterThan(Number(at('1')['activity.branching_m']));
      expect(Number(at('2')['exc.rate_hz'])).toBeGreaterThan(Number(at('1')['exc.rate_hz']));
    }

    // The memory task alone: the 80-neuron copy with u at 1 mV per synapse, so u is its main drive.
    const doc = JSON.parse(readFileSync(path.join(ROOT, RESERVOIR), 'utf8')) as GraphDocument;
    const params = (id: string) => (doc.nodes.find((n) => n.id === id) ?? doc.edges.find((e) => e.id === id))!.params!;
    Object.assign(params('exc'), { size: 80 });
    Object.assign(params('e_ee'), { n: 8 });
    Object.assign(params('u_exc'), { weight: 1 });
    const file = path.join(out, 'memory.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    const stats = JSON.parse(await cli(['run', file, '--json', '--duration-ms', '6000']));
    const memory = stats.monitors.find((m: { nodeId: string }) => m.nodeId === 'memory').memory_capacity;
    expect(memory.input).toBe('u');
    expect(memory.bin_ms).toBe(10);
    expect(memory.r2).toHaveLength(11);
    // The reservoir follows its input within a bin: r²_0 is well above chance, and the capacity is their sum.
    expect(memory.r2[0]).toBeGreaterThan(0.3);
    expect(memory.capacity).toBeCloseTo(
      memory.r2.reduce((s: number, x: number) => s + x, 0),
      9,
    );
  }, 180_000);

  it('says, naming the monitor and the field, when the memory input is not a population wired into the monitor', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-crit-memory-'));
    const doc = JSON.parse(readFileSync(path.join(ROOT, RESERVOIR), 'utf8')) as GraphDocument;
    doc.nodes.find((n) => n.id === 'memory')!.params.memory_input = 'digits';
    const file = path.join(out, 'bad.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    const text = await cli(['run', file, '--duration-ms', '300']);
    expect(text).toContain('memory capacity: not measured (spike monitor "memory": memory_input "digits" is not a population wired into it (its populations: u, exc))');
  }, 60_000);
});
