import { describe, expect, it } from 'vitest';
import { parseSweepBenchArgs } from './sweep.ts';

describe('bench:sweep options', () => {
  it('defaults to the issue’s case: 100 CUBA points of 1 s, every point also run one by one', () => {
    const o = parseSweepBenchArgs([]);
    expect([o.model, o.points, o.durationMs, o.oneByOne]).toEqual(['cuba', 100, 1000, 100]);
    expect(o.jobs).toBeGreaterThanOrEqual(1);
  });
  it('takes a tiny case, caps --one-by-one at the points, and names a bad option', () => {
    const o = parseSweepBenchArgs(['--model', 'poisson-ei', '--points', '4', '--duration-ms', '100', '--jobs', '2', '--one-by-one', '9']);
    expect([o.model, o.points, o.durationMs, o.jobs, o.oneByOne]).toEqual(['poisson-ei', 4, 100, 2, 4]);
    expect(() => parseSweepBenchArgs(['--points', '0'])).toThrow('--points needs a whole number ≥ 1');
    expect(() => parseSweepBenchArgs(['--model', 'x'])).toThrow('unknown model x');
  });
});
