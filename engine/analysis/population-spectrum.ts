/**
 * The power spectrum of a population's spike count, against what independent
 * Poisson neurons would give — an indicator of fast population oscillations that
 * separates Brunel's (2000) asynchronous-irregular state (a flat spectrum) from the
 * synchronous-irregular fast one (a peak near 100–300 Hz) far more sharply than
 * the CV of the count.
 *
 * The count per bin x(t) (1 ms bins in the monitors) is cut into segments of
 * `segment` bins overlapping by half, each Hann-windowed after the whole record's
 * mean is subtracted; the periodograms |Σ w_n x_n e^{−2πikn/L}|² / Σ w_n² are
 * averaged (Welch 1967). With this normalisation a white count of variance σ² has
 * an expected spectrum σ² at every frequency, and a sum of independent Poisson
 * trains has σ² = its mean count per bin, so every power here is divided by the
 * mean count: about 1 everywhere for independent Poisson firing, ≫ 1 where the
 * population oscillates.
 */

import { moments, welchPower, type WelchTables } from './stats-kernels.ts';

/** What `populationSpectrum` reports (JSON-safe: absent values are null). */
export interface PopulationSpectrum {
  readonly bin_ms: number;
  /** Segment length in bins; the frequency resolution is 1000 / (segment · bin_ms) Hz. */
  readonly segment: number;
  readonly segments: number;
  /** Variance over mean of the count per bin: 1 for independent Poisson trains. */
  readonly fano: number | null;
  /** Mean power in [band_hz[0], band_hz[1]] over the Poisson level (the mean count per bin). */
  readonly band_power: number | null;
  readonly band_hz: readonly [number, number];
  /** The frequency of the largest power at or above `min_peak_hz`, and that power over the Poisson level. */
  readonly peak_hz: number | null;
  readonly peak_power: number | null;
}

export interface PopulationSpectrumOptions {
  /** Bins per segment (default 256). */
  readonly segment?: number;
  /** The band whose mean power is `band_power` (default 100–300 Hz, Brunel's fast oscillations). */
  readonly bandHz?: readonly [number, number];
  /** Peaks below this frequency are not looked for (default 10 Hz: slow drifts are not oscillations). */
  readonly minPeakHz?: number;
}

/**
 * The Welch spectrum of the counts `x` in bins of `binMs` ms, relative to the
 * Poisson level. Null measures when the record is shorter than one segment or
 * has no spikes.
 */
export function populationSpectrum(x: ArrayLike<number>, binMs: number, options: PopulationSpectrumOptions = {}): PopulationSpectrum {
  const { mean, q } = moments(x);
  return welchSpectrum(x, mean, q, binMs, options, (segments, hop, tab, power) => welchPower(x, mean, segments, hop, tab, power));
}

/**
 * Adds the periodograms of `segments` segments (the s-th from bin s·hop) into
 * `power` with a faster path than the JS loop (the wasm kernel), or returns false.
 */
export type Periodograms = (segments: number, hop: number, tab: WelchTables, power: Float64Array) => boolean;

/**
 * `populationSpectrum` from the count's mean and sum of squared deviations, known
 * already (a spike monitor has them for its synchrony figure), with `fast` tried
 * first for the periodograms (a monitor runs the kernel where its counts lie).
 */
export function welchSpectrum(x: ArrayLike<number>, mean: number, q: number, binMs: number, options: PopulationSpectrumOptions, fast: Periodograms): PopulationSpectrum {
  const L = options.segment ?? WELCH_SEGMENT;
  const band = options.bandHz ?? [100, 300];
  const minPeakHz = options.minPeakHz ?? 10;
  const n = x.length;
  const fano = mean > 0 ? q / n / mean : null;
  const head = { bin_ms: binMs, segment: L, band_hz: [band[0], band[1]] as const };
  const hop = L >> 1;
  const segments = n >= L ? Math.floor((n - L) / hop) + 1 : 0;
  if (segments === 0 || !(mean > 0)) return { ...head, segments, fano, band_power: null, peak_hz: null, peak_power: null };

  const half = L >> 1;
  const tab = tablesOf(L);
  const power = new Float64Array(half + 1);
  if (!(tab.fft && fast(segments, hop, tab.fft, power))) {
    const periodogram = tab.fft ? fftPower(L) : dftPower(L);
    const seg = new Float64Array(L);
    for (let s = 0; s < segments; s++) {
      const o = s * hop;
      for (let i = 0; i < L; i++) seg[i] = (x[o + i] - mean) * tab.w[i];
      periodogram(seg, power);
    }
  }
  const wSq = tab.wSq;
  const level = segments * wSq * mean;
  const df = 1000 / (L * binMs);
  let bandSum = 0;
  let bandCount = 0;
  let peak = -1;
  for (let k = 1; k <= half; k++) {
    const f = k * df;
    const p = power[k] / level;
    if (f >= band[0] && f <= band[1]) {
      bandSum += p;
      bandCount++;
    }
    if (f >= minPeakHz && (peak < 0 || p > power[peak] / level)) peak = k;
  }
  return {
    ...head,
    segments,
    fano,
    band_power: bandCount > 0 ? bandSum / bandCount : null,
    peak_hz: peak > 0 ? peak * df : null,
    peak_power: peak > 0 ? power[peak] / level : null,
  };
}

const isPowerOfTwo = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

/** The default segment length of the Welch spectrum, in bins. */
export const WELCH_SEGMENT = 256;

/**
 * Make segment length L's tables now (a spike monitor does so while the network is built,
 * so that the report after the run finds them: ~0.3 ms of cold code on a 1 s run).
 */
export function prepareWelch(L: number): void {
  tablesOf(L);
}

/** A segment length's window (Hann) and, for a power of two, the FFT's tables: made once per length and kept. */
const tables = new Map<number, { readonly w: Float64Array; readonly wSq: number; readonly fft: WelchTables | null }>();
function tablesOf(L: number): { readonly w: Float64Array; readonly wSq: number; readonly fft: WelchTables | null } {
  let t = tables.get(L);
  if (!t) {
    // cos(2πi/L) for i ≤ L/2, by symmetry for the rest (and sin from cos, for a power of two):
    // a quarter of the calls to Math.cos, which run cold once per run.
    const half = L >> 1;
    const c = new Float64Array(half + 1);
    for (let i = 0; i <= half; i++) c[i] = Math.cos((2 * Math.PI * i) / L);
    const w = new Float64Array(L);
    let wSq = 0;
    for (let i = 0; i < L; i++) {
      w[i] = 0.5 - 0.5 * c[i <= half ? i : L - i];
      wSq += w[i] * w[i];
    }
    let fft: WelchTables | null = null;
    if (isPowerOfTwo(L)) {
      const M = L >> 1;
      const bits = Math.round(Math.log2(M));
      const rev = new Uint32Array(M);
      for (let i = 0; i < M; i++) {
        let r = 0;
        for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
        rev[i] = r;
      }
      // e^{−2πit/L} = cos[t] − i·sin[t], t ≤ L/2 (the half-length transform uses every other one);
      // sin(2πt/L) = cos(2π(L/4 − t)/L), the quarter period being a whole number of steps.
      const cos = c;
      const sin = new Float64Array(M + 1);
      const quarter = L >> 2;
      for (let i = 0; i <= M; i++) sin[i] = L % 4 === 0 ? c[Math.abs(quarter - i)] : Math.sin((2 * Math.PI * i) / L);
      fft = { L, w, rev, cos, sin };
    }
    tables.set(L, (t = { w, wSq, fft }));
  }
  return t;
}

/**
 * Adds |X_k|² for k = 1 … L/2 of a real segment into `power`, by the radix-2 FFT
 * (L a power of two, as the default 256) of half length: the even and odd
 * samples as one complex sequence z_m = x_2m + i·x_2m+1, transformed (Z), then
 * X_k = E_k + e^{−2πik/L}·O_k with E_k = (Z_k + conj Z_{M−k})/2 and
 * O_k = (Z_k − conj Z_{M−k})/2i. That is (L/4)·log₂(L/2) butterflies and L/2
 * combinations a segment instead of the transform's L²/2 products. The JS
 * fallback of stats-kernels.ts `welch`, which does the same operations in the
 * same order (a monitor's report runs once, on cold code, after every run: in
 * JS the transform took ~6 ms of a 1 s run's ~60).
 */
export function fftPower(L: number): (seg: Float64Array, power: Float64Array) => void {
  const { rev, cos, sin } = tablesOf(L).fft!;
  const M = L >> 1;
  const re = new Float64Array(M);
  const im = new Float64Array(M);
  return (seg, power) => {
    for (let m = 0; m < M; m++) {
      re[rev[m]] = seg[2 * m];
      im[rev[m]] = seg[2 * m + 1];
    }
    for (let size = 2; size <= M; size <<= 1) {
      const h = size >> 1;
      const stride = 2 * ((M / size) | 0);
      for (let start = 0; start < M; start += size) {
        for (let j = 0, t = 0; j < h; j++, t += stride) {
          // Z = E + e^{−2πi j/size}·O
          const a = start + j;
          const b = a + h;
          const xr = re[b] * cos[t] + im[b] * sin[t];
          const xi = im[b] * cos[t] - re[b] * sin[t];
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    for (let k = 1; k <= M; k++) {
      const p = k === M ? 0 : k;
      const q = k === M ? 0 : M - k;
      const er = (re[p] + re[q]) / 2;
      const ei = (im[p] - im[q]) / 2;
      const or = (im[p] + im[q]) / 2;
      const oi = (re[q] - re[p]) / 2;
      const xr = er + cos[k] * or + sin[k] * oi;
      const xi = ei + cos[k] * oi - sin[k] * or;
      power[k] += xr * xr + xi * xi;
    }
  };
}

/** The same by the transform's definition, for a segment length that is not a power of two. */
export function dftPower(L: number): (seg: Float64Array, power: Float64Array) => void {
  const cos = new Float64Array(L);
  const sin = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / L);
    sin[i] = Math.sin((2 * Math.PI * i) / L);
  }
  return (seg, power) => {
    for (let k = 1; k <= L >> 1; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0, j = 0; i < L; i++) {
        re += seg[i] * cos[j];
        im -= seg[i] * sin[j];
        j += k;
        if (j >= L) j -= L;
      }
      power[k] += re * re + im * im;
    }
  };
}
