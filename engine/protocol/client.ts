/**
 * The UI side of the protocol: numbered requests, each answered once, and an
 * event stream. Used by the renderer and the CLI alike.
 */
import type { EngineError, EngineEvent, EngineMessage, Endpoint, HelloResult, ProvidedFile, Request, RunOptions, RunStarted } from './messages.ts';
import { PROTOCOL_VERSION } from './messages.ts';
import type { NetworkPlan } from '../core/plan.ts';
import type { PackedImageFolder } from '../sim/image-folder.ts';

/** A request the engine answered with an error. */
export class EngineRequestError extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type RequestBody = Request extends infer R ? (R extends { reqId: number } ? Omit<R, 'reqId'> : never) : never;

export class EngineClient {
  private nextReqId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Set<(e: EngineEvent) => void>();
  private readonly unlisten: () => void;

  constructor(private readonly endpoint: Endpoint<EngineMessage, Request>) {
    this.unlisten = endpoint.listen((msg) => this.receive(msg));
  }

  private receive(msg: EngineMessage): void {
    if (msg.type === 'reply') {
      const p = this.pending.get(msg.reqId);
      if (!p) return;
      this.pending.delete(msg.reqId);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new EngineRequestError(msg.error));
      return;
    }
    for (const h of this.handlers) h(msg);
  }

  private request<T>(body: RequestBody, transfer?: ArrayBuffer[]): Promise<T> {
    const reqId = this.nextReqId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject });
      this.endpoint.post({ ...body, reqId } as Request, transfer);
    });
  }

  hello(): Promise<HelloResult> {
    return this.request({ type: 'hello', protocol: PROTOCOL_VERSION });
  }
  run(plan: NetworkPlan, options?: RunOptions): Promise<RunStarted> {
    return this.request({ type: 'run', plan, options });
  }
  pause(): Promise<void> {
    return this.request({ type: 'pause' });
  }
  resume(): Promise<void> {
    return this.request({ type: 'resume' });
  }
  step(steps: number): Promise<void> {
    return this.request({ type: 'step', steps });
  }
  stop(): Promise<void> {
    return this.request({ type: 'stop' });
  }
  /** Hand the engine a dataset file's bytes under `path` (their buffer is transferred: pass a copy you may lose). */
  provideFile(path: string, bytes: Uint8Array): Promise<ProvidedFile> {
    return this.request({ type: 'provide-file', path, bytes }, [bytes.buffer as ArrayBuffer]);
  }
  /** Hand the engine an image folder's packed images under `path` (their buffer is transferred); it answers as {@link provideFile}. */
  provideImageFolder(path: string, folder: PackedImageFolder): Promise<ProvidedFile> {
    return this.request({ type: 'provide-image-folder', path, folder }, [folder.bytes.buffer as ArrayBuffer]);
  }

  /** Subscribe to engine events; returns an unsubscribe function. */
  onEvent(handler: (e: EngineEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Reject every pending request (e.g. the engine died) and stop listening. */
  dispose(reason: EngineError = { code: 'engine-crashed', message: 'The engine connection closed.' }): void {
    this.unlisten();
    for (const p of this.pending.values()) p.reject(new EngineRequestError(reason));
    this.pending.clear();
    this.handlers.clear();
  }
}
