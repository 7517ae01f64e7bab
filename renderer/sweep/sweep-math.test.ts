import { describe, expect, it } from 'vitest';
import { axisOf, axisTitle, colourOf, extent, parseRow, rowOf, secondsLeft, shortNumber, summarize, ticks } from './sweep-math.ts';
import { parseSet, type SweepRow } from '../../engine/compile/sweep.ts';

const row = (point: number, seed: number, x: number, spikes: number | null): SweepRow => ({ point, seed, values: { 'a.x': x }, metrics: spikes === null ? null : { spikes } });

describe('sweep panel maths', () => {
  it('titles an axis that sets several fields by its first field and how many more, and cuts a long one', () => {
    expect(axisTitle('exc.tau_m_ms')).toBe('exc.tau_m_ms');
    expect(axisTitle('ee_uu.weight+ee_ud.weight+ie_u.weight')).toBe('ee_uu.weight + 2 more');
    const long = axisTitle('a'.repeat(80), 20);
    expect([long.length, long.endsWith('…')]).toEqual([20, true]);
  });

  it('parses a parameter row as --set does, and names what is wrong without the --set prefix', () => {
    const ok = parseRow({ target: ' exc.tau_m_ms ', values: '10:20:5' });
    expect(ok.ok && ok.set.values).toEqual([10, 15, 20]);
    const bad = parseRow({ target: 'exc.tau_m_ms', values: '20:10:5' });
    expect(bad).toEqual({ ok: false, message: 'exc.tau_m_ms: a range needs FROM ≤ TO (got "20:10:5")' });
    expect(rowOf('w.weight=log:0.1:10:3')).toEqual({ target: 'w.weight', values: 'log:0.1:10:3' });
  });

  it('summarises each point over its seeds (mean of the finished ones; a failed run is left out)', () => {
    const s = summarize([row(1, 2, 5, 30), row(0, 1, 0, 10), row(0, 2, 0, 20), row(1, 1, 5, null)], 'spikes');
    expect(s).toEqual([
      {
        point: 0,
        values: { 'a.x': 0 },
        seeds: [
          { seed: 1, value: 10 },
          { seed: 2, value: 20 },
        ],
        mean: 15,
      },
      { point: 1, values: { 'a.x': 5 }, seeds: [{ seed: 2, value: 30 }], mean: 30 },
    ]);
    expect(summarize([row(0, 1, 0, null)], 'spikes')[0].mean).toBeNull();
  });

  it('places numbers on a numeric axis and words by their index', () => {
    const n = axisOf(parseSet('a.x=0.5,2,8'));
    expect([n.numeric, n.position(2), n.min, n.max]).toEqual([true, 2, 0.5, 8]);
    const w = axisOf(parseSet('a.mode=exc,inh'));
    expect([w.numeric, w.position('inh'), w.min, w.max]).toEqual([false, 1, 0, 1]);
  });

  it('gives round ticks, extents that skip nulls, viridis ends, and the time left from the pace so far', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(12, 87)).toEqual([20, 40, 60, 80]);
    expect(extent([3, null, -1, NaN, 7])).toEqual({ min: -1, max: 7 });
    expect(extent([null])).toBeNull();
    expect([colourOf(0), colourOf(1), colourOf(2)]).toEqual(['rgb(68, 1, 84)', 'rgb(253, 231, 37)', 'rgb(253, 231, 37)']);
    // 4 of 10 runs in 8 s: 2 s a run, 6 left, 12 s.
    expect(secondsLeft(4, 10, 8000)).toBe(12);
    expect(secondsLeft(0, 10, 8000)).toBeNull();
    expect([shortNumber(0.123456), shortNumber(123456), shortNumber(null)]).toEqual(['0.1235', '1.23e+5', '–']);
  });
});
