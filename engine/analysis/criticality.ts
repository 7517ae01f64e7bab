/**
 * The criticality analysis of one population's activity (a spike monitor's
 * populations taken together): avalanches and their size and duration power
 * laws, the crackling-noise relation between the exponents, and the branching
 * ratio. Input: spikes per simulation step.
 *
 * Crackling noise (Sethna, Dahmen & Myers 2001, Nature 410:242): with
 * P(S) ∝ S^−τ and P(T) ∝ T^−α, the mean size of avalanches of duration T grows
 * as ⟨S⟩(T) ∝ T^γ with γ = (α − 1)/(τ − 1) at criticality. `predicted` is that
 * ratio from the fitted exponents, `fitted` the least-squares slope of
 * ln ⟨S⟩ against ln T over the durations at or above the duration fit's x_min
 * seen in at least three avalanches.
 */
import { avalanches, binCounts, meanInterEventSteps } from './avalanches.ts';
import { multistepRegression, type BranchingEstimate } from './branching.ts';
import { analyzePowerLaw, type PowerLawReport } from './power-law.ts';
import { hurwitzZeta } from './special.ts';
import { seededUniform } from './random.ts';

export interface CriticalityOptions {
  /** Bin width in ms; 0 or absent: the mean inter-event interval of the population (rounded to whole steps, at least one). */
  readonly binMs?: number;
  /** Steps of the multistep regression, k = 1…kMax bins (default 40). */
  readonly kMax?: number;
  /** Bootstrap data sets for the power laws' goodness of fit (default 0: no p-value). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Leave out the first steps (a transient). */
  readonly fromStep?: number;
}

/** Points of a distribution on log-log axes: P(x) for integers, averaged over log-spaced bins. */
export interface Distribution {
  readonly x: readonly number[];
  readonly p: readonly number[];
}

export interface CriticalityReport {
  readonly bin_ms: number;
  /** How the bin was chosen. */
  readonly bin_rule: 'set' | 'mean-iei';
  readonly spikes: number;
  readonly avalanches: number;
  readonly sizes: PowerLawReport | null;
  readonly durations: PowerLawReport | null;
  /** Empirical P(size) and P(duration) (durations in bins) for a log-log plot. */
  readonly size_distribution: Distribution;
  readonly duration_distribution: Distribution;
  /** The fitted laws at the same x (x ≥ x_min), scaled by the tail's share of the data. */
  readonly size_fit_line: Distribution | null;
  readonly duration_fit_line: Distribution | null;
  readonly crackling: {
    /** (α − 1)/(τ − 1) from the fitted exponents. */
    readonly predicted: number | null;
    /** The slope of ln ⟨S⟩(T) against ln T. */
    readonly fitted: number | null;
    /** ⟨S⟩ per duration T (bins) used by the fit. */
    readonly points: { readonly T: readonly number[]; readonly mean_size: readonly number[] };
  };
  readonly branching: BranchingEstimate | null;
}

/** Empirical probabilities of integer data in log-spaced bins (ratio 1.25; each bin's mass over its integers). */
export function logBinned(data: ArrayLike<number>): Distribution {
  if (data.length === 0) return { x: [], p: [] };
  let max = 1;
  for (let i = 0; i < data.length; i++) max = Math.max(max, data[i]);
  const edges: number[] = [1];
  while (edges[edges.length - 1] <= max) {
    const last = edges[edges.length - 1];
    edges.push(Math.max(last + 1, Math.round(last * 1.25)));
  }
  const counts = new Float64Array(edges.length - 1);
  for (let i = 0; i < data.length; i++) {
    let lo = 0;
    let hi = edges.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= data[i]) lo = mid;
      else hi = mid;
    }
    counts[lo]++;
  }
  const x: number[] = [];
  const p: number[] = [];
  for (let b = 0; b < counts.length; b++) {
    if (counts[b] === 0) continue;
    const width = edges[b + 1] - edges[b];
    x.push(Math.sqrt(edges[b] * (edges[b + 1] - 1)));
    p.push(counts[b] / (data.length * width));
  }
  return { x, p };
}

function fitLine(fit: PowerLawReport | null, at: Distribution): Distribution | null {
  if (!fit) return null;
  const scale = fit.n_tail / fit.n / hurwitzZeta(fit.exponent, fit.xmin);
  const x = at.x.filter((v) => v >= fit.xmin);
  return { x, p: x.map((v) => scale * Math.pow(v, -fit.exponent)) };
}

function crackling(sizes: Float64Array, durations: Float64Array, sizeFit: PowerLawReport | null, durationFit: PowerLawReport | null): CriticalityReport['crackling'] {
  const predicted = sizeFit && durationFit && sizeFit.exponent > 1 ? (durationFit.exponent - 1) / (sizeFit.exponent - 1) : null;
  const byT = new Map<number, { n: number; s: number }>();
  for (let i = 0; i < durations.length; i++) {
    const e = byT.get(durations[i]) ?? { n: 0, s: 0 };
    e.n++;
    e.s += sizes[i];
    byT.set(durations[i], e);
  }
  const from = durationFit?.xmin ?? 1;
  const T: number[] = [];
  const meanSize: number[] = [];
  for (const [t, e] of [...byT].sort((a, b) => a[0] - b[0])) {
    if (t < from || e.n < 3) continue;
    T.push(t);
    meanSize.push(e.s / e.n);
  }
  let fitted: number | null = null;
  if (T.length >= 3) {
    const lx = T.map(Math.log);
    const ly = meanSize.map(Math.log);
    const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
    const my = ly.reduce((a, b) => a + b, 0) / ly.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < lx.length; i++) {
      num += (lx[i] - mx) * (ly[i] - my);
      den += (lx[i] - mx) ** 2;
    }
    fitted = den > 0 ? num / den : null;
  }
  return { predicted, fitted, points: { T, mean_size: meanSize } };
}

/**
 * Analyse spikes per step (`stepCounts[k]`: the population's spikes in step k,
 * steps of `dtMs`). Bootstrap draws are seeded by `seed`, so the same data and
 * seed give the same report.
 */
export function analyzeCriticality(stepCounts: ArrayLike<number>, dtMs: number, options: CriticalityOptions = {}): CriticalityReport {
  const from = Math.max(0, Math.floor(options.fromStep ?? 0));
  const counts = Array.prototype.slice.call(stepCounts, from) as number[];
  let spikes = 0;
  for (const c of counts) spikes += c;
  const set = options.binMs !== undefined && options.binMs > 0;
  const iei = meanInterEventSteps(counts);
  const binSteps = Math.max(1, Math.round(set ? options.binMs! / dtMs : Number.isFinite(iei) ? iei : 1));
  const binned = binCounts(counts, binSteps);
  const { sizes, durations } = avalanches(binned);
  const random = seededUniform(options.seed ?? 1);
  const bootstrap = options.bootstrap ?? 0;
  const sizeFit = analyzePowerLaw(sizes, { bootstrap, random });
  const durationFit = analyzePowerLaw(durations, { bootstrap, random });
  const sizeDist = logBinned(sizes);
  const durationDist = logBinned(durations);
  return {
    bin_ms: binSteps * dtMs,
    bin_rule: set ? 'set' : 'mean-iei',
    spikes,
    avalanches: sizes.length,
    sizes: sizeFit,
    durations: durationFit,
    size_distribution: sizeDist,
    duration_distribution: durationDist,
    size_fit_line: fitLine(sizeFit, sizeDist),
    duration_fit_line: fitLine(durationFit, durationDist),
    crackling: crackling(sizes, durations, sizeFit, durationFit),
    branching: multistepRegression(binned, options.kMax ?? 40, binSteps * dtMs),
  };
}
