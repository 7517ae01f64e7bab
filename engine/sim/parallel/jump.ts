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

/** A 128×128 GF(2) matrix: column i (the image of state bit i) is words 4i … 4i+3. */
export type JumpMatrix = Int32Array;

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

/** Advance the state `s` (4 words) in place by the jump `m`. */
export function jump(m: JumpMatrix, s: Int32Array): void {
  applyInto(m, s, scratch);
  s.set(scratch);
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

/** T^k: the matrix that advances the generator by `k` draws (k a non-negative integer). */
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
  return result;
}
