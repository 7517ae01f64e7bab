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
 *   ({@link firstStepFrom}).
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
