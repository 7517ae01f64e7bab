import { describe, it, expect } from 'vitest';
import { WeightBuffers } from './weight-buffers.ts';

const chunk = (steps: number[], w: number[], layout = false) => ({
  type: 'weights' as const,
  runId: 1,
  monitorId: 'wm',
  nodeId: 'stdp',
  sourceSize: 2,
  targetSize: 1,
  steps: Int32Array.from(steps),
  w: Float32Array.from(w),
  ...(layout ? { pre: Int32Array.from([0, 1]), post: Int32Array.from([0, 0]) } : {}),
});

describe('WeightBuffers', () => {
  it('keeps the latest snapshot and the mean of every snapshot', () => {
    const b = new WeightBuffers();
    b.reset(['wm']);
    b.append(chunk([0, 10], [1, 3, 2, 6], true));
    b.append(chunk([20], [4, 4]));
    const r = b.get('wm')!;
    expect(Array.from(r.w!)).toEqual([4, 4]);
    expect(r.step).toBe(20);
    expect(r.snapshots).toBe(3);
    expect(r.meanSteps).toEqual([0, 10, 20]);
    expect(r.means).toEqual([2, 4, 4]);
    expect(Array.from(r.pre!)).toEqual([0, 1]);
  });

  it('ignores chunks of monitors it was not told about', () => {
    const b = new WeightBuffers();
    b.reset([]);
    b.append(chunk([0], [1, 1], true));
    expect(b.get('wm')).toBeUndefined();
  });
});
