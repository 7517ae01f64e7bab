import { describe, it, expect } from 'vitest';
import { ClassifierReadout, type ReadoutParams } from './readout.ts';
import { PresentationReward, ReadoutReward, ScheduledReward } from './reward.ts';
import { InputStream } from '../input-stream.ts';
import { parseDataset, type Dataset } from '../dataset.ts';

/** Six one-value samples labelled 0, 1, 2, 0, 1, 2. */
function dataset(): Dataset {
  const r = parseDataset('0,0.1\n1,0.2\n2,0.3\n0,0.4\n1,0.5\n2,0.6\n');
  if (!r.ok) throw new Error(r.error);
  return r.dataset;
}

/** Presentations of 4 steps + 1 rest step; the subset is samples 0–2 in file order. */
function stream(heldOut: { fromPresentation: number; first: number; count: number } | null = null): InputStream {
  return new InputStream(dataset(), { dtMs: 1, presentationMs: 4, restMs: 1 }, { first: 0, count: 3, shuffle: false, seed: 0 }, heldOut);
}

const P = (over: Partial<ReadoutParams>): ReadoutParams => ({
  classes: 3,
  assignment: 'fixed',
  trainPresentations: 0,
  labelPresentations: 0,
  testPresentations: 0,
  ...over,
});

/** Feed one presentation (5 steps) in which neuron i spikes `counts[i]` times. */
function present(r: ClassifierReadout, k: number, counts: number[]): number {
  const spikes = new Int32Array(counts.length);
  let outcome = 0;
  for (let s = 0; s < 5; s++) {
    let c = 0;
    counts.forEach((n, i) => {
      if (s < n) spikes[c++] = i;
    });
    r.observe(k * 5 + s, spikes, c);
    if (s < 4) expect(r.outcome).toBe(0);
    else outcome = r.outcome;
  }
  return outcome;
}

describe('classifier readout', () => {
  it('fixed assignment: the group with most spikes answers; ties and silence are no answer, scored wrong', () => {
    const r = new ClassifierReadout('r', P({}), stream(), 6);
    // Groups of 2: {0,1} ↔ 0, {2,3} ↔ 1, {4,5} ↔ 2. Presentation k shows sample k mod 3, label k mod 3.
    expect(present(r, 0, [2, 1, 0, 1, 0, 0])).toBe(1); // group 0: 3 spikes, label 0
    expect(present(r, 1, [3, 0, 1, 1, 0, 0])).toBe(-1); // group 0 wins, label 1
    expect(present(r, 2, [0, 0, 1, 0, 1, 0])).toBe(-1); // tie between groups 1 and 2
    expect(present(r, 3, [0, 0, 0, 0, 0, 0])).toBe(-1); // silent
    expect(present(r, 4, [0, 0, 0, 2, 0, 0])).toBe(1); // label 1 (sample 1 again)
    const s = r.stats();
    expect(s.train_presentations).toBe(5);
    expect(s.train_accuracy).toBeCloseTo(2 / 5, 15);
    expect(s.test_accuracy).toBeNull();
    expect(s.neurons_per_class).toEqual([2, 2, 2]);
  });

  it('phases: learning is on only in the train phase; train and test accuracies count their own presentations', () => {
    const r = new ClassifierReadout('r', P({ trainPresentations: 2, labelPresentations: 1, testPresentations: 2 }), stream(), 3);
    expect([0, 9, 10, 14, 15, 24, 25, 100].map((n) => r.learningAt(n))).toEqual([true, true, false, false, false, false, false, false]);
    expect(r.learnEndStep).toBe(10);
    expect(r.scheduleSteps).toBe(25);
    present(r, 0, [1, 0, 0]); // train, right
    present(r, 1, [1, 0, 0]); // train, wrong
    present(r, 2, [0, 0, 1]); // label phase: not scored by fixed assignment
    present(r, 3, [1, 0, 0]); // test, label 0: right
    present(r, 4, [0, 0, 1]); // test, label 1: wrong
    present(r, 5, [1, 0, 0]); // after the schedule: not scored
    const s = r.stats();
    expect([s.train_presentations, s.train_accuracy, s.test_presentations, s.test_accuracy]).toEqual([2, 0.5, 2, 0.5]);
  });

  it('Diehl & Cook: neurons take the class they answered most in the label phase, then the best class by mean response wins', () => {
    const r = new ClassifierReadout('r', P({ assignment: 'diehl-cook', labelPresentations: 3, testPresentations: 3 }), stream(), 4);
    // Label phase: labels 0, 1, 2. Neuron 0 fires for 0, neurons 1 and 2 for 1, neuron 3 for 2 (and a little for 0).
    present(r, 0, [3, 0, 0, 1]);
    present(r, 1, [0, 2, 2, 0]);
    present(r, 2, [0, 0, 0, 2]);
    expect(Array.from(r.assignment())).toEqual([0, 1, 1, 2]);
    // Test (labels 0, 1, 2 again): mean per class is what counts, so neuron 3 alone beats neurons 1+2 at half their sum.
    expect(present(r, 3, [2, 1, 0, 0])).toBe(1);
    expect(present(r, 4, [0, 1, 1, 3])).toBe(-1); // class 1 mean 1, class 2 mean 3: answers 2, label 1
    expect(present(r, 5, [0, 2, 0, 1])).toBe(-1); // class 1 mean 1 = class 2 mean 1: tie, no answer
    const s = r.stats();
    expect(s.test_presentations).toBe(3);
    expect(s.test_accuracy).toBeCloseTo(1 / 3, 15);
    // Train accuracy: the label-phase responses, scored with the final assignment (all three right).
    expect([s.train_presentations, s.train_accuracy]).toEqual([3, 1]);
    expect(s.neurons_per_class).toEqual([1, 2, 1]);
  });

  it('a neuron that never fired in the label phase is not assigned and does not vote', () => {
    const r = new ClassifierReadout('r', P({ assignment: 'diehl-cook', labelPresentations: 2, testPresentations: 1 }), stream(), 3);
    present(r, 0, [1, 0, 0]);
    present(r, 1, [0, 1, 0]);
    expect(Array.from(r.assignment())).toEqual([0, 1, -1]);
    expect(present(r, 2, [0, 0, 5])).toBe(-1);
  });

  it('the test phase reads labels of the held-out samples the encoder shows', () => {
    const s = stream({ fromPresentation: 2, first: 3, count: 3 });
    expect([0, 1, 2, 3, 4, 5].map((k) => s.sampleOf(k))).toEqual([0, 1, 3, 4, 5, 3]);
    const r = new ClassifierReadout('r', P({ trainPresentations: 2, testPresentations: 3 }), s, 3);
    present(r, 0, [1, 0, 0]);
    present(r, 1, [0, 1, 0]);
    // Held-out samples 3, 4, 5 have labels 0, 1, 2.
    expect(present(r, 2, [1, 0, 0])).toBe(1);
    expect(present(r, 3, [0, 1, 0])).toBe(1);
    expect(present(r, 4, [0, 1, 0])).toBe(-1);
  });
});

describe('reward signals', () => {
  it('a schedule is piecewise constant per ms: the amount of a step is level · dt, and 0 before the first time', () => {
    const s = new ScheduledReward([10, 5], [2, -1], 0.5);
    expect([0, 9, 10, 19, 20, 1000].map((n) => s.amount(n))).toEqual([0, 0, -0.5, -0.5, 1, 1]);
  });

  it('from a readout: an impulse at the end of each train-phase presentation, right or wrong; nothing in other phases', () => {
    const r = new ClassifierReadout('r', P({ trainPresentations: 2, testPresentations: 1 }), stream(), 3);
    const reward = new ReadoutReward(r, 2, -3);
    const amounts: number[] = [];
    const feed = (k: number, counts: number[]) => {
      const spikes = new Int32Array(3);
      for (let s = 0; s < 5; s++) {
        let c = 0;
        counts.forEach((n, i) => {
          if (s < n) spikes[c++] = i;
        });
        r.observe(k * 5 + s, spikes, c);
        amounts.push(reward.amount());
      }
    };
    feed(0, [1, 0, 0]);
    feed(1, [1, 0, 0]);
    feed(2, [1, 0, 0]);
    expect(amounts).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 0, -3, 0, 0, 0, 0, 0]);
  });

  it('per presentation: an impulse of value k at the end of train-phase presentation k, the list repeating', () => {
    const r = new ClassifierReadout('r', P({ trainPresentations: 3, testPresentations: 1 }), stream(), 3);
    const reward = new PresentationReward(r, [0.5, -2]);
    const amounts = Array.from({ length: 20 }, (_, n) => reward.amount(n));
    expect(amounts).toEqual([0, 0, 0, 0, 0.5, 0, 0, 0, 0, -2, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0]);
  });
});
