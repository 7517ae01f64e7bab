/**
 * Inter-spike intervals (ISI) and their coefficient of variation (CV) per
 * population, from recorded spikes; and histograms of both. Pure, unit-tested.
 *
 * CV = std(ISI) / mean(ISI) per neuron, with the population standard deviation
 * (divide by n, as elephant's `cv` and numpy's default `std`), for neurons with at
 * least two intervals (three spikes). A regular neuron has CV 0; a Poisson one ≈ 1.
 */

export interface IsiStats {
  /** Every interval of every neuron, ms (`count` of them are set). */
  readonly isiMs: Float64Array;
  readonly count: number;
  /** One CV per neuron with ≥ 2 intervals. */
  readonly cv: Float64Array;
  /** Mean over all intervals, ms (NaN when there is none). */
  readonly meanIsiMs: number;
  /** Mean of the per-neuron CVs (NaN when no neuron has one). */
  readonly meanCv: number;
}

/**
 * Intervals between consecutive spikes of the same neuron. `step` must be
 * non-decreasing (the engine's order); neurons outside [0, size) are ignored.
 */
export function isiStats(neuron: Int32Array, step: Int32Array, count: number, size: number, dtMs: number): IsiStats {
  const last = new Int32Array(size).fill(-1);
  // Welford's running mean and sum of squares per neuron.
  const n = new Int32Array(size);
  const mean = new Float64Array(size);
  const m2 = new Float64Array(size);
  const isi = new Float64Array(Math.max(0, count - 1));
  let m = 0;
  let total = 0;
  for (let k = 0; k < count; k++) {
    const i = neuron[k];
    if (i < 0 || i >= size) continue;
    const prev = last[i];
    last[i] = step[k];
    if (prev < 0) continue;
    const d = (step[k] - prev) * dtMs;
    isi[m++] = d;
    total += d;
    const c = ++n[i];
    const delta = d - mean[i];
    mean[i] += delta / c;
    m2[i] += delta * (d - mean[i]);
  }
  let withCv = 0;
  for (let i = 0; i < size; i++) if (n[i] >= 2) withCv++;
  const cv = new Float64Array(withCv);
  let j = 0;
  let cvSum = 0;
  for (let i = 0; i < size; i++) {
    if (n[i] < 2) continue;
    const v = mean[i] > 0 ? Math.sqrt(Math.max(0, m2[i] / n[i])) / mean[i] : 0;
    cv[j++] = v;
    cvSum += v;
  }
  return { isiMs: isi, count: m, cv, meanIsiMs: m > 0 ? total / m : NaN, meanCv: withCv > 0 ? cvSum / withCv : NaN };
}

export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  /** `counts[b]` counts values in [lo + b·w, lo + (b+1)·w), w = (hi − lo) / bins. */
  readonly counts: Uint32Array;
  /** Values ≥ hi (shown as "beyond"); values < lo are not counted. */
  readonly above: number;
}

/** Count the first `count` values into `bins` equal bins over [lo, hi). */
export function histogram(values: Float64Array, count: number, lo: number, hi: number, bins: number): Histogram {
  const counts = new Uint32Array(Math.max(1, bins));
  let above = 0;
  const w = (hi - lo) / counts.length;
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (!(v >= lo)) continue;
    if (v >= hi) {
      above++;
      continue;
    }
    counts[Math.min(counts.length - 1, Math.floor((v - lo) / w))]++;
  }
  return { lo, hi, counts, above };
}

/** The smallest 1, 2 or 5 × 10^k that is ≥ x (x > 0); 1 otherwise. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const pow = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * pow >= x * (1 - 1e-12)) return m * pow;
  return 10 * pow;
}

/**
 * The ISI histogram's range: from 0 to a round number at about five mean
 * intervals (an exponential's 99th percentile is 4.6 means), never past the
 * longest interval rounded up. Longer intervals are counted as beyond.
 */
export function isiRangeMs(stats: IsiStats): number {
  if (stats.count === 0) return 1;
  let max = 0;
  for (let k = 0; k < stats.count; k++) if (stats.isiMs[k] > max) max = stats.isiMs[k];
  return niceCeil(Math.min(max * 1.0001, 5 * stats.meanIsiMs));
}

/** Bins of the ISI histogram (over [0, the shared range)) and of the CV histogram (over [0, CV_MAX)). */
export const ISI_BINS = 60;
export const CV_BINS = 40;
export const CV_MAX = 2;

/** One population's intervals, CVs and their histograms, as the ISI/CV view and its exports show them. */
export interface PopulationIsi {
  readonly label: string;
  readonly stats: IsiStats;
  readonly isi: Histogram;
  readonly cv: Histogram;
}

/** Every population of a spike monitor, with one ISI range for all so the histograms share the axis. */
export function isiPopulations(
  record: { readonly series: readonly { label: string; neuron: Int32Array; step: Int32Array; count: number; size: number }[] } | undefined,
  dtMs: number,
): PopulationIsi[] {
  const stats = (record?.series ?? []).map((s) => ({ label: s.label, stats: isiStats(s.neuron, s.step, s.count, s.size, dtMs) }));
  const hi = Math.max(1, ...stats.map((p) => (p.stats.count > 0 ? isiRangeMs(p.stats) : 0)));
  return stats.map((p) => ({
    ...p,
    isi: histogram(p.stats.isiMs, p.stats.count, 0, hi, ISI_BINS),
    cv: histogram(p.stats.cv, p.stats.cv.length, 0, CV_MAX, CV_BINS),
  }));
}
