import { describe, expect, it } from 'vitest';
import { nearestSpike } from './raster-hit.ts';

const series = (pairs: [number, number][]) => ({ neuron: Int32Array.from(pairs.map((p) => p[0])), step: Int32Array.from(pairs.map((p) => p[1])), count: pairs.length });

// 100 × 100 px showing 0–100 ms and rows 0–10: 1 ms and 0.1 row per px (rows 10 px tall).
const base = { width: 100, height: 100, view: { t0Ms: 0, t1Ms: 100 }, rows: { r0: 0, r1: 10 }, dtMs: 0.1, radiusPx: 8 };

describe('nearestSpike', () => {
  const pop = series([
    [2, 100],
    [5, 120],
    [2, 150],
  ]);

  it('finds the spike nearest the cursor in screen pixels', () => {
    // Cursor at 11 ms, middle of row 2: the spike of neuron 2 at 10 ms is 1 px away,
    // neuron 5 at 12 ms is 30 px away (three rows down), neuron 2 at 15 ms 4 px.
    const hit = nearestSpike([pop], [{ offset: 0, size: 10 }], { ...base, x: 11, y: 25 });
    expect(hit).toEqual({ series: 0, neuron: 2, step: 100, tMs: 10, distancePx: 1 });
    expect(nearestSpike([pop], [{ offset: 0, size: 10 }], { ...base, x: 14, y: 25 })).toMatchObject({ neuron: 2, step: 150, distancePx: 1 });
  });

  it('returns nothing when no spike is within the radius', () => {
    expect(nearestSpike([pop], [{ offset: 0, size: 10 }], { ...base, x: 50, y: 50 })).toBeNull();
  });

  it('finds a spike of the second population through its band and a zoomed row view', () => {
    const other = series([[1, 100]]);
    // Rows 12–14 over 100 px: 50 px per row; neuron 1 of the band at 12 is row 13, middle at y = 75.
    const hit = nearestSpike(
      [pop, other],
      [
        { offset: 0, size: 10 },
        { offset: 12, size: 3 },
      ],
      { ...base, rows: { r0: 12, r1: 14 }, x: 10, y: 70 },
    );
    expect(hit).toEqual({ series: 1, neuron: 1, step: 100, tMs: 10, distancePx: expect.closeTo(5, 9) });
  });
});
