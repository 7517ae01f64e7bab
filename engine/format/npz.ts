/**
 * A small writer for NumPy's `.npz` archives: a zip of `.npy` arrays, loadable
 * with `numpy.load(path)`. Pure (no DOM, no Node): arrays in, a `Uint8Array` out,
 * so the CLI and the renderer share it.
 *
 * - `.npy` format version 1.0: magic, a little-endian u16 header length, a
 *   Python-dict header padded with spaces to a multiple of 64 bytes, then the
 *   raw little-endian data in C order.
 * - The zip stores each member uncompressed (method 0) with its CRC-32, a local
 *   header and a central directory entry; no zip64, so an archive is limited to
 *   4 GiB. Timestamps are fixed (1980-01-01) so the same arrays give the same bytes.
 */

/** The element types written: `<i4` (int32), `<f4` (float32), `<f8` (float64). */
export type NpyData = Int32Array | Float32Array | Float64Array;

/** One array of an archive; stored as `<name>.npy`. */
export interface NpyArray {
  readonly name: string;
  readonly data: NpyData;
  /** `[n]` or `[rows, cols]` (C order); default `[data.length]`. */
  readonly shape?: readonly number[];
}

function descrOf(data: NpyData): string {
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Float32Array) return '<f4';
  return '<f8';
}

/** UTF-8 bytes of `text` (the core has no TextEncoder). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The `.npy` (format 1.0) header of an array of `descr` (`<i4`, `<f4`, `<f8`) with `shape`: magic, length, padded dict. */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  if (shape.length < 1 || shape.length > 2 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`npy: shape must be 1-D or 2-D whole numbers (got [${shape.join(', ')}])`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic(6) + version(2) + length(2) + dict + padding + '\n' is a multiple of 64.
  const unpadded = 10 + dict.length + 1;
  const headerLen = dict.length + 1 + ((64 - (unpadded % 64)) % 64);
  if (headerLen > 0xffff) throw new Error('npy: header too long for format 1.0');
  const out = new Uint8Array(10 + headerLen);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLen & 0xff, headerLen >> 8]);
  out.set(utf8(dict.padEnd(headerLen - 1, ' ') + '\n'), 10);
  return out;
}

/** The element type of `data` as a `.npy` descr. */
export function npyDescr(data: NpyData): string {
  return descrOf(data);
}

/** `data`'s values as little-endian bytes (explicit writes: correct on any host byte order). */
export function npyBody(data: NpyData, out: Uint8Array = new Uint8Array(data.byteLength), offset = 0): Uint8Array {
  const body = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
  if (data instanceof Int32Array) for (let i = 0; i < data.length; i++) body.setInt32(4 * i, data[i], true);
  else if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) body.setFloat32(4 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) body.setFloat64(8 * i, data[i], true);
  return out;
}

/** One `.npy` file (format 1.0) holding `data` with `shape`. */
export function encodeNpy(data: NpyData, shape: readonly number[] = [data.length]): Uint8Array {
  const n = shape.reduce((a, d) => a * d, 1);
  const header = npyHeader(descrOf(data), shape);
  if (n !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${n} values, the data has ${data.length}`);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  return npyBody(data, out, header.length);
}

import { crc32 } from '../core/crc32.ts';
export { crc32, crc32Update } from '../core/crc32.ts';

/** A store-only zip of named files. */
export function zipStore(files: readonly { name: string; bytes: Uint8Array }[]): Uint8Array {
  const names = files.map((f) => utf8(f.name));
  // Flag bit 11: names are UTF-8.
  const flags = names.some((nm, i) => nm.length !== files[i].name.length) ? 0x800 : 0;
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.name)) throw new Error(`zip: two members named ${f.name}`);
    seen.add(f.name);
  }
  const localSize = files.reduce((a, f, i) => a + 30 + names[i].length + f.bytes.length, 0);
  const centralSize = names.reduce((a, nm) => a + 46 + nm.length, 0);
  const total = localSize + centralSize + 22;
  if (total > 0xffffffff || files.length > 0xffff) throw new Error('zip: archive too large (over 4 GiB or 65535 members)');
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const offsets: number[] = [];
  const crcs = files.map((f) => crc32(f.bytes));
  let p = 0;
  files.forEach((f, i) => {
    offsets.push(p);
    v.setUint32(p, 0x04034b50, true);
    v.setUint16(p + 4, 20, true); // version needed: 2.0
    v.setUint16(p + 6, flags, true);
    v.setUint16(p + 8, 0, true); // method: stored
    v.setUint16(p + 10, 0, true); // time
    v.setUint16(p + 12, DOS_DATE, true);
    v.setUint32(p + 14, crcs[i], true);
    v.setUint32(p + 18, f.bytes.length, true);
    v.setUint32(p + 22, f.bytes.length, true);
    v.setUint16(p + 26, names[i].length, true);
    v.setUint16(p + 28, 0, true);
    out.set(names[i], p + 30);
    out.set(f.bytes, p + 30 + names[i].length);
    p += 30 + names[i].length + f.bytes.length;
  });
  const centralStart = p;
  files.forEach((f, i) => {
    v.setUint32(p, 0x02014b50, true);
    v.setUint16(p + 4, 20, true); // made by
    v.setUint16(p + 6, 20, true); // needed
    v.setUint16(p + 8, flags, true);
    v.setUint16(p + 10, 0, true); // stored
    v.setUint16(p + 12, 0, true); // time
    v.setUint16(p + 14, DOS_DATE, true);
    v.setUint32(p + 16, crcs[i], true);
    v.setUint32(p + 20, f.bytes.length, true);
    v.setUint32(p + 24, f.bytes.length, true);
    v.setUint16(p + 28, names[i].length, true);
    // extra, comment, disk, internal attributes: 0
    v.setUint32(p + 38, 0, true); // external attributes
    v.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + 46);
    p += 46 + names[i].length;
  });
  v.setUint32(p, 0x06054b50, true);
  v.setUint16(p + 8, files.length, true);
  v.setUint16(p + 10, files.length, true);
  v.setUint32(p + 12, p - centralStart, true);
  v.setUint32(p + 16, centralStart, true);
  return out;
}

/** An `.npz` archive of `arrays` (each stored as `<name>.npy`; names must be unique). */
export function encodeNpz(arrays: readonly NpyArray[]): Uint8Array {
  return zipStore(arrays.map((a) => ({ name: `${a.name}.npy`, bytes: encodeNpy(a.data, a.shape) })));
}
