/**
 * Discrete power laws fitted to integer data (avalanche sizes and durations),
 * after Clauset, Shalizi & Newman (2009), "Power-law distributions in empirical
 * data", SIAM Review 51:661:
 *
 *   p(x) = x^−α / ζ(α, x_min)   for integers x ≥ x_min,
 *
 * - α by maximum likelihood (ℓ(α) = −n ln ζ(α, x_min) − α Σ ln x_i is concave
 *   in α, so a golden-section search finds its maximum);
 * - x_min by the smallest Kolmogorov–Smirnov distance between the tail's
 *   empirical CDF and the fitted one (candidates: the distinct data values with at
 *   least `minTail` points at or above them, thinned to at most `maxCandidates`
 *   roughly log-spaced values — every small integer is kept);
 * - the goodness of fit: the fraction of semi-parametric bootstrap data sets
 *   (the empirical body below x_min, the fitted law above it, refitted with
 *   their own x_min) whose KS distance is at least the data's;
 * - the comparison with a discrete lognormal and a discrete exponential on the
 *   same tail: Vuong's normalised log-likelihood ratio and its two-sided p.
 */
import { hurwitzZeta, erfc, goldenMin } from './special.ts';
import type { Uniform } from './random.ts';

/** α is searched in (1, MAX_ALPHA]. */
const MAX_ALPHA = 10;

/** A power law fitted with a fixed x_min. */
export interface TailFit {
  readonly exponent: number;
  readonly xmin: number;
  /** Points at or above x_min. */
  readonly n_tail: number;
  /** The KS distance between the tail's empirical CDF and the fit. */
  readonly ks: number;
}

/** Vuong's likelihood-ratio test of the power law against an alternative on the same tail. */
export interface Comparison {
  /** Σ ln p_power(x_i) − ln p_alt(x_i): positive favours the power law. */
  readonly log_ratio: number;
  /** log_ratio / (σ √n), asymptotically standard normal. */
  readonly normalized: number;
  /** Two-sided p of the sign of log_ratio; above 0.1 the test does not decide. */
  readonly p: number;
  readonly favours: 'power-law' | 'alternative' | 'neither';
}

/** The whole Clauset–Shalizi–Newman analysis of one data set. */
export interface PowerLawReport extends TailFit {
  /** All data points. */
  readonly n: number;
  /** The MLE's standard error, (α − 1)/√n_tail. */
  readonly exponent_se: number;
  /** Goodness of fit: the bootstrap fraction with a KS distance at least the data's (null: no bootstrap). */
  readonly p_value: number | null;
  readonly bootstrap: number;
  readonly vs_lognormal: Comparison | null;
  readonly vs_exponential: Comparison | null;
}

export interface FitOptions {
  /** The smallest tail a candidate x_min may leave (default 10). */
  readonly minTail?: number;
  /** At most this many x_min candidates (default 40). */
  readonly maxCandidates?: number;
}

/** Sorted data with its distinct values, their counts and suffix sums of ln x. */
interface Prepared {
  readonly n: number;
  readonly values: Float64Array;
  readonly counts: Float64Array;
  /** Points at or above values[j]. */
  readonly tailCount: Float64Array;
  /** Σ ln x over the points at or above values[j]. */
  readonly tailLog: Float64Array;
}

function prepare(data: ArrayLike<number>): Prepared {
  const sorted = Float64Array.from(data).sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i];
    if (values.length && values[values.length - 1] === x) counts[counts.length - 1]++;
    else {
      values.push(x);
      counts.push(1);
    }
  }
  const d = values.length;
  const tailCount = new Float64Array(d + 1);
  const tailLog = new Float64Array(d + 1);
  for (let j = d - 1; j >= 0; j--) {
    tailCount[j] = tailCount[j + 1] + counts[j];
    tailLog[j] = tailLog[j + 1] + counts[j] * Math.log(values[j]);
  }
  return { n: sorted.length, values: Float64Array.from(values), counts: Float64Array.from(counts), tailCount, tailLog };
}

/** The MLE of α for the points at or above values[j] (x_min = values[j]). */
function alphaAt(p: Prepared, j: number): number {
  const n = p.tailCount[j];
  const s = p.tailLog[j];
  const xmin = p.values[j];
  return goldenMin((a) => n * Math.log(hurwitzZeta(a, xmin)) + a * s, 1 + 1e-6, MAX_ALPHA, 1e-6);
}

/** The KS distance of the tail from values[j] on from the power law (α, values[j]). */
function ksAt(p: Prepared, j: number, alpha: number): number {
  const n = p.tailCount[j];
  const z = hurwitzZeta(alpha, p.values[j]);
  let cum = 0;
  let d = 0;
  for (let i = j; i < p.values.length; i++) {
    cum += p.counts[i];
    const fit = 1 - hurwitzZeta(alpha, p.values[i] + 1) / z;
    d = Math.max(d, Math.abs(cum / n - fit));
  }
  return d;
}

/** Indices of the x_min candidates: distinct values leaving ≥ minTail points, thinned log-evenly. */
function candidates(p: Prepared, minTail: number, maxCandidates: number): number[] {
  let last = -1;
  for (let j = 0; j < p.values.length; j++) if (p.tailCount[j] >= minTail) last = j;
  if (last < 0) return [];
  const all = Array.from({ length: last + 1 }, (_, j) => j);
  if (all.length <= maxCandidates) return all;
  const lo = Math.log(p.values[0]);
  const hi = Math.log(p.values[last]);
  const picked = new Set<number>();
  let j = 0;
  for (let c = 0; c < maxCandidates; c++) {
    const target = Math.exp(lo + ((hi - lo) * c) / (maxCandidates - 1));
    while (j < last && p.values[j] < target) j++;
    picked.add(j);
  }
  return [...picked].sort((a, b) => a - b);
}

function bestFit(p: Prepared, options: FitOptions): TailFit | null {
  let best: TailFit | null = null;
  for (const j of candidates(p, options.minTail ?? 10, options.maxCandidates ?? 40)) {
    if (p.values[j] < 1) continue;
    const alpha = alphaAt(p, j);
    const ks = ksAt(p, j, alpha);
    if (!best || ks < best.ks) best = { exponent: alpha, xmin: p.values[j], n_tail: p.tailCount[j], ks };
  }
  return best;
}

/**
 * The discrete power law with x_min chosen by the KS distance; null when no
 * candidate leaves `minTail` points ≥ 1.
 */
export function fitDiscretePowerLaw(data: ArrayLike<number>, options: FitOptions = {}): TailFit | null {
  return bestFit(prepare(data), options);
}

/**
 * A sampler of the discrete power law (α, x_min), exact: the inverse of its CCDF
 * ζ(α, x)/ζ(α, x_min), from a table near x_min and by bisection beyond it.
 */
export function powerLawSampler(alpha: number, xmin: number, random: Uniform): () => number {
  const z = hurwitzZeta(alpha, xmin);
  const TABLE = 4096;
  // ccdf[i] = P(X ≥ xmin + i)
  const ccdf = new Float64Array(TABLE + 1);
  ccdf[0] = 1;
  for (let i = 0; i < TABLE; i++) ccdf[i + 1] = ccdf[i] - Math.pow(xmin + i, -alpha) / z;
  return () => {
    const u = 1 - random(); // (0, 1]
    if (u > ccdf[TABLE]) {
      // the largest i with ccdf[i] ≥ u
      let lo = 0;
      let hi = TABLE;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (ccdf[mid] >= u) lo = mid;
        else hi = mid;
      }
      return xmin + lo;
    }
    let lo = xmin + TABLE;
    let hi = lo * 2;
    while (hurwitzZeta(alpha, hi) / z >= u) {
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (hurwitzZeta(alpha, mid) / z >= u) lo = mid;
      else hi = mid;
    }
    return lo;
  };
}

/** ln erfc(x), accurate far into the upper tail (where erfc underflows). */
function logErfc(x: number): number {
  if (x < 0) return Math.log(erfc(x));
  const t = 1 / (1 + 0.5 * x);
  return (
    Math.log(t) -
    x * x -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

/** ln P(Z > z), Z standard normal. */
const logNormalTail = (z: number) => Math.log(0.5) + logErfc(z / Math.SQRT2);

/**
 * ln p(x) of the lognormal (μ, σ) discretised to integers (x ↔ [x − ½, x + ½)),
 * truncated to x ≥ x_min.
 */
function lognormalLogPmf(x: number, mu: number, sigma: number, logNorm: number): number {
  const a = logNormalTail((Math.log(x - 0.5) - mu) / sigma);
  const b = logNormalTail((Math.log(x + 0.5) - mu) / sigma);
  const d = b - a;
  // Nearly equal tails: the density times the bin width loses less to rounding.
  if (d > -1e-6) {
    const z = (Math.log(x) - mu) / sigma;
    return -0.5 * z * z - Math.log(x * sigma * Math.sqrt(2 * Math.PI)) - logNorm;
  }
  return a + Math.log1p(-Math.exp(d)) - logNorm;
}

/** Minimise f over two variables (Nelder–Mead). */
function nelderMead(f: (x: number, y: number) => number, x0: number, y0: number, step: number, iterations = 300): [number, number] {
  let s: [number, number, number][] = [
    [x0, y0, f(x0, y0)],
    [x0 + step, y0, f(x0 + step, y0)],
    [x0, y0 + step, f(x0, y0 + step)],
  ];
  for (let it = 0; it < iterations; it++) {
    s.sort((a, b) => a[2] - b[2]);
    const [b, g, w] = s;
    if (Math.abs(w[2] - b[2]) < 1e-10 * (1 + Math.abs(b[2]))) break;
    const cx = (b[0] + g[0]) / 2;
    const cy = (b[1] + g[1]) / 2;
    const at = (t: number): [number, number, number] => {
      const x = cx + t * (w[0] - cx);
      const y = cy + t * (w[1] - cy);
      return [x, y, f(x, y)];
    };
    const r = at(-1);
    if (r[2] < b[2]) {
      const e = at(-2);
      s = [b, g, e[2] < r[2] ? e : r];
    } else if (r[2] < g[2]) s = [b, g, r];
    else {
      const c = at(r[2] < w[2] ? -0.5 : 0.5);
      if (c[2] < Math.min(r[2], w[2])) s = [b, g, c];
      else {
        const shrink = (p: [number, number, number]): [number, number, number] => {
          const x = (b[0] + p[0]) / 2;
          const y = (b[1] + p[1]) / 2;
          return [x, y, f(x, y)];
        };
        s = [b, shrink(g), shrink(w)];
      }
    }
  }
  s.sort((a, b) => a[2] - b[2]);
  return [s[0][0], s[0][1]];
}

/** Vuong's test from per-value log-ratios weighted by counts. */
function vuong(ratios: Float64Array, counts: Float64Array, n: number): Comparison {
  let sum = 0;
  for (let i = 0; i < ratios.length; i++) sum += counts[i] * ratios[i];
  const mean = sum / n;
  let q = 0;
  for (let i = 0; i < ratios.length; i++) q += counts[i] * (ratios[i] - mean) * (ratios[i] - mean);
  const sd = Math.sqrt(q / n);
  const normalized = sd > 0 ? sum / (sd * Math.sqrt(n)) : 0;
  const p = sd > 0 ? erfc(Math.abs(normalized) / Math.SQRT2) : 1;
  return { log_ratio: sum, normalized, p, favours: p >= 0.1 ? 'neither' : sum > 0 ? 'power-law' : 'alternative' };
}

/** The tail (distinct values ≥ x_min with counts) and the power law's ln p at each value. */
function tailOf(p: Prepared, fit: TailFit): { values: Float64Array; counts: Float64Array; logPl: Float64Array } {
  let j = 0;
  while (p.values[j] < fit.xmin) j++;
  const values = p.values.subarray(j);
  const counts = p.counts.subarray(j);
  const logZ = Math.log(hurwitzZeta(fit.exponent, fit.xmin));
  const logPl = values.map((x) => -fit.exponent * Math.log(x) - logZ);
  return { values, counts, logPl };
}

/** The power law against a discrete lognormal fitted by maximum likelihood to the same tail. */
function compareLognormal(p: Prepared, fit: TailFit): Comparison | null {
  const { values, counts, logPl } = tailOf(p, fit);
  if (values.length < 2) return null;
  let m = 0;
  let v = 0;
  for (let i = 0; i < values.length; i++) m += counts[i] * Math.log(values[i]);
  m /= fit.n_tail;
  for (let i = 0; i < values.length; i++) v += counts[i] * (Math.log(values[i]) - m) ** 2;
  const s0 = Math.max(0.1, Math.sqrt(v / fit.n_tail));
  const negLogLik = (mu: number, logSigma: number) => {
    if (Math.abs(logSigma) > 6 || Math.abs(mu) > 100) return Infinity;
    const sigma = Math.exp(logSigma);
    const logNorm = logNormalTail((Math.log(fit.xmin - 0.5) - mu) / sigma);
    let ll = 0;
    for (let i = 0; i < values.length; i++) ll += counts[i] * lognormalLogPmf(values[i], mu, sigma, logNorm);
    return Number.isFinite(ll) ? -ll : Infinity;
  };
  const [mu, logSigma] = nelderMead(negLogLik, m, Math.log(s0), 0.5);
  const sigma = Math.exp(logSigma);
  const logNorm = logNormalTail((Math.log(fit.xmin - 0.5) - mu) / sigma);
  const ratios = values.map((x, i) => logPl[i] - lognormalLogPmf(x, mu, sigma, logNorm));
  return vuong(ratios, counts, fit.n_tail);
}

/** The power law against a discrete exponential, p(x) = (1 − e^−λ) e^−λ(x − x_min), fitted to the same tail. */
function compareExponential(p: Prepared, fit: TailFit): Comparison | null {
  const { values, counts, logPl } = tailOf(p, fit);
  if (values.length < 2) return null;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += counts[i] * values[i];
  mean /= fit.n_tail;
  const lambda = Math.log(1 + 1 / (mean - fit.xmin));
  const logC = Math.log(-Math.expm1(-lambda));
  const ratios = values.map((x, i) => logPl[i] - (logC - lambda * (x - fit.xmin)));
  return vuong(ratios, counts, fit.n_tail);
}

/**
 * The Clauset–Shalizi–Newman analysis of integer data: the fit (x_min by KS),
 * its bootstrap goodness of fit (`bootstrap` data sets, drawn from `random`),
 * and the likelihood-ratio comparisons with a lognormal and an exponential.
 * Null when the data leave no tail of `minTail` points.
 */
export function analyzePowerLaw(data: ArrayLike<number>, options: FitOptions & { bootstrap?: number; random?: Uniform } = {}): PowerLawReport | null {
  const p = prepare(data);
  const fit = bestFit(p, options);
  if (!fit) return null;
  const bootstrap = options.random ? Math.max(0, Math.floor(options.bootstrap ?? 0)) : 0;
  let pValue: number | null = null;
  if (bootstrap > 0 && options.random) {
    const random = options.random;
    const draw = powerLawSampler(fit.exponent, fit.xmin, random);
    // The body: the data below x_min, drawn from uniformly.
    const body: number[] = [];
    for (let j = 0; j < p.values.length && p.values[j] < fit.xmin; j++) for (let c = 0; c < p.counts[j]; c++) body.push(p.values[j]);
    const pTail = fit.n_tail / p.n;
    let atLeast = 0;
    const synthetic = new Float64Array(p.n);
    for (let b = 0; b < bootstrap; b++) {
      for (let i = 0; i < p.n; i++) synthetic[i] = body.length === 0 || random() < pTail ? draw() : body[Math.floor(random() * body.length)];
      const f = bestFit(prepare(synthetic), options);
      if (!f || f.ks >= fit.ks) atLeast++;
    }
    pValue = atLeast / bootstrap;
  }
  return {
    ...fit,
    n: p.n,
    exponent_se: (fit.exponent - 1) / Math.sqrt(fit.n_tail),
    p_value: pValue,
    bootstrap,
    vs_lognormal: compareLognormal(p, fit),
    vs_exponential: compareExponential(p, fit),
  };
}
