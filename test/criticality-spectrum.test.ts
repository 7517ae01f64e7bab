/**
 * The population spectrum (engine/analysis/population-spectrum.ts), the sharper
 * asynchronous-irregular vs synchronous-irregular-fast indicator of the Brunel
 * phase diagram, on synthetic populations whose answer is known by hand:
 * independent Poisson neurons give a flat spectrum at the Poisson level (Fano 1,
 * 100–300 Hz power 1, no peak), and a population whose rate oscillates at 180 Hz
 * gives a peak at 180 Hz whose size follows from the sinusoid's variance.
 */
import { describe, expect, it } from 'vitest';
import { dftPower, fftPower, populationSpectrum } from '../engine/analysis/population-spectrum.ts';
import { seededUniform, type Uniform } from '../engine/analysis/random.ts';
import { SpikeTrainStats } from '../engine/analysis/spike-train-stats.ts';
import { metricNames, metricsOf } from '../engine/compile/sweep.ts';
import type { RunStats } from '../engine/sim/stats.ts';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.ts';

/** A Poisson count of mean `lambda` (Knuth's product of uniforms; lambda stays small here). */
function poisson(u: Uniform, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = u(); p > limit; p *= u()) k++;
  return k;
}

/** The population count per 1 ms bin of neurons firing as Poisson processes at rate(t): Poisson(rate(t) · 1 ms) summed. */
function populationCounts(bins: number, seed: number, meanCount: (t: number) => number): Float64Array {
  const u = seededUniform(seed);
  return Float64Array.from({ length: bins }, (_, t) => poisson(u, meanCount(t)));
}

describe('population spectrum', () => {
  it('is flat at the Poisson level for independent Poisson firing: Fano ≈ 1, 100–300 Hz power ≈ 1 and no peak', () => {
    // 1000 neurons at 10 Hz in 1 ms bins: a Poisson count of mean 10, for 60 s.
    const s = populationSpectrum(
      populationCounts(60_000, 1, () => 10),
      1,
    );
    expect(s.segment).toBe(256);
    expect(s.segments).toBe(Math.floor((60_000 - 256) / 128) + 1);
    expect(s.fano!).toBeCloseTo(1, 1);
    expect(Math.abs(s.band_power! - 1)).toBeLessThan(0.03);
    // The largest of 124 estimates, each the mean of ~470 overlapping periodograms: barely above 1.
    expect(s.peak_power!).toBeLessThan(1.25);
  });

  it('peaks at 180 Hz for a population whose rate oscillates at 180 Hz, with the power the sinusoid carries', () => {
    // Mean count 10 per 1 ms bin modulated by 50 %: amplitude A = 5, so the count's variance is 10 + A²/2 = 22.5 (Fano 2.25).
    const A = 5;
    const s = populationSpectrum(
      populationCounts(60_000, 2, (t) => 10 + A * Math.sin((2 * Math.PI * 180 * t) / 1000)),
      1,
    );
    const df = 1000 / 256;
    expect(Math.abs(s.peak_hz! - 180)).toBeLessThanOrEqual(df / 2);
    expect(s.fano!).toBeCloseTo(2.25, 1);
    // The sinusoid's share of the one-sided spectrum, summed over the band, is L·A²/4 (Parseval, Hann window);
    // the noise adds the Poisson level (10) in each of the 51 bins from 101.6 to 296.9 Hz.
    const bins = 51;
    expect(Math.abs(s.band_power! - (1 + (256 * A * A) / 4 / (bins * 10)))).toBeLessThan(0.15);
    expect(s.peak_power!).toBeGreaterThan(50);
  });

  it('finds a slow oscillation too (40 Hz), and leaves out frequencies below 10 Hz', () => {
    const s = populationSpectrum(
      populationCounts(20_000, 3, (t) => 4 + 2 * Math.sin((2 * Math.PI * 40 * t) / 1000) + 3 * Math.sin((2 * Math.PI * 2 * t) / 1000) ** 2),
      1,
    );
    expect(Math.abs(s.peak_hz! - 40)).toBeLessThanOrEqual(1000 / 256 / 2);
    // Nothing in 100–300 Hz but the Poisson level.
    expect(Math.abs(s.band_power! - 1)).toBeLessThan(0.05);
  });

  it('computes each segment by a radix-2 FFT that agrees with the transform by its definition, and still takes any segment length', () => {
    const u = seededUniform(9);
    for (const L of [2, 8, 64, 256, 1024]) {
      const seg = Float64Array.from({ length: L }, () => u() - 0.5);
      const fast = new Float64Array((L >> 1) + 1);
      const slow = new Float64Array((L >> 1) + 1);
      fftPower(L)(seg, fast);
      dftPower(L)(seg, slow);
      const scale = Math.max(...slow);
      for (let k = 1; k <= L >> 1; k++) expect(Math.abs(fast[k] - slow[k])).toBeLessThan(1e-9 * scale);
      expect(fast[0]).toBe(0);
    }
    // A sinusoid with a whole number of periods in a segment that is not a power of two: all its power in one bin.
    const x = Float64Array.from({ length: 3000 }, (_, t) => 5 + 2 * Math.sin((2 * Math.PI * 50 * t) / 1000));
    const s = populationSpectrum(x, 1, { segment: 200 });
    expect(s.segment).toBe(200);
    expect(s.peak_hz).toBeCloseTo(50, 9);
  });

  it('has null measures for a record shorter than one segment or without spikes', () => {
    expect(populationSpectrum(new Float64Array(255).fill(3), 1)).toMatchObject({ segments: 0, fano: 0, band_power: null, peak_hz: null, peak_power: null });
    expect(populationSpectrum(new Float64Array(1000), 1)).toMatchObject({ fano: null, band_power: null, peak_hz: null });
  });

  it('is reported by a spike monitor for the 1 ms count from 100 ms on, and listed as the sweep metrics MON.fano, MON.fast_power, MON.peak_hz, MON.peak_power', () => {
    // 200 neurons, each firing at 50 Hz as a Poisson process, dt = 0.5 ms, 20 s.
    const dt = 0.5;
    const steps = 40_000;
    const u = seededUniform(4);
    const neuron: number[] = [];
    const step: number[] = [];
    for (let s = 0; s < steps; s++)
      for (let i = 0; i < 200; i++)
        if (u() < 50 * dt * 1e-3) {
          neuron.push(i);
          step.push(s);
        }
    const stats = new SpikeTrainStats('raster', 200, steps, dt, null);
    stats.add(neuron, step, 0);
    const report = stats.report(steps, 1);
    const counts = new Float64Array(19_900);
    for (let k = 0; k < step.length; k++) if (step[k] >= 200) counts[Math.floor((step[k] - 200) / 2)]++;
    expect(report.spectrum).toEqual(populationSpectrum(counts, 1));
    // Bernoulli per step is a hair under Poisson: the Fano factor is 1 − p = 0.975.
    expect(report.spectrum!.fano!).toBeCloseTo(0.975, 1);
    expect(Math.abs(report.spectrum!.band_power! - 0.975)).toBeLessThan(0.06);

    const run = { mean_rate_hz: 50, sparsity: 0, spikes: step.length, synaptic_events: 0, run_ms: 1, populations: [], monitors: [report] } as unknown as RunStats;
    const m = metricsOf(run);
    expect(m['raster.fano']).toBe(report.spectrum!.fano);
    expect(m['raster.fast_power']).toBe(report.spectrum!.band_power);
    expect(m['raster.peak_hz']).toBe(report.spectrum!.peak_hz);
    expect(m['raster.peak_power']).toBe(report.spectrum!.peak_power);

    // A sweep of the Brunel phase diagram lists them before any run.
    const doc = loadDocument(readFileSync(path.join(ROOT, 'examples/criticality/brunel-phase.spikeflow.json'), 'utf8'));
    if (!doc.ok) throw new Error('brunel-phase does not load');
    const plan = compileDocument(doc.doc);
    if (!plan.ok) throw new Error('brunel-phase does not compile');
    expect(metricNames(plan.plan)).toEqual(expect.arrayContaining(['raster.synchrony', 'raster.fano', 'raster.fast_power', 'raster.peak_hz', 'raster.peak_power']));
  });
});
