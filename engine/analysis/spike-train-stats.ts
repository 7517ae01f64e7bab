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
 *   asynchronous Poisson-like firing of a large population, large for synchrony;
 * - `spectrum`: the Welch power spectrum of that 1 ms count against the Poisson
 *   level, with the Fano factor of the count, the mean power at 100–300 Hz and
 *   the spectral peak (`population-spectrum.ts`): a flat ≈ 1 for asynchronous
 *   firing, a peak at the oscillation's frequency for synchronous firing;
 * - `memory_capacity` (when asked): Jaeger's memory capacity of the monitor's
 *   other neurons for the spike count of one of its populations, both in bins
 *   from 100 ms on (`memory-capacity.ts`).
 */
import { stepsOf } from '../core/time.ts';
import { analyzeCriticality, type CriticalityOptions, type CriticalityReport } from './criticality.ts';
import { memoryCapacity } from './memory-capacity.ts';
import { populationSpectrum, type PopulationSpectrum } from './population-spectrum.ts';

/** What the memory capacity of a monitor needs: which of its neurons are the input, and the readouts' settings. */
export interface MemoryCapacitySetup {
  /** The input population's node id, for the report. */
  readonly input: string;
  /** The input's neurons in the monitor's numbering: [inputFrom, inputTo). */
  readonly inputFrom: number;
  readonly inputTo: number;
  readonly binMs: number;
  readonly maxDelay: number;
  readonly ridge: number;
}

/** A monitor's memory capacity (JSON-safe). */
export interface MonitorMemoryCapacity {
  readonly input: string;
  readonly bin_ms: number;
  /** Σ r²_k; null when the run was too short or the set-up is wrong (then `error` says why). */
  readonly capacity: number | null;
  /** r²_k for k = 1 … delays. */
  readonly r2: number[];
  readonly features: number;
  readonly train_bins: number;
  readonly test_bins: number;
  readonly error?: string;
}

/** Binned counts of a monitor's input population and of its other neurons (the state), from `fromStep` on. */
class MemoryBins {
  readonly binSteps: number;
  readonly input: Float64Array;
  readonly state: Float32Array;
  readonly columns: number;

  constructor(
    readonly setup: MemoryCapacitySetup,
    neurons: number,
    nSteps: number,
    dtMs: number,
    readonly fromStep: number,
  ) {
    this.binSteps = Math.max(1, stepsOf(setup.binMs, dtMs));
    const bins = Math.max(0, Math.floor((nSteps - fromStep) / this.binSteps));
    this.columns = neurons - (setup.inputTo - setup.inputFrom);
    this.input = new Float64Array(bins);
    this.state = new Float32Array(bins * this.columns);
  }

  add(i: number, s: number): void {
    if (s < this.fromStep) return;
    const b = Math.floor((s - this.fromStep) / this.binSteps);
    if (b >= this.input.length) return;
    const { inputFrom, inputTo } = this.setup;
    if (i >= inputFrom && i < inputTo) this.input[b]++;
    else this.state[b * this.columns + (i < inputFrom ? i : i - (inputTo - inputFrom))]++;
  }

  report(steps: number, dtMs: number): MonitorMemoryCapacity {
    const bins = Math.max(0, Math.min(this.input.length, Math.floor((steps - this.fromStep) / this.binSteps)));
    const { input, maxDelay, ridge } = this.setup;
    const head = { input, bin_ms: this.binSteps * dtMs };
    const r = this.columns > 0 ? memoryCapacity(this.input.subarray(0, bins), this.state.subarray(0, bins * this.columns), this.columns, { maxDelay, ridge }) : null;
    if (!r)
      return {
        ...head,
        capacity: null,
        r2: [],
        features: 0,
        train_bins: 0,
        test_bins: 0,
        error: this.columns > 0 ? `too few bins (${bins}) for ${maxDelay} delays` : 'no state neurons: wire populations besides the input into the monitor',
      };
    return { ...head, ...r };
  }
}

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
  /** The spectrum of the same 1 ms count against the Poisson level (null measures when the record is under 256 ms or silent). */
  readonly spectrum?: PopulationSpectrum;
  /** Present when the monitor asks for it (`criticality` on). */
  readonly criticality?: CriticalityReport;
  /** Present when the monitor asks for it (`memory_capacity` on). */
  readonly memory_capacity?: MonitorMemoryCapacity;
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
  private readonly memory: MemoryBins | null;
  private spikes = 0;

  /**
   * @param neurons all neurons of the monitor's populations (numbered one population after another)
   * @param criticality the analysis options, or null for none (then no per-step counts are kept)
   * @param memory the memory-capacity set-up, a message saying why it cannot be measured, or null for none
   */
  constructor(
    readonly nodeId: string,
    readonly neurons: number,
    private readonly nSteps: number,
    private readonly dtMs: number,
    private readonly criticality: (CriticalityOptions & { transientMs?: number }) | null,
    private readonly memorySetup: MemoryCapacitySetup | string | null = null,
  ) {
    this.last = new Float64Array(neurons).fill(-1);
    this.isiCount = new Float64Array(neurons);
    this.isiSum = new Float64Array(neurons);
    this.isiSq = new Float64Array(neurons);
    this.binSteps = Math.max(1, stepsOf(1, dtMs));
    this.fromStep = stepsOf(100, dtMs);
    this.bins = new Float64Array(Math.max(0, Math.floor((nSteps - this.fromStep) / this.binSteps)));
    this.perStep = criticality ? new Int32Array(nSteps) : null;
    this.memory = memorySetup && typeof memorySetup !== 'string' ? new MemoryBins(memorySetup, neurons, nSteps, dtMs, this.fromStep) : null;
  }

  /** Take a chunk of one source population's spikes; `offset` is its first neuron in the monitor's numbering. */
  add(neuron: ArrayLike<number>, step: ArrayLike<number>, offset: number): void {
    const { last, isiCount, isiSum, isiSq, bins, perStep, memory } = this;
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
      if (memory) memory.add(i, s);
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
      spectrum: populationSpectrum(this.bins.subarray(0, usedBins), this.binSteps * this.dtMs),
      ...(c && this.perStep
        ? { criticality: analyzeCriticality(this.perStep.subarray(0, Math.min(steps, this.nSteps)), this.dtMs, { ...c, seed, fromStep: stepsOf(c.transientMs ?? 0, this.dtMs) }) }
        : {}),
      ...(this.memory ? { memory_capacity: this.memory.report(Math.min(steps, this.nSteps), this.dtMs) } : {}),
      ...(typeof this.memorySetup === 'string' ? { memory_capacity: { input: '', bin_ms: 0, capacity: null, r2: [], features: 0, train_bins: 0, test_bins: 0, error: this.memorySetup } } : {}),
    };
  }
}
