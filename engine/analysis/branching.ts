/**
 * The branching ratio m by multistep regression (Wilting & Priesemann 2018,
 * "Inferring collective dynamical states from widely unobserved systems", Nat.
 * Commun. 9:2325). For binned activity a_t, r_k is the slope of the linear
 * regression of a_{t+k} on a_t; for a branching process r_k = b·m^k, where b
 * absorbs subsampling (which changes b, not m). m is the fit of that
 * exponential over k = 1…k_max; the autocorrelation time is τ = −Δt / ln m.
 */
import { goldenMin } from './special.ts';

/** r_k = Cov(a_t, a_{t+k}) / Var(a_t) over the pairs the record holds, for k = 1…kMax (index k − 1); NaN when a_t is constant. */
export function regressionSlopes(a: ArrayLike<number>, kMax: number): Float64Array {
  const n = a.length;
  const r = new Float64Array(kMax);
  for (let k = 1; k <= kMax; k++) {
    const pairs = n - k;
    if (pairs < 2) {
      r[k - 1] = NaN;
      continue;
    }
    let mx = 0;
    let my = 0;
    for (let t = 0; t < pairs; t++) {
      mx += a[t];
      my += a[t + k];
    }
    mx /= pairs;
    my /= pairs;
    let cov = 0;
    let vx = 0;
    for (let t = 0; t < pairs; t++) {
      const dx = a[t] - mx;
      cov += dx * (a[t + k] - my);
      vx += dx * dx;
    }
    r[k - 1] = vx > 0 ? cov / vx : NaN;
  }
  return r;
}

/**
 * The least-squares fit r_k ≈ b·m^k over k = 1…r.length (NaN entries skipped):
 * b in closed form for each m, m by a grid over (0, 1.5] refined by golden section.
 */
export function fitExponential(r: ArrayLike<number>): { m: number; b: number } {
  const profile = (m: number) => {
    let num = 0;
    let den = 0;
    let mk = 1;
    for (let k = 1; k <= r.length; k++) {
      mk *= m;
      if (Number.isNaN(r[k - 1])) continue;
      num += r[k - 1] * mk;
      den += mk * mk;
    }
    const b = den > 0 ? num / den : 0;
    let sse = 0;
    mk = 1;
    for (let k = 1; k <= r.length; k++) {
      mk *= m;
      if (Number.isNaN(r[k - 1])) continue;
      sse += (r[k - 1] - b * mk) ** 2;
    }
    return { b, sse };
  };
  const GRID = 1500;
  let best = 1;
  let bestSse = Infinity;
  for (let i = 1; i <= GRID; i++) {
    const m = (1.5 * i) / GRID;
    const { sse } = profile(m);
    if (sse < bestSse) {
      bestSse = sse;
      best = m;
    }
  }
  const step = 1.5 / GRID;
  const m = goldenMin((x) => profile(x).sse, Math.max(1e-9, best - step), best + step, 1e-9);
  return { m, b: profile(m).b };
}

/** The multistep-regression estimate and the data of its fit. */
export interface BranchingEstimate {
  /** The branching ratio per bin. */
  readonly m: number;
  /** The fit's amplitude (subsampling lowers it). */
  readonly b: number;
  /** The autocorrelation time −bin_ms / ln m (null at m ≥ 1: no decay). */
  readonly tau_ms: number | null;
  readonly bin_ms: number;
  readonly k_max: number;
  /** r_k for k = 1…k_max (null where a_t was constant). */
  readonly r_k: readonly (number | null)[];
}

/** m from binned activity `a` (bins of `binMs`), fitting k = 1…kMax; null when the activity never varies. */
export function multistepRegression(a: ArrayLike<number>, kMax: number, binMs: number): BranchingEstimate | null {
  const k = Math.max(1, Math.min(Math.floor(kMax), a.length - 2));
  if (k < 1) return null;
  const r = regressionSlopes(a, k);
  if (r.every((x) => Number.isNaN(x))) return null;
  const { m, b } = fitExponential(r);
  return { m, b, tau_ms: m < 1 ? -binMs / Math.log(m) : null, bin_ms: binMs, k_max: k, r_k: Array.from(r, (x) => (Number.isNaN(x) ? null : x)) };
}
