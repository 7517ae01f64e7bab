import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { createArena } from './arena.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';

/** A Brunel-style E/I network of lif-delta groups with fixed in-degrees, delay 1.5 ms and a Poisson drive into both. */
function brunel(o: { ne: number; ni: number; ce: number; ci: number; j: number; g?: number; ms: number; weightIe?: number }): NetworkPlan {
  const lif = { v_init_mv: { dist: 'uniform', low: 0, high: 20 }, tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2 };
  const g = o.g ?? 5;
  return plan({
    durationMs: o.ms,
    populations: [pop('e', 'lif-delta', { ...lif, size: o.ne }), pop('i', 'lif-delta', { ...lif, size: o.ni })],
    projections: [
      proj('ee', 0, 0, { rule: 'fixed-in-degree', n: o.ce, weight: o.j, delayMs: 1.5, receptor: 'exc' }),
      proj('ei', 0, 1, { rule: 'fixed-in-degree', n: o.ce, weight: o.j, delayMs: 1.5, receptor: 'exc' }),
      proj('ie', 1, 0, { rule: 'fixed-in-degree', n: o.ci, weight: o.weightIe ?? g * o.j, delayMs: 1.5, receptor: 'inh' }),
      proj('ii', 1, 1, { rule: 'fixed-in-degree', n: o.ci, weight: g * o.j, delayMs: 1.5, receptor: 'inh' }),
    ],
    drives: [
      { nodeId: 'ext', kind: 'poisson-drive', edgeId: 'xe', target: 0, params: { count: o.ce, rate_hz: 20, weight: o.j, receptor: 'exc' } },
      { nodeId: 'ext', kind: 'poisson-drive', edgeId: 'xi', target: 1, params: { count: o.ce, rate_hz: 20, weight: o.j, receptor: 'exc' } },
    ],
  });
}

/** Run `p` with count rings from groups of `countMin` neurons (Infinity: never), recording every step's spikes and V's bits at the end. */
function run(p: NetworkPlan, countMin: number, steps = p.nSteps): { spikes: number[][]; v: Float64Array[]; net: Network } {
  const net = new Network(p, { runtimes: runtimeOf, countRingsMinTargets: countMin, profile: true });
  const spikes: number[][] = [];
  for (let n = 0; n < steps; n++) {
    net.advance();
    for (const x of net.pops) if (x.group) spikes.push([n, ...x.spikes.subarray(0, x.count)]);
  }
  return { spikes, v: net.groups.map(({ group }) => group.stateVar('v')!.slice()), net };
}

describe('count rings (large static rings delivered as per-target counts)', () => {
  it('give the f64 rings’ spikes and V bits when every multiple of the weights is exact (J = 1.25 mV, −gJ = −6.25 mV)', () => {
    const p = brunel({ ne: 1600, ni: 400, ce: 80, ci: 20, j: 1.25, ms: 100 });
    const f64 = run(p, Infinity);
    const counts = run(p, 0);
    expect(f64.net.profile()!.paths.countRings).toBe(0);
    expect(counts.net.profile()!.paths.countRings).toBe(4);
    expect(counts.net.rings.every((r) => r.counts instanceof Uint8Array)).toBe(true);
    // Brunel-like activity at ~70 Hz: plenty of spikes to disagree on.
    expect(f64.spikes.reduce((a, s) => a + s.length - 1, 0)).toBeGreaterThan(2000 * 0.1 * 30);
    expect(counts.spikes).toEqual(f64.spikes);
    expect(counts.v).toEqual(f64.v);
    const [a, b] = [f64.net.stats(0, 0), counts.net.stats(0, 0)];
    expect(b.synaptic_events).toBe(a.synaptic_events);
    expect(b.external_events).toBe(a.external_events);
  });

  it('hold u16 counts when the in-degrees into a ring add up past 255, with the same spikes', () => {
    const p = brunel({ ne: 1200, ni: 300, ce: 300, ci: 75, j: 0.25, ms: 40 });
    const f64 = run(p, Infinity);
    const counts = run(p, 0);
    expect(counts.net.rings.every((r) => r.counts instanceof Uint16Array)).toBe(true);
    expect(counts.spikes.reduce((a, s) => a + s.length - 1, 0)).toBeGreaterThan(500);
    expect(counts.spikes).toEqual(f64.spikes);
    expect(counts.v).toEqual(f64.v);
  });

  it('deliver through u32 columns into a group of more than 65,536 neurons, with the same spikes', () => {
    const p = brunel({ ne: 66_000, ni: 1_000, ce: 4, ci: 1, j: 25, g: 4, ms: 4 });
    const f64 = run(p, Infinity);
    const counts = run(p, 0);
    expect(counts.net.projections[0].csr!.col).toBeInstanceOf(Uint32Array);
    expect(counts.net.profile()!.paths.countRings).toBe(4);
    expect(counts.spikes.reduce((a, s) => a + s.length - 1, 0)).toBeGreaterThan(1000);
    expect(counts.spikes).toEqual(f64.spikes);
    expect(counts.v).toEqual(f64.v);
  });

  it('differ from the f64 sums only by rounding when the weight’s multiples are not exact (J = 1.3 mV)', () => {
    const p = brunel({ ne: 1600, ni: 400, ce: 80, ci: 20, j: 1.3, ms: 8 });
    const f64 = run(p, Infinity);
    const counts = run(p, 0);
    expect(counts.net.profile()!.paths.countRings).toBe(4);
    let maxDiff = 0;
    let differ = 0;
    f64.v.forEach((v, g) =>
      v.forEach((x, j) => {
        const d = Math.abs(x - counts.v[g][j]);
        if (d > 0) differ++;
        maxDiff = Math.max(maxDiff, d);
      }),
    );
    // 1.3 + 1.3 + … is not k × 1.3 in f64 for every k: some V differ, by a few units in the last place of ~20 mV.
    expect(differ).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThan(1e-12);
    expect(counts.spikes).toEqual(f64.spikes);
  });

  it('are not used for small groups by default, nor for a ring whose projections carry different weights', () => {
    const small = run(brunel({ ne: 1600, ni: 400, ce: 80, ci: 20, j: 1.25, ms: 1 }), 65_536);
    expect(small.net.profile()!.paths.countRings).toBe(0);
    // The inh ring of `e` gets −5 J from `ie`, and the other rings keep their counts.
    const p = brunel({ ne: 1600, ni: 400, ce: 80, ci: 20, j: 1.25, ms: 1 });
    const mixed = { ...p, projections: [...p.projections, proj('ie2', 1, 0, { rule: 'fixed-in-degree', n: 5, weight: 2.5, delayMs: 1.5, receptor: 'inh' })] };
    const r = run(mixed, 0);
    // Group e's pair is left as f64 rings (its inh ring has two weights); group i's pair counts.
    expect(r.net.profile()!.paths.countRings).toBe(2);
    expect(r.net.rings.filter((x) => x.counts).every((x) => x.target === 1)).toBe(true);
  });
});

describe('Arena.allocZero', () => {
  it('clears memory given back by a release and hands out fresh memory as it is (zero)', () => {
    const arena = createArena(1 << 16)!;
    const mark = arena.mark();
    arena.f64(100)!.fill(7);
    arena.release(mark);
    const x = arena.f64Zero(200)!;
    expect(x.byteOffset).toBe(mark);
    expect(x.every((v) => v === 0)).toBe(true);
    x.fill(3);
    arena.release(mark);
    const c = arena.countsZero(5000, 2)!;
    expect(c).toBeInstanceOf(Uint16Array);
    expect(c.every((v) => v === 0)).toBe(true);
  });
});
