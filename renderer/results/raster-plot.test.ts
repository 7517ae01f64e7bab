import { describe, expect, it } from 'vitest';
import { lowerBound, packColor, plotSeries } from './raster-plot.ts';

const W = 100;
const H = 10;

function series(pairs: [number, number][]) {
  return { neuron: Int32Array.from(pairs.map((p) => p[0])), step: Int32Array.from(pairs.map((p) => p[1])), count: pairs.length };
}

function lit(pixels: Uint32Array): [number, number][] {
  const out: [number, number][] = [];
  pixels.forEach((v, i) => {
    if (v !== 0) out.push([i % W, Math.floor(i / W)]);
  });
  return out;
}

describe('packColor', () => {
  it('packs #rrggbb into RGBA byte order for a little-endian Uint32 view', () => {
    const px = new Uint32Array([packColor('#102030')]);
    expect([...new Uint8Array(px.buffer)]).toEqual([0x10, 0x20, 0x30, 255]);
  });
});

describe('lowerBound', () => {
  it('finds the first index with a value ≥ x in a sorted prefix', () => {
    const a = Int32Array.from([1, 3, 3, 7, 99]);
    expect(lowerBound(a, 4, 3)).toBe(1);
    expect(lowerBound(a, 4, 4)).toBe(3);
    expect(lowerBound(a, 4, 100)).toBe(4); // the 99 lies beyond `count`
    expect(lowerBound(a, 4, -5)).toBe(0);
  });
});

describe('plotSeries', () => {
  const rect = { x: 0, y: 0, width: W, height: H };
  const mark = { width: 1, maxHeight: 1 };

  it('puts a spike of neuron n at step k at its row and time, one pixel each', () => {
    const px = new Uint32Array(W * H);
    // dt 1 ms, view 0–100 ms: one pixel per ms. 10 rows of 1 px.
    const n = plotSeries(
      px,
      W,
      rect,
      { t0Ms: 0, t1Ms: 100 },
      1,
      { offset: 0, size: 10 },
      10,
      series([
        [0, 0],
        [9, 99],
        [4, 50],
      ]),
      7,
      mark,
    );
    expect(n).toBe(3);
    expect(lit(px).sort()).toEqual(
      [
        [0, 0],
        [50, 4],
        [99, 9],
      ].sort(),
    );
  });

  it('draws only spikes inside the half-open time window [t0, t1) and counts only those', () => {
    const px = new Uint32Array(W * H);
    // View 20–70 ms over 100 px: 2 px per ms.
    const n = plotSeries(
      px,
      W,
      rect,
      { t0Ms: 20, t1Ms: 70 },
      1,
      { offset: 0, size: 10 },
      10,
      series([
        [1, 10],
        [1, 20],
        [2, 45],
        [3, 70],
        [4, 71],
      ]),
      7,
      mark,
    );
    expect(n).toBe(2);
    expect(lit(px).sort()).toEqual([
      [0, 1],
      [50, 2],
    ]);
  });

  it('offsets a population by its band and skips neuron indices outside it', () => {
    const px = new Uint32Array(W * H);
    const n = plotSeries(
      px,
      W,
      rect,
      { t0Ms: 0, t1Ms: 100 },
      1,
      { offset: 6, size: 4 },
      10,
      series([
        [0, 5],
        [3, 6],
        [4, 7],
        [-1, 8],
      ]),
      7,
      mark,
    );
    expect(n).toBe(2);
    expect(lit(px).sort()).toEqual(
      [
        [5, 6],
        [6, 9],
      ].sort(),
    );
  });

  it('scales time by dt: step 40 at dt 0.5 ms is at 20 ms', () => {
    const px = new Uint32Array(W * H);
    plotSeries(px, W, rect, { t0Ms: 0, t1Ms: 100 }, 0.5, { offset: 0, size: 10 }, 10, series([[0, 40]]), 7, mark);
    expect(lit(px)).toEqual([[20, 0]]);
  });

  it('draws a mark as wide as asked and at most as tall as its row allows', () => {
    const px = new Uint32Array(W * H);
    // 2 rows of 5 px: height min(4, floor(5 * 0.8)) = 4, centred.
    plotSeries(px, W, rect, { t0Ms: 0, t1Ms: 100 }, 1, { offset: 0, size: 2 }, 2, series([[1, 10]]), 7, { width: 2, maxHeight: 8 });
    expect(lit(px).sort()).toEqual(
      [
        [10, 5],
        [11, 5],
        [10, 6],
        [11, 6],
        [10, 7],
        [11, 7],
        [10, 8],
        [11, 8],
      ].sort(),
    );
  });

  it('plots a million spikes quickly (typed arrays, no per-spike allocation)', () => {
    const N = 1_000_000;
    const neuron = new Int32Array(N);
    const step = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      neuron[i] = (i * 7919) % 1000;
      step[i] = Math.floor(i / 100);
    }
    const w = 800;
    const h = 200;
    const px = new Uint32Array(w * h);
    const t0 = performance.now();
    const n = plotSeries(px, w, { x: 0, y: 0, width: w, height: h }, { t0Ms: 0, t1Ms: 1000 }, 0.1, { offset: 0, size: 1000 }, 1000, { neuron, step, count: N }, 7, { width: 2, maxHeight: 4 });
    const ms = performance.now() - t0;
    expect(n).toBe(N);
    // Generous bound for slow CI; typically ~10 ms.
    expect(ms).toBeLessThan(500);
  });

  it('with a row view draws only the visible neurons, stretched over the plot height', () => {
    const pixels = new Uint32Array(W * H);
    // Rows 5..10 of 10 over 10 px: 2 px per row. Neuron 7 → rows 4–5 px; neuron 2 is off view.
    const drawn = plotSeries(
      pixels,
      W,
      rect,
      { t0Ms: 0, t1Ms: 10 },
      0.1,
      { offset: 0, size: 10 },
      { r0: 5, r1: 10 },
      series([
        [7, 30],
        [2, 40],
      ]),
      1,
      { width: 1, maxHeight: 1 },
    );
    expect(drawn).toBe(1);
    // Mark height floor(2 · 0.8) = 1 px, centred: y = floor(4 + 0.5) = 4; x = step 30 → 3 ms → 30 px.
    expect(lit(pixels)).toEqual([[30, 4]]);
  });
});
