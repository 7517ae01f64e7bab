/**
 * Adapters from the browser's message pipes to the protocol's `Endpoint`, and the
 * two ways the renderer gets an engine:
 * - in Electron, main hands the window a `MessagePort` straight to the engine's
 *   utility process (it arrives as a window `message` with `ENGINE_PORT_MESSAGE`);
 * - in a plain browser, the engine runs in a module Web Worker.
 */
import type { Endpoint, EngineMessage, Request } from '../../engine/protocol/messages.ts';
import type { DesktopApi, ENGINE_PORT_MESSAGE } from '../../electron/api.ts';

export type EngineEndpoint = Endpoint<EngineMessage, Request>;

/** A live engine connection. */
export interface EngineHandle {
  readonly endpoint: EngineEndpoint;
  /** Where the engine runs, for the status line. */
  readonly host: 'electron-utility' | 'web-worker';
  /** Called once if the engine dies or the pipe breaks. */
  onCrash(listener: (reason: string) => void): void;
  /** Close the pipe and, for a worker, kill it. */
  terminate(): void;
}

export type EngineFactory = () => Promise<EngineHandle>;

/** Endpoint over a MessagePort (Electron). */
export function portEndpoint(port: MessagePort): EngineEndpoint {
  return {
    post(message, transfer) {
      port.postMessage(message, (transfer ?? []) as globalThis.Transferable[]);
    },
    listen(handler) {
      const onMessage = (e: MessageEvent) => handler(e.data as EngineMessage);
      port.addEventListener('message', onMessage);
      // addEventListener (unlike onmessage) does not start the port by itself.
      port.start();
      return () => port.removeEventListener('message', onMessage);
    },
  };
}

/** Endpoint over a dedicated Worker (browser). */
export function workerEndpoint(worker: Worker): EngineEndpoint {
  return {
    post(message, transfer) {
      worker.postMessage(message, (transfer ?? []) as globalThis.Transferable[]);
    },
    listen(handler) {
      const onMessage = (e: MessageEvent) => handler(e.data as EngineMessage);
      worker.addEventListener('message', onMessage);
      return () => worker.removeEventListener('message', onMessage);
    },
  };
}

function crashSignal(): { emit(reason: string): void; onCrash(listener: (reason: string) => void): void } {
  let listener: ((reason: string) => void) | null = null;
  let fired = false;
  return {
    emit(reason) {
      if (fired) return;
      fired = true;
      listener?.(reason);
    },
    onCrash(l) {
      listener = l;
    },
  };
}

/** The engine as a module Web Worker (`npm run web`, e2e tests). */
export function workerEngineFactory(): EngineFactory {
  return async () => {
    const worker = new Worker(new URL('../../engine/hosts/web-worker.ts', import.meta.url), { type: 'module', name: 'spikeflow-engine' });
    const crash = crashSignal();
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      crash.emit(e.message ? `The engine stopped: ${e.message}` : 'The engine worker stopped with an error.');
    });
    worker.addEventListener('messageerror', () => crash.emit('The engine sent a message that could not be read.'));
    return {
      endpoint: workerEndpoint(worker),
      host: 'web-worker',
      onCrash: crash.onCrash,
      terminate: () => worker.terminate(),
    };
  };
}

/** The shell's port message tag; typed against electron/api.ts, so a rename there fails to compile here. */
const PORT_MESSAGE: typeof ENGINE_PORT_MESSAGE = 'spikeflow-engine-port';

/** How long to wait for main to hand over an engine port. */
const PORT_TIMEOUT_MS = 15_000;

/** The engine as Electron's utility process, reached through a port from main. */
export function electronEngineFactory(api: DesktopApi): EngineFactory {
  return () =>
    new Promise<EngineHandle>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        window.removeEventListener('message', onMessage);
        reject(new Error('The desktop shell did not provide an engine connection.'));
      }, PORT_TIMEOUT_MS);
      function onMessage(e: MessageEvent): void {
        const data = e.data as { type?: unknown } | null;
        // Only the preload (same window) hands over ports.
        if (e.source !== window || !data || data.type !== PORT_MESSAGE || !e.ports[0]) return;
        window.removeEventListener('message', onMessage);
        window.clearTimeout(timer);
        const port = e.ports[0];
        const crash = crashSignal();
        // Chromium fires `close` on a port whose other end went away (the process died).
        port.addEventListener('close', () => crash.emit('The engine process exited.'));
        port.addEventListener('messageerror', () => crash.emit('The engine sent a message that could not be read.'));
        resolve({
          endpoint: portEndpoint(port),
          host: 'electron-utility',
          onCrash: crash.onCrash,
          terminate: () => port.close(),
        });
      }
      window.addEventListener('message', onMessage);
      api.requestEnginePort();
    });
}
