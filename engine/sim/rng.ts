/**
 * Seeded pseudo-random numbers: xoshiro128** (32-bit state words, so it is
 * fast and exact in JavaScript's int32 arithmetic), seeded through splitmix32.
 *
 * Streams: every consumer gets its own generator from (seed, stream name), so
 * connectivity draws never depend on simulation draws and adding a node does
 * not shift another node's numbers.
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a stream name, to derive independent seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** @param seed any integer; @param stream a name that makes this generator independent of others. */
  constructor(seed: number, stream = '') {
    const st = { s: (Math.floor(seed) ^ Math.imul(hashString(stream), 0x27d4eb2d)) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  /**
   * Copy the generator's four state words into `out`, so a hot loop can run
   * the same xoshiro128** sequence in locals; hand them back with {@link setState}.
   */
  getState(out: Int32Array): void {
    out[0] = this.a;
    out[1] = this.b;
    out[2] = this.c;
    out[3] = this.d;
  }

  /** Continue from state words written by {@link getState} (and advanced outside). */
  setState(st: Int32Array): void {
    this.a = st[0];
    this.b = st[1];
    this.c = st[2];
    this.d = st[3];
  }

  /** Uniform on [0, 1), 32-bit resolution. */
  uniform(): number {
    return this.nextU32() * 2.3283064365386963e-10;
  }

  /** Uniform integer in [0, n). Unbiased (rejection). */
  int(n: number): number {
    if (n <= 0) throw new Error('int(n) needs n > 0');
    if (n > 0x100000000) return Math.floor(this.uniform53() * n);
    const limit = 0x100000000 - (0x100000000 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    // Both operands typed uint32 let V8 use an integer remainder instead of its float modulo.
    return ((x >>> 0) % (n >>> 0)) >>> 0;
  }

  /** Uniform on [0, 1), 53-bit resolution. */
  uniform53(): number {
    return (this.nextU32() * 2097152 + (this.nextU32() >>> 11)) * 1.1102230246251565e-16;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform53() - 1;
      v = 2 * this.uniform53() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /** Poisson(lambda) by inversion; for large lambda, a normal approximation rounded. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = this.uniform53();
    while (u > cdf) {
      k++;
      p *= lambda / k;
      cdf += p;
      if (p === 0) break;
    }
    return k;
  }

  /**
   * Number of failures before the first success of Bernoulli(p) trials, i.e. the
   * gap to the next event. Drawing gaps makes sparse events cost O(events).
   */
  geometric(p: number): number {
    if (p >= 1) return 0;
    if (p <= 0) return Infinity;
    return Math.floor(Math.log(1 - this.uniform53()) / Math.log1p(-p));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
