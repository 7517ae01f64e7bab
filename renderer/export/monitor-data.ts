/**
 * The results buffers of the last run as the shared export layout
 * (`engine/format/monitor-export.ts`), so the app's CSV and NPZ match the CLI's.
 */
import type { MonitorData } from '../../engine/format/monitor-export.ts';
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
