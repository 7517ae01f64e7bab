/**
 * Watching one simulation thread's Worker: relays its reports, and on an end
 * nobody asked for (an `error` or `exit` before it said `done` or `error`) marks
 * the run dead in shared memory (barrier.ts) and reports why, naming the thread.
 * Used by the supervisor that starts each thread (`sim-thread-node-entry.ts`),
 * whose event loop is free while the engine's thread waits at a barrier, and by
 * `node-threads.ts` for the supervisor itself.
 */
import type { Worker } from 'node:worker_threads';
import type { ThreadReport, ThreadRequest } from '../sim/parallel/pool.ts';
import { markDead } from '../sim/parallel/barrier.ts';

export interface WatchedThread {
  /** Note the run's control block and the thread's index from its init, before it is posted. */
  started(m: ThreadRequest): void;
  /** The thread was ended on purpose: its exit is no failure. */
  ended(): void;
}

export function watchThread(worker: Worker, report: (m: ThreadReport) => void): WatchedThread {
  let run: { ctrl: Int32Array; index: number } | null = null;
  let ended = false;
  const lost = (why: string) => {
    if (ended) return;
    ended = true;
    if (run) markDead(run.ctrl, run.index);
    report({ type: 'error', message: why });
  };
  worker.on('message', (m: ThreadReport) => {
    if (m.type === 'done' || m.type === 'error') ended = true;
    report(m);
  });
  worker.on('error', (e: Error) => lost(`simulation thread ${run?.index ?? '?'} failed: ${e.message}`));
  worker.on('exit', (code) => lost(`simulation thread ${run?.index ?? '?'} exited unexpectedly (code ${code})`));
  return {
    started: (m) => {
      run = { ctrl: new Int32Array(m.init.shared.ctrl), index: m.init.index };
    },
    ended: () => {
      ended = true;
    },
  };
}
