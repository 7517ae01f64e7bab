import { describe, expect, it } from 'vitest';
import { encodeNpz } from './npz.ts';
import { npzChunks, type NpyStreamArray } from './npz-stream.ts';

function joined(chunks: Iterable<Uint8Array>): Uint8Array {
  const list = [...chunks];
  const out = new Uint8Array(list.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of list) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

describe('npzChunks', () => {
  it('gives byte for byte the archive encodeNpz gives for the same arrays, however the arrays are split into parts', () => {
    const neuron = Int32Array.from({ length: 1000 }, (_, i) => (i * 37) % 101);
    const t = Float64Array.from({ length: 1000 }, (_, i) => i * 0.1);
    const v = Float32Array.from({ length: 12 }, (_, i) => -65 + i / 3);
    const whole = encodeNpz([
      { name: 'exc_neuron', data: neuron },
      { name: 'exc_t_ms', data: t },
      { name: 'réseau_v', data: v, shape: [4, 3] },
    ]);
    const split = <T extends Int32Array | Float32Array | Float64Array>(a: T, at: number[]): T[] => [0, ...at].map((s, i) => a.subarray(s, [...at, a.length][i]) as T);
    const arrays: NpyStreamArray[] = [
      { name: 'exc_neuron', descr: '<i4', shape: [1000], parts: () => split(neuron, [1, 500, 999]) },
      { name: 'exc_t_ms', descr: '<f8', shape: [1000], parts: () => split(t, [0, 0, 333]) },
      { name: 'réseau_v', descr: '<f4', shape: [4, 3], parts: () => split(v, [6]) },
    ];
    expect(joined(npzChunks(arrays))).toEqual(whole);
  });

  it('writes an empty array for a population that never fired', () => {
    const whole = encodeNpz([{ name: 'p_neuron', data: new Int32Array(0) }]);
    expect(joined(npzChunks([{ name: 'p_neuron', descr: '<i4', shape: [0], parts: () => [] }]))).toEqual(whole);
  });

  it('refuses parts that do not fill the shape, before writing anything', () => {
    const gen = npzChunks([{ name: 'x', descr: '<f8', shape: [3], parts: () => [new Float64Array(2)] }]);
    expect(() => gen.next()).toThrow('shape [3] holds 3 values, the parts have 2');
  });
});
