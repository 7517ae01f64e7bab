/**
 * The body of a simulation thread: build the shard, report ready, then run
 * every step in lock-step with the others (barrier.ts), or windowed (shard.ts
 * `Shard.lag`), until the run ends or is stopped. Hosts wrap it in a
 * worker_threads Worker or a Web Worker.
 */
import { BuildError } from '../network.ts';
import { Barrier, CTRL_STOP, markDead } from './barrier.ts';
import type { ThreadReport, ThreadRequest } from './pool.ts';
import { Shard } from './shard.ts';
import type { RuntimeOf } from '../runtime.ts';

/** Handle one `init` message: build (with the kinds' runtimes the host hands in), then run to the end on this thread (it blocks). */
export function serveShardThread(message: ThreadRequest, post: (report: ThreadReport) => void, runtimes: RuntimeOf): void {
  const { init } = message;
  const ctrl = new Int32Array(init.shared.ctrl);
  const barrier = new Barrier(ctrl, init.threads, Date.now, init.index);
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
    const clock = shard.clock;
    const steps = init.plan.nSteps;
    clock?.begin();
    if (shard.lag > 0) {
      // Windowed (shard.ts `Shard.lag`): no barrier; the shard waits for the other threads' counters where it must.
      // After the last step, the steps not yet delivered are (their events count), and the thread is done.
      for (let n = 0; n < steps; n++) {
        shard.phaseA(n);
        shard.phaseB(n);
        clock?.stepEnd(n);
      }
      if (steps > 0) shard.deliverThrough(steps - 1);
      clock?.arrive(steps);
      post({ type: 'done' });
      return;
    }
    // One barrier per step: the spikes and counts are double-buffered by step parity (shard.ts), so
    // this thread may start step n+1 while another still reads step n's spikes. The coordinator reads
    // this thread's counters and monitored state only once it waits at the next barrier (`quiesce`).
    for (let n = 0; n < steps; n++) {
      shard.phaseA(n);
      clock?.arrive(n);
      if (barrier.arrive()) return;
      clock?.leave();
      shard.phaseB(n);
    }
    // The last step's counters are final once every thread waits here; the coordinator then lets it go.
    // (Its wait there is not timed: the coordinator reads the timings once every thread has arrived.)
    clock?.arrive(steps);
    if (barrier.arrive()) return;
  } catch (e) {
    // A windowed run's wait ends with an error when the run was stopped (or another thread died): leave quietly.
    if (Atomics.load(ctrl, CTRL_STOP) !== 0) return;
    // Mark the run dead and wake the others, so no thread waits forever for this one.
    markDead(ctrl, init.index);
    post({ type: 'error', message: (e as Error).message ?? String(e) });
    return;
  }
  post({ type: 'done' });
}
