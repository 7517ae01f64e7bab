import { describe, expect, it } from 'vitest';
import { firstStepFrom, spikeStepOf, stepsOf } from './time.ts';

describe('milliseconds to steps', () => {
  it('rounds a duration to the nearest step, halves up, even when the decimal is not exact in binary', () => {
    expect(stepsOf(1.5, 0.1)).toBe(15);
    // 0.15 / 0.1 is 1.4999999999999998 in floating point: still a half, so it rounds up.
    expect(stepsOf(0.15, 0.1)).toBe(2);
    expect(stepsOf(0.14, 0.1)).toBe(1);
    expect(stepsOf(0.3, 0.1)).toBe(3);
    expect(stepsOf(-1, 0.1)).toBe(0);
  });

  it('puts an explicit spike time in the step that holds it, as Brian2 2.5.1 does (floor((t + 0.001·dt)/dt))', () => {
    // Brian2: SpikeGeneratorGroup(3, [0, 1, 2], [0.05, 0.06, 0.14]*ms) at dt 0.1 ms spikes at 0.0, 0.0 and 0.1 ms.
    expect(spikeStepOf(0.05, 0.1)).toBe(0);
    expect(spikeStepOf(0.06, 0.1)).toBe(0);
    expect(spikeStepOf(0.14, 0.1)).toBe(1);
    // 0.3 / 0.1 is 2.9999999999999996: the 0.001·dt shift keeps it on step 3.
    expect(spikeStepOf(0.3, 0.1)).toBe(3);
    expect(spikeStepOf(0.0999, 0.1)).toBe(1);
    expect(spikeStepOf(0.0998, 0.1)).toBe(0);
    expect(spikeStepOf(0, 0.1)).toBe(0);
    // Right at the shifted boundary Brian2's arithmetic in seconds decides: 2.0999 ms is step 20 there.
    expect(spikeStepOf(2.0999, 0.1)).toBe(20);
  });

  it('puts an onset at the first step that starts at or after it', () => {
    // 0.3 / 0.1 is 2.9999999999999996: the onset is step 3, not step 3 rounded up past it.
    expect(firstStepFrom(0.3, 0.1)).toBe(3);
    expect(firstStepFrom(0.31, 0.1)).toBe(4);
    expect(firstStepFrom(0.05, 0.1)).toBe(1);
    expect(firstStepFrom(0, 0.1)).toBe(0);
  });
});
