/**
 * Weight monitors' latest snapshots during and after a run (protocol
 * `weights` events, engine/sim/weight-recorder.ts). Only the latest snapshot
 * is kept, plus the mean weight of every snapshot (a small line over time).
 */
import type { WeightChunk } from '../../engine/protocol/messages.ts';

export interface WeightRecord {
  readonly monitorId: string;
  /** The plasticity node whose projection is watched. */
  nodeId: string;
  sourceSize: number;
  targetSize: number;
  /** Synapse k joins `pre[k]` → `post[k]` (from the monitor's first chunk). */
  pre: Int32Array | null;
  post: Int32Array | null;
  /** The latest snapshot, and the step it belongs to. */
  w: Float32Array | null;
  step: number;
  /** Snapshots received. */
  snapshots: number;
  /** Step and mean weight of every snapshot, in order. */
  readonly meanSteps: number[];
  readonly means: number[];
}

export class WeightBuffers {
  private readonly records = new Map<string, WeightRecord>();

  /** Forget everything and expect these monitors. */
  reset(monitorIds: readonly string[]): void {
    this.records.clear();
    for (const monitorId of monitorIds) {
      this.records.set(monitorId, { monitorId, nodeId: '', sourceSize: 0, targetSize: 0, pre: null, post: null, w: null, step: 0, snapshots: 0, meanSteps: [], means: [] });
    }
  }

  clear(): void {
    this.records.clear();
  }

  get(monitorId: string): WeightRecord | undefined {
    return this.records.get(monitorId);
  }

  append(e: WeightChunk): void {
    const r = this.records.get(e.monitorId);
    if (!r) return;
    r.nodeId = e.nodeId;
    r.sourceSize = e.sourceSize;
    r.targetSize = e.targetSize;
    if (e.pre && e.post) {
      r.pre = e.pre;
      r.post = e.post;
    }
    const n = r.pre?.length ?? 0;
    if (n === 0 || e.steps.length === 0) {
      r.snapshots += e.steps.length;
      return;
    }
    for (let s = 0; s < e.steps.length; s++) {
      let sum = 0;
      for (let k = s * n; k < (s + 1) * n; k++) sum += e.w[k];
      r.meanSteps.push(e.steps[s]);
      r.means.push(sum / n);
    }
    const last = e.steps.length - 1;
    r.w = e.w.slice(last * n, (last + 1) * n);
    r.step = e.steps[last];
    r.snapshots += e.steps.length;
  }
}
