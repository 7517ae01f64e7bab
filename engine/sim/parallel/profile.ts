/**
 * Where a parallel run's time goes, per thread (`RunOptions.profile`, CLI
 * `--profile --threads N`): each thread's time in every phase of the step, its
 * time waiting at the barrier, and per step its busy time (from leaving one
 * barrier to arriving at the next). From those the coordinator computes the
 * critical path: Σ over steps of the slowest thread's busy time, what the run
 * would take with a free barrier. On a shared machine wall-time speed-ups of
 * threads mean little; the critical path against one thread's time still tells
 * what the split itself can give (a thread descheduled while busy inflates both).
 *
 * The figures live in one shared Float64 buffer, each thread writing only its own slots.
 */
import { SCHEDULE } from '../schedule.ts';
import { wallMs } from '../build.ts';

/**
 * How the waits of a thread are counted by length (ms): under 10 µs, 10–100 µs, 0.1–1 ms, 1 ms or
 * more ({@link ThreadProfile.waits}).
 */
export const WAIT_BINS_MS: readonly number[] = [0.01, 0.1, 1];
/** Per thread: one slot per phase of the schedule, the barrier wait, the waits by length, and the waits that slept. */
const WAIT = SCHEDULE.length;
const WAIT_COUNTS = WAIT + 1;
const SLEPT = WAIT_COUNTS + WAIT_BINS_MS.length + 1;
const SLOTS = SLEPT + 1;
/** Per step and thread: one slot per phase, then the busy time. */
const STEP_SLOTS = SCHEDULE.length + 1;
const BUSY = SCHEDULE.length;
/** Per-step times are kept for at most this many steps × threads × {@link STEP_SLOTS} (8 bytes each); beyond, the critical path covers the first steps. */
const MAX_STEP_SLOTS = 1 << 23;

/** One thread's figures, in milliseconds. */
export interface ThreadProfile {
  /** Time in phases A and B (and, on the coordinator, gathering spikes for the monitors). */
  readonly busy_ms: number;
  /** Time waiting at the barrier (spinning or asleep). */
  readonly wait_ms: number;
  /**
   * How many waits took under 10 µs, 10–100 µs, 0.1–1 ms and 1 ms or more ({@link WAIT_BINS_MS}):
   * the barrier's, and a windowed run's waits for the other threads' counters.
   */
  readonly waits: readonly number[];
  /** How many of those waits went to sleep in `Atomics.wait` (a windowed run's; the barrier's are not told apart). */
  readonly slept: number;
  /** Per phase of the schedule. */
  readonly run_ms: Readonly<Record<string, number>>;
}

/** The profile of a parallel run's threads. */
export interface ThreadsProfile {
  readonly threads: readonly ThreadProfile[];
  /** Σ over steps of the slowest thread's busy time: the run time with a free barrier. */
  readonly critical_path_ms: number;
  /** Steps the critical path covers. */
  readonly critical_path_steps: number;
}

/** The shared buffer of a profiled run of `steps` steps on `threads` threads (one slot more per thread: the final barrier). */
export function createProfileBuffer(threads: number, steps: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * (threads * SLOTS + Math.min(MAX_STEP_SLOTS, (steps + 1) * threads * STEP_SLOTS)));
}

/** A thread's clock over the shared profile buffer. */
export class ThreadClock {
  private readonly f: Float64Array;
  private readonly base: number;
  private readonly perStep: number;
  private t: number;
  /** When this thread last left the barrier (or started), moved on by the waits inside a step since. */
  private left: number;
  /** Time spent in waits inside the steps ({@link waitStart}), ms, and when the current one began. */
  private waited = 0;
  private waitFrom = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly threads: number,
    private readonly index: number,
    /** Milliseconds (tests pass their own clock). */
    private readonly now: () => number = wallMs,
  ) {
    this.t = this.left = now();
    this.f = new Float64Array(buffer);
    this.base = index * SLOTS;
    this.perStep = keptSteps(this.f.length, threads);
  }

  /** Start timing (before the first phase of the run). */
  begin(): void {
    this.t = this.left = this.now();
  }

  /** Run phases [from, to) of the schedule for step n, timing each. */
  phases(run: readonly ((n: number) => void)[], n: number, from: number, to: number): void {
    const f = this.f;
    const at = n < this.perStep ? this.stepAt(n) : -1;
    let t = this.now();
    for (let k = from; k < to; k++) {
      const w = this.waited;
      run[k](n);
      const now = this.now();
      // A wait inside the phase (a windowed run's) is waiting, not the phase's work.
      const ms = now - t - (this.waited - w);
      f[this.base + k] += ms;
      if (at >= 0) f[at + k] = ms;
      t = now;
    }
  }

  private stepAt(n: number): number {
    return this.threads * SLOTS + (n * this.threads + this.index) * STEP_SLOTS;
  }

  /** Arriving at step n's barrier: the busy time since leaving the last one is step n's. */
  arrive(n: number): void {
    this.t = this.now();
    if (n < this.perStep) this.f[this.stepAt(n) + BUSY] = this.t - this.left;
  }

  /** A windowed run (shard.ts `Shard.lag`): a wait for the other threads inside a step begins. */
  waitStart(): void {
    this.waitFrom = this.now();
  }

  /** …and ends (`slept`: it went to sleep in `Atomics.wait`): its time counts as waiting, not as the step's busy time or its phase's. */
  waitEnd(slept = false): void {
    const ms = this.now() - this.waitFrom;
    this.waited += ms;
    this.left += ms;
    this.countWait(ms);
    if (slept) this.f[this.base + SLEPT]++;
  }

  /** A windowed run's end of step n (no barrier: its waits were inside the step, {@link waitStart}). */
  stepEnd(n: number): void {
    this.arrive(n);
    this.left = this.t;
  }

  /** Leaving the barrier. */
  leave(): void {
    this.left = this.now();
    this.countWait(this.left - this.t);
  }

  /** A wait of `ms`: into the thread's wait time and its count by length. */
  private countWait(ms: number): void {
    const f = this.f;
    f[this.base + WAIT] += ms;
    let bin = 0;
    while (bin < WAIT_BINS_MS.length && ms >= WAIT_BINS_MS[bin]) bin++;
    f[this.base + WAIT_COUNTS + bin]++;
  }
}

function keptSteps(length: number, threads: number): number {
  return Math.floor((length - threads * SLOTS) / (threads * STEP_SLOTS));
}

/**
 * Per thread, per step whose times were kept (the last: after the last step, to the final barrier), the
 * time (ms) of each phase of the schedule, then the busy time: row n of thread t is
 * `[n · STEP_WIDTH, (n + 1) · STEP_WIDTH)` of its array.
 */
export function readStepTimes(buffer: SharedArrayBuffer, threads: number, steps: number): Float64Array[] {
  const f = new Float64Array(buffer);
  const kept = Math.min(steps + 1, keptSteps(f.length, threads));
  return Array.from({ length: threads }, (_, t) => {
    const out = new Float64Array(kept * STEP_SLOTS);
    for (let n = 0; n < kept; n++) out.set(f.subarray(threads * SLOTS + (n * threads + t) * STEP_SLOTS, threads * SLOTS + (n * threads + t + 1) * STEP_SLOTS), n * STEP_SLOTS);
    return out;
  });
}

/** Slots per step in {@link readStepTimes}' rows: the phases of the schedule, then the busy time. */
export const STEP_WIDTH = STEP_SLOTS;

/** Read the figures of every thread (once all have stopped writing). `busy` per thread is its total of per-step busy times. */
export function readProfile(buffer: SharedArrayBuffer, threads: number, steps: number): ThreadsProfile {
  const f = new Float64Array(buffer);
  const perStep = Math.min(steps + 1, keptSteps(f.length, threads));
  const busy = new Float64Array(threads);
  let critical = 0;
  for (let n = 0; n < perStep; n++) {
    let max = 0;
    for (let t = 0; t < threads; t++) {
      const b = f[threads * SLOTS + (n * threads + t) * STEP_SLOTS + BUSY];
      busy[t] += b;
      if (b > max) max = b;
    }
    critical += max;
  }
  const list: ThreadProfile[] = [];
  for (let t = 0; t < threads; t++) {
    const run: Record<string, number> = {};
    SCHEDULE.forEach((name, k) => (run[name] = f[t * SLOTS + k]));
    const waits = Array.from(f.subarray(t * SLOTS + WAIT_COUNTS, t * SLOTS + WAIT_COUNTS + WAIT_BINS_MS.length + 1));
    list.push({ busy_ms: busy[t], wait_ms: f[t * SLOTS + WAIT], waits, slept: f[t * SLOTS + SLEPT], run_ms: run });
  }
  return { threads: list, critical_path_ms: critical, critical_path_steps: perStep };
}
