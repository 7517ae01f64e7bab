/**
 * A reusable barrier for a fixed number of threads over shared memory
 * (SharedArrayBuffer + Atomics, ES2017; no host globals).
 *
 * Each thread counts its own arrivals in a word on a cache line of its own
 * (`CTRL_ARRIVE`), and waits until every other thread's count has reached its
 * own: one store and one read of each other thread's line per barrier. (A shared
 * counter and generation — the design until 2026-12-07 — moves one line between
 * the cores four to six times per barrier; on this machine's two vCPUs that cost
 * 5.5 µs a barrier against ~1 µs, measured with two threads of 50 µs of work a
 * step, `bench/README.md`.) A waiting thread spins briefly (a step is often
 * shorter than the wake-up latency of `Atomics.wait`) and then sleeps on the line
 * of a thread it waits for; an arriving thread wakes sleepers only when there are
 * any (`CTRL_SLEEPERS`).
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
/** Set to 1 to make every thread leave its step loop at the next barrier. */
export const CTRL_STOP = 0;
/** Why the run died: thread index + 1, {@link DEAD_TIMEOUT}, or 0 while all is well. */
export const CTRL_DEAD = 1;
/** Threads asleep in `Atomics.wait` (an arriving thread wakes them only if there are any). */
export const CTRL_SLEEPERS = 2;
/** Int32 words per cache line (64 bytes): each thread's arrival count has a line of its own. */
const LINE_WORDS = 16;
/** Thread t's arrival count is word `CTRL_ARRIVE + t · 16`. */
export const CTRL_ARRIVE = LINE_WORDS;
/**
 * Further words of a thread's line: its progress in a windowed run (shard.ts, `Shard.lag`),
 * the steps whose spikes it has published, delivered, and finished.
 */
export const LINE_PUBLISHED = 1;
export const LINE_DELIVERED = 2;
export const LINE_DONE = 3;
/** Most threads of one barrier. */
export const MAX_PARTIES = 64;
export const CTRL_WORDS = CTRL_ARRIVE + MAX_PARTIES * LINE_WORDS;

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
  wakeAll(ctrl);
}

/** Wake every thread asleep on any arrival line. */
function wakeAll(ctrl: Int32Array): void {
  for (let t = 0; t < MAX_PARTIES; t++) Atomics.notify(ctrl, CTRL_ARRIVE + t * LINE_WORDS);
}

/** What went wrong with the threads, as a sentence, or null. */
export function deadReason(ctrl: Int32Array): string | null {
  const d = Atomics.load(ctrl, CTRL_DEAD);
  if (d === 0) return null;
  if (d === DEAD_TIMEOUT) return 'a simulation thread stopped responding (no thread reached the barrier within its liveness timeout), so the run was ended';
  return `simulation thread ${d - 1} ended unexpectedly (it exited or failed), so the run was ended`;
}

/**
 * Loads a waiting thread spins (~1 ns each on a line no one writes) before it sleeps.
 * Sleeping and waking costs tens of µs, more than most waits on an idle machine; but on
 * a busy one a spinning thread takes the core from the thread it waits for. So the
 * limit adapts to what sleeping cost: when the awaited thread came within
 * {@link SHORT_SLEEP_MS} of going to sleep, spinning longer would have paid and the
 * limit doubles; when it came later (it was descheduled, or its step is long) the
 * limit halves. Between about 0.25 µs and 1 ms of spinning. (With a fixed ceiling of
 * 4,000 loads Brunel x4 on two threads slept at most barriers and ran at 0.98× of one
 * thread, bench/README.md.)
 */
const SPIN_MIN = 250;
const SPIN_MAX = 1 << 20;
/** A sleep shorter than this (ms) means the spin gave up too early. */
const SHORT_SLEEP_MS = 0.2;
/** A clock of sub-µs resolution where the host has one (the sleep's length steers the spin), else `Date.now`. */
const fineNow: () => number = (() => {
  const p = (globalThis as { performance?: { now(): number } }).performance;
  return p ? () => p.now() : Date.now;
})();

export class Barrier {
  private spin = 1000;
  /** The longest wait (ms) that ended with every thread arriving. */
  private longest = 0;
  /** Barriers this thread has arrived at. */
  private arrivals = 0;
  /** This thread's arrival word. */
  private readonly mine: number;
  /** How many times this thread went to sleep in `Atomics.wait` (the profile counts them). */
  sleeps = 0;

  constructor(
    private readonly ctrl: Int32Array,
    readonly parties: number,
    /** Milliseconds (the core has no `performance`; wall time is enough for a timeout of seconds). */
    private readonly now: () => number = Date.now,
    /** This thread's index, 0 … parties − 1. */
    readonly index = 0,
  ) {
    if (parties > MAX_PARTIES || index < 0 || index >= parties) throw new Error(`a barrier of ${parties} threads has no thread ${index}`);
    this.mine = CTRL_ARRIVE + index * LINE_WORDS;
  }

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

  /** Whether every other thread has arrived at the barrier after this thread's last (the coordinator's `quiesce`). */
  othersWaiting(): boolean {
    const c = this.ctrl;
    for (let t = 0; t < this.parties; t++) if (t !== this.index && Atomics.load(c, CTRL_ARRIVE + t * LINE_WORDS) <= this.arrivals) return false;
    return true;
  }

  /** Why the run died (see {@link deadReason}), or null. */
  failure(): string | null {
    return deadReason(this.ctrl);
  }

  /** Wait until every party has arrived; returns true when the run is being stopped. */
  arrive(): boolean {
    const gen = ++this.arrivals;
    this.post(0, gen);
    return this.awaitOthers(0, gen);
  }

  /** Set this thread's word `word` of its line (0: arrivals, or a `LINE_*` counter) to `value`, waking any sleeper. */
  post(word: number, value: number): void {
    const c = this.ctrl;
    Atomics.store(c, this.mine + word, value);
    // Sleepers wait on some thread's line; they count themselves before they look again, so none is missed.
    if (Atomics.load(c, CTRL_SLEEPERS) !== 0) Atomics.notify(c, this.mine + word);
  }

  /** Whether every other thread's word `word` has reached `value` (no wait). */
  othersAt(word: number, value: number): boolean {
    const c = this.ctrl;
    for (let t = 0; t < this.parties; t++) if (t !== this.index && Atomics.load(c, CTRL_ARRIVE + t * LINE_WORDS + word) < value) return false;
    return true;
  }

  /** Wait (spinning, then asleep, as at the barrier) until every other thread's word `word` has reached `value`; true when the run is being stopped. */
  awaitOthers(word: number, value: number): boolean {
    const c = this.ctrl;
    const gen = value;
    for (let t = 0; t < this.parties; t++) {
      if (t === this.index) continue;
      const at = CTRL_ARRIVE + t * LINE_WORDS + word;
      if (Atomics.load(c, at) >= gen) continue;
      const limit = this.spin;
      let spins = 0;
      while (Atomics.load(c, at) < gen && spins < limit) spins++;
      if (spins < limit) continue;
      const t0 = fineNow();
      if (this.sleep(at, gen)) break;
      this.spin = fineNow() - t0 < SHORT_SLEEP_MS ? Math.min(SPIN_MAX, limit * 2) : Math.max(SPIN_MIN, limit >> 1);
    }
    return Atomics.load(c, CTRL_STOP) !== 0;
  }

  /** Sleep until word `at` reaches `gen`, the run is stopped or marked dead, or the liveness timeout passes (then true). */
  private sleep(at: number, gen: number): boolean {
    const c = this.ctrl;
    const t0 = this.now();
    const timeout = Math.max(MIN_TIMEOUT_MS, TIMEOUT_FACTOR * this.longest);
    Atomics.add(c, CTRL_SLEEPERS, 1);
    this.sleeps++;
    try {
      for (;;) {
        const v = Atomics.load(c, at);
        if (v >= gen) break;
        if (Atomics.load(c, CTRL_STOP) !== 0) return true;
        Atomics.wait(c, at, v, WAIT_SLICE_MS);
        if (this.now() - t0 > timeout) {
          markDead(c, DEAD_TIMEOUT);
          return true;
        }
      }
    } finally {
      Atomics.sub(c, CTRL_SLEEPERS, 1);
    }
    this.longest = Math.max(this.longest, this.now() - t0);
    return false;
  }

  /**
   * Ask every thread to stop, and arrive for good (no thread waits for this one
   * again), so threads blocked at the barrier wake, see the flag and leave.
   */
  release(): void {
    const c = this.ctrl;
    Atomics.store(c, CTRL_STOP, 1);
    Atomics.store(c, this.mine, 0x7fffffff);
    wakeAll(c);
  }
}
