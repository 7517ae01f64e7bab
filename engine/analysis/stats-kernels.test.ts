import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../core/wasm.ts';
import { cvIsiSum, moments, setStatsKernelsEnabled, statsKernelDefs, statsKernelsAvailable } from './stats-kernels.ts';
import { STATS_KERNELS_WASM } from './stats-kernels-wasm.ts';
import { populationSpectrum } from './population-spectrum.ts';
import { SpikeTrainStats } from './spike-train-stats.ts';
import { seededUniform } from './random.ts';

/** Run `f` with the JS loops instead of the wasm kernels. */
function inJs<T>(f: () => T): T {
  const was = setStatsKernelsEnabled(false);
  try {
    return f();
  } finally {
    setStatsKernelsEnabled(was);
  }
}

describe('statistics kernels (wasm) against the JS loops', () => {
  afterEach(() => setStatsKernelsEnabled(true));

  it('load the module assembled from their builders (stats-kernels-wasm.ts is up to date: npx tsx scripts/gen-stats-kernels.ts)', () => {
    expect(STATS_KERNELS_WASM).toEqual(Array.from(assemble(statsKernelDefs())));
  });

  it('compile and run here, so the reports take the wasm path', () => {
    expect(statsKernelsAvailable()).toBe(true);
    expect(inJs(() => statsKernelsAvailable())).toBe(false);
  });

  it('give the mean CV(ISI) bit for bit as the JS loop, skipping neurons with under two intervals or a zero mean', () => {
    const u = seededUniform(5);
    const n = 3000;
    const count = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : i % 11 === 0 ? 0 : 2 + Math.floor(u() * 50)));
    const sum = Float64Array.from(count, (m, i) => (i % 13 === 0 ? 0 : m * (5 + u() * 200)));
    const sq = Float64Array.from(count, (m, i) => (m > 0 ? (sum[i] * sum[i]) / m + u() * 1e4 : 0));
    const wasm = cvIsiSum(count, sum, sq);
    const js = inJs(() => cvIsiSum(count, sum, sq));
    expect(wasm.used).toBe(js.used);
    expect(wasm.sum).toBe(js.sum);
    // Hand count of the neurons that qualify: ≥ 2 intervals and a positive sum.
    expect(js.used).toBe([...count].filter((m, i) => m >= 2 && sum[i] > 0).length);
    expect(js.used).toBeGreaterThan(2000);
  });

  it('give the mean and squared deviations bit for bit as the JS loop', () => {
    const u = seededUniform(6);
    const x = Float64Array.from({ length: 900 }, () => Math.floor(u() * 40));
    const wasm = moments(x);
    const js = inJs(() => moments(x));
    expect(wasm).toEqual(js);
    expect(js.mean).toBeCloseTo(x.reduce((a, b) => a + b, 0) / x.length, 12);
    expect(moments([])).toEqual({ mean: 0, q: 0 });
  });

  it('give the Welch spectrum bit for bit as the JS transform, for several segment lengths and records', () => {
    const u = seededUniform(7);
    for (const [n, segment] of [
      [900, 256],
      [20_000, 256],
      [1000, 64],
      [5000, 1024],
    ]) {
      const x = Float64Array.from({ length: n }, (_, t) => Math.floor(u() * 20 * (1 + 0.5 * Math.sin((2 * Math.PI * 150 * t) / 1000))));
      const wasm = populationSpectrum(x, 1, { segment });
      const js = inJs(() => populationSpectrum(x, 1, { segment }));
      expect(wasm).toEqual(js);
      expect(wasm.segments).toBeGreaterThan(0);
      expect(wasm.peak_hz).not.toBeNull();
    }
  });

  it('make a monitor report the same with and without them: chunks past the kernel room, neurons out of range, the criticality counts', () => {
    const steps = 20_000;
    // 500 neurons at ~20 Hz for 2 s: ~20 000 spikes, handed over in chunks of 3 000 steps (one chunk holds ~3 000 pairs)
    // and once all at once (past the kernel's 4 096 pairs); a few indices out of the monitor's range are skipped.
    const v = seededUniform(9);
    const neuron: number[] = [];
    const step: number[] = [];
    for (let n = 0; n < steps; n++)
      for (let i = 0; i < 500; i++)
        if (v() < 0.002) {
          neuron.push(i === 7 ? 600 : i);
          step.push(n);
        }
    const make = (chunkSteps: number) => {
      const s = new SpikeTrainStats('raster', 500, steps, 0.1, { transientMs: 0 });
      for (let from = 0; from < neuron.length;) {
        let to = from;
        while (to < neuron.length && step[to] < step[from] + chunkSteps) to++;
        s.add(Int32Array.from(neuron.slice(from, to)), Int32Array.from(step.slice(from, to)), 0);
        from = to;
      }
      return s.report(steps, 1);
    };
    for (const chunkSteps of [3000, steps]) {
      const wasm = make(chunkSteps);
      const js = inJs(() => make(chunkSteps));
      expect(wasm).toEqual(js);
      expect(wasm.spikes).toBe(neuron.filter((i) => i < 500).length);
      expect(wasm.cv_isi_neurons).toBeGreaterThan(400);
      expect(wasm.spectrum!.segments).toBe(Math.floor((1900 - 256) / 128) + 1);
      expect(wasm.criticality).toBeDefined();
    }
    expect(neuron.length).toBeGreaterThan(16_384);
  });
});
