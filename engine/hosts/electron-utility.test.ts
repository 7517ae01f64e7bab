import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { createInProcessEngine } from './in-process.ts';
import { attachUtilityHost, portEndpoint, type EnginePort } from './electron-utility.ts';
import { PROTOCOL_VERSION, type Endpoint, type EngineMessage, type Request } from '../protocol/messages.ts';
import { loadExample, planOf, runThrough } from '../../test/helpers.ts';

/**
 * One end of a fake `MessageChannelMain`: messages are structured-cloned and delivered
 * asynchronously once started; like Electron, only ports may be transferred.
 */
class FakePortMain extends EventEmitter {
  other!: FakePortMain;
  private started = false;
  private closed = false;
  private readonly queue: unknown[] = [];

  postMessage(message: unknown, transfer?: unknown[]): void {
    if (transfer?.some((t) => !(t instanceof FakePortMain))) throw new Error('Invalid value for transfer');
    if (this.closed) return;
    this.other.enqueue(structuredClone(message));
  }
  start(): void {
    this.started = true;
    this.flush();
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.other.closed = true;
    this.emit('close');
    this.other.emit('close');
  }
  private enqueue(data: unknown): void {
    this.queue.push(data);
    this.flush();
  }
  private flush(): void {
    if (!this.started) return;
    setImmediate(() => {
      while (this.queue.length) this.emit('message', { data: this.queue.shift(), ports: [] });
    });
  }
}

function channel(): { port1: FakePortMain; port2: FakePortMain } {
  const port1 = new FakePortMain();
  const port2 = new FakePortMain();
  port1.other = port2;
  port2.other = port1;
  return { port1, port2 };
}

/** The renderer's side of a connection, as the page would adapt its MessagePort. */
function windowEndpoint(port: FakePortMain): Endpoint<EngineMessage, Request> {
  port.start();
  return {
    post: (msg) => port.postMessage(msg),
    listen: (handler) => {
      const l = (e: { data: unknown }) => handler(e.data as EngineMessage);
      port.on('message', l);
      return () => port.off('message', l);
    },
  };
}

const connect = (parentPort: EventEmitter, port: FakePortMain) => parentPort.emit('message', { data: { type: 'spikeflow-engine-connect' }, ports: [port] });

describe('electron-utility host', () => {
  it('answers hello on a port handed over through parentPort, naming its host', async () => {
    const parentPort = new EventEmitter();
    const stop = attachUtilityHost(parentPort as never);
    const { port1, port2 } = channel();
    connect(parentPort, port1);
    const win = windowEndpoint(port2);
    const reply = new Promise<EngineMessage>((resolve) => win.listen(resolve));
    win.post({ type: 'hello', reqId: 7, protocol: PROTOCOL_VERSION });
    expect(await reply).toMatchObject({ type: 'reply', reqId: 7, ok: true, result: { protocol: PROTOCOL_VERSION, host: 'electron-utility' } });
    stop();
  });

  it('runs a network over the port with the same spikes as the in-process engine, though buffers are copied, not transferred', async () => {
    const plan = planOf(loadExample('poisson-ei.spikeflow.json'), { durationMs: 200 });
    const inproc = createInProcessEngine();
    const expected = await runThrough(inproc.endpoint, plan);
    inproc.close();

    const parentPort = new EventEmitter();
    const stop = attachUtilityHost(parentPort as never);
    const { port1, port2 } = channel();
    connect(parentPort, port1);
    const got = await runThrough(windowEndpoint(port2), plan);
    stop();
    expect(expected.stats.spikes).toBeGreaterThan(0);
    expect(got.stats.spikes).toBe(expected.stats.spikes);
    expect(Object.fromEntries(got.spikes)).toEqual(Object.fromEntries(expected.spikes));
  });

  it('starts one engine per port and stops each when its port closes', () => {
    const parentPort = new EventEmitter();
    const stops: ReturnType<typeof vi.fn>[] = [];
    const serve = vi.fn(() => {
      const s = vi.fn();
      stops.push(s);
      return s;
    });
    const env = { host: 'electron-utility', now: () => 0, yieldToEvents: (cb: () => void) => cb() };
    const stopAll = attachUtilityHost(parentPort as never, serve, env);
    const a = channel();
    const b = channel();
    connect(parentPort, a.port1);
    connect(parentPort, b.port1);
    expect(serve).toHaveBeenCalledTimes(2);
    a.port2.close();
    expect(stops[0]).toHaveBeenCalledTimes(1);
    expect(stops[1]).not.toHaveBeenCalled();
    stopAll();
    expect(stops[1]).toHaveBeenCalledTimes(1);
    expect(stops[0]).toHaveBeenCalledTimes(1);
  });

  it('ignores a parent message that carries no port', () => {
    const parentPort = new EventEmitter();
    const serve = vi.fn(() => () => undefined);
    attachUtilityHost(parentPort as never, serve);
    parentPort.emit('message', { data: 'hi', ports: [] });
    expect(serve).not.toHaveBeenCalled();
  });

  it('posts without a transfer list, which MessagePortMain would refuse for ArrayBuffers', () => {
    const port = { postMessage: vi.fn(), start: vi.fn(), close: vi.fn(), on: vi.fn(), off: vi.fn() } as unknown as EnginePort & { postMessage: ReturnType<typeof vi.fn> };
    const neuron = new Int32Array([1, 2]);
    const step = new Int32Array([3, 4]);
    const msg: EngineMessage = { type: 'spikes', runId: 1, monitorId: 'm', source: 0, neuron, step };
    portEndpoint(port).post(msg, [neuron.buffer, step.buffer]);
    expect(port.postMessage.mock.calls).toEqual([[msg]]);
  });
});
