import { describe, it, expect } from 'vitest';
import { colormap, heatmapGrid, histogram, receptiveFields, sourceImageShape, tileGrid, weightRange } from './weight-math.ts';
import { newDocument } from '../../engine/format/load.ts';
import { defaultParams, getKind } from '../../engine/kinds/index.ts';
import type { DocNode } from '../../engine/format/document.ts';

describe('heatmapGrid', () => {
  it('gives every neuron its own cell when there is room, NaN where there is no synapse', () => {
    // 3 sources × 2 targets: 0→0 (0.1), 2→0 (0.3), 1→1 (0.2).
    const g = heatmapGrid([0, 2, 1], [0, 0, 1], [0.1, 0.3, 0.2], 3, 2, 100, 100);
    expect([g.cols, g.rows]).toEqual([3, 2]);
    const v = Array.from(g.values);
    expect(v[0]).toBeCloseTo(0.1, 6);
    expect(v[1]).toBeNaN();
    expect(v[2]).toBeCloseTo(0.3, 6);
    expect(v[3]).toBeNaN();
    expect(v[4]).toBeCloseTo(0.2, 6);
  });

  it('averages the synapses that share a cell when the matrix is larger than the canvas', () => {
    // 4 sources into 2 columns: sources 0,1 → column 0 and 2,3 → column 1.
    const g = heatmapGrid([0, 1, 2, 3], [0, 0, 0, 0], [1, 3, 5, 9], 4, 1, 2, 10);
    expect([g.cols, g.rows]).toEqual([2, 1]);
    expect(Array.from(g.values)).toEqual([2, 7]);
  });
});

describe('histogram', () => {
  it('counts equal bins, the upper bound in the last bin and values outside in none', () => {
    expect(Array.from(histogram([0, 0.24, 0.25, 0.5, 0.99, 1, 1.5, -0.1], 4, 0, 1))).toEqual([2, 1, 1, 2]);
  });

  it('puts everything in the first bin when the range is a single value', () => {
    expect(Array.from(histogram([2, 2, 2], 3, 2, 2))).toEqual([3, 0, 0]);
  });
});

describe('weightRange and receptiveFields', () => {
  it('finds the range, and (0, 0) for no weights', () => {
    expect(weightRange([0.3, -1, 2])).toEqual({ min: -1, max: 2 });
    expect(weightRange([])).toEqual({ min: 0, max: 0 });
  });

  it("lays out each target's incoming weights by source index, summing multapses", () => {
    expect(Array.from(receptiveFields([0, 1, 1, 0], [0, 0, 0, 1], [1, 2, 3, 4], 2, 2))).toEqual([1, 5, 4, 0]);
  });
});

describe('tileGrid and colormap', () => {
  it('arranges tiles as square-ish as the box allows', () => {
    expect(tileGrid(10, 1)).toEqual({ cols: 4, rows: 3 });
    expect(tileGrid(10, 5)).toEqual({ cols: 10, rows: 1 });
    expect(tileGrid(0, 1)).toEqual({ cols: 0, rows: 0 });
  });

  it('runs from dark to bright and clamps', () => {
    expect(colormap(0)).toEqual([68, 1, 84]);
    expect(colormap(1)).toEqual([253, 231, 37]);
    expect(colormap(-3)).toEqual(colormap(0));
    const lum = (c: number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    expect(lum(colormap(0.75))).toBeGreaterThan(lum(colormap(0.25)));
  });
});

describe('sourceImageShape', () => {
  function node(id: string, kind: string, params: Record<string, unknown> = {}): DocNode {
    return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
  }
  it("is the dataset's image shape when the projection starts at an encoder over the bundled digits", () => {
    const doc = newDocument();
    doc.nodes = [node('enc', 'rate-encoder', { input: 'digits' }), node('stdp', 'stdp'), node('poisson', 'poisson-source')];
    doc.edges = [{ id: 'e', source: { node: 'enc', port: 'spikes' }, target: { node: 'stdp', port: 'pre' }, params: {} }];
    expect(sourceImageShape(doc, 'stdp')).toEqual({ width: 8, height: 8 });
    doc.edges[0].source.node = 'poisson';
    expect(sourceImageShape(doc, 'stdp')).toBeNull();
  });
});
