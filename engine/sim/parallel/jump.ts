/**
 * Jump-ahead for xoshiro128** (the generator of `sim/rng.ts` and of the
 * Poisson drive's inlined loop).
 *
 * The generator's state transition is linear over GF(2) on its 128 state bits,
 * so advancing it by k steps is a 128×128 bit matrix, T^k, computed once by
 * repeated squaring. A thread that owns neurons [lo, hi) of a drive that draws
 * one number per neuron per step jumps T^lo at build time and T^(N − (hi − lo))
 * after every step, and so draws exactly the numbers the single-threaded loop
 * draws for its neurons: results do not depend on the thread count.
 */

/**
 * A 128×128 GF(2) matrix: column i (the image of state bit i) is words 4i … 4i+3. As
 * {@link jumpMatrix} makes it, followed by its nibble table ({@link NIBBLES}), which
 * {@link jump} uses.
 */
export type JumpMatrix = Int32Array;

/** Words of a matrix's columns. */
const COLUMNS = 512;
/**
 * The nibble table after the columns: for each of the state's 32 nibbles k and each of its 16
 * values v, the image of v in nibble k (the XOR of the columns of v's bits), 4 words at
 * `COLUMNS + (16k + v) · 4`. A jump then costs 32 lookups of 4 words (~0.1 µs) instead of a test
 * and up to 4 XORs per state bit (~1 µs). Every step of a parallel run jumps each sliced Poisson
 * drive's generator once per thread (Brunel x4 on two threads: 2 · 10 000 jumps a thread per
 * simulated second). 8 KB, so it stays in the core's first-level cache.
 */
const NIBBLES = 32 * 16 * 4;

/** One xoshiro128** state transition, in place (the output scrambler is not part of the state). */
export function transition(s: Int32Array): void {
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 11) | (s[3] >>> 21);
}

/** `out` ← M·s (out must not alias s). */
function applyInto(m: JumpMatrix, s: Int32Array, out: Int32Array): void {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  for (let w = 0; w < 4; w++) {
    let word = s[w];
    let i = w * 32;
    while (word !== 0) {
      if (word & 1) {
        const o = 4 * i;
        r0 ^= m[o];
        r1 ^= m[o + 1];
        r2 ^= m[o + 2];
        r3 ^= m[o + 3];
      }
      word >>>= 1;
      i++;
    }
  }
  out[0] = r0;
  out[1] = r1;
  out[2] = r2;
  out[3] = r3;
}

const scratch = new Int32Array(4);

/** Advance the state `s` (4 words) in place by the jump `m` (by its nibble table when it has one). */
export function jump(m: JumpMatrix, s: Int32Array): void {
  if (m.length < COLUMNS + NIBBLES) {
    applyInto(m, s, scratch);
    s.set(scratch);
    return;
  }
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  for (let w = 0; w < 4; w++) {
    const word = s[w];
    for (let q = 0; q < 8; q++) {
      const o = COLUMNS + (((w * 8 + q) * 16 + ((word >>> (4 * q)) & 15)) << 2);
      r0 ^= m[o];
      r1 ^= m[o + 1];
      r2 ^= m[o + 2];
      r3 ^= m[o + 3];
    }
  }
  s[0] = r0;
  s[1] = r1;
  s[2] = r2;
  s[3] = r3;
}

/** The columns of `m` followed by their nibble table ({@link NIBBLES}). */
function withNibbles(m: JumpMatrix): JumpMatrix {
  const out = new Int32Array(COLUMNS + NIBBLES);
  out.set(m.subarray(0, COLUMNS));
  for (let k = 0; k < 32; k++) {
    for (let v = 1; v < 16; v++) {
      // v's image: the image of v without its lowest bit, XOR the column of that bit.
      const low = 31 - Math.clz32(v & -v);
      const at = COLUMNS + ((k * 16 + v) << 2);
      const rest = COLUMNS + ((k * 16 + (v & (v - 1))) << 2);
      const col = 4 * (4 * k + low);
      for (let x = 0; x < 4; x++) out[at + x] = out[rest + x] ^ m[col + x];
    }
  }
  return out;
}

function identity(): JumpMatrix {
  const m = new Int32Array(512);
  for (let i = 0; i < 128; i++) m[4 * i + (i >> 5)] = 1 << (i & 31);
  return m;
}

/** A·B (apply B, then A). */
function multiply(a: JumpMatrix, b: JumpMatrix): JumpMatrix {
  const out = new Int32Array(512);
  for (let i = 0; i < 128; i++) applyInto(a, b.subarray(4 * i, 4 * i + 4), out.subarray(4 * i, 4 * i + 4));
  return out;
}

/** T^k: the matrix that advances the generator by `k` draws (k a non-negative integer), with its nibble table. */
export function jumpMatrix(k: number): JumpMatrix {
  if (!(Number.isInteger(k) && k >= 0)) throw new Error(`jumpMatrix needs a whole number of steps ≥ 0, got ${k}`);
  let base: JumpMatrix = new Int32Array(512);
  const e = new Int32Array(4);
  for (let i = 0; i < 128; i++) {
    e.fill(0);
    e[i >> 5] = 1 << (i & 31);
    transition(e);
    base.set(e, 4 * i);
  }
  let result: JumpMatrix = identity();
  let n = k;
  while (n > 0) {
    if (n % 2 === 1) result = multiply(base, result);
    n = Math.floor(n / 2);
    if (n > 0) base = multiply(base, base);
  }
  return withNibbles(result);
}
