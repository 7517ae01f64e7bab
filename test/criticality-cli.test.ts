/**
 * The spike monitor's statistics through the CLI: `run --json` and `--out`'s
 * run.json report, per spike monitor, CV(ISI), synchrony and (when asked) the
 * criticality analysis; recomputing them in batch from the spikes --out wrote
 * gives the same figures as the engine's streaming accumulation.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.ts';
import { cvIsiMean } from '../engine/sim/spike-stats.ts';
import { analyzeCriticality } from '../engine/analysis/criticality.ts';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The Poisson E/I example with its monitor's criticality analysis on. */
function criticalDoc(dir: string): string {
  const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), 'utf8'));
  const mon = doc.nodes.find((n: { kind: string }) => n.kind === 'spike-monitor');
  mon.params = { ...mon.params, criticality: true, avalanche_bin_ms: 0.5, transient_ms: 50, branching_k_max: 10, bootstrap: 5 };
  const file = path.join(dir, 'ei-critical.spikeflow.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('spike monitor statistics in the CLI', () => {
  it('run --json and run.json report CV(ISI), synchrony and the criticality analysis, equal to a batch recomputation from the written spikes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-crit-'));
    const file = criticalDoc(dir);
    const out = path.join(dir, 'out');
    const r = await cli(['run', file, '--json', '--out', out, '--duration-ms', '400', '--seed', '4']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.monitors).toHaveLength(1);
    const m = j.monitors[0];
    expect(m.nodeId).toBe('raster');
    expect(m.neurons).toBe(300);
    expect(m.spikes).toBe(j.spikes + j.source_spikes);
    const runJson = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
    expect(runJson.stats.monitors).toEqual(j.monitors);

    // The same spikes in batch: the monitor's populations one after another (input 200, exc 80, inh 20).
    const dt = 0.1;
    const neuron: number[] = [];
    const step: number[] = [];
    const perStep = new Array(4000).fill(0);
    let base = 0;
    for (const [pop, size] of [
      ['input', 200],
      ['exc', 80],
      ['inh', 20],
    ] as const) {
      const rows = readFileSync(path.join(out, `raster.${pop}.spikes.csv`), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      for (const row of rows) {
        const [n, t] = row.split(',').map(Number);
        const s = Math.round(t / dt);
        neuron.push(base + n);
        step.push(s);
        perStep[s]++;
      }
      base += size;
    }
    expect(neuron.length).toBe(m.spikes);
    const cv = cvIsiMean(neuron, step, 300);
    expect(m.cv_isi_neurons).toBe(cv.neurons);
    expect(m.cv_isi_mean).toBeCloseTo(cv.cv, 9);
    const batch = analyzeCriticality(perStep.slice(0, 4000), dt, { binMs: 0.5, kMax: 10, bootstrap: 5, seed: 4, fromStep: 500 });
    expect(m.criticality).toEqual(JSON.parse(JSON.stringify(batch)));
    expect(m.criticality.bin_ms).toBeCloseTo(0.5, 12);
    expect(m.criticality.avalanches).toBeGreaterThan(10);
    expect(m.criticality.branching.r_k).toHaveLength(10);
    expect(m.criticality.sizes.p_value).not.toBeNull();
  });

  it('leaves the criticality analysis out of a monitor that does not ask for it', async () => {
    const r = await cli(['run', 'examples/poisson-ei.spikeflow.json', '--json', '--duration-ms', '300']);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout).monitors[0];
    expect(m.cv_isi_mean).toBeGreaterThan(0);
    expect(m.pop_count_cv).toBeGreaterThan(0);
    expect(m).not.toHaveProperty('criticality');
  });
});
