import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import { ROOT } from './helpers.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { smallTrainingDocument } from '../engine/test-support/test-docs.ts';
import { serializeDocument } from '../engine/format/serialize.ts';

async function runCli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('the surrogate-gradient digits example from the CLI', () => {
  it('trains (one epoch here), reports held-out accuracy, the training time and the simulated check', async () => {
    const file = path.join(ROOT, 'examples', 'sg-digits.spikeflow.json');
    const r = await runCli(['run', file, '--json', '--epochs', '1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    const t = s.training;
    expect(t).toMatchObject({ trainerId: 'trainer', epochs: 1, epochsPlanned: 1, trainSamples: 1438, testSamples: 359, stopped: false });
    expect(t.trainMs).toBeGreaterThan(0);
    // One epoch already classifies most held-out digits (chance: 10 %); the full example reaches ≥ 95 %.
    expect(t.testAccuracy).toBeGreaterThan(0.75);
    expect(t.simulated.testAccuracy).toBeGreaterThan(0.75);
    expect(t.simulated.samples).toBe(359);
    expect(t.denseMacsPerSample).toBe(64 * 128 + 128 * 10);
    // The stats are those of the simulated check: every digit shown once, 60 steps each.
    expect(s.steps).toBe(1797 * 60);
  });

  it('reports the learnt time constants of each trained population in the JSON summary when they are learnt', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-tau-'));
    const file = path.join(dir, 'tau.spikeflow.json');
    writeFileSync(file, serializeDocument(smallTrainingDocument({ samples: 90, epochs: 1, trainer: { learn_time_constants: true, check_in_simulation: false } })));
    const r = await runCli(['run', file, '--json']);
    expect(r.err).toBe('');
    const taus = JSON.parse(r.out).training.timeConstants as { nodeId: string; params: Record<string, number> }[];
    expect(taus.map((t) => t.nodeId)).toEqual(['hid', 'out']);
    // lif-curr-exp: τm and both synaptic τ, started at 10 and 5 ms (test-docs.ts), moved by training.
    expect(Object.keys(taus[0].params)).toEqual(['tau_m_ms', 'tau_syn_exc_ms', 'tau_syn_inh_ms']);
    expect(taus[0].params.tau_m_ms).not.toBe(10);
    for (const t of taus) for (const v of Object.values(t.params)) expect(v).toBeGreaterThan(0);
  });

  it('saves the learnt time constants into their populations with the trained weights (--save-weights), so the saved network is the trained one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-tau-save-'));
    const file = path.join(dir, 'tau.spikeflow.json');
    const saved = path.join(dir, 'trained.spikeflow.json');
    writeFileSync(file, serializeDocument(smallTrainingDocument({ samples: 90, epochs: 1, trainer: { learn_time_constants: true, check_in_simulation: false } })));
    const r = await runCli(['run', file, '--json', '--save-weights', 'inline', '--save-to', saved]);
    expect(r.err).toBe('');
    const taus = JSON.parse(r.out).training.timeConstants as { nodeId: string; params: Record<string, number> }[];
    const doc = JSON.parse(readFileSync(saved, 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    for (const t of taus) {
      const node = doc.nodes.find((n) => n.id === t.nodeId)!;
      for (const [k, v] of Object.entries(t.params)) expect(node.params[k]).toBe(v);
    }
    // The learnt values moved from the starting 10 ms, so the check above is not the untouched default.
    expect(doc.nodes.find((n) => n.id === 'hid')!.params.tau_m_ms).not.toBe(10);
    // The original document is untouched.
    const before = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    expect(before.nodes.find((n) => n.id === 'hid')!.params.tau_m_ms).toBe(10);
  });

  it('prints one line per epoch and the training summary without --json', async () => {
    const file = path.join(ROOT, 'examples', 'sg-encoding-latency.spikeflow.json');
    const r = await runCli(['run', file, '--epochs', '1']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^epoch 1\/1: loss [\d.]+, train [\d.]+ %, test [\d.]+ %/m);
    expect(r.out).toMatch(/trainer: trained 1\/1 epochs in [\d.]+ s on 1438 samples; test accuracy [\d.]+ % on 359 held-out samples/);
    expect(r.out).toMatch(/in the event-driven simulation: test accuracy [\d.]+ %/);
  });

  it('refuses --epochs that is not a whole number ≥ 1', async () => {
    const r = await runCli(['run', 'x.json', '--epochs', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--epochs must be at least 1');
  });
});

describe('training checkpoints from the CLI', () => {
  it('writes a checkpoint after every epoch, and a run resumed from it ends as an uninterrupted one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-ckpt-'));
    const doc = smallTrainingDocument({ samples: 90, epochs: 3, trainer: { check_in_simulation: false, optimizer: 'sgd', learning_rate: 0.5, lr_schedule: 'cosine' } });
    const file = path.join(dir, 'small.spikeflow.json');
    writeFileSync(file, serializeDocument(doc));
    const whole = await runCli(['run', file, '--json']);
    expect(whole.code).toBe(0);
    const cp = path.join(dir, 'cp.json');
    const first = await runCli(['run', file, '--json', '--epochs', '1', '--checkpoint', cp]);
    expect(first.code).toBe(0);
    const saved = JSON.parse(readFileSync(cp, 'utf8'));
    expect(saved).toMatchObject({ format: 'spikeflow-training-checkpoint', epoch: 1, optimizer: { kind: 'sgd', t: 5 } });
    const resumed = await runCli(['run', file, '--json', '--resume', cp]);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    const a = JSON.parse(whole.out).training;
    const b = JSON.parse(resumed.out).training;
    expect(b.history).toEqual(a.history);
    expect(b.testAccuracy).toBe(a.testAccuracy);
  });

  it('refuses a checkpoint that is not one, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-ckpt-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "something-else"}');
    const r = await runCli(['run', path.join(ROOT, 'examples', 'sg-digits.spikeflow.json'), '--resume', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad} is not a Spikeflow training checkpoint`);
  });
});
