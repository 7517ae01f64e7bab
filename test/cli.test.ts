import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.ts';

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
    expect(files).toEqual(['raster.exc.spikes.csv', 'raster.inh.spikes.csv', 'raster.input.spikes.csv', 'run.json']);
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
