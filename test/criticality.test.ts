/**
 * The criticality analysis (engine/analysis) on synthetic data with known
 * answers: branching processes of known ratio m, seen through 10 % of their
 * events, and samples of power laws of known exponent.
 */
import { describe, expect, it } from 'vitest';
import { seededUniform } from '../engine/analysis/random.ts';
import { multistepRegression } from '../engine/analysis/branching.ts';
import { analyzePowerLaw, powerLawSampler } from '../engine/analysis/power-law.ts';
import { analyzeCriticality } from '../engine/analysis/criticality.ts';
import { branchingProcess, poisson, subsample } from '../engine/test-support/branching-process.ts';

describe('multistep regression on a subsampled branching process', () => {
  // (m, drive h per step, steps, k_max): the k range covers about one autocorrelation time or more.
  const cases: [number, number, number, number][] = [
    [0.9, 10, 20000, 20],
    [0.99, 1, 20000, 100],
    [1.0, 1, 5000, 50],
  ];
  for (const [m, h, steps, kMax] of cases) {
    it(`recovers m = ${m} within ±0.02 from 10 % of the events, for three seeds`, () => {
      for (const seed of [1, 2, 3]) {
        const random = seededUniform(seed);
        const seen = subsample(branchingProcess(m, h, steps, random), 0.1, random);
        const est = multistepRegression(seen, kMax, 1)!;
        expect(Math.abs(est.m - m), `seed ${seed}: m = ${est.m}`).toBeLessThanOrEqual(0.02);
        // Subsampling lowers the amplitude b, not m.
        expect(est.b).toBeLessThan(1.02);
      }
    });
  }

  it('shows why the naive estimator fails: r_1 of the subsampled process is far below m = 0.99, the fit is not', () => {
    const random = seededUniform(7);
    const est = multistepRegression(subsample(branchingProcess(0.99, 1, 20000, random), 0.1, random), 100, 1)!;
    expect(est.r_k[0]!).toBeLessThan(0.95);
    expect(Math.abs(est.m - 0.99)).toBeLessThanOrEqual(0.02);
  });
});

describe('discrete power-law fit (Clauset, Shalizi & Newman 2009)', () => {
  for (const alpha of [1.5, 2.0, 2.5]) {
    it(`finds the exponent ${alpha} of 20 000 samples within ±0.05, for two seeds`, () => {
      for (const seed of [1, 2]) {
        const random = seededUniform(seed);
        const xs = Float64Array.from({ length: 20000 }, powerLawSampler(alpha, 1, random));
        const fit = analyzePowerLaw(xs)!;
        expect(Math.abs(fit.exponent - alpha), `seed ${seed}: ${fit.exponent} (x_min ${fit.xmin})`).toBeLessThanOrEqual(0.05);
      }
    });
  }

  it('gives power-law data a high bootstrap p and exponential data a p of zero, and the likelihood ratio prefers the exponential for the latter', () => {
    const random = seededUniform(3);
    const pl = Float64Array.from({ length: 2000 }, powerLawSampler(2, 1, random));
    const good = analyzePowerLaw(pl, { bootstrap: 40, random })!;
    expect(good.p_value!).toBeGreaterThan(0.1);
    expect(good.vs_exponential!.favours).toBe('power-law');
    // Geometric data (mean 20): no power law.
    const geo = Float64Array.from({ length: 2000 }, () => 1 + Math.floor(Math.log(1 - random()) / Math.log(1 - 0.05)));
    const bad = analyzePowerLaw(geo, { bootstrap: 40, random, minTail: 200 })!;
    expect(bad.p_value!).toBeLessThan(0.1);
    expect(bad.vs_exponential!.favours).toBe('alternative');
  });

  it('gives the same p for the same seed', () => {
    const xs = Float64Array.from({ length: 1000 }, powerLawSampler(2, 1, seededUniform(5)));
    const a = analyzePowerLaw(xs, { bootstrap: 20, random: seededUniform(9) })!;
    const b = analyzePowerLaw(xs, { bootstrap: 20, random: seededUniform(9) })!;
    expect(a.p_value).toBe(b.p_value);
  });
});

describe('avalanches of a critical branching process', () => {
  it('have the mean-field exponents: sizes τ ≈ 3/2, durations α ≈ 2, and the crackling relation (α − 1)/(τ − 1) ≈ 2 holds', () => {
    // Avalanches of a critical Galton–Watson process (Poisson offspring of mean 1), one seed per avalanche, laid out with empty steps between them.
    const random = seededUniform(11);
    const counts: number[] = [0];
    for (let n = 0; n < 20000; n++) {
      // Each active unit has Poisson(1) offspring, so a step's offspring are Poisson(active).
      for (let active = 1, t = 0; active > 0 && t < 10000; t++) {
        counts.push(active);
        active = poisson(active, random);
      }
      counts.push(0);
    }
    const r = analyzeCriticality(counts, 1, { binMs: 1, kMax: 5 });
    expect(r.avalanches).toBe(20000);
    expect(Math.abs(r.sizes!.exponent - 1.5), `τ = ${r.sizes!.exponent}`).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.durations!.exponent - 2), `α = ${r.durations!.exponent}`).toBeLessThanOrEqual(0.2);
    expect(Math.abs(r.crackling.fitted! - 2), `γ = ${r.crackling.fitted}`).toBeLessThanOrEqual(0.2);
    expect(r.size_fit_line!.x.length).toBeGreaterThan(3);
  });
});
