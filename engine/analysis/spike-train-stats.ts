/**
 * Statistics of a monitor's spikes, accumulated as they stream (chunks of
 * (neuron, step) pairs, each population's steps ascending), in memory that does
 * not grow with the spikes: per neuron the count, sum and sum of squares of its
 * inter-spike intervals; the population count in 1 ms bins; and, when asked,
 * the population's spikes per step (for the criticality analysis).
 *
 * - `cv_isi_mean`: MODELS.md's mean over neurons with ≥ 3 spikes of
 *   std(ISI)/mean(ISI) (ddof = 0), as `sim/spike-stats.ts` `cvIsiMean`;
 * - `pop_count_cv`: the CV of the population count in 1 ms bins from 100 ms on
 *   (Brunel's synchrony indicator, `populationCountCv`): about 0 for
 *   asynchronous Poisson-like firing of a large population, large for synchrony.
 */
import { stepsOf } from '../core/time.ts';
import { analyzeCriticality, type CriticalityOptions, type CriticalityReport } from './criticality.ts';

/** What a spike monitor reports besides its data. */
export interface SpikeMonitorStats {
  readonly nodeId: string;
  readonly neurons: number;
  readonly spikes: number;
  /** null when no neuron has 3 spikes. */
  readonly cv_isi_mean: number | null;
  readonly cv_isi_neurons: number;
  /** null without spikes after the first 100 ms. */
  readonly pop_count_cv: number | null;
  /** Present when the monitor asks for it (`criticality` on). */
  readonly criticality?: CriticalityReport;
}

export class SpikeTrainStats {
  private readonly last: Float64Array;
  private readonly isiCount: Float64Array;
  private readonly isiSum: Float64Array;
  private readonly isiSq: Float64Array;
  private readonly binSteps: number;
  private readonly fromStep: number;
  private readonly bins: Float64Array;
  private readonly perStep: Int32Array | null;
  private spikes = 0;

  /**
   * @param neurons all neurons of the monitor's populations (numbered one population after another)
   * @param criticality the analysis options, or null for none (then no per-step counts are kept)
   */
  constructor(
    readonly nodeId: string,
    readonly neurons: number,
    private readonly nSteps: number,
    private readonly dtMs: number,
    private readonly criticality: (CriticalityOptions & { transientMs?: number }) | null,
  ) {
    this.last = new Float64Array(neurons).fill(-1);
    this.isiCount = new Float64Array(neurons);
    this.isiSum = new Float64Array(neurons);
    this.isiSq = new Float64Array(neurons);
    this.binSteps = Math.max(1, stepsOf(1, dtMs));
    this.fromStep = stepsOf(100, dtMs);
    this.bins = new Float64Array(Math.max(0, Math.floor((nSteps - this.fromStep) / this.binSteps)));
    this.perStep = criticality ? new Int32Array(nSteps) : null;
  }

  /** Take a chunk of one source population's spikes; `offset` is its first neuron in the monitor's numbering. */
  add(neuron: ArrayLike<number>, step: ArrayLike<number>, offset: number): void {
    const { last, isiCount, isiSum, isiSq, bins, perStep } = this;
    for (let k = 0; k < neuron.length; k++) {
      const i = offset + neuron[k];
      const s = step[k];
      if (i < 0 || i >= this.neurons) continue;
      this.spikes++;
      const prev = last[i];
      if (prev >= 0) {
        const d = s - prev;
        isiCount[i]++;
        isiSum[i] += d;
        isiSq[i] += d * d;
      }
      last[i] = s;
      if (s >= this.fromStep) {
        const b = Math.floor((s - this.fromStep) / this.binSteps);
        if (b < bins.length) bins[b]++;
      }
      if (perStep && s >= 0 && s < perStep.length) perStep[s]++;
    }
  }

  /** The statistics of what was added, over the first `steps` steps run; `seed` seeds the bootstrap. */
  report(steps: number, seed: number): SpikeMonitorStats {
    let cvSum = 0;
    let used = 0;
    for (let i = 0; i < this.neurons; i++) {
      const m = this.isiCount[i];
      if (m < 2) continue;
      const mean = this.isiSum[i] / m;
      if (!(mean > 0)) continue;
      const variance = Math.max(0, this.isiSq[i] / m - mean * mean);
      cvSum += Math.sqrt(variance) / mean;
      used++;
    }
    const usedBins = Math.max(0, Math.min(this.bins.length, Math.floor((Math.min(steps, this.nSteps) - this.fromStep) / this.binSteps)));
    let mean = 0;
    for (let b = 0; b < usedBins; b++) mean += this.bins[b];
    mean = usedBins > 0 ? mean / usedBins : 0;
    let q = 0;
    for (let b = 0; b < usedBins; b++) q += (this.bins[b] - mean) ** 2;
    const c = this.criticality;
    return {
      nodeId: this.nodeId,
      neurons: this.neurons,
      spikes: this.spikes,
      cv_isi_mean: used > 0 ? cvSum / used : null,
      cv_isi_neurons: used,
      pop_count_cv: mean > 0 ? Math.sqrt(q / usedBins) / mean : null,
      ...(c && this.perStep
        ? { criticality: analyzeCriticality(this.perStep.subarray(0, Math.min(steps, this.nSteps)), this.dtMs, { ...c, seed, fromStep: stepsOf(c.transientMs ?? 0, this.dtMs) }) }
        : {}),
    };
  }
}
