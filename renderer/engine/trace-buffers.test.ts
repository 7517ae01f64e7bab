import { describe, expect, it } from 'vitest';
import { TraceBuffers, thresholdMvOf, traceKeepOf } from './trace-buffers.ts';
import type { TraceKeep } from './trace-buffers.ts';

function buffers(records: 'state' | 'rate', cap?: number) {
  const b = new TraceBuffers(cap);
  b.reset([{ monitorId: 'm', label: 'M', records, quantity: 'q', sources: [{ nodeId: 'p', label: 'P', size: 50 }] }]);
  return b;
}

describe('TraceBuffers', () => {
  it('appends state samples row by row, one line per recorded neuron', () => {
    const b = buffers('state');
    const neurons = Int32Array.of(0, 7);
    b.appendState({ monitorId: 'm', source: 0, neurons, everySteps: 10, step0: 0, values: Float32Array.of(1, 2, 3, 4) });
    b.appendState({ monitorId: 'm', source: 0, neurons, everySteps: 10, step0: 20, values: Float32Array.of(5, 6) });
    const s = b.get('m')!.series[0];
    expect(s.lines).toBe(2);
    expect(s.lineLabels).toEqual(['n0', 'n7']);
    expect(s.rows).toBe(3);
    expect(s.everySteps).toBe(10);
    expect([...s.values.subarray(0, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.centreSteps(10)).toBe(0);
  });

  it('turns rate counts into Hz per neuron and centres each value in its bin', () => {
    const b = buffers('rate');
    // 50 neurons, bins of 10 steps of 0.1 ms = 1 ms: 5 spikes → 5 / (50 · 0.001 s) = 100 Hz.
    b.appendRate({ monitorId: 'm', source: 0, size: 50, binSteps: 10, bin0: 3, counts: Float32Array.of(5, 0, 10) }, 0.1);
    const s = b.get('m')!.series[0];
    expect(s.startStep).toBe(30);
    expect(Array.from(s.values.subarray(0, 3), (v) => Math.round(v * 1000) / 1000)).toEqual([100, 0, 200]);
    expect(s.centreSteps(10)).toBe(5);
  });

  it('keeps whole rows up to the cap and flags the rest as dropped', () => {
    const b = buffers('state', 5);
    b.appendState({ monitorId: 'm', source: 0, neurons: Int32Array.of(1, 2), everySteps: 1, step0: 0, values: Float32Array.of(1, 2, 3, 4, 5, 6) });
    const rec = b.get('m')!;
    expect(rec.series[0].rows).toBe(2);
    expect(rec.truncated).toBe(true);
  });

  it('ignores chunks of monitors it does not know', () => {
    const b = buffers('state');
    expect(b.appendState({ monitorId: 'x', source: 0, neurons: Int32Array.of(1), everySteps: 1, step0: 0, values: Float32Array.of(1) })).toBe(false);
  });

  const kept = (keep: TraceKeep) => {
    const b = new TraceBuffers();
    b.reset([{ monitorId: 'm', label: 'M', records: 'state', quantity: 'q', keep, sources: [{ nodeId: 'p', label: 'P', size: 5 }] }]);
    return b;
  };
  // One neuron sampled every 2 steps; value = row index, so what was kept is visible.
  const chunk = (row0: number, rows: number) => ({
    monitorId: 'm',
    source: 0,
    neurons: Int32Array.of(0),
    everySteps: 2,
    step0: row0 * 2,
    values: Float32Array.from({ length: rows }, (_, i) => row0 + i),
  });

  it('with a window keeps the rows of the last window steps and moves the start step with them', () => {
    const b = kept({ mode: 'window', windowSteps: 20, cap: 1e9 });
    for (let c = 0; c < 100; c++) b.appendState(chunk(c * 10, 10));
    const s = b.get('m')!.series[0];
    // 1000 rows, last at step 1998; steps 1979..1998 → rows at steps 1980..1998 (10 rows, 990..999).
    expect(s.rows).toBe(10);
    expect(s.startStep).toBe(1980);
    expect([...s.values.subarray(0, s.rows)]).toEqual([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    expect(b.get('m')!.evictedRows).toBe(990);
    expect(s.values.buffer.byteLength).toBeLessThanOrEqual(4 * 1024);
  });

  it('decimating halves the kept rows at the cap and keeps every other sample from then on', () => {
    const b = kept({ mode: 'decimate', windowSteps: 0, cap: 8 });
    b.appendState(chunk(0, 9));
    const s = b.get('m')!.series[0];
    // 9 rows > 8: rows 0, 2, 4, 6, 8 stay, every 4 steps now.
    expect(s.decimation).toBe(2);
    expect(s.everySteps).toBe(4);
    expect([...s.values.subarray(0, s.rows)]).toEqual([0, 2, 4, 6, 8]);
    // Rows 9..14 arrive: the even ones (10, 12, 14) are kept → 8 rows, at the cap.
    b.appendState(chunk(9, 6));
    expect([...s.values.subarray(0, s.rows)]).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    // One more kept row (16) passes the cap: every 4th raw row stays.
    b.appendState(chunk(15, 2));
    expect(s.decimation).toBe(4);
    expect(s.everySteps).toBe(8);
    expect([...s.values.subarray(0, s.rows)]).toEqual([0, 4, 8, 12, 16]);
    expect(s.startStep).toBe(0);
  });

  it('reads keep settings from the monitor params and the threshold from the population params', () => {
    expect(traceKeepOf({ keep: 'decimate', max_values: 2000 }, 0.1)).toEqual({ mode: 'decimate', windowSteps: 100_000, cap: 2000 });
    expect(traceKeepOf({ keep: 'window', window_ms: 50 }, 0.5).windowSteps).toBe(100);
    expect(thresholdMvOf('lif-curr-exp', { v_th_mv: -50, v_reset_mv: -60 })).toBe(-50);
    expect(thresholdMvOf('adex', { v_peak_mv: 30 })).toBe(30);
    expect(thresholdMvOf('poisson-source', { rate_hz: 5 })).toBeNull();
  });
});
