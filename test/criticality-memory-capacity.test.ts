/**
 * The memory capacity (engine/analysis/memory-capacity.ts) on synthetic states
 * whose answer is known by hand: a shift register of D cells remembers exactly
 * its last D inputs (MC = D), a noisy copy of u(t − 1) with noise of the input's
 * own variance has r² = 1/2, and a state blind to the input has MC ≈ 0.
 */
import { describe, expect, it } from 'vitest';
import { memoryCapacity } from '../engine/analysis/memory-capacity.ts';
import { seededUniform } from '../engine/analysis/random.ts';
import { SpikeTrainStats } from '../engine/analysis/spike-train-stats.ts';

/** i.i.d. uniform input, one value per bin. */
function uniformInput(bins: number, seed: number): Float64Array {
  const u = seededUniform(seed);
  return Float64Array.from({ length: bins }, () => u());
}

/** A shift register: cell j (1 … D) holds u(t − j). */
function delayLine(input: Float64Array, cells: number): Float64Array {
  const states = new Float64Array(input.length * cells);
  for (let t = 0; t < input.length; t++) for (let j = 1; j <= cells; j++) states[t * cells + j - 1] = t - j >= 0 ? input[t - j] : 0;
  return states;
}

describe('memory capacity', () => {
  it('is D for a delay line of D = 5 cells: r² ≈ 1 up to delay 5 and ≈ 0 beyond', () => {
    const input = uniformInput(4000, 1);
    const report = memoryCapacity(input, delayLine(input, 5), 5, { maxDelay: 12, ridge: 1e-6 })!;
    expect(report.features).toBe(5);
    expect(report.train_bins + report.test_bins).toBe(4000 - 12);
    expect(report.r2).toHaveLength(13); // delays 0 … 12
    expect(report.r2[0]).toBeLessThan(0.01);
    for (let k = 1; k <= 5; k++) expect(report.r2[k]).toBeGreaterThan(0.9999);
    for (let k = 6; k <= 12; k++) expect(report.r2[k]).toBeLessThan(0.01);
    expect(report.capacity).toBeGreaterThan(4.99);
    expect(report.capacity).toBeLessThan(5.05);
  });

  it('gives r² = 1/2 at delay 1 (and about 0 at delays 0 and 2) when the state is u(t − 1) plus independent noise of the same variance', () => {
    const bins = 40_000;
    const input = uniformInput(bins, 2);
    const noise = seededUniform(3);
    const states = Float64Array.from({ length: bins }, (_, t) => (t > 0 ? input[t - 1] : 0) + noise());
    const report = memoryCapacity(input, states, 1, { maxDelay: 3 })!;
    expect(report.r2[1]).toBeGreaterThan(0.47);
    expect(report.r2[1]).toBeLessThan(0.53);
    expect(report.r2[0]).toBeLessThan(0.01);
    expect(report.r2[2]).toBeLessThan(0.01);
  });

  it('is about 0 for states that never saw the input, and counts only columns that vary', () => {
    const bins = 3000;
    const input = uniformInput(bins, 4);
    const other = uniformInput(bins * 3, 5);
    for (let t = 0; t < bins; t++) other[t * 3 + 2] = 7; // a constant column
    const report = memoryCapacity(input, other, 3, { maxDelay: 10 })!;
    expect(report.features).toBe(2);
    expect(report.capacity).toBeLessThan(0.1);
  });

  it('counts only the delays a register holds: cells u(t − 2) … u(t − 4) give MC = 3', () => {
    // Cells hold u(t − 2) … u(t − 4): delays 2, 3, 4 are remembered, delays 0 and 1 are not.
    const input = uniformInput(3000, 6);
    const full = delayLine(input, 4);
    const states = new Float64Array(3000 * 3);
    for (let t = 0; t < 3000; t++) for (let j = 0; j < 3; j++) states[t * 3 + j] = full[t * 4 + j + 1];
    const report = memoryCapacity(input, states, 3, { maxDelay: 6, ridge: 1e-6 })!;
    expect(report.r2[0] + report.r2[1]).toBeLessThan(0.02);
    expect(report.r2.slice(2, 5).every((r) => r > 0.9999)).toBe(true);
    expect(report.capacity).toBeCloseTo(3, 1);
  });

  it('returns null with too few bins and refuses a delay below 1 or a state of the wrong size', () => {
    const input = uniformInput(10, 7);
    expect(memoryCapacity(input, delayLine(input, 2), 2, { maxDelay: 5 })).toBeNull();
    expect(() => memoryCapacity(input, delayLine(input, 2), 2, { maxDelay: 0 })).toThrow(/maxDelay/);
    expect(() => memoryCapacity(input, new Float64Array(7), 2, { maxDelay: 1 })).toThrow(/bins × 2 features/);
  });
});

describe('a spike monitor’s memory capacity (SpikeTrainStats)', () => {
  it('bins the input population and the other neurons from 100 ms on: a neuron that repeats the input one bin later gives r²_1 ≈ 1', () => {
    // dt 1 ms, 10 ms bins, 6 s. Neurons 0–1 are the input u (a random count per bin); neuron 2 fires, one bin later, as often as u did.
    const dt = 1;
    const steps = 6000;
    const setup = { input: 'u', inputFrom: 0, inputTo: 2, binMs: 10, maxDelay: 3, ridge: 1e-6 };
    const stats = new SpikeTrainStats('mon', 3, steps, dt, null, setup);
    const uniform = seededUniform(8);
    for (let bin = 0; bin < steps / 10 - 1; bin++) {
      const count = Math.floor(uniform() * 5);
      for (let k = 0; k < count; k++) {
        stats.add([k % 2], [bin * 10 + k], 0);
        stats.add([0], [(bin + 1) * 10 + k], 2);
      }
    }
    const report = stats.report(steps, 1).memory_capacity!;
    expect(report.input).toBe('u');
    expect(report.bin_ms).toBe(10);
    expect(report.features).toBe(1);
    expect(report.train_bins + report.test_bins).toBe((steps - 100) / 10 - 3);
    expect(report.r2[1]).toBeGreaterThan(0.999);
    expect(report.r2[0] + report.r2[2] + report.r2[3]).toBeLessThan(0.05);
  });

  it('reports why it cannot measure, naming the monitor and the field, when the input is not wired in', () => {
    const message = 'spike monitor "mon": memory_input "u" is not a population wired into it (its populations: exc)';
    const report = new SpikeTrainStats('mon', 3, 100, 1, null, message).report(100, 1).memory_capacity!;
    expect(report.capacity).toBeNull();
    expect(report.error).toBe(message);
  });
});
