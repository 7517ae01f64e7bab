import { describe, it, expect } from 'vitest';
import { PoissonSource } from './sources.ts';
import { Rng } from './rng.ts';

const ctx = (seed = 1) => ({ dtMs: 0.1, nSteps: 0, rng: new Rng(seed, 'p') });

/** Spikes of `src` per step range [from, to). */
function countSpikes(src: PoissonSource, steps: number, ranges: [number, number][]): number[] {
  const out = new Int32Array(src.size);
  const counts = ranges.map(() => 0);
  for (let s = 0; s < steps; s++) {
    const c = src.emit(s, out);
    ranges.forEach(([a, b], k) => {
      if (s >= a && s < b) counts[k] += c;
    });
  }
  return counts;
}

describe('Poisson source with a piecewise-constant rate', () => {
  it("fires at each piece's rate within 3 standard errors, and not at all before the first time", () => {
    const size = 1000;
    // 0–100 ms silent (before the first time), 20 Hz to 400 ms, 60 Hz to 700 ms.
    const src = new PoissonSource(size, { timesMs: [100, 400], ratesHz: [20, 60] }, ctx());
    const [before, first, second] = countSpikes(src, 7000, [
      [0, 1000],
      [1000, 4000],
      [4000, 7000],
    ]);
    expect(before).toBe(0);
    for (const [count, rateHz] of [
      [first, 20],
      [second, 60],
    ] as const) {
      const p = (rateHz * 0.1) / 1000;
      const n = size * 3000;
      const se = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(count - n * p)).toBeLessThan(3 * se);
    }
  });

  it('switches rate in the first step n with times_ms[k] ≤ n·dt', () => {
    const src = new PoissonSource(1, { timesMs: [0.05, 1.0, 2.0], ratesHz: [100, 200, 0] }, ctx());
    expect([0, 1, 9, 10, 19, 20].map((n) => src.probabilityAt(n))).toEqual([0, 0.01, 0.01, 0.02, 0.02, 0]);
  });

  it('falls silent for a zero-rate piece and resumes after it', () => {
    const src = new PoissonSource(200, { timesMs: [0, 100, 200], ratesHz: [50, 0, 50] }, ctx(3));
    const [a, off, b] = countSpikes(src, 3000, [
      [0, 1000],
      [1000, 2000],
      [2000, 3000],
    ]);
    expect(off).toBe(0);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  it('with one piece from time 0 gives exactly the spikes of the constant-rate source', () => {
    const a = new PoissonSource(50, 30, ctx(7));
    const b = new PoissonSource(50, { timesMs: [0], ratesHz: [30] }, ctx(7));
    const oa = new Int32Array(50);
    const ob = new Int32Array(50);
    for (let s = 0; s < 2000; s++) {
      const ca = a.emit(s, oa);
      const cb = b.emit(s, ob);
      expect(cb).toBe(ca);
      expect([...ob.subarray(0, cb)]).toEqual([...oa.subarray(0, ca)]);
    }
  });

  it('emits every channel in every step of a piece with rate·dt = 1', () => {
    const src = new PoissonSource(4, { timesMs: [0, 0.2], ratesHz: [0, 10_000] }, ctx());
    const out = new Int32Array(4);
    expect([0, 1, 2, 3].map((s) => src.emit(s, out))).toEqual([0, 0, 4, 4]);
  });
});
