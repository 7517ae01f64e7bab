import { describe, expect, it } from 'vitest';
import { SpikeBuffers } from '../engine/spike-buffers.ts';
import { TraceBuffers } from '../engine/trace-buffers.ts';
import type { TraceKeep } from '../engine/trace-buffers.ts';
import { keepLabel } from './result-labels.ts';

const src = [{ nodeId: 'p', label: 'P', size: 4 }];

describe('keepLabel', () => {
  it('says nothing for a monitor that keeps the whole run', () => {
    const b = new SpikeBuffers();
    b.reset([{ monitorId: 'm', label: 'M', sources: src }]);
    expect(keepLabel(b.get('m')!, 0.1)).toBeNull();
  });

  it('names the window and how many spikes left it', () => {
    const b = new SpikeBuffers();
    b.reset([{ monitorId: 'm', label: 'M', sources: src, keep: { mode: 'window', windowSteps: 100_000, cap: 1e6 } }]);
    expect(keepLabel(b.get('m')!, 0.1)).toBe('showing last 10.0 s — window');
    b.append('m', 0, Int32Array.of(0, 1), Int32Array.of(0, 200_000));
    expect(keepLabel(b.get('m')!, 0.1)).toBe('showing last 10.0 s — window; 1 older spikes dropped');
  });

  it('names the decimation factor once samples were thinned out', () => {
    const keep: TraceKeep = { mode: 'decimate', windowSteps: 0, cap: 4 };
    const t = new TraceBuffers();
    t.reset([{ monitorId: 's', label: 'S', records: 'state', quantity: 'v (mV)', keep, sources: src }]);
    expect(keepLabel(t.get('s')!, 0.1)).toBe('full resolution — decimates at the cap');
    // 9 rows into a cap of 4: halved twice → ×4, a sample every 4 steps (0.4 ms).
    t.appendState({ monitorId: 's', source: 0, neurons: Int32Array.of(0), everySteps: 1, step0: 0, values: new Float32Array(9) });
    expect(keepLabel(t.get('s')!, 0.1)).toBe('decimated ×4 (a sample every 0.4 ms)');
  });
});
