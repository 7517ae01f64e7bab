import { describe, expect, it } from 'vitest';
import { Barrier, CTRL_ARRIVE, CTRL_DEAD, CTRL_STOP, CTRL_WORDS, DEAD_TIMEOUT, deadReason, markDead, MIN_TIMEOUT_MS } from './barrier.ts';

const ctrlBlock = () => new Int32Array(new SharedArrayBuffer(4 * CTRL_WORDS));

describe('Barrier liveness', () => {
  it('gives up a wait for a thread that never comes after the liveness timeout, and marks the run dead', () => {
    const ctrl = ctrlBlock();
    let clock = 0;
    // Every look at the clock is 2 s later: the 10 s timeout passes after a few 50 ms slices.
    const barrier = new Barrier(ctrl, 2, () => (clock += 2000));
    const t0 = Date.now();
    expect(barrier.arrive()).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(clock).toBeGreaterThan(MIN_TIMEOUT_MS);
    expect(Atomics.load(ctrl, CTRL_DEAD)).toBe(DEAD_TIMEOUT);
    expect(barrier.failure()).toMatch(/stopped responding/);
  });

  it('a thread marked dead (index 1) wakes a waiter at once and is named', () => {
    const ctrl = ctrlBlock();
    markDead(ctrl, 1);
    expect(Atomics.load(ctrl, CTRL_STOP)).toBe(1);
    const barrier = new Barrier(ctrl, 2, () => 0);
    expect(barrier.arrive()).toBe(true);
    expect(deadReason(ctrl)).toBe('simulation thread 1 ended unexpectedly (it exited or failed), so the run was ended');
    // The first reason stays.
    markDead(ctrl, DEAD_TIMEOUT);
    expect(barrier.failure()).toMatch(/^simulation thread 1/);
  });

  it("the coordinator's spin (watchdog) ends on the timeout too", () => {
    const ctrl = ctrlBlock();
    let clock = 0;
    const stalled = new Barrier(ctrl, 2, () => (clock += 1000)).watchdog();
    let spins = 0;
    while (!stalled()) spins++;
    expect(spins).toBeGreaterThan(4096);
    expect(deadReason(ctrl)).toMatch(/stopped responding/);
  });

  it("passes once every other thread's arrival count has reached this thread's, and tells the coordinator when the others wait at the next one", () => {
    const ctrl = ctrlBlock();
    const other = CTRL_ARRIVE + 16;
    const b = new Barrier(ctrl, 2, () => 0, 0);
    expect(b.othersWaiting()).toBe(false);
    // Thread 1 arrives at barrier 1 first: thread 0 passes it at once and counts 1 in its own word.
    Atomics.store(ctrl, other, 1);
    expect(b.othersWaiting()).toBe(true);
    expect(b.arrive()).toBe(false);
    expect(Atomics.load(ctrl, CTRL_ARRIVE)).toBe(1);
    // Thread 1 has not reached barrier 2 yet.
    expect(b.othersWaiting()).toBe(false);
    Atomics.store(ctrl, other, 2);
    expect(b.othersWaiting()).toBe(true);
    expect(() => new Barrier(ctrl, 2, () => 0, 2)).toThrow(/no thread 2/);
  });

  it('a released thread no longer holds anyone up: its count jumps past every barrier, and the stop flag is set', () => {
    const ctrl = ctrlBlock();
    new Barrier(ctrl, 2, () => 0, 1).release();
    expect(Atomics.load(ctrl, CTRL_STOP)).toBe(1);
    const b = new Barrier(ctrl, 2, () => 0, 0);
    for (let k = 0; k < 3; k++) expect(b.arrive()).toBe(true);
  });
});
