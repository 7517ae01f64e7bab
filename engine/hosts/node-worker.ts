/**
 * The Node worker host: the engine on a worker thread (tests, and the CLI's
 * `--worker` flag). Same protocol, same engine code as the other hosts.
 */
import { Worker } from 'node:worker_threads';
import type { EngineError, Endpoint, EngineMessage, Request } from '../protocol/messages.ts';

/**
 * @param bootUrl the worker's entry; defaults to the boot script beside this
 * file (a bundled CLI passes the source tree's, since the bundle moved).
 */
export function createNodeWorkerEngine(
  bootUrl: URL = new URL('./node-worker-boot.mjs', import.meta.url),
  /** Handed to the worker (a bundle that serves several roles reads its mark: sweep-worker-entry.ts). */
  workerData?: unknown,
): {
  endpoint: Endpoint<EngineMessage, Request>;
  close: () => Promise<number>;
  /** Called once if the worker fails or exits without being closed (the engine is gone). */
  onCrash: (handler: (error: EngineError) => void) => void;
} {
  const worker = new Worker(bootUrl, workerData === undefined ? undefined : { workerData });
  let closing = false;
  let crash: EngineError | null = null;
  const crashHandlers: ((error: EngineError) => void)[] = [];
  const crashed = (error: EngineError) => {
    if (closing || crash) return;
    crash = error;
    crashHandlers.forEach((h) => h(error));
  };
  worker.on('error', (e: Error) => crashed({ code: 'engine-crashed', message: `The engine's worker thread failed: ${e.message}` }));
  worker.on('exit', (code) => crashed({ code: 'engine-crashed', message: `The engine's worker thread exited unexpectedly (code ${code}).` }));
  const endpoint: Endpoint<EngineMessage, Request> = {
    post: (msg) => worker.postMessage(msg),
    listen: (handler) => {
      worker.on('message', handler);
      return () => worker.off('message', handler);
    },
  };
  return {
    endpoint,
    close: () => {
      closing = true;
      return worker.terminate();
    },
    onCrash: (h) => {
      crashHandlers.push(h);
      if (crash) h(crash);
    },
  };
}
