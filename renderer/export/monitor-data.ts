/**
 * The results buffers of the last run as the shared export layout
 * (`engine/format/monitor-export.ts`), so the app's CSV and NPZ match the CLI's.
 */
import type { MonitorData } from '../../engine/format/monitor-export.ts';
import { encodeNpz } from '../../engine/format/npz.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import type { TraceRecord } from '../engine/trace-buffers.ts';

/** A spike monitor's kept spikes, per observed population (neuron, t = step · dt). */
export function spikeMonitorData(record: MonitorRecord, dtMs: number): MonitorData {
  return {
    records: 'spikes',
    populations: record.series.map((s) => ({
      population: s.nodeId,
      neuron: s.neuron.slice(0, s.count),
      tMs: Float64Array.from(s.step.subarray(0, s.count), (step) => step * dtMs),
    })),
  };
}

/** The recorded variable's name from a trace record's axis label (`v (mV)` → `v`). */
export function variableOf(record: TraceRecord): string {
  return record.quantity.split(' ')[0] || 'value';
}

/**
 * A state monitor's samples, or a rate monitor's bins (t = bin start), per
 * observed population. Rates were kept as float32 by the buffers.
 */
export function traceMonitorData(record: TraceRecord, dtMs: number): MonitorData {
  const times = (s: TraceRecord['series'][number]) => Float64Array.from({ length: s.rows }, (_, r) => (s.startStep + r * s.everySteps) * dtMs);
  if (record.records === 'rate') {
    return {
      records: 'rate',
      populations: record.series.map((s) => ({
        population: s.nodeId,
        tMs: times(s),
        rateHz: Float64Array.from(s.values.subarray(0, s.rows)),
      })),
    };
  }
  return {
    records: 'state',
    variable: variableOf(record),
    populations: record.series.map((s) => ({
      population: s.nodeId,
      neurons: Int32Array.from(s.lineLabels, (l) => Number(l.slice(1))),
      tMs: times(s),
      values: s.values.slice(0, s.rows * s.lines),
    })),
  };
}

/** The Statistics tab as CSV: one row per population. */
export function statsCsv(stats: RunStats): string {
  const lines = ['population,kind,size,spikes,rate_hz'];
  for (const p of stats.populations) lines.push(`${p.nodeId},${p.kind},${p.size},${p.spikes},${p.rate_hz}`);
  return lines.join('\n') + '\n';
}

/** A weight monitor's latest snapshot as CSV: one row per synapse, `t_ms,pre,post,w`. */
export function weightsCsv(rec: { pre: Int32Array | null; post: Int32Array | null; w: Float32Array | null; step: number }, dtMs: number): string {
  const rows = ['t_ms,pre,post,w'];
  const n = rec.pre && rec.post && rec.w ? Math.min(rec.pre.length, rec.w.length) : 0;
  const t = +(rec.step * dtMs).toPrecision(12);
  for (let k = 0; k < n; k++) rows.push(`${t},${rec.pre![k]},${rec.post![k]},${rec.w![k]}`);
  return rows.join('\n') + '\n';
}

/** The same snapshot as NPZ arrays (`pre`, `post`, `w`, `t_ms`), plus the mean weight of every snapshot (`mean_t_ms`, `mean_w`). */
export function weightsNpz(
  rec: { pre: Int32Array | null; post: Int32Array | null; w: Float32Array | null; step: number; meanSteps: readonly number[]; means: readonly number[] },
  dtMs: number,
): Uint8Array {
  return encodeNpz([
    { name: 'pre', data: rec.pre ?? new Int32Array(0) },
    { name: 'post', data: rec.post ?? new Int32Array(0) },
    { name: 'w', data: rec.w ?? new Float32Array(0) },
    { name: 't_ms', data: Float64Array.of(rec.step * dtMs) },
    { name: 'mean_t_ms', data: Float64Array.from(rec.meanSteps, (s) => s * dtMs) },
    { name: 'mean_w', data: Float64Array.from(rec.means) },
  ]);
}

/** A training run's learning curve as CSV: one row per epoch. */
export function learningCsv(history: readonly { epoch: number; loss: number; trainAccuracy: number | null; testAccuracy: number | null; wallMs?: number }[]): string {
  const cell = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));
  return ['epoch,loss,train_accuracy,test_accuracy,wall_ms', ...history.map((e) => [e.epoch, e.loss, e.trainAccuracy, e.testAccuracy, e.wallMs].map(cell).join(','))].join('\n') + '\n';
}
