import { describe, it, expect } from 'vitest';
import { SURROGATES, smoothSpike, surrogateGrad } from './surrogate.ts';

describe('surrogates', () => {
  for (const kind of SURROGATES) {
    it(`${kind}: the surrogate is the derivative of its smooth step`, () => {
      for (const slope of [1, 5, 25]) {
        for (const x of [-2, -0.3, -0.01, 0.02, 0.4, 3]) {
          const fd = (smoothSpike(kind, x + 1e-6, slope) - smoothSpike(kind, x - 1e-6, slope)) / 2e-6;
          expect(surrogateGrad(kind, x, slope)).toBeCloseTo(fd, 6);
        }
      }
    });

    it(`${kind}: steps from 0 to 1 through ½ at the threshold, with slope k/2 there`, () => {
      expect(smoothSpike(kind, 0, 5)).toBe(0.5);
      expect(smoothSpike(kind, -100, 5)).toBeLessThan(0.01);
      expect(smoothSpike(kind, 100, 5)).toBeGreaterThan(0.99);
      expect(surrogateGrad(kind, 0, 5)).toBeCloseTo(2.5, 12);
    });
  }

  it('fast sigmoid: ½k / (1 + k|x|)² by hand', () => {
    expect(surrogateGrad('fast-sigmoid', 0.5, 2)).toBeCloseTo(1 / 4, 12);
    expect(surrogateGrad('fast-sigmoid', -0.5, 2)).toBeCloseTo(1 / 4, 12);
  });
});
