import { describe, expect, it } from 'vitest';
import { SpikeBuffers, growInPlace, growable, spikeKeepOf } from './spike-buffers.ts';

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

  it('with a window keeps only the spikes of the last window steps, however long the run', () => {
    const b = new SpikeBuffers();
    b.reset([{ ...mon([4])[0], keep: { mode: 'window', windowSteps: 100, cap: 1_000_000 } }]);
    // 200 chunks of 50 steps, one spike per step: 10,000 steps in all.
    for (let c = 0; c < 200; c++) {
      const step = Int32Array.from({ length: 50 }, (_, i) => c * 50 + i);
      b.append(
        'mon1',
        0,
        step.map((x) => x % 4),
        step,
      );
    }
    const s = b.get('mon1')!.series[0];
    // Steps 9900..9999 are the last 100.
    expect(s.count).toBe(100);
    expect(s.step[0]).toBe(9900);
    expect(s.step[99]).toBe(9999);
    expect(s.neuron[0]).toBe(9900 % 4);
    expect(b.get('mon1')!.evicted).toBe(9900);
    expect(b.get('mon1')!.truncated).toBe(false);
    // Bounded memory: the backing store stays near the window, not the run.
    expect(s.step.buffer.byteLength).toBeLessThanOrEqual(4 * 4096);
  });

  it("with a window trims every population by the monitor's latest step", () => {
    const b = new SpikeBuffers();
    b.reset([{ ...mon([2, 2])[0], keep: { mode: 'window', windowSteps: 10, cap: 1000 } }]);
    b.append('mon1', 0, Int32Array.of(0, 1), Int32Array.of(2, 5));
    b.append('mon1', 1, Int32Array.of(1), Int32Array.of(14));
    // Latest step 14: steps 5..14 are kept.
    const rec = b.get('mon1')!;
    expect([...rec.series[0].step.subarray(0, rec.series[0].count)]).toEqual([5]);
    expect(rec.series[1].count).toBe(1);
  });

  it('with a window drops the oldest spikes past the cap and keeps the newest', () => {
    const b = new SpikeBuffers();
    b.reset([{ ...mon([10])[0], keep: { mode: 'window', windowSteps: 1_000_000, cap: 4 } }]);
    b.append('mon1', 0, Int32Array.of(1, 2, 3), Int32Array.of(0, 1, 2));
    b.append('mon1', 0, Int32Array.of(4, 5, 6), Int32Array.of(3, 4, 5));
    const s = b.get('mon1')!.series[0];
    expect([...s.neuron.subarray(0, s.count)]).toEqual([3, 4, 5, 6]);
    expect(b.get('mon1')!.evicted).toBe(2);
    expect(b.get('mon1')!.truncated).toBe(false);
  });

  it('reads the keep settings from the monitor params, window in steps', () => {
    expect(spikeKeepOf({ keep: 'window', window_ms: 250, max_spikes: 5000 }, 0.1)).toEqual({ mode: 'window', windowSteps: 2500, cap: 5000 });
    expect(spikeKeepOf({}, 0.1).mode).toBe('all');
  });

  it('with a window drops spikes older than the window before the current time once the run moves on', () => {
    const b = new SpikeBuffers();
    b.reset([{ ...mon([2])[0], keep: { mode: 'window', windowSteps: 10, cap: 1000 } }]);
    b.append('mon1', 0, Int32Array.of(0, 1), Int32Array.of(3, 8));
    expect(b.kept('mon1')).toBe(2);
    // 15 steps done (steps 0..14): the window is steps 5..14.
    b.advance(15);
    expect(b.kept('mon1')).toBe(1);
    expect(b.get('mon1')!.series[0].step[0]).toBe(8);
  });
});

describe('growable spike arrays', () => {
  it('grow in place (same buffer, no copy) and keep every spike in order', () => {
    const buffers = new SpikeBuffers();
    buffers.reset([{ monitorId: 'm', label: 'M', sources: [{ nodeId: 'p', label: 'P', size: 100 }] }]);
    const before = buffers.get('m')!.series[0].neuron.buffer;
    const n = 50_000; // far past the first capacity
    buffers.append(
      'm',
      0,
      Int32Array.from({ length: n }, (_, i) => i % 100),
      Int32Array.from({ length: n }, (_, i) => i),
    );
    const s = buffers.get('m')!.series[0];
    expect(s.count).toBe(n);
    expect(s.neuron.buffer).toBe(before);
    expect(s.neuron[n - 1]).toBe((n - 1) % 100);
    expect(s.step[n - 1]).toBe(n - 1);
    expect(s.step[0]).toBe(0);
  });

  it('fall back to a copy past the reserved size', () => {
    const a = growable(8, 16);
    a[7] = 5;
    expect(growInPlace(a, 16)).toBe(true);
    expect(a.length).toBe(16);
    expect(a[7]).toBe(5);
    expect(growInPlace(a, 32)).toBe(false);
  });
});
