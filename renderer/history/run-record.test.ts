import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import { SpikeBuffers } from '../engine/spike-buffers.ts';
import { TraceBuffers } from '../engine/trace-buffers.ts';
import { captureRun, decodeRun, encodeRun, encodeRunAsync, isRunMeta, newRunId, RUN_ID_PATTERN } from './run-record.ts';
import type { FinishedRunData } from './run-record.ts';

const stats = (spikes: number): RunStats => ({
  neurons: 10,
  source_channels: 5,
  synapses: 50,
  spikes,
  source_spikes: 7,
  mean_rate_hz: 12.5,
  sparsity: 0.01,
  synaptic_events: 100,
  external_events: 0,
  dense_macs: 1000,
  steps: 1000,
  dt_ms: 0.1,
  simulated_ms: 100,
  build_ms: 1,
  run_ms: 4,
  realtime_factor: 25,
  populations: [{ nodeId: 'lif', kind: 'lif-curr-exp', size: 10, spikes, rate_hz: 12.5 }],
});

/** A run with a spike monitor (two populations), a state monitor and a rate monitor. */
function finished(): FinishedRunData {
  const doc = newDocument('net');
  doc.simulation.seed = 42;
  doc.simulation.duration_ms = 100;
  const spikes = new SpikeBuffers();
  spikes.reset([
    {
      monitorId: 'mon',
      label: 'Monitor',
      sources: [
        { nodeId: 'lif', label: 'LIF', size: 10 },
        { nodeId: 'src', label: 'Input', size: 5 },
      ],
    },
  ]);
  spikes.append('mon', 0, Int32Array.from([3, 1, 9]), Int32Array.from([10, 11, 500]));
  spikes.append('mon', 1, Int32Array.from([4]), Int32Array.from([999]));
  const traces = new TraceBuffers();
  traces.reset([
    { monitorId: 'vm', label: 'Vm', records: 'state', quantity: 'v (mV)', sources: [{ nodeId: 'lif', label: 'LIF', size: 10 }] },
    { monitorId: 'rate', label: 'Rate', records: 'rate', quantity: 'rate (Hz)', sources: [{ nodeId: 'lif', label: 'LIF', size: 10 }] },
  ]);
  traces.appendState({ monitorId: 'vm', source: 0, neurons: Int32Array.from([0, 2]), everySteps: 10, step0: 0, values: Float32Array.from([-65, -60, -64.5, -59.25, -64, -58]) });
  traces.appendRate({ monitorId: 'rate', source: 0, size: 10, binSteps: 100, bin0: 0, counts: Float32Array.from([1, 0, 3]) }, 0.1);
  return {
    doc,
    stats: stats(4),
    stopped: false,
    engineVersion: '0.1.0',
    monitors: [
      { monitorId: 'mon', records: 'spikes' },
      { monitorId: 'vm', records: 'state' },
      { monitorId: 'rate', records: 'rate' },
    ],
    spikes: spikes.list(),
    traces: traces.list(),
  };
}

describe('captureRun + encodeRun + decodeRun', () => {
  it('gives back the same document, seed, statistics and every recorded spike, sample and rate', () => {
    const run = captureRun(finished(), { id: 'r1', number: 3, createdAt: '2026-11-29T04:00:00.000Z' });
    const bytes = encodeRun(run);
    const back = decodeRun(bytes);
    expect(back.meta).toMatchObject({ id: 'r1', number: 3, seed: 42, durationMs: 100, engineVersion: '0.1.0', outcome: 'finished', spikes: 4, keptSpikes: 4, bytes: bytes.length });
    expect(back.doc).toEqual(run.doc);
    expect(back.stats).toEqual(run.stats);
    expect(back.monitors).toEqual(run.monitors);
    const mon = back.spikes.get('mon')!;
    expect(mon.series.map((s) => [s.nodeId, s.count, [...s.neuron], [...s.step]])).toEqual([
      ['lif', 3, [3, 1, 9], [10, 11, 500]],
      ['src', 1, [4], [999]],
    ]);
    const vm = back.traces.get('vm')!;
    expect(vm.quantity).toBe('v (mV)');
    expect(vm.series[0]).toMatchObject({ lines: 2, lineLabels: ['n0', 'n2'], rows: 3, everySteps: 10, startStep: 0 });
    expect([...vm.series[0].values]).toEqual([-65, -60, -64.5, -59.25, -64, -58]);
    const rate = back.traces.get('rate')!.series[0];
    // counts / (10 neurons · 10 ms) → Hz: 1 → 10 Hz, 3 → 30 Hz.
    expect([...rate.values]).toEqual([10, 0, 30]);
    expect(rate.centreSteps(100)).toBe(50);
  });

  it('keeps views of the finished buffers, which the next run does not write: it gets fresh arrays', () => {
    const spikes = new SpikeBuffers();
    const monitors = [{ monitorId: 'mon', label: 'Monitor', sources: [{ nodeId: 'lif', label: 'LIF', size: 10 }] }];
    spikes.reset(monitors);
    spikes.append('mon', 0, Int32Array.from([3, 1]), Int32Array.from([10, 11]));
    const data: FinishedRunData = { ...finished(), spikes: spikes.list(), traces: [] };
    const run = captureRun(data, { id: 'r1', number: 1, createdAt: '2026-11-29T04:00:00.000Z' });
    // The next run: the same monitor, new spikes.
    spikes.reset(monitors);
    spikes.append('mon', 0, Int32Array.from([7, 8, 9]), Int32Array.from([1, 2, 3]));
    const kept = run.spikes.get('mon')!.series[0];
    expect([kept.count, [...kept.neuron], [...kept.step]]).toEqual([2, [3, 1], [10, 11]]);
  });

  it('encodes in slices with yields between them, to the same bytes as the one-go encoding', async () => {
    const spikes = new SpikeBuffers();
    spikes.reset([{ monitorId: 'mon', label: 'Monitor', sources: [{ nodeId: 'lif', label: 'LIF', size: 1000 }] }]);
    const n = 3_000_000; // 24 MB of spikes: several slices
    const neuron = new Int32Array(n).map((_, i) => (i * 7919) % 1000);
    const step = new Int32Array(n).map((_, i) => i >> 4);
    spikes.append('mon', 0, neuron, step);
    const run = captureRun({ ...finished(), spikes: spikes.list(), traces: [] }, { id: 'r1', number: 1, createdAt: '2026-11-29T04:00:00.000Z' });
    let yields = 0;
    const sliced = await encodeRunAsync(run, async () => {
      yields++;
    });
    // About one yield per 4 MiB copied (two 11.4 MiB arrays: slices of 4, 4, 3.4 MiB each).
    expect(yields).toBe(4);
    expect(Buffer.from(sliced).equals(Buffer.from(encodeRun(run)))).toBe(true);
    const back = decodeRun(sliced).spikes.get('mon')!.series[0];
    expect(back.count).toBe(n);
    expect(back.neuron[n - 1]).toBe(neuron[n - 1]);
    expect(back.step[n - 1]).toBe(step[n - 1]);
  });

  it('refuses bytes that are not a run, or are cut short, with a clear message', () => {
    const bytes = encodeRun(captureRun(finished(), { id: 'r1', number: 1, createdAt: '2026-11-29T04:00:00.000Z' }));
    expect(() => decodeRun(new Uint8Array([1, 2, 3]))).toThrow('The stored run is damaged: it is not a Spikeflow run file.');
    expect(() => decodeRun(bytes.subarray(0, bytes.length - 8))).toThrow(/runs past the end of the file/);
  });
});

describe('run ids and entries', () => {
  it('makes sortable ids that are safe file names', () => {
    const a = newRunId(new Date('2026-11-29T04:00:00.123Z'), () => 0.5);
    const b = newRunId(new Date('2026-11-29T04:00:01.000Z'), () => 0.1);
    expect(a).toMatch(/^20261129T040000Z-[0-9a-z]{6}$/);
    expect(RUN_ID_PATTERN.test(a)).toBe(true);
    expect(a < b).toBe(true);
  });

  it('recognises a stored entry and rejects foreign objects', () => {
    const meta = captureRun(finished(), { id: 'r1', number: 1, createdAt: '2026-11-29T04:00:00.000Z' }).meta;
    expect(isRunMeta(meta)).toBe(true);
    expect(isRunMeta({ ...meta, id: '../x' })).toBe(false);
    expect(isRunMeta({ id: 'x', createdAt: 'now' })).toBe(false);
  });
});
