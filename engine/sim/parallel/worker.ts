/**
 * The body of a simulation thread: build the shard, report ready, then run
 * every step in lock-step with the others (barrier.ts) until the run ends or
 * is stopped. Hosts wrap it in a worker_threads Worker or a Web Worker.
 */
import { BuildError } from '../network.ts';
import { Barrier, markDead } from './barrier.ts';
import type { ThreadReport, ThreadRequest } from './pool.ts';
import { Shard } from './shard.ts';
import type { RuntimeOf } from '../runtime.ts';

/** Handle one `init` message: build (with the kinds' runtimes the host hands in), then run to the end on this thread (it blocks). */
export function serveShardThread(message: ThreadRequest, post: (report: ThreadReport) => void, runtimes: RuntimeOf): void {
  const { init } = message;
  const barrier = new Barrier(new Int32Array(init.shared.ctrl), init.threads, Date.now, init.index);
  let shard: Shard;
  try {
    shard = new Shard(init, runtimes);
  } catch (e) {
    if (e instanceof BuildError) post({ type: 'error', message: e.message, nodeId: e.nodeId, field: e.field, code: e.code });
    else post({ type: 'error', message: (e as Error).message ?? String(e) });
    return;
  }
  // The whole projections are no longer needed here; let them be collected.
  (init.drawn as unknown[]).length = 0;
  post({ type: 'ready' });
  try {
    // One barrier per step: the spikes and counts are double-buffered by step parity (shard.ts), so
    // this thread may start step n+1 while another still reads step n's spikes. The coordinator reads
    // this thread's counters and monitored state only once it waits at the next barrier (`quiesce`).
    const clock = shard.clock;
    clock?.begin();
    for (let n = 0; n < init.plan.nSteps; n++) {
      shard.phaseA(n);
      clock?.arrive(n);
      if (barrier.arrive()) return;
      clock?.leave();
      shard.phaseB(n);
    }
    // The last step's counters are final once every thread waits here; the coordinator then lets it go.
    // (Its wait there is not timed: the coordinator reads the timings once every thread has arrived.)
    clock?.arrive(init.plan.nSteps);
    if (barrier.arrive()) return;
  } catch (e) {
    // Mark the run dead and wake the others, so no thread waits forever for this one.
    markDead(new Int32Array(init.shared.ctrl), init.index);
    post({ type: 'error', message: (e as Error).message ?? String(e) });
    return;
  }
  post({ type: 'done' });
}
