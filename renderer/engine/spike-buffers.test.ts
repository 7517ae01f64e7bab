import { describe, expect, it } from 'vitest';
import { SpikeBuffers } from './spike-buffers.ts';

const mon = (sizes: number[]) => [{ monitorId: 'mon1', label: 'M', sources: sizes.map((size, i) => ({ nodeId: `p${i}`, label: `P${i}`, size })) }];

describe('SpikeBuffers', () => {
  it('appends chunks per observed population in order, growing past the initial capacity', () => {
    const b = new SpikeBuffers();
    b.reset(mon([10, 20]));
    const total = 10_000;
    for (let c = 0; c < 10; c++) {
      const n = total / 10;
      const neuron = Int32Array.from({ length: n }, (_, i) => (c * n + i) % 10);
      const step = Int32Array.from({ length: n }, (_, i) => c * n + i);
      expect(b.append('mon1', 0, neuron, step)).toBe(true);
    }
    b.append('mon1', 1, Int32Array.of(19), Int32Array.of(5));
    const rec = b.get('mon1')!;
    expect(rec.series[0].count).toBe(total);
    expect(rec.series[0].step[total - 1]).toBe(total - 1);
    expect(rec.series[0].neuron[1234]).toBe(1234 % 10);
    expect(rec.series[1].count).toBe(1);
    expect(rec.series[1].neuron[0]).toBe(19);
    expect(b.kept('mon1')).toBe(total + 1);
  });

  it('ignores chunks for monitors or sources it does not know (an older run)', () => {
    const b = new SpikeBuffers();
    b.reset(mon([10]));
    expect(b.append('mon9', 0, Int32Array.of(1), Int32Array.of(1))).toBe(false);
    expect(b.append('mon1', 3, Int32Array.of(1), Int32Array.of(1))).toBe(false);
    expect(b.kept('mon1')).toBe(0);
  });

  it('stops keeping spikes at the cap, counts the rest, and says it truncated', () => {
    const b = new SpikeBuffers(5);
    b.reset(mon([10, 10]));
    b.append('mon1', 0, Int32Array.of(1, 2, 3), Int32Array.of(0, 1, 2));
    b.append('mon1', 1, Int32Array.of(4, 5, 6), Int32Array.of(3, 4, 5));
    const rec = b.get('mon1')!;
    expect(rec.series[0].count + rec.series[1].count).toBe(5);
    expect([...rec.series[1].neuron.subarray(0, rec.series[1].count)]).toEqual([4, 5]);
    expect(rec.received).toBe(6);
    expect(rec.truncated).toBe(true);
  });

  it('starts empty again after reset', () => {
    const b = new SpikeBuffers();
    b.reset(mon([3]));
    b.append('mon1', 0, Int32Array.of(1), Int32Array.of(1));
    b.reset(mon([3]));
    expect(b.kept('mon1')).toBe(0);
    b.clear();
    expect(b.list()).toEqual([]);
  });
});
