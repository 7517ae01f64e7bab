/**
 * The `.npz` writer of `npz.ts`, streamed: each array is given as a sequence of
 * parts (the chunks a run delivered), and the archive comes out as a sequence of
 * byte chunks, so neither the arrays nor the archive ever have to exist whole in
 * one buffer. Same bytes as {@link encodeNpz} for the same arrays (stored zip,
 * fixed timestamps, no zip64: at most 4 GiB). Each array's parts are walked
 * twice: once for its size and CRC-32 (the local header comes first), once to
 * write them. Pure: no DOM, no Node.
 */
import { crc32Update, npyBody, npyHeader, utf8, type NpyData } from './npz.ts';

/** One array of a streamed archive; stored as `<name>.npy`. */
export interface NpyStreamArray {
  readonly name: string;
  readonly descr: '<i4' | '<f4' | '<f8';
  /** `[n]` or `[rows, cols]`; the parts hold exactly that many values, in C order. */
  readonly shape: readonly number[];
  /** The values, part by part; called twice, and must give the same parts both times. */
  parts(): Iterable<NpyData>;
}

const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01, as npz.ts

/** The archive's bytes, chunk by chunk. Throws (before yielding anything) when it would pass 4 GiB. */
export function* npzChunks(arrays: readonly NpyStreamArray[]): Generator<Uint8Array> {
  const seen = new Set<string>();
  const members = arrays.map((a) => {
    if (seen.has(a.name)) throw new Error(`zip: two members named ${a.name}.npy`);
    seen.add(a.name);
    const header = npyHeader(a.descr, a.shape);
    const want = a.shape.reduce((x, d) => x * d, 1);
    let crc = crc32Update(0, header);
    let values = 0;
    for (const p of a.parts()) {
      crc = crc32Update(crc, npyBody(p));
      values += p.length;
    }
    if (values !== want) throw new Error(`npy: shape [${a.shape.join(', ')}] holds ${want} values, the parts have ${values}`);
    const width = a.descr === '<f8' ? 8 : 4;
    const name = utf8(`${a.name}.npy`);
    return { array: a, name, flags: name.length !== a.name.length + 4 ? 0x800 : 0, header, crc, size: header.length + values * width };
  });
  const total = members.reduce((t, m) => t + 30 + 46 + 2 * m.name.length + m.size, 22);
  if (total > 0xffffffff || members.length > 0xffff) throw new Error(`npz: the archive would be ${Math.ceil(total / 2 ** 20)} MiB; at most 4096 MiB (no zip64)`);
  // Flag bit 11: names are UTF-8 (as npz.ts: set for every member when any needs it).
  const flags = members.some((m) => m.flags) ? 0x800 : 0;
  const offsets: number[] = [];
  let p = 0;
  for (const m of members) {
    offsets.push(p);
    const local = new Uint8Array(30 + m.name.length);
    const v = new DataView(local.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, flags, true);
    v.setUint16(12, DOS_DATE, true);
    v.setUint32(14, m.crc, true);
    v.setUint32(18, m.size, true);
    v.setUint32(22, m.size, true);
    v.setUint16(26, m.name.length, true);
    local.set(m.name, 30);
    yield local;
    yield m.header;
    for (const part of m.array.parts()) if (part.length) yield npyBody(part);
    p += local.length + m.size;
  }
  const centralStart = p;
  for (const [i, m] of members.entries()) {
    const c = new Uint8Array(46 + m.name.length);
    const v = new DataView(c.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, 20, true);
    v.setUint16(8, flags, true);
    v.setUint16(14, DOS_DATE, true);
    v.setUint32(16, m.crc, true);
    v.setUint32(20, m.size, true);
    v.setUint32(24, m.size, true);
    v.setUint16(28, m.name.length, true);
    v.setUint32(42, offsets[i], true);
    c.set(m.name, 46);
    yield c;
    p += c.length;
  }
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, members.length, true);
  v.setUint16(10, members.length, true);
  v.setUint32(12, p - centralStart, true);
  v.setUint32(16, centralStart, true);
  yield end;
}
