/**
 * Neuronal avalanches (Beggs & Plenz 2003): population activity in time bins;
 * an avalanche is a run of consecutive non-empty bins between empty ones. Its
 * size is the number of spikes in it, its duration the number of bins.
 */

/** Sum consecutive groups of `binSteps` entries (a last partial group is dropped). */
export function binCounts(stepCounts: ArrayLike<number>, binSteps: number): Float64Array {
  const bins = Math.floor(stepCounts.length / binSteps);
  const out = new Float64Array(bins);
  for (let b = 0, k = 0; b < bins; b++) {
    let s = 0;
    for (let e = k + binSteps; k < e; k++) s += stepCounts[k];
    out[b] = s;
  }
  return out;
}

/**
 * The mean interval between consecutive spikes of the whole population, in
 * steps: (last spike's step − first's) / (spikes − 1); NaN with fewer than two.
 */
export function meanInterEventSteps(stepCounts: ArrayLike<number>): number {
  let first = -1;
  let last = -1;
  let total = 0;
  for (let k = 0; k < stepCounts.length; k++) {
    if (stepCounts[k] > 0) {
      if (first < 0) first = k;
      last = k;
      total += stepCounts[k];
    }
  }
  return total >= 2 ? (last - first) / (total - 1) : NaN;
}

/**
 * The avalanches of binned activity. Runs touching the first or last bin are
 * left out: they began before, or end after, what was recorded.
 */
export function avalanches(binned: ArrayLike<number>): { sizes: Float64Array; durations: Float64Array } {
  const sizes: number[] = [];
  const durations: number[] = [];
  let size = 0;
  let duration = 0;
  let start = -1;
  for (let b = 0; b < binned.length; b++) {
    if (binned[b] > 0) {
      if (duration === 0) start = b;
      size += binned[b];
      duration++;
    } else if (duration > 0) {
      if (start > 0) {
        sizes.push(size);
        durations.push(duration);
      }
      size = 0;
      duration = 0;
    }
  }
  return { sizes: Float64Array.from(sizes), durations: Float64Array.from(durations) };
}
