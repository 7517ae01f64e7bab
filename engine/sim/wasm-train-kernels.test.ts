import { describe, it, expect } from 'vitest';
import { strideOf, trainKernels } from './wasm-train-kernels.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';

describe('wasm float32 training kernels', () => {
  // One slot of 5 sources × 33 targets (rows padded to 48 floats): W[i, j] = i + j/100.
  const setUp = () => {
    const k = trainKernels([
      [7, 10],
      [5, 33],
    ])!;
    const s = k.slots[1];
    for (let i = 0; i < 5; i++) for (let j = 0; j < 33; j++) s.w[i * s.stride + j] = i + j / 100;
    return { k, s };
  };

  it('pad each row to whole blocks of 16 floats', () => {
    expect([strideOf(10), strideOf(16), strideOf(33), strideOf(128)]).toEqual([16, 16, 48, 128]);
    const { k } = setUp();
    expect(k.slots.map((s) => [s.ns, s.nt, s.stride, s.w.length])).toEqual([
      [7, 10, 16, 7 * 16],
      [5, 33, 48, 5 * 48],
    ]);
  });

  it('fwd sums the listed rows times the factor, and leaves the padding zero', () => {
    const { k, s } = setUp();
    k.rows.set([0, 3, 4]);
    k.fwd(k.rowsAddr, 3, s.wAddr, s.stride * 4, k.yAddr, -2);
    // y[j] = −2 · ((0 + 3 + 4) + 3·j/100)
    for (const j of [0, 5, 32]) expect(k.y[j]).toBeCloseTo(-2 * (7 + (3 * j) / 100), 5);
    expect(Math.abs(k.y[33])).toBe(0);
  });

  it('outer adds gi to every listed row of the gradient, the others untouched', () => {
    const { k, s } = setUp();
    k.rows.set([0, 3]);
    for (let j = 0; j < 33; j++) k.gi[j] = j;
    k.outer(k.rowsAddr, 2, s.gAddr, s.stride * 4, k.giAddr);
    k.outer(k.rowsAddr, 2, s.gAddr, s.stride * 4, k.giAddr);
    expect([s.g[3 * s.stride + 32], s.g[5], s.g[s.stride + 5]]).toEqual([64, 10, 0]);
  });

  it('dots gives every row of W times gi', () => {
    const { k, s } = setUp();
    for (let j = 0; j < 33; j++) k.gi[j] = j;
    k.dots(5, s.wAddr, s.stride * 4, k.giAddr, k.outAddr);
    // Σ_j (i + j/100)·j = 528·i + 11 440/100
    for (let i = 0; i < 5; i++) expect(k.out[i]).toBeCloseTo(528 * i + 114.4, 3);
  });

  it('are none when the wasm kernels are turned off, or with no dense wire', () => {
    expect(trainKernels([])).toBeNull();
    const was = setWasmKernelsEnabled(false);
    try {
      expect(trainKernels([[3, 4]])).toBeNull();
    } finally {
      setWasmKernelsEnabled(was);
    }
  });
});
