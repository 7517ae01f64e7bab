import { describe, expect, it } from 'vitest';
import { EngineClient } from './client.ts';
import { createInProcessEngine } from '../hosts/in-process.ts';
import { nodeThreadSupport } from '../hosts/node-threads.ts';
import type { EngineEvent } from './messages.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';

const threads = nodeThreadSupport(new URL('../hosts/sim-thread-node-boot.mjs', import.meta.url));

/** Big enough to split over two threads (at least 256 neurons each). */
function splitPlan() {
  return plan({
    durationMs: 20,
    populations: [pop('in', 'poisson-source', { size: 200, rate_hz: 20 }), pop('lif', 'lif-curr-exp', { size: 1000 })],
    projections: [proj('w', 0, 1, { rule: 'bernoulli', p: 0.1, weight: 1, delayMs: 1 })],
  });
}

function connect() {
  const engine = createInProcessEngine({ threads });
  const client = new EngineClient(engine.endpoint);
  const events: EngineEvent[] = [];
  client.onEvent((e) => events.push(e));
  const finished = new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve) => client.onEvent((e) => e.type === 'finished' && resolve(e)));
  return { client, events, finished, close: engine.close };
}

describe('building on several threads', () => {
  it('reports the build of the threads, from its start to its end, before the first step', async () => {
    const { client, events, finished, close } = connect();
    const started = await client.run(splitPlan(), { threads: 2 });
    const end = await finished;
    expect(end.stats.threads).toBe(2);
    const builds = events.filter((e): e is Extract<EngineEvent, { type: 'build-progress' }> => e.type === 'build-progress');
    expect(builds.map((b) => [b.phase, b.done, b.total, b.runId])).toEqual([
      ['threads', 0, 1, started.runId],
      ['done', 1, 1, started.runId],
    ]);
    expect(events.indexOf(builds[1])).toBeLessThan(events.findIndex((e) => e.type === 'progress'));
    close();
  });

  it('a stop while the threads build ends the run stopped, with no step run', async () => {
    const { client, events, finished, close } = connect();
    const run = client.run(splitPlan(), { threads: 2 });
    await client.stop();
    const started = await run;
    const end = await finished;
    expect(end).toMatchObject({ runId: started.runId, stopped: true });
    expect(end.stats.steps).toBe(0);
    expect(events.some((e) => e.type === 'progress' && e.step > 0)).toBe(false);
    close();
  });
});
