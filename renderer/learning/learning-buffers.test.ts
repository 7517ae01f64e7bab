import { describe, it, expect } from 'vitest';
import { curvePaths, LearningBuffers, lossRange, MAX_LAYER_POINTS } from './learning-buffers.ts';
import type { NetworkPlan } from '../../engine/core/plan.ts';
import type { TrainingCheckpoint } from '../../engine/learn/trainer.ts';
import type { TrainProgressEvent } from '../../engine/protocol/messages.ts';

const report = (epoch: number, loss: number, testAccuracy: number | null) => ({ epoch, loss, trainAccuracy: 0.5, testAccuracy, testLoss: null });

describe('learning buffers', () => {
  it('keeps one entry per reported epoch and the progress of the latest event', () => {
    const b = new LearningBuffers();
    b.reset('t', 3);
    const ev = (epoch: number, batch: number, r?: ReturnType<typeof report>): TrainProgressEvent => ({
      type: 'train-progress',
      runId: 1,
      trainerId: 't',
      epoch,
      epochs: 3,
      batch,
      batches: 10,
      wallMs: 5 * epoch,
      ...(r ? { report: r } : {}),
    });
    b.push(ev(0, 4));
    b.push(ev(1, 0, report(1, 2, 0.3)));
    b.push(ev(1, 7));
    expect(b.history.map((h) => h.epoch)).toEqual([1]);
    expect([b.epoch, b.batch, b.batches]).toEqual([1, 7, 10]);
    b.reset(null);
    expect(b.history).toEqual([]);
    expect(b.trainerId).toBeNull();
  });

  it('maps epochs to x across the width and values to y from the bottom', () => {
    const [p] = curvePaths([{ key: 'a', values: [0, 0.5, 1] }], 3, 100, 50, 0, 1);
    expect(p.d).toBe('M0.0,50.0 L50.0,25.0 L100.0,0.0');
  });

  it('skips missing values and clamps values outside the range', () => {
    const [p] = curvePaths([{ key: 'a', values: [null, 2, -1] }], 3, 100, 50, 0, 1);
    expect(p.d).toBe('M50.0,0.0 L100.0,50.0');
  });

  it('rounds the loss axis up to one significant digit', () => {
    expect(lossRange([report(1, 2.31, null)])).toBe(3);
    expect(lossRange([report(1, 0.042, null)])).toBeCloseTo(0.05, 12);
    expect(lossRange([])).toBe(1);
  });
});

describe('learning buffers: layers and checkpoints', () => {
  const ev = (epoch: number, batch: number, rate: number, extra: Partial<TrainProgressEvent> = {}): TrainProgressEvent => ({
    type: 'train-progress',
    runId: 1,
    trainerId: 't',
    epoch,
    epochs: 2,
    batch,
    batches: 4,
    wallMs: 0,
    layers: [
      { name: 'hidden', rateHz: rate, gradNorm: 0.1 },
      { name: 'readout', rateHz: 2 * rate, gradNorm: 0.2 },
    ],
    ...extra,
  });

  it('keeps one point per new batch and layer, at the batches trained so far', () => {
    const b = new LearningBuffers();
    b.reset('t', 2);
    b.push(ev(0, 1, 10));
    // The same batch again (a slice that finished none): not a new point.
    b.push(ev(0, 1, 10));
    b.push(ev(1, 2, 30));
    expect(b.layers.map((l) => l.name)).toEqual(['hidden', 'readout']);
    expect(b.layers[0].at).toEqual([1, 6]);
    expect(b.layers[1].rateHz).toEqual([20, 60]);
  });

  it('averages neighbouring points in pairs when a series is full', () => {
    const b = new LearningBuffers();
    b.reset('t', 2);
    for (let k = 1; k <= MAX_LAYER_POINTS + 1; k++) b.push({ ...ev(0, k, k), batches: 1000 });
    const s = b.layers[0];
    expect(s.at.length).toBe((MAX_LAYER_POINTS + 2) / 2);
    expect(s.rateHz.slice(0, 2)).toEqual([1.5, 3.5]);
    // The odd last point stays as it was.
    expect(s.at[s.at.length - 1]).toBe(MAX_LAYER_POINTS + 1);
  });

  it('asks the plan for checkpoints, resumes once from the one set, and remembers the encoder', () => {
    const b = new LearningBuffers();
    const plan = {
      populations: [{ nodeId: 'enc', kind: 'rate-encoder', size: 4, params: { input: 'digits' } }],
      trainers: [{ nodeId: 't', params: { epochs: 2 }, readout: 0 }],
    } as unknown as NetworkPlan;
    const cp = { format: 'spikeflow-training-checkpoint', version: 1, epoch: 1 } as unknown as TrainingCheckpoint;
    b.resumeFrom = { checkpoint: cp, source: 'cp.json' };
    const first = b.adjust(plan);
    expect(first.trainers![0].params).toEqual({ epochs: 2, emit_checkpoints: true, resume_from: cp });
    expect(b.resumedFrom).toBe('cp.json');
    expect(b.encoderParams).toEqual({ input: 'digits' });
    // The run's buffers are reset after the plan is sent: what adjust recorded stays; no training clears it.
    b.reset('t', 2);
    expect([b.resumedFrom, b.encoderParams]).toEqual(['cp.json', { input: 'digits' }]);
    b.reset(null);
    expect([b.resumedFrom, b.encoderParams]).toEqual([null, null]);
    // Used once: the next run starts afresh.
    expect(b.adjust(plan).trainers![0].params).toEqual({ epochs: 2, emit_checkpoints: true });
    expect(b.resumedFrom).toBeNull();
    b.push({ ...ev(1, 0, 1), checkpoint: cp });
    expect(b.checkpoint).toBe(cp);
  });
});
