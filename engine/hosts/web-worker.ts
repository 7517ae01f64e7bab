/**
 * The Web Worker host: the engine in a browser (npm run web, the e2e tests).
 * It yields through a MessageChannel rather than setTimeout, which browsers
 * clamp to 4 ms when nested.
 */
/// <reference lib="webworker" />
import type { EngineMessage, Request } from '../protocol/messages.ts';
import { serveEngine } from '../protocol/server.ts';
import type { ThreadReport, ThreadSupport } from '../sim/parallel/pool.ts';

declare const self: DedicatedWorkerGlobalScope;

const queue: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const cb = queue.shift();
  if (cb) cb();
};

// Browsers do not say how much memory a page may take; 4 GB of typed arrays is a safe ceiling.
const deviceGb = (self.navigator as { deviceMemory?: number }).deviceMemory ?? 8;
const memoryLimitBytes = Math.min(4e9, deviceGb * 1e9 * 0.5);

/**
 * Simulation threads as nested Web Workers. Shared memory needs a
 * cross-origin isolated page (COOP/COEP headers, vite.config.ts); without it
 * runs use one thread and their stats say why.
 */
function webThreadSupport(): ThreadSupport | undefined {
  if (!self.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return undefined;
  return {
    cores: Math.max(1, self.navigator.hardwareConcurrency || 1),
    spawn: () => {
      const worker = new Worker(new URL('./sim-thread-web.ts', import.meta.url), { type: 'module', name: 'spikeflow-sim-thread' });
      const handlers: ((m: ThreadReport) => void)[] = [];
      worker.addEventListener('message', (e: MessageEvent<ThreadReport>) => handlers.forEach((h) => h(e.data)));
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        handlers.forEach((h) => h({ type: 'error', message: e.message || 'the thread stopped with an error' }));
      });
      return {
        post: (m) => worker.postMessage(m),
        listen: (h) => void handlers.push(h),
        terminate: () => worker.terminate(),
      };
    },
  };
}

serveEngine(
  {
    post: (msg: EngineMessage, transfer?: ArrayBuffer[]) => self.postMessage(msg, transfer ?? []),
    listen: (handler: (m: Request) => void) => {
      const h = (e: MessageEvent<Request>) => handler(e.data);
      self.addEventListener('message', h);
      return () => self.removeEventListener('message', h);
    },
  },
  {
    host: 'web-worker',
    now: () => performance.now(),
    yieldToEvents: (cb) => {
      queue.push(cb);
      channel.port2.postMessage(null);
    },
    memoryLimitBytes,
    threads: webThreadSupport(),
  },
);
