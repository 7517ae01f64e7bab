import { describe, expect, it, vi } from 'vitest';
import { loadDocument, newDocument } from '../../engine/format/load.ts';
import brunelText from '../../examples/brunel.spikeflow.json?raw';
import { createInProcessEngine } from '../../engine/hosts/in-process.ts';
import { Editor } from '../store/editor.ts';
import { electronEngineFactory, type EngineFactory, type EngineHandle } from './endpoints.ts';
import { serveEngine } from '../../engine/protocol/server.ts';
import type { EngineMessage, Request } from '../../engine/protocol/messages.ts';
import type { DesktopApi } from '../../electron/api.ts';
import { encodeNpy } from '../../engine/format/npz.ts';
import { RunController } from './run-controller.ts';
import { weightsFileText } from '../../engine/format/weights.ts';

const now = (cb: () => void) => setTimeout(cb, 0);

/** In-process engines; `crash(i)` makes engine i report that it died. */
function engines() {
  const made: { handle: EngineHandle; crash: (reason: string) => void; close: () => void }[] = [];
  const factory: EngineFactory = async () => {
    const { endpoint, close } = createInProcessEngine();
    let listener: ((r: string) => void) | null = null;
    const handle: EngineHandle = {
      endpoint,
      host: 'web-worker',
      onCrash: (l) => {
        listener = l;
      },
      terminate: close,
    };
    made.push({ handle, crash: (r) => listener?.(r), close });
    return handle;
  };
  return { factory, made };
}

/** Poisson (rate_hz) → LIF (weight mV) → monitor. */
function network(ed: Editor, { rate = 50, weight = 3, durationMs = 200 } = {}) {
  const src = ed.addNode('poisson-source', { x: 0, y: 0 });
  const lif = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  const mon = ed.addNode('spike-monitor', { x: 600, y: 0 });
  ed.setParam(src, 'rate_hz', rate);
  ed.setParam(src, 'size', 50);
  ed.setParam(lif, 'size', 20);
  const e = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
  if (!e.ok) throw new Error(e.problem);
  ed.setEdgeParam(e.edgeId, 'weight', weight);
  ed.connect({ node: lif, port: 'spikes' }, { node: mon, port: 'spikes' });
  ed.setSimulation('duration_ms', durationMs);
  return { src, lif, mon };
}

/** The test network with its input wire's weights kept in the side file `name`. */
function withWeightsFile(name: string) {
  const ed = new Editor(newDocument('t'));
  const { src } = network(ed);
  const doc = JSON.parse(JSON.stringify(ed.doc)) as typeof ed.doc;
  const edge = doc.edges.find((e) => e.source.node === src)!;
  (edge as unknown as Record<string, unknown>).weights = { file: name };
  ed.load(doc);
  return { ed, edge };
}

/** After a crash: a second engine comes up and the next (short) Run finishes on it. */
async function nextRunOnNewEngine(ed: Editor, rc: RunController, engineCount: () => number): Promise<void> {
  await vi.waitFor(() => expect(ed.state.run.engine).toBe('ready'), { timeout: 5_000 });
  expect(engineCount()).toBe(2);
  ed.setSimulation('duration_ms', 50);
  expect(await rc.run()).toBe(true);
  await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
  rc.dispose();
}

describe('RunController', () => {
  it("tracks every population's rate and each projection's traffic from progress, ending at the run statistics", async () => {
    const ed = new Editor(newDocument('t'));
    const { src, lif } = network(ed);
    const wire = ed.doc.edges.find((e) => e.source.node === src)!.id;
    const { factory } = engines();
    const rc = new RunController(ed, factory, now);
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    const stats = ed.state.run.stats!;
    for (const id of [src, lif]) {
      const a = rc.activity.population(id)!;
      expect(a.basis).toBe('mean');
      expect(a.rate_hz).toBeCloseTo(stats.populations.find((p) => p.nodeId === id)!.rate_hz, 9);
    }
    // The only projection: all synaptic events over the 0.2 s run.
    expect(rc.activity.wire(wire)!.events_per_s).toBeCloseTo(stats.synaptic_events / 0.2, 6);
    // Opening another document forgets the run's activity.
    ed.load(newDocument('other'));
    expect(rc.activity.population(src)).toBeNull();
    rc.dispose();
  });

  it('runs the document and records exactly the spikes the engine counted', async () => {
    const ed = new Editor(newDocument('t'));
    const { lif, mon } = network(ed);
    const { factory } = engines();
    const rc = new RunController(ed, factory, now);
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    const stats = ed.state.run.stats!;
    const rec = rc.spikes.get(mon)!;
    expect(rec.series.map((s) => s.nodeId)).toEqual([lif]);
    expect(stats.spikes).toBeGreaterThan(0);
    // The monitor watches the only neuron population: it saw every neuron spike.
    expect(rc.spikes.kept(mon)).toBe(stats.spikes);
    expect(ed.state.run.step).toBe(ed.state.run.nSteps);
    expect(ed.state.run.nSteps).toBe(2000);
    const s = rec.series[0];
    for (let k = 0; k < s.count; k++) {
      expect(s.neuron[k]).toBeGreaterThanOrEqual(0);
      expect(s.neuron[k]).toBeLessThan(20);
    }
    await vi.waitFor(() => expect(ed.state.run.resultsVersion).toBeGreaterThan(0));
    rc.dispose();
  });

  it('bumps the results version in the very update that says the run finished, so panels draw the last spikes with it', async () => {
    const ed = new Editor(newDocument('t'));
    network(ed);
    const { factory } = engines();
    // Frames never come: only the end of the run may bump the version.
    const rc = new RunController(ed, factory, () => undefined);
    const seen: { phase: string; version: number }[] = [];
    const off = ed.store.subscribe((s, prev) => {
      if (s.run.phase !== prev.run.phase) seen.push({ phase: s.run.phase, version: s.run.resultsVersion });
    });
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    off();
    const before = seen.find((x) => x.phase === 'running')!;
    const end = seen.find((x) => x.phase === 'finished')!;
    expect(end.version).toBe(before.version + 1);
    rc.dispose();
  });

  it('refuses to run a document with issues, names node and field, and never asks the engine', async () => {
    const ed = new Editor(newDocument('t'));
    const { lif } = network(ed);
    ed.setParam(lif, 'tau_m_ms', -5);
    let calls = 0;
    const { factory } = engines();
    const rc = new RunController(
      ed,
      () => {
        calls++;
        return factory();
      },
      now,
    );
    expect(await rc.run()).toBe(false);
    expect(calls).toBe(0);
    expect(ed.state.run.phase).toBe('refused');
    const issue = ed.state.run.issues.find((i) => i.nodeId === lif);
    expect(issue?.field).toBe('tau_m_ms');
    expect(issue?.message).toMatch(/lif1.*tau_m_ms/);
    rc.dispose();
  });

  it('drops a refused run’s issues as soon as the document is fixed', async () => {
    const ed = new Editor(newDocument('t'));
    const { lif } = network(ed);
    ed.setParam(lif, 'tau_m_ms', -5);
    const rc = new RunController(ed, engines().factory, now);
    await rc.run();
    expect(ed.state.run.issues.length).toBeGreaterThan(0);
    ed.setParam(lif, 'tau_m_ms', 10);
    expect(ed.state.run.phase).toBe('idle');
    expect(ed.state.run.issues).toEqual([]);
    rc.dispose();
  });

  it('stops a run on request and reports it as stopped', async () => {
    const ed = new Editor(newDocument('t'));
    network(ed, { durationMs: 100_000 });
    const rc = new RunController(ed, engines().factory, now);
    await rc.run();
    await vi.waitFor(() => expect(ed.state.run.step).toBeGreaterThan(0), { timeout: 20_000 });
    await rc.stop();
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('stopped'), { timeout: 20_000 });
    expect(ed.state.run.step).toBeLessThan(ed.state.run.nSteps);
    rc.dispose();
  });

  it('survives an engine crash: the run fails, the document is untouched, a new engine runs the next Run', async () => {
    const ed = new Editor(newDocument('t'));
    network(ed, { durationMs: 100_000 });
    const { factory, made } = engines();
    const rc = new RunController(ed, factory, now);
    await rc.run();
    await vi.waitFor(() => expect(ed.state.run.step).toBeGreaterThan(0), { timeout: 20_000 });
    const doc = ed.doc;
    made[0].close();
    made[0].crash('The engine worker stopped with an error.');
    expect(ed.state.run.phase).toBe('failed');
    expect(ed.state.run.error).toMatch(/stopped with an error.*graph is unchanged/);
    expect(ed.doc).toBe(doc);
    await nextRunOnNewEngine(ed, rc, () => made.length);
  });

  it('clears results when a different document is opened', async () => {
    const ed = new Editor(newDocument('t'));
    const { mon } = network(ed, { durationMs: 50 });
    const rc = new RunController(ed, engines().factory, now);
    await rc.run();
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(rc.spikes.get(mon)).toBeDefined();
    ed.load(newDocument('other'));
    expect(rc.spikes.list()).toEqual([]);
    expect(ed.state.run.phase).toBe('idle');
    rc.dispose();
  });

  it('reads a side weights file beside the document before a run, and refuses the run naming the wire when it is missing', async () => {
    const { ed, edge } = withWeightsFile('net.weights.json');
    const file = weightsFileText({ format: 'spikeflow-weights', version: 1, nodes: {}, edges: { [edge.id]: { pre: [0, 1, 2], post: [0, 0, 0], w: [4, 4, 4] } } });
    const asked: string[] = [];
    const rc = new RunController(ed, engines().factory, now);
    rc.readSideFile = async (name) => {
      asked.push(name);
      return file;
    };
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(asked).toEqual(['net.weights.json']);
    // Exactly the three stored synapses, not the drawn connectivity.
    expect(ed.state.run.stats!.synapses).toBe(3);
    rc.dispose();

    ed.load(JSON.parse(JSON.stringify(ed.doc)) as typeof ed.doc);
    const missing = new RunController(ed, engines().factory, now);
    missing.readSideFile = async () => null;
    expect(await missing.run()).toBe(false);
    expect(ed.state.run.phase).toBe('refused');
    const issue = ed.state.run.issues[0];
    expect(issue.edgeId).toBe(edge.id);
    expect(issue.message).toMatch(/weights\.file: the weights file "net\.weights\.json" was not found beside the document.*does not exist/);
    missing.dispose();
  });
});

describe('RunController with matrices beside the document', () => {
  it("runs a document whose wire keeps its weights in a .npy matrix beside it (as the CLI writes them), with exactly the matrix's synapses", async () => {
    const { ed, edge } = withWeightsFile('x.in.npy');
    // 20 targets × 50 sources, one row per target: source j drives target j only (20 synapses), weight 4.
    const w = new Float64Array(20 * 50);
    for (let j = 0; j < 20; j++) w[j * 50 + j] = 4;
    const asked: string[] = [];
    const rc = new RunController(ed, engines().factory, now);
    rc.readSideFile = async (name) => {
      asked.push(name);
      return encodeNpy(w, [20, 50]);
    };
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(asked).toEqual(['x.in.npy']);
    expect(ed.state.run.stats!.synapses).toBe(20);
    // The document still names the file (saving keeps the reference, not the numbers).
    expect((ed.doc.edges.find((e) => e.id === edge.id) as unknown as Record<string, unknown>).weights).toEqual({ file: 'x.in.npy' });
    rc.dispose();
  });

  it('refuses the run naming the wire and field when the matrix has the wrong shape', async () => {
    const { ed, edge } = withWeightsFile('x.in.npy');
    const rc = new RunController(ed, engines().factory, now);
    rc.readSideFile = async () => encodeNpy(new Float64Array(6), [2, 3]);
    expect(await rc.run()).toBe(false);
    expect(ed.state.run.phase).toBe('refused');
    expect(ed.state.run.issues[0].edgeId).toBe(edge.id);
    expect(ed.state.run.issues[0].message).toMatch(/weights/);
    rc.dispose();
  });
});

/**
 * An in-process engine whose `run` request the test holds back, with synthetic events
 * injected into the window's side: a network "still building".
 */
function holdingEngine() {
  let deliver: ((m: unknown) => void) | null = null;
  let release: (() => void) | null = null;
  const posted: string[] = [];
  let made = 0;
  let terminated = 0;
  const factory: EngineFactory = async () => {
    made++;
    const { endpoint, close } = createInProcessEngine();
    const handle: EngineHandle = {
      endpoint: {
        post(message, transfer) {
          posted.push(message.type);
          // Only the first engine's first run is held.
          if (message.type === 'run' && made === 1 && release === null) {
            release = () => endpoint.post(message, transfer);
            return;
          }
          endpoint.post(message, transfer);
        },
        listen(handler) {
          deliver = handler as (m: unknown) => void;
          return endpoint.listen(handler);
        },
      },
      host: 'web-worker',
      onCrash: () => undefined,
      terminate: () => {
        terminated++;
        close();
      },
    };
    return handle;
  };
  return {
    factory,
    posted,
    get made() {
      return made;
    },
    get terminated() {
      return terminated;
    },
    inject: (m: unknown) => deliver!(m),
    release: () => release!(),
    get held() {
      return release !== null;
    },
  };
}

/** A run on a network whose engine holds the build: resolves once the engine is building. */
async function heldBuild(durationMs?: number) {
  const ed = new Editor(newDocument('t'));
  network(ed, durationMs === undefined ? undefined : { durationMs });
  const engine = holdingEngine();
  const rc = new RunController(ed, engine.factory, now);
  const running = rc.run();
  await vi.waitFor(() => expect(engine.held).toBe(true));
  return { ed, engine, rc, running };
}

describe('RunController while the engine builds', () => {
  it('shows build progress (done of total) until the first step, then the run as usual', async () => {
    const { ed, engine, rc, running } = await heldBuild();
    expect(ed.state.run.phase).toBe('starting');
    engine.inject({ type: 'build-progress', runId: 1, phase: 'projections', done: 0, total: 2, wallMs: 1 });
    expect(ed.state.run.build).toEqual({ phase: 'projections', done: 0, total: 2 });
    engine.inject({ type: 'build-progress', runId: 1, phase: 'projections', done: 1, total: 2, wallMs: 5 });
    expect(ed.state.run.build).toEqual({ phase: 'projections', done: 1, total: 2 });
    // Another run's events are not this one's.
    engine.inject({ type: 'build-progress', runId: 99, phase: 'projections', done: 2, total: 2, wallMs: 5 });
    expect(ed.state.run.build?.done).toBe(1);
    engine.release();
    expect(await running).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(ed.state.run.build).toBeNull();
    rc.dispose();
  });

  it('cancels the build when Stop is pressed while building: the engine is asked at once, and the app goes back to where it was', async () => {
    const { ed, engine, rc } = await heldBuild();
    engine.inject({ type: 'build-progress', runId: 1, phase: 'projections', done: 1, total: 4, wallMs: 3 });
    await rc.stop();
    // The stop request went to the engine at once, not after the build.
    expect(engine.posted.filter((t) => t === 'stop')).toHaveLength(1);
    expect(ed.state.run.phase).toBe('stopping');
    expect(ed.state.run.build).toEqual({ phase: 'projections', done: 1, total: 4 });
    // The engine ends the cancelled build.
    engine.inject({ type: 'finished', runId: 1, stopped: true, stats: { steps: 0 } });
    expect(ed.state.run.phase).toBe('idle');
    expect(ed.state.run.build).toBeNull();
    expect(ed.state.run.error).toBeNull();
    expect(ed.state.notice?.text).toMatch(/Build cancelled/);
    rc.dispose();
  });

  it('cancels the build when another document is opened, and shows nothing of either', async () => {
    const { ed, engine, rc } = await heldBuild();
    engine.inject({ type: 'build-progress', runId: 1, phase: 'synapses', done: 1, total: 4, wallMs: 3 });
    ed.load(newDocument('other'));
    expect(engine.posted.filter((t) => t === 'stop')).toHaveLength(1);
    engine.inject({ type: 'finished', runId: 1, stopped: true, stats: { steps: 0 } });
    expect(ed.state.run.phase).toBe('idle');
    expect(ed.state.run.stats).toBeNull();
    expect(rc.spikes.list()).toEqual([]);
    rc.dispose();
  });

  it('ends an engine that does not stop building in time and runs the next Run on a new one', async () => {
    const { ed, engine, rc } = await heldBuild(20);
    // Read when the cancel starts, so setting it while the engine builds is in time.
    rc.cancelGraceMs = 30;
    engine.inject({ type: 'build-progress', runId: 1, phase: 'synapses', done: 10, total: 100, wallMs: 3 });
    // The held run never answers: the engine is "deep in one projection".
    await rc.stop();
    expect(ed.state.run.phase).toBe('stopping');
    await vi.waitFor(() => expect(engine.terminated).toBe(1), { timeout: 5_000 });
    expect(ed.state.run.phase).toBe('idle');
    await vi.waitFor(() => expect(ed.state.run.engine).toBe('ready'), { timeout: 5_000 });
    expect(engine.made).toBe(2);
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 20_000 });
    expect(ed.state.run.stats!.steps).toBe(200);
    rc.dispose();
  });
});

describe("RunController with the engine's own build progress", () => {
  it("shows the build of Brunel's network as done of total before its first step, then clears it", async () => {
    const loaded = loadDocument(brunelText);
    if (!loaded.ok) throw new Error(loaded.issues[0].message);
    const ed = new Editor();
    ed.load({ ...loaded.doc, simulation: { ...loaded.doc.simulation, duration_ms: 5 } });
    const seen: { done: number; total: number; phase: string }[] = [];
    ed.store.subscribe((s) => {
      const b = s.run.build;
      if (b && (seen.length === 0 || seen[seen.length - 1] !== b)) seen.push(b);
    });
    const { factory } = engines();
    const rc = new RunController(ed, factory, now);
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 30_000 });
    expect(seen.length).toBeGreaterThan(0);
    for (const b of seen) {
      expect(b.total).toBeGreaterThan(0);
      expect(b.done).toBeGreaterThanOrEqual(0);
      expect(b.done).toBeLessThanOrEqual(b.total);
    }
    expect(ed.state.run.build).toBeNull();
    rc.dispose();
  });

  it("cancels the engine's build of Brunel's network during it, keeping the previous run's results and leaving the app ready to run again", async () => {
    const loaded = loadDocument(brunelText);
    if (!loaded.ok) throw new Error(loaded.issues[0].message);
    const ed = new Editor();
    ed.load({ ...loaded.doc, simulation: { ...loaded.doc.simulation, duration_ms: 5 } });
    const { factory, made } = engines();
    const rc = new RunController(ed, factory, now);
    const kept: number[] = [];
    rc.onFinished((r) => kept.push(r.stats.steps));
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 30_000 });
    const before = ed.state.run;
    const spikes = rc.spikes.kept('raster');
    expect(spikes).toBeGreaterThan(0);
    ed.setSimulation('duration_ms', 1000);
    let cancelled = false;
    const off = ed.store.subscribe((s) => {
      if (s.run.build && !cancelled) {
        cancelled = true;
        void rc.stop();
      }
    });
    void rc.run();
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 30_000 });
    off();
    expect(cancelled).toBe(true);
    // Back to the previous run, as it was: its statistics, its spikes, no new kept run.
    expect(ed.state.run.stats).toBe(before.stats);
    expect(ed.state.run.step).toBe(before.step);
    expect(ed.state.run.nSteps).toBe(50);
    expect(ed.state.run.build).toBeNull();
    expect(rc.spikes.kept('raster')).toBe(spikes);
    expect(kept).toEqual([50]);
    // The same engine (it stopped the build when asked) runs the next Run.
    ed.setSimulation('duration_ms', 2);
    expect(await rc.run()).toBe(true);
    await vi.waitFor(() => expect(ed.state.run.phase).toBe('finished'), { timeout: 30_000 });
    expect(ed.state.run.nSteps).toBe(20);
    expect(kept).toEqual([50, 20]);
    expect(made).toHaveLength(1);
    rc.dispose();
  });
});

describe('RunController on the desktop engine (Electron faked)', () => {
  it('the utility process dies mid-run: the run fails saying so, the document is untouched, a new process runs the next Run', async () => {
    // The window as endpoints.ts sees it: ports arrive as a window message from the preload.
    const listeners = new Set<(e: unknown) => void>();
    const fakeWindow = {
      addEventListener: (_t: string, l: (e: unknown) => void) => void listeners.add(l),
      removeEventListener: (_t: string, l: (e: unknown) => void) => void listeners.delete(l),
      setTimeout: (cb: () => void, ms: number) => setTimeout(cb, ms),
      clearTimeout: (t: ReturnType<typeof setTimeout>) => clearTimeout(t),
    };
    vi.stubGlobal('window', fakeWindow);
    /** Each "utility process": an engine served on one end of a real MessageChannel (Node's global); dying closes it. */
    const processes: { die: () => void }[] = [];
    const api = {
      requestEnginePort: () => {
        const { port1, port2 } = new MessageChannel();
        const endpoint = {
          post: (m: EngineMessage) => port1.postMessage(m),
          listen: (h: (m: Request) => void) => {
            const l = (e: MessageEvent) => h(e.data as Request);
            port1.addEventListener('message', l);
            port1.start();
            return () => port1.removeEventListener('message', l);
          },
        };
        const stop = serveEngine(endpoint, { host: 'electron-utility', now: () => performance.now(), yieldToEvents: (cb) => setImmediate(cb) });
        processes.push({ die: () => (stop(), port1.close()) });
        for (const l of [...listeners]) l({ source: fakeWindow, data: { type: 'spikeflow-engine-port' }, ports: [port2] });
      },
    } as unknown as DesktopApi;
    try {
      const ed = new Editor(newDocument('t'));
      network(ed, { durationMs: 100_000 });
      const rc = new RunController(ed, electronEngineFactory(api), now);
      await rc.run();
      await vi.waitFor(() => expect(ed.state.run.step).toBeGreaterThan(0), { timeout: 20_000 });
      const doc = ed.doc;
      const text = JSON.stringify(doc);
      processes[0].die();
      await vi.waitFor(() => expect(ed.state.run.phase).toBe('failed'), { timeout: 5_000 });
      expect(ed.state.run.error).toMatch(/The engine process exited.*graph is unchanged/);
      expect(ed.doc).toBe(doc);
      expect(JSON.stringify(ed.doc)).toBe(text);
      // A new process (a new port from main) runs the next Run.
      await nextRunOnNewEngine(ed, rc, () => processes.length);
      processes[1].die();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
