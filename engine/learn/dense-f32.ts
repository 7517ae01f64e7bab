/**
 * The dense projections of an `SgNetwork` on the float32 SIMD kernels
 * (engine/sim/wasm-train-kernels.ts): a float32 copy of their weights, and a
 * float32 gradient accumulator that `flushGrads` adds into the float64
 * gradients. Only for hard spikes (0 or 1), so never for the smooth forward
 * pass of the gradient check, which stays on the float64 loops.
 */
import { trainKernels, type DenseSlot, type TrainKernels } from '../sim/wasm-train-kernels.ts';
import type { SgProjectionSpec } from './sg-network.ts';

export class DenseF32 {
  /** Slot of each projection in the kernels' memory, or −1 (not dense: the JS loops). */
  readonly slotOf: Int32Array;
  /** The source row list the kernels' `rows` holds: spikes array and offset it came from, and its length. */
  private rowsOf: Float64Array | null = null;
  private rowsAt = -1;
  private nRows = 0;

  private constructor(
    private readonly k: TrainKernels,
    slotOf: Int32Array,
  ) {
    this.slotOf = slotOf;
  }

  /** Kernels for the projections flagged dense, or null without wasm SIMD (or none dense). */
  static create(projections: readonly SgProjectionSpec[], dense: readonly boolean[], sizes: readonly number[]): DenseF32 | null {
    const slotOf = new Int32Array(projections.length).fill(-1);
    const shapes: [number, number][] = [];
    projections.forEach((p, i) => {
      if (!dense[i]) return;
      slotOf[i] = shapes.length;
      shapes.push([sizes[p.source], sizes[p.target]]);
    });
    const k = trainKernels(shapes);
    if (!k) return null;
    const d = new DenseF32(k, slotOf);
    d.syncWeights(projections);
    return d;
  }

  /** Copy the float64 weights into the kernels' float32 rows; after every change of the weights. */
  syncWeights(projections: readonly SgProjectionSpec[]): void {
    projections.forEach((p, i) => {
      const s = this.slot(i);
      if (!s) return;
      for (let r = 0; r < s.ns; r++) s.w.set(p.w.subarray(r * s.nt, r * s.nt + s.nt), r * s.stride);
    });
    this.rowsOf = null;
  }

  /** Add the float32 gradient accumulators into `grads` and zero them. */
  flushGrads(grads: readonly Float64Array[]): void {
    grads.forEach((g, i) => {
      const s = this.slot(i);
      if (!s) return;
      const { nt, stride } = s;
      for (let r = 0; r < s.ns; r++) {
        const a = r * stride;
        const b = r * nt;
        for (let j = 0; j < nt; j++) g[b + j] += s.g[a + j];
      }
      s.g.fill(0);
    });
  }

  zeroGrads(): void {
    for (const s of this.k.slots) s.g.fill(0);
  }

  /** Forget the cached row list: call when a new pass (forward or backward) starts, as the spikes change between samples. */
  newPass(): void {
    this.rowsOf = null;
  }

  /** Whether projection i runs here. */
  has(i: number): boolean {
    return this.slotOf[i] >= 0;
  }

  /** I[o + j] += sign · Σ_{spiking rows r of s at so} W[r, j]; returns the synaptic events (rows × targets). */
  forward(i: number, s: Float64Array, so: number, ns: number, sign: number, I: Float64Array, o: number): number {
    const sl = this.slot(i)!;
    const n = this.rowsFor(s, so, ns);
    if (n === 0) return 0;
    const k = this.k;
    k.fwd(k.rowsAddr, n, sl.wAddr, sl.stride * 4, k.yAddr, sign);
    const y = k.y;
    for (let j = 0; j < sl.nt; j++) I[o + j] += y[j];
    return n * sl.nt;
  }

  /**
   * The backward step of a dense projection (sg-network.ts `denseBackward`):
   * G[r, j] += sign · gI[gOff + j] for the spiking rows r of s at so, and, when
   * `gs` is given, gs[i] += sign · Σ_j W[i, j] · gI[gOff + j] for every source i.
   */
  backward(i: number, s: Float64Array, so: number, ns: number, sign: number, gI: Float64Array, gOff: number, gs: Float64Array | null): void {
    const sl = this.slot(i)!;
    const k = this.k;
    const gi = k.gi;
    for (let j = 0; j < sl.nt; j++) gi[j] = sign * gI[gOff + j];
    for (let j = sl.nt; j < sl.stride; j++) gi[j] = 0;
    const n = this.rowsFor(s, so, ns);
    if (n > 0) k.outer(k.rowsAddr, n, sl.gAddr, sl.stride * 4, k.giAddr);
    if (gs === null) return;
    k.dots(ns, sl.wAddr, sl.stride * 4, k.giAddr, k.outAddr);
    const out = k.out;
    for (let r = 0; r < ns; r++) gs[r] += out[r];
  }

  private slot(i: number): DenseSlot | null {
    const k = this.slotOf[i];
    return k < 0 ? null : this.k.slots[k];
  }

  /** The spiking rows of s at so (cached: the exc and inh projections of a source share them). */
  private rowsFor(s: Float64Array, so: number, ns: number): number {
    if (this.rowsOf === s && this.rowsAt === so) return this.nRows;
    const rows = this.k.rows;
    let n = 0;
    for (let r = 0; r < ns; r++) if (s[so + r] !== 0) rows[n++] = r;
    this.rowsOf = s;
    this.rowsAt = so;
    this.nRows = n;
    return n;
  }
}
