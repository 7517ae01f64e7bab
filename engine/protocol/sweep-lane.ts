/**
 * One engine of a parameter sweep's pool (issue 16), whatever process it lives
 * in: it runs one plan at a time and answers with the run's end. The CLI
 * (`spikeflow sweep`, worker threads) and the app's Sweep panel (Web Workers)
 * keep one lane per job and send it point after point, so an engine starts once
 * per job, not once per point.
 */
import type { NetworkPlan } from '../core/plan.ts';
import { metricsOf, type SweepPoint, type SweepRow } from '../compile/sweep.ts';
import { EngineClient, EngineRequestError } from './client.ts';
import type { EngineError, EngineEvent, EngineMessage, Endpoint, Request } from './messages.ts';

/** How a sweep's run ended: its stats, or the engine's error. */
export type SweepRunEnd = Extract<EngineEvent, { type: 'finished' | 'failed' }>;

/** A started engine: its pipe, how to close it, and (for a separate process) how it tells of its death. */
export interface SweepLaneEngine {
  readonly endpoint: Endpoint<EngineMessage, Request>;
  close(): unknown;
  onCrash?(listener: (error: EngineError) => void): void;
}

export class SweepLane {
  private waiting: ((e: SweepRunEnd) => void) | null = null;
  private readonly client: EngineClient;
  /** Set when the engine died; the lane's owner starts another. */
  dead: EngineError | null = null;

  constructor(private readonly engine: SweepLaneEngine) {
    this.client = new EngineClient(engine.endpoint);
    engine.onCrash?.((error) => {
      this.dead = error;
      this.client.dispose(error);
      this.waiting?.({ type: 'failed', runId: 0, error });
    });
    this.client.onEvent((e) => {
      if (e.type === 'finished' || e.type === 'failed') this.waiting?.(e);
    });
  }

  /** Wait for the engine to answer (its hello). */
  async start(): Promise<void> {
    await this.client.hello();
  }

  /** Run a plan to its end, as fast as the engine goes (no yields, few progress events). */
  async run(plan: NetworkPlan): Promise<SweepRunEnd> {
    const ended = new Promise<SweepRunEnd>((resolve) => (this.waiting = resolve));
    try {
      await this.client.run(plan, { noYield: true, chunkSteps: 1000 });
    } catch (e) {
      this.waiting = null;
      if (e instanceof EngineRequestError) return { type: 'failed', runId: 0, error: e.error };
      throw e;
    }
    const end = await ended;
    this.waiting = null;
    return end;
  }

  close(): unknown {
    return this.engine.close();
  }
}

/** One run of a sweep to do: a point with one seed. */
export interface SweepTask {
  readonly point: SweepPoint;
  readonly seed: number;
}

/**
 * Run `tasks` on `jobs` lanes at once, each lane taking the next task as it
 * finishes one; a lane whose engine died is replaced for the rest. Each run's
 * row goes to `onRow` as it ends. `cancelled()` is asked before each task:
 * once true, the lanes take no more (the runs under way finish).
 */
export async function runSweepTasks(opts: {
  readonly tasks: readonly SweepTask[];
  readonly plans: readonly NetworkPlan[];
  readonly jobs: number;
  newLane(): SweepLane | Promise<SweepLane>;
  onRow(row: SweepRow): unknown;
  cancelled?(): boolean;
}): Promise<void> {
  let next = 0;
  const lane = async () => {
    let engine = await opts.newLane();
    try {
      await engine.start();
      while (next < opts.tasks.length && !opts.cancelled?.()) {
        const { point, seed } = opts.tasks[next++];
        const end = await engine.run({ ...opts.plans[point.index], seed });
        await opts.onRow(
          end.type === 'finished'
            ? { point: point.index, seed, values: point.values, metrics: metricsOf(end.stats) }
            : { point: point.index, seed, values: point.values, metrics: null, error: end.error.message },
        );
        if (engine.dead) {
          // A worker that died takes its engine with it: start another for the rest.
          await engine.close();
          engine = await opts.newLane();
          await engine.start();
        }
      }
    } finally {
      await engine.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, opts.tasks.length)) }, lane));
}
