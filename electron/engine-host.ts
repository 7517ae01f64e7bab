/**
 * Supervises the engine utility process. For each window that asks, it creates a
 * message channel, gives one end to the engine and the other to the window, and steps
 * out: engine traffic never passes through main. When the engine dies unexpectedly it
 * is forked again and every connected window gets a fresh port.
 *
 * The process, the channel and the window are injected, so this is tested without
 * Electron; `engine-electron.ts` binds them to `utilityProcess` and
 * `MessageChannelMain`.
 */

/** What the supervisor needs of a forked utility process. */
export interface EngineProcess<Port> {
  postMessage(message: unknown, transfer: Port[]): void;
  kill(): boolean;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/** A window (or anything) that can receive the renderer end of a channel. */
export interface PortReceiver<Port> {
  isDestroyed(): boolean;
  receivePort(port: Port): void;
}

export interface EngineHostDeps<Port> {
  fork(): EngineProcess<Port>;
  createChannel(): { port1: Port; port2: Port };
  now?(): number;
  log?(message: string): void;
  /** Unexpected exits tolerated within {@link restartWindowMs} before giving up (default 5). */
  maxRestarts?: number;
  restartWindowMs?: number;
}

/** The message that tells the engine process "here is a new connection" (port in `ports[0]`). */
export const ENGINE_CONNECT_MESSAGE = { type: 'spikeflow-engine-connect' } as const;

export class EngineSupervisor<Port> {
  private child: EngineProcess<Port> | null = null;
  private readonly receivers = new Set<PortReceiver<Port>>();
  private crashTimes: number[] = [];
  private disposed = false;

  constructor(private readonly deps: EngineHostDeps<Port>) {}

  /** True while an engine process is running. */
  get running(): boolean {
    return this.child !== null;
  }

  /**
   * Give `receiver` a new connection to the engine (forking it if needed). The receiver
   * is remembered, so it gets a new port after a crash.
   */
  connect(receiver: PortReceiver<Port>): void {
    if (this.disposed || receiver.isDestroyed()) return;
    this.receivers.add(receiver);
    this.handOver(this.ensureChild(), receiver);
  }

  /** Forget a receiver (its window closed). The engine side sees its port close. */
  disconnect(receiver: PortReceiver<Port>): void {
    this.receivers.delete(receiver);
  }

  /** Stop the engine for good (app quitting): no restart. */
  dispose(): void {
    this.disposed = true;
    this.receivers.clear();
    const child = this.child;
    this.child = null;
    child?.kill();
  }

  private ensureChild(): EngineProcess<Port> {
    if (this.child) return this.child;
    const child = this.deps.fork();
    this.child = child;
    child.once('exit', (code) => this.onExit(child, code));
    return child;
  }

  private handOver(child: EngineProcess<Port>, receiver: PortReceiver<Port>): void {
    const { port1, port2 } = this.deps.createChannel();
    child.postMessage(ENGINE_CONNECT_MESSAGE, [port1]);
    receiver.receivePort(port2);
  }

  private onExit(child: EngineProcess<Port>, code: number): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.disposed) return;
    this.deps.log?.(`engine process exited unexpectedly (code ${code})`);
    for (const r of [...this.receivers]) if (r.isDestroyed()) this.receivers.delete(r);
    if (this.receivers.size === 0) return;

    const now = this.deps.now?.() ?? Date.now();
    const windowMs = this.deps.restartWindowMs ?? 60_000;
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < windowMs), now];
    if (this.crashTimes.length > (this.deps.maxRestarts ?? 5)) {
      // A crash loop: stop forking until a window asks again (requestEnginePort).
      this.deps.log?.('engine keeps crashing; not restarting until the window asks for a new connection');
      this.crashTimes = [];
      return;
    }
    const fresh = this.ensureChild();
    for (const r of this.receivers) this.handOver(fresh, r);
  }
}
