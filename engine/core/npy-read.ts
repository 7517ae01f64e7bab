/**
 * A reader for NumPy's `.npy` arrays and `.npz` archives (as `numpy.save`,
 * `numpy.savez` and `numpy.savez_compressed` write them), taking bytes: the
 * caller reads the file (CLI, desktop, a browser file input).
 *
 * - `.npy` versions 1.0, 2.0 and 3.0; the numeric dtypes (`b1`, `i1`–`i8`,
 *   `u1`–`u8`, `f4`, `f8`) in either byte order; C or Fortran order (Fortran
 *   arrays come back in C order).
 * - `.npz`: a zip of `.npy` members, stored or deflated, zip64 sizes included.
 *
 * Errors are {@link NpyError}s whose message says what is wrong and where (the
 * member of an archive), never a partial result.
 */
import { inflateRaw, InflateError } from './inflate.ts';

/** An unreadable `.npy` / `.npz`. */
export class NpyError extends Error {}

/** The element arrays returned: the file's own type where JavaScript has one (64-bit integers as Float64Array, checked exact). */
export type NpyValues = Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** One array read from a file. */
export interface NpyRead {
  /** The file's dtype without byte order, e.g. `f8`, `u1`, `i8`, `b1`. */
  readonly dtype: string;
  /** The shape; `[]` for a 0-d array (one value). */
  readonly shape: readonly number[];
  /** The values in C (row-major) order. */
  readonly data: NpyValues;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** True when the bytes start with the `.npy` magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** True when the bytes start like a zip archive (an `.npz`). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/**
 * UTF-8 bytes as text (headers and member names are ASCII in practice; UTF-8 is
 * what `.npy` 3.0 and zip's flag bit 11 allow). Written out because the core
 * layer is type-checked without the DOM library (no TextDecoder).
 */
function decodeText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (n < 0 || i + n >= bytes.length + (n === 0 ? 1 : 0)) {
      text += '\ufffd';
      i++;
      continue;
    }
    let cp = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
    text += String.fromCodePoint(cp);
    i += n + 1;
  }
  return text;
}

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
}

function parseHeader(text: string): Header {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    if (/'descr'\s*:\s*\[/.test(text)) throw new NpyError('structured (record) arrays are not supported: save one plain numeric array per name');
    throw new NpyError(`unreadable .npy header: ${text.trim().slice(0, 120)}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) throw new NpyError(`bad dimension "${s}" in the .npy shape`);
      return n;
    });
  return { descr, fortran: fortran === 'True', shape };
}

const SIZES: Record<string, number> = { b1: 1, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8, f4: 4, f8: 8 };

function readValues(dtype: string, little: boolean, bytes: Uint8Array, count: number): NpyValues {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = SIZES[dtype];
  const FAST: Record<string, new (b: ArrayBuffer) => NpyValues> = { i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array };
  // Little-endian data (what NumPy writes on every common machine): one copy into an aligned buffer.
  if (little && FAST[dtype]) return new FAST[dtype](bytes.slice(0, count * size).buffer);
  const make = <T extends NpyValues>(ctor: new (n: number) => T, get: (o: number) => number): T => {
    const out = new ctor(count);
    for (let i = 0; i < count; i++) out[i] = get(i * size);
    return out;
  };
  switch (dtype) {
    case 'b1':
    case 'u1':
      return bytes.slice(0, count);
    case 'i1':
      return new Int8Array(bytes.slice(0, count).buffer);
    case 'i2':
      return make(Int16Array, (o) => view.getInt16(o, little));
    case 'u2':
      return make(Uint16Array, (o) => view.getUint16(o, little));
    case 'i4':
      return make(Int32Array, (o) => view.getInt32(o, little));
    case 'u4':
      return make(Uint32Array, (o) => view.getUint32(o, little));
    case 'f4':
      return make(Float32Array, (o) => view.getFloat32(o, little));
    case 'f8':
      return make(Float64Array, (o) => view.getFloat64(o, little));
    case 'i8':
    case 'u8':
      return make(Float64Array, (o) => {
        const v = dtype === 'i8' ? view.getBigInt64(o, little) : view.getBigUint64(o, little);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new NpyError(`a 64-bit integer (${v}) beyond 2^53 cannot be held exactly`);
        return Number(v);
      });
    default:
      throw new NpyError(`dtype ${dtype} is not supported`);
  }
}

/** Fortran (column-major) order to C (row-major) order. */
function toCOrder<T extends NpyValues>(data: T, shape: readonly number[]): T {
  if (shape.length < 2) return data;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const rank = shape.length;
  const fStride = new Array<number>(rank);
  let s = 1;
  for (let d = 0; d < rank; d++) {
    fStride[d] = s;
    s *= shape[d];
  }
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let d = 0; d < rank; d++) f += idx[d] * fStride[d];
    out[c] = data[f];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Read one `.npy` array. */
export function readNpy(bytes: Uint8Array): NpyRead {
  if (!isNpy(bytes)) throw new NpyError('not a .npy file (no \\x93NUMPY magic)');
  if (bytes.length < 10) throw new NpyError('truncated .npy header');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError('truncated .npy header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else throw new NpyError(`.npy format version ${major} is not supported (1, 2 and 3 are)`);
  if (start + headerLen > bytes.length) throw new NpyError('truncated .npy header');
  const header = parseHeader(decodeText(bytes.subarray(start, start + headerLen)));
  const m = /^([<>|=])?([biuf])(\d+)$/.exec(header.descr);
  if (!m) throw new NpyError(`dtype "${header.descr}" is not supported (numbers only: bool, int, uint, float)`);
  const dtype = `${m[2]}${m[3]}`;
  if (!(dtype in SIZES)) throw new NpyError(`dtype "${header.descr}" is not supported (float16 and 128-bit types are not)`);
  const little = m[1] !== '>';
  const count = header.shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(start + headerLen);
  const need = count * SIZES[dtype];
  if (body.length < need) throw new NpyError(`truncated .npy data: shape (${header.shape.join(', ')}) of ${header.descr} needs ${need} bytes, the file has ${body.length}`);
  let data = readValues(dtype, little, body, count);
  if (header.fortran) data = toCOrder(data, header.shape);
  return { dtype, shape: header.shape, data };
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new NpyError('not a readable .npz: no zip central directory (truncated?)');
  let entries = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || cdOffset === 0xffffffff) {
    // zip64: the end-of-central-directory locator sits just before.
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) throw new NpyError('unreadable .npz: zip64 locator missing');
    const rec = Number(view.getBigUint64(loc + 8, true));
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== 0x06064b50) throw new NpyError('unreadable .npz: zip64 directory missing');
    entries = Number(view.getBigUint64(rec + 32, true));
    cdOffset = Number(view.getBigUint64(rec + 48, true));
  }
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new NpyError('unreadable .npz: corrupt zip central directory');
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const name = decodeText(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extra field (id 1): the values that were 0xffffffff, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        const next64 = () => {
          const v = Number(view.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next64();
        if (compressedSize === 0xffffffff) compressedSize = next64();
        if (localOffset === 0xffffffff) localOffset = next64();
      }
      e += 4 + len;
    }
    out.push({ name, method, compressedSize, size, localOffset });
    p = extraEnd + commentLen;
  }
  return out;
}

/** The text of a 0-d byte-string `.npy` (dtype `|S<n>`, e.g. scipy.sparse's `format`), or null for anything else. */
function byteString(bytes: Uint8Array): string | null {
  if (!isNpy(bytes) || bytes.length < 10 || bytes[6] !== 1) return null;
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(8, true);
  if (10 + headerLen > bytes.length) return null;
  const header = parseHeader(decodeText(bytes.subarray(10, 10 + headerLen)));
  const m = /^\|S(\d+)$/.exec(header.descr);
  if (!m || header.shape.length !== 0) return null;
  const body = bytes.subarray(10 + headerLen, 10 + headerLen + Number(m[1]));
  const end = body.indexOf(0);
  return decodeText(end < 0 ? body : body.subarray(0, end));
}

/**
 * Read every array of an `.npz` archive, keyed by name without `.npy` (as
 * `numpy.load` does). Members that are not `.npy` files are refused. With
 * `strings`, a member holding one byte string (dtype `|S<n>`, as the `format`
 * of a `scipy.sparse.save_npz` file) goes there as text instead of failing.
 */
export function readNpz(bytes: Uint8Array, strings?: Map<string, string>): Map<string, NpyRead> {
  if (!isZip(bytes)) throw new NpyError('not an .npz file (not a zip archive)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const arrays = new Map<string, NpyRead>();
  for (const entry of zipEntries(bytes)) {
    const key = entry.name.replace(/\.npy$/, '');
    const where = `member "${entry.name}"`;
    const p = entry.localOffset;
    if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50) throw new NpyError(`${where}: corrupt zip local header`);
    const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
    if (start + entry.compressedSize > bytes.length) throw new NpyError(`${where}: truncated`);
    const raw = bytes.subarray(start, start + entry.compressedSize);
    let member: Uint8Array;
    if (entry.method === 0) member = raw;
    else if (entry.method === 8) {
      try {
        member = inflateRaw(raw, entry.size);
      } catch (e) {
        if (e instanceof InflateError) throw new NpyError(`${where}: ${e.message}`);
        throw e;
      }
    } else throw new NpyError(`${where}: zip compression method ${entry.method} is not supported (stored and deflate are)`);
    if (member.length !== entry.size) throw new NpyError(`${where}: ${member.length} bytes after decompression, the directory says ${entry.size}`);
    try {
      arrays.set(key, readNpy(member));
    } catch (e) {
      const text = strings && e instanceof NpyError ? byteString(member) : null;
      if (text !== null) {
        strings!.set(key, text);
        continue;
      }
      if (e instanceof NpyError) throw new NpyError(`${where}: ${e.message}`);
      throw e;
    }
  }
  return arrays;
}
