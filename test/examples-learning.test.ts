/**
 * The learning examples reach their figures when run as users run them:
 * `node bin/spikeflow.mjs run examples/<name>.spikeflow.json --json`.
 */
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { compileDocument } from '../engine/compile/compile.ts';
import { Network } from '../engine/sim/network.ts';
import { loadExample, ROOT } from './helpers.ts';
import type { ReadoutStats } from '../engine/sim/stats.ts';
import { runtimeOf } from '../engine/kinds/index.ts';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/spikeflow.mjs'), ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function readoutOf(example: string, extra: string[] = []): Promise<ReadoutStats> {
  const r = await cli(['run', `examples/${example}.spikeflow.json`, '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const stats = JSON.parse(r.stdout) as { readouts: ReadoutStats[] };
  expect(stats.readouts).toHaveLength(1);
  return stats.readouts[0];
}

describe('Diehl & Cook on the bundled 8×8 digits', () => {
  it('labels its neurons by strongest response and classifies at least 80 % of the 497 held-out digits', async () => {
    const r = await readoutOf('diehl-cook-digits');
    expect(r).toMatchObject({ assignment: 'diehl-cook', classes: 10, train_presentations: 1300, test_presentations: 497 });
    expect(r.test_accuracy).toBeGreaterThanOrEqual(0.8);
    // Every digit class has neurons of its own after labelling.
    expect(r.neurons_per_class.every((n) => n > 0)).toBe(true);
  }, 300_000);
});

describe('reward-modulated STDP: two patterns, two answers', () => {
  it('learns by reward alone to answer each pattern with its own output group in at least 90 % of test trials', async () => {
    const r = await readoutOf('reward-stdp');
    expect(r).toMatchObject({ assignment: 'fixed', classes: 2, train_presentations: 300, test_presentations: 200 });
    expect(r.test_accuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('reaches it for other seeds too', async () => {
    for (const seed of ['2', '3']) expect((await readoutOf('reward-stdp', ['--seed', seed])).test_accuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('the reward is what teaches: with the reward inverted it learns the opposite answers', () => {
    const doc = loadExample('reward-stdp.spikeflow.json');
    const reward = doc.nodes.find((n) => n.id === 'reward')!;
    reward.params = { ...reward.params, reward_right: -1, reward_wrong: 1 };
    const c = compileDocument(doc);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const net = new Network(c.plan, { runtimes: runtimeOf });
    while (net.step < net.nSteps) net.advance();
    expect(net.stats(0, 1).readouts![0].test_accuracy).toBeLessThanOrEqual(0.1);
  }, 120_000);
});
