import { describe, expect, it } from 'vitest';
import { branchingFitLine, criticalitySummary, decadeLabel, logPos, logRange } from './criticality-plot.ts';
import { analyzeCriticality } from '../../engine/analysis/criticality.ts';

describe('criticality plot geometry', () => {
  it('spans the decades holding every positive value, ignoring zeros', () => {
    expect(logRange([0.003, 0, 42])).toEqual({ lo: -3, hi: 2 });
    expect(logRange([10, 10])).toEqual({ lo: 1, hi: 2 });
    expect(logRange([])).toEqual({ lo: 0, hi: 1 });
  });
  it('places values on a log axis: 10 halfway between 1 and 100', () => {
    expect(logPos(10, { lo: 0, hi: 2 }, 0, 200)).toBeCloseTo(100, 12);
    expect(logPos(1, { lo: 0, hi: 2 }, 300, 100)).toBe(300);
  });
  it('labels decades plainly near 1 and as powers beyond', () => {
    expect([-3, -2, -1, 0, 1, 3, 4].map(decadeLabel)).toEqual(['1e-3', '0.01', '0.1', '1', '10', '1000', '1e4']);
  });
  it('draws the fitted r_k = b·m^k', () => {
    expect(branchingFitLine(0.5, 0.9, 3).map((x) => +x.toFixed(6))).toEqual([0.45, 0.405, 0.3645]);
  });
  it('summarises an analysis in three lines: avalanches, m and crackling; then each fit', () => {
    const counts = Array.from({ length: 400 }, (_, k) => (k % 4 === 0 ? 1 : 0));
    const lines = criticalitySummary(analyzeCriticality(counts, 0.5, { binMs: 1 }));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^99 avalanches of 100 spikes in bins of 1 ms \(set\); branching ratio m = /);
    expect(lines[1]).toBe('sizes τ: nothing to fit (too few avalanches, or all of one size)');
    expect(lines[0]).toMatch(/; crackling noise: \(α − 1\)\/\(τ − 1\) = —, ⟨S⟩\(T\) ∝ T\^— fitted$/);
  });
});
