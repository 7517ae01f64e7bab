import { describe, it, expect } from 'vitest';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { summarizeSpikes } from '../engine/sim/spike-stats.ts';
import { loadExample, planOf, runThrough } from './helpers.ts';

// MODELS.md §6, COBA at 1 s (Brian2 2.5.1, 6 realisations): mean rate 18.7 ± 1.0 Hz (17.6–20.0),
// exc/inh 18.6/19.0 Hz, CV(ISI) 1.53 ± 0.03. Accepted per run: rate 16.5–21.5 Hz, CV(ISI) 1.53 ± 0.15;
// the mean of three runs within ±8 % of 18.7 Hz; the activity must not die out.
describe('COBA benchmark example against the Brian2 reference', () => {
  it("builds the specified network: 3200 + 800 conductance LIF neurons with COBA's parameters, ~320 000 synapses", () => {
    const plan = planOf(loadExample('coba.spikeflow.json'));
    expect(plan.populations.map((p) => [p.kind, p.size])).toEqual([
      ['lif-cond-exp', 3200],
      ['lif-cond-exp', 800],
    ]);
    for (const p of plan.populations) {
      expect(p.params).toMatchObject({
        tau_m_ms: 20,
        e_l_mv: -60,
        v_th_mv: -50,
        v_reset_mv: -60,
        t_ref_ms: 5,
        e_exc_mv: 0,
        e_inh_mv: -80,
        tau_syn_exc_ms: 5,
        tau_syn_inh_ms: 10,
        v_init_mv: { dist: 'normal', mean: -65, sd: 5 },
        g_exc_init: { dist: 'normal', mean: 4, sd: 1.5 },
        g_inh_init: { dist: 'normal', mean: 20, sd: 12 },
      });
    }
    expect(plan.projections.map((p) => [p.rule, p.p, p.weight, p.receptor, p.delayMs])).toEqual([
      ['bernoulli', 0.02, 0.6, 'exc', 0],
      ['bernoulli', 0.02, 0.6, 'exc', 0],
      ['bernoulli', 0.02, 6.7, 'inh', 0],
      ['bernoulli', 0.02, 6.7, 'inh', 0],
    ]);
    expect(plan.nSteps).toBe(10_000);
  });

  it('matches the Brian2 rates and CV(ISI) at 1 s for three seeds, and stays active', async () => {
    const doc = loadExample('coba.spikeflow.json');
    const engine = createInProcessEngine();
    const rates: number[] = [];
    for (const seed of [1, 2, 3]) {
      const plan = planOf(doc, { seed });
      const r = await runThrough(engine.endpoint, plan);
      const exc = r.spikes.get('raster/0')!;
      const inh = r.spikes.get('raster/1')!;
      const s = summarizeSpikes(
        [
          { ...exc, size: 3200 },
          { ...inh, size: 800 },
        ],
        plan.nSteps,
        plan.dtMs,
      );
      expect(Math.abs(r.stats.synapses - 320_000)).toBeLessThan(2_000);
      expect(s.mean_rate_hz).toBeCloseTo(r.stats.mean_rate_hz, 9);
      for (const rate of [s.mean_rate_hz, ...s.rates_hz]) {
        expect(rate).toBeGreaterThan(16.5);
        expect(rate).toBeLessThan(21.5);
      }
      expect(Math.abs(s.cv_isi_mean - 1.53)).toBeLessThan(0.15);
      // Self-sustained: the last 100 ms still fire at well over half the mean rate.
      const late = [...exc.step, ...inh.step].filter((st) => st >= 9_000).length / (4000 * 0.1);
      expect(late).toBeGreaterThan(10);
      rates.push(s.mean_rate_hz);
    }
    engine.close();
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(Math.abs(mean - 18.7) / 18.7).toBeLessThan(0.08);
  });
});
