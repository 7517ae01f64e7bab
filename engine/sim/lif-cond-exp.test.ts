import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';

/** COBA's neuron (MODELS.md §2) with constant initial values, so a step can be computed by hand. */
function coba(over: Record<string, unknown> = {}) {
  return pop('n', 'lif-cond-exp', {
    size: 1,
    tau_m_ms: 20,
    e_l_mv: -60,
    v_reset_mv: -60,
    v_th_mv: -50,
    t_ref_ms: 5,
    e_exc_mv: 0,
    e_inh_mv: -80,
    tau_syn_exc_ms: 5,
    tau_syn_inh_ms: 10,
    v_init_mv: -65,
    g_exc_init: 4,
    g_inh_init: 20,
    ...over,
  });
}

describe('LIF with conductance-based exponential synapses', () => {
  it('takes forward Euler steps that match a hand computation', () => {
    const net = new Network(plan({ durationMs: 1, populations: [coba()] }), { runtimes: runtimeOf });
    const g = net.pops[0].group!;
    const v = g.stateVar('v')!;
    const ge = g.stateVar('g_exc')!;
    const gi = g.stateVar('g_inh')!;
    net.advance();
    // V = −65 + 0.1/20·(4·(0 + 65) + 20·(−80 + 65) − (−65 + 60)) = −65 + 0.005·(260 − 300 + 5)
    expect(v[0]).toBeCloseTo(-65.175, 12);
    expect(ge[0]).toBeCloseTo(4 * 0.98, 12);
    expect(gi[0]).toBeCloseTo(20 * 0.99, 12);
    net.advance();
    // From V = −65.175, g_e = 3.92, g_i = 19.8:
    // 3.92·65.175 = 255.486, 19.8·(−14.825) = −293.535, −(−5.175) = 5.175 → sum −32.874 → ·0.005 = −0.16437
    expect(v[0]).toBeCloseTo(-65.175 - 0.16437, 10);
    expect(ge[0]).toBeCloseTo(3.92 * 0.98, 12);
    expect(gi[0]).toBeCloseTo(19.8 * 0.99, 12);
  });

  it('adds conductance jumps on both receptors, inhibitory ones positive too', () => {
    const net = new Network(
      plan({
        durationMs: 1,
        populations: [pop('gen', 'spike-generator', { size: 1, neurons: [0], times_ms: [0] }), coba({ g_exc_init: 0, g_inh_init: 0, v_init_mv: -60 })],
        projections: [proj('e', 0, 1, { weight: 0.6, receptor: 'exc' }), proj('i', 0, 1, { weight: 6.7, receptor: 'inh' })],
      }),
      { runtimes: runtimeOf },
    );
    net.advance();
    expect(net.pops[1].group!.stateVar('g_exc')![0]).toBeCloseTo(0.6, 12);
    expect(net.pops[1].group!.stateVar('g_inh')![0]).toBeCloseTo(6.7, 12);
    net.advance();
    // Next step: V moves toward E_inh since 6.7·(−80 + 60) + 0.6·(0 + 60) < 0.
    expect(net.pops[1].group!.stateVar('v')![0]).toBeCloseTo(-60 + 0.005 * (0.6 * 60 - 6.7 * 20), 12);
  });

  it('holds V at reset while refractory but keeps decaying the conductances', () => {
    const net = new Network(plan({ durationMs: 10, populations: [coba({ v_init_mv: -49, g_exc_init: 10, g_inh_init: 0, t_ref_ms: 5 })] }), { runtimes: runtimeOf });
    const v = net.pops[0].group!.stateVar('v')!;
    const ge = net.pops[0].group!.stateVar('g_exc')!;
    net.advance(); // spikes in step 0
    expect(net.pops[0].count).toBe(1);
    for (let s = 1; s < 50; s++) {
      net.advance();
      expect(v[0]).toBe(-60);
    }
    expect(ge[0]).toBeCloseTo(10 * 0.98 ** 50, 10);
    net.advance(); // step 50: integrates again, pushed up by g_exc
    expect(v[0]).toBeGreaterThan(-60);
  });

  it('settles at E_l + R·I under an injected current (Euler keeps the exact fixed point)', () => {
    const net = new Network(
      plan({
        durationMs: 400,
        populations: [pop('dc', 'dc-current', { amplitude_pa: 50 }), coba({ g_exc_init: 0, g_inh_init: 0, v_init_mv: -60, r_m_mohm: 100 })],
        injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
      }),
      { runtimes: runtimeOf },
    );
    while (net.step < net.nSteps) net.advance();
    expect(net.pops[1].total).toBe(0);
    expect(net.pops[1].group!.stateVar('v')![0]).toBeCloseTo(-60 + (100 * 50) / 1000, 6);
  });

  it("draws COBA's initial conductances unclipped, so some inhibitory ones start negative", () => {
    const net = new Network(
      plan({
        durationMs: 1,
        populations: [coba({ size: 4000, v_init_mv: { dist: 'normal', mean: -65, sd: 5 }, g_exc_init: { dist: 'normal', mean: 4, sd: 1.5 }, g_inh_init: { dist: 'normal', mean: 20, sd: 12 } })],
      }),
      { runtimes: runtimeOf },
    );
    const gi = net.pops[0].group!.stateVar('g_inh')!;
    const ge = net.pops[0].group!.stateVar('g_exc')!;
    const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
    // P(N(20, 12²) < 0) = Φ(−5/3) ≈ 4.8 %: 191 ± 14 of 4000.
    const negative = gi.filter((x) => x < 0).length;
    expect(negative).toBeGreaterThan(140);
    expect(negative).toBeLessThan(245);
    expect(Math.abs(mean(gi) - 20)).toBeLessThan(4 * (12 / Math.sqrt(4000)));
    expect(Math.abs(mean(ge) - 4)).toBeLessThan(4 * (1.5 / Math.sqrt(4000)));
  });
});
