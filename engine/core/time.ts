/**
 * Milliseconds to steps: the one place the engine turns a time into a whole
 * number of steps of `dt`.
 *
 * The rule: `t / dt` steps, counted to within {@link STEP_TOLERANCE} of a step
 * (decimal times are not exact in binary: 0.3 / 0.1 is 2.9999999999999996,
 * 0.15 / 0.1 is 1.4999999999999998), then
 * - a **duration** (a delay, a refractory period, a sampling interval, a bin, a
 *   presentation, the run) rounds to the nearest step, halves up
 *   ({@link stepsOf}) — the delay rule the Brian2 spike-for-spike tests check;
 * - an **onset** (a step current switching on or off, a rate piece starting)
 *   is the first step whose start time n·dt is at or after it
 *   ({@link firstStepFrom});
 * - an **explicit spike time** (the spike generator) is the step that holds it,
 *   Brian2's `SpikeGeneratorGroup` rule ({@link spikeStepOf}).
 */

/** How close (in steps) `t / dt` must come to a step boundary to count as on it. */
export const STEP_TOLERANCE = 1e-9;

/** Steps of a duration of `ms`: the nearest whole step, halves up, never below 0. */
export function stepsOf(ms: number, dtMs: number): number {
  return Math.max(0, Math.round(ms / dtMs + STEP_TOLERANCE));
}

/** The first step n ≥ 0 with n·dt ≥ `ms` (an onset at or after `ms`). */
export function firstStepFrom(ms: number, dtMs: number): number {
  return Math.max(0, Math.ceil(ms / dtMs - STEP_TOLERANCE));
}

/** Brian2's shift of a spike time, in steps, before it is cut to its step (2.5.1: `shift = 1e-3*dt`). */
export const SPIKE_TIME_SHIFT = 1e-3;

/**
 * The step that emits a spike given at `ms`: floor((t + 10⁻³·dt) / dt), the rule
 * of Brian2 2.5.1's `SpikeGeneratorGroup` (spikegeneratorgroup.py, `before_run`).
 * A time inside a step goes to the step that contains it (0.05, 0.06 and 0.14 ms
 * at dt 0.1 ms give steps 0, 0 and 1); a time up to 10⁻³·dt before a boundary
 * counts as on it (0.3 ms is step 3 although 0.3 / 0.1 is 2.9999999999999996).
 * Computed in seconds with Brian2's own floating-point operations, so that a
 * time right at the shifted boundary (2.0999 ms at dt 0.1 ms: step 20, not 21)
 * lands where Brian2 puts it, to the bit.
 */
export function spikeStepOf(ms: number, dtMs: number): number {
  const dtS = dtMs * 1e-3; // Brian2: defaultclock.dt = dt_ms * ms
  return Math.max(0, Math.floor((ms * 1e-3 + SPIKE_TIME_SHIFT * dtS) / dtS));
}
