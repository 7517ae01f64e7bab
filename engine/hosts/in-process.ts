/**
 * The in-process host: the engine runs on the caller's thread (CLI, tests).
 * Messages cross asynchronously (microtasks), as they would between threads,
 * so code written against it behaves the same on the other hosts.
 */
import type { Endpoint, EngineMessage, Request } from '../protocol/messages.ts';
import { serveEngine, type HostEnv } from '../protocol/server.ts';

/** A connected pair of endpoints. */
export function endpointPair<A, B>(): [Endpoint<A, B>, Endpoint<B, A>] {
  const toA = new Set<(m: A) => void>();
  const toB = new Set<(m: B) => void>();
  const a: Endpoint<A, B> = {
    post: (m) => queueMicrotask(() => toB.forEach((h) => h(m))),
    listen: (h) => (toA.add(h), () => toA.delete(h)),
  };
  const b: Endpoint<B, A> = {
    post: (m) => queueMicrotask(() => toA.forEach((h) => h(m))),
    listen: (h) => (toB.add(h), () => toB.delete(h)),
  };
  return [a, b];
}

/** Yield to the event loop without timer clamping: setImmediate where it exists. */
function defaultYield(cb: () => void): void {
  const g = globalThis as { setImmediate?: (cb: () => void) => void };
  if (g.setImmediate) g.setImmediate(cb);
  else setTimeout(cb, 0);
}

/** Start an engine on this thread; returns the UI's end of the pipe and a stop function. */
export function createInProcessEngine(env: Partial<HostEnv> = {}): { endpoint: Endpoint<EngineMessage, Request>; close: () => void } {
  const [ui, engine] = endpointPair<EngineMessage, Request>();
  const close = serveEngine(engine, {
    host: env.host ?? 'in-process',
    now: env.now ?? (() => performance.now()),
    yieldToEvents: env.yieldToEvents ?? defaultYield,
    memoryLimitBytes: env.memoryLimitBytes,
    threads: env.threads,
  });
  return { endpoint: ui, close };
}
