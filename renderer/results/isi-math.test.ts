import { describe, expect, it } from 'vitest';
import { histogram, isiRangeMs, isiStats, niceCeil } from './isi-math.ts';

describe('isiStats', () => {
  // dt 0.1 ms. Neuron 0 at 0, 1, 3 ms (ISIs 1, 2); neuron 1 at 0.5, 1.5, 2.5, 3.5 ms
  // (ISIs 1, 1, 1); neuron 2 once (no interval); neuron 7 is outside the population.
  const pairs: [number, number][] = [
    [0, 0],
    [1, 5],
    [0, 10],
    [2, 12],
    [1, 15],
    [1, 25],
    [0, 30],
    [7, 31],
    [1, 35],
  ];
  const neuron = Int32Array.from(pairs, (p) => p[0]);
  const step = Int32Array.from(pairs, (p) => p[1]);
  const s = isiStats(neuron, step, pairs.length, 3, 0.1);

  it('collects the intervals between consecutive spikes of each neuron, in ms', () => {
    expect(s.count).toBe(5);
    expect(Array.from(s.isiMs.subarray(0, s.count), (v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 1, 1, 2, 1]);
    expect(s.meanIsiMs).toBeCloseTo(6 / 5, 12);
  });

  it('gives one CV per neuron with two intervals or more: std/mean with the population std', () => {
    // Neuron 0: mean 1.5, std 0.5 → 1/3; neuron 1: regular → 0.
    expect(Array.from(s.cv)).toEqual([expect.closeTo(1 / 3, 12), 0]);
    expect(s.meanCv).toBeCloseTo(1 / 6, 12);
  });

  it('has no interval and NaN means for a population that spiked at most once per neuron', () => {
    const e = isiStats(Int32Array.of(0, 1), Int32Array.of(3, 4), 2, 2, 0.1);
    expect(e.count).toBe(0);
    expect(e.cv.length).toBe(0);
    expect(e.meanIsiMs).toBeNaN();
    expect(e.meanCv).toBeNaN();
  });
});

describe('histogram', () => {
  it('counts values into equal bins over [lo, hi) and the rest as beyond', () => {
    const h = histogram(Float64Array.of(0.5, 1, 1.5, 2.5, 3, 7, -1), 7, 0, 3, 3);
    expect([...h.counts]).toEqual([1, 2, 1]);
    expect(h.above).toBe(2);
  });

  it('only reads the first `count` values', () => {
    expect([...histogram(Float64Array.of(0.5, 0.5, 0.5), 2, 0, 1, 1).counts]).toEqual([2]);
  });
});

describe('ranges', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeil(3.2)).toBe(5);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(2)).toBe(2);
    expect(niceCeil(0.013)).toBeCloseTo(0.02, 12);
    expect(niceCeil(0)).toBe(1);
  });

  it('puts the ISI range at about five mean intervals, never far past the longest', () => {
    const ten = Float64Array.from({ length: 10 }, (_, i) => 10 + i);
    // Mean 14.5 ms → 72.5; the longest is 19 ms → 19.0019 → 20.
    expect(isiRangeMs({ isiMs: ten, count: 10, cv: new Float64Array(0), meanIsiMs: 14.5, meanCv: NaN })).toBe(20);
    const long = Float64Array.of(1, 1, 1, 1, 100);
    // Mean 20.8 → 104; the longest is 100 ms → 100.01 → 200.
    expect(isiRangeMs({ isiMs: long, count: 5, cv: new Float64Array(0), meanIsiMs: 20.8, meanCv: NaN })).toBe(200);
  });
});
