import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { Network, type BlockedDelivery } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { traceRun } from '../test-support/test-trace.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';
import { deliveryKernels } from './wasm-kernels-delivery.ts';
import { createArena } from './arena.ts';
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
