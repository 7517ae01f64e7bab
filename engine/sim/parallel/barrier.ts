/**
 * A reusable barrier for a fixed number of threads over shared memory
 * (SharedArrayBuffer + Atomics, ES2017; no host globals).
 *
 * Generation counting: the last thread to arrive resets the count and bumps
 * the generation; the others spin briefly (a step is often shorter than the
 * wake-up latency of `Atomics.wait`) and then sleep until the generation moves.
 */

/** Int32 slots of the control block. */
export const CTRL_COUNT = 0;
export const CTRL_GENERATION = 1;
/** Set to 1 to make every thread leave its step loop at the next barrier. */
export const CTRL_STOP = 2;
export const CTRL_WORDS = 4;

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

  constructor(
    private readonly ctrl: Int32Array,
    readonly parties: number,
  ) {}

  /** Wait until every party has arrived; returns true when the run is being stopped. */
  arrive(): boolean {
    const c = this.ctrl;
    const gen = Atomics.load(c, CTRL_GENERATION);
    if (Atomics.add(c, CTRL_COUNT, 1) === this.parties - 1) {
      Atomics.store(c, CTRL_COUNT, 0);
      Atomics.add(c, CTRL_GENERATION, 1);
      Atomics.notify(c, CTRL_GENERATION);
    } else {
      const limit = this.spin;
      let spins = 0;
      while (Atomics.load(c, CTRL_GENERATION) === gen && spins < limit) spins++;
      if (spins < limit) this.spin = Math.min(SPIN_MAX, limit * 2);
      else {
        this.spin = Math.max(SPIN_MIN, limit >> 1);
        while (Atomics.load(c, CTRL_GENERATION) === gen) Atomics.wait(c, CTRL_GENERATION, gen);
      }
    }
    return Atomics.load(c, CTRL_STOP) !== 0;
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
