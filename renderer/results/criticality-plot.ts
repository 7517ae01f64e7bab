/**
 * The geometry of the criticality panel's plots (pure): log-log axes for the
 * avalanche distributions, a linear one for the regression slopes r_k, and the
 * one-line summary of the analysis (engine/analysis/criticality.ts).
 */
import type { CriticalityReport, Distribution } from '../../engine/analysis/criticality.ts';
import type { PowerLawReport } from '../../engine/analysis/power-law.ts';

/** A log-scaled range: decades lo…hi (powers of ten) holding every value given. */
export interface LogRange {
  readonly lo: number;
  readonly hi: number;
}

/** The decades that hold every positive value (at least one decade wide). */
export function logRange(values: readonly number[]): LogRange {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return { lo: 0, hi: 1 };
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  return { lo, hi: hi > lo ? hi : lo + 1 };
}

/** Position of `v` on a log axis from `from` (at decade lo) to `to` (at decade hi). */
export function logPos(v: number, r: LogRange, from: number, to: number): number {
  return from + ((Math.log10(v) - r.lo) / (r.hi - r.lo)) * (to - from);
}

/** Tick labels of a log axis: 1, 10, 100, 1000, then 10^k. */
export function decadeLabel(k: number): string {
  return k >= 0 && k <= 3 ? String(10 ** k) : k === -1 ? '0.1' : k === -2 ? '0.01' : `1e${k}`;
}

/** The fitted r_k = b·m^k at k = 1…kMax. */
export function branchingFitLine(b: number, m: number, kMax: number): number[] {
  return Array.from({ length: kMax }, (_, i) => b * m ** (i + 1));
}

const f2 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));

/** "τ = 1.52 ± 0.03 (x_min 3, p = 0.41; vs lognormal: neither, vs exponential: power law)" */
export function fitText(symbol: string, fit: PowerLawReport | null): string {
  if (!fit) return `${symbol}: nothing to fit (too few avalanches, or all of one size)`;
  const verdict = (c: PowerLawReport['vs_lognormal']) => (c ? (c.favours === 'alternative' ? 'alternative' : c.favours === 'power-law' ? 'power law' : 'undecided') : '—');
  return (
    `${symbol} = ${f2(fit.exponent)} ± ${f2(fit.exponent_se)} (x_min ${fit.xmin}, ${fit.n_tail} of ${fit.n}` +
    `${fit.p_value === null ? '' : `, p = ${f2(fit.p_value)}`}; vs lognormal: ${verdict(fit.vs_lognormal)}, vs exponential: ${verdict(fit.vs_exponential)})`
  );
}

/** The summary lines above the plots: avalanches, m and crackling noise; the size fit; the duration fit. */
export function criticalitySummary(r: CriticalityReport): string[] {
  const c = r.crackling;
  return [
    `${r.avalanches} avalanches of ${r.spikes} spikes in bins of ${+r.bin_ms.toPrecision(4)} ms (${r.bin_rule === 'set' ? 'set' : 'mean inter-event interval'}); ` +
      `branching ratio m = ${r.branching ? r.branching.m.toFixed(4) : '—'}${r.branching?.tau_ms ? ` (autocorrelation ${+r.branching.tau_ms.toPrecision(3)} ms)` : ''}; ` +
      `crackling noise: (α − 1)/(τ − 1) = ${f2(c.predicted)}, ⟨S⟩(T) ∝ T^${f2(c.fitted)} fitted`,
    `sizes ${fitText('τ', r.sizes)}`,
    `durations ${fitText('α', r.durations)}`,
  ];
}

/** Both series of a log-log plot, for its ranges. */
export function distributionValues(d: Distribution, fit: Distribution | null): { x: number[]; p: number[] } {
  return { x: [...d.x, ...(fit?.x ?? [])], p: [...d.p, ...(fit?.p ?? [])] };
}
