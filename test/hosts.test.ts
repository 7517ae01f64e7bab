import { describe, it, expect } from 'vitest';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { createNodeWorkerEngine } from '../engine/hosts/node-worker.ts';
import { loadExample, planOf, runThrough } from './helpers.ts';

describe('determinism across hosts', () => {
  it('the same document and seed give identical spikes in-process and on a worker thread', async () => {
    const plan = planOf(loadExample('poisson-ei.spikeflow.json'), { durationMs: 500 });
    const inproc = createInProcessEngine();
    const a = await runThrough(inproc.endpoint, plan);
    inproc.close();
    const worker = createNodeWorkerEngine();
    const b = await runThrough(worker.endpoint, plan);
    await worker.close();
    expect(a.stats.spikes).toBeGreaterThan(50);
    expect([...b.spikes.keys()].sort()).toEqual([...a.spikes.keys()].sort());
    for (const [k, v] of a.spikes) expect(b.spikes.get(k)).toEqual(v);
    expect(b.stats.synaptic_events).toBe(a.stats.synaptic_events);
  });

  it('another seed gives other spikes', async () => {
    const doc = loadExample('poisson-ei.spikeflow.json');
    const e1 = createInProcessEngine();
    const a = await runThrough(e1.endpoint, planOf(doc, { durationMs: 300, seed: 1 }));
    const b = await runThrough(e1.endpoint, planOf(doc, { durationMs: 300, seed: 2 }));
    e1.close();
    expect(a.spikes.get('raster/1')).not.toEqual(b.spikes.get('raster/1'));
  });
});
