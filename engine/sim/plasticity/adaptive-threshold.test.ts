import { describe, it, expect } from 'vitest';
import { AdaptiveThresholdLif } from './adaptive-threshold.ts';
import { defaultParams, getKind } from '../../kinds/index.ts';
import { Rng } from '../rng.ts';

const DT = 0.1;

function group(over: Record<string, unknown> = {}) {
  const params = { ...defaultParams(getKind('lif-adaptive-threshold')!.params), theta_plus_mv: 2, tau_theta_ms: 100, t_ref_ms: 0, ...over };
  return new AdaptiveThresholdLif(params, 1, { dtMs: DT, nSteps: 1000, rng: new Rng(1, 'x') });
}

describe('LIF with the Diehl & Cook adaptive threshold', () => {
  it('spikes when V exceeds v_th + θ, and each spike raises θ by θ+', () => {
    const g = group();
    const out = new Int32Array(1);
    g.v[0] = -51.9; // above v_th = −52 with θ = 0
    expect(g.threshold(0, out)).toBe(1);
    g.reset(out, 1);
    expect(g.theta[0]).toBe(2);
    expect(g.v[0]).toBe(-65);
    g.v[0] = -51; // above −52, but not above −52 + 2
    expect(g.threshold(1, out)).toBe(0);
    g.v[0] = -49.9;
    expect(g.threshold(2, out)).toBe(1);
  });

  it('θ decays with τθ while learning', () => {
    const g = group();
    g.theta[0] = 1;
    for (let n = 0; n < 1000; n++) g.update(n);
    expect(g.theta[0]).toBeCloseTo(Math.exp(-100 / 100), 12);
  });

  it('θ is frozen (no decay, no growth) while learning is off', () => {
    const g = group();
    g.theta[0] = 1;
    g.setLearning(false);
    for (let n = 0; n < 1000; n++) g.update(n);
    const out = Int32Array.from([0]);
    g.reset(out, 1);
    expect(g.theta[0]).toBe(1);
    g.setLearning(true);
    g.reset(out, 1);
    expect(g.theta[0]).toBe(3);
  });
});
