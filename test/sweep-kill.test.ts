/**
 * `spikeflow sweep --out DIR` killed mid-way (SIGKILL: no chance to tidy up)
 * and started again: the rerun resumes from the runs the killed one finished,
 * runs only the rest, and writes the whole table, equal to an uninterrupted
 * sweep's.
 */
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.ts';

const CLI = path.join(ROOT, 'bin/spikeflow.mjs');
const ARGS = ['sweep', 'examples/poisson-ei.spikeflow.json', '--set', 'exc.tau_m_ms=10:40:2', '--duration-ms', '10000', '--jobs', '1', '--metrics', 'spikes,synaptic_events'];

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '').length
    : 0;

describe('a CLI sweep killed mid-way', () => {
  it('resumes when started again with the same --out, running only the runs not done, and ends with the uninterrupted table', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sf-sweep-kill-'));
    const points = path.join(out, 'points.jsonl');
    const child = spawn(process.execPath, [CLI, ...ARGS, '--out', out], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it as soon as two runs are on disk (of sixteen).
    const t0 = Date.now();
    while (lines(points) < 2) {
      if (Date.now() - t0 > 240_000) throw new Error('the sweep wrote no two runs within 4 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const before = lines(points);
    expect(before).toBeGreaterThanOrEqual(2);
    // Killed before the end: the test means nothing if the sweep had finished.
    expect(before).toBeLessThan(16);
    expect(existsSync(path.join(out, 'results.csv'))).toBe(false);

    const again = await cli([...ARGS, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`resuming: ${before} of 16 runs already done`);
    expect(lines(points)).toBe(16);
    const table = readFileSync(path.join(out, 'results.csv'), 'utf8');

    // The same sweep, never interrupted, gives the same table.
    const fresh = mkdtempSync(path.join(tmpdir(), 'sf-sweep-whole-'));
    const whole = await cli([...ARGS, '--out', fresh]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(table).toBe(readFileSync(path.join(fresh, 'results.csv'), 'utf8'));
  }, 600_000);
});
