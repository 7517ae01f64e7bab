import { describe, it, expect, afterEach } from 'vitest';
import type { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { traceRun } from '../test-support/test-trace.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';
import type { NetworkPlan } from '../core/plan.ts';

afterEach(() => setWasmKernelsEnabled(true));

/** `traceRun`, with V's bits as `v` (and the drive's events as `external`). */
function trace(p: NetworkPlan, wasm: boolean): { spikes: number[][]; v: number[][]; external: number; net: Network } {
  const t = traceRun(p, wasm);
  return { spikes: t.spikes, v: t.state, external: t.net.externalEvents, net: t.net };
}

/** A small Brunel network (MODELS.md §3 parameters), `size` neurons in one lif-delta group, exc + inh recurrent rings. */
function brunel(size: number, drives: NonNullable<NetworkPlan['drives']>, extra: Partial<NetworkPlan> = {}): NetworkPlan {
  return plan({
    durationMs: 120,
    populations: [pop('n', 'lif-delta', { size, v_init_mv: { dist: 'uniform', low: 0, high: 19.9 } }), ...(extra.populations ?? [])],
    projections: [
      proj('e', 0, 0, { rule: 'fixed-in-degree', n: 40, weight: 0.4, delayMs: 1.5, receptor: 'exc' }),
      proj('i', 0, 0, { rule: 'fixed-in-degree', n: 10, weight: 1.2, delayMs: 1.5, receptor: 'inh' }),
    ],
    drives,
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'populations')),
  });
}

const drive = (receptor: 'exc' | 'inh', id = 'ext', weight = 0.2) => ({
  nodeId: id,
  kind: 'poisson-drive',
  edgeId: `${id}-w`,
  target: 0,
  params: { count: 200, rate_hz: 30, weight, receptor },
});

describe('lif-delta in WebAssembly (update, drive and absorb in the arena)', () => {
  it('runs Brunel with the drive on the exc ring as one fused pass, spike for spike and bit for bit as the JS loops', () => {
    const p = brunel(301, [drive('exc')]);
    const js = trace(p, false);
    const wasm = trace(p, true);
    expect(wasm.net.fastPaths()).toMatchObject({ fusedAbsorbs: 1, fusedDrives: 1, wasmProjections: 2 });
    expect(js.net.fastPaths()).toMatchObject({ arenaBytes: 0, fusedAbsorbs: 0 });
    expect(js.spikes.flat().length - js.spikes.length).toBeGreaterThan(500);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.external).toBe(js.external);
    expect(wasm.external).toBeGreaterThan(0);
  });

  it('draws an inhibitory drive into the inh slot (an even size, no padding neuron)', () => {
    // One drive, on inh; the excitation comes from a Poisson source through the exc ring.
    const p = brunel(300, [drive('inh', 'calm', 0.1)]);
    const loud: NetworkPlan = {
      ...p,
      populations: [...p.populations, pop('src', 'poisson-source', { size: 200, rate_hz: 80 })],
      projections: [...p.projections, proj('x', 1, 0, { rule: 'fixed-in-degree', n: 50, weight: 0.5, delayMs: 1.5, receptor: 'exc' })],
    };
    const js = trace(loud, false);
    const wasm = trace(loud, true);
    expect(wasm.net.fastPaths()).toMatchObject({ fusedAbsorbs: 1, fusedDrives: 1 });
    expect(js.spikes.flat().length - js.spikes.length).toBeGreaterThan(50);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    expect(wasm.external).toBe(js.external);
  });

  it('absorbs without a drive in the fused pass, and leaves two drives on one group to the general path', () => {
    for (const drives of [[], [drive('exc'), drive('exc', 'ext2', 0.05)]]) {
      const p = brunel(257, drives);
      const js = trace(p, false);
      const wasm = trace(p, true);
      expect(wasm.net.fastPaths()).toMatchObject({ fusedAbsorbs: drives.length === 0 ? 1 : 0, fusedDrives: 0 });
      expect(wasm.spikes).toEqual(js.spikes);
      expect(wasm.v).toEqual(js.v);
      expect(wasm.external).toBe(js.external);
    }
  });

  it('keeps an injected current (the JS update over the arena state) and a V monitor exact', () => {
    const p = brunel(101, [drive('exc')], {
      populations: [pop('dc', 'dc-current', { amplitude_pa: 300 })],
      injections: [{ edgeId: 'dc-w', source: 1, target: 0, targetPort: 'current' }],
      monitors: [{ nodeId: 'mon', kind: 'state-monitor', sources: [0], params: { variable: 'v', neurons: [0, 50, 100], interval_ms: 0.1 } }],
    });
    const js = trace(p, false);
    const wasm = trace(p, true);
    expect(wasm.net.fastPaths().fusedAbsorbs).toBe(1);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.v).toEqual(js.v);
    const rec = (net: Network) => Array.from(net.stateRecorders[0].drain().values);
    const [a, b] = [rec(wasm.net), rec(js.net)];
    expect(a.length).toBe(3 * 1200);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(100);
  });
});
