/**
 * A reusable barrier for a fixed number of threads over shared memory
 * (SharedArrayBuffer + Atomics, ES2017; no host globals).
 *
 * Generation counting: the last thread to arrive resets the count and bumps
 * the generation; the others spin briefly (a step is often shorter than the
 * wake-up latency of `Atomics.wait`) and then sleep until the generation moves.
 *
 * No wait is unbounded: a sleeping thread wakes every {@link WAIT_SLICE_MS} to
 * check the stop flag and the dead mark ({@link markDead}: a host sets it when
 * one of its threads exits or fails, from that thread or from its parent), and
 * gives up after a liveness timeout (the larger of {@link MIN_TIMEOUT_MS} and
 * {@link TIMEOUT_FACTOR} × the longest wait that ended well), marking the run
 * dead so every other thread leaves too. A thread killed without a word (out of
 * memory) is thus found by the timeout, one that exits or throws at once.
 */

/** Int32 slots of the control block. */
export const CTRL_COUNT = 0;
export const CTRL_GENERATION = 1;
/** Set to 1 to make every thread leave its step loop at the next barrier. */
export const CTRL_STOP = 2;
/** Why the run died: thread index + 1, {@link DEAD_TIMEOUT}, or 0 while all is well. */
export const CTRL_DEAD = 3;
/** Threads asleep in `Atomics.wait` on the generation (the last to arrive wakes them only if there are any). */
export const CTRL_SLEEPERS = 4;
export const CTRL_WORDS = 5;

/** CTRL_DEAD value: a barrier wait ran past its liveness timeout. */
export const DEAD_TIMEOUT = -1;
/** A sleeping thread checks the flags this often. */
export const WAIT_SLICE_MS = 50;
/** The shortest liveness timeout of one barrier wait. */
export const MIN_TIMEOUT_MS = 10_000;
/** The timeout grows to this many times the longest wait seen (a slow network's steps). */
export const TIMEOUT_FACTOR = 50;

/** Mark the run dead (thread `index` ended, or {@link DEAD_TIMEOUT}) and wake every waiting thread. */
export function markDead(ctrl: Int32Array, index: number): void {
  Atomics.compareExchange(ctrl, CTRL_DEAD, 0, index === DEAD_TIMEOUT ? DEAD_TIMEOUT : index + 1);
  Atomics.store(ctrl, CTRL_STOP, 1);
  Atomics.add(ctrl, CTRL_GENERATION, 1);
  Atomics.notify(ctrl, CTRL_GENERATION);
}

/** What went wrong with the threads, as a sentence, or null. */
export function deadReason(ctrl: Int32Array): string | null {
  const d = Atomics.load(ctrl, CTRL_DEAD);
  if (d === 0) return null;
  if (d === DEAD_TIMEOUT) return 'a simulation thread stopped responding (no thread reached the barrier within its liveness timeout), so the run was ended';
  return `simulation thread ${d - 1} ended unexpectedly (it exited or failed), so the run was ended`;
}

/**
 * Loads a waiting thread spins (some 5–25 ns each) before it sleeps. Sleeping and waking costs
 * tens of µs, more than most waits on an idle machine; but on a busy one a
 * spinning thread takes the core from the thread it waits for. So the limit
 * adapts: it doubles when a spin ends in time and halves when it had to sleep.
 * The ceiling (about 1–3 ms of spinning) is above the imbalance of one step of a
 * large network: with a ceiling of 4,000 loads Brunel x4 on two threads slept at
 * most barriers and ran at 0.98× of one thread; with this one, 1.3–1.5×
 * (`npm run bench:parallel`, bench/README.md).
 */
const SPIN_MIN = 250;
const SPIN_MAX = 1 << 17;

export class Barrier {
  private spin = 1000;
  /** The longest wait (ms) that ended with every thread arriving. */
  private longest = 0;

  constructor(
    private readonly ctrl: Int32Array,
    readonly parties: number,
    /** Milliseconds (the core has no `performance`; wall time is enough for a timeout of seconds). */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * For a thread that spins on the control block itself (the coordinator's
   * `quiesce`): a check that is true once the run is stopped, marked dead, or the
   * liveness timeout has passed since this call (then it marks the run dead).
   */
  watchdog(): () => boolean {
    const c = this.ctrl;
    const t0 = this.now();
    const timeout = Math.max(MIN_TIMEOUT_MS, TIMEOUT_FACTOR * this.longest);
    let n = 0;
    return () => {
      if (Atomics.load(c, CTRL_STOP) !== 0) return true;
      // Reading the clock costs more than a load: every 4096 spins.
      if ((++n & 4095) !== 0 || this.now() - t0 <= timeout) return false;
      markDead(c, DEAD_TIMEOUT);
      return true;
    };
  }

  /** Why the run died (see {@link deadReason}), or null. */
  failure(): string | null {
    return deadReason(this.ctrl);
  }

  /** Wait until every party has arrived; returns true when the run is being stopped. */
  arrive(): boolean {
    const c = this.ctrl;
    const gen = Atomics.load(c, CTRL_GENERATION);
    if (Atomics.add(c, CTRL_COUNT, 1) === this.parties - 1) {
      Atomics.store(c, CTRL_COUNT, 0);
      Atomics.add(c, CTRL_GENERATION, 1);
      // `notify` takes the engine's lock of waiters (~1 µs, every step): only when a thread sleeps.
      // A sleeper counts itself before it re-checks the generation, so it is never missed.
      if (Atomics.load(c, CTRL_SLEEPERS) !== 0) Atomics.notify(c, CTRL_GENERATION);
    } else {
      const limit = this.spin;
      let spins = 0;
      while (Atomics.load(c, CTRL_GENERATION) === gen && spins < limit) spins++;
      if (spins < limit) this.spin = Math.min(SPIN_MAX, limit * 2);
      else {
        this.spin = Math.max(SPIN_MIN, limit >> 1);
        this.sleep(gen);
      }
    }
    return Atomics.load(c, CTRL_STOP) !== 0;
  }

  /** Sleep until the generation moves, the run is stopped or marked dead, or the liveness timeout passes. */
  private sleep(gen: number): void {
    const c = this.ctrl;
    const t0 = this.now();
    const timeout = Math.max(MIN_TIMEOUT_MS, TIMEOUT_FACTOR * this.longest);
    Atomics.add(c, CTRL_SLEEPERS, 1);
    try {
      while (Atomics.load(c, CTRL_GENERATION) === gen) {
        Atomics.wait(c, CTRL_GENERATION, gen, WAIT_SLICE_MS);
        if (Atomics.load(c, CTRL_STOP) !== 0) return;
        if (this.now() - t0 > timeout) {
          markDead(c, DEAD_TIMEOUT);
          return;
        }
      }
    } finally {
      Atomics.sub(c, CTRL_SLEEPERS, 1);
    }
    this.longest = Math.max(this.longest, this.now() - t0);
  }

  /**
   * Ask every thread to stop, and arrive without waiting, so threads blocked
   * at the barrier wake, see the flag and leave.
   */
  release(): void {
    const c = this.ctrl;
    Atomics.store(c, CTRL_STOP, 1);
    if (Atomics.add(c, CTRL_COUNT, 1) === this.parties - 1) {
      Atomics.store(c, CTRL_COUNT, 0);
      Atomics.add(c, CTRL_GENERATION, 1);
    }
    Atomics.notify(c, CTRL_GENERATION);
  }
}
