import { describe, it, expect } from 'vitest';
import { SpikeBuffers } from '../engine/spike-buffers.ts';
import { TraceBuffers } from '../engine/trace-buffers.ts';
import { spikeMonitorData, statsCsv, traceMonitorData } from './monitor-data.ts';
import { monitorCsv } from '../../engine/format/monitor-export.ts';
import type { RunStats } from '../../engine/sim/stats.ts';

describe('results buffers as export data', () => {
  it('turns kept spikes into per-population neuron and time arrays (t = step · dt)', () => {
    const b = new SpikeBuffers();
    b.reset([{ monitorId: 'm', label: 'M', sources: [{ nodeId: 'a', label: 'A', size: 4 }, { nodeId: 'b', label: 'B', size: 2 }] }]);
    b.append('m', 0, Int32Array.from([3, 1]), Int32Array.from([10, 25]));
    b.append('m', 1, Int32Array.from([0]), Int32Array.from([7]));
    const d = spikeMonitorData(b.get('m')!, 0.1);
    expect(monitorCsv(d)).toBe('population,neuron,t_ms\na,3,1\na,1,2.5\nb,0,0.7\n');
  });

  it('turns state samples into [samples, neurons] with the recorded neuron indices and sample times', () => {
    const t = new TraceBuffers();
    t.reset([{ monitorId: 's', label: 'S', records: 'state', quantity: 'v (mV)', sources: [{ nodeId: 'e', label: 'E', size: 10 }] }]);
    t.appendState({ monitorId: 's', source: 0, neurons: Int32Array.from([2, 9]), everySteps: 5, step0: 5, values: Float32Array.from([-65, -64, -63, -62]) });
    const d = traceMonitorData(t.get('s')!, 0.1);
    expect(d.records).toBe('state');
    if (d.records !== 'state') return;
    expect(d.variable).toBe('v');
    expect(Array.from(d.populations[0].neurons)).toEqual([2, 9]);
    expect(Array.from(d.populations[0].tMs)).toEqual([0.5, 1]);
    expect(Array.from(d.populations[0].values)).toEqual([-65, -64, -63, -62]);
  });

  it('turns rate bins into Hz at the bin starts', () => {
    const t = new TraceBuffers();
    t.reset([{ monitorId: 'r', label: 'R', records: 'rate', quantity: 'rate (Hz)', sources: [{ nodeId: 'e', label: 'E', size: 10 }] }]);
    // 3 spikes of 10 neurons in a 5 ms bin = 60 Hz.
    t.appendRate({ monitorId: 'r', source: 0, size: 10, binSteps: 50, bin0: 2, counts: Float32Array.from([3, 0]) }, 0.1);
    expect(monitorCsv(traceMonitorData(t.get('r')!, 0.1))).toBe('population,t_ms,rate_hz\ne,10,60\ne,15,0\n');
  });

  it('writes the statistics as one CSV row per population', () => {
    const stats = { populations: [{ nodeId: 'e', kind: 'lif-curr-exp', size: 80, spikes: 12, rate_hz: 0.15 }] } as unknown as RunStats;
    expect(statsCsv(stats)).toBe('population,kind,size,spikes,rate_hz\ne,lif-curr-exp,80,12,0.15\n');
  });
});
