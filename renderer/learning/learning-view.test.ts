import { describe, it, expect } from 'vitest';
import { decades, niceMax, parseCheckpoint, sampleImage, seriesPath, trainedWeightsNpz } from './learning-view.ts';
import { readNpz } from '../../engine/core/npy-read.ts';
import type { Dataset } from '../../engine/sim/dataset.ts';

describe('learning view helpers', () => {
  it('draws a series over its x range and clamps y into the box', () => {
    // x 0…10 over 100 px; y 0…2 over 50 px (0 at the bottom).
    expect(seriesPath([0, 5, 10], [0, 1, 3], 10, 0, 2, 100, 50)).toBe('M0.0,50.0 L50.0,25.0 L100.0,0.0');
    // A single point is a dot; a NaN is skipped.
    expect(seriesPath([2, 4], [NaN, 1], 10, 0, 2, 100, 50)).toBe('M40.0,25.0 h0.1');
  });

  it('rounds axis tops to 1, 2 or 5 times a power of ten, and spans log axes in whole decades', () => {
    expect([niceMax(0), niceMax(3.2), niceMax(180), niceMax(0.04)]).toEqual([1, 5, 200, 0.05]);
    expect(decades([0.02, 0.3])).toEqual([-2, 0]);
    expect(decades([10])).toEqual([1, 2]);
    expect(decades([0, -1])).toEqual([-1, 0]);
  });

  it('draws a sample in its image shape, dark where the value is 1', () => {
    const d: Dataset = { name: 'x', count: 2, length: 4, values: Uint8Array.of(0, 0, 0, 0, 255, 0, 0, 255), labels: Int32Array.of(0, 1), scale: 1 / 255, width: 2, height: 2 };
    const img = sampleImage(d, 1)!;
    expect([img.width, img.height]).toEqual([2, 2]);
    // Pixel 0 is ink (value 1 → grey 0), pixel 1 paper (value 0 → 255); alpha opaque.
    expect([...img.rgba.subarray(0, 8)]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(sampleImage(d, 2)).toBeNull();
    // No shape: a square when the length is one, else a row.
    expect(sampleImage({ ...d, width: undefined, height: undefined }, 0)).toMatchObject({ width: 2, height: 2 });
    expect(sampleImage({ name: 'r', count: 1, length: 3, values: Float64Array.of(0, 0.5, 1), labels: Int32Array.of(0) }, 0)).toMatchObject({ width: 3, height: 1 });
  });

  it('writes trained weights as a .npz NumPy reads back: pre, post and w per wire', () => {
    const bytes = trainedWeightsNpz([{ edgeId: 'in-h', pre: [0, 1], post: [2, 2], w: [0.5, -1.25] }]);
    const a = readNpz(bytes);
    expect([...a.keys()]).toEqual(['in-h.pre', 'in-h.post', 'in-h.w']);
    expect([...a.get('in-h.pre')!.data]).toEqual([0, 1]);
    expect([...a.get('in-h.post')!.data]).toEqual([2, 2]);
    expect([...a.get('in-h.w')!.data]).toEqual([0.5, -1.25]);
  });

  it('reads a checkpoint back, and names the file that is not one', () => {
    const cp = { format: 'spikeflow-training-checkpoint', version: 1, epoch: 3, weights: [], optimizer: {}, history: [], best: null };
    expect(parseCheckpoint(JSON.stringify(cp), 'a.json')).toMatchObject({ ok: true, checkpoint: { epoch: 3 } });
    expect(parseCheckpoint('{', 'b.json')).toMatchObject({ ok: false, error: expect.stringMatching(/^b\.json is not JSON/) });
    expect(parseCheckpoint('{"format": "x"}', 'c.json')).toEqual({ ok: false, error: 'c.json is not a Spikeflow training checkpoint (no "format": "spikeflow-training-checkpoint")' });
    expect(parseCheckpoint('{"format": "spikeflow-training-checkpoint"}', 'd.json')).toEqual({ ok: false, error: 'd.json is a checkpoint without its epoch or weights' });
  });
});
