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

  for (const neuronKind of ['alif', 'lif-delta'] as const) {
    it(`trains two hidden layers of ${neuronKind}, and the event-driven simulation agrees with training on the test samples`, () => {
      // The rest lets state (adaptation too) fade between samples in the simulation, as training starts each from rest.
      const job = train(smallTrainingPlan({ epochs: 4, samples: 300, neuronKind, hidden2: 24, restMs: 60, trainer: { learning_rate: 0.1 } }));
      const h = job.history;
      expect(h[3].loss).toBeLessThan(h[0].loss);
      // Chance is 10 %: a short training of a deeper network is still well above it.
      expect(h[3].testAccuracy!).toBeGreaterThan(0.25);
      expect(job.trainedWeights().map((x) => x.edgeId)).toEqual(['in-exc', 'in-inh', 'h2-exc', 'h2-inh', 'hid-exc', 'hid-inh']);
      const dense = job.evaluate(job.test);
      const sim = simulateTrained(job);
      expect(Math.abs(sim.testAccuracy - dense.accuracy)).toBeLessThanOrEqual(3 / job.test.length + 1e-12);
    });
  }

  for (const loss of ['first-spike', 'mean-v'] as const) {
    it(`learns with the ${loss} loss, and the simulated check decides as the loss does`, () => {
      // A membrane readout carries more of the previous sample into the next one in the simulation: a longer rest lets it fade.
      const job = train(smallTrainingPlan({ epochs: 3, samples: 200, restMs: loss === 'mean-v' ? 100 : 30, trainer: { loss } }));
      expect(job.history[2].testAccuracy!).toBeGreaterThan(0.3);
      const dense = job.evaluate(job.test);
      expect(Math.abs(simulateTrained(job).testAccuracy - dense.accuracy)).toBeLessThanOrEqual(3 / job.test.length);
    });
  }

  it('resumes from a checkpoint with the optimiser state and trains exactly the weights of an uninterrupted run', () => {
    for (const optimizer of ['adam', 'sgd'] as const) {
      const trainer = { optimizer, learning_rate: optimizer === 'sgd' ? 0.5 : 0.05, lr_schedule: 'step', lr_step_epochs: 1, lr_gamma: 0.5 };
      const whole = train(smallTrainingPlan({ epochs: 3, samples: 90, trainer }));
      const plan = smallTrainingPlan({ epochs: 3, samples: 90, trainer });
      const first = new TrainingJob(plan, plan.trainers![0]);
      while (first.epoch < 1) first.step();
      // Through JSON, as a checkpoint file.
      const cp = JSON.parse(JSON.stringify(first.checkpoint()));
      const resumed = new TrainingJob(plan, plan.trainers![0]);
      resumed.resume(cp);
      while (!resumed.done) resumed.step();
      expect(resumed.history).toEqual(whole.history);
      expect(resumed.history.map((h) => h.lr)).toEqual(optimizer === 'sgd' ? [0.5, 0.25, 0.125] : [0.05, 0.025, 0.0125]);
      resumed.trainedWeights().forEach((x, p) => expect(Array.from(x.w)).toEqual(Array.from(whole.trainedWeights()[p].w)));
    }
  });

  it('learns time constants as an option: they move from the params, the simulated check runs with them, and a checkpoint resumes them exactly', () => {
    const trainer = { learn_time_constants: true, learning_rate: 0.05 };
    const plan = smallTrainingPlan({ epochs: 2, samples: 120, neuronKind: 'alif', restMs: 60, trainer });
    const whole = train(plan);
    const taus = whole.learntTimeConstants();
    expect(taus.map((t) => t.nodeId)).toEqual(['hid', 'out']);
    expect(Object.keys(taus[0].params)).toEqual(['tau_m_ms', 'tau_syn_exc_ms', 'tau_syn_inh_ms', 'tau_w_ms']);
    // The document's are τm 10, τsyn 5 and 5, τw 20 (test-docs.ts): every one has moved.
    for (const t of taus) for (const [k, v] of Object.entries(t.params)) expect(v, `${t.nodeId}.${k}`).not.toBe(k === 'tau_m_ms' ? 10 : k === 'tau_w_ms' ? 20 : 5);
    const dense = whole.evaluate(whole.test);
    expect(Math.abs(simulateTrained(whole).testAccuracy - dense.accuracy)).toBeLessThanOrEqual(3 / whole.test.length + 1e-12);
    const first = new TrainingJob(plan, plan.trainers![0]);
    while (first.epoch < 1) first.step();
    const cp = JSON.parse(JSON.stringify(first.checkpoint()));
    expect(cp.timeConstants).toHaveLength(2);
    const resumed = new TrainingJob(plan, plan.trainers![0]);
    resumed.resume(cp);
    while (!resumed.done) resumed.step();
    expect(resumed.learntTimeConstants()).toEqual(taus);
    expect(resumed.history).toEqual(whole.history);
    // A checkpoint with learnt time constants does not resume a training without them, and the other way round.
    const off = smallTrainingPlan({ epochs: 2, samples: 120, neuronKind: 'alif', restMs: 60 });
    expect(() => new TrainingJob(off, off.trainers![0]).resume(cp)).toThrow(/turn "learn time constants" on/);
    const cpOff = new TrainingJob(off, off.trainers![0]).checkpoint();
    expect(() => new TrainingJob(plan, plan.trainers![0]).resume(cpOff)).toThrow(/no learnt time constants/);
  });

  it('refuses a checkpoint of another network, saying which wire differs', () => {
    const plan = smallTrainingPlan({ epochs: 1, samples: 60 });
    const cp = new TrainingJob(plan, plan.trainers![0]).checkpoint();
    const other = smallTrainingPlan({ epochs: 1, samples: 60, hidden: 16 });
    expect(() => new TrainingJob(other, other.trainers![0]).resume(cp)).toThrow(/wire 0 is "in-exc" with 2048 synapses; this network's is "in-exc" with 1024/);
  });

  it('holds out a validation set, stops early when its loss stops improving, and keeps the best weights', () => {
    // A learning rate far too large: the validation loss gets worse after the first epochs.
    const job = train(smallTrainingPlan({ epochs: 30, samples: 150, trainer: { validation_fraction: 0.25, patience: 2, learning_rate: 3 } }));
    expect(job.validation.length).toBe(Math.round(0.25 * 120));
    for (const v of job.validation) expect(job.train.includes(v) || job.test.includes(v)).toBe(false);
    expect(job.stoppedEarly).toBe(true);
    const losses = job.history.map((h) => h.validationLoss!);
    const best = Math.min(...losses);
    const bestEpoch = losses.indexOf(best);
    expect(job.history.length).toBe(bestEpoch + 1 + 2);
    expect(job.evaluate(job.validation).loss).toBeCloseTo(best, 10);
  });

  it('weight decay shrinks the weights, and the rate regulariser lowers the hidden spikes', () => {
    const base = train(smallTrainingPlan({ epochs: 2, samples: 120 }));
    const decayed = train(smallTrainingPlan({ epochs: 2, samples: 120, trainer: { weight_decay: 0.05 } }));
    const sum = (j: TrainingJob) => j.trainedWeights().reduce((a, x) => a + x.w.reduce((b, w) => b + w, 0), 0);
    expect(sum(decayed)).toBeLessThan(sum(base));
    const sparse = train(smallTrainingPlan({ epochs: 2, samples: 120, trainer: { rate_regularizer: 2 } }));
    expect(sparse.history[1].spikesPerSample!.hid).toBeLessThan(0.8 * base.history[1].spikesPerSample!.hid);
  });

  it('reports per layer the spike rate and the gradient norm of each batch and epoch, and the test confusion matrix with misclassified samples', () => {
    const plan = smallTrainingPlan({ epochs: 1, samples: 120 });
    const job = new TrainingJob(plan, plan.trainers![0]);
    expect(job.layers).toEqual([]);
    job.step();
    const batchSize = job.settings.batchSize;
    expect(job.layers.map((l) => l.name)).toEqual(['hid', 'out']);
    // The gradient the optimiser stepped with: the batch's summed gradients (still held) over its samples, by target population.
    const norm = (edges: string[]) => Math.sqrt(job.problem.projections.reduce((a, p, k) => (edges.includes(p.edgeId) ? a + job.net.grads[k].reduce((b, g) => b + g * g, 0) : a), 0)) / batchSize;
    expect(job.layers[0].gradNorm).toBeCloseTo(norm(['in-exc', 'in-inh']), 12);
    expect(job.layers[1].gradNorm).toBeCloseTo(norm(['hid-exc', 'hid-inh']), 12);
    expect(job.layers[0].gradNorm).toBeGreaterThan(0);
    while (!job.done) job.step();
    const report = job.history[0];
    const windowS = (job.problem.data.steps * plan.dtMs) / 1000;
    expect(report.layers!.map((l) => l.name)).toEqual(['hid', 'out']);
    // Epoch rate: spikes per sample over neurons and the window.
    expect(report.layers![0].rateHz).toBeCloseTo(report.spikesPerSample!.hid / 32 / windowS, 9);
    expect(report.layers![1].rateHz).toBeCloseTo(report.spikesPerSample!.out / 10 / windowS, 9);
    const ev = job.evaluate(job.test);
    expect(ev.confusion.length).toBe(10);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(job.test.length);
    const right = ev.confusion.reduce((a, row, c) => a + row[c], 0);
    expect(right / job.test.length).toBeCloseTo(ev.accuracy, 12);
    expect(ev.misclassified.length).toBe(Math.min(12, job.test.length - right));
    for (const m of ev.misclassified) {
      expect(m.predicted).not.toBe(m.label);
      expect(job.problem.data.labels[m.sample]).toBe(m.label);
      expect(job.test.includes(m.sample)).toBe(true);
    }
  });

  it('refuses a population it cannot differentiate, naming it, already when the document is compiled (validate says so)', () => {
    const doc = smallTrainingDocument();
    doc.nodes[1] = { ...doc.nodes[1], kind: 'izhikevich', params: { size: 32 } };
    const c = compileDocument(doc);
    expect(c.ok).toBe(false);
    if (!c.ok)
      expect(c.issues).toEqual([
        expect.objectContaining({
          pointer: '/nodes/1/kind',
          nodeId: 'hid',
          field: 'kind',
          message: expect.stringMatching(/LIF \(current, exp\. synapses\), Adaptive LIF and LIF \(delta synapses\).*"hid" is Izhikevich/),
        }),
      ]);
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
