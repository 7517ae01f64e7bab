import { describe, it, expect } from 'vitest';
import { PoissonSource, SpikeGenerator, StepCurrent } from './sources.ts';
import { Rng } from './rng.ts';

describe('Poisson source', () => {
  it('fires at its rate within 3 standard errors, per channel independently', () => {
    const size = 1000;
    const steps = 10000; // 1 s at 0.1 ms
    const src = new PoissonSource(size, 15, { dtMs: 0.1, nSteps: steps, rng: new Rng(1, 'p') });
    const out = new Int32Array(size);
    const perChannel = new Int32Array(size);
    let total = 0;
    for (let s = 0; s < steps; s++) {
      const c = src.emit(s, out);
      total += c;
      for (let k = 0; k < c; k++) perChannel[out[k]]++;
    }
    const p = 0.0015;
    const n = size * steps;
    const se = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(total - n * p)).toBeLessThan(3 * se);
    // Per-channel counts ~ Binomial(10000, 0.0015): variance ≈ mean (Poisson-like), not 0.
    const m = total / size;
    const v = perChannel.reduce((a, b) => a + (b - m) ** 2, 0) / size;
    expect(v / m).toBeGreaterThan(0.85);
    expect(v / m).toBeLessThan(1.15);
  });

  it('emits every channel in every step when rate·dt = 1, and none at rate 0', () => {
    const out = new Int32Array(5);
    const all = new PoissonSource(5, 10000, { dtMs: 0.1, nSteps: 10, rng: new Rng(1) });
    expect(all.emit(0, out)).toBe(5);
    const none = new PoissonSource(5, 0, { dtMs: 0.1, nSteps: 10, rng: new Rng(1) });
    expect(none.emit(0, out)).toBe(0);
  });
});

describe('spike generator', () => {
  it('emits each (channel, time) in the step that holds its time, once per step (Brian2 2.5.1 gives steps 0, 2 and 10 for 0.04, 0.26 and 1.04 ms)', () => {
    const g = new SpikeGenerator(3, [2, 0, 0, 1], [0.26, 1.0, 1.04, 0.04], 0.1);
    const out = new Int32Array(3);
    const got: [number, number][] = [];
    for (let s = 0; s < 20; s++) {
      const c = g.emit(s, out);
      for (let k = 0; k < c; k++) got.push([s, out[k]]);
    }
    expect(got).toEqual([
      [0, 1],
      [2, 2],
      [10, 0],
    ]);
  });
});

describe('step current', () => {
  it('is on in steps with start ≤ n·dt < stop', () => {
    const c = new StepCurrent(5, 1, 2, 0.1);
    expect([9, 10, 19, 20].map((n) => c.value(n))).toEqual([0, 5, 5, 0]);
  });
});
