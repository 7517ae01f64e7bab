/**
 * The IDX format of MNIST and its relatives (Fashion-MNIST, EMNIST, KMNIST):
 * a 4-byte magic `00 00 <type> <dims>`, then `dims` big-endian uint32 sizes,
 * then the values, big-endian, row-major. Types: 0x08 uint8, 0x09 int8,
 * 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 *
 * Pure parsing of bytes a host has read (engine/hosts for the CLI, electron/
 * for the desktop app, a file input in a browser). A gzipped file (`.gz`, as
 * the MNIST files are distributed) is recognised by its magic `1f 8b` and
 * inflated with the platform's `DecompressionStream` (Node 18+, every current
 * browser): no dependency.
 */

/** The array types an IDX file can hold. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its shape and its values (uint8 files keep their bytes, no copy). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: IdxData;
}

/** A malformed file: the message says what is wrong and where, for the node and field that named the file. */
export class IdxError extends Error {}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

/** Whether `bytes` start with gzip's magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The platform's DecompressionStream, typed structurally (the core compiles without the DOM's types). */
interface Inflater {
  readonly readable: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }> } };
  readonly writable: { getWriter(): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } };
}

/** The bytes, inflated when they are gzipped (else returned as they are). Rejects a corrupt or truncated gzip stream. */
export async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const Ctor = (globalThis as unknown as { DecompressionStream?: new (format: string) => Inflater }).DecompressionStream;
  if (!Ctor) throw new IdxError('is gzipped, and this platform cannot inflate it (no DecompressionStream); unzip it first');
  const ds = new Ctor('gzip');
  const writer = ds.writable.getWriter();
  // Errors surface on the reading side; the writer's own promises are only awaited there.
  const written = writer.write(bytes).then(() => writer.close());
  written.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = ds.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value!);
      total += value!.length;
    }
    await written;
  } catch (e) {
    throw new IdxError(`is gzipped but its data is corrupt or truncated (${(e as Error).message})`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * Parse an IDX file (already inflated). Throws {@link IdxError} for a wrong
 * magic number, an unknown type, a header or body shorter than the shape
 * says (truncated), or bytes left over after it.
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (isGzip(bytes)) throw new IdxError('is still gzipped (inflate it first)');
  if (bytes.length < 4) throw new IdxError(`is ${bytes.length} bytes long, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(`is not an IDX file: it starts with bytes ${hex(bytes[0])} ${hex(bytes[1])}, not 00 00 (MNIST-style files are "…-idx3-ubyte" or "…-idx1-ubyte", optionally .gz)`);
  }
  const type = TYPES[bytes[2]];
  if (!type) throw new IdxError(`has an unknown IDX value type ${hex(bytes[2])} (expected 08 uint8, 09 int8, 0B int16, 0C int32, 0D float32 or 0E float64)`);
  const nd = bytes[3];
  if (nd === 0) throw new IdxError('has 0 dimensions; an IDX dataset needs at least one (the sample count)');
  const headerBytes = 4 + 4 * nd;
  if (bytes.length < headerBytes) throw new IdxError(`is truncated: its header declares ${nd} dimensions (${headerBytes} bytes) but the file has ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < nd; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    count *= n;
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length < expected) {
    throw new IdxError(`is truncated: its header says ${dims.join(' × ')} ${type.name} values (${expected} bytes with the header) but the file has ${bytes.length} bytes`);
  }
  if (bytes.length > expected) throw new IdxError(`has ${bytes.length - expected} bytes after the ${dims.join(' × ')} ${type.name} values its header declares; it is not one IDX array`);
  const body = bytes.subarray(headerBytes, expected);
  if (type.bytes === 1) {
    const data = bytes[2] === 0x08 ? body : new Int8Array(body.buffer, body.byteOffset, body.length);
    return { dims, data };
  }
  const data = bytes[2] === 0x0b ? new Int16Array(count) : bytes[2] === 0x0c ? new Int32Array(count) : bytes[2] === 0x0d ? new Float32Array(count) : new Float64Array(count);
  const bv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const get =
    bytes[2] === 0x0b
      ? (k: number) => bv.getInt16(2 * k, false)
      : bytes[2] === 0x0c
        ? (k: number) => bv.getInt32(4 * k, false)
        : bytes[2] === 0x0d
          ? (k: number) => bv.getFloat32(4 * k, false)
          : (k: number) => bv.getFloat64(8 * k, false);
  for (let k = 0; k < count; k++) data[k] = get(k);
  return { dims, data };
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
