import { describe, it, expect } from 'vitest';
import { OuCurrent } from './ou.ts';
import { Rng } from './rng.ts';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';

/** Record `steps` values of `size` independent processes: rows are steps. */
function record(ou: OuCurrent, steps: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let s = 0; s < steps; s++) {
    const out = new Float64Array(ou.size);
    ou.addCurrent(s, out);
    rows.push(out);
  }
  return rows;
}

describe('Ornstein–Uhlenbeck current', () => {
  const mean = 100;
  const sigma = 50;
  const tau = 10;
  const dt = 0.1;
  const size = 2000;
  const steps = 2000;
  const rows = record(new OuCurrent(mean, sigma, tau, size, { dtMs: dt, nSteps: steps, rng: new Rng(11, 'ou') }), steps);

  it('has mean μ within 4 standard errors of the time-and-population average', () => {
    let sum = 0;
    for (const r of rows) for (const x of r) sum += x;
    const m = sum / (size * steps);
    // Var of one stationary process's time average over n steps: σ²/n²·Σ_ij a^|i−j|.
    const a = Math.exp(-dt / tau);
    const n = steps;
    const pairSum = n + (2 * a * (n * (1 - a) - (1 - a ** n))) / (1 - a) ** 2;
    const se = Math.sqrt((sigma * sigma * pairSum) / (n * n) / size);
    expect(Math.abs(m - mean)).toBeLessThan(4 * se);
  });

  it('has stationary variance σ² from the first step on (within 3 standard errors)', () => {
    // Samples 5τ apart are nearly independent (correlation e^−5).
    for (const s of [0, 500, 1000, 1500]) {
      const r = rows[s];
      const m = r.reduce((x, y) => x + y, 0) / size;
      const v = r.reduce((x, y) => x + (y - m) ** 2, 0) / (size - 1);
      const se = sigma * sigma * Math.sqrt(2 / (size - 1));
      expect(Math.abs(v - sigma * sigma)).toBeLessThan(3 * se);
    }
  });

  it('has autocorrelation e^(−lag/τ): the correlation time measured at lags τ/2, τ and 2τ is τ within 5 %', () => {
    for (const lagMs of [5, 10, 20]) {
      const lag = Math.round(lagMs / dt);
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let t0 = 0; t0 + lag < steps; t0 += 200) {
        const x = rows[t0];
        const y = rows[t0 + lag];
        for (let i = 0; i < size; i++) {
          sxy += (x[i] - mean) * (y[i] - mean);
          sxx += (x[i] - mean) ** 2;
          syy += (y[i] - mean) ** 2;
        }
      }
      const rho = sxy / Math.sqrt(sxx * syy);
      const tauMeasured = -lagMs / Math.log(rho);
      expect(Math.abs(tauMeasured - tau) / tau).toBeLessThan(0.05);
    }
  });

  it('keeps σ² and e^(−dt/τ) exactly at a coarse step (dt = τ/2): the update is exact, not Euler', () => {
    const n = 20000;
    const ou = new OuCurrent(0, 2, 4, n, { dtMs: 2, nSteps: 10, rng: new Rng(5, 'coarse') });
    const [x, y] = record(ou, 2).map((r) => r);
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += x[i] * x[i];
      syy += y[i] * y[i];
      sxy += x[i] * y[i];
    }
    const v = syy / n;
    expect(Math.abs(v - 4)).toBeLessThan(3 * 4 * Math.sqrt(2 / n));
    const rho = sxy / Math.sqrt(sxx * syy);
    // Euler would give 1 − dt/τ = 0.5 and a variance off by a factor; the exact value is e^−0.5 ≈ 0.607.
    expect(Math.abs(rho - Math.exp(-0.5))).toBeLessThan((3 * (1 - rho * rho)) / Math.sqrt(n));
  });

  it("adds to the target's current rather than replacing it, and draws the same path for the same seed", () => {
    const mk = () => new OuCurrent(0, 1, 5, 3, { dtMs: 0.1, nSteps: 10, rng: new Rng(9, 'x') });
    const a = mk();
    const out = new Float64Array([5, 5, 5]);
    a.addCurrent(0, out);
    expect([...out]).toEqual([...a.state].map((v) => v + 5));
    const b = mk();
    // Asking for step 3 directly gives the values stepping through would.
    const c = mk();
    for (let s = 0; s <= 3; s++) b.value(s);
    c.value(3);
    expect([...c.state]).toEqual([...b.state]);
  });

  it('with σ = 0 and shared noise drives an LIF neuron exactly as a DC current of the mean does', () => {
    const lif = { size: 1, v_init_mv: -65, t_ref_ms: 2 };
    const run = (source: ReturnType<typeof pop>) => {
      const net = new Network(plan({ durationMs: 200, populations: [source, pop('lif', 'lif-curr-exp', lif)], injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }] }), {
        runtimes: runtimeOf,
      });
      const v = net.pops[1].group!.stateVar('v')!;
      const trace: number[] = [];
      while (net.step < net.nSteps) {
        net.advance();
        trace.push(v[0]);
      }
      return { trace, spikes: net.stats(0, 0).spikes };
    };
    const ou = run(pop('ou', 'ou-current', { mean_pa: 250, sigma_pa: 0, tau_ms: 5, noise: 'shared' }));
    const dc = run(pop('dc', 'dc-current', { amplitude_pa: 250 }));
    expect(dc.spikes).toBeGreaterThan(0);
    expect(ou.trace).toEqual(dc.trace);
  });
});

describe('OU current added per neuron', () => {
  it('with one process (shared noise) adds the same value to every neuron', () => {
    const ou = new OuCurrent(10, 3, 5, 1, { dtMs: 0.1, nSteps: 10, rng: new Rng(2, 's') });
    const out = new Float64Array([1, 2, 3]);
    ou.addCurrent(4, out);
    const x = ou.state[0];
    expect([...out]).toEqual([1 + x, 2 + x, 3 + x]);
  });
});
