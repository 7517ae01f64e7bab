import { describe, it, expect } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.ts';
import { PYTHON, requireTool } from './require-tool.ts';
import { SCHEDULE } from '../engine/sim/schedule.ts';

function hasNumpy(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const EI = 'examples/poisson-ei.spikeflow.json';

describe('spikeflow CLI', () => {
  it('run --json prints one JSON object with the run statistics', async () => {
    const r = await cli(['run', EI, '--json', '--duration-ms', '300']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ['neurons', 'synapses', 'spikes', 'mean_rate_hz', 'synaptic_events', 'build_ms', 'run_ms', 'sparsity', 'dense_macs']) {
      expect(j).toHaveProperty(k);
    }
    expect(j.neurons).toBe(100);
    expect(j.steps).toBe(3000);
    expect(j.spikes).toBeGreaterThan(0);
    expect(j.mean_rate_hz).toBeCloseTo(j.spikes / (100 * 0.3), 9);
    expect(j.dense_macs).toBe(j.synapses * 3000);
  });

  it('reports the same spikes twice for the same seed, and others for another seed', async () => {
    const [a, b, c] = await Promise.all([
      cli(['run', EI, '--json', '--seed', '7', '--duration-ms', '300']),
      cli(['run', EI, '--json', '--seed', '7', '--duration-ms', '300']),
      cli(['run', EI, '--json', '--seed', '8', '--duration-ms', '300']),
    ]);
    const [ja, jb, jc] = [a, b, c].map((r) => JSON.parse(r.stdout));
    expect(ja.spikes).toBe(jb.spikes);
    expect(ja.synaptic_events).toBe(jb.synaptic_events);
    expect(ja.seed).toBe(7);
    expect([jc.spikes, jc.synaptic_events]).not.toEqual([ja.spikes, ja.synaptic_events]);
  });

  it('--out writes each monitor population as (neuron, t_ms) CSV and the graph that ran', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-cli-'));
    const r = await cli(['run', EI, '--out', out, '--duration-ms', '200', '--seed', '3']);
    expect(r.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['raster.exc.spikes.csv', 'raster.inh.spikes.csv', 'raster.input.spikes.csv', 'raster.npz', 'run.json']);
    const run = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
    expect(run.graph.simulation).toMatchObject({ seed: 3, duration_ms: 200 });
    const lines = readFileSync(path.join(out, 'raster.exc.spikes.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('neuron,t_ms');
    const excSpikes = run.stats.populations.find((p: { nodeId: string }) => p.nodeId === 'exc').spikes;
    expect(lines.length - 1).toBe(excSpikes);
    for (const l of lines.slice(1)) {
      const [n, t] = l.split(',').map(Number);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(80);
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThan(200);
    }
  });

  it('--out writes state and rate monitors as CSV and every monitor as NPZ that numpy loads, agreeing with the run statistics', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-cli-'));
    const doc = JSON.parse(readFileSync(path.join(ROOT, EI), 'utf8'));
    doc.nodes.push(
      { id: 'volt', kind: 'state-monitor', label: 'Voltage', position: { x: 0, y: 0 }, params: { variable: 'v', neurons: [0, 5], interval_ms: 1 } },
      { id: 'pop_rate', kind: 'rate-monitor', label: 'Rate', position: { x: 0, y: 0 }, params: { bin_ms: 10 } },
    );
    doc.edges.push(
      { id: 'w_v', source: { node: 'exc', port: 'spikes' }, target: { node: 'volt', port: 'spikes' }, params: {} },
      { id: 'w_r', source: { node: 'exc', port: 'spikes' }, target: { node: 'pop_rate', port: 'spikes' }, params: {} },
    );
    const file = path.join(dir, 'mon.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = path.join(dir, 'out');
    const r = await cli(['run', file, '--out', out, '--duration-ms', '200', '--seed', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'pop_rate.exc.rate.csv',
      'pop_rate.npz',
      'raster.exc.spikes.csv',
      'raster.inh.spikes.csv',
      'raster.input.spikes.csv',
      'raster.npz',
      'run.json',
      'volt.exc.state.csv',
      'volt.npz',
    ]);
    const run = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
    expect(run.npz_files.sort()).toEqual(['pop_rate.npz', 'raster.npz', 'volt.npz']);
    const excSpikes: number = run.stats.populations.find((p: { nodeId: string }) => p.nodeId === 'exc').spikes;

    // State: 200 samples (every 1 ms over 200 ms) of 2 neurons, long form.
    const state = readFileSync(path.join(out, 'volt.exc.state.csv'), 'utf8').trim().split('\n');
    expect(state[0]).toBe('t_ms,neuron,value');
    expect(state.length - 1).toBe(200 * 2);
    for (const l of state.slice(1)) {
      const [t, n, v] = l.split(',').map(Number);
      expect([0, 5]).toContain(n);
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThan(200);
      // Between the reset/rest (-65) and the threshold (-50), plus the initial spread.
      expect(v).toBeGreaterThanOrEqual(-80);
      expect(v).toBeLessThanOrEqual(-50);
    }

    // Rate: 20 bins of 10 ms; their mean rate × population × duration = the spike count.
    const rate = readFileSync(path.join(out, 'pop_rate.exc.rate.csv'), 'utf8').trim().split('\n');
    expect(rate[0]).toBe('t_ms,rate_hz');
    const bins = rate.slice(1).map((l) => l.split(',').map(Number));
    expect(bins.map((b) => b[0])).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    const spikesFromRate = bins.reduce((a, b) => a + b[1] * 80 * 0.01, 0);
    expect(spikesFromRate).toBeCloseTo(excSpikes, 6);

    if (!requireTool('python3 with numpy', hasNumpy(), 'apt-get install -y python3-numpy')) return;
    const script = [
      'import json, sys, numpy',
      'out = {}',
      'for name in sys.argv[1:]:',
      '    d = numpy.load(name)',
      '    out[name.split("/")[-1]] = {k: [d[k].dtype.str, list(d[k].shape), float(d[k].sum())] for k in d.files}',
      'print(json.dumps(out))',
    ].join('\n');
    const npz = JSON.parse(execFileSync(PYTHON, ['-c', script, ...['raster.npz', 'volt.npz', 'pop_rate.npz'].map((f) => path.join(out, f))], { encoding: 'utf8' }));
    for (const p of ['input', 'exc', 'inh']) {
      const n = run.stats.populations.find((x: { nodeId: string }) => x.nodeId === p).spikes;
      expect(npz['raster.npz'][`${p}_neuron`].slice(0, 2)).toEqual(['<i4', [n]]);
      expect(npz['raster.npz'][`${p}_t_ms`].slice(0, 2)).toEqual(['<f8', [n]]);
    }
    expect(npz['volt.npz'].exc_v.slice(0, 2)).toEqual(['<f4', [200, 2]]);
    expect(npz['volt.npz'].exc_neurons).toEqual(['<i4', [2], 5]);
    expect(npz['volt.npz'].exc_t_ms[1]).toEqual([200]);
    const csvSum = state.slice(1).reduce((a, l) => a + Number(l.split(',')[2]), 0);
    expect(npz['volt.npz'].exc_v[2]).toBeCloseTo(csvSum, 1);
    expect(npz['pop_rate.npz'].exc_rate_hz.slice(0, 2)).toEqual(['<f8', [20]]);
    expect(npz['pop_rate.npz'].exc_rate_hz[2] * 80 * 0.01).toBeCloseTo(excSpikes, 6);
  });

  it('an invalid file exits non-zero with the loader message naming node and field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-cli-'));
    const doc = JSON.parse(readFileSync(path.join(ROOT, EI), 'utf8'));
    doc.nodes[1].params.tau_m_ms = -5;
    const bad = path.join(dir, 'bad.spikeflow.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = await cli(['run', bad, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/exc/);
    expect(r.stderr).toMatch(/tau_m_ms/);
    expect(r.stderr).toMatch(/\/nodes\/1\/params\/tau_m_ms/);

    writeFileSync(bad, '{"format": "spikeflow-graph", "version": 1, "nodes": [');
    const r2 = await cli(['run', bad]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/line \d+/i);
  });

  it('bad usage exits 2 and explains', async () => {
    const r = await cli(['run', EI, '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed needs a whole number/);
    const r2 = await cli(['frobnicate']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/unknown command frobnicate/);
  });
});

describe('spikeflow run --profile', () => {
  it('reports the time of every build phase and step phase, within the run time, and the same spikes as without it', async () => {
    const [plain, profiled, text] = await Promise.all([
      cli(['run', EI, '--json', '--duration-ms', '300', '--threads', '1']),
      cli(['run', EI, '--json', '--duration-ms', '300', '--threads', '1', '--profile']),
      cli(['run', EI, '--duration-ms', '300', '--threads', '1', '--profile']),
    ]);
    expect(profiled.code).toBe(0);
    const a = JSON.parse(plain.stdout);
    const b = JSON.parse(profiled.stdout);
    expect(a.profile).toBeUndefined();
    expect(b.spikes).toBe(a.spikes);
    expect(b.synaptic_events).toBe(a.synaptic_events);
    expect(Object.keys(b.profile.run_ms)).toEqual([...SCHEDULE]);
    const phases = Object.values(b.profile.run_ms as Record<string, number>);
    expect(phases.every((ms) => ms >= 0)).toBe(true);
    expect(phases.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(b.run_ms);
    expect(Object.keys(b.profile.build_ms)).toEqual(['populations', 'synapses', 'rings', 'drives', 'setup']);
    expect(Object.values(b.profile.build_ms as Record<string, number>).reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(b.build_ms);
    expect(b.profile.paths).toHaveProperty('wasmProjections');
    expect(text.stdout).toMatch(/\nbuild: populations [\d.]+ s, synapses [\d.]+ s/);
    expect(text.stdout).toMatch(/\nrun: neuron update [\d.]+ s \(\d+ %\), spike delivery [\d.]+ s/);
  });
});
