import { describe, it, expect } from 'vitest';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { summarizeSpikes, type SpikeSummary } from '../engine/sim/spike-stats.ts';
import type { RunStats } from '../engine/sim/stats.ts';
import { loadExample, planOf, runThrough } from './helpers.ts';

// MODELS.md §6 at 1 s (Brian2 2.5.1):
//   base: 37.3 ± 0.3 Hz (36.9–37.7), exc/inh 37.1/37.8, CV(ISI) 0.443 ± 0.019, pop. count CV ≈ 1.15;
//   x4:   36.97 ± 0.20 Hz (36.8–37.3), exc/inh 36.9/37.1, CV(ISI) 0.400 ± 0.002, pop. count CV 0.52–0.55,
//         spectral peak of the population count 82–140 Hz (broad).
// Accepted per run: base rate 36.0–38.6 Hz, CV(ISI) 0.443 ± 0.04, pop. count CV 1.15 ± 0.15;
//                   x4 rate 36.0–38.2 Hz, CV(ISI) 0.40 ± 0.03, pop. count CV 0.54 ± 0.06.

async function runExample(file: string, seed: number): Promise<{ s: SpikeSummary; stats: RunStats; nE: number; nI: number }> {
  const plan = planOf(loadExample(file), { seed });
  const [nE, nI] = plan.populations.map((p) => p.size);
  const engine = createInProcessEngine();
  const r = await runThrough(engine.endpoint, plan);
  engine.close();
  const s = summarizeSpikes(
    [
      { ...r.spikes.get('raster/0')!, size: nE },
      { ...r.spikes.get('raster/1')!, size: nI },
    ],
    plan.nSteps,
    plan.dtMs,
    { binMs: 1, fromMs: 100 },
  );
  return { s, stats: r.stats, nE, nI };
}

describe('Brunel (2000) examples against the Brian2 reference', () => {
  it.each([
    ['brunel.spikeflow.json', 2500, 625],
    ['brunel-x4.spikeflow.json', 10_000, 2500],
  ])('%s builds fixed in-degrees 1000/250, J = 0.1 mV, g = 5, D = 1.5 ms and the η = 2 drive', (file, nE, nI) => {
    const plan = planOf(loadExample(file));
    expect(plan.populations.map((p) => [p.kind, p.size])).toEqual([
      ['lif-delta', nE],
      ['lif-delta', nI],
    ]);
    for (const p of plan.populations) {
      expect(p.params).toMatchObject({ tau_m_ms: 20, v_rest_mv: 0, v_th_mv: 20, v_reset_mv: 10, t_ref_ms: 2, v_init_mv: { dist: 'uniform', low: 0, high: 20 } });
    }
    expect(plan.projections.map((p) => [p.source, p.target, p.rule, p.n, p.weight, p.receptor, p.delayMs, p.allowMultapses])).toEqual([
      [0, 0, 'fixed-in-degree', 1000, 0.1, 'exc', 1.5, false],
      [0, 1, 'fixed-in-degree', 1000, 0.1, 'exc', 1.5, false],
      [1, 0, 'fixed-in-degree', 250, 0.5, 'inh', 1.5, false],
      [1, 1, 'fixed-in-degree', 250, 0.5, 'inh', 1.5, false],
    ]);
    // ν_thr = θ/(J·C_E·τ) = 20/(0.1·1000·20 ms) = 10 Hz; η = 2 → 1000 inputs at 20 Hz.
    expect(plan.drives!.map((d) => [d.kind, d.target, d.params])).toEqual([
      ['poisson-drive', 0, { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'exc' }],
      ['poisson-drive', 1, { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'exc' }],
    ]);
  });

  it('base (3125 neurons): rates, CV(ISI) and synchrony inside the Brian2 bands at 1 s for three seeds', async () => {
    for (const seed of [1, 2, 3]) {
      const { s, stats } = await runExample('brunel.spikeflow.json', seed);
      expect(stats.synapses).toBe(3125 * 1250);
      // External input: 3125 neurons × 10 000 steps × 2 expected, sd √(6.25·10⁷·0.998).
      expect(Math.abs(stats.external_events - 62_500_000)).toBeLessThan(5 * Math.sqrt(62_500_000));
      for (const rate of [s.mean_rate_hz, ...s.rates_hz]) {
        expect(rate).toBeGreaterThan(36.0);
        expect(rate).toBeLessThan(38.6);
      }
      expect(Math.abs(s.cv_isi_mean - 0.443)).toBeLessThan(0.04);
      expect(Math.abs(s.pop_count_cv - 1.15)).toBeLessThan(0.15);
    }
  });

  it("x4 (12 500 neurons, Brunel's own size): rate, CV(ISI) and synchrony inside the Brian2 bands at 1 s", async () => {
    const { s, stats } = await runExample('brunel-x4.spikeflow.json', 1);
    expect(stats.synapses).toBe(12_500 * 1250);
    for (const rate of [s.mean_rate_hz, ...s.rates_hz]) {
      expect(rate).toBeGreaterThan(36.0);
      expect(rate).toBeLessThan(38.2);
    }
    expect(Math.abs(s.cv_isi_mean - 0.4)).toBeLessThan(0.03);
    expect(Math.abs(s.pop_count_cv - 0.54)).toBeLessThan(0.06);
    expect(s.pop_peak_hz).toBeGreaterThan(82);
    expect(s.pop_peak_hz).toBeLessThan(140);
  }, 120_000);
});
