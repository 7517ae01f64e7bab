import { describe, expect, it } from 'vitest';
import { deflateRawSync, gzipSync, constants } from 'node:zlib';
import { gunzip, inflateRaw, InflateError, isGzip } from './inflate.ts';

/** Seeded bytes with repeats (so DEFLATE uses back-references) and noise (so it uses literals). */
function sample(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() < 0.6 && i > 300 ? out[i - 1 - Math.floor(rnd() * 300)] : Math.floor(rnd() * 256 * rnd());
  return out;
}

describe('inflate', () => {
  it('decompresses what zlib compresses, at every level and strategy (stored, fixed and dynamic Huffman blocks)', () => {
    const data = sample(200_000, 7);
    for (const level of [0, 1, 6, 9]) expect(inflateRaw(deflateRawSync(data, { level }))).toEqual(data);
    expect(inflateRaw(deflateRawSync(data, { strategy: constants.Z_FIXED }))).toEqual(data);
    expect(inflateRaw(deflateRawSync(data, { strategy: constants.Z_HUFFMAN_ONLY }))).toEqual(data);
    expect(inflateRaw(deflateRawSync(new Uint8Array(0)))).toEqual(new Uint8Array(0));
    expect(inflateRaw(deflateRawSync(new Uint8Array(70_000).fill(42)), 1)).toEqual(new Uint8Array(70_000).fill(42));
  });

  it('gunzips one member and concatenated members, and checks the CRC', () => {
    const a = sample(5000, 1);
    const b = sample(3000, 2);
    expect(isGzip(gzipSync(a))).toBe(true);
    expect(gunzip(gzipSync(a))).toEqual(a);
    const both = new Uint8Array([...gzipSync(a), ...gzipSync(b)]);
    expect(gunzip(both)).toEqual(new Uint8Array([...a, ...b]));
    const corrupt = gzipSync(a);
    corrupt[corrupt.length - 6] ^= 0xff; // inside the CRC-32
    expect(() => gunzip(corrupt)).toThrow(/CRC-32/);
  });

  it('refuses truncated, non-gzip and corrupt streams with an InflateError, never a partial result', () => {
    const gz = gzipSync(sample(20_000, 3));
    expect(() => gunzip(gz.subarray(0, gz.length - 100))).toThrow(InflateError);
    expect(() => gunzip(new Uint8Array([1, 2, 3, 4]))).toThrow(/not gzip/);
    expect(() => inflateRaw(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(InflateError);
  });
});
