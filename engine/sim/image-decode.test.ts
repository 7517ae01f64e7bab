import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../core/crc32.ts';
import { decodeImage, decodePgm, ImageError } from './image-decode.ts';

const DIR = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'images');
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, number[]> & { width: number; height: number };
const load = (f: string) => decodeImage(new Uint8Array(readFileSync(path.join(DIR, f))));

/** A PNG from its IHDR fields and its filtered rows (each starting with its filter byte). */
function png(width: number, height: number, colour: number, depth: number, rows: number[][], interlace = 0): Uint8Array {
  const chunk = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(12 + body.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, body.length);
    const tb = new TextEncoder().encode(type);
    out.set(tb, 4);
    out.set(body, 8);
    v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([depth, colour, 0, 0, interlace], 8);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(Uint8Array.from(rows.flat())))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

describe('PNG and PGM images as 8-bit grey', () => {
  it('reads grey, 16-bit grey and 1-bit PNGs (written by Pillow) to their exact pixels', () => {
    for (const [file, key] of [
      ['gray.png', 'gray'],
      ['gray16.png', 'gray16'],
      ['bits1.png', 'bits1'],
      ['gray.pgm', 'gray'],
    ] as const) {
      const img = load(file);
      expect([img.width, img.height]).toEqual([expected.width, expected.height]);
      expect(Array.from(img.data)).toEqual(expected[key]);
    }
  });

  it('turns RGB, RGBA and palette PNGs into luma, within one level of Pillow’s own conversion', () => {
    for (const [file, key] of [
      ['rgb.png', 'rgb'],
      ['rgba.png', 'rgb'],
      ['palette.png', 'palette'],
    ] as const) {
      const img = load(file);
      img.data.forEach((x, i) => expect(Math.abs(x - expected[key][i])).toBeLessThanOrEqual(1));
    }
  });

  it('undoes every row filter: None, Sub, Up, Average and Paeth (hand-computed)', () => {
    // Image rows [10 20 30], [15 25 35], [20 40 60], [5 5 5], [0 100 200]; each row filtered differently.
    const rows = [
      [0, 10, 20, 30], // None
      [2, 5, 5, 5], // Up: minus the row above
      [1, 20, 20, 20], // Sub: minus the pixel to the left (20, 40 − 20, 60 − 40)
      [3, (5 - (20 >> 1)) & 0xff, (5 - ((5 + 40) >> 1)) & 0xff, (5 - ((5 + 60) >> 1)) & 0xff], // Average of left and up
      // Paeth, predictor of (left a, up b, up-left c): x0 → b = 5; x1: a 0, b 5, c 5 → pa 0 → a = 0; x2: a 100, b 5, c 5 → a = 100.
      [4, 0 - 5 + 256, 100 - 0, 200 - 100],
    ];
    const img = decodeImage(png(3, 5, 0, 8, rows));
    expect(Array.from(img.data)).toEqual([10, 20, 30, 15, 25, 35, 20, 40, 60, 5, 5, 5, 0, 100, 200]);
  });

  it('reads a plain (P2) PGM with comments and a 16-bit binary one, scaled to 0–255', () => {
    expect(Array.from(decodePgm(new TextEncoder().encode('P2\n# a comment\n2 2\n4\n0 1\n2 4\n')).data)).toEqual([0, 64, 128, 255]);
    const wide = new Uint8Array([...new TextEncoder().encode('P5 2 1 65535\n'), 0xff, 0xff, 0x80, 0x00]);
    expect(Array.from(decodePgm(wide).data)).toEqual([255, 128]);
  });

  it('refuses what it cannot read, saying why', () => {
    const bad = (b: Uint8Array) => {
      try {
        decodeImage(b);
      } catch (e) {
        expect(e).toBeInstanceOf(ImageError);
        return (e as Error).message;
      }
      return 'decoded';
    };
    expect(bad(new TextEncoder().encode('GIF89a'))).toBe('not a PNG or PGM image (its first bytes are neither)');
    expect(bad(png(1, 1, 0, 8, [[0, 1]], 1))).toMatch(/interlaced PNG, which is not supported/);
    expect(bad(png(2, 2, 0, 8, [[0, 1, 2]]))).toMatch(/truncated PNG \(3 bytes of image data, 6 needed\)/);
    expect(bad(png(1, 1, 2, 4, [[0, 1]]))).toMatch(/colour type 2 at bit depth 4, which the format does not define/);
    expect(bad(png(1, 1, 0, 8, [[7, 1]]))).toMatch(/unknown row filter 7 \(row 0\)/);
    expect(bad(png(1, 1, 3, 8, [[0, 0]]))).toMatch(/palette PNG without its palette/);
    expect(bad(new TextEncoder().encode('P5 4 4 255\n\x01\x02'))).toMatch(/truncated PGM \(4×4 pixels need 16 bytes/);
  });
});
