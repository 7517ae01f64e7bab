import { describe, expect, it } from 'vitest';
import { SCHEDULE } from '../schedule.ts';
import { createProfileBuffer, readProfile, readStepTimes, STEP_WIDTH, ThreadClock } from './profile.ts';

/** A thread of a 2-step run on a scripted clock: each phase of phase A costs `a[k]` ms, each of phase B `b` ms; `waits[n]` ms at barrier n. */
function runThread(buffer: SharedArrayBuffer, index: number, a: readonly [number, number, number], b: number, waits: readonly number[]): void {
  let time = 100 * index;
  const clock = new ThreadClock(buffer, 2, index, () => time);
  const phases = SCHEDULE.map((_, k) => () => {
    time += k < 3 ? a[k] : b;
  });
  clock.begin();
  for (let n = 0; n < 2; n++) {
    clock.phases(phases, n, 0, 3);
    clock.arrive(n);
    time += waits[n];
    clock.leave();
    clock.phases(phases, n, 3, SCHEDULE.length);
  }
  clock.arrive(2);
}

describe('the profile of a parallel run', () => {
  it('sums each thread’s phases, busy and waiting time, and takes the slowest thread per step as the critical path', () => {
    const buffer = createProfileBuffer(2, 2);
    // Thread 0: phase A 1+2+3 = 6 ms, phase B 5 × 1 ms, waits 4 ms at the first barrier.
    runThread(buffer, 0, [1, 2, 3], 1, [4, 0]);
    // Thread 1: phase A 2+3+5 = 10 ms, phase B 5 × 0.5 ms, never waits.
    runThread(buffer, 1, [2, 3, 5], 0.5, [0, 0]);
    const p = readProfile(buffer, 2, 2);
    // Busy per step: thread 0 6, 5+6 = 11, 5; thread 1 10, 2.5+10 = 12.5, 2.5.
    expect(p.threads[0].busy_ms).toBe(22);
    expect(p.threads[1].busy_ms).toBe(25);
    expect(p.threads[0].wait_ms).toBe(4);
    expect(p.threads[1].wait_ms).toBe(0);
    expect(p.threads[0].run_ms.update).toBe(4);
    expect(p.threads[1].run_ms.deliverSpikes).toBe(1);
    expect(p.critical_path_ms).toBe(10 + 12.5 + 5);
    expect(p.critical_path_steps).toBe(3);
    // Thread 0 waited 4 ms (≥ 1 ms) and 0 ms (< 10 µs) at the two barriers, and 0 ms at the last one it arrived at (not left: not counted).
    expect(p.threads[0].waits).toEqual([1, 0, 0, 1]);
    expect(p.threads[1].waits).toEqual([2, 0, 0, 0]);
  });

  it('counts a windowed run’s waits inside a step by length and whether they slept, and its step ends as no wait', () => {
    const buffer = createProfileBuffer(1, 3);
    let time = 0;
    const clock = new ThreadClock(buffer, 1, 0, () => time);
    const phases = SCHEDULE.map(() => () => {
      time += 1;
    });
    // Waits of 5 µs, 50 µs (slept), 0.5 ms and 2 ms (slept) inside the steps' delivery phase.
    const waits = [0.005, 0.05, 0.5, 2];
    const slept = [false, true, false, true];
    clock.begin();
    for (let n = 0; n < 3; n++) {
      clock.phases(phases, n, 0, SCHEDULE.length);
      clock.stepEnd(n);
    }
    const deliver = SCHEDULE.indexOf('deliverSpikes');
    const waiting = SCHEDULE.map((_, k) => () => {
      time += 1;
      if (k !== deliver) return;
      waits.forEach((w, i) => {
        clock.waitStart();
        time += w;
        clock.waitEnd(slept[i]);
      });
    });
    clock.phases(waiting, 3, 0, SCHEDULE.length);
    clock.stepEnd(3);
    const p = readProfile(buffer, 1, 3);
    expect(p.threads[0].waits).toEqual([1, 1, 1, 1]);
    expect(p.threads[0].slept).toBe(2);
    expect(p.threads[0].wait_ms).toBeCloseTo(2.555, 9);
    // The waits are not the phase's work nor the step's.
    expect(p.threads[0].run_ms.deliverSpikes).toBeCloseTo(4, 9);
    expect(p.threads[0].busy_ms).toBeCloseTo(4 * SCHEDULE.length, 9);
  });

  it('keeps every step’s phase and busy times per thread', () => {
    const buffer = createProfileBuffer(2, 2);
    runThread(buffer, 0, [1, 2, 3], 1, [4, 0]);
    runThread(buffer, 1, [2, 3, 5], 0.5, [0, 0]);
    const [t0, t1] = readStepTimes(buffer, 2, 2);
    expect(t0.length).toBe(3 * STEP_WIDTH);
    // Step 1 of thread 0: its phases (A and B of step 1), then its busy time.
    expect(Array.from(t0.subarray(STEP_WIDTH, 2 * STEP_WIDTH))).toEqual([1, 2, 3, 1, 1, 1, 1, 1, 11]);
    expect(t1[2 * STEP_WIDTH + STEP_WIDTH - 1]).toBe(2.5);
  });
});
