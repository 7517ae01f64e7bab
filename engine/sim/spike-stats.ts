/**
 * Statistics of recorded spike trains, as defined in MODELS.md §0 and §3:
 * rates, the mean CV of inter-spike intervals, and the CV of the binned
 * population count (a synchrony indicator). Pure functions over (neuron, step)
 * pairs as the spike monitors record them.
 */
import { stepsOf } from '../core/time.ts';

/** Spikes per neuron per second. */
export function rateHz(spikes: number, neurons: number, durationMs: number): number {
  return neurons > 0 && durationMs > 0 ? spikes / (neurons * (durationMs / 1000)) : 0;
}

/** The ISIs of one sorted spike train (any time unit). */
export function intervals(times: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let k = 1; k < times.length; k++) out.push(times[k] - times[k - 1]);
  return out;
}

/** Mean and population standard deviation (ddof = 0); NaN for an empty list. */
export function meanSd(xs: ArrayLike<number>): { mean: number; sd: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  let s = 0;
  for (let k = 0; k < n; k++) s += xs[k];
  const mean = s / n;
  let q = 0;
  for (let k = 0; k < n; k++) q += (xs[k] - mean) * (xs[k] - mean);
  return { mean, sd: Math.sqrt(q / n) };
}

/**
 * Spike times grouped by neuron: `times[offsets[i] .. offsets[i+1])` are neuron
 * i's steps, ascending. Neurons must lie in [0, nNeurons).
 */
export function spikeTrains(neuron: ArrayLike<number>, step: ArrayLike<number>, nNeurons: number): { offsets: Int32Array; times: Float64Array } {
  if (neuron.length !== step.length) throw new Error(`spikeTrains: ${neuron.length} neurons but ${step.length} times`);
  const offsets = new Int32Array(nNeurons + 1);
  for (let k = 0; k < neuron.length; k++) {
    const i = neuron[k];
    if (!(i >= 0 && i < nNeurons)) throw new Error(`spikeTrains: neuron ${i} is outside 0…${nNeurons - 1}`);
    offsets[i + 1]++;
  }
  for (let i = 0; i < nNeurons; i++) offsets[i + 1] += offsets[i];
  const fillAt = offsets.slice(0, nNeurons);
  const times = new Float64Array(neuron.length);
  for (let k = 0; k < neuron.length; k++) times[fillAt[neuron[k]]++] = step[k];
  for (let i = 0; i < nNeurons; i++) {
    const seg = times.subarray(offsets[i], offsets[i + 1]);
    for (let k = 1; k < seg.length; k++) {
      if (seg[k] < seg[k - 1]) {
        seg.sort();
        break;
      }
    }
  }
  return { offsets, times };
}

/**
 * MODELS.md's `cv_isi_mean`: the mean, over neurons with at least `minSpikes`
 * spikes, of std(ISI)/mean(ISI) (ddof = 0). Scale-free, so steps work as times.
 * `cv` is NaN when no neuron qualifies.
 */
export function cvIsiMean(neuron: ArrayLike<number>, step: ArrayLike<number>, nNeurons: number, minSpikes = 3): { cv: number; neurons: number } {
  const { offsets, times } = spikeTrains(neuron, step, nNeurons);
  let sum = 0;
  let used = 0;
  for (let i = 0; i < nNeurons; i++) {
    const a = offsets[i];
    const b = offsets[i + 1];
    if (b - a < Math.max(2, minSpikes)) continue;
    const m = b - a - 1;
    const mean = (times[b - 1] - times[a]) / m;
    if (!(mean > 0)) continue;
    let q = 0;
    for (let k = a + 1; k < b; k++) {
      const d = times[k] - times[k - 1] - mean;
      q += d * d;
    }
    sum += Math.sqrt(q / m) / mean;
    used++;
  }
  return { cv: used > 0 ? sum / used : NaN, neurons: used };
}

/**
 * Spike counts of the whole population in bins of `binSteps` steps, over
 * [fromStep, toStep); a last partial bin is dropped.
 */
export function populationCounts(step: ArrayLike<number>, binSteps: number, fromStep: number, toStep: number): Float64Array {
  const bins = Math.max(0, Math.floor((toStep - fromStep) / binSteps));
  const counts = new Float64Array(bins);
  for (let k = 0; k < step.length; k++) {
    const s = step[k];
    if (s < fromStep) continue;
    const b = Math.floor((s - fromStep) / binSteps);
    if (b < bins) counts[b]++;
  }
  return counts;
}

/**
 * MODELS.md's `pop_count_1ms_cv`: the CV (ddof = 0) of the population spike
 * count in bins of `binSteps` steps over [fromStep, toStep). NaN without spikes.
 */
export function populationCountCv(step: ArrayLike<number>, binSteps: number, fromStep: number, toStep: number): number {
  const { mean, sd } = meanSd(populationCounts(step, binSteps, fromStep, toStep));
  return mean > 0 ? sd / mean : NaN;
}

/** The spikes of one population as a monitor recorded them. */
export interface PopulationSpikes {
  readonly neuron: ArrayLike<number>;
  readonly step: ArrayLike<number>;
  /** Neurons in the population. */
  readonly size: number;
}

/** MODELS.md §0/§3 statistics of a whole network, populations taken together in the order given. */
export interface SpikeSummary {
  readonly mean_rate_hz: number;
  /** Per population, in the order given. */
  readonly rates_hz: readonly number[];
  /** NaN when no neuron has enough spikes. */
  readonly cv_isi_mean: number;
  /** Neurons that entered cv_isi_mean (≥ 3 spikes). */
  readonly cv_isi_neurons: number;
  /** CV of the population count in `binMs` bins from `fromMs` on (Brunel's synchrony indicator). */
  readonly pop_count_cv: number;
  /** Frequency of the largest spectral peak (> 5 Hz) of that count. */
  readonly pop_peak_hz: number;
}

/**
 * Summarise recorded spikes: rates, CV(ISI) over all neurons, and the CV and
 * spectral peak of the binned population count (defaults: 1 ms bins, first
 * 100 ms dropped).
 */
export function summarizeSpikes(pops: readonly PopulationSpikes[], nSteps: number, dtMs: number, options: { binMs?: number; fromMs?: number } = {}): SpikeSummary {
  let n = 0;
  let total = 0;
  for (const p of pops) {
    n += p.size;
    total += p.neuron.length;
  }
  const neuron = new Int32Array(total);
  const step = new Float64Array(total);
  let k = 0;
  let base = 0;
  for (const p of pops) {
    for (let s = 0; s < p.neuron.length; s++, k++) {
      neuron[k] = base + p.neuron[s];
      step[k] = p.step[s];
    }
    base += p.size;
  }
  const durationMs = nSteps * dtMs;
  const cv = cvIsiMean(neuron, step, n);
  const binSteps = Math.max(1, stepsOf(options.binMs ?? 1, dtMs));
  const fromStep = stepsOf(options.fromMs ?? 100, dtMs);
  const counts = populationCounts(step, binSteps, fromStep, nSteps);
  const { mean, sd } = meanSd(counts);
  return {
    mean_rate_hz: rateHz(total, n, durationMs),
    rates_hz: pops.map((p) => rateHz(p.neuron.length, p.size, durationMs)),
    cv_isi_mean: cv.cv,
    cv_isi_neurons: cv.neurons,
    pop_count_cv: mean > 0 ? sd / mean : NaN,
    pop_peak_hz: spectrumPeakHz(counts, binSteps * dtMs),
  };
}

/**
 * MODELS.md's `pop_peak_freq_hz`: the frequency (above `minHz`) of the largest
 * peak of the power spectrum of a binned count (mean removed), from a plain DFT
 * at the frequencies k/(n·binMs). NaN when there are fewer than 4 bins.
 */
export function spectrumPeakHz(counts: ArrayLike<number>, binMs: number, minHz = 5): number {
  const n = counts.length;
  if (n < 4) return NaN;
  const { mean } = meanSd(counts);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = counts[i] - mean;
  const durationS = (n * binMs) / 1000;
  let best = -1;
  let bestHz = NaN;
  for (let k = 1; k <= n >> 1; k++) {
    const hz = k / durationS;
    if (hz <= minHz) continue;
    // Rotate by a fixed angle per bin (a recurrence, so no trig per term).
    const w = (2 * Math.PI * k) / n;
    const cw = Math.cos(w);
    const sw = Math.sin(w);
    let c = 1;
    let s = 0;
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      re += x[i] * c;
      im -= x[i] * s;
      const c2 = c * cw - s * sw;
      s = s * cw + c * sw;
      c = c2;
    }
    const p = re * re + im * im;
    if (p > best) {
      best = p;
      bestHz = hz;
    }
  }
  return bestHz;
}
