import { describe, it, expect } from 'vitest';
import { EngineClient, EngineRequestError } from './client.ts';
import { createInProcessEngine } from '../hosts/in-process.ts';
import type { EngineEvent } from './messages.ts';
import { PROTOCOL_VERSION } from './messages.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';

function somePlan(durationMs = 200, seed = 1) {
  return plan({
    durationMs,
    seed,
    populations: [pop('in', 'poisson-source', { size: 50, rate_hz: 40 }), pop('lif', 'lif-curr-exp', { size: 20, v_init_mv: { dist: 'uniform', low: -65, high: -50 } })],
    projections: [proj('w', 0, 1, { rule: 'bernoulli', p: 0.3, weight: 6, delayMs: 1 })],
    monitors: [{ nodeId: 'mon', kind: 'spike-monitor', sources: [0, 1], params: {} }],
  });
}

function connect(memoryLimitBytes?: number) {
  const engine = createInProcessEngine({ memoryLimitBytes });
  const client = new EngineClient(engine.endpoint);
  const events: EngineEvent[] = [];
  client.onEvent((e) => events.push(e));
  const finished = () =>
    new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve) => {
      const off = client.onEvent((e) => {
        if (e.type === 'finished') {
          off();
          resolve(e);
        }
      });
    });
  return { client, events, finished, close: engine.close };
}

describe('engine protocol', () => {
  it('answers hello with its protocol version and refuses another version', async () => {
    const { client } = connect();
    const hello = await client.hello();
    expect(hello.protocol).toBe(PROTOCOL_VERSION);
    expect(hello.host).toBe('in-process');
  });

  it('runs a plan to the end, streaming progress and spike chunks that add up to the stats', async () => {
    const { client, events, finished } = connect();
    const done = finished();
    const started = await client.run(somePlan(), { chunkSteps: 100 });
    expect(started.nSteps).toBe(2000);
    expect(started.neurons).toBe(20);
    const end = await done;
    expect(end.stopped).toBe(false);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(20);
    expect(progress.at(-1)).toMatchObject({ step: 2000, nSteps: 2000 });
    const chunks = events.filter((e): e is Extract<EngineEvent, { type: 'spikes' }> => e.type === 'spikes');
    const perSource = [0, 0];
    for (const c of chunks) {
      expect(c.neuron.length).toBe(c.step.length);
      perSource[c.source] += c.neuron.length;
    }
    expect(perSource[0]).toBe(end.stats.source_spikes);
    expect(perSource[1]).toBe(end.stats.spikes);
    expect(end.stats.spikes).toBeGreaterThan(0);
  });

  it('reports cumulative spikes per population and events per projection in progress, ending at the stats', async () => {
    const { client, events, finished } = connect();
    const done = finished();
    await client.run(somePlan(), { chunkSteps: 100 });
    const end = await done;
    const progress = events.filter((e): e is Extract<EngineEvent, { type: 'progress' }> => e.type === 'progress');
    // Cumulative: never decreasing, chunk to chunk.
    for (let k = 1; k < progress.length; k++) {
      for (let i = 0; i < 2; i++) expect(progress[k].counts![i]).toBeGreaterThanOrEqual(progress[k - 1].counts![i]);
      expect(progress[k].events![0]).toBeGreaterThanOrEqual(progress[k - 1].events![0]);
    }
    const last = progress.at(-1)!;
    expect(last.counts).toEqual([end.stats.populations[0].spikes, end.stats.populations[1].spikes]);
    expect(last.counts![0]).toBe(end.stats.source_spikes);
    expect(last.counts![1]).toBe(end.stats.spikes);
    expect(last.events).toEqual([end.stats.synaptic_events]);
    expect(last.events![0]).toBeGreaterThan(0);
    // Mid-run counts are partial: the first chunk saw fewer spikes than the whole run.
    expect(progress[0].counts![0]).toBeLessThan(last.counts![0]);
  });

  it('pauses, steps while paused, resumes and stops early with the stats so far', async () => {
    const { client, events, finished } = connect();
    const done = finished();
    await client.run(somePlan(10_000), { chunkSteps: 50, startPaused: true });
    await client.step(30);
    await new Promise((r) => setTimeout(r, 20));
    const p = events.filter((e) => e.type === 'progress').at(-1);
    expect(p).toMatchObject({ step: 30 });
    await expect(client.run(somePlan())).rejects.toMatchObject({ error: { code: 'busy' } });
    await client.resume();
    await new Promise((r) => setTimeout(r, 30));
    await client.pause();
    const pausedAt = (events.filter((e) => e.type === 'paused').at(-1) as { step: number }).step;
    expect(pausedAt).toBeGreaterThan(30);
    await new Promise((r) => setTimeout(r, 30));
    expect((events.filter((e) => e.type === 'progress').at(-1) as { step: number }).step).toBe(pausedAt);
    await client.stop();
    const end = await done;
    expect(end.stopped).toBe(true);
    expect(end.stats.steps).toBe(pausedAt);
    expect(end.stats.steps).toBeLessThan(100_000);
  });

  it('refuses a network too big for the memory limit with the estimate and names the wire', async () => {
    const { client } = connect(10e6);
    const big = plan({
      populations: [pop('a', 'poisson-source', { size: 10_000 }), pop('b', 'lif-curr-exp', { size: 10_000 })],
      projections: [proj('huge', 0, 1)],
    });
    const err = await client.run(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineRequestError);
    expect((err as EngineRequestError).error).toMatchObject({ code: 'too-big', nodeId: 'huge' });
    expect((err as EngineRequestError).message).toMatch(/400\.\d MB.*10\.0 MB/);
    // The engine stays usable.
    await expect(client.hello()).resolves.toMatchObject({ protocol: PROTOCOL_VERSION });
  });

  it('answers control requests without a run with a clear error', async () => {
    const { client } = connect();
    await expect(client.pause()).rejects.toMatchObject({ error: { code: 'no-run' } });
    await expect(client.stop()).rejects.toMatchObject({ error: { code: 'no-run' } });
  });
});

describe('building a network', () => {
  /** Six projections: the build reports after each and lets requests in between. */
  function manyWires() {
    return plan({
      durationMs: 50,
      populations: [pop('in', 'poisson-source', { size: 200, rate_hz: 20 }), pop('lif', 'lif-curr-exp', { size: 400 })],
      projections: Array.from({ length: 6 }, (_, k) => proj(`w${k}`, 0, 1, { rule: 'bernoulli', p: 0.2, weight: 1, delayMs: 1 + k })),
      monitors: [],
    });
  }

  it('reports build progress before the first step: done rises to total, no two events within 50 ms but the last', async () => {
    let clock = 0;
    // Each reading of the clock advances it 20 ms, so the 50 ms spacing decides which reports go out.
    const engine = createInProcessEngine({ now: () => (clock += 20) });
    const client = new EngineClient(engine.endpoint);
    const events: EngineEvent[] = [];
    client.onEvent((e) => events.push(e));
    const started = await client.run(manyWires());
    const builds = events.filter((e): e is Extract<EngineEvent, { type: 'build-progress' }> => e.type === 'build-progress');
    expect(builds.length).toBeGreaterThanOrEqual(2);
    expect(builds.every((b) => b.runId === started.runId)).toBe(true);
    expect(builds[0]).toMatchObject({ done: 0, phase: 'populations' });
    const total = builds[0].total;
    // 600 neurons and 6 × 200 × 400 × 0.2 = 96,000 expected synapses.
    expect(total).toBe(600 + 96_000);
    expect(builds.at(-1)).toMatchObject({ done: total, total, phase: 'done' });
    for (let k = 1; k < builds.length; k++) {
      expect(builds[k].done).toBeGreaterThanOrEqual(builds[k - 1].done);
      if (k < builds.length - 1) expect(builds[k].wallMs - builds[k - 1].wallMs).toBeGreaterThanOrEqual(50);
    }
    // Every build report comes before the run's first step.
    const firstStep = events.findIndex((e) => e.type === 'progress');
    expect(firstStep === -1 || events.indexOf(builds.at(-1)!) < firstStep).toBe(true);
    engine.close();
  });

  it('a stop while building cancels the build: the run finishes stopped, with no step run', async () => {
    const { client, events, finished } = connect();
    const done = finished();
    const run = client.run(manyWires());
    await client.stop();
    const started = await run;
    const end = await done;
    expect(end.runId).toBe(started.runId);
    expect(end.stopped).toBe(true);
    expect(end.stats.steps).toBe(0);
    expect(end.stats.neurons).toBe(400);
    expect(started.memoryBytes).toBe(0);
    expect(events.some((e) => e.type === 'progress' && e.step > 0)).toBe(false);
    // The engine is free again: the next run goes to the end.
    const next = finished();
    await client.run(manyWires());
    expect((await next).stats.steps).toBe(500);
  });
});

describe('a noYield run hands its spikes out', () => {
  it('after a chunk once its spike recorders hold 1024 spikes, without waiting for 50 ms of running', async () => {
    // A clock that never moves: only the recorders' fill can trigger a flush before the run's end.
    const engine = createInProcessEngine({ now: () => 0 });
    const client = new EngineClient(engine.endpoint);
    const sizes: number[] = [];
    const finished = new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve) =>
      client.onEvent((e) => {
        if (e.type === 'spikes') sizes.push(e.neuron.length);
        if (e.type === 'finished') resolve(e);
      }),
    );
    // 500 sources at 100 Hz: ~5 spikes a step of 0.1 ms, ~250 a chunk of 50 steps, ~50 000 in the run.
    const p = plan({
      durationMs: 1000,
      seed: 3,
      populations: [pop('in', 'poisson-source', { size: 500, rate_hz: 100 })],
      projections: [],
      monitors: [{ nodeId: 'mon', kind: 'spike-monitor', sources: [0], params: {} }],
    });
    await client.run(p, { noYield: true, chunkSteps: 50 });
    const end = await finished;
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(total).toBe(end.stats.source_spikes);
    expect(total).toBeGreaterThan(40_000);
    // Every hand-out but the last came after the chunk that brought the recorder to 1024 or more.
    expect(sizes.length).toBeGreaterThan(30);
    for (const n of sizes.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(1024);
      expect(n).toBeLessThan(1024 + 600);
    }
    engine.close();
  });
});
