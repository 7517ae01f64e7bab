import { describe, it, expect } from 'vitest';
import { epochBatches, trainTestSplit } from './split.ts';

describe('train/test split and batches', () => {
  it('splits into disjoint sets of the asked sizes that cover every sample', () => {
    const { train, test } = trainTestSplit(101, 0.2, 3);
    expect(test.length).toBe(20);
    expect(train.length).toBe(81);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
  });

  it('is the same for the same seed and differs for another', () => {
    expect(Array.from(trainTestSplit(50, 0.3, 7).test)).toEqual(Array.from(trainTestSplit(50, 0.3, 7).test));
    expect(Array.from(trainTestSplit(50, 0.3, 7).test)).not.toEqual(Array.from(trainTestSplit(50, 0.3, 8).test));
  });

  it('shows every training sample once per epoch, in an order that changes between epochs', () => {
    const train = Int32Array.from({ length: 70 }, (_, i) => 2 * i);
    const b0 = epochBatches(train, 16, 1, 0);
    const b1 = epochBatches(train, 16, 1, 1);
    expect(b0.map((b) => b.length)).toEqual([16, 16, 16, 16, 6]);
    const flat0 = b0.flatMap((b) => Array.from(b));
    expect([...flat0].sort((a, b) => a - b)).toEqual(Array.from(train));
    expect(flat0).not.toEqual(b1.flatMap((b) => Array.from(b)));
    // Epoch e is drawn from its own stream: asking again gives the same batches.
    expect(epochBatches(train, 16, 1, 1).flatMap((b) => Array.from(b))).toEqual(b1.flatMap((b) => Array.from(b)));
  });
});
