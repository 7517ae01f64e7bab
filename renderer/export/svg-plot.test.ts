import { describe, it, expect } from 'vitest';
import { MAX_SVG_POINTS, escapeXml, isiSvg, learningSvg, rasterSvg, statsSvg, thinningStride, traceSvg } from './svg-plot.ts';
import { isiPopulations } from '../results/isi-math.ts';
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

describe('isiSvg and learningSvg', () => {
  it("draws one ISI and one CV histogram path per population, with each population's means in the legend", () => {
    // Neuron 0 fires every 10 steps (ISI 1 ms at dt 0.1, CV 0); neuron 1 at steps 0, 10, 30 (ISIs 1 and 2 ms).
    const series = [
      { label: 'A', neuron: Int32Array.of(0, 1, 0, 1, 0, 1), step: Int32Array.of(0, 0, 10, 10, 20, 30), count: 6, size: 2 },
      { label: 'B', neuron: Int32Array.of(0, 0), step: Int32Array.of(5, 45), count: 2, size: 1 },
    ];
    const svg = isiSvg('m: ISI and CV', isiPopulations({ series }, 0.1));
    expect(svg.match(/<path class="histogram" data-population="A"/g)).toHaveLength(2);
    expect(svg.match(/<path class="histogram" data-population="B"/g)).toHaveLength(2);
    // A: intervals 1, 1, 1, 2 ms → mean 1.25; CVs 0 (neuron 0) and 1/3 (neuron 1) → mean 0.167.
    expect(svg).toContain('A: mean ISI 1.25 ms (4 intervals), mean CV 0.167 (2 neurons)');
    // B: one interval of 4 ms, no neuron with two intervals.
    expect(svg).toContain('B: mean ISI 4.00 ms (1 intervals), no CV');
  });

  it('draws the loss (scaled to its maximum) and both accuracies as polylines, skipping epochs without a test accuracy', () => {
    const svg = learningSvg('curve', [
      { epoch: 1, loss: 2, trainAccuracy: 0.5, testAccuracy: null },
      { epoch: 2, loss: 1, trainAccuracy: 0.75, testAccuracy: 0.7 },
    ]);
    const lines = [...svg.matchAll(/<polyline class="curve" data-line="([^"]+)"[^>]*points="([^"]+)"/g)].map((m) => [m[1], m[2].split(' ').length]);
    expect(lines).toEqual([
      ['loss ÷ 2', 2],
      ['train accuracy', 2],
      ['test accuracy', 1],
    ]);
    expect(svg).toContain('epoch 2');
  });
});
