import { describe, it, expect } from 'vitest';
import { curvePaths, LearningBuffers, lossRange } from './learning-buffers.ts';
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
