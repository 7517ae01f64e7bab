/**
 * Population rate from recorded spikes, in bins of a chosen width: the raster's
 * rate strip (its slider sets the bin). Pure, unit-tested.
 */
import { lowerBound } from './raster-plot.ts';

/**
 * Spikes per bin of `binSteps` steps for bins starting at step `firstStep`
 * (`bins` of them), from a non-decreasing `step` array. Spikes outside are not counted.
 */
export function binCounts(step: Int32Array, count: number, firstStep: number, binSteps: number, bins: number): Float64Array {
  const out = new Float64Array(Math.max(0, bins));
  if (bins <= 0 || binSteps <= 0) return out;
  const end = firstStep + bins * binSteps;
  for (let k = lowerBound(step, count, firstStep); k < count; k++) {
    const s = step[k];
    if (s >= end) break;
    out[Math.floor((s - firstStep) / binSteps)]++;
  }
  return out;
}

/** Counts per bin to a rate per neuron, Hz: count / (size · bin seconds). */
export function countsToHz(counts: Float64Array, size: number, binSteps: number, dtMs: number): Float64Array {
  const scale = 1000 / (Math.max(1, size) * binSteps * dtMs);
  return counts.map((c) => c * scale);
}

/** The bin widths the slider offers, ms: round values from 0.5 ms to 1 s. */
export const RATE_BINS_MS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

/** A bin width in whole steps (at least one). */
export function binStepsOf(binMs: number, dtMs: number): number {
  return Math.max(1, Math.round(binMs / dtMs));
}

/**
 * Spikes per step of one population, kept up to date as spikes are appended
 * (steps non-decreasing): any binning of the visible time then costs one pass over
 * its steps instead of one over its spikes.
 */
export class StepCounts {
  private counts = new Float64Array(1024);
  private done = 0;

  /** Count the spikes `[done, count)`; a shorter array than last time starts over. */
  update(step: Int32Array, count: number): void {
    if (count < this.done) this.reset();
    for (let k = this.done; k < count; k++) {
      const s = step[k];
      if (s < 0) continue;
      if (s >= this.counts.length) {
        let cap = this.counts.length;
        while (cap <= s) cap *= 2;
        const grown = new Float64Array(cap);
        grown.set(this.counts);
        this.counts = grown;
      }
      this.counts[s]++;
    }
    this.done = count;
  }

  reset(): void {
    this.counts.fill(0);
    this.done = 0;
  }

  /** As `binCounts`, from the per-step counts. */
  bins(firstStep: number, binSteps: number, bins: number): Float64Array {
    const out = new Float64Array(Math.max(0, bins));
    if (bins <= 0 || binSteps <= 0) return out;
    const end = Math.min(firstStep + bins * binSteps, this.counts.length);
    for (let s = Math.max(0, firstStep); s < end; s++) out[Math.floor((s - firstStep) / binSteps)] += this.counts[s];
    return out;
  }
}
