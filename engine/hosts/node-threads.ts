/**
 * Simulation threads for Node hosts (CLI, node-worker, Electron utility
 * process): one worker_threads Worker per extra thread, sharing memory with
 * the engine's thread (engine/sim/parallel).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadReport, ThreadSupport } from '../sim/parallel/pool.ts';
import { SIM_THREAD_MARK } from './sim-thread-node-entry.ts';
import { markDead } from '../sim/parallel/barrier.ts';

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
      const report = (m: ThreadReport) => handlers.forEach((h) => h(m));
      /** The run's control block and this thread's index, once it has its init. */
      let run: { ctrl: Int32Array; index: number } | null = null;
      let ended = false;
      /** An end that was not asked for: mark the run dead (barrier.ts) and say why. */
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
        post: (m) => {
          run = { ctrl: new Int32Array(m.init.shared.ctrl), index: m.init.index };
          worker.postMessage(m);
        },
        listen: (h) => void handlers.push(h),
        terminate: () => {
          ended = true;
          void worker.terminate();
        },
      };
    },
  };
}
