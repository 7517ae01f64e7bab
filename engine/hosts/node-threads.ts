/**
 * Simulation threads for Node hosts (CLI, node-worker, Electron utility
 * process): one worker_threads Worker per extra thread, sharing memory with
 * the engine's thread (engine/sim/parallel).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadReport, ThreadSupport } from '../sim/parallel/pool.ts';
import { SIM_SUPERVISOR_MARK } from './sim-thread-node-entry.ts';
import { watchThread } from './thread-watch.ts';

/** Logical cores available to this process. */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * @param entryUrl a module that imports `sim-thread-node-entry.ts`: the
 * sources' tsx boot (`sim-thread-node-boot.mjs`), or a bundle that contains
 * it (the CLI's, Electron's engine-host.cjs). No default here: this module is
 * also bundled as CommonJS, which has no `import.meta`.
 */
export function nodeThreadSupport(entryUrl: URL): ThreadSupport {
  return {
    cores: availableCores(),
    spawn: () => {
      // The thread is started by a small supervisor worker, whose event loop stays free while
      // this one waits at a barrier: it sees the thread's exit at once and marks the run dead.
      const worker = new Worker(entryUrl, { workerData: { [SIM_SUPERVISOR_MARK]: entryUrl.href } });
      // A thread must never keep the process alive on its own.
      worker.unref();
      const handlers: ((m: ThreadReport) => void)[] = [];
      const watch = watchThread(worker, (m) => handlers.forEach((h) => h(m)));
      return {
        post: (m) => {
          watch.started(m);
          worker.postMessage(m);
        },
        listen: (h) => void handlers.push(h),
        terminate: () => {
          watch.ended();
          // Ends the supervisor and the thread it started.
          void worker.terminate();
        },
      };
    },
  };
}
