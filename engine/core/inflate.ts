/**
 * DEFLATE (RFC 1951) and gzip (RFC 1952) decompression in plain TypeScript,
 * synchronous, for the readers that take bytes (`.npz` members, gzipped IDX
 * datasets). No dependency and no platform stream API: the same code runs in
 * the renderer, a Web Worker and Node.
 *
 * Decoding is table-driven: each Huffman code is looked up by its next 15 bits
 * at once (one table per block).
 */
import { crc32Update } from './crc32.ts';

/** A corrupt or truncated compressed stream. */
export class InflateError extends Error {}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const MAX_BITS = 15;

/** A Huffman table: entry = symbol << 4 | code length, indexed by the next MAX_BITS bits (LSB first); 0 = no code. */
type Table = Int32Array;

function buildTable(lengths: ArrayLike<number>, what: string): Table {
  const count = new Int32Array(MAX_BITS + 1);
  for (let i = 0; i < lengths.length; i++) count[lengths[i]]++;
  count[0] = 0;
  const next = new Int32Array(MAX_BITS + 1);
  let code = 0;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
    left = (left << 1) - count[len];
    if (left < 0) throw new InflateError(`over-subscribed ${what} code`);
  }
  const table = new Int32Array(1 << MAX_BITS);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym];
    if (len === 0) continue;
    const c = next[len]++;
    let rev = 0;
    for (let b = 0; b < len; b++) rev |= ((c >> b) & 1) << (len - 1 - b);
    const entry = (sym << 4) | len;
    for (let k = rev; k < 1 << MAX_BITS; k += 1 << len) table[k] = entry;
  }
  return table;
}

let fixedLit: Table | null = null;
let fixedDist: Table | null = null;

function fixedTables(): [Table, Table] {
  if (!fixedLit || !fixedDist) {
    const lit = new Uint8Array(288);
    lit.fill(8, 0, 144);
    lit.fill(9, 144, 256);
    lit.fill(7, 256, 280);
    lit.fill(8, 280, 288);
    fixedLit = buildTable(lit, 'literal/length');
    fixedDist = buildTable(new Uint8Array(30).fill(5), 'distance');
  }
  return [fixedLit, fixedDist];
}

class Inflater {
  private pos: number;
  private bitBuf = 0;
  private bitCount = 0;
  out: Uint8Array;
  outLen = 0;

  constructor(
    private readonly src: Uint8Array,
    start: number,
    sizeHint: number,
  ) {
    this.pos = start;
    this.out = new Uint8Array(Math.max(1024, sizeHint));
  }

  /** Where the compressed stream ended (the next whole byte). */
  get end(): number {
    return this.pos - (this.bitCount >> 3);
  }

  private need(n: number): void {
    while (this.bitCount < n) {
      if (this.pos >= this.src.length) {
        // Past the end: pad with zero bytes so the last codes can be peeked at; run() checks that none was consumed.
        if (this.pos - this.src.length >= 4) throw new InflateError('unexpected end of compressed data');
        this.pos++;
        this.bitCount += 8;
        continue;
      }
      this.bitBuf |= this.src[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
  }

  private bits(n: number): number {
    if (n === 0) return 0;
    this.need(n);
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  private decode(table: Table): number {
    this.need(MAX_BITS);
    const entry = table[this.bitBuf & ((1 << MAX_BITS) - 1)];
    if (entry === 0) throw new InflateError('invalid Huffman code');
    const len = entry & 15;
    this.bitBuf >>>= len;
    this.bitCount -= len;
    return entry >> 4;
  }

  private ensure(extra: number): void {
    if (this.outLen + extra <= this.out.length) return;
    let size = this.out.length * 2;
    while (size < this.outLen + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.out.subarray(0, this.outLen));
    this.out = grown;
  }

  run(): void {
    let final = 0;
    while (!final) {
      final = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(...fixedTables());
      else if (type === 2) this.codes(...this.dynamicTables());
      else throw new InflateError('invalid block type 3');
    }
    if (this.pos - (this.bitCount >> 3) > this.src.length) throw new InflateError('unexpected end of compressed data');
  }

  private stored(): void {
    // Drop to a byte boundary; whole bytes still in the buffer are given back.
    this.bitBuf = 0;
    this.pos -= this.bitCount >> 3;
    this.bitCount = 0;
    if (this.pos + 4 > this.src.length) throw new InflateError('unexpected end of compressed data');
    const len = this.src[this.pos] | (this.src[this.pos + 1] << 8);
    const nlen = this.src[this.pos + 2] | (this.src[this.pos + 3] << 8);
    if ((len ^ 0xffff) !== nlen) throw new InflateError('stored block length check failed');
    this.pos += 4;
    if (this.pos + len > this.src.length) throw new InflateError('unexpected end of compressed data');
    this.ensure(len);
    this.out.set(this.src.subarray(this.pos, this.pos + len), this.outLen);
    this.outLen += len;
    this.pos += len;
  }

  private dynamicTables(): [Table, Table] {
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    const clLengths = new Uint8Array(19);
    for (let i = 0; i < hclen; i++) clLengths[CODE_LENGTH_ORDER[i]] = this.bits(3);
    const clTable = buildTable(clLengths, 'code-length');
    const lengths = new Uint8Array(hlit + hdist);
    for (let i = 0; i < hlit + hdist;) {
      const sym = this.decode(clTable);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (sym === 16) {
        if (i === 0) throw new InflateError('repeat of a code length with none before');
        value = lengths[i - 1];
        repeat = 3 + this.bits(2);
      } else if (sym === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (i + repeat > hlit + hdist) throw new InflateError('code lengths overflow');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw new InflateError('no end-of-block code');
    return [buildTable(lengths.subarray(0, hlit), 'literal/length'), buildTable(lengths.subarray(hlit), 'distance')];
  }

  private codes(lit: Table, dist: Table): void {
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 256) {
        this.ensure(1);
        this.out[this.outLen++] = sym;
        continue;
      }
      if (sym === 256) return;
      const li = sym - 257;
      if (li >= 29) throw new InflateError(`invalid length code ${sym}`);
      const length = LENGTH_BASE[li] + this.bits(LENGTH_EXTRA[li]);
      const di = this.decode(dist);
      if (di >= 30) throw new InflateError(`invalid distance code ${di}`);
      const distance = DIST_BASE[di] + this.bits(DIST_EXTRA[di]);
      if (distance > this.outLen) throw new InflateError('distance before the start of the data');
      this.ensure(length);
      const out = this.out;
      let from = this.outLen - distance;
      let to = this.outLen;
      for (let k = 0; k < length; k++) out[to++] = out[from++];
      this.outLen = to;
    }
  }
}

/** Decompress a raw DEFLATE stream (as zip members hold it). `sizeHint`: the expected size, to allocate once. */
export function inflateRaw(bytes: Uint8Array, sizeHint = bytes.length * 4): Uint8Array {
  const inf = new Inflater(bytes, 0, sizeHint);
  inf.run();
  return inf.out.subarray(0, inf.outLen);
}

/** True when the bytes start with gzip's magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompress a gzip file (one member or several, concatenated), checking each
 * member's CRC-32 and length.
 */
export function gunzip(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (!isGzip(bytes.subarray(pos))) {
      if (parts.length > 0) break; // trailing padding after the last member, as gzip(1) allows
      throw new InflateError('not gzip data (no 1f 8b signature)');
    }
    if (pos + 10 > bytes.length) throw new InflateError('truncated gzip header');
    if (bytes[pos + 2] !== 8) throw new InflateError(`gzip compression method ${bytes[pos + 2]} is not DEFLATE`);
    const flags = bytes[pos + 3];
    let p = pos + 10;
    if (flags & 4) p += 2 + (bytes[p] | (bytes[p + 1] << 8));
    if (flags & 8) while (p < bytes.length && bytes[p++] !== 0);
    if (flags & 16) while (p < bytes.length && bytes[p++] !== 0);
    if (flags & 2) p += 2;
    if (p > bytes.length) throw new InflateError('truncated gzip header');
    const hint = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true) : 0;
    const inf = new Inflater(bytes, p, parts.length === 0 && hint > 0 ? hint : bytes.length * 4);
    inf.run();
    const data = inf.out.subarray(0, inf.outLen);
    const end = inf.end;
    if (end + 8 > bytes.length) throw new InflateError('truncated gzip trailer');
    const view = new DataView(bytes.buffer, bytes.byteOffset + end, 8);
    if (view.getUint32(0, true) !== crc32Update(0, data)) throw new InflateError('gzip CRC-32 mismatch: the data is corrupt');
    if (view.getUint32(4, true) !== data.length >>> 0) throw new InflateError('gzip length mismatch: the data is corrupt');
    parts.push(data);
    pos = end + 8;
  }
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((s, x) => s + x.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
