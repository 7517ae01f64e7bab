/**
 * Short texts the results panel shows about what a monitor kept: a window, a
 * decimation, a cap. Pure, unit-tested.
 */
import type { MonitorRecord } from '../engine/spike-buffers.ts';
import type { TraceRecord } from '../engine/trace-buffers.ts';
import { fmtInt, fmtMs } from './run-format.ts';

export { fmtMs };

/** What a monitor's memory bound did to what the panel shows; null when it shows everything recorded. */
export function keepLabel(record: MonitorRecord | TraceRecord, dtMs: number): string | null {
  const keep = record.keep;
  if (!keep || keep.mode === 'all') return null;
  if (keep.mode === 'window') {
    const evicted = 'received' in record ? (record.evicted ?? 0) : (record.evictedRows ?? 0);
    const what = 'received' in record ? 'spikes' : 'samples';
    return `showing last ${fmtMs(keep.windowSteps * dtMs)} — window${evicted > 0 ? `; ${fmtInt(evicted)} older ${what} dropped` : ''}`;
  }
  const series = (record as TraceRecord).series;
  const factor = Math.max(1, ...series.map((s) => s.decimation ?? 1));
  if (factor === 1) return 'full resolution — decimates at the cap';
  const every = Math.max(...series.map((s) => s.everySteps)) * dtMs;
  return `decimated ×${factor} (a sample every ${fmtMs(every)})`;
}
