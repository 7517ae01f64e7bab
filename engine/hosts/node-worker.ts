/**
 * The Node worker host: the engine on a worker thread (tests, and the CLI's
 * `--worker` flag). Same protocol, same engine code as the other hosts.
 */
import { Worker } from 'node:worker_threads';
import type { Endpoint, EngineMessage, Request } from '../protocol/messages.ts';

/**
 * @param bootUrl the worker's entry; defaults to the boot script beside this
 * file (a bundled CLI passes the source tree's, since the bundle moved).
 */
export function createNodeWorkerEngine(bootUrl: URL = new URL('./node-worker-boot.mjs', import.meta.url)): {
  endpoint: Endpoint<EngineMessage, Request>;
  close: () => Promise<number>;
} {
  const worker = new Worker(bootUrl);
  const endpoint: Endpoint<EngineMessage, Request> = {
    post: (msg) => worker.postMessage(msg),
    listen: (handler) => {
      worker.on('message', handler);
      return () => worker.off('message', handler);
    },
  };
  return { endpoint, close: () => worker.terminate() };
}

