import { describe, expect, it } from 'vitest';
import { firstStepFrom, stepsOf } from './time.ts';

describe('milliseconds to steps', () => {
  it('rounds a duration to the nearest step, halves up, even when the decimal is not exact in binary', () => {
    expect(stepsOf(1.5, 0.1)).toBe(15);
    // 0.15 / 0.1 is 1.4999999999999998 in floating point: still a half, so it rounds up.
    expect(stepsOf(0.15, 0.1)).toBe(2);
    expect(stepsOf(0.14, 0.1)).toBe(1);
    expect(stepsOf(0.3, 0.1)).toBe(3);
    expect(stepsOf(-1, 0.1)).toBe(0);
  });

  it('puts an onset at the first step that starts at or after it', () => {
    // 0.3 / 0.1 is 2.9999999999999996: the onset is step 3, not step 3 rounded up past it.
    expect(firstStepFrom(0.3, 0.1)).toBe(3);
    expect(firstStepFrom(0.31, 0.1)).toBe(4);
    expect(firstStepFrom(0.05, 0.1)).toBe(1);
    expect(firstStepFrom(0, 0.1)).toBe(0);
  });
});
