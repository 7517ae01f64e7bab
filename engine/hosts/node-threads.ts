/**
 * Simulation threads for Node hosts (CLI, node-worker, Electron utility
 * process): one worker_threads Worker per extra thread, sharing memory with
 * the engine's thread (engine/sim/parallel).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadReport, ThreadSupport } from '../sim/parallel/pool.ts';
import { SIM_THREAD_MARK } from './sim-thread-node-entry.ts';

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
      const worker = new Worker(entryUrl, { workerData: { [SIM_THREAD_MARK]: true } });
      // A thread must never keep the process alive on its own.
      worker.unref();
      const handlers: ((m: ThreadReport) => void)[] = [];
      worker.on('message', (m: ThreadReport) => handlers.forEach((h) => h(m)));
      worker.on('error', (e: Error) => handlers.forEach((h) => h({ type: 'error', message: e.message })));
      return {
        post: (m) => worker.postMessage(m),
        listen: (h) => void handlers.push(h),
        terminate: () => void worker.terminate(),
      };
    },
  };
}
