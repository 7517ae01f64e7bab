import { describe, it, expect } from 'vitest';
import { MAX_SVG_POINTS, escapeXml, rasterSvg, statsSvg, thinningStride, traceSvg } from './svg-plot.ts';
import type { RunStats } from '../../engine/sim/stats.ts';

const ticksIn = (svg: string, pop: string) => (svg.match(new RegExp(`data-population="${pop}"[^>]* d="([^"]*)"`))![1].match(/M/g) ?? []).length;

describe('rasterSvg', () => {
  it('draws one tick per spike at its time and row, one path per population', () => {
    const svg = rasterSvg(
      'r',
      {
        populations: [
          { population: 'a', neuron: Int32Array.from([0, 1]), tMs: Float64Array.from([0, 100]) },
          { population: 'b', neuron: Int32Array.from([2]), tMs: Float64Array.from([50]) },
        ],
      },
      [2, 3],
      100,
    );
    expect(ticksIn(svg, 'a')).toBe(2);
    expect(ticksIn(svg, 'b')).toBe(1);
    // Plot x runs from 110 to 940 (830 px) for 0–100 ms; 5 rows share 354 px (70.8 each) from y = 30.
    expect(svg).toContain('d="M110 30v');
    expect(svg).toContain('M940 100.8v');
    expect(svg).toContain('M525 313.2v');
    expect(svg).not.toContain('decimated');
  });

  it('thins a raster over the point cap evenly and says so in a comment', () => {
    const n = MAX_SVG_POINTS * 2 + 10;
    const svg = rasterSvg('r', { populations: [{ population: 'p', neuron: new Int32Array(n), tMs: new Float64Array(n) }] }, [1], 10);
    expect(thinningStride(n)).toBe(3);
    expect(ticksIn(svg, 'p')).toBe(Math.ceil(n / 3));
    expect(svg).toMatch(/<!-- decimated: 1 in every 3 spikes of each population is drawn \(\d+ of 400010\)/);
  });
});

describe('traceSvg', () => {
  it('draws a polyline per recorded neuron, and rates as steps holding over each bin', () => {
    const state = traceSvg(
      't',
      { records: 'state', variable: 'v', populations: [{ population: 'e', neurons: Int32Array.from([0, 4]), tMs: Float64Array.from([0, 1, 2]), values: Float32Array.from([1, 2, 3, 4, 5, 6]) }] },
      'v (mV)',
      2,
    );
    expect(state.match(/<polyline/g)).toHaveLength(2);
    expect(state).toContain('data-line="e n4"');
    const rate = traceSvg('t', { records: 'rate', populations: [{ population: 'e', tMs: Float64Array.from([0, 5]), rateHz: Float64Array.from([10, 20]) }] }, 'rate (Hz)', 10);
    const points = rate.match(/points="([^"]*)"/)![1].split(' ');
    // Two points per bin (start and end), at the same height.
    expect(points).toHaveLength(4);
    expect(points[0].split(',')[1]).toBe(points[1].split(',')[1]);
    expect(points[1].split(',')[0]).toBe(points[2].split(',')[0]);
  });
});

describe('statsSvg and escaping', () => {
  it('lists each population with its spikes, escaping labels', () => {
    const stats = { populations: [{ nodeId: 'x', kind: 'lif', size: 3, spikes: 7, rate_hz: 2.5 }], spikes: 7, neurons: 3, mean_rate_hz: 2.5, synaptic_events: 0 } as unknown as RunStats;
    const svg = statsSvg('s', stats, () => 'A<&>B');
    expect(svg).toContain('>A&lt;&amp;&gt;B</text>');
    expect(svg).toContain('>7</text>');
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });
});
