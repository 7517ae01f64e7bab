import { describe, it, expect, afterAll } from 'vitest';
import type { NetworkPlan } from '../engine/core/plan.ts';
import type { GraphDocument } from '../engine/format/document.ts';
import { Network } from '../engine/sim/network.ts';
import { AUTO_PARALLEL_MIN_NEURONS, MAX_LAG, ParallelNetwork, WINDOW_BYTES, chooseThreads, windowLag } from '../engine/sim/parallel/parallel-network.ts';
import { addCounts, drawProjections, rangeOf, Shard, splitBySource, type DrawnProjection } from '../engine/sim/parallel/shard.ts';
import { drawSynapses } from '../engine/sim/build.ts';
import { createArena } from '../engine/sim/arena.ts';
import { STEP_WIDTH } from '../engine/sim/parallel/profile.ts';
import { nodeThreadSupport } from '../engine/hosts/node-threads.ts';
import type { ThreadSupport } from '../engine/sim/parallel/pool.ts';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { EngineClient } from '../engine/protocol/client.ts';
import type { EngineEvent } from '../engine/protocol/messages.ts';
import { plan as makePlan, pop, proj } from '../engine/test-support/test-plans.ts';
import { loadExample, planOf } from './helpers.ts';
import { parseRunArgs } from '../engine/hosts/cli.ts';
import { runtimeOf } from '../engine/kinds/index.ts';
import { Rng } from '../engine/sim/rng.ts';

const support = nodeThreadSupport(new URL('../engine/hosts/sim-thread-node-boot.mjs', import.meta.url));
const started: ParallelNetwork[] = [];
afterAll(() => started.forEach((n) => n.dispose()));

interface Run {
  /** Per recorder: "neuron@step" pairs in recorded order. */
  spikes: string[][];
  /** Per state recorder: the samples. */
  state: number[][];
  rate: number[][];
  events: number[];
  external: number;
  totals: number[];
}

type Net = Network | ParallelNetwork;

function record(net: Net): Run {
  const spikes: string[][] = net.recorders.map(() => []);
  const state: number[][] = net.stateRecorders.map(() => []);
  const rate: number[][] = net.rateRecorders.map(() => []);
  while (net.step < net.nSteps) {
    net.advance();
    // Drain now and then, as the server does between chunks.
    if (net.step % 97 === 0 || net.step === net.nSteps) {
      net.recorders.forEach((r, k) => {
        const { neuron, step } = r.drain();
        for (let i = 0; i < neuron.length; i++) spikes[k].push(`${neuron[i]}@${step[i]}`);
      });
      net.stateRecorders.forEach((r, k) => state[k].push(...r.drain().values));
      net.rateRecorders.forEach((r, k) => rate[k].push(...r.drain().counts));
    }
  }
  const stats = net.stats(0, 1);
  return {
    spikes,
    state,
    rate,
    events: net.projections.map((p) => p.events),
    external: stats.external_events,
    totals: stats.populations.map((p) => p.spikes),
  };
}

async function parallelRun(plan: NetworkPlan, threads: number): Promise<Run> {
  const net = await ParallelNetwork.start(plan, runtimeOf, { threads }, support);
  started.push(net);
  expect(net.threads).toBe(threads);
  const run = record(net);
  net.dispose();
  return run;
}

/**
 * A CUBA-like network with every per-neuron input the parallel engine handles:
 * a replicated Poisson source, uniform and per-neuron (OU) currents, drawn
 * weights and delays, and spike, state and rate monitors over neurons that
 * different threads own. Sizes are odd so thread ranges are uneven.
 */
function cubaLike(): NetworkPlan {
  const exc = pop('exc', 'lif-curr-exp', { size: 1601, v_init_mv: { dist: 'uniform', low: -60, high: -50 } });
  const inh = pop('inh', 'lif-curr-exp', { size: 801, v_init_mv: { dist: 'uniform', low: -60, high: -50 } });
  const src = pop('src', 'poisson-source', { size: 200, rate_hz: 20 });
  const dc = pop('dc', 'dc-current', { amplitude_pa: 50 });
  const ou = pop('ou', 'ou-current', { mean_pa: 100, sigma_pa: 200, tau_ms: 5 });
  const raster = { nodeId: 'raster', kind: 'spike-monitor', sources: [0, 1, 2], params: {} };
  const vm = { nodeId: 'vm', kind: 'state-monitor', sources: [0], params: { variable: 'v', neurons: [0, 700, 1600], interval_ms: 0.5 } };
  const rates = { nodeId: 'rates', kind: 'rate-monitor', sources: [1], params: { bin_ms: 5 } };
  return makePlan({
    durationMs: 150,
    seed: 7,
    populations: [exc, inh, src, dc, ou],
    projections: [
      proj('ee', 0, 0, { rule: 'bernoulli', p: 0.02, weight: 1.62, delayMs: 0 }),
      proj('ei', 0, 1, { rule: 'bernoulli', p: 0.02, weight: { dist: 'uniform', low: 1, high: 2.2 }, delayMs: { dist: 'uniform', low: 0.1, high: 2 } }),
      proj('ie', 1, 0, { rule: 'bernoulli', p: 0.02, weight: 9, delayMs: 0.5, receptor: 'inh' }),
      proj('ii', 1, 1, { rule: 'fixed-out-degree', n: 16, weight: 9, delayMs: 0, receptor: 'inh' }),
      proj('se', 2, 0, { rule: 'fixed-in-degree', n: 5, weight: 3, delayMs: 1 }),
    ],
    injections: [
      { edgeId: 'dc-inh', source: 3, target: 1, targetPort: 'current' },
      { edgeId: 'ou-exc', source: 4, target: 0, targetPort: 'current' },
    ],
    monitors: [raster, vm, rates].map((m) => ({ ...m, params: { ...pop('x', m.kind).params, ...m.params } })),
  });
}

/** Brunel's example (delta synapses, Poisson drive, refractory gating), at 2,000 neurons. */
function brunelLike(): NetworkPlan {
  const doc = loadExample('brunel.spikeflow.json');
  const scaled: GraphDocument = {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === 'exc' ? { ...n, params: { ...n.params, size: 1601 } } : n.id === 'inh' ? { ...n, params: { ...n.params, size: 400 } } : n)),
    edges: doc.edges.map((e) => (e.params?.n ? { ...e, params: { ...e.params, n: (e.params.n as number) / 5 } } : e)),
  };
  return planOf(scaled, { durationMs: 150 });
}

describe('parallel runs (engine/sim/parallel)', () => {
  it('splits populations into contiguous ranges that cover every neuron once, and keeps small ones whole', () => {
    for (const [size, threads] of [
      [1601, 3],
      [800, 2],
      [10_000, 7],
    ] as const) {
      let next = 0;
      for (let t = 0; t < threads; t++) {
        const { lo, hi } = rangeOf(size, threads, t);
        expect(lo).toBe(next);
        expect(hi).toBeGreaterThan(lo);
        next = hi;
      }
      expect(next).toBe(size);
    }
    expect(rangeOf(500, 3, 0)).toEqual({ lo: 0, hi: 500 });
    expect(rangeOf(500, 3, 2)).toEqual({ lo: 500, hi: 500 });
  });

  it("runs a thread's share of Brunel on the wasm kernels, as one thread runs the whole", async () => {
    const plan = brunelLike();
    const one = new Network(plan, { runtimes: runtimeOf }).fastPaths();
    const net = await ParallelNetwork.start(plan, runtimeOf, { threads: 2 }, support);
    started.push(net);
    const mine = net.fastPaths();
    net.dispose();
    // Thread 0 owns half of exc and all of inh (400 < 2 · 256 neurons): every projection, both groups' fused absorb and drive.
    expect(one).toMatchObject({ wasmProjections: 4, fusedAbsorbs: 2, fusedDrives: 2 });
    expect(mine).toMatchObject({ wasmProjections: 4, fusedAbsorbs: 2, fusedDrives: 2 });
    expect(mine.arenaUsed).toBeGreaterThan(0);
  });

  for (const [name, make] of [
    ['CUBA-like', cubaLike],
    ['Brunel-like', brunelLike],
  ] as const) {
    it(`gives the ${name} network spike-for-spike the single-threaded engine's results on 1, 2 and 3 threads`, async () => {
      const plan = make();
      const reference = record(new Network(plan, { runtimes: runtimeOf }));
      const spikeCount = reference.spikes.reduce((a, s) => a + s.length, 0);
      expect(spikeCount).toBeGreaterThan(500);
      for (const threads of [1, 2, 3]) {
        const run = await parallelRun(plan, threads);
        expect(run.spikes).toEqual(reference.spikes);
        expect(run.state).toEqual(reference.state);
        expect(run.rate).toEqual(reference.rate);
        expect(run.events).toEqual(reference.events);
        expect(run.external).toBe(reference.external);
        expect(run.totals).toEqual(reference.totals);
      }
    }, 120_000);
  }

  it("reads the step's rows ahead before delivering (any column size here) and keeps one thread's spikes, V, rates and events on 2 and 3 threads", async () => {
    for (const make of [cubaLike, brunelLike]) {
      const plan = make();
      const reference = record(new Network(plan, { runtimes: runtimeOf }));
      // Every wire from neurons into f64 rings is read ahead; the Poisson source's (CUBA's 'src') is not: it is not in shared memory.
      const fromNeurons = plan.projections.filter((p) => runtimeOf(plan.populations[p.source].kind)?.role === 'neurons').length;
      expect(fromNeurons).toBeGreaterThan(0);
      for (const threads of [2, 3]) {
        const net = await ParallelNetwork.start(plan, runtimeOf, { threads }, support, Infinity, false, { readAheadMinBytes: 0 });
        started.push(net);
        expect(net.readAheadCount).toBe(fromNeurons);
        const run = record(net);
        net.dispose();
        // Spikes, V samples, rates, events per wire, drive events and totals.
        expect(run).toEqual(reference);
      }
    }
  }, 120_000);

  it("reads no rows ahead by default in networks whose columns fit a core's cache (READ_AHEAD_MIN_BYTES)", async () => {
    const net = await ParallelNetwork.start(brunelLike(), runtimeOf, { threads: 2 }, support);
    started.push(net);
    expect(net.readAheadCount).toBe(0);
    net.dispose();
  }, 60_000);

  /** Brunel-like E/I lif-delta groups for the count-ring tests: in-degrees, weights and delays per source group. */
  const eiPlan = (o: { seed: number; durationMs: number; sizes: [number, number]; n: [number, number]; w: [number, number]; delayMs: [number, number]; monitors: NetworkPlan['monitors'] }) => {
    const lif = { v_init_mv: { dist: 'uniform', low: 0, high: 20 }, tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2 };
    const wire = (id: string, s: 0 | 1, t: number) => proj(id, s, t, { rule: 'fixed-in-degree', n: o.n[s], weight: o.w[s], delayMs: o.delayMs[s], receptor: s === 0 ? 'exc' : 'inh' });
    const drive = (edgeId: string, target: number) => ({ nodeId: 'ext', kind: 'poisson-drive', edgeId, target, params: { count: 80, rate_hz: 20, weight: 1.3, receptor: 'exc' } });
    return makePlan({
      durationMs: o.durationMs,
      seed: o.seed,
      populations: [pop('e', 'lif-delta', { ...lif, size: o.sizes[0] }), pop('i', 'lif-delta', { ...lif, size: o.sizes[1] })],
      projections: [wire('ee', 0, 0), wire('ei', 0, 1), wire('ie', 1, 0), wire('ii', 1, 1)],
      drives: [drive('xe', 0), drive('xi', 1)],
      monitors: o.monitors,
    });
  };

  it("runs windowed when every delay is two steps or more (threads of uneven work meet only through counters) with one thread's spikes, V, rates and events, also read mid-run", async () => {
    // Delays of 15 steps from 'e' and 3 from 'i': a window of 3 steps. 'i' (500 neurons) stays whole on thread 0
    // (under 2 · 256 per thread), so thread 0 has 1,300 neurons against thread 1's 801: uneven on purpose.
    const plan = eiPlan({
      seed: 5,
      durationMs: 60,
      sizes: [1601, 500],
      n: [80, 20],
      w: [1.3, 6.5],
      delayMs: [1.5, 0.3],
      monitors: [
        { nodeId: 'raster', kind: 'spike-monitor', sources: [0, 1], params: { ...pop('x', 'spike-monitor').params } },
        { nodeId: 'vm', kind: 'state-monitor', sources: [0, 1], params: { ...pop('x', 'state-monitor').params, variable: 'v', neurons: [0, 799, 800, 1600, 499], interval_ms: 0.3 } },
        { nodeId: 'rates', kind: 'rate-monitor', sources: [0], params: { ...pop('x', 'rate-monitor').params, bin_ms: 2 } },
      ],
    });
    const counters = (x: Net) => ({ step: x.step, totals: x.pops.map((p) => p.total), events: x.projections.map((p) => p.events), external: x.externalEvents });
    for (const [threads, slow] of [
      [2, false],
      [3, false],
      [2, true],
    ] as const) {
      const one = new Network(plan, { runtimes: runtimeOf });
      // Slow: thread 0 (this one) dawdles 0.3 ms every third step, so the other threads run the whole window ahead of it
      // and must wait for its spikes at the window's edge (its shard's update is patched here; theirs run in their own threads).
      const update = Shard.prototype.update;
      if (slow)
        Shard.prototype.update = function (this: Shard, n: number) {
          if (n % 3 === 0) for (const t = performance.now(); performance.now() - t < 0.3;);
          update.call(this, n);
        };
      const net = await ParallelNetwork.start(plan, runtimeOf, { threads }, support).finally(() => {
        delete (Shard.prototype as { update?: unknown }).update;
      });
      started.push(net);
      expect(net.lag).toBe(3);
      // Mid-run, what the server reads for its progress events (spike totals, events per wire, drive events) is the step's.
      while (one.step < one.nSteps / 2) {
        one.advance();
        net.advance();
        if (one.step % 41 === 0) expect(counters(net)).toEqual(counters(one));
      }
      const reference = record(one);
      expect(reference.spikes[0].length).toBeGreaterThan(1000);
      expect(record(net)).toEqual(reference);
      net.dispose();
    }
    // With the window off (a barrier per step), the same.
    const barrier = await ParallelNetwork.start(plan, runtimeOf, { threads: 2 }, support, Infinity, false, { window: false });
    started.push(barrier);
    expect(barrier.lag).toBe(0);
    expect(record(barrier)).toEqual(record(new Network(plan, { runtimes: runtimeOf })));
    barrier.dispose();
  }, 120_000);

  it("runs a CUBA-like network windowed (a Poisson source's spikes delivered from per-step copies, OU currents, drawn weights and delays) with one thread's results on 2 and 3 threads", async () => {
    // CUBA-like with every delay at least 0.2 ms (2 steps): a window of 2 steps.
    const base = cubaLike();
    const plan: NetworkPlan = {
      ...base,
      projections: base.projections.map((p) => (p.delayMs === 0 ? { ...p, delayMs: 0.2 } : p.edgeId === 'ei' ? { ...p, delayMs: { dist: 'uniform', low: 0.2, high: 2 } } : p)),
    };
    const reference = record(new Network(plan, { runtimes: runtimeOf }));
    expect(reference.spikes[2].length).toBeGreaterThan(100);
    for (const threads of [2, 3]) {
      const net = await ParallelNetwork.start(plan, runtimeOf, { threads }, support);
      started.push(net);
      expect(net.lag).toBe(2);
      expect(record(net)).toEqual(reference);
      net.dispose();
    }
  }, 120_000);

  it('hands the threads the fixed in-degree rows where they were drawn, in one shared memory, with their u16 columns, the same synapses as one thread draws', () => {
    const plan = brunelLike();
    const drawn = drawProjections(plan, runtimeOf);
    const fixed = plan.projections.map((p, k) => [p, drawn[k]] as const).filter(([p]) => p.rule === 'fixed-in-degree');
    expect(fixed.length).toBeGreaterThan(1);
    // One shared buffer for all of them (no copy per projection), each at its own place in it.
    expect(new Set(fixed.map(([, d]) => d.col)).size).toBe(1);
    expect(fixed[0][1].col).toBeInstanceOf(SharedArrayBuffer);
    expect(new Set(fixed.flatMap(([, d]) => [d.colAt, d.rowPtrAt])).size).toBe(2 * fixed.length);
    for (const [p, d] of fixed) {
      // What Network draws, in its own (unshared) arena.
      const nSource = plan.populations[p.source].size;
      const ref = drawSynapses(plan, p, nSource, plan.populations[p.target].size, createArena(64 << 20) ?? undefined);
      expect(d.colBytes).toBe(2);
      expect(d.synapses).toBe(ref.synapses);
      expect(Array.from(new Uint32Array(d.rowPtr, d.rowPtrAt, nSource + 1))).toEqual(Array.from(ref.csr.rowPtr));
      expect(Array.from(new Uint16Array(d.col, d.colAt, d.synapses))).toEqual(Array.from(ref.csr.col));
    }
  });

  it('windows a run by its shortest delay in steps (at most MAX_LAG, less for huge networks), and not with delays under two steps, projections split by source or one thread', () => {
    const drawn = (dConst: number, d: number[] | null = null): DrawnProjection => ({
      synapses: d?.length ?? 4,
      rowPtr: new SharedArrayBuffer(8),
      rowPtrAt: 0,
      col: new SharedArrayBuffer(16),
      colAt: 0,
      colBytes: 4,
      w: null,
      d: d
        ? (() => {
            const b = new SharedArrayBuffer(2 * d.length);
            new Uint16Array(b).set(d);
            return b;
          })()
        : null,
      dConst,
      maxD: Math.max(dConst, ...(d ?? [])),
    });
    expect(windowLag([drawn(15), drawn(3)], [false, false], 2)).toBe(3);
    expect(windowLag([drawn(15), drawn(0, [7, 5, 9])], [false, false], 2)).toBe(5);
    expect(windowLag([drawn(200)], [false], 4)).toBe(MAX_LAG);
    expect(windowLag([drawn(15), drawn(1)], [false, false], 2)).toBe(0);
    expect(windowLag([drawn(15), drawn(0, [4, 1])], [false, false], 2)).toBe(0);
    expect(windowLag([drawn(15), drawn(3)], [true, false], 2)).toBe(0);
    expect(windowLag([drawn(15)], [false], 1)).toBe(0);
    // Spike buffers of 2 · lag steps within WINDOW_BYTES: 10 M neurons keep 3 steps of 15 (240 MB), 40 M none.
    expect(windowLag([drawn(15)], [false], 2, 10_000_000)).toBe(Math.floor(WINDOW_BYTES / 80_000_000));
    expect(windowLag([drawn(15)], [false], 2, 10_000_000)).toBe(3);
    expect(windowLag([drawn(15)], [false], 2, 40_000_000)).toBe(0);
  });

  it("runs count rings (large lif-delta groups) on every thread, with one thread's count-ring spikes on 1, 2 and 3 threads", async () => {
    // Count rings from groups of any size here (65,536 neurons by default).
    const plan = eiPlan({
      seed: 3,
      durationMs: 80,
      sizes: [1601, 600],
      n: [80, 20],
      w: [1.3, 6.5],
      delayMs: [1.5, 1.5],
      monitors: [
        { nodeId: 'raster', kind: 'spike-monitor', sources: [0, 1], params: { ...pop('x', 'spike-monitor').params } },
        { nodeId: 'vm', kind: 'state-monitor', sources: [0], params: { ...pop('x', 'state-monitor').params, variable: 'v', neurons: [0, 700, 1200, 1600], interval_ms: 0.5 } },
      ],
    });
    const one = new Network(plan, { runtimes: runtimeOf, countRingsMinTargets: 0, profile: true });
    const reference = record(one);
    expect(one.profile()!.paths.countRings).toBe(4);
    expect(reference.spikes[0].length).toBeGreaterThan(1000);
    for (const threads of [1, 2, 3]) {
      const net = await ParallelNetwork.start(plan, runtimeOf, { threads }, support, Infinity, true, { countRingsMinTargets: 0 });
      started.push(net);
      const run = record(net);
      // Thread 0 delivers into count rings in both groups (it owns a part of 'e', and of 'i': 600 ≥ 2 · 256; on three threads all of it).
      expect(net.profile()!.paths.countRings).toBe(4);
      // Split by source: on two threads every wire (both groups are split); on three only those into 'e' ('i' stays whole on thread 0).
      expect(net.profile()!.paths.splitBySource).toBe({ 1: 0, 2: 4, 3: 2 }[threads]);
      net.dispose();
      expect(run.spikes).toEqual(reference.spikes);
      expect(run.state).toEqual(reference.state);
      expect(run.events).toEqual(reference.events);
      expect(run.external).toBe(reference.external);
    }
  }, 120_000);

  it("delivers u16 counts split by source (in-degree past 255) with one thread's spikes on 2 threads", async () => {
    const plan = eiPlan({
      seed: 4,
      durationMs: 40,
      sizes: [1500, 600],
      n: [300, 75],
      w: [0.35, 1.75],
      delayMs: [0.3, 0.2],
      monitors: [{ nodeId: 'raster', kind: 'spike-monitor', sources: [0, 1], params: { ...pop('x', 'spike-monitor').params } }],
    });
    const reference = record(new Network(plan, { runtimes: runtimeOf, countRingsMinTargets: 0 }));
    expect(reference.spikes[0].length).toBeGreaterThan(500);
    const net = await ParallelNetwork.start(plan, runtimeOf, { threads: 2 }, support, Infinity, true, { countRingsMinTargets: 0 });
    started.push(net);
    const run = record(net);
    // Delays of 3 and 2 steps: every wire is split by source, and hands counts over.
    expect(net.profile()!.paths.splitBySource).toBe(4);
    net.dispose();
    expect(run.spikes).toEqual(reference.spikes);
    expect(run.events).toEqual(reference.events);
  }, 120_000);

  it('builds again split by target, with the same spikes, when a group the plan would split by source gets no count rings (two drives into it)', async () => {
    const lif = { v_init_mv: { dist: 'uniform', low: 0, high: 20 }, tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2 };
    const drive = (edgeId: string) => ({ nodeId: edgeId, kind: 'poisson-drive', edgeId, target: 0, params: { count: 40, rate_hz: 20, weight: 1.3, receptor: 'exc' } });
    const plan = makePlan({
      durationMs: 40,
      seed: 5,
      populations: [pop('e', 'lif-delta', { ...lif, size: 1200 })],
      projections: [
        proj('ee', 0, 0, { rule: 'fixed-in-degree', n: 80, weight: 1.3, delayMs: 1.5, receptor: 'exc' }),
        proj('ie', 0, 0, { rule: 'fixed-in-degree', n: 20, weight: 6.5, delayMs: 1.5, receptor: 'inh' }),
      ],
      // Two drives into one group: no count rings (setUpCountRings fuses at most one), though every wire qualifies.
      drives: [drive('x1'), drive('x2')],
      monitors: [{ nodeId: 'raster', kind: 'spike-monitor', sources: [0], params: { ...pop('x', 'spike-monitor').params } }],
    });
    expect(splitBySource(plan, runtimeOf, 2, 0)).toEqual([true, true]);
    const reference = record(new Network(plan, { runtimes: runtimeOf, countRingsMinTargets: 0 }));
    expect(reference.spikes[0].length).toBeGreaterThan(100);
    const net = await ParallelNetwork.start(plan, runtimeOf, { threads: 2 }, support, Infinity, true, { countRingsMinTargets: 0 });
    started.push(net);
    const run = record(net);
    expect(net.profile()!.paths.splitBySource).toBe(0);
    net.dispose();
    expect(run.spikes).toEqual(reference.spikes);
    expect(run.events).toEqual(reference.events);
  }, 120_000);

  it('adds count slots handed over between threads exactly, u8 and u16, at any byte alignment', () => {
    const rng = new Rng(7, 'counts');
    for (const bytes of [1, 2]) {
      for (const shift of [0, 1, 2, 3, 4, 6]) {
        const n = 64 + shift * bytes;
        const buf = new ArrayBuffer(256);
        const off = bytes === 2 ? shift * 2 : shift;
        const dst = new Uint8Array(buf, off, n - (n % bytes));
        const src = new Uint8Array(new ArrayBuffer(256), off, dst.length);
        const max = bytes === 1 ? 127 : 32767;
        const want: number[] = [];
        for (let i = 0; i < dst.length; i += bytes) {
          const a = rng.int(max);
          const b = rng.int(max);
          if (bytes === 1) [dst[i], src[i]] = [a, b];
          else [dst[i], dst[i + 1], src[i], src[i + 1]] = [a & 0xff, a >> 8, b & 0xff, b >> 8];
          want.push(a + b);
        }
        addCounts(dst, src, bytes);
        const got = bytes === 1 ? [...dst] : Array.from({ length: dst.length / 2 }, (_, k) => dst[2 * k] + (dst[2 * k + 1] << 8));
        expect(got).toEqual(want);
      }
    }
  });

  it('counts a windowed run’s waits by length: a thread that dawdles 3 ms makes the other wait 1 ms or more, and a step’s end is no wait', async () => {
    const plan = brunelLike();
    const reference = record(new Network(plan, { runtimes: runtimeOf }));
    // Thread 0 (this one; its shard's update is patched here, the other thread's runs in its own module) dawdles 3 ms every
    // 100th step: the other thread runs the window (14 steps of ~0.05 ms) ahead and then waits for its spikes.
    const update = Shard.prototype.update;
    Shard.prototype.update = function (this: Shard, n: number) {
      if (n % 100 === 50) for (const t = performance.now(); performance.now() - t < 3;);
      update.call(this, n);
    };
    const net = await ParallelNetwork.start(plan, runtimeOf, { threads: 2 }, support, Infinity, true).finally(() => {
      delete (Shard.prototype as { update?: unknown }).update;
    });
    started.push(net);
    expect(net.lag).toBeGreaterThan(1);
    expect(record(net)).toEqual(reference);
    const [t0, t1] = net.stats(0, 1).profile!.threads!.threads;
    const dawdles = Math.floor((plan.nSteps - 50 + 99) / 100);
    expect(t1.waits).toHaveLength(4);
    // Each dawdle leaves thread 1 waiting ~2.5 ms (at least half of them counted there, should the machine be busy).
    expect(t1.waits[3]).toBeGreaterThanOrEqual(Math.ceil(dawdles / 2));
    expect(t1.wait_ms).toBeGreaterThanOrEqual(t1.waits[3]);
    for (const t of [t0, t1]) expect(t.slept).toBeLessThanOrEqual(t.waits.reduce((a, b) => a + b, 0));
    // Thread 0 is behind all run long: it seldom waits. Were every step's end counted, it would show a wait a step.
    expect(t0.waits.reduce((a, b) => a + b, 0)).toBeLessThan(plan.nSteps / 4);
    net.dispose();
  }, 60_000);

  it("profiles a run on two threads without changing its spikes: each thread's phases, busy and waiting time, and the critical path", async () => {
    const plan = brunelLike();
    const reference = record(new Network(plan, { runtimes: runtimeOf }));
    const net = await ParallelNetwork.start(plan, runtimeOf, { threads: 2 }, support, Infinity, true);
    started.push(net);
    const run = record(net);
    expect(run.spikes).toEqual(reference.spikes);
    const p = net.stats(0, 1).profile!;
    expect(p.threads!.threads).toHaveLength(2);
    for (const t of p.threads!.threads) {
      expect(t.busy_ms).toBeGreaterThan(0);
      expect(t.run_ms.deliverSpikes).toBeGreaterThan(0);
      // Busy time is the phases plus what lies between them (the coordinator's gathering), never less.
      expect(t.busy_ms).toBeGreaterThanOrEqual(Object.values(t.run_ms).reduce((a, b) => a + b, 0) * 0.999);
    }
    expect(net.stepTimes()!.map((x) => x.length)).toEqual([0, 1].map(() => (plan.nSteps + 1) * STEP_WIDTH));
    // The critical path takes the slower thread in every step: at least either thread's busy time, at most their sum.
    const [a, b] = p.threads!.threads.map((t) => t.busy_ms);
    expect(p.threads!.critical_path_ms).toBeGreaterThanOrEqual(Math.max(a, b));
    expect(p.threads!.critical_path_ms).toBeLessThanOrEqual(a + b);
    expect(p.threads!.critical_path_steps).toBe(plan.nSteps + 1);
    net.dispose();
  }, 60_000);

  it('gives other spikes for another seed (the identity is not vacuous)', async () => {
    const plan = brunelLike();
    const a = await parallelRun(plan, 2);
    const b = await parallelRun({ ...plan, seed: plan.seed + 1 }, 2);
    expect(b.spikes).not.toEqual(a.spikes);
  }, 60_000);

  it('chooses every core for large networks, one thread for small or plastic ones, and says why it used fewer than asked', () => {
    const sized = (size: number) => makePlan({ populations: [pop('a', 'lif-curr-exp', { size }), pop('s', 'poisson-source', { size: 10_000 })] });
    const big = sized(AUTO_PARALLEL_MIN_NEURONS);
    const quad = { spawn: support.spawn, cores: 4 };
    expect(chooseThreads(big, runtimeOf, undefined, quad).threads).toBe(4);
    expect(chooseThreads(big, runtimeOf, 3, quad).threads).toBe(3);
    expect(chooseThreads(big, runtimeOf, 1, quad)).toEqual({ threads: 1 });
    // Source channels are not neurons: they cost per spike, not per step.
    expect(chooseThreads(sized(AUTO_PARALLEL_MIN_NEURONS - 1), runtimeOf, undefined, quad)).toEqual({ threads: 1 });
    expect(chooseThreads(sized(AUTO_PARALLEL_MIN_NEURONS - 1), runtimeOf, 2, quad).threads).toBe(2);
    const noHost = chooseThreads(big, runtimeOf, 2, undefined);
    expect(noHost.threads).toBe(1);
    expect(noHost.note).toMatch(/cannot start threads/);
    // The standard networks: CUBA is too small to gain, Brunel's 3.9 M synapses are not.
    expect(chooseThreads(planOf(loadExample('cuba.spikeflow.json')), runtimeOf, undefined, quad)).toEqual({ threads: 1 });
    expect(chooseThreads(planOf(loadExample('brunel.spikeflow.json')), runtimeOf, undefined, quad).threads).toBe(4);
    // On two cores the automatic choice stays on one thread (measured slower split); asking still splits.
    const dual = { spawn: support.spawn, cores: 2 };
    expect(chooseThreads(big, runtimeOf, undefined, dual)).toEqual({ threads: 1 });
    expect(chooseThreads(big, runtimeOf, 2, dual).threads).toBe(2);
    const plastic: NetworkPlan = { ...big, projections: [proj('w', 1, 0, { plasticity: { nodeId: 'stdp', rule: 'stdp', params: {} } })] };
    const p = chooseThreads(plastic, runtimeOf, 2, quad);
    expect(p.threads).toBe(1);
    expect(p.note).toMatch(/plastic/);
  });

  it('takes the thread count on the command line as a whole number of at least 1', () => {
    expect(parseRunArgs(['net.spikeflow.json', '--threads', '3']).threads).toBe(3);
    expect(parseRunArgs(['net.spikeflow.json']).threads).toBeUndefined();
    expect(() => parseRunArgs(['net.spikeflow.json', '--threads', '0'])).toThrow(/--threads must be at least 1/);
    expect(() => parseRunArgs(['net.spikeflow.json', '--threads', '1.5'])).toThrow(/--threads needs a whole number/);
  });

  it('runs through the protocol with a threads option and reports the thread count in the stats', async () => {
    const plan = brunelLike();
    const engine = createInProcessEngine({ threads: support });
    const client = new EngineClient(engine.endpoint);
    const runWith = async (threads: number) => {
      const neurons: number[] = [];
      const done = new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve, reject) => {
        const off = client.onEvent((e) => {
          if (e.type === 'spikes' && e.source === 0) neurons.push(...e.neuron);
          else if (e.type === 'finished') {
            off();
            resolve(e);
          } else if (e.type === 'failed') {
            off();
            reject(new Error(e.error.message));
          }
        });
      });
      await client.run(plan, { threads });
      return { neurons, stats: (await done).stats };
    };
    await client.hello();
    await expect(client.run(plan, { threads: 0 })).rejects.toThrow(/threads must be a whole number ≥ 1/);
    const one = await runWith(1);
    const two = await runWith(2);
    engine.close();
    expect(one.stats.threads).toBe(1);
    expect(two.stats.threads).toBe(2);
    expect(two.neurons).toEqual(one.neurons);
    expect(two.stats.synaptic_events).toBe(one.stats.synaptic_events);
    expect(two.stats.spikes).toBe(one.stats.spikes);
  }, 60_000);

  it('pauses, steps and stops a parallel run mid-way, reporting the steps it ran, and then runs the next one', async () => {
    const plan = brunelLike();
    const engine = createInProcessEngine({ threads: support });
    const client = new EngineClient(engine.endpoint);
    const finished: Extract<EngineEvent, { type: 'finished' }>[] = [];
    let step = 0;
    client.onEvent((e) => {
      if (e.type === 'finished') finished.push(e);
      else if (e.type === 'progress') step = e.step;
    });
    await client.hello();
    await client.run(plan, { threads: 2, startPaused: true, chunkSteps: 10 });
    await client.step(25);
    await expect.poll(() => step, { timeout: 30_000 }).toBe(25);
    await client.stop();
    await expect.poll(() => finished.length).toBe(1);
    expect(finished[0].stopped).toBe(true);
    expect(finished[0].stats.steps).toBe(25);
    expect(finished[0].stats.threads).toBe(2);
    // The stopped run's threads are gone: a new run starts and completes.
    await client.run({ ...plan, nSteps: 50 }, { threads: 2 });
    await expect.poll(() => finished.length, { timeout: 30_000 }).toBe(2);
    expect(finished[1].stats.steps).toBe(50);
    engine.close();
  }, 60_000);

  it('runs on one thread, and says why, when the threads cannot start', async () => {
    const broken: ThreadSupport = {
      cores: 2,
      spawn: () => ({
        post: () => undefined,
        listen: (h) => void setTimeout(() => h({ type: 'error', message: 'no such entry file' }), 0),
        terminate: () => undefined,
      }),
    };
    const engine = createInProcessEngine({ threads: broken });
    const client = new EngineClient(engine.endpoint);
    const done = new Promise<Extract<EngineEvent, { type: 'finished' }>>((resolve) => {
      client.onEvent((e) => {
        if (e.type === 'finished') resolve(e);
      });
    });
    await client.hello();
    await client.run({ ...brunelLike(), nSteps: 100 }, { threads: 2 });
    const end = await done;
    engine.close();
    expect(end.stats.threads).toBe(1);
    expect(end.stats.threads_note).toMatch(/could not start \(A simulation thread failed: no such entry file\)/);
    expect(end.stats.steps).toBe(100);
  }, 60_000);
});
