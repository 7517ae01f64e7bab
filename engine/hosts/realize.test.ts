import { describe, it, expect } from 'vitest';
import { compileDocument } from '../compile/compile.ts';
import { newDocument } from '../format/load.ts';
import type { DocEdge, GraphDocument } from '../format/document.ts';
import { node } from '../test-support/test-docs.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { defaultParams, PROJECTION_PARAMS, runtimeOf } from '../kinds/index.ts';
import { Network } from '../sim/network.ts';
import { realize } from './realize.ts';

const wire = (id: string, from: string, to: string, params: Record<string, unknown>, port = 'in'): DocEdge => ({
  id,
  source: { node: from, port: from === 'drive' ? 'drive' : port === 'current' ? 'current' : 'spikes' },
  target: { node: to, port },
  params: port === 'in' ? { ...defaultParams(PROJECTION_PARAMS), ...params } : {},
});

/** Poisson → LIF (random wires, drawn weights and delays, drawn initial V), a drive into a delta LIF, a generator → all-to-all. */
function plan(seed = 7): NetworkPlan {
  const doc: GraphDocument = newDocument('realize');
  doc.simulation = { ...doc.simulation, dt_ms: 0.1, duration_ms: 50, seed };
  doc.nodes = [
    node('poisson', 'poisson-source', { size: 30, rate_hz: 80 }),
    node('gen', 'spike-generator', { size: 3, neurons: [0, 1, 2], times_ms: [1, 2.05, 3] }),
    node('drive', 'poisson-drive', { count: 100, rate_hz: 50, weight: 0.2, receptor: 'exc' }),
    node('lif', 'lif-curr-exp', { size: 20, v_init_mv: { dist: 'uniform', low: -70, high: -55 } }),
    node('delta', 'lif-delta', { size: 5 }),
  ];
  doc.edges = [
    wire('pe', 'poisson', 'lif', { rule: 'bernoulli', p: 0.3, weight: { dist: 'uniform', low: 1, high: 3 }, delay_ms: { dist: 'uniform', low: 0.5, high: 2 }, receptor: 'exc' }),
    wire('pi', 'poisson', 'lif', { rule: 'fixed-in-degree', n: 4, weight: 2.5, delay_ms: 1, receptor: 'inh' }),
    wire('gd', 'gen', 'delta', { rule: 'all-to-all', weight: 0.5, delay_ms: 0.33, receptor: 'exc' }),
    wire('dd', 'drive', 'delta', {}, 'current'),
  ];
  const r = compileDocument(doc);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.pointer}: ${i.message}`).join('\n'));
  return r.plan;
}

/** A real run: every population's spikes as "step:index" strings, the network's synapses and external events. */
function run(p: NetworkPlan): { spikes: Record<string, string[]>; synapses: number; external: number; initialV: Float64Array } {
  const net = new Network(p, { runtimes: runtimeOf });
  const initialV = Float64Array.from(net.pops[p.populations.findIndex((x) => x.nodeId === 'lif')].group!.stateVar('v')!);
  const spikes: Record<string, string[]> = {};
  p.populations.forEach((x) => (spikes[x.nodeId] = []));
  while (net.step < net.nSteps) {
    net.advance();
    net.pops.forEach((pop) => {
      for (let s = 0; s < pop.count; s++) spikes[pop.nodeId]?.push(`${net.step - 1}:${pop.spikes[s]}`);
    });
  }
  return { spikes, synapses: net.synapses, external: net.externalEvents, initialV };
}

describe('realize', () => {
  const p = plan();
  const real = realize(p);
  const ran = run(p);

  it("gives as many synapses as the engine's run builds, projection by projection summing to its total", () => {
    expect(real.synapses).toBe(ran.synapses);
    expect(real.projections.reduce((a, x) => a + x.pre.length, 0)).toBe(ran.synapses);
    // fixed-in-degree 4 onto 20 neurons: exactly 80; all-to-all 3 → 5: 15.
    expect(real.projections.find((x) => x.edgeId === 'pi')!.pre.length).toBe(80);
    expect(real.projections.find((x) => x.edgeId === 'gd')!.pre.length).toBe(15);
  });

  it('lists all-to-all synapses by presynaptic neuron, then postsynaptic', () => {
    const gd = real.projections.find((x) => x.edgeId === 'gd')!;
    expect([...gd.pre]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect([...gd.post]).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    // 0.33 ms is 3 steps of 0.1 ms (round to nearest): 0.3 ms.
    expect(new Set(gd.delayMs)).toEqual(new Set([0.3]));
    expect(new Set(gd.delaySteps)).toEqual(new Set([3]));
  });

  it('gives drawn weights and delays inside their distributions, delays on the grid, and the receptor sign apart', () => {
    const pe = real.projections.find((x) => x.edgeId === 'pe')!;
    expect(pe.sign).toBe(1);
    expect(Math.min(...pe.weight)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...pe.weight)).toBeLessThanOrEqual(3);
    expect(new Set(pe.weight).size).toBeGreaterThan(pe.weight.length / 2);
    for (const [k, d] of pe.delaySteps.entries()) {
      expect(d).toBeGreaterThanOrEqual(5);
      expect(d).toBeLessThanOrEqual(20);
      expect(pe.delayMs[k]).toBeCloseTo(d * 0.1, 12);
    }
    // Drawn weights are held as 32-bit floats by the engine: the realised ones are those.
    for (const w of pe.weight) expect(Math.fround(w)).toBe(w);
    const pi = real.projections.find((x) => x.edgeId === 'pi')!;
    expect(pi.sign).toBe(-1);
    expect(new Set(pi.weight)).toEqual(new Set([2.5]));
  });

  it("gives the drawn initial V of a run's network, inside its distribution", () => {
    const lif = real.populations.find((x) => x.nodeId === 'lif')!;
    expect(lif.initial.v).toEqual(ran.initialV);
    expect(Math.min(...lif.initial.v)).toBeGreaterThanOrEqual(-70);
    expect(Math.max(...lif.initial.v)).toBeLessThan(-55);
    expect(Object.keys(lif.initial)).toEqual(['v', 'i_exc', 'i_inh']);
    expect([...lif.initial.i_exc, ...lif.initial.i_inh].every((x) => x === 0)).toBe(true);
    expect(real.populations.map((x) => x.nodeId)).toEqual(['lif', 'delta']);
  });

  it("gives exactly the spikes the sources emit in a run, the generator's on Brian2's steps", () => {
    for (const id of ['poisson', 'gen']) {
      const s = real.sources.find((x) => x.nodeId === id)!;
      expect([...s.i].map((i, k) => `${s.step[k]}:${i}`)).toEqual(ran.spikes[id]);
    }
    // 80 Hz × 30 channels × 50 ms ≈ 120 spikes.
    expect(real.sources.find((x) => x.nodeId === 'poisson')!.i.length).toBeGreaterThan(60);
    const gen = real.sources.find((x) => x.nodeId === 'gen')!;
    // 2.05 ms → floor((2.05 + 0.0001)/0.1) = step 20.
    expect([...gen.step]).toEqual([10, 20, 30]);
  });

  it("gives the drive's events of a run, per neuron and step", () => {
    const d = real.drives[0];
    expect(d).toMatchObject({ nodeId: 'drive', edgeId: 'dd', size: 5, steps: 500, receptor: 'exc', sign: 1, weight: 0.2 });
    expect(d.counts.reduce((a, x) => a + x, 0)).toBe(ran.external);
    // 100 inputs × 50 Hz × 0.1 ms = 0.5 events per neuron and step on average.
    expect(ran.external).toBeGreaterThan(0.4 * 5 * 500);
    expect(ran.external).toBeLessThan(0.6 * 5 * 500);
  });

  it('runs the sources and drives only for the steps asked, the same spikes as the start of the full run', () => {
    const short = realize(p, { steps: 100 });
    const s = short.sources.find((x) => x.nodeId === 'poisson')!;
    expect([...s.i].map((i, k) => `${s.step[k]}:${i}`)).toEqual(ran.spikes.poisson.filter((x) => Number(x.split(':')[0]) < 100));
    expect(short.drives[0].counts).toEqual(real.drives[0].counts.subarray(0, 500));
  });

  it('gives the current into each population per step as the engine sums it, and none for a current that differs per neuron', () => {
    const doc: GraphDocument = newDocument('currents');
    doc.simulation = { ...doc.simulation, dt_ms: 0.1, duration_ms: 1, seed: 1 };
    doc.nodes = [
      node('dc1', 'dc-current', { amplitude_pa: 100, start_ms: 0.2, stop_ms: 0.5 }),
      node('dc2', 'dc-current', { amplitude_pa: 25 }),
      node('ou', 'ou-current', {}),
      node('a', 'lif-curr-exp', { size: 2 }),
      node('b', 'lif-curr-exp', { size: 2 }),
    ];
    doc.edges = [wire('x', 'dc1', 'a', {}, 'current'), wire('y', 'dc2', 'a', {}, 'current'), wire('z', 'ou', 'b', {}, 'current')];
    const r = compileDocument(doc);
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const got = realize(r.plan).currents;
    // On in steps 2, 3, 4 (0.2 ≤ n·dt < 0.5), plus 25 pA throughout.
    expect(got.map((c) => [r.plan.populations[c.target].nodeId, c.sourceNodeIds, c.value && [...c.value]])).toEqual([
      ['a', ['dc1', 'dc2'], [25, 25, 125, 125, 125, 25, 25, 25, 25, 25]],
      ['b', ['ou'], null],
    ]);
  });

  it('draws other synapses with another seed', () => {
    const other = realize(plan(8));
    expect(other.projections[0].post).not.toEqual(real.projections[0].post);
  });
});
