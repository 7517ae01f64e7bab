import { describe, it, expect } from 'vitest';
import { SpikeBuffers } from '../engine/spike-buffers.ts';
import { TraceBuffers } from '../engine/trace-buffers.ts';
import { learningCsv, spikeMonitorData, statsCsv, traceMonitorData, weightsCsv, weightsNpz } from './monitor-data.ts';
import { monitorCsv } from '../../engine/format/monitor-export.ts';
import type { RunStats } from '../../engine/sim/stats.ts';

describe('results buffers as export data', () => {
  it('turns kept spikes into per-population neuron and time arrays (t = step · dt)', () => {
    const b = new SpikeBuffers();
    b.reset([
      {
        monitorId: 'm',
        label: 'M',
        sources: [
          { nodeId: 'a', label: 'A', size: 4 },
          { nodeId: 'b', label: 'B', size: 2 },
        ],
      },
    ]);
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

describe('weightsCsv, weightsNpz and learningCsv', () => {
  const rec = { pre: Int32Array.of(0, 1, 1), post: Int32Array.of(2, 0, 2), w: Float32Array.of(0.5, 0.25, 1), step: 400, meanSteps: [0, 400], means: [0.5, 0.5833] };
  it('writes the latest snapshot one synapse per row, at its time', () => {
    expect(weightsCsv(rec, 0.1)).toBe('t_ms,pre,post,w\n40,0,2,0.5\n40,1,0,0.25\n40,1,2,1\n');
    expect(weightsCsv({ pre: null, post: null, w: null, step: 0 }, 0.1)).toBe('t_ms,pre,post,w\n');
  });
  it('packs the snapshot and the mean weight over time as named NPZ arrays', () => {
    const npz = weightsNpz(rec, 0.1);
    const text = Buffer.from(npz).toString('latin1');
    for (const name of ['pre.npy', 'post.npy', 'w.npy', 't_ms.npy', 'mean_t_ms.npy', 'mean_w.npy']) expect(text).toContain(name);
  });
  it('writes a row per epoch and leaves a missing accuracy empty', () => {
    expect(
      learningCsv([
        { epoch: 1, loss: 2.5, trainAccuracy: 0.5, testAccuracy: null },
        { epoch: 2, loss: 1.25, trainAccuracy: 0.75, testAccuracy: 0.7 },
      ]),
    ).toBe('epoch,loss,train_accuracy,test_accuracy,wall_ms\n1,2.5,0.5,,\n2,1.25,0.75,0.7,\n');
  });
});
