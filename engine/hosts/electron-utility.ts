/**
 * The Electron utility-process host. Main forks this (bundled as
 * `dist-electron/engine-host.cjs`) and sends it one end of a `MessageChannelMain` per
 * window connection through `process.parentPort`; the window holds the other end, so
 * engine traffic never passes through main. Each port gets its own `serveEngine`,
 * stopped when the port closes (the window reloaded or closed).
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { MessagePortMain, ParentPort } from 'electron';
import type { EngineMessage, Endpoint, Request } from '../protocol/messages.ts';
import { serveEngine, type HostEnv } from '../protocol/server.ts';
import { nodeThreadSupport } from './node-threads.ts';

/** The part of `MessagePortMain` the host uses. */
export type EnginePort = Pick<MessagePortMain, 'postMessage' | 'start' | 'close'> & {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
};

/**
 * Adapt a `MessagePortMain` to an engine endpoint.
 *
 * `MessagePortMain` can transfer only other ports, not ArrayBuffers (Electron issues
 * #34905, #37157; transferring one crashed Electron, #37565), so the transfer list is
 * dropped and spike chunks are copied by structured clone.
 */
export function portEndpoint(port: EnginePort): Endpoint<Request, EngineMessage> {
  return {
    post: (message) => port.postMessage(message),
    listen: (handler) => {
      const listener = (event: { data: unknown }): void => handler(event.data as Request);
      port.on('message', listener);
      return () => {
        port.off('message', listener);
      };
    },
  };
}

export function utilityHostEnv(): HostEnv {
  return {
    host: 'electron-utility',
    now: () => performance.now(),
    yieldToEvents: (cb) => setImmediate(cb),
    // The engine may use most of the machine; the estimate refuses what cannot fit.
    memoryLimitBytes: Math.floor(os.totalmem() * 0.8),
    // Simulation threads start from this same bundle (engine-host.cjs), which serves them (sim-thread-node-entry.ts).
    ...(typeof __filename === 'string' && __filename.endsWith('.cjs') ? { threads: nodeThreadSupport(pathToFileURL(__filename)) } : {}),
  };
}

type Serve = (endpoint: Endpoint<Request, EngineMessage>, env: HostEnv) => () => void;

/** Serve the engine on every port that arrives on `parentPort`. Returns a stop function. */
export function attachUtilityHost(parentPort: Pick<ParentPort, 'on' | 'off'>, serve: Serve = serveEngine, env: HostEnv = utilityHostEnv()): () => void {
  const stops = new Set<() => void>();
  const onMessage = (event: { readonly ports: readonly EnginePort[] }): void => {
    const port: EnginePort | undefined = event.ports[0];
    if (!port) return;
    const stopServing = serve(portEndpoint(port), env);
    const stop = (): void => {
      if (!stops.delete(stop)) return;
      stopServing();
    };
    stops.add(stop);
    port.on('close', stop);
    port.start();
  };
  parentPort.on('message', onMessage);
  return () => {
    parentPort.off('message', onMessage);
    for (const stop of [...stops]) stop();
  };
}

// Only inside an Electron utility process; importing this module elsewhere (tests) does nothing.
const parentPort = (process as { parentPort?: ParentPort }).parentPort;
if (parentPort && isMainThread) attachUtilityHost(parentPort);
