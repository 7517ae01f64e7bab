/**
 * Fault injection: a simulation thread that exits, throws or dies without a word
 * mid-run, an engine worker that exits or throws, and statistics that throw after
 * the run. Each ends with a clear error within a few seconds, never a hang; what
 * was received is kept, and the engine runs the next run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../protocol/client.ts';
import type { EngineEvent } from '../protocol/messages.ts';
import { createInProcessEngine } from './in-process.ts';
import { nodeThreadSupport } from './node-threads.ts';
import { main } from './cli.ts';
import { Network } from '../sim/network.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { ROOT, loadExample, planOf } from '../../test/helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-faults-'));
});
afterEach(async () => {
  delete process.env.SPIKEFLOW_TEST_FAULT;
  vi.restoreAllMocks();
  await fsp.rm(dir, { recursive: true, force: true });
});

type End = Extract<EngineEvent, { type: 'finished' | 'failed' }>;

/** Run `plan` to its end on `client`; the end event and the spikes received. */
async function runToEnd(client: EngineClient, plan: NetworkPlan, threads?: number): Promise<{ end: End; spikes: number }> {
  let spikes = 0;
  const end = new Promise<End>((resolve) =>
    client.onEvent((e) => {
      if (e.type === 'spikes') spikes += e.neuron.length;
      if (e.type === 'finished' || e.type === 'failed') resolve(e);
    }),
  );
  await client.run(plan, { noYield: true, chunkSteps: 50, ...(threads ? { threads } : {}) });
  return { end: await end, spikes };
}

/** Brunel's network, long enough that step 200 is mid-run; large enough to split over two threads. */
function brunelPlan(): NetworkPlan {
  return planOf(loadExample('brunel.spikeflow.json'), { durationMs: 100, seed: 1 });
}

describe('a simulation thread that fails mid-run', () => {
  const how = {
    exit: 'exits',
    throw: 'throws',
    // Killed without a word: only its supervisor's exit listener can tell, at once (the liveness
    // timeout would take 10 s and say "stopped responding", naming no thread).
    silent: 'drops its own exit listener and exits',
  };
  for (const fault of ['exit', 'throw', 'silent'] as const) {
    it(`${how[fault]}: the run fails within seconds naming the thread, the data so far is kept, and the engine runs again`, async () => {
      process.env.SPIKEFLOW_TEST_FAULT = fault;
      const threads = nodeThreadSupport(new URL('../../test/faults/thread-fault-boot.mjs', import.meta.url));
      const engine = createInProcessEngine({ threads: { ...threads, cores: 2 } });
      const client = new EngineClient(engine.endpoint);
      await client.hello();
      const t0 = performance.now();
      const { end, spikes } = await runToEnd(client, brunelPlan(), 2);
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect(end.type).toBe('failed');
      // Brunel's delays are 15 steps: its threads run windowed (engine/sim/parallel `Shard.lag`), each up to 14 steps
      // ahead of the others' spikes, so the engine's thread notices the fault at step 200 within 15 steps of it.
      if (end.type === 'failed') expect(end.error.message).toMatch(/^The engine failed at step (18[5-9]|19\d|20\d|21[0-5]): simulation thread 1 ended unexpectedly/);
      // Spikes of the steps before the fault arrived before the failure.
      expect(spikes).toBeGreaterThan(0);
      // The same engine runs the next run (one thread).
      delete process.env.SPIKEFLOW_TEST_FAULT;
      const again = await runToEnd(client, planOf(loadExample('poisson-ei.spikeflow.json'), { durationMs: 50 }));
      expect(again.end.type).toBe('finished');
      engine.close();
    });
  }
});

describe('spikeflow run --worker with an engine worker that fails', () => {
  for (const fault of ['exit', 'throw'] as const) {
    it(`${fault === 'exit' ? 'exits' : 'throws'}: the CLI says so and exits with 1, no stack trace`, async () => {
      process.env.SPIKEFLOW_TEST_FAULT = fault;
      let err = '';
      const t0 = performance.now();
      const code = await main(['run', path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), '--worker'], {
        out: () => undefined,
        err: (t) => (err += `${t}\n`),
        workerBootUrl: new URL('../../test/faults/worker-fault-boot.mjs', import.meta.url),
      });
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(code).toBe(1);
      expect(err).toMatch(fault === 'exit' ? /The engine's worker thread exited unexpectedly \(code 13\)\./ : /The engine's worker thread failed: injected fault in the engine worker/);
      expect(err).not.toMatch(/\n\s+at /);
    });
  }
});

describe('a failure after the run', () => {
  it('statistics that throw: the run still finishes, --out is written, the CLI warns and exits 0', async () => {
    vi.spyOn(Network.prototype, 'stats').mockImplementation(() => {
      throw new Error('injected fault in stats');
    });
    let err = '';
    const out = path.join(dir, 'out');
    const code = await main(['run', path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), '--duration-ms', '100', '--out', out, '--json'], { out: () => undefined, err: (t) => (err += `${t}\n`) });
    expect(code).toBe(0);
    expect(err).toMatch(/warning: the run statistics failed: injected fault in stats/);
    const run = JSON.parse(await fsp.readFile(path.join(out, 'run.json'), 'utf8'));
    expect(run.stats.steps).toBe(1000);
    expect(run.spike_files.length).toBeGreaterThan(0);
    const spikes = (await fsp.readFile(path.join(out, run.spike_files[0]), 'utf8')).trimEnd().split('\n');
    expect(spikes.length).toBeGreaterThan(1);
  });

  it('an exception anywhere in the CLI is one line, never a stack trace', async () => {
    vi.spyOn(Network.prototype, 'advance').mockImplementation(() => {
      throw new Error('injected fault in a step');
    });
    let err = '';
    const code = await main(['run', path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), '--duration-ms', '10'], { out: () => undefined, err: (t) => (err += `${t}\n`) });
    expect(code).toBe(1);
    expect(err).toBe('spikeflow: run failed: The engine failed at step 0: injected fault in a step\n');
  });
});
