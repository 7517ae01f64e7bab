import { describe, it, expect } from 'vitest';
import { cvIsiMean, intervals, meanSd, populationCountCv, populationCounts, rateHz, spikeTrains, spectrumPeakHz, summarizeSpikes } from './spike-stats.ts';

describe('spike statistics', () => {
  it('computes rates as spikes per neuron per second', () => {
    expect(rateHz(500, 100, 250)).toBe(20);
    expect(rateHz(5, 0, 1000)).toBe(0);
  });

  it('computes mean and population standard deviation (ddof = 0)', () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(1.25) });
    expect(Number.isNaN(meanSd([]).mean)).toBe(true);
    expect(intervals([1, 4, 9])).toEqual([3, 5]);
  });

  it('groups interleaved (neuron, step) pairs into sorted per-neuron trains', () => {
    const { offsets, times } = spikeTrains([2, 0, 2, 1, 0], [5, 7, 1, 3, 2], 4);
    expect(Array.from(offsets)).toEqual([0, 2, 3, 5, 5]);
    expect(Array.from(times)).toEqual([2, 7, 3, 1, 5]);
    expect(() => spikeTrains([4], [0], 4)).toThrow(/outside/);
  });

  it('averages CV(ISI) over neurons with at least three spikes, by hand', () => {
    // Neuron 0: ISIs 2, 4 → mean 3, sd 1 → CV 1/3. Neuron 1: ISIs 5, 5, 5 → CV 0.
    // Neuron 2: two spikes only (excluded). Neuron 3: silent.
    const neuron = [0, 1, 0, 2, 1, 0, 1, 2, 1];
    const step = [0, 0, 2, 3, 5, 6, 10, 9, 15];
    const r = cvIsiMean(neuron, step, 4);
    expect(r.neurons).toBe(2);
    expect(r.cv).toBeCloseTo((1 / 3 + 0) / 2, 15);
    expect(Number.isNaN(cvIsiMean([0, 0], [1, 2], 1).cv)).toBe(true);
  });

  it('gives CV(ISI) ≈ 1 for Poisson trains and 0 for clock-like ones', () => {
    let s = 12345;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
    const neuron: number[] = [];
    const step: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t = 0;
      for (;;) {
        t += -Math.log(1 - rand()) * 100;
        if (t > 20_000) break;
        neuron.push(i);
        step.push(t);
      }
    }
    expect(Math.abs(cvIsiMean(neuron, step, 200).cv - 1)).toBeLessThan(0.05);
    expect(cvIsiMean([0, 0, 0, 0], [3, 6, 9, 12], 1).cv).toBe(0);
  });

  it('bins the population count from a start step and takes its CV', () => {
    const steps = [0, 5, 10, 11, 12, 25, 29, 31];
    // From step 10, bins of 10 over [10, 30): counts [3, 2]; step 31 is beyond the last full bin.
    expect(Array.from(populationCounts(steps, 10, 10, 31))).toEqual([3, 2]);
    expect(populationCountCv(steps, 10, 10, 31)).toBeCloseTo(0.5 / 2.5, 15);
    expect(populationCountCv([1, 2, 3], 1, 0, 10)).toBeCloseTo(Math.sqrt(0.3 * 0.7) / 0.3, 12);
  });

  it('summarises a network of several populations, offsetting their neuron indices', () => {
    // dt 1 ms, 20 steps. Population A (2 neurons): neuron 0 at 0, 4, 8; neuron 1 at 5, 6.
    // Population B (1 neuron): neuron 0 at 2, 4, 12 (ISIs 2, 8 → CV 0.6).
    const s = summarizeSpikes(
      [
        { neuron: [0, 0, 1, 1, 0], step: [0, 4, 5, 6, 8], size: 2 },
        { neuron: [0, 0, 0], step: [2, 4, 12], size: 1 },
      ],
      20,
      1,
      { binMs: 5, fromMs: 0 },
    );
    expect(s.mean_rate_hz).toBeCloseTo(8 / (3 * 0.02), 12);
    expect(s.rates_hz).toEqual([5 / (2 * 0.02), 3 / 0.02]);
    expect(s.cv_isi_neurons).toBe(2);
    expect(s.cv_isi_mean).toBeCloseTo((0 + 0.6) / 2, 12);
    // Bins of 5 steps: {0, 2, 4, 4} → 4, {5, 6, 8} → 3, {12} → 1, {} → 0: mean 2, sd √2.5.
    expect(s.pop_count_cv).toBeCloseTo(Math.sqrt(2.5) / 2, 12);
    // Counts 4, 3, 1, 0 minus their mean: |DFT|² is 18 at 50 Hz (k = 1) and 4 at 100 Hz (k = 2).
    expect(s.pop_peak_hz).toBeCloseTo(50, 9);
  });

  it('finds the frequency of the largest spectral peak above 5 Hz', () => {
    // 900 bins of 1 ms: a 100 Hz oscillation (period 10 bins) plus a weaker 40 Hz one and a 2 Hz drift.
    const counts = Array.from({ length: 900 }, (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 10) + 4 * Math.cos((2 * Math.PI * 40 * i) / 1000) + 30 * Math.sin((2 * Math.PI * 2 * i) / 1000));
    expect(spectrumPeakHz(counts, 1)).toBeCloseTo(100, 9);
    // Without the 100 Hz part the 40 Hz one wins; the larger 2 Hz drift is below the 5 Hz cut.
    const slow = counts.map((c, i) => c - 10 * Math.sin((2 * Math.PI * i) / 10));
    expect(spectrumPeakHz(slow, 1)).toBeCloseTo(40, 9);
    expect(Number.isNaN(spectrumPeakHz([1, 2, 3], 1))).toBe(true);
  });
});
