import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';

/** LIF neurons that never fire (threshold far away), so V is the membrane-filtered current. */
const passive = (id: string, size: number) => pop(id, 'lif-curr-exp', { size, tau_m_ms: 20, v_rest_mv: -65, v_reset_mv: -70, v_th_mv: 1000, t_ref_ms: 0, r_m_mohm: 100, v_init_mv: -55 });

function sampleV(net: Network, target: number, atSteps: number[]): Float64Array[] {
  const v = net.pops[target].group!.stateVar('v')!;
  const out: Float64Array[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    if (atSteps.includes(net.step)) out.push(Float64Array.from(v));
  }
  return out;
}

describe('OU noise current through the engine', () => {
  it('independent: V fluctuates per neuron with variance (Rσ)²·τc/(τc + τm) about v_rest + Rμ', () => {
    const n = 2000;
    const net = new Network(
      plan({
        durationMs: 600,
        populations: [pop('ou', 'ou-current', { mean_pa: 100, sigma_pa: 50, tau_ms: 10, noise: 'independent' }), passive('lif', n)],
        injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
      }),
      { runtimes: runtimeOf },
    );
    // After 10 τm the start is forgotten; samples 100 ms apart are nearly independent.
    const rows = sampleV(net, 1, [2000, 3000, 4000, 5000, 6000]);
    const expectedVar = 25 * (10 / 30);
    for (const r of rows) {
      const m = r.reduce((a, b) => a + b, 0) / n;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
      expect(Math.abs(m - -55)).toBeLessThan(4 * Math.sqrt(expectedVar / n));
      expect(Math.abs(v - expectedVar)).toBeLessThan(3 * expectedVar * Math.sqrt(2 / (n - 1)) + 0.02 * expectedVar);
    }
  });

  it('shared: every neuron of the target gets the same current; two targets of one source get different noise', () => {
    const net = new Network(
      plan({
        durationMs: 50,
        populations: [pop('ou', 'ou-current', { sigma_pa: 50, noise: 'shared' }), passive('a', 5), passive('b', 5)],
        injections: [
          { edgeId: 'wa', source: 0, target: 1, targetPort: 'current' },
          { edgeId: 'wb', source: 0, target: 2, targetPort: 'current' },
        ],
      }),
      { runtimes: runtimeOf },
    );
    const va = net.pops[1].group!.stateVar('v')!;
    const vb = net.pops[2].group!.stateVar('v')!;
    while (net.step < net.nSteps) net.advance();
    expect(new Set(va).size).toBe(1);
    expect(va[0]).not.toBe(vb[0]);
  });
});
