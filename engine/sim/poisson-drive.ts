/**
 * Brunel's external drive: every target neuron receives, in every step, k
 * external spikes from `count` independent Poisson inputs of rate ν, so
 * k ~ Binomial(count, ν·dt) (Brian2's PoissonInput), and `sign·k·weight` is
 * added to its receptor in the synapses phase.
 *
 * Speed matters (Brunel x4 draws 125 M of these per simulated second), so a
 * draw is one 32-bit random number and a table look-up: the Binomial's CDF is
 * tabulated once as 32-bit thresholds, and a guide table (Chen & Asau 1974)
 * jumps straight to the right neighbourhood, so a draw costs about one
 * comparison. Probabilities are resolved to 2⁻³², and tail mass below
 * ~10⁻¹⁸ of the peak is dropped.
 */
import type { BuildContext, Drive, DriveKernelArgs } from './runtime.ts';
import type { Rng } from './rng.ts';
import type { DeliveryKernels } from './wasm-kernels-delivery.ts';

const TWO32 = 4294967296;

/**
 * A discrete distribution on kMin … kMin + thresholds.length − 1, sampled by
 * inversion of one uniform 32-bit number.
 */
export class DiscreteTable {
  /** floor(CDF·2³²) of each value, the last one 2³² (so the search always stops). */
  readonly thresholds: Float64Array;
  /** For each top-bits bucket of the uniform number, the first candidate index. */
  readonly guide: Int32Array;
  readonly shift: number;
  readonly kMin: number;

  /** @param pmf probabilities of kMin, kMin+1, …; renormalised here. */
  constructor(pmf: ArrayLike<number>, kMin: number) {
    let total = 0;
    for (let k = 0; k < pmf.length; k++) total += pmf[k];
    const m = pmf.length;
    this.kMin = kMin;
    this.thresholds = new Float64Array(m);
    let cdf = 0;
    for (let k = 0; k < m; k++) {
      cdf += pmf[k] / total;
      this.thresholds[k] = k === m - 1 ? TWO32 : Math.min(TWO32, Math.floor(cdf * TWO32));
    }
    // About one guide entry per value (at least 256), capped at 2^16 entries.
    let bits = 8;
    while (bits < 16 && 1 << bits < m) bits++;
    this.shift = 32 - bits;
    const g = 1 << bits;
    this.guide = new Int32Array(g);
    let k = 0;
    for (let b = 0; b < g; b++) {
      const start = b * 2 ** this.shift;
      while (this.thresholds[k] <= start) k++;
      this.guide[b] = k;
    }
  }

  /** The value for a uniform 32-bit number u. */
  lookup(u: number): number {
    const thr = this.thresholds;
    let k = this.guide[u >>> this.shift];
    while (u >= thr[k]) k++;
    return k + this.kMin;
  }
}

/**
 * The Binomial(n, p) distribution as a {@link DiscreteTable}. The pmf is built
 * outward from the mode with the ratio recurrence, so it neither underflows
 * for large n·p nor needs log-gamma.
 */
export function binomialTable(n: number, p: number): DiscreteTable {
  if (!(p > 0) || n <= 0) return new DiscreteTable([1], 0);
  if (p >= 1) return new DiscreteTable([1], n);
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const cut = 1e-18;
  // P(k+1)/P(k) = (n−k)/(k+1)·p/q.
  const up: number[] = [];
  for (let k = mode, w = 1; k < n; k++) {
    w *= ((n - k) / (k + 1)) * (p / q);
    if (w < cut) break;
    up.push(w);
  }
  const down: number[] = [];
  for (let k = mode, w = 1; k > 0; k--) {
    w *= (k / (n - k + 1)) * (q / p);
    if (w < cut) break;
    down.push(w);
  }
  const pmf = [...down.reverse(), 1, ...up];
  return new DiscreteTable(pmf, mode - down.length);
}

/**
 * Per neuron and step: k ~ Binomial(count, rate·dt) external spikes, each adding
 * `sign·weight`. The uniform numbers come from a private xoshiro128** (the same
 * generator as {@link Rng}) seeded from the node's stream, with its state held
 * in locals through the loop: this is the engine's hottest loop for Brunel.
 */
export type { DriveKernelArgs };

export class PoissonDrive implements Drive {
  events = 0;
  readonly table: DiscreteTable;
  private readonly w: number;
  /** The generator's four words (moved into the kernel's memory by {@link bindKernel}). */
  private state = new Int32Array(4);
  /** The wasm loop and where its table and state are, once bound. */
  private kernel: DeliveryKernels | null = null;
  private thrAt = 0;
  private guideAt = 0;
  private stateAt = 0;
  private wAt = 0;

  constructor(
    count: number,
    rateHz: number,
    weight: number,
    sign: number,
    private readonly targetSize: number,
    rng: Rng,
    dtMs: number,
  ) {
    this.table = binomialTable(count, Math.min(1, (rateHz * dtMs) / 1000));
    this.w = sign * weight;
    for (let k = 0; k < 4; k++) this.state[k] = rng.nextU32() | 0;
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** Bytes {@link bindKernel} needs at an 8-byte-aligned address: thresholds, guide, state, weight. */
  kernelBytes(): number {
    return this.table.thresholds.byteLength + this.table.guide.byteLength + 16 + 8;
  }

  /**
   * Copy the table and the generator state to `at` in the delivery kernels'
   * memory: from then on, fills into a slot of that memory run the wasm loop
   * (the same numbers; wasm-kernels-delivery.ts), others the JS one.
   */
  bindKernel(k: DeliveryKernels, at: number): void {
    const { thresholds, guide } = this.table;
    // k·size must stay an i32 sum in the kernel.
    if ((this.table.kMin + thresholds.length) * this.targetSize >= 0x7fffffff) return;
    new Float64Array(k.buffer, at, thresholds.length).set(thresholds);
    this.thrAt = at;
    this.guideAt = at + thresholds.byteLength;
    new Int32Array(k.buffer, this.guideAt, guide.length).set(guide);
    this.stateAt = this.guideAt + guide.byteLength;
    const st = new Int32Array(k.buffer, this.stateAt, 4);
    st.set(this.state);
    this.state = st;
    // The guide has 2^bits ≥ 256 entries, so state + 16 is 8-byte aligned.
    this.wAt = this.stateAt + 16;
    new Float64Array(k.buffer, this.wAt, 1)[0] = this.w;
    this.kernel = k;
  }

  /** The bound table and state, for a kernel that draws this drive's numbers itself; null when not bound to `k`. */
  kernelArgs(k: DeliveryKernels): DriveKernelArgs | null {
    if (this.kernel !== k) return null;
    return { wAt: this.wAt, stateAt: this.stateAt, thrAt: this.thrAt, guideAt: this.guideAt, shift: this.table.shift, kMin: this.table.kMin };
  }

  fill(_step: number, out: Float64Array): void {
    const kernel = this.kernel;
    if (kernel !== null && out.buffer === kernel.buffer && out.length === this.targetSize) {
      const t = this.table;
      this.events = kernel.poisson(this.targetSize, out.byteOffset, this.wAt, this.stateAt, this.thrAt, this.guideAt, t.shift, t.kMin);
      return;
    }
    const w = this.w;
    const { thresholds: thr, guide, shift, kMin } = this.table;
    const st = this.state;
    let a = st[0];
    let b = st[1];
    let c = st[2];
    let d = st[3];
    const n = this.targetSize;
    let events = 0;
    for (let j = 0; j < n; j++) {
      // xoshiro128**: result = rotl(b·5, 7)·9, then the state transition.
      const b5 = Math.imul(b, 5);
      const u = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      let k = guide[u >>> shift];
      while (u >= thr[k]) k++;
      k += kMin;
      // Unconditional: a branch on k = 0 (13 % of draws for Brunel) mispredicts more than the add costs.
      out[j] += k * w;
      events += k;
    }
    st[0] = a;
    st[1] = b;
    st[2] = c;
    st[3] = d;
    this.events = events;
  }
}

export function createPoissonDrive(params: Readonly<Record<string, unknown>>, targetSize: number, ctx: BuildContext, sign: number): PoissonDrive {
  return new PoissonDrive(params.count as number, params.rate_hz as number, params.weight as number, sign, targetSize, ctx.rng, ctx.dtMs);
}
