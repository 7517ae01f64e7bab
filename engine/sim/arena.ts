/**
 * One WebAssembly memory per network, handed out by a bump allocator, so that
 * the build draws connectivity straight into the memory the delivery kernels
 * read, instead of drawing into JS arrays and copying.
 *
 * Why: on this class of machine the first touch of fresh memory costs about
 * 3 ms per MB (page faults; measured in bench/README.md), so the copy of
 * Brunel x4's 62.5 MB of columns cost 190 ms, as much again as drawing them.
 * A reservation costs nothing until it is touched, so the arena is sized
 * generously up front and never grows: every typed-array view into it stays
 * valid for the network's life.
 */
import { wasmKernelsEnabled } from './wasm-kernels.ts';
import { api, type WasmMemory } from '../core/wasm.ts';

/** Largest arena: the kernels address it with i32 byte offsets. */
export const ARENA_MAX_BYTES = 0x7fff0000;

export class Arena {
  private top: number;
  /** The highest the bump pointer has been: memory above it was never handed out, so it is still zero. */
  private high: number;

  constructor(
    readonly memory: WasmMemory,
    /** Bytes below this are reserved for the caller (0 for none). */
    base = 0,
  ) {
    this.top = base;
    this.high = base;
  }

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  /** Bytes handed out so far (the high-water mark of the bump pointer). */
  get used(): number {
    return this.top;
  }

  /** Room left. */
  get free(): number {
    return this.memory.buffer.byteLength - this.top;
  }

  /** The byte offset of `bytes` fresh bytes aligned to `align`, or −1 when they do not fit. */
  alloc(bytes: number, align = 8): number {
    if (!(bytes >= 0)) throw new RangeError(`arena alloc of ${bytes} bytes`);
    const at = Math.ceil(this.top / align) * align;
    if (at + bytes > this.memory.buffer.byteLength) return -1;
    this.top = at + bytes;
    if (this.top > this.high) this.high = this.top;
    return at;
  }

  /** A position to {@link release} back to: scratch allocated after it is given back in one go. */
  mark(): number {
    return this.top;
  }

  /** Give back everything allocated since `mark` (its contents are left as they are, not zeroed). */
  release(mark: number): void {
    if (mark < 0 || mark > this.top) throw new RangeError(`arena release to ${mark} outside 0..${this.top}`);
    this.top = mark;
  }

  u32(length: number): Uint32Array | null {
    const at = this.alloc(4 * length, 8);
    return at < 0 ? null : new Uint32Array(this.memory.buffer, at, length);
  }

  i32(length: number): Int32Array | null {
    const at = this.alloc(4 * length, 8);
    return at < 0 ? null : new Int32Array(this.memory.buffer, at, length);
  }

  u16(length: number): Uint16Array | null {
    const at = this.alloc(2 * length, 8);
    return at < 0 ? null : new Uint16Array(this.memory.buffer, at, length);
  }

  f64(length: number): Float64Array | null {
    const at = this.alloc(8 * length, 8);
    return at < 0 ? null : new Float64Array(this.memory.buffer, at, length);
  }

  /**
   * `bytes` bytes of zeros at the returned offset (−1: no room). Only what was handed out
   * before (and given back) is cleared: fresh memory is zero already, and left untouched it
   * costs nothing (a ring that is never written, e.g. one that `Network` turns into a count
   * ring, faults in no page).
   */
  allocZero(bytes: number, align = 8): number {
    const high = this.high;
    const at = this.alloc(bytes, align);
    if (at >= 0 && at < high) new Uint8Array(this.memory.buffer, at, Math.min(bytes, high - at)).fill(0);
    return at;
  }

  /** {@link f64} of zeros ({@link allocZero}). */
  f64Zero(length: number): Float64Array | null {
    const at = this.allocZero(8 * length);
    return at < 0 ? null : new Float64Array(this.memory.buffer, at, length);
  }

  /** u8 or u16 zeros ({@link allocZero}). */
  countsZero(length: number, bytes: 1 | 2): Uint8Array | Uint16Array | null {
    const at = this.allocZero(bytes * length);
    return at < 0 ? null : bytes === 1 ? new Uint8Array(this.memory.buffer, at, length) : new Uint16Array(this.memory.buffer, at, length);
  }

  f32(length: number): Float32Array | null {
    const at = this.alloc(4 * length, 8);
    return at < 0 ? null : new Float32Array(this.memory.buffer, at, length);
  }
}

/**
 * An arena of at least `bytes` bytes (rounded up to 64 KiB pages), or null
 * when WebAssembly is missing or turned off, or the size is over
 * {@link ARENA_MAX_BYTES} or cannot be reserved: callers then use plain arrays.
 * `shared`: its buffer is a SharedArrayBuffer, which other threads can view
 * (null where shared memory is not available).
 */
export function createArena(bytes: number, shared = false): Arena | null {
  if (!api || !wasmKernelsEnabled() || !(bytes >= 0) || bytes > ARENA_MAX_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  try {
    return new Arena(new api.Memory({ initial: pages, maximum: pages, ...(shared ? { shared: true } : {}) }));
  } catch {
    return null;
  }
}
