/**
 * A simulation thread as a Web Worker (engine/sim/parallel), started by the
 * engine's own Web Worker when the page is cross-origin isolated (shared
 * memory needs it).
 */
/// <reference lib="webworker" />
import { serveShardThread } from '../sim/parallel/worker.ts';
import type { ThreadRequest } from '../sim/parallel/pool.ts';
import { runtimeOf } from '../kinds/index.ts';
import { markDead } from '../sim/parallel/barrier.ts';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener(
  'message',
  (e: MessageEvent<ThreadRequest>) => {
    const ctrl = new Int32Array(e.data.init.shared.ctrl);
    // An uncaught error here must not leave the other threads waiting at the barrier.
    self.addEventListener('error', () => markDead(ctrl, e.data.init.index));
    try {
      serveShardThread(e.data, (report) => self.postMessage(report), runtimeOf);
    } catch (err) {
      markDead(ctrl, e.data.init.index);
      self.postMessage({ type: 'error', message: (err as Error).message ?? String(err) });
    }
    self.close();
  },
  { once: true },
);
