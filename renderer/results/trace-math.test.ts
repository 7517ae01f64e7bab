import { describe, expect, it } from 'vitest';
import { binEdgeTime, columnEnvelope, lineRange, padRange, traceRowTime, visibleRows } from './trace-math.ts';

const g = { startStep: 0, everySteps: 10, centre: 0, rows: 100 }; // a row every 1 ms at dt 0.1

describe('trace rows', () => {
  it('place row r at (start + r·every + centre)·dt', () => {
    expect(traceRowTime(g, 5, 0.1)).toBeCloseTo(5, 12);
    expect(traceRowTime({ ...g, startStep: 30, centre: 5 }, 0, 0.1)).toBeCloseTo(3.5, 12);
  });

  it('put a rate bin between its edges, with the bin centre halfway', () => {
    const bins = { startStep: 100, everySteps: 50, centre: 25, rows: 4 }; // 5 ms bins from 10 ms at dt 0.1
    expect(binEdgeTime(bins, 0, 0.1)).toBeCloseTo(10, 12);
    expect(binEdgeTime(bins, 1, 0.1)).toBeCloseTo(15, 12);
    expect(traceRowTime(bins, 0, 0.1)).toBeCloseTo((binEdgeTime(bins, 0, 0.1) + binEdgeTime(bins, 1, 0.1)) / 2, 12);
  });

  it('find the rows inside a window, one extra on each side, within the data', () => {
    expect(visibleRows(g, { t0Ms: 20, t1Ms: 30 }, 0.1)).toEqual([19, 32]);
    expect(visibleRows(g, { t0Ms: 0, t1Ms: 1000 }, 0.1)).toEqual([0, 100]);
    expect(visibleRows({ ...g, rows: 0 }, { t0Ms: 0, t1Ms: 10 }, 0.1)).toEqual([0, 0]);
    expect(visibleRows(g, { t0Ms: 500, t1Ms: 600 }, 0.1)).toEqual([0, 0]);
  });
});

describe('value ranges', () => {
  it('span one line of interleaved values', () => {
    const v = Float32Array.of(1, -5, 2, 9, 3, 0); // two lines
    expect(lineRange(v, 2, 0, 0, 3)).toEqual([1, 3]);
    expect(lineRange(v, 2, 1, 0, 3)).toEqual([-5, 9]);
  });
  it('get headroom, and a flat line gets a visible range', () => {
    expect(padRange(0, 100)).toEqual([-6, 106]);
    expect(padRange(-65, -65)).toEqual([-71.5, -58.5]);
    expect(padRange(0, 0)).toEqual([-1, 1]);
    expect(padRange(Infinity, -Infinity)).toEqual([0, 1]);
  });
});

describe('columnEnvelope', () => {
  it('keeps the min and max of the samples in each pixel column', () => {
    const v = Float32Array.of(1, 5, 3, 2, 8, 4);
    // Two samples per column: rows 0,1 → column 0; 2,3 → 1; 4,5 → 2.
    const env = columnEnvelope(v, 1, 0, 0, 6, 4, (r) => r / 2);
    expect(Array.from(env.min)).toEqual([1, 2, 4, NaN]);
    expect(Array.from(env.max)).toEqual([5, 3, 8, NaN]);
  });
});
