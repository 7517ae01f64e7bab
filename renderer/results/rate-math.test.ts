import { describe, expect, it } from 'vitest';
import { StepCounts, binCounts, binStepsOf, countsToHz } from './rate-math.ts';

describe('population rate from spikes', () => {
  it('counts spikes per bin from the first step on and ignores spikes outside', () => {
    // Bins of 4 steps from step 2: [2, 6) has 3 and 4, [6, 10) has 9, [10, 14) has 10; 0 and 25 are outside.
    const step = Int32Array.of(0, 3, 4, 9, 10, 25);
    expect([...binCounts(step, step.length, 2, 4, 3)]).toEqual([2, 1, 1]);
  });

  it('turns counts into Hz per neuron', () => {
    // 2 spikes in 10 neurons over 4 steps of 0.5 ms (2 ms): 2 / (10 · 0.002 s) = 100 Hz.
    expect(countsToHz(Float64Array.of(2, 0), 10, 4, 0.5)[0]).toBeCloseTo(100, 9);
  });

  it('rounds a bin width to whole steps, at least one', () => {
    expect(binStepsOf(5, 0.1)).toBe(50);
    expect(binStepsOf(0.01, 0.1)).toBe(1);
  });

  it('bins the same from per-step counts kept up to date as spikes arrive', () => {
    const step = Int32Array.of(0, 3, 4, 9, 10, 25, 2000);
    const c = new StepCounts();
    c.update(step, 3);
    expect([...c.bins(2, 4, 3)]).toEqual([2, 0, 0]);
    c.update(step, step.length);
    expect([...c.bins(2, 4, 3)]).toEqual([...binCounts(step, step.length, 2, 4, 3)]);
    expect([...c.bins(1990, 20, 1)]).toEqual([1]);
    // Fewer spikes than before (a window dropped some): counted afresh.
    c.update(Int32Array.of(9, 10), 2);
    expect([...c.bins(0, 10, 2)]).toEqual([1, 1]);
  });
});
