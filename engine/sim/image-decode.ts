/**
 * Grey-scale images from PNG and PGM bytes, for image-folder datasets
 * (engine/sim/image-folder.ts). Plain TypeScript, no platform API: PNG's zlib
 * stream goes through engine/core/inflate.ts.
 *
 * - PNG: every colour type (grey, grey + alpha, RGB, RGBA, palette) at every
 *   bit depth the format allows, not interlaced; colour becomes luma
 *   (0.299 R + 0.587 G + 0.114 B, rounded), alpha is ignored, 16-bit samples
 *   keep their high byte, and lower depths scale to 0–255.
 * - PGM: binary (`P5`) and plain (`P2`), maxval up to 65 535, scaled to 0–255.
 */
import { inflateRaw, InflateError } from '../core/inflate.ts';

/** An 8-bit grey image, row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Bytes that are not an image this module reads; the message completes "… is" / names the problem. */
export class ImageError extends Error {}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_SIGNATURE.every((x, i) => b[i] === x);
}

export function isPgm(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x50 && (b[1] === 0x35 || b[1] === 0x32);
}

/** Decode a PNG or PGM by its first bytes. Throws {@link ImageError} with the reason. */
export function decodeImage(bytes: Uint8Array): GrayImage {
  if (isPng(bytes)) return decodePng(bytes);
  if (isPgm(bytes)) return decodePgm(bytes);
  throw new ImageError('not a PNG or PGM image (its first bytes are neither)');
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export function decodePng(bytes: Uint8Array): GrayImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = -1;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let idatLen = 0;
  let ended = false;
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const start = pos + 8;
    if (start + len + 4 > bytes.length) throw new ImageError(`a truncated PNG (chunk ${type} runs past the end)`);
    const body = bytes.subarray(start, start + len);
    if (type === 'IHDR') {
      if (len < 13) throw new ImageError('a PNG with a short IHDR chunk');
      width = view.getUint32(start);
      height = view.getUint32(start + 4);
      depth = body[8];
      colour = body[9];
      if (body[12] !== 0) throw new ImageError('an interlaced PNG, which is not supported (save it without interlacing)');
      if (!(colour in CHANNELS) || !DEPTHS[colour].includes(depth)) throw new ImageError(`a PNG with colour type ${colour} at bit depth ${depth}, which the format does not define`);
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') {
      idat.push(body);
      idatLen += len;
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos = start + len + 4;
  }
  if (colour < 0) throw new ImageError('a PNG without its IHDR chunk');
  if (!ended && idat.length === 0) throw new ImageError('a truncated PNG (no image data)');
  if (width === 0 || height === 0) throw new ImageError(`a PNG of ${width}×${height} pixels`);
  if (colour === 3 && !palette) throw new ImageError('a palette PNG without its palette (PLTE chunk)');
  const z = new Uint8Array(idatLen);
  let o = 0;
  for (const c of idat) {
    z.set(c, o);
    o += c.length;
  }
  const channels = CHANNELS[colour];
  const bitsPerPixel = channels * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  let raw: Uint8Array;
  try {
    // zlib: a 2-byte header, then raw DEFLATE (the Adler-32 after it is not read).
    raw = inflateRaw(z.subarray(2), (stride + 1) * height);
  } catch (e) {
    throw new ImageError(`a PNG whose image data is corrupt (${e instanceof InflateError ? e.message : String(e)})`);
  }
  if (raw.length < (stride + 1) * height) throw new ImageError(`a truncated PNG (${raw.length} bytes of image data, ${(stride + 1) * height} needed)`);
  const rows = unfilter(raw, stride, height, bpp);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const r = y * stride;
    for (let x = 0; x < width; x++) out[y * width + x] = pixel(rows, r, x, depth, colour, palette);
  }
  return { width, height, data: out };
}

/** Undo PNG's per-row filters (None, Sub, Up, Average, Paeth) into `height` rows of `stride` bytes. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const o = y * stride;
    const p = o - stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i];
      const a = i >= bpp ? out[o + i - bpp] : 0;
      const b = y > 0 ? out[p + i] : 0;
      const c = y > 0 && i >= bpp ? out[p + i - bpp] : 0;
      let v: number;
      if (f === 0) v = x;
      else if (f === 1) v = x + a;
      else if (f === 2) v = x + b;
      else if (f === 3) v = x + ((a + b) >> 1);
      else if (f === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new ImageError(`a PNG with an unknown row filter ${f} (row ${y})`);
      out[o + i] = v & 0xff;
    }
  }
  return out;
}

/** Sample `k` (0-based) of a row at `depth` bits, as 0–255. */
function sample(rows: Uint8Array, r: number, k: number, depth: number): number {
  if (depth === 8) return rows[r + k];
  if (depth === 16) return rows[r + 2 * k];
  const perByte = 8 / depth;
  const byte = rows[r + Math.floor(k / perByte)];
  const shift = 8 - depth * ((k % perByte) + 1);
  return (byte >> shift) & ((1 << depth) - 1);
}

const luma = (r: number, g: number, b: number) => Math.round(0.299 * r + 0.587 * g + 0.114 * b);

function pixel(rows: Uint8Array, r: number, x: number, depth: number, colour: number, palette: Uint8Array | null): number {
  if (colour === 3) {
    const i = sample(rows, r, x, depth);
    if (3 * i + 2 >= palette!.length) throw new ImageError(`a palette PNG with a pixel (index ${i}) outside its ${palette!.length / 3}-colour palette`);
    return luma(palette![3 * i], palette![3 * i + 1], palette![3 * i + 2]);
  }
  const channels = CHANNELS[colour];
  if (colour === 0 || colour === 4) {
    const g = sample(rows, r, x * channels, depth);
    return depth < 8 ? Math.round((g * 255) / ((1 << depth) - 1)) : g;
  }
  return luma(sample(rows, r, x * channels, depth), sample(rows, r, x * channels + 1, depth), sample(rows, r, x * channels + 2, depth));
}

export function decodePgm(bytes: Uint8Array): GrayImage {
  const plain = bytes[1] === 0x32;
  let pos = 2;
  const token = (): number => {
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos]))) pos++;
      if (bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    let v = 0;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) v = v * 10 + (bytes[pos++] - 0x30);
    if (pos === start) throw new ImageError('a PGM whose header is not width, height and maxval');
    return v;
  };
  const width = token();
  const height = token();
  const maxval = token();
  if (width === 0 || height === 0) throw new ImageError(`a PGM of ${width}×${height} pixels`);
  if (maxval < 1 || maxval > 65535) throw new ImageError(`a PGM with maxval ${maxval} (allowed: 1–65535)`);
  const n = width * height;
  const out = new Uint8Array(n);
  const scale = (v: number): number => {
    if (v > maxval) throw new ImageError(`a PGM with a value ${v} above its maxval ${maxval}`);
    return maxval === 255 ? v : Math.round((v * 255) / maxval);
  };
  if (plain) {
    for (let i = 0; i < n; i++) out[i] = scale(token());
    return { width, height, data: out };
  }
  pos++; // the single whitespace after maxval
  const wide = maxval > 255;
  if (pos + n * (wide ? 2 : 1) > bytes.length) throw new ImageError(`a truncated PGM (${width}×${height} pixels need ${n * (wide ? 2 : 1)} bytes after the header)`);
  for (let i = 0; i < n; i++) out[i] = scale(wide ? (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1] : bytes[pos + i]);
  return { width, height, data: out };
}
