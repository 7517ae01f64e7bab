import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { Network, type BlockedDelivery } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { traceRun } from '../test-support/test-trace.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';
import { api, assemble } from '../core/wasm.ts';
import { COUNT_AHEAD, COUNT_AHEAD_S7, countDef, deliverCountRows, deliveryKernels, type CountAhead, type CountKernel } from './wasm-kernels-delivery.ts';
import { createArena, type Arena } from './arena.ts';
import { Rng } from './rng.ts';
import { loadDocument } from '../format/load.ts';
import { compileDocument } from '../compile/compile.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';

afterEach(() => {
  setWasmKernelsEnabled(true);
});

/** `traceRun`, with V's bits as `v` (and the drive's events as `external`). */
function trace(p: NetworkPlan, wasm: boolean, blocked?: Partial<BlockedDelivery>): { spikes: number[][]; v: number[][]; external: number; net: Network } {
  const t = traceRun(p, wasm, ['v'], blocked);
  return { spikes: t.spikes, v: t.state, external: t.net.externalEvents, net: t.net };
}

function example(file: string, durationMs: number): NetworkPlan {
  const loaded = loadDocument(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error(`cannot load ${file}`);
  const compiled = compileDocument(loaded.doc, { durationMs });
  if (!compiled.ok) throw new Error(`cannot compile ${file}`);
  return compiled.plan;
}

/** lif-delta and lif-curr-exp targets; drawn weights (f32 path), drawn delays (JS path into a wasm ring), a Poisson drive. */
function mixed(): NetworkPlan {
  return plan({
    durationMs: 150,
    populations: [
      pop('in', 'poisson-source', { size: 60, rate_hz: 40 }),
      pop('d', 'lif-delta', { size: 301, v_init_mv: { dist: 'uniform', low: 0, high: 19 } }),
      pop('c', 'lif-curr-exp', { size: 120, v_init_mv: { dist: 'uniform', low: -60, high: -51 } }),
    ],
    projections: [
      proj('e', 0, 1, { rule: 'bernoulli', p: 0.3, weight: { dist: 'normal', mean: 0.4, sd: 0.1 }, delayMs: 1.5, receptor: 'exc' }),
      proj('i', 0, 1, { rule: 'fixed-in-degree', n: 10, weight: 0.6, delayMs: { dist: 'uniform', low: 0.5, high: 3 }, receptor: 'inh' }),
      proj('r', 1, 1, { rule: 'fixed-in-degree', n: 40, weight: 0.2, delayMs: 1, receptor: 'exc' }),
      proj('dc', 1, 2, { rule: 'bernoulli', p: 0.2, weight: { dist: 'uniform', low: 1, high: 4 }, delayMs: 0.8, receptor: 'exc' }),
    ],
    drives: [{ nodeId: 'ext', kind: 'poisson-drive', edgeId: 'x', target: 1, params: { count: 500, rate_hz: 20, weight: 0.1, receptor: 'exc' } }],
  });
}

describe('wasm delivery kernels', () => {
  it('are available in Node, so the comparisons below exercise them', () => {
    expect(deliveryKernels(createArena(1 << 16)!.memory)).not.toBeNull();
  });

  it('give Brunel base the same spikes and the same V bits as the JS loops, with its rings moved into one wasm memory', () => {
    const p = example('brunel.spikeflow.json', 150);
    const js = trace(p, false);
    const wasm = trace(p, true);
    expect(js.spikes.flat().length).toBeGreaterThan(1500 * 10);
    const buffers = new Set(wasm.net.rings.map((r) => r.buf.buffer));
    expect(buffers.size).toBe(1);
    expect(new Set(js.net.rings.map((r) => r.buf.buffer)).size).toBe(js.net.rings.length);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.net.stats(0, 0).synaptic_events).toBe(js.net.stats(0, 0).synaptic_events);
    expect(wasm.net.stats(0, 0).external_events).toBe(js.net.stats(0, 0).external_events);
  });

  it("read Brunel base's rows ahead of each step's delivery (columns of 1 MB or more), with the same spikes, V and events as without", () => {
    const p = example('brunel.spikeflow.json', 100);
    const run = (readAheadMinBytes?: number) => {
      const net = new Network(p, { runtimes: runtimeOf, ...(readAheadMinBytes === undefined ? {} : { readAheadMinBytes }) });
      const spikes: number[][] = [];
      const v: number[] = [];
      while (net.step < net.nSteps) {
        net.advance();
        spikes.push(Array.from(net.pops[1].spikes.subarray(0, net.pops[1].count)));
        v.push(net.pops[1].group!.stateVar('v')![17]);
      }
      return { net, spikes, v };
    };
    const ahead = run();
    const plain = run(Infinity);
    // Every Brunel projection is static, from neurons, with columns past 1 MB.
    expect(ahead.net.readAheadCount).toBe(ahead.net.projections.filter((pr) => pr.csr.col.byteLength >= 1 << 20).length);
    expect(ahead.net.readAheadCount).toBeGreaterThan(0);
    expect(plain.net.readAheadCount).toBe(0);
    expect(ahead.spikes.flat().length).toBeGreaterThan(1000);
    expect(ahead.spikes).toEqual(plain.spikes);
    expect(ahead.v).toEqual(plain.v);
    expect(ahead.net.stats(0, 0).synaptic_events).toBe(plain.net.stats(0, 0).synaptic_events);
  });

  it('keep what the read-ahead reads in a small integer through a run of Brunel base (its field never becomes a double)', () => {
    // The field keeps the loads from being optimised away. As a sum it passed V8's small integers
    // (±2^30) after ~2,200 steps of Brunel base (~1,000 of x4): the field became a double, which gave
    // the network a new hidden class mid-run and deoptimised every step function compiled for the old.
    const p = example('brunel.spikeflow.json', 300);
    const net = new Network(p, { runtimes: runtimeOf });
    expect(net.readAheadCount).toBeGreaterThan(0);
    while (net.step < net.nSteps) net.advance();
    expect(net.stats(0, 0).synaptic_events).toBeGreaterThan(1e7);
    const sink = (net as unknown as { aheadSink: number }).aheadSink;
    expect(Number.isInteger(sink)).toBe(true);
    expect(Math.abs(sink)).toBeLessThan(2 ** 30);
  });

  it('match the JS loops with drawn weights, drawn delays, two neuron kinds and a Poisson drive', () => {
    const p = mixed();
    const js = trace(p, false);
    const wasm = trace(p, true);
    expect(js.spikes.filter((s) => s.length > 1).length).toBeGreaterThan(100);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.net.externalEvents).toBe(js.net.externalEvents);
  });
});

describe('u16 columns', () => {
  it('are what fixed in-degree stores onto up to 2^16 targets, and deliver constant and drawn weights as the JS loops do', () => {
    const p = plan({
      durationMs: 120,
      populations: [pop('in', 'poisson-source', { size: 80, rate_hz: 90 }), pop('c', 'lif-curr-exp', { size: 211, v_init_mv: { dist: 'uniform', low: -60, high: -51 } })],
      projections: [
        proj('w', 0, 1, { rule: 'fixed-in-degree', n: 30, weight: { dist: 'uniform', low: 0.5, high: 3 }, delayMs: 0.7, receptor: 'exc' }),
        proj('k', 1, 1, { rule: 'fixed-in-degree', n: 20, weight: 1.5, delayMs: 1.2, receptor: 'inh' }),
        proj('b', 0, 1, { rule: 'bernoulli', p: 0.1, weight: 2, delayMs: 0.7, receptor: 'exc' }),
      ],
    });
    const js = trace(p, false);
    const wasm = trace(p, true);
    const cols = wasm.net.projections.map((x) => x.csr.col.BYTES_PER_ELEMENT);
    expect(cols).toEqual([2, 2, 4]);
    expect(wasm.net.fastPaths().wasmProjections).toBe(3);
    expect(js.spikes.flat().length - js.spikes.length).toBeGreaterThan(300);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.net.stats(0, 0).synaptic_events).toBe(js.net.stats(0, 0).synaptic_events);
  });
});

describe('blocked delivery into large rings', () => {
  it('gives the same spikes and V bits as the plain loop, flushing full block shares midway', () => {
    const p = mixed();
    setWasmKernelsEnabled(false);
    const plain = trace(p, false);
    // Blocks of 32 targets and shares of 4 events: every step flushes many times.
    const blockedRun = trace(p, false, { minTargets: 100, blockShift: 5, stageEvents: 64 });
    expect(plain.spikes.filter((s) => s.length > 1).length).toBeGreaterThan(100);
    expect(blockedRun.spikes).toEqual(plain.spikes);
    expect(blockedRun.v).toEqual(plain.v);
    expect(blockedRun.net.stats(0, 0).synaptic_events).toBe(plain.net.stats(0, 0).synaptic_events);
  });

  it('counts its staging buffers in the network memory (the path without wasm)', () => {
    const p = mixed();
    setWasmKernelsEnabled(false);
    const plain = new Network(p, { runtimes: runtimeOf });
    const withStage = new Network(p, { runtimes: runtimeOf, blockedDelivery: { minTargets: 100, stageEvents: 1000 } });
    // Int32 targets and Float32 weights (two projections have drawn weights).
    expect(withStage.memoryBytes - plain.memoryBytes).toBe(1000 * 8);
  });

  it('leaves large rings to the wasm kernels when they run, and gives the same spikes and V bits', () => {
    const p = mixed();
    setWasmKernelsEnabled(false);
    const blockedRun = trace(p, false, { minTargets: 100, blockShift: 5, stageEvents: 64 });
    setWasmKernelsEnabled(true);
    const wasmRun = trace(p, true, { minTargets: 100, blockShift: 5, stageEvents: 64 });
    const paths = (net: Network) => new Network(net.plan, { runtimes: runtimeOf, profile: true, blockedDelivery: { minTargets: 100 } });
    setWasmKernelsEnabled(false);
    expect(paths(blockedRun.net).profile()!.paths).toMatchObject({ wasmProjections: 0, blockedProjections: 3 });
    setWasmKernelsEnabled(true);
    expect(paths(wasmRun.net).profile()!.paths).toMatchObject({ wasmProjections: 3, blockedProjections: 0 });
    expect(wasmRun.spikes).toEqual(blockedRun.spikes);
    expect(wasmRun.v).toEqual(blockedRun.v);
  });
});

/** A CSR of `rows` rows in `arena`: row r's columns are `cols(r)`, stored as u16 or u32. */
function csrIn(arena: Arena, rows: number, colBytes: 2 | 4, cols: (r: number) => number[]): { rp: Uint32Array; col: Uint16Array | Uint32Array; all: number[][] } {
  const all = Array.from({ length: rows }, (_, r) => cols(r));
  const rp = arena.u32(rows + 1)!;
  for (let r = 0; r < rows; r++) rp[r + 1] = rp[r] + all[r].length;
  const col = colBytes === 2 ? arena.u16(rp[rows])! : arena.u32(rp[rows])!;
  col.set(all.flat());
  return { rp, col, all };
}

/** The spikes `list` in the arena as i32 (after 8 bytes of scratch for the kernel's sink, as `Stepper` lays them out). */
function spikesIn(arena: Arena, list: number[]): Int32Array {
  const sp = arena.i32(list.length + 2)!;
  sp.set(list, 2);
  return sp.subarray(2);
}

describe('count delivery (count rings)', () => {
  it('adds 1 per synapse of each spike’s row into u8 counts, and returns the events', () => {
    const arena = createArena(1 << 16)!;
    const k = deliveryKernels(arena.memory)!;
    // Row 0 → targets 1, 4; row 1 → none; row 2 → 4, 0, 2; row 3 → 1.
    const { rp, col } = csrIn(arena, 4, 4, (r) => [[1, 4], [], [4, 0, 2], [1]][r]);
    const sp = spikesIn(arena, [0, 1, 2, 3]);
    const slot = arena.u32(2)!;
    const counts = new Uint8Array(slot.buffer, slot.byteOffset, 5);
    const events = deliverCountRows(k, { rowPtr: rp, col }, col.byteOffset, 1, slot.byteOffset, 5, sp.byteOffset, sp.byteOffset + 16, sp.byteOffset - 8);
    expect(events).toBe(6);
    expect([...counts]).toEqual([1, 2, 1, 0, 2]);
    // A second delivery adds to the counts already there; no spikes, nothing.
    deliverCountRows(k, { rowPtr: rp, col }, col.byteOffset, 1, slot.byteOffset, 5, sp.byteOffset + 8, sp.byteOffset + 12, sp.byteOffset - 8);
    expect([...counts]).toEqual([2, 2, 2, 0, 3]);
    expect(deliverCountRows(k, { rowPtr: rp, col }, col.byteOffset, 1, slot.byteOffset, 5, sp.byteOffset, sp.byteOffset, sp.byteOffset - 8)).toBe(0);
    expect([...counts]).toEqual([2, 2, 2, 0, 3]);
  });

  it('give the same counts with every look-ahead, over batch edges, empty and multi-line rows, u16 and u32 columns, u8 and u16 counts', () => {
    const looks: CountAhead[] = [
      COUNT_AHEAD,
      COUNT_AHEAD_S7,
      { batch: 3, dist: 5, lines: 'first', rowDist: 7, prologue: true, warm: true },
      { batch: 1, dist: 0, lines: 'all', rowDist: 0, prologue: false, warm: false },
    ];
    const mod = new api!.Module(assemble(looks.flatMap((look, v) => [countDef(2, 1, look, `a${v}`), countDef(4, 1, look, `b${v}`), countDef(2, 2, look, `c${v}`), countDef(4, 2, look, `d${v}`)])));
    const targets = 3000;
    for (const colBytes of [2, 4] as const) {
      for (const cntBytes of [1, 2] as const) {
        const arena = createArena(1 << 21)!;
        const x = new api!.Instance(mod, { env: { mem: arena.memory } }).exports;
        const rng = new Rng(7 + colBytes + cntBytes);
        // 400 rows of 0–120 distinct targets (a row of 120 u32 columns spans 8 lines); every 9th row empty.
        const { rp, col, all } = csrIn(arena, 400, colBytes, (r) => {
          if (r % 9 === 0) return [];
          const set = new Set<number>();
          const n = rng.int(121);
          while (set.size < n) set.add(rng.int(targets));
          return [...set].sort((a, b) => a - b);
        });
        // 250 spikes (ascending, as a threshold pass emits them): many batches of 32, a short last one.
        const order = Array.from({ length: 400 }, (_, i) => i);
        for (let i = 399; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        const list = order.slice(0, 250).sort((a, b) => a - b);
        const sp = spikesIn(arena, list);
        const expected = new Array<number>(targets).fill(0);
        for (const s of list) for (const t of all[s]) expected[t]++;
        const expectedEvents = list.reduce((a, s) => a + all[s].length, 0);
        const slotAt = arena.alloc(targets * cntBytes, 8);
        looks.forEach((_, v) => {
          const counts = cntBytes === 1 ? new Uint8Array(arena.buffer, slotAt, targets) : new Uint16Array(arena.buffer, slotAt, targets);
          counts.fill(0);
          const f = x[`${cntBytes === 1 ? (colBytes === 2 ? 'a' : 'b') : colBytes === 2 ? 'c' : 'd'}${v}`] as CountKernel;
          expect(f(sp.byteOffset, sp.byteOffset + 4 * list.length, rp.byteOffset, col.byteOffset, slotAt, targets * cntBytes, sp.byteOffset - 8)).toBe(expectedEvents);
          expect([...counts]).toEqual(expected);
        });
      }
    }
  });

  it('count past 255 into u16 counts', () => {
    const arena = createArena(1 << 20)!;
    const k = deliveryKernels(arena.memory)!;
    // 300 sources, each → targets 7 and (its index mod 5).
    const { rp, col } = csrIn(arena, 300, 2, (r) => [r % 5, 7]);
    const sp = spikesIn(
      arena,
      Array.from({ length: 300 }, (_, i) => i),
    );
    const counts = arena.u16(8)!;
    expect(deliverCountRows(k, { rowPtr: rp, col }, col.byteOffset, 2, counts.byteOffset, 16, sp.byteOffset, sp.byteOffset + 1200, sp.byteOffset - 8)).toBe(600);
    expect([...counts]).toEqual([60, 60, 60, 60, 60, 0, 0, 300]);
  });

  it('read no byte past the last column, even when the columns end where the memory ends', () => {
    const arena = createArena(1 << 16)!;
    const k = deliveryKernels(arena.memory)!;
    const counts = arena.u16(16)!;
    // 40 sources of one u16 column each, the last column in the memory's last two bytes (a 4-byte read there traps).
    const rp = arena.u32(41)!;
    for (let r = 0; r <= 40; r++) rp[r] = r;
    const sp = spikesIn(
      arena,
      Array.from({ length: 40 }, (_, i) => i),
    );
    const colAt = arena.buffer.byteLength - 80;
    expect(colAt).toBeGreaterThan(arena.used);
    const col = new Uint16Array(arena.buffer, colAt, 40);
    for (let r = 0; r < 40; r++) col[r] = r % 16;
    const u8 = new Uint8Array(counts.buffer, counts.byteOffset, 16);
    expect(deliverCountRows(k, { rowPtr: rp, col }, colAt, 1, u8.byteOffset, 16, sp.byteOffset, sp.byteOffset + 160, sp.byteOffset - 8)).toBe(40);
    expect([...u8]).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2]);
  });
});
