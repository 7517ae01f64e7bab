import { describe, expect, it } from 'vitest';
import { ENGINE_CONNECT_MESSAGE, EngineSupervisor, type EngineProcess, type PortReceiver } from './engine-host.ts';

interface FakePort {
  readonly id: string;
}

class FakeChild implements EngineProcess<FakePort> {
  readonly received: { message: unknown; ports: FakePort[] }[] = [];
  killed = false;
  private exitListener: ((code: number) => void) | null = null;
  postMessage(message: unknown, transfer: FakePort[]): void {
    this.received.push({ message, ports: transfer });
  }
  kill(): boolean {
    this.killed = true;
    this.exit(0);
    return true;
  }
  once(_event: 'exit', listener: (code: number) => void): this {
    this.exitListener = listener;
    return this;
  }
  /** The process dies (a crash when nobody asked for it). */
  exit(code: number): void {
    const l = this.exitListener;
    this.exitListener = null;
    l?.(code);
  }
}

function setup(options: { maxRestarts?: number } = {}) {
  const children: FakeChild[] = [];
  let channels = 0;
  let clock = 0;
  const supervisor = new EngineSupervisor<FakePort>({
    fork: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    createChannel: () => {
      channels++;
      return { port1: { id: `engine-${channels}` }, port2: { id: `window-${channels}` } };
    },
    now: () => clock,
    restartWindowMs: 1000,
    ...options,
  });
  const windowReceiver = (): PortReceiver<FakePort> & { ports: FakePort[]; destroyed: boolean } => {
    const r = {
      ports: [] as FakePort[],
      destroyed: false,
      isDestroyed: () => r.destroyed,
      receivePort: (port: FakePort) => r.ports.push(port),
    };
    return r;
  };
  return { supervisor, children, windowReceiver, advance: (ms: number) => (clock += ms) };
}

describe('EngineSupervisor', () => {
  it('forks the engine on first connect and hands the two ends of one channel to engine and window', () => {
    const { supervisor, children, windowReceiver } = setup();
    const win = windowReceiver();
    supervisor.connect(win);
    expect(children).toHaveLength(1);
    expect(children[0].received).toEqual([{ message: ENGINE_CONNECT_MESSAGE, ports: [{ id: 'engine-1' }] }]);
    expect(win.ports).toEqual([{ id: 'window-1' }]);
  });

  it('reuses the running engine for a second connection (a reload) with a new channel', () => {
    const { supervisor, children, windowReceiver } = setup();
    const win = windowReceiver();
    supervisor.connect(win);
    supervisor.connect(win);
    expect(children).toHaveLength(1);
    expect(children[0].received.map((r) => r.ports[0].id)).toEqual(['engine-1', 'engine-2']);
    expect(win.ports.map((p) => p.id)).toEqual(['window-1', 'window-2']);
  });

  it('restarts a crashed engine and gives the window a fresh port to the new process', () => {
    const { supervisor, children, windowReceiver } = setup();
    const win = windowReceiver();
    supervisor.connect(win);
    children[0].exit(139);
    expect(children).toHaveLength(2);
    expect(supervisor.running).toBe(true);
    expect(children[1].received).toEqual([{ message: ENGINE_CONNECT_MESSAGE, ports: [{ id: 'engine-2' }] }]);
    expect(win.ports.map((p) => p.id)).toEqual(['window-1', 'window-2']);
  });

  it('does not restart for windows that are gone, and does not restart with no window', () => {
    const { supervisor, children, windowReceiver } = setup();
    const win = windowReceiver();
    supervisor.connect(win);
    win.destroyed = true;
    children[0].exit(1);
    expect(children).toHaveLength(1);
    expect(supervisor.running).toBe(false);
  });

  it('forgets disconnected windows', () => {
    const { supervisor, children, windowReceiver } = setup();
    const a = windowReceiver();
    const b = windowReceiver();
    supervisor.connect(a);
    supervisor.connect(b);
    supervisor.disconnect(a);
    children[0].exit(1);
    expect(a.ports).toHaveLength(1);
    expect(b.ports).toHaveLength(2);
  });

  it('does not restart after dispose, and kills the process', () => {
    const { supervisor, children, windowReceiver } = setup();
    supervisor.connect(windowReceiver());
    supervisor.dispose();
    expect(children[0].killed).toBe(true);
    expect(children).toHaveLength(1);
    supervisor.connect(windowReceiver());
    expect(children).toHaveLength(1);
  });

  it('stops restarting in a crash loop until the window asks again', () => {
    const { supervisor, children, windowReceiver, advance } = setup({ maxRestarts: 2 });
    const win = windowReceiver();
    supervisor.connect(win);
    children[0].exit(1);
    children[1].exit(1);
    children[2].exit(1);
    expect(children).toHaveLength(3);
    expect(supervisor.running).toBe(false);
    advance(10);
    supervisor.connect(win);
    expect(children).toHaveLength(4);
  });

  it('forgives crashes that are far apart', () => {
    const { supervisor, children, windowReceiver, advance } = setup({ maxRestarts: 1 });
    supervisor.connect(windowReceiver());
    for (let i = 0; i < 4; i++) {
      advance(5000);
      children[children.length - 1].exit(1);
    }
    expect(children).toHaveLength(5);
    expect(supervisor.running).toBe(true);
  });
});
