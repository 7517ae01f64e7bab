import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { gunzipIfNeeded, parseIdx, IdxError } from './idx.ts';

/** An IDX file: magic 00 00 type ndim, big-endian dims, then the body bytes. */
function idx(type: number, dims: number[], body: number[]): Uint8Array {
  const head = [0, 0, type, dims.length];
  for (const d of dims) head.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...head, ...body]);
}

describe('IDX reader', () => {
  it('reads an 8-bit 2 × 2 × 3 array with its shape, keeping the bytes as they are', () => {
    const a = parseIdx(idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
    expect(a.dims).toEqual([2, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect([...a.data]).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('reads big-endian int16, int32 and float32 values', () => {
    expect([...parseIdx(idx(0x0b, [2], [0x01, 0x02, 0xff, 0xfe])).data]).toEqual([258, -2]);
    expect([...parseIdx(idx(0x0c, [1], [0x00, 0x01, 0x00, 0x00])).data]).toEqual([65536]);
    // 0x3f800000 = 1.0, 0xc0000000 = −2.0
    expect([...parseIdx(idx(0x0d, [2], [0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0])).data]).toEqual([1, -2]);
  });

  it('refuses a file that is not IDX, saying which bytes it found', () => {
    expect(() => parseIdx(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]))).toThrow(/not an IDX file: it starts with bytes 50 4B/);
    expect(() => parseIdx(idx(0x07, [1], [1]))).toThrow(/unknown IDX value type 07/);
  });

  it('refuses a truncated header and a truncated body, with the sizes', () => {
    expect(() => parseIdx(idx(0x08, [3, 2], []).subarray(0, 9))).toThrow(/truncated: its header declares 2 dimensions \(12 bytes\) but the file has 9 bytes/);
    expect(() => parseIdx(idx(0x08, [3, 2], [1, 2, 3, 4, 5]))).toThrow(/truncated: its header says 3 × 2 uint8 values \(18 bytes with the header\) but the file has 17 bytes/);
  });

  it('refuses bytes after the declared array', () => {
    expect(() => parseIdx(idx(0x08, [2], [1, 2, 3]))).toThrow(IdxError);
  });

  it('inflates a gzipped file and leaves a plain one untouched', async () => {
    const plain = idx(0x08, [3], [7, 8, 9]);
    const inflated = await gunzipIfNeeded(gzipSync(plain));
    expect([...parseIdx(inflated).data]).toEqual([7, 8, 9]);
    expect(await gunzipIfNeeded(plain)).toBe(plain);
  });

  it('reports a truncated gzip stream as corrupt rather than returning part of it', async () => {
    const gz = gzipSync(
      idx(
        0x08,
        [200],
        Array.from({ length: 200 }, (_, k) => k),
      ),
    );
    await expect(gunzipIfNeeded(gz.subarray(0, gz.length - 12))).rejects.toThrow(/gzipped but its data is corrupt or truncated/);
  });
});
