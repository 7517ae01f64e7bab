/**
 * A small seeded generator for the analysis (bootstrap draws, synthetic data in
 * tests). `engine/analysis` sits below `sim/` and may not import its `Rng`, so it
 * carries its own: sfc32, seeded through a murmur-style mix of the seed.
 */

/** A seeded uniform generator on [0, 1). */
export type Uniform = () => number;

/** A seeded uniform generator on [0, 1) (sfc32): the same seed gives the same numbers. */
export function seededUniform(seed: number): Uniform {
  let h = (Math.floor(seed) ^ 0x5bd1e995) | 0;
  const mix = () => {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    h ^= h >>> 15;
    return h >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
