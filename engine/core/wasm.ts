/**
 * WebAssembly by hand: the opcodes and encodings, and `assemble`, which makes a
 * module of functions from their bytes (no build step, no file to load). Shared
 * by the simulator's kernels (`sim/wasm-kernels*.ts`) and the analysis's
 * (`analysis/stats-kernels.ts`): one table, so a byte is written once. It
 * imports nothing; `api` is the host's `WebAssembly` global when it has one.
 * See the WebAssembly core spec, §5.4 (instructions).
 */

/** Unsigned LEB128, the encoding of sizes, indices and immediates. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A SIMD (0xfd-prefixed) instruction with its immediates. */
export const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];

export const I32 = 0x7f;
export const F64 = 0x7c;
export const VOID = 0x40;
export const BLOCK = 0x02;
export const LOOP = 0x03;
export const IF = 0x04;
export const END = 0x0b;
export const BR_IF = 0x0d;
export const SELECT = 0x1b;
export const GET = 0x20;
export const SET = 0x21;
export const TEE = 0x22;
export const I32_LOAD = [0x28, 2, 0];
export const F64_LOAD = [0x2b, 3, 0];
export const I32_STORE = [0x36, 2, 0];
export const F64_STORE = [0x39, 3, 0];
export const I32_CONST = 0x41;
export const I32_EQZ = 0x45;
export const I32_LT_S = 0x48;
export const I32_LE_S = 0x4c;
export const F64_GT = 0x64;
export const I32_ADD = 0x6a;
export const I32_SHL = 0x74;
export const F64_ADD = 0xa0;
export const F64_SUB = 0xa1;
export const F64_MUL = 0xa2;
export const V128 = 0x7b;
export const V128_LOAD = simd(0x00, 3, 0);
export const V128_STORE = simd(0x0b, 3, 0);
export const V128_LOAD64_ZERO = simd(0x5d, 2, 0);
export const I64X2_EXTEND_LOW_I32X4_S = simd(0xc7);
export const I64X2_LE_S = simd(0xda);
export const I64X2_SPLAT = simd(0x12);
export const F64X2_SPLAT = simd(0x14);
export const F64X2_GT = simd(0x4a);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const V128_AND = simd(0x4e);
export const V128_BITSELECT = simd(0x52);
export const V128_ANY_TRUE = simd(0x53);
export const I64X2_BITMASK = simd(0xc4);
export const I64_EXTEND_I32_S = 0xac;
export const I32_AND = 0x71;
export const F32_LOAD = [0x2a, 2, 0];
export const I32_LT_U = 0x49;
export const I32_GE_U = 0x4f;
export const F64_PROMOTE_F32 = 0xbb;
export const BR = 0x0c;
export const I32_MUL = 0x6c;
export const I32_XOR = 0x73;
export const I32_SHR_U = 0x76;
export const I32_ROTL = 0x77;
export const F64_LT = 0x63;
export const F64_CONVERT_I32_S = 0xb7;
export const F64_CONVERT_I32_U = 0xb8;

/** `local.get i` / `local.set i`. */
export const get = (i: number): number[] => [GET, i];
export const set = (i: number): number[] => [SET, i];
/** `base + off` as an address. */
export const addr = (base: number, off: number): number[] => [GET, base, GET, off, I32_ADD];
export const ELSE = 0x05;
/** `f64.const 0`. */
export const F64_CONST_0 = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];

// Appended for the connectivity kernels (wasm-kernels-connect.ts).
export const I32_LOAD16_U = [0x2f, 1, 0];
export const I32_STORE16 = [0x3b, 1, 0];
export const I32_EQ = 0x46;
export const I32_GT_U = 0x4b;
export const I32_REM_U = 0x70;
/** `i32.load` / `i32.store` with a constant byte offset added to the address. */
export const i32LoadAt = (offset: number): number[] => [0x28, 2, ...uleb(offset)];
export const i32StoreAt = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
/** `f64x2.replace_lane lane`. */
export const f64x2ReplaceLane = (lane: number): number[] => simd(0x22, lane);

// Appended for the count rings (wasm-kernels-delivery.ts `countDef`, wasm-kernels-delta.ts).
/** `i32.load8_u` / `i32.store8` with a constant byte offset (alignment 1). */
export const i32Load8At = (offset: number): number[] => [0x2d, 0, ...uleb(offset)];
export const i32Store8At = (offset: number): number[] => [0x3a, 0, ...uleb(offset)];
/** `i32.load16_u` / `i32.store16` with a constant byte offset (alignment hint 2 bytes). */
export const i32Load16At = (offset: number): number[] => [0x2f, 1, ...uleb(offset)];
export const i32Store16At = (offset: number): number[] => [0x3b, 1, ...uleb(offset)];
/** `v128.load32_zero` (alignment hint 1 byte: the address may be odd). */
export const V128_LOAD32_ZERO_U8 = simd(0x5c, 0, 0);
export const I16X8_EXTEND_LOW_I8X16_U = simd(0x89);
export const I32X4_EXTEND_LOW_I16X8_U = simd(0xa9);
export const F64X2_CONVERT_LOW_I32X4_U = simd(0xff);
/** `v128.andnot` (a & ~b). */
export const V128_ANDNOT = simd(0x4f);

// Appended for the hashed fixed-in-degree draw (wasm-kernels-connect.ts `drawHashedDef`).
/** `i32.const n` for any 32-bit n (signed LEB128 of n | 0). */
export function i32Const(n: number): number[] {
  const out: number[] = [I32_CONST];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
export const I32_NE = 0x47;
export const I32_OR = 0x72;

// Emit sequences shared by the kernel builders.
/**
 * One xoshiro128** step (rng.ts): `out` = rotl(b·5, 7)·9, then the state
 * transition of the locals a b c d (t: a scratch local). Used by the
 * connectivity draws and the Poisson drive's draws.
 */
export function xoshiroStep(l: { readonly a: number; readonly b: number; readonly c: number; readonly d: number; readonly t: number }, out: number): number[] {
  const xorTo = (x: number, y: number) => [...get(x), ...get(y), I32_XOR, ...set(x)];
  return [
    ...get(l.b),
    I32_CONST,
    5,
    I32_MUL,
    I32_CONST,
    7,
    I32_ROTL,
    I32_CONST,
    9,
    I32_MUL,
    ...set(out),
    ...get(l.b),
    I32_CONST,
    9,
    I32_SHL,
    ...set(l.t),
    ...xorTo(l.c, l.a),
    ...xorTo(l.d, l.b),
    ...xorTo(l.b, l.c),
    ...xorTo(l.a, l.d),
    ...xorTo(l.c, l.t),
    ...get(l.d),
    I32_CONST,
    11,
    I32_ROTL,
    ...set(l.d),
  ];
}

// Appended for the statistics kernels (analysis/stats-kernels.ts).
export const I32_SUB = 0x6b;
export const I32_DIV_S = 0x6d;
export const I32_SHR_S = 0x75;
export const I32_GT_S = 0x4a;
export const I32_GE_S = 0x4e;
export const F64_GE = 0x66;
export const F64_DIV = 0xa3;
export const F64_SQRT = 0x9f;
export const F64_MAX = 0xa5;
/** `f64.const v`. */
export const f64Const = (v: number): number[] => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];
/** `f64.store` with a constant byte offset added to the address. */
export const f64StoreAt = (offset: number): number[] => [0x39, 3, ...uleb(offset)];
/** `f64.load` with a constant byte offset added to the address. */
export const f64LoadAt = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];

/** The slice of the WebAssembly JS API used here (the core tsconfig has no wasm types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmApi {
  /** `shared`: a memory whose buffer is a SharedArrayBuffer (needs `maximum`; modules must import it as shared, {@link assemble}). */
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  /** Compiles off the calling thread. */
  compile?: (bytes: Uint8Array) => Promise<object>;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}

/** The WebAssembly API of this host, if any. */
export const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

// Opcodes and types (WebAssembly core spec 1.0).

/**
 * Bytes in nested arrays, flattened once at the end: a module is built from
 * thousands of small pieces, and copying them with spreads at every level ran
 * as cold code at ~1 µs a byte (a 1 kB module took ~4 ms to assemble); one native
 * `flat` does it in microseconds.
 */
export type Bytes = number | readonly Bytes[];
export const flatten = (b: readonly Bytes[]): number[] => (b as unknown[]).flat(Infinity) as number[];

function vec(items: readonly Bytes[]): Bytes[] {
  return [uleb(items.length), items];
}

function section(id: number, body: readonly Bytes[]): Bytes[] {
  const bytes = flatten(body);
  return [id, uleb(bytes.length), bytes];
}

function name(s: string): Bytes[] {
  return [uleb(s.length), Array.from(s, (ch) => ch.charCodeAt(0))];
}

export interface FuncDef {
  readonly exportName: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Extra locals, in order after the params. */
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

/**
 * A module importing `env.mem` and exporting the given functions. With `sharedMemory` the
 * import is a shared memory (of up to 4 GiB): such a module takes only shared memories, and
 * the others only unshared ones.
 */
export function assemble(funcs: readonly FuncDef[], sharedMemory = false): Uint8Array {
  const types = funcs.map((f) => [0x60, vec(f.params), vec(f.results)]);
  const imports = [[name('env'), name('mem'), 0x02, ...(sharedMemory ? [0x03, 0x01, uleb(0x10000)] : [0x00, 0x01])]];
  const fnTypes = funcs.map((_, i) => uleb(i));
  const exports = funcs.map((f, i) => [name(f.exportName), 0x00, uleb(i)]);
  const codes = funcs.map((f) => {
    const body = flatten([vec(f.locals.map((t) => [1, t])), f.body, END]);
    return [uleb(body.length), body];
  });
  return Uint8Array.from(
    flatten([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, section(1, vec(types)), section(2, vec(imports)), section(3, vec(fnTypes)), section(7, vec(exports)), section(10, vec(codes))]),
  );
}
