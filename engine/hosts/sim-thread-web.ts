/**
 * A simulation thread as a Web Worker (engine/sim/parallel), started by the
 * engine's own Web Worker when the page is cross-origin isolated (shared
 * memory needs it).
 */
/// <reference lib="webworker" />
import { serveShardThread } from '../sim/parallel/worker.ts';
import type { ThreadRequest } from '../sim/parallel/pool.ts';
import { runtimeOf } from '../kinds/index.ts';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener(
  'message',
  (e: MessageEvent<ThreadRequest>) => {
    serveShardThread(e.data, (report) => self.postMessage(report), runtimeOf);
    self.close();
  },
  { once: true },
);
