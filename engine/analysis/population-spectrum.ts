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
  const L = options.segment ?? 256;
  const band = options.bandHz ?? [100, 300];
  const minPeakHz = options.minPeakHz ?? 10;
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean = n > 0 ? mean / n : 0;
  let q = 0;
  for (let i = 0; i < n; i++) q += (x[i] - mean) ** 2;
  const fano = mean > 0 ? q / n / mean : null;
  const head = { bin_ms: binMs, segment: L, band_hz: [band[0], band[1]] as const };
  const hop = L >> 1;
  const segments = n >= L ? Math.floor((n - L) / hop) + 1 : 0;
  if (segments === 0 || !(mean > 0)) return { ...head, segments, fano, band_power: null, peak_hz: null, peak_power: null };

  const half = L >> 1;
  const w = new Float64Array(L);
  let wSq = 0;
  for (let i = 0; i < L; i++) {
    w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / L);
    wSq += w[i] * w[i];
  }
  const cos = new Float64Array(L);
  const sin = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / L);
    sin[i] = Math.sin((2 * Math.PI * i) / L);
  }
  const power = new Float64Array(half + 1);
  const seg = new Float64Array(L);
  for (let s = 0; s < segments; s++) {
    const o = s * hop;
    for (let i = 0; i < L; i++) seg[i] = (x[o + i] - mean) * w[i];
    for (let k = 1; k <= half; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0, j = 0; i < L; i++, j = (j + k) % L) {
        re += seg[i] * cos[j];
        im -= seg[i] * sin[j];
      }
      power[k] += re * re + im * im;
    }
  }
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
