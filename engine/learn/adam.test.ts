import { describe, it, expect } from 'vitest';
import { Adam } from './adam.ts';

describe('Adam', () => {
  it('moves every parameter by exactly the learning rate on its first step, against the gradient', () => {
    // With bias correction, m̂ = g and v̂ = g² after one step: Δθ = −lr·g/(|g| + ε).
    const theta = Float64Array.of(1, -2, 3);
    const adam = new Adam([theta], { lr: 0.1, eps: 0 });
    adam.step([Float64Array.of(5, -0.001, 2)]);
    expect(Array.from(theta)).toEqual([0.9, -1.9, 2.9].map((x) => expect.closeTo(x, 12) as unknown as number));
  });

  it('finds the minimum of a quadratic with different curvatures', () => {
    // f(θ) = ½·Σ c_k (θ_k − t_k)², gradient c_k (θ_k − t_k).
    const c = [1, 10, 100];
    const t = [3, -1, 0.5];
    const theta = new Float64Array(3);
    const g = new Float64Array(3);
    const adam = new Adam([theta], { lr: 0.05 });
    for (let i = 0; i < 3000; i++) {
      for (let k = 0; k < 3; k++) g[k] = c[k] * (theta[k] - t[k]);
      adam.step([g]);
    }
    for (let k = 0; k < 3; k++) expect(theta[k]).toBeCloseTo(t[k], 3);
  });

  it('scales the gradients before the moments (a batch mean), which leaves the first step unchanged', () => {
    const a = Float64Array.of(0);
    const b = Float64Array.of(0);
    new Adam([a], { lr: 0.1 }).step([Float64Array.of(4)], 0.25);
    new Adam([b], { lr: 0.1 }).step([Float64Array.of(1)]);
    expect(a[0]).toBeCloseTo(b[0], 12);
  });
});
