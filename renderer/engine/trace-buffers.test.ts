import { describe, expect, it } from 'vitest';
import { TraceBuffers } from './trace-buffers.ts';

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
});
