import { describe, it, expect } from 'vitest';
import { EngineClient, EngineRequestError } from './client.ts';
import { createInProcessEngine } from '../hosts/in-process.ts';
import type { EngineEvent } from './messages.ts';
import { smallTrainingPlan } from '../test-support/test-docs.ts';

type Finished = Extract<EngineEvent, { type: 'finished' }>;

function connect() {
  const engine = createInProcessEngine();
  const client = new EngineClient(engine.endpoint);
  const events: EngineEvent[] = [];
  client.onEvent((e) => events.push(e));
  const finished = new Promise<Finished>((resolve, reject) =>
    client.onEvent((e) => {
      if (e.type === 'finished') resolve(e);
      if (e.type === 'failed') reject(new Error(e.error.message));
    }),
  );
  return { client, events, finished, close: engine.close };
}

/** Resolves at the training's first progress event. */
function firstProgress(client: EngineClient): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = client.onEvent((e) => {
      if (e.type === 'train-progress') {
        off();
        resolve();
      }
    });
  });
}

describe('training runs over the protocol', () => {
  it('streams one report per epoch and ends with the summary and the trained weights of every projection', async () => {
    const { client, events, finished, close } = connect();
    const plan = smallTrainingPlan({ epochs: 2, samples: 100 });
    const started = await client.run(plan);
    expect(started.neurons).toBe(42);
    expect(started.synapses).toBe(2 * (64 * 32 + 32 * 10));
    const end = await finished;
    close();
    const reports = events.flatMap((e) => (e.type === 'train-progress' && e.report ? [e.report] : []));
    expect(reports.map((r) => r.epoch)).toEqual([1, 2]);
    expect(end.stopped).toBe(false);
    expect(end.training).toMatchObject({ trainerId: 'trainer', epochs: 2, epochsPlanned: 2, trainSamples: 80, testSamples: 20, steps: 12 });
    expect(end.training!.history).toEqual(reports);
    expect(end.training!.simulated!.samples).toBe(20);
    expect(end.trainedWeights!.map((w) => [w.edgeId, w.w.length])).toEqual([
      ['in-exc', 64 * 32],
      ['in-inh', 64 * 32],
      ['hid-exc', 32 * 10],
      ['hid-inh', 32 * 10],
    ]);
    // CSR order: rows by presynaptic neuron.
    const w0 = end.trainedWeights![0];
    for (let k = 1; k < w0.pre.length; k++) expect(w0.pre[k]).toBeGreaterThanOrEqual(w0.pre[k - 1]);
  });

  it('pauses between batches, resumes, and stops early keeping the weights trained so far', async () => {
    const { client, events, finished, close } = connect();
    const plan = smallTrainingPlan({ epochs: 200, samples: 100 });
    await client.run(plan);
    await firstProgress(client);
    await client.pause();
    const atPause = events.filter((e) => e.type === 'train-progress').length;
    await new Promise((r) => setTimeout(r, 150));
    // At most one slice was already under way when the pause arrived.
    expect(events.filter((e) => e.type === 'train-progress').length).toBeLessThanOrEqual(atPause + 1);
    expect(events.some((e) => e.type === 'paused')).toBe(true);
    await expect(client.run(plan)).rejects.toBeInstanceOf(EngineRequestError);
    await client.resume();
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
    await client.stop();
    const end = await finished;
    close();
    expect(end.stopped).toBe(true);
    expect(end.training!.stopped).toBe(true);
    expect(end.training!.epochs).toBeLessThan(200);
    expect(end.trainedWeights!.length).toBe(4);
  });

  it('refuses a graph it cannot train with the node named', async () => {
    const { client, close } = connect();
    const plan = smallTrainingPlan({ epochs: 1 });
    const bad = { ...plan, populations: plan.populations.map((p) => (p.nodeId === 'enc' ? { ...p, params: { ...p.params, input: 'values', values: [0.5] } } : p)) };
    await expect(client.run(bad)).rejects.toMatchObject({ error: { code: 'build-failed', nodeId: 'enc' } });
    close();
  });
});

describe('bounded training', () => {
  it('stops in the middle of a long mini-batch: no epoch ends, the weights so far are sent, and the final passes are skipped', async () => {
    const { client, events, finished, close } = connect();
    // One batch of 800 samples is the whole epoch: seconds of work before any batch boundary.
    const plan = smallTrainingPlan({ epochs: 5, samples: 1000, hidden: 400, presentationMs: 60, trainer: { batch_size: 800 } });
    await client.run(plan);
    await firstProgress(client);
    const t0 = performance.now();
    await client.stop();
    const end = await finished;
    const stopMs = performance.now() - t0;
    close();
    expect(end.stopped).toBe(true);
    expect(end.training!.epochs).toBe(0);
    expect(end.training!.history).toEqual([]);
    expect(end.training!.simulated).toBeUndefined();
    expect(end.trainedWeights!.length).toBe(4);
    expect(events.filter((e) => e.type === 'train-progress' && e.report)).toEqual([]);
    // Liveness, not speed: the batch alone takes several seconds on this machine.
    expect(stopMs).toBeLessThan(1500);
  });

  it('refuses a trainer whose memory estimate passes the limit, before building, naming the node and the field', async () => {
    const engine = createInProcessEngine({ memoryLimitBytes: 1e9 });
    const client = new EngineClient(engine.endpoint);
    const plan = smallTrainingPlan({ epochs: 1, samples: 100 });
    const huge = { ...plan, populations: plan.populations.map((p) => (p.nodeId === 'out' ? { ...p, size: 100_000_000 } : p)) };
    const t0 = performance.now();
    await expect(client.run(huge)).rejects.toMatchObject({
      error: { code: 'too-big', nodeId: 'out', message: expect.stringMatching(/^The training needs about .*GB, more than the engine's limit of 1.00 GB\. Make "out" smaller \(field size\)/) },
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    engine.close();
  });

  it("ends a training when the host's sample budget is spent, and says so", async () => {
    const { client, finished, close } = connect();
    const plan = smallTrainingPlan({ epochs: 50, samples: 100 });
    const bounded = { ...plan, trainers: plan.trainers!.map((t) => ({ ...t, params: { ...t.params, max_samples: 100 } })) };
    await client.run(bounded);
    const end = await finished;
    close();
    // 80 training samples per epoch: the budget of 100 ends in the second epoch, which is reported as it stood.
    expect(end.training).toMatchObject({ budgetSpent: true, epochs: 2, stopped: false });
    expect(end.training!.history.length).toBe(2);
  });
});
