import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';

/** Brunel's neuron (MODELS.md §3): τ 20 ms, θ 20 mV, V_r 10 mV, τ_rp 2 ms (R = 20 steps). */
function brunel(over: Record<string, unknown> = {}) {
  return pop('n', 'lif-delta', { size: 1, tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2, v_init_mv: 0, ...over });
}

const a = Math.exp(-0.1 / 20);

describe('LIF with delta synapses', () => {
  it('decays exactly: V(t) = V0·e^{−t/τ}', () => {
    const net = new Network(plan({ durationMs: 10, populations: [brunel({ v_init_mv: 15 })] }), { runtimes: runtimeOf });
    while (net.step < net.nSteps) net.advance();
    expect(net.pops[0].group!.stateVar('v')![0]).toBeCloseTo(15 * Math.exp(-10 / 20), 12);
  });

  it('jumps by the weight on arrival: up on exc wires, down on inh wires, after the delay', () => {
    const net = new Network(
      plan({
        durationMs: 5,
        populations: [pop('gen', 'spike-generator', { size: 1, neurons: [0, 0], times_ms: [1, 2] }), brunel({ v_init_mv: 5 })],
        projections: [proj('e', 0, 1, { weight: 0.3, receptor: 'exc', delayMs: 1.5 }), proj('i', 0, 1, { weight: 0.5, receptor: 'inh', delayMs: 0 })],
      }),
      { runtimes: runtimeOf },
    );
    const v = net.pops[1].group!.stateVar('v')!;
    const trace: number[] = [];
    while (net.step < net.nSteps) {
      net.advance();
      trace.push(v[0]);
    }
    // Expected: decay every step; −0.5 in steps 10 and 20 (inh, no delay); +0.3 in steps 25 and 35 (exc, 1.5 ms).
    let x = 5;
    for (let s = 0; s < 50; s++) {
      x *= a;
      if (s === 10 || s === 20) x -= 0.5;
      if (s === 25 || s === 35) x += 0.3;
      expect(trace[s]).toBeCloseTo(x, 12);
    }
  });

  it('discards input arriving while refractory, including in the step of its own spike', () => {
    // The neuron starts above threshold, so it spikes in step 0 and is refractory in steps 0…19.
    // Input arrives in steps 0 (its spike step), 10, 19 (last refractory step) and 20 (first free step).
    const net = new Network(
      plan({
        durationMs: 3,
        populations: [pop('gen', 'spike-generator', { size: 1, neurons: [0, 0, 0, 0], times_ms: [0, 1, 1.9, 2] }), brunel({ v_init_mv: 25 })],
        projections: [proj('e', 0, 1, { weight: 1, receptor: 'exc' })],
      }),
      { runtimes: runtimeOf },
    );
    const v = net.pops[1].group!.stateVar('v')!;
    net.advance();
    expect(net.pops[1].count).toBe(1);
    expect(v[0]).toBe(10);
    for (let s = 1; s < 20; s++) {
      net.advance();
      expect(v[0]).toBe(10);
    }
    net.advance(); // step 20: integrates (10·a) and takes the input
    expect(v[0]).toBeCloseTo(10 * a + 1, 12);
  });

  it('discards a Poisson drive while refractory and takes it afterwards', () => {
    const net = new Network(
      plan({
        durationMs: 3,
        populations: [brunel({ size: 50, v_init_mv: 25, v_th_mv: 1000 - 1, v_reset_mv: 10 })],
        drives: [{ edgeId: 'd', nodeId: 'ext', kind: 'poisson-drive', params: { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'exc' }, target: 0 }],
      }),
      { runtimes: runtimeOf },
    );
    const v = net.pops[0].group!.stateVar('v')!;
    // Threshold 999: nobody spikes, so every neuron takes the drive from step 0 on.
    net.advance();
    const after = Array.from(v);
    expect(after.some((x) => x > 25 * a)).toBe(true);
    for (const x of after) {
      const k = (x - 25 * a) / 0.1; // whole external spikes of 0.1 mV
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
    }

    const gated = new Network(
      plan({
        durationMs: 3,
        populations: [brunel({ size: 50, v_init_mv: 25, t_ref_ms: 2 })],
        drives: [{ edgeId: 'd', nodeId: 'ext', kind: 'poisson-drive', params: { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'exc' }, target: 0 }],
      }),
      { runtimes: runtimeOf },
    );
    const g = gated.pops[0].group!.stateVar('v')!;
    gated.advance();
    expect(gated.pops[0].count).toBe(50);
    for (let s = 1; s < 20; s++) {
      gated.advance();
      for (const x of g) expect(x).toBe(10);
    }
    gated.advance();
    // The first free step adds k·0.1 mV with k ~ Binomial(1000, 0.002): most neurons move.
    expect(Array.from(g).filter((x) => x !== 10 * a).length).toBeGreaterThan(30);
    expect(gated.externalEvents).toBeGreaterThan(0);
  });

  it('relaxes to v_rest + R·I under a DC current', () => {
    const net = new Network(
      plan({
        durationMs: 500,
        populations: [pop('dc', 'dc-current', { amplitude_pa: 150 }), brunel({ r_m_mohm: 100 })],
        injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
      }),
      { runtimes: runtimeOf },
    );
    while (net.step < net.nSteps) net.advance();
    expect(net.pops[1].total).toBe(0);
    expect(net.pops[1].group!.stateVar('v')![0]).toBeCloseTo(15, 9);
  });
});
