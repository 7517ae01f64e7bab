/**
 * A weight monitor's recorder: snapshots of a plastic projection's weights,
 * one at t = 0 (the initial weights) and then every `everySteps` steps
 * (after the step's plasticity updates, labelled with the next step: the
 * weights at time `step · dt`). `drain()` hands the pending snapshots out for
 * the host to transfer; the first drain also carries the synapses' two ends,
 * which do not change during a run.
 */
import type { Csr } from './connect.ts';

/** At most this many bytes of snapshots wait for a drain; past it the oldest are dropped (the UI shows the latest). */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export interface WeightSnapshots {
  /** The step each snapshot belongs to (its time is `step · dt`). */
  readonly steps: Int32Array;
  /** `steps.length` rows of one weight per synapse, in CSR order. */
  readonly w: Float32Array;
  /** Present in the first drain: synapse k joins `pre[k]` → `post[k]`. */
  readonly pre?: Int32Array;
  readonly post?: Int32Array;
}

export class WeightRecorder {
  private pendingRows: Float32Array[] = [];
  private pendingSteps: number[] = [];
  private layoutSent = false;
  readonly maxPending: number;
  /** Snapshots dropped because nothing drained them in time. */
  dropped = 0;

  constructor(
    readonly monitorId: string,
    /** The plasticity node whose projection is watched. */
    readonly nodeId: string,
    readonly csr: Csr,
    /** The live weights (the rule updates them in place). */
    private readonly weights: () => Float64Array,
    readonly everySteps: number,
  ) {
    this.maxPending = Math.max(1, Math.floor(MAX_PENDING_BYTES / Math.max(1, 4 * csr.col.length)));
    this.snapshot(0);
  }

  get sourceSize(): number {
    return this.csr.nSource;
  }

  get targetSize(): number {
    return this.csr.nTarget;
  }

  get synapses(): number {
    return this.csr.col.length;
  }

  /** Call after step `n` has run. */
  record(n: number): void {
    if ((n + 1) % this.everySteps === 0) this.snapshot(n + 1);
  }

  private snapshot(step: number): void {
    if (this.pendingRows.length >= this.maxPending) {
      this.pendingRows.shift();
      this.pendingSteps.shift();
      this.dropped++;
    }
    this.pendingRows.push(new Float32Array(this.weights()));
    this.pendingSteps.push(step);
  }

  get pending(): number {
    return this.pendingRows.length;
  }

  /** The snapshots since the last drain, as fresh arrays (safe to transfer). */
  drain(): WeightSnapshots {
    const n = this.synapses;
    const w = new Float32Array(this.pendingRows.length * n);
    this.pendingRows.forEach((row, r) => w.set(row, r * n));
    const steps = Int32Array.from(this.pendingSteps);
    this.pendingRows = [];
    this.pendingSteps = [];
    if (this.layoutSent) return { steps, w };
    this.layoutSent = true;
    const { rowPtr, col } = this.csr;
    const pre = new Int32Array(n);
    for (let i = 0; i + 1 < rowPtr.length; i++) pre.fill(i, rowPtr[i], rowPtr[i + 1]);
    return { steps, w, pre, post: Int32Array.from(col) };
  }
}
