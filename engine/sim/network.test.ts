import { describe, it, expect } from 'vitest';
import { Network, BuildError } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';

function lifQuiet(size = 1) {
  // Never spikes on its own: rest far below threshold, no refractoriness.
  return pop('post', 'lif-curr-exp', { size, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 0, v_init_mv: -70 });
}

describe('synaptic delays', () => {
  it.each([
    [0, 10],
    [1.5, 25],
    [1.44, 24],
    [1.45, 25],
    [0.05, 11],
  ])('a spike sent in step 10 with delay %f ms arrives in step %i', (delayMs, arrival) => {
    const net = new Network(
      plan({
        durationMs: 5,
        populations: [pop('gen', 'spike-generator', { size: 1, neurons: [0], times_ms: [1.0] }), lifQuiet()],
        projections: [proj('e', 0, 1, { weight: 3, delayMs })],
      }),
      { runtimes: runtimeOf },
    );
    const iExc = net.pops[1].group!.stateVar('i_exc')!;
    const seen: number[] = [];
    while (net.step < net.nSteps) {
      net.advance();
      if (iExc[0] !== 0 && seen.length === 0) seen.push(net.step - 1);
    }
    // The weight lands in the synaptic variable during the synapses phase of the arrival step.
    expect(seen).toEqual([arrival]);
  });

  it('per-synapse delays drawn from a distribution each land in their own step', () => {
    const net = new Network(
      plan({
        durationMs: 10,
        populations: [pop('gen', 'spike-generator', { size: 1, neurons: [0], times_ms: [0] }), lifQuiet(200)],
        projections: [proj('e', 0, 1, { weight: 1, delayMs: { dist: 'uniform', low: 0, high: 2 } })],
      }),
      { runtimes: runtimeOf },
    );
    const iExc = net.pops[1].group!.stateVar('i_exc')!;
    const arrivals = new Int32Array(200).fill(-1);
    while (net.step < net.nSteps) {
      net.advance();
      for (let j = 0; j < 200; j++) if (arrivals[j] < 0 && iExc[j] !== 0) arrivals[j] = net.step - 1;
    }
    const steps = [...arrivals];
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...steps)).toBeLessThanOrEqual(20);
    // 21 possible steps, 200 draws: most of them occur.
    expect(new Set(steps).size).toBeGreaterThan(15);
  });
});

describe('step order (Brian2 schedule)', () => {
  it('a zero-delay spike acts on its target in the same step, visible in V one step later', () => {
    const net = new Network(
      plan({
        durationMs: 3,
        populations: [pop('gen', 'spike-generator', { size: 1, neurons: [0], times_ms: [1.0] }), lifQuiet()],
        projections: [proj('e', 0, 1, { weight: 5 })],
      }),
      { runtimes: runtimeOf },
    );
    const v = net.pops[1].group!.stateVar('v')!;
    for (let s = 0; s <= 10; s++) net.advance();
    expect(v[0]).toBe(-70); // step 10: update ran before the input arrived
    net.advance(); // step 11: the exact update integrates the current
    expect(v[0]).toBeGreaterThan(-70);
  });

  it('a neuron is refractory for t_ref after its spike: V is held at reset', () => {
    const net = new Network(
      plan({
        durationMs: 20,
        populations: [pop('dc', 'dc-current', { amplitude_pa: 1000 }), pop('lif', 'lif-curr-exp', { size: 1, t_ref_ms: 2, v_init_mv: -49.9999 })],
        injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
        monitors: [{ nodeId: 'm', kind: 'spike-monitor', sources: [1], params: {} }],
      }),
      { runtimes: runtimeOf },
    );
    const v = net.pops[1].group!.stateVar('v')!;
    net.advance(); // step 0: V rises above threshold, spikes, resets
    expect(net.pops[1].count).toBe(1);
    for (let s = 1; s < 20; s++) {
      net.advance();
      expect(v[0]).toBe(-65); // steps 1..19 are refractory (R = 20)
    }
    net.advance(); // step 20 integrates again
    expect(v[0]).toBeGreaterThan(-65);
  });
});

describe('memory protection', () => {
  it('refuses a network over the limit before allocating, naming the biggest part and the figures', () => {
    const p = plan({
      populations: [pop('a', 'poisson-source', { size: 100_000 }), pop('b', 'lif-curr-exp', { size: 100_000 })],
      projections: [proj('big', 0, 1)],
    });
    let err: unknown;
    try {
      new Network(p, { runtimes: runtimeOf, memoryLimitBytes: 1e9 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildError);
    const be = err as BuildError;
    expect(be.code).toBe('too-big');
    expect(be.nodeId).toBe('big');
    expect(be.message).toMatch(/about 40\.\d+ GB/);
    expect(be.message).toMatch(/1\.00 GB/);
  });
});
