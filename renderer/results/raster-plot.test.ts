import { describe, expect, it } from 'vitest';
import { lowerBound, packColor, plotSeries, type MarkSize } from './raster-plot.ts';
import type { RowBand, RowView, TimeView } from './raster-math.ts';

const W = 100;
const H = 10;

/** How a test draws: the time view, dt, the population's band, the visible rows and the mark (defaults: 0–100 ms at 1 ms, all 10 rows, 1 px marks). */
interface Arrange {
  readonly view?: TimeView;
  readonly dtMs?: number;
  readonly band?: RowBand;
  readonly rows?: number | RowView;
  readonly mark?: MarkSize;
}

/**
 * Plot spikes given as [neuron, step] pairs (steps in order) onto a fresh W×H buffer;
 * returns what plotSeries counted and the lit pixels as [x, y], sorted.
 */
function draw(pairs: [number, number][], { view = { t0Ms: 0, t1Ms: 100 }, dtMs = 1, band = { offset: 0, size: 10 }, rows = 10, mark = { width: 1, maxHeight: 1 } }: Arrange = {}) {
  const px = new Uint32Array(W * H);
  const data = { neuron: Int32Array.from(pairs.map((p) => p[0])), step: Int32Array.from(pairs.map((p) => p[1])), count: pairs.length };
  const n = plotSeries(px, W, { x: 0, y: 0, width: W, height: H }, view, dtMs, band, rows, data, 7, mark);
  const lit: [number, number][] = [];
  px.forEach((v, i) => {
    if (v !== 0) lit.push([i % W, Math.floor(i / W)]);
  });
  return { n, lit: lit.sort() };
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
  it('puts a spike of neuron n at step k at its row and time, one pixel each', () => {
    // dt 1 ms, view 0–100 ms: one pixel per ms. 10 rows of 1 px.
    const { n, lit } = draw([
      [0, 0],
      [4, 50],
      [9, 99],
    ]);
    expect(n).toBe(3);
    expect(lit).toEqual(
      [
        [0, 0],
        [50, 4],
        [99, 9],
      ].sort(),
    );
  });

  it('draws only spikes inside the half-open time window [t0, t1) and counts only those', () => {
    // View 20–70 ms over 100 px: 2 px per ms.
    const { n, lit } = draw(
      [
        [1, 10],
        [1, 20],
        [2, 45],
        [3, 70],
        [4, 71],
      ],
      { view: { t0Ms: 20, t1Ms: 70 } },
    );
    expect(n).toBe(2);
    expect(lit).toEqual([
      [0, 1],
      [50, 2],
    ]);
  });

  it('offsets a population by its band and skips neuron indices outside it', () => {
    const { n, lit } = draw(
      [
        [0, 5],
        [3, 6],
        [4, 7],
        [-1, 8],
      ],
      { band: { offset: 6, size: 4 } },
    );
    expect(n).toBe(2);
    expect(lit).toEqual(
      [
        [5, 6],
        [6, 9],
      ].sort(),
    );
  });

  it('scales time by dt: step 40 at dt 0.5 ms is at 20 ms', () => {
    expect(draw([[0, 40]], { dtMs: 0.5 }).lit).toEqual([[20, 0]]);
  });

  it('draws a mark as wide as asked and at most as tall as its row allows', () => {
    // 2 rows of 5 px: height min(8, floor(5 * 0.8)) = 4, centred (rows 5–8 for neuron 1).
    const { lit } = draw([[1, 10]], { band: { offset: 0, size: 2 }, rows: 2, mark: { width: 2, maxHeight: 8 } });
    expect(lit).toEqual(
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

  it('counts every one of a million spikes inside the view (typed arrays, one pass)', () => {
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
    const n = plotSeries(px, w, { x: 0, y: 0, width: w, height: h }, { t0Ms: 0, t1Ms: 1000 }, 0.1, { offset: 0, size: 1000 }, 1000, { neuron, step, count: N }, 7, { width: 2, maxHeight: 4 });
    expect(n).toBe(N);
    // Spikes fill every step 0…9999: at 0.8 px per ms every column has marks.
    const columns = new Set<number>();
    px.forEach((v, i) => v === 7 && columns.add(i % w));
    expect(columns.size).toBe(w);
  });

  it('with a row view draws only the visible neurons, stretched over the plot height', () => {
    // Rows 5..10 of 10 over 10 px: 2 px per row. Neuron 7 → rows 4–5 px; neuron 2 is off view.
    const { n, lit } = draw(
      [
        [7, 30],
        [2, 40],
      ],
      { view: { t0Ms: 0, t1Ms: 10 }, dtMs: 0.1, rows: { r0: 5, r1: 10 } },
    );
    expect(n).toBe(1);
    // Mark height floor(2 · 0.8) = 1 px, centred: y = floor(4 + 0.5) = 4; x = step 30 → 3 ms → 30 px.
    expect(lit).toEqual([[30, 4]]);
  });
});
