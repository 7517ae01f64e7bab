import { describe, it, expect } from 'vitest';
import { argmax, softmaxCrossEntropy } from './loss.ts';

describe('cross-entropy on logits', () => {
  it("gives −log of the label's softmax share and the gradient softmax − onehot", () => {
    const g = new Float64Array(3);
    const loss = softmaxCrossEntropy([0, Math.log(2), Math.log(5)], 1, g);
    // softmax = [1, 2, 5] / 8
    expect(loss).toBeCloseTo(-Math.log(2 / 8), 12);
    expect(g[0]).toBeCloseTo(1 / 8, 12);
    expect(g[1]).toBeCloseTo(2 / 8 - 1, 12);
    expect(g[2]).toBeCloseTo(5 / 8, 12);
  });

  it('has the gradient of central finite differences', () => {
    const z = [1.3, -0.2, 4, 2.2];
    const g = new Float64Array(4);
    softmaxCrossEntropy(z, 2, g);
    const tmp = new Float64Array(4);
    for (let c = 0; c < 4; c++) {
      const up = z.slice();
      const dn = z.slice();
      up[c] += 1e-6;
      dn[c] -= 1e-6;
      const fd = (softmaxCrossEntropy(up, 2, tmp) - softmaxCrossEntropy(dn, 2, tmp)) / 2e-6;
      expect(g[c]).toBeCloseTo(fd, 7);
    }
  });

  it('stays finite for spike counts far apart', () => {
    const g = new Float64Array(2);
    expect(softmaxCrossEntropy([1000, 0], 0, g)).toBeCloseTo(0, 12);
    expect(softmaxCrossEntropy([1000, 0], 1, g)).toBeCloseTo(1000, 9);
  });

  it('breaks ties to the lowest index', () => {
    expect(argmax([0, 3, 3, 1])).toBe(1);
    expect(argmax([0, 0])).toBe(0);
  });
});
