import { describe, expect, it } from 'vitest';
import { fullRows, panRows, rowToNeuron, zoomRows, clampView, formatTick, fullView, layoutRows, niceTicks, panView, timeToX, wheelZoomFactor, xToTime, zoomView } from './raster-math.ts';

describe('zoomView', () => {
  it('keeps the time under the cursor at the same place on screen', () => {
    const v = { t0Ms: 0, t1Ms: 1000 };
    const z = zoomView(v, 250, 0.5, 1000, 1);
    expect(z.t1Ms - z.t0Ms).toBeCloseTo(500, 9);
    // 250 ms was a quarter of the way across; it still is.
    expect((250 - z.t0Ms) / (z.t1Ms - z.t0Ms)).toBeCloseTo(0.25, 9);
    expect(z.t0Ms).toBeCloseTo(125, 9);
  });

  it('never zooms out past the run nor in past the minimum span', () => {
    expect(zoomView({ t0Ms: 100, t1Ms: 300 }, 200, 100, 1000, 1)).toEqual({ t0Ms: 0, t1Ms: 1000 });
    const z = zoomView({ t0Ms: 0, t1Ms: 10 }, 5, 0.0001, 1000, 2);
    expect(z.t1Ms - z.t0Ms).toBeCloseTo(2, 9);
    expect(z.t0Ms).toBeCloseTo(4, 9);
  });

  it('slides the window back inside the run when zooming out near an edge', () => {
    const z = zoomView({ t0Ms: 900, t1Ms: 1000 }, 990, 4, 1000, 1);
    expect(z).toEqual({ t0Ms: 600, t1Ms: 1000 });
  });
});

describe('panView', () => {
  it('shifts the window and stops at the ends of the run', () => {
    expect(panView({ t0Ms: 100, t1Ms: 200 }, 50, 1000)).toEqual({ t0Ms: 150, t1Ms: 250 });
    expect(panView({ t0Ms: 100, t1Ms: 200 }, -500, 1000)).toEqual({ t0Ms: 0, t1Ms: 100 });
    expect(panView({ t0Ms: 100, t1Ms: 200 }, 5000, 1000)).toEqual({ t0Ms: 900, t1Ms: 1000 });
  });
});

describe('clampView and fullView', () => {
  it('shrinks a window longer than the run to the run', () => {
    expect(clampView({ t0Ms: -50, t1Ms: 2000 }, 1000)).toEqual({ t0Ms: 0, t1Ms: 1000 });
  });
  it('shows the whole run, and a 1 ms window when there is no run yet', () => {
    expect(fullView(250)).toEqual({ t0Ms: 0, t1Ms: 250 });
    expect(fullView(0)).toEqual({ t0Ms: 0, t1Ms: 1 });
  });
});

describe('time ↔ x', () => {
  it('are inverse maps over the plot width', () => {
    const v = { t0Ms: 200, t1Ms: 600 };
    expect(timeToX(200, v, 100, 800)).toBe(100);
    expect(timeToX(600, v, 100, 800)).toBe(900);
    expect(timeToX(300, v, 100, 800)).toBe(300);
    expect(xToTime(300, v, 100, 800)).toBe(300);
  });
});

describe('wheelZoomFactor', () => {
  it('zooms in on scroll up, out on scroll down, symmetrically, and bounds one event', () => {
    expect(wheelZoomFactor(-100)).toBeLessThan(1);
    expect(wheelZoomFactor(100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
    expect(wheelZoomFactor(1e6)).toBeCloseTo(Math.E, 12);
  });
});

describe('niceTicks', () => {
  it('picks steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1000, 5)).toEqual({ step: 200, ticks: [0, 200, 400, 600, 800, 1000] });
    expect(niceTicks(0, 100, 10).step).toBe(10);
    expect(niceTicks(0, 1, 4).step).toBe(0.5);
  });

  it('starts at the first multiple inside the window and has no float noise', () => {
    const { step, ticks } = niceTicks(0.25, 0.95, 7);
    expect(step).toBe(0.1);
    expect(ticks).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('returns nothing for an empty window', () => {
    expect(niceTicks(5, 5, 4).ticks).toEqual([]);
  });
});

describe('formatTick', () => {
  it('shows as many decimals as the step needs', () => {
    expect(formatTick(400, 200)).toBe('400');
    expect(formatTick(0.3, 0.1)).toBe('0.3');
    expect(formatTick(0.25, 0.05)).toBe('0.25');
  });
});

describe('layoutRows', () => {
  it('stacks populations with a gap of 2% of all rows (at least one) between them', () => {
    expect(layoutRows([3200, 800])).toEqual({
      bands: [
        { offset: 0, size: 3200 },
        { offset: 3280, size: 800 },
      ],
      totalRows: 4080,
    });
    expect(layoutRows([10, 5])).toEqual({
      bands: [
        { offset: 0, size: 10 },
        { offset: 11, size: 5 },
      ],
      totalRows: 16,
    });
  });
  it('puts a single population alone, with no gap', () => {
    expect(layoutRows([100])).toEqual({ bands: [{ offset: 0, size: 100 }], totalRows: 100 });
  });
});

describe('the neuron axis', () => {
  it('zooms rows around the row under the cursor and never below the minimum', () => {
    const z = zoomRows(fullRows(100), 25, 0.5, 100);
    expect(z.r1 - z.r0).toBeCloseTo(50, 9);
    expect(z.r0).toBeCloseTo(12.5, 9);
    expect(zoomRows({ r0: 10, r1: 20 }, 15, 0.01, 100, 4)).toEqual({ r0: 13, r1: 17 });
  });

  it('pans rows and stops at the first and last row', () => {
    expect(panRows({ r0: 10, r1: 20 }, 5, 100)).toEqual({ r0: 15, r1: 25 });
    expect(panRows({ r0: 10, r1: 20 }, 500, 100)).toEqual({ r0: 90, r1: 100 });
    expect(panRows({ r0: 10, r1: 20 }, -50, 100)).toEqual({ r0: 0, r1: 10 });
  });

  it('maps a row to its population and neuron, and a gap to nothing', () => {
    const { bands } = layoutRows([100, 50]);
    // Gap of round(150 · 0.02) = 3 rows: the second band starts at row 103.
    expect(rowToNeuron(42.7, bands)).toEqual({ band: 0, neuron: 42 });
    expect(rowToNeuron(101, bands)).toBeNull();
    expect(rowToNeuron(103.2, bands)).toEqual({ band: 1, neuron: 0 });
    expect(rowToNeuron(153, bands)).toBeNull();
  });

  it('clamps a time window into a domain that does not start at zero (a kept window)', () => {
    expect(panView({ t0Ms: 500, t1Ms: 600 }, -400, 1000, 400)).toEqual({ t0Ms: 400, t1Ms: 500 });
    expect(zoomView({ t0Ms: 450, t1Ms: 550 }, 500, 100, 1000, 1, 400)).toEqual({ t0Ms: 400, t1Ms: 1000 });
  });
});
