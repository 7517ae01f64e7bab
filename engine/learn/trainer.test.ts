import { describe, it, expect } from 'vitest';
import { TrainingJob } from './trainer.ts';
import { simulateTrained } from './sim-check.ts';
import { smallTrainingDocument, smallTrainingPlan } from '../test-support/test-docs.ts';
import { compileDocument } from '../compile/compile.ts';
import type { NetworkPlan } from '../core/plan.ts';

function train(plan: NetworkPlan): TrainingJob {
  const job = new TrainingJob(plan, plan.trainers![0]);
  while (!job.done) job.step();
  return job;
}

describe('surrogate-gradient training', () => {
  it('learns the digits: the loss falls and held-out accuracy ends far above chance', () => {
    const job = train(smallTrainingPlan({ epochs: 4 }));
    const h = job.history;
    expect(h.map((x) => x.epoch)).toEqual([1, 2, 3, 4]);
    expect(h[3].loss).toBeLessThan(0.7 * h[0].loss);
    expect(job.test.length).toBe(60);
    // Chance is 10 %.
    expect(h[3].testAccuracy!).toBeGreaterThan(0.6);
  });

  it('is deterministic for a given seed, and another seed trains other weights', () => {
    const a = train(smallTrainingPlan({ epochs: 1, samples: 120 }));
    const b = train(smallTrainingPlan({ epochs: 1, samples: 120 }));
    const c = train(smallTrainingPlan({ epochs: 1, samples: 120, seed: 2 }));
    const wa = a.trainedWeights();
    const wb = b.trainedWeights();
    expect(wa.map((x) => x.edgeId)).toEqual(['in-exc', 'in-inh', 'hid-exc', 'hid-inh']);
    for (let p = 0; p < wa.length; p++) expect(Array.from(wb[p].w)).toEqual(Array.from(wa[p].w));
    expect(a.history).toEqual(b.history);
    expect(Array.from(c.trainedWeights()[0].w)).not.toEqual(Array.from(wa[0].w));
  });

  it('trains recurrent projections too, and keeps every weight ≥ 0', () => {
    const plan = smallTrainingPlan({ epochs: 1, samples: 60, recurrent: true });
    const job = new TrainingJob(plan, plan.trainers![0]);
    const before = job.trainedWeights().find((x) => x.edgeId === 'rec')!.w;
    while (!job.done) job.step();
    const after = job.trainedWeights();
    const rec = after.find((x) => x.edgeId === 'rec')!;
    expect(rec.w.length).toBe(32 * 32);
    expect(rec.w.some((w, k) => w !== before[k])).toBe(true);
    for (const x of after) for (const w of x.w) expect(w).toBeGreaterThanOrEqual(0);
  });

  it('gives the same test accuracy in the event-driven simulation as in training, with the trained weights stored on the wires', () => {
    const job = train(smallTrainingPlan({ epochs: 2 }));
    const dense = job.evaluate(job.test);
    const sim = simulateTrained(job);
    expect(sim.samples).toBe(job.test.length);
    // The rest between samples lets the state decay (e^−3 of it is left), so the two agree to within a few samples.
    expect(Math.abs(sim.testAccuracy - dense.accuracy)).toBeLessThanOrEqual(3 / job.test.length);
    expect(sim.synopsPerSample).toBeGreaterThan(0);
    expect(job.denseMacsPerSample()).toBe(64 * 32 + 32 * 10);
  });

  it('refuses a population it cannot differentiate, naming it, already when the document is compiled (validate says so)', () => {
    const doc = smallTrainingDocument();
    doc.nodes[1] = { ...doc.nodes[1], kind: 'lif-delta', params: { size: 32 } };
    const c = compileDocument(doc);
    expect(c.ok).toBe(false);
    if (!c.ok)
      expect(c.issues).toEqual([expect.objectContaining({ pointer: '/nodes/1/kind', nodeId: 'hid', field: 'kind', message: expect.stringMatching(/"hid".*LIF \(current, exp\. synapses\)/) })]);
  });

  it('refuses an encoder of fixed values at compile time: there are no labels to train on', () => {
    const doc = smallTrainingDocument();
    doc.nodes[0].params.input = 'values';
    const c = compileDocument(doc);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues[0]).toMatchObject({ pointer: '/nodes/0/params/input', nodeId: 'enc', field: 'input' });
  });

  it('refuses a readout with fewer neurons than classes at compile time', () => {
    const doc = smallTrainingDocument();
    doc.nodes[2].params.size = 5;
    const c = compileDocument(doc);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues[0]).toMatchObject({ pointer: '/nodes/2/params/size', message: expect.stringMatching(/10 classes.*5 neurons/) });
  });

  it('the compiler refuses a trainer with nothing wired into its readout', () => {
    const doc = smallTrainingDocument();
    doc.edges = doc.edges.filter((e) => e.target.node !== 'trainer');
    const c = compileDocument(doc);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues[0]).toMatchObject({ nodeId: 'trainer', field: 'readout' });
  });
});
