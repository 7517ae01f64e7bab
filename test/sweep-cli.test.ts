/**
 * `spikeflow sweep` end to end on a small network (the Poisson E/I example):
 * the grid, seeds, jobs, the table, resuming, and bad --set arguments.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('spikeflow sweep', () => {
  it('runs a 2 × 2 grid with 2 seeds on 2 jobs into --out, each run equal to `run` with that value and seed', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-sweep-'));
    const r = await cli(['sweep', EI, '--set', 'exc.tau_m_ms=10,20', '--set', 'input.rate_hz=5:10:5', '--seeds', '2', '--jobs', '2', '--out', out, '--duration-ms', '200']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[#+\] 8\/8 runs/);
    const rows = csvRows(readFileSync(path.join(out, 'results.csv'), 'utf8'));
    const head = rows[0];
    expect(head.slice(0, 5)).toEqual(['point', 'exc.tau_m_ms', 'input.rate_hz', 'seed', 'status']);
    for (const m of ['mean_rate_hz', 'sparsity', 'synaptic_events', 'exc.rate_hz', 'raster.cv_isi_mean', 'raster.synchrony']) expect(head).toContain(m);
    expect(rows.slice(1).map((x) => x.slice(0, 5))).toEqual([
      ['0', '10', '5', '1', 'ok'],
      ['0', '10', '5', '2', 'ok'],
      ['1', '10', '10', '1', 'ok'],
      ['1', '10', '10', '2', 'ok'],
      ['2', '20', '5', '1', 'ok'],
      ['2', '20', '5', '2', 'ok'],
      ['3', '20', '10', '1', 'ok'],
      ['3', '20', '10', '2', 'ok'],
    ]);
    const json = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(json.rows).toHaveLength(8);
    expect(json.seeds).toBe(2);

    // Point 2, seed 2 (exc.tau_m_ms = 20, input.rate_hz = 5) is exactly `run` of that document and seed.
    const doc = JSON.parse(readFileSync(path.join(ROOT, EI), 'utf8'));
    doc.nodes.find((n: { id: string }) => n.id === 'exc').params.tau_m_ms = 20;
    doc.nodes.find((n: { id: string }) => n.id === 'input').params.rate_hz = 5;
    const file = path.join(out, 'point2.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    const single = JSON.parse((await cli(['run', file, '--json', '--seed', '2', '--duration-ms', '200'])).stdout);
    const row = json.rows.find((x: { point: number; seed: number }) => x.point === 2 && x.seed === 2);
    expect(row.values).toEqual({ 'exc.tau_m_ms': 20, 'input.rate_hz': 5 });
    expect(row.metrics.spikes).toBe(single.spikes);
    expect(row.metrics.synaptic_events).toBe(single.synaptic_events);
    expect(row.metrics['raster.cv_isi_mean']).toBe(single.monitors[0].cv_isi_mean);
    // The rate doubles the input: more synaptic events at 10 Hz than at 5 Hz, seed for seed.
    const events = (p: number, s: number) => json.rows.find((x: { point: number; seed: number }) => x.point === p && x.seed === s).metrics.synaptic_events;
    expect(events(1, 1)).toBeGreaterThan(events(0, 1));
  });

  it('resumes: a rerun skips the runs already in points.jsonl, ignores a line cut short, and gives the same table', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-sweep-'));
    const args = ['sweep', EI, '--set', 'exc.tau_m_ms=10,15,20', '--out', out, '--duration-ms', '100', '--jobs', '1', '--metrics', 'spikes,synaptic_events'];
    const first = await cli(args);
    expect(first.code, first.stderr).toBe(0);
    const table = readFileSync(path.join(out, 'results.csv'), 'utf8');
    expect(csvRows(table)[0]).toEqual(['point', 'exc.tau_m_ms', 'seed', 'status', 'spikes', 'synaptic_events']);
    // As if killed during the third run's line: two whole lines and a piece.
    const lines = readFileSync(path.join(out, 'points.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    writeFileSync(path.join(out, 'points.jsonl'), lines.slice(0, 2).join('\n') + '\n' + lines[2].slice(0, 20));
    const again = await cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming: 2 of 3 runs already done');
    expect(again.stderr).toContain('1 unreadable or failed line(s)');
    expect(readFileSync(path.join(out, 'results.csv'), 'utf8')).toBe(table);
    // Another sweep into the same folder is refused.
    const other = await cli(['sweep', EI, '--set', 'exc.tau_m_ms=10,16', '--out', out, '--duration-ms', '100']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('holds another sweep');
  });

  it('refuses a bad NODE.FIELD, naming node and field, before any run or file', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'sf-sweep-')), 'never');
    const r = await cli(['sweep', EI, '--set', 'exc.tau_mx=1,2', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--set exc.tau_mx: node "exc" (lif-curr-exp) has no field "tau_mx"; its fields: size, tau_m_ms');
    expect(existsSync(out)).toBe(false);
    const bad = await cli(['sweep', EI, '--set', 'exc.tau_m_ms=10,-1', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('point 1 (exc.tau_m_ms=-1)');
    expect(bad.stderr).toContain('Node "exc"');
    expect(bad.stderr).toContain('field tau_m_ms');
    expect(existsSync(out)).toBe(false);
    const metric = await cli(['sweep', EI, '--set', 'exc.tau_m_ms=10', '--metrics', 'nonsense']);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toContain('--metrics: no metric "nonsense"');
  });

  it('prints the CSV on stdout without --out, with the criticality metrics of a monitor that asks for them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-sweep-'));
    const doc = JSON.parse(readFileSync(path.join(ROOT, EI), 'utf8'));
    Object.assign(doc.nodes.find((n: { kind: string }) => n.kind === 'spike-monitor').params, { criticality: true, bootstrap: 0, branching_k_max: 5 });
    const file = path.join(dir, 'crit.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli(['sweep', file, '--set', 'simulation.seed=3,7', '--duration-ms', '300', '--metrics', 'branching_m,size_exponent,avalanches']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows[0]).toEqual(['point', 'simulation.seed', 'seed', 'status', 'raster.branching_m', 'raster.size_exponent', 'raster.avalanches']);
    // A swept seed is the run's seed.
    expect(rows.slice(1).map((x) => x.slice(0, 4))).toEqual([
      ['0', '3', '3', 'ok'],
      ['1', '7', '7', 'ok'],
    ]);
    expect(Number(rows[1][4])).toBeGreaterThan(0);
    expect(Number(rows[1][6])).toBeGreaterThan(0);
  });

  it('prints its usage on --help, saying that --set runs one seed a point unless --seeds is given', async () => {
    const r = await cli(['sweep', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('spikeflow sweep FILE [--set NODE.FIELD=VALUES');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain("with --set, a new grid on ONE seed a point (the document's), not the saved sweep's seeds, unless --seeds N is given");
    expect(r.stderr).toBe('');
    // After FILE and as -h too, without running anything.
    expect(await cli(['sweep', EI, '-h'])).toEqual(r);
  });

  it('runs the sweep saved in the document without --set, and lets --set and --seeds given replace the saved ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-sweep-'));
    const doc = JSON.parse(readFileSync(path.join(ROOT, EI), 'utf8'));
    doc.sweep = { sets: ['exc.tau_m_ms=10,20'], seeds: 2, metrics: ['spikes'], duration_ms: 100, label: 'τ' };
    const file = path.join(dir, 'saved.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    const saved = await cli(['sweep', file, '--jobs', '1']);
    expect(saved.code, saved.stderr).toBe(0);
    const rows = csvRows(saved.stdout);
    expect(rows[0]).toEqual(['point', 'exc.tau_m_ms', 'seed', 'status', 'spikes']);
    expect(rows.slice(1).map((x) => x.slice(0, 3))).toEqual([
      ['0', '10', '1'],
      ['0', '10', '2'],
      ['1', '20', '1'],
      ['1', '20', '2'],
    ]);
    // The saved duration (100 ms) holds: point 1 (τ = 20 ms, the example's own) seed 1 has the spikes of `run --duration-ms 100`.
    const single = JSON.parse((await cli(['run', EI, '--json', '--seed', '1', '--duration-ms', '100'])).stdout);
    expect(Number(rows[3][4])).toBe(single.spikes);
    const given = await cli(['sweep', file, '--set', 'input.rate_hz=5', '--seeds', '1', '--jobs', '1']);
    expect(given.code, given.stderr).toBe(0);
    expect(csvRows(given.stdout).map((x) => x.slice(0, 4))).toEqual([
      ['point', 'input.rate_hz', 'seed', 'status'],
      ['0', '5', '1', 'ok'],
    ]);
    // --set alone is a new grid on one seed a point, not the saved sweep's 2 (as `sweep --help` says); the saved metrics hold.
    const setOnly = await cli(['sweep', file, '--set', 'input.rate_hz=5,10', '--jobs', '1']);
    expect(setOnly.code, setOnly.stderr).toBe(0);
    expect(csvRows(setOnly.stdout).map((x) => x.slice(0, 4))).toEqual([
      ['point', 'input.rate_hz', 'seed', 'status'],
      ['0', '5', '1', 'ok'],
      ['1', '10', '1', 'ok'],
    ]);
    expect(csvRows(setOnly.stdout)[0]).toEqual(['point', 'input.rate_hz', 'seed', 'status', 'spikes']);
    // A bad saved set is refused, naming it.
    doc.sweep = { sets: ['exc.nonsense=1,2'] };
    writeFileSync(file, JSON.stringify(doc));
    const bad = await cli(['sweep', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--set exc.nonsense: node "exc" (lif-curr-exp) has no field "nonsense"');
    delete doc.sweep;
    writeFileSync(file, JSON.stringify(doc));
    const none = await cli(['sweep', file]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('has no saved sweep');
  });
});
