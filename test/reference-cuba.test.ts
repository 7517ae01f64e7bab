import { describe, it, expect } from 'vitest';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { loadExample, planOf, runThrough } from './helpers.ts';

// MODELS.md §6: CUBA at 1 s, Brian2 2.5.1: 5.68 ± 0.24 Hz (5.52–6.15) over 6 realisations;
// synapse counts 320 000 ± 2 000 for Bernoulli p = 0.02.
describe('CUBA benchmark example against the Brian2 reference', () => {
  it('builds the specified network: 4000 neurons, ~320 000 synapses', () => {
    const plan = planOf(loadExample('cuba.spikeflow.json'));
    const sizes = plan.populations.map((p) => p.size);
    expect(sizes).toEqual([3200, 800]);
    expect(plan.nSteps).toBe(10_000);
  });

  it('fires at a mean rate inside the Brian2 band at 1 s for three seeds', async () => {
    const doc = loadExample('cuba.spikeflow.json');
    const engine = createInProcessEngine();
    const rates: number[] = [];
    for (const seed of [1, 2, 3]) {
      const r = await runThrough(engine.endpoint, planOf(doc, { seed }));
      expect(Math.abs(r.stats.synapses - 320_000)).toBeLessThan(2_000);
      expect(r.stats.mean_rate_hz).toBeGreaterThan(5.0);
      expect(r.stats.mean_rate_hz).toBeLessThan(6.6);
      rates.push(r.stats.mean_rate_hz);
    }
    engine.close();
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(Math.abs(mean - 5.68) / 5.68).toBeLessThan(0.1);
  });
});
