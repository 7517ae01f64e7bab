import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { synapticFactor } from './lif-curr-exp.ts';
import { runtimeOf } from '../kinds/index.ts';

/** Rate of an LIF neuron under constant drive: 1/(t_ref + τm·ln((V∞−v_reset)/(V∞−v_th))). */
function analyticRateHz(vInf: number, p: { tau: number; ref: number; reset: number; th: number }): number {
  if (vInf <= p.th) return 0;
  return 1000 / (p.ref + p.tau * Math.log((vInf - p.reset) / (vInf - p.th)));
}

function measuredRateHz(currentPa: number, durationMs: number): number {
  const pl = plan({
    durationMs,
    populations: [
      pop('dc', 'dc-current', { amplitude_pa: currentPa }),
      pop('lif', 'lif-curr-exp', { size: 1, tau_m_ms: 20, v_rest_mv: -65, v_reset_mv: -65, v_th_mv: -50, t_ref_ms: 2, r_m_mohm: 100, v_init_mv: -65 }),
    ],
    injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
  });
  const net = new Network(pl, { runtimes: runtimeOf });
  while (net.step < net.nSteps) net.advance();
  return net.stats(0, 0).mean_rate_hz;
}

describe('LIF with current-based exponential synapses', () => {
  it.each([200, 250, 400, 800])('fires at the analytic rate within 2 %% at dt = 0.1 ms for %d pA', (pa) => {
    const vInf = -65 + (100 * pa) / 1000;
    const expected = analyticRateHz(vInf, { tau: 20, ref: 2, reset: -65, th: -50 });
    const measured = measuredRateHz(pa, 5000);
    expect(expected).toBeGreaterThan(5);
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.02);
  });

  it('stays silent when the drive does not reach threshold', () => {
    expect(measuredRateHz(140, 1000)).toBe(0);
  });

  it('integrates a synaptic current exactly: one step matches the closed form', () => {
    // V' = (-(V-El) + I e^{-t/τe})/τm from V = El: V(dt) - El = I τe/(τe-τm)(e^{-dt/τe} - e^{-dt/τm}).
    const f = synapticFactor(0.1, 20, 5);
    expect(f).toBeCloseTo((5 / (5 - 20)) * (Math.exp(-0.1 / 5) - Math.exp(-0.1 / 20)), 15);
    // τe = τm uses the limit (dt/τ)·e^{-dt/τ}, continuous with nearby values.
    expect(synapticFactor(0.1, 20, 20)).toBeCloseTo(synapticFactor(0.1, 20, 20 + 1e-6), 9);
  });
});
