import { describe, it, expect } from 'vitest';
import { formatRate, sparkPath } from './sparkline.ts';

describe('sparkPath', () => {
  it('spans the width, puts zero at the bottom and leaves a quarter of headroom above the maximum', () => {
    // 3 points over 64 px: x = 0, 32, 64; top = 1.25 · 8 = 10; y = 15.5 − v/10 · 15.
    expect(sparkPath([0, 8, 4], 64, 16)).toBe('M0.0 15.5L32.0 3.5L64.0 9.5');
  });

  it('scales to a given top value', () => {
    expect(sparkPath([0, 10, 5], 64, 16, 10)).toBe('M0.0 15.5L32.0 0.5L64.0 8.0');
  });

  it('breaks the line where there is no data yet', () => {
    expect(sparkPath([NaN, 2, NaN, 2], 30, 16, 2)).toBe('M10.0 0.5M30.0 0.5');
  });

  it('draws a silent population as a flat line at the bottom', () => {
    expect(sparkPath([0, 0], 10, 16)).toBe('M0.0 15.5L10.0 15.5');
  });
});

describe('formatRate', () => {
  it('keeps one decimal below 10 Hz and switches to kHz at 1000', () => {
    expect(formatRate(0)).toBe('0 Hz');
    expect(formatRate(3.44)).toBe('3.4 Hz');
    expect(formatRate(12.6)).toBe('13 Hz');
    expect(formatRate(1234)).toBe('1.2 kHz');
  });
});
