import { describe, expect, it } from 'vitest';
import { erfc, goldenMin, hurwitzZeta } from './special.ts';
import { avalanches, binCounts, meanInterEventSteps } from './avalanches.ts';
import { fitExponential, multistepRegression, regressionSlopes } from './branching.ts';
import { fitDiscretePowerLaw } from './power-law.ts';
import { analyzeCriticality, logBinned } from './criticality.ts';
import { seededUniform } from './random.ts';
import { SpikeTrainStats } from './spike-train-stats.ts';

describe('special functions', () => {
  it('gives ζ(2) = π²/6, ζ(3) = Apéry’s constant, and ζ(2, 3) = π²/6 − 1 − 1/4', () => {
    expect(hurwitzZeta(2, 1)).toBeCloseTo(Math.PI ** 2 / 6, 12);
    expect(hurwitzZeta(3, 1)).toBeCloseTo(1.2020569031595942, 12);
    expect(hurwitzZeta(2, 3)).toBeCloseTo(Math.PI ** 2 / 6 - 1.25, 12);
    expect(hurwitzZeta(1.1, 1)).toBeCloseTo(10.584448464950809, 9);
  });
  it('gives erfc(0) = 1, erfc(1) = 0.157299…, erfc(−1) = 1.842700…', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 7);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 7);
  });
  it('finds the minimum of (x − 2)² on [0, 5]', () => {
    expect(goldenMin((x) => (x - 2) ** 2, 0, 5, 1e-9)).toBeCloseTo(2, 7);
  });
  it('gives the same uniform numbers for the same seed and others for another', () => {
    const a = seededUniform(1);
    const b = seededUniform(1);
    const c = seededUniform(2);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('avalanches', () => {
  it('bins steps, dropping a last partial bin', () => {
    expect(Array.from(binCounts([1, 0, 2, 3, 0, 0, 5], 2))).toEqual([1, 5, 0]);
  });
  it('measures the mean inter-event interval in steps: spikes at steps 2, 2, 5, 10 give (10 − 2)/3', () => {
    expect(meanInterEventSteps([0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 1])).toBeCloseTo(8 / 3, 12);
    expect(meanInterEventSteps([0, 1, 0])).toBeNaN();
  });
  it('cuts runs of non-empty bins between empty ones, leaving out runs that touch either end of the record', () => {
    const { sizes, durations } = avalanches([2, 0, 1, 2, 0, 0, 3, 0, 4, 1, 1, 0, 7]);
    expect(Array.from(sizes)).toEqual([3, 3, 6]);
    expect(Array.from(durations)).toEqual([2, 1, 3]);
  });
  it('puts integer data in log-spaced bins, each bin’s mass spread over its integers', () => {
    // Edges 1, 2, 3, 4, 5, 6, 8: the values 6 and 7 share the bin [6, 8).
    const d = logBinned([1, 1, 2, 6, 7]);
    expect(d.x[0]).toBe(1);
    expect(d.p[0]).toBeCloseTo(2 / 5, 12);
    expect(d.p[1]).toBeCloseTo(1 / 5, 12);
    expect(d.x[2]).toBeCloseTo(Math.sqrt(6 * 7), 12);
    expect(d.p[2]).toBeCloseTo(2 / 5 / 2, 12);
  });
});

describe('multistep regression', () => {
  it('gives r_k = m^k exactly for geometric decay, and the exponential fit returns m and b = 1', () => {
    const a = Array.from({ length: 60 }, (_, t) => 1000 * 0.8 ** t);
    const r = regressionSlopes(a, 5);
    for (let k = 1; k <= 5; k++) expect(r[k - 1]).toBeCloseTo(0.8 ** k, 9);
    const fit = fitExponential(r);
    expect(fit.m).toBeCloseTo(0.8, 6);
    expect(fit.b).toBeCloseTo(1, 5);
  });
  it('fits b·m^k with b < 1 (as subsampling makes it): r = 0.3·0.9^k gives m = 0.9, b = 0.3', () => {
    const fit = fitExponential(Array.from({ length: 20 }, (_, i) => 0.3 * 0.9 ** (i + 1)));
    expect(fit.m).toBeCloseTo(0.9, 6);
    expect(fit.b).toBeCloseTo(0.3, 6);
  });
  it('reports the autocorrelation time −Δt/ln m, and none for constant activity', () => {
    const a = Array.from({ length: 60 }, (_, t) => 1000 * 0.5 ** t);
    const est = multistepRegression(a, 3, 4)!;
    expect(est.tau_ms!).toBeCloseTo(-4 / Math.log(0.5), 4);
    expect(multistepRegression([3, 3, 3, 3, 3], 2, 1)).toBeNull();
  });
});

describe('discrete power-law maximum likelihood', () => {
  it('puts the derivative of the log-likelihood at zero: ζ′(α)/ζ(α) = −mean ln x (by central differences)', () => {
    const data = [1, 1, 1, 1, 2, 2, 3, 5, 8, 13, 1, 2, 1, 4, 1, 1, 2, 1, 1, 7];
    const fit = fitDiscretePowerLaw(data, { minTail: 20 })!;
    expect(fit.xmin).toBe(1);
    const h = 1e-5;
    const dlogz = (Math.log(hurwitzZeta(fit.exponent + h, 1)) - Math.log(hurwitzZeta(fit.exponent - h, 1))) / (2 * h);
    const meanLog = data.reduce((s, x) => s + Math.log(x), 0) / data.length;
    expect(dlogz).toBeCloseTo(-meanLog, 4);
  });
  it('returns null when no x_min leaves enough points', () => {
    expect(fitDiscretePowerLaw([1, 2, 3], { minTail: 10 })).toBeNull();
  });
});

describe('analyzeCriticality', () => {
  it('bins at the mean inter-event interval when no bin is set, and at the set width otherwise', () => {
    // Spikes every 4th step: mean IEI 4 steps of 0.5 ms.
    const counts = Array.from({ length: 400 }, (_, k) => (k % 4 === 0 ? 1 : 0));
    const auto = analyzeCriticality(counts, 0.5);
    expect(auto.bin_rule).toBe('mean-iei');
    expect(auto.bin_ms).toBe(2);
    expect(auto.spikes).toBe(100);
    const set = analyzeCriticality(counts, 0.5, { binMs: 1 });
    expect(set.bin_rule).toBe('set');
    expect(set.bin_ms).toBe(1);
    // 1 ms bins hold spikes in every other bin: 99 avalanches of size 1 and duration 1 between the ends.
    expect(set.avalanches).toBe(99);
  });
});

describe('SpikeTrainStats', () => {
  it('gives the CV of ISIs of neurons with ≥ 3 spikes, across chunks and populations, as the batch definition does', () => {
    // Two populations of 2 neurons at dt 1 ms: monitor neurons 0…3.
    const s = new SpikeTrainStats('mon', 4, 1000, 1, null);
    s.add([0, 1, 0], [10, 12, 20], 0);
    s.add([0, 1], [40, 13], 0); // neuron 0: ISIs 10, 20 → CV = 5/15; neuron 1: 2 spikes, left out
    s.add([1, 1, 1], [0, 10, 20], 2); // neuron 3: ISIs 10, 10 → CV 0
    const r = s.report(1000, 1);
    expect(r.spikes).toBe(8);
    expect(r.cv_isi_neurons).toBe(2);
    expect(r.cv_isi_mean!).toBeCloseTo((5 / 15 + 0) / 2, 12);
    expect(r.criticality).toBeUndefined();
  });
  it('measures synchrony as the CV of the 1 ms population count from 100 ms on: one spike every other ms gives CV 1', () => {
    const s = new SpikeTrainStats('mon', 1, 300, 1, null);
    const steps = Array.from({ length: 150 }, (_, k) => 2 * k);
    s.add(new Array(150).fill(0), steps, 0);
    // bins 100…299: alternately 1 and 0 → mean 0.5, sd 0.5
    expect(s.report(300, 1).pop_count_cv!).toBeCloseTo(1, 12);
    expect(new SpikeTrainStats('m', 3, 300, 1, null).report(300, 1).pop_count_cv).toBeNull();
  });
  it('keeps the spikes per step for the criticality analysis when asked, after the transient', () => {
    const s = new SpikeTrainStats('mon', 2, 100, 1, { binMs: 1, kMax: 3, transientMs: 10 });
    s.add([0, 1, 0, 1], [5, 20, 20, 40], 0);
    const r = s.report(100, 1).criticality!;
    expect(r.spikes).toBe(3);
    expect(r.avalanches).toBe(2);
    expect(r.sizes).toBeNull();
  });
});
