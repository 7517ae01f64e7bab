import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { intervals } from './spike-stats.ts';
import { runtimeOf } from '../kinds/index.ts';

function run(params: Record<string, unknown>, currentPa: number, durationMs: number) {
  const net = new Network(
    plan({
      durationMs,
      populations: [pop('dc', 'dc-current', { amplitude_pa: currentPa }), pop('n', 'alif', { size: 1, ...params })],
      injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
    }),
    { runtimes: runtimeOf },
  );
  const times: number[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    if (net.pops[1].count > 0) times.push((net.step - 1) * net.dtMs);
  }
  return { times, group: net.pops[1].group! };
}

const base = { tau_m_ms: 20, v_rest_mv: -65, v_reset_mv: -65, v_th_mv: -50, t_ref_ms: 2, r_m_mohm: 100, v_init_mv: -65 };

describe('adaptive LIF', () => {
  it('adapts: under a constant current the intervals lengthen, later ones longer than the first', () => {
    const isi = intervals(run({ ...base, tau_w_ms: 200, b_mv: 2 }, 300, 1000).times);
    expect(isi.length).toBeGreaterThan(10);
    for (let k = 1; k < 8; k++) expect(isi[k]).toBeGreaterThan(isi[k - 1]);
    expect(isi[isi.length - 1]).toBeGreaterThan(1.5 * isi[0]);
  });

  it('is a plain LIF without adaptation (b = 0): the analytic rate within 2 %', () => {
    // 1/(t_ref + τm·ln((V∞ − v_reset)/(V∞ − v_th))) with V∞ = −65 + 100 MΩ·300 pA = −35 mV.
    const expected = 1000 / (2 + 20 * Math.log(30 / 15));
    const n = run({ ...base, b_mv: 0 }, 300, 5000).times.length;
    expect(Math.abs(n / 5 - expected) / expected).toBeLessThan(0.02);
  });

  it('integrates the adaptation current exactly: V follows the closed form of a decaying negative input', () => {
    // From V = v_rest with w0 and no other input: V − v_rest = −w0·τw/(τw − τm)·(e^{−t/τw} − e^{−t/τm}).
    const net = new Network(plan({ durationMs: 10, populations: [pop('n', 'alif', { size: 1, ...base, tau_w_ms: 100 })] }), { runtimes: runtimeOf });
    const g = net.pops[0].group!;
    g.stateVar('w')![0] = 5;
    while (net.step < net.nSteps) net.advance();
    const t = 10;
    expect(g.stateVar('v')![0]).toBeCloseTo(-65 - ((5 * 100) / (100 - 20)) * (Math.exp(-t / 100) - Math.exp(-t / 20)), 10);
    expect(g.stateVar('w')![0]).toBeCloseTo(5 * Math.exp(-t / 100), 12);
  });

  it('adds b to w at each spike', () => {
    const { times, group } = run({ ...base, tau_w_ms: 1e9, b_mv: 0.5 }, 300, 200);
    // With τw → ∞, w is b times the spike count.
    expect(times.length).toBeGreaterThan(3);
    expect(group.stateVar('w')![0]).toBeCloseTo(0.5 * times.length, 4);
  });
});
