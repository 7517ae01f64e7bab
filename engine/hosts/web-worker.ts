/**
 * The Web Worker host: the engine in a browser (npm run web, the e2e tests).
 * It yields through a MessageChannel rather than setTimeout, which browsers
 * clamp to 4 ms when nested.
 */
/// <reference lib="webworker" />
import type { EngineMessage, Request } from '../protocol/messages.ts';
import { serveEngine } from '../protocol/server.ts';

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
  },
);
