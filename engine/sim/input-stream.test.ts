import { describe, it, expect } from 'vitest';
import { InputStream } from './input-stream.ts';
import { bundledDataset } from './bundled-datasets.ts';
import { sampleValues } from './dataset.ts';

const digits = bundledDataset('digits');
// dt 0.1 ms: 5 ms presentations (50 steps), 2 ms rests (20 steps), a period of 70 steps.
const timing = { dtMs: 0.1, presentationMs: 5, restMs: 2 };

describe('input stream (the dataset source of every encoder)', () => {
  it('shows presentation k in steps [70k, 70k + 50) and rests for the 20 steps after', () => {
    const s = new InputStream(digits, timing, { first: 0, count: 0, shuffle: false, seed: 1 });
    expect(s.presentationSteps).toBe(50);
    expect(s.restSteps).toBe(20);
    expect([0, 49, 50, 69, 70, 119, 120, 140].map((n) => s.presentation(n))).toEqual([0, 0, 0, 0, 1, 1, 1, 2]);
    expect([0, 49, 50, 69, 70].map((n) => s.showing(n))).toEqual([true, true, false, false, true]);
    // The segment changes exactly at onsets and rest starts.
    const changes: number[] = [];
    for (let n = 1; n < 300; n++) if (s.segment(n) !== s.segment(n - 1)) changes.push(n);
    expect(changes).toEqual([50, 70, 120, 140, 190, 210, 260, 280]);
  });

  it("writes the shown sample's values during a presentation and zeros during a rest", () => {
    const s = new InputStream(digits, timing, { first: 10, count: 5, shuffle: false, seed: 1 });
    const out = new Float64Array(64);
    s.vectorAt(75, out);
    expect([...out]).toEqual([...sampleValues(digits, 11)]);
    s.vectorAt(55, out);
    expect(out.every((x) => x === 0)).toBe(true);
  });

  it('in order, shows the subset first … first + count − 1 and starts over', () => {
    const s = new InputStream(digits, timing, { first: 100, count: 3, shuffle: false, seed: 1 });
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => s.sampleOf(k))).toEqual([100, 101, 102, 100, 101, 102, 100]);
    expect(s.labelAt(70)).toBe(digits.labels[101]);
    expect(s.labelAt(60)).toBe(-1);
  });

  it('shuffled, shows every sample of the subset once per pass, in an order fixed by the seed alone', () => {
    const mk = (seed: number) => new InputStream(digits, timing, { first: 20, count: 50, shuffle: true, seed });
    const a = mk(7);
    const pass0 = Array.from({ length: 50 }, (_, k) => a.sampleOf(k));
    const pass1 = Array.from({ length: 50 }, (_, k) => a.sampleOf(50 + k));
    const subset = Array.from({ length: 50 }, (_, k) => 20 + k);
    expect([...pass0].sort((x, y) => x - y)).toEqual(subset);
    expect([...pass1].sort((x, y) => x - y)).toEqual(subset);
    expect(pass0).not.toEqual(subset);
    expect(pass1).not.toEqual(pass0);
    // Same seed, same order, even when asked out of order; another seed, another order.
    const b = mk(7);
    expect(b.sampleOf(60)).toBe(pass1[10]);
    expect(b.sampleOf(3)).toBe(pass0[3]);
    expect(Array.from({ length: 50 }, (_, k) => mk(8).sampleOf(k))).not.toEqual(pass0);
  });

  it('repeats a fixed vector in every presentation and has no label', () => {
    const s = new InputStream([0.25, 1], { dtMs: 0.1, presentationMs: 1, restMs: 0 });
    const out = new Float64Array(2);
    s.vectorAt(1234, out);
    expect([...out]).toEqual([0.25, 1]);
    expect(s.sampleOf(5)).toBe(-1);
    expect(s.labelAt(0)).toBe(-1);
  });

  it('refuses a subset that runs past the dataset', () => {
    expect(() => new InputStream(digits, timing, { first: 1790, count: 10, shuffle: false, seed: 1 })).toThrow(/1790…1799 run past the dataset \(1797 samples\)/);
  });
});
