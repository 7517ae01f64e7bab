import { describe, it, expect, vi } from 'vitest';
import { EngineClient } from './client.ts';
import { createInProcessEngine } from '../hosts/in-process.ts';
import type { EngineEvent } from './messages.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import type * as SpikeTrainStatsModule from '../analysis/spike-train-stats.ts';

// A clock that moves only when a spike monitor's statistics are set up (by 1 000 ms each).
const clock = vi.hoisted(() => ({ ms: 0 }));
vi.mock('../analysis/spike-train-stats.ts', async (importOriginal) => {
  const m = await importOriginal<typeof SpikeTrainStatsModule>();
  class SlowToSetUp extends m.SpikeTrainStats {
    constructor(...args: ConstructorParameters<typeof m.SpikeTrainStats>) {
      super(...args);
      clock.ms += 1000;
    }
  }
  return { ...m, SpikeTrainStats: SlowToSetUp };
});

describe("a run's build time", () => {
  it("includes setting up the spike monitors' statistics, which the run's time and its first hand-out do not", async () => {
    const engine = createInProcessEngine({ now: () => clock.ms });
    const client = new EngineClient(engine.endpoint);
    const finished = new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve) =>
      client.onEvent((e) => {
        if (e.type === 'finished') resolve(e);
      }),
    );
    const p = plan({
      durationMs: 50,
      seed: 1,
      populations: [pop('in', 'poisson-source', { size: 40, rate_hz: 50 })],
      projections: [],
      monitors: [
        { nodeId: 'a', kind: 'spike-monitor', sources: [0], params: {} },
        { nodeId: 'b', kind: 'spike-monitor', sources: [0], params: {} },
      ],
    });
    const started = await client.run(p, { noYield: true });
    const end = await finished;
    // Two monitors, set up before the build's time is taken: 2 000 ms of it, and none of the run's.
    expect(started.buildMs).toBe(2000);
    expect(end.stats.build_ms).toBe(2000);
    expect(end.stats.run_ms).toBe(0);
    expect(end.stats.monitors?.map((m) => m.nodeId)).toEqual(['a', 'b']);
    engine.close();
  });
});
