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
import { WELCH_SEGMENT, prepareWelch, welchSpectrum, type PopulationSpectrum } from './population-spectrum.ts';
import { cvIsiSum, moments, statsInstance, type StatsInstance, type WelchTables } from './stats-kernels.ts';

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

/** The longest Welch segment a monitor's own memory has room for (the default, 256 bins), and that room in f64 slots. */
const WELCH_MAX = 256;
const WELCH_SCRATCH = WELCH_MAX + 2 * (WELCH_MAX / 2 + 1) + 2 * (WELCH_MAX / 2) + (WELCH_MAX / 2 + 1) + WELCH_MAX / 4;

/**
 * Spikes handed to the wasm kernel at a time: the room for their (neuron, step) pairs in a
 * monitor's memory (32 KB; a flush of the CLI holds ~1 000–8 000 spikes, the app's fewer).
 */
const CHUNK = 4096;

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
   * The wasm kernels (./stats-kernels.ts) over this monitor's own memory, which
   * holds the arrays above, a chunk of pairs and two result slots; null where
   * WebAssembly is missing (the JS loops then compute the same numbers).
   */
  private readonly wasm: { readonly k: StatsInstance; readonly neuron: Int32Array; readonly step: Int32Array; readonly out: Float64Array; readonly scratch: number } | null;

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
    this.binSteps = Math.max(1, stepsOf(1, dtMs));
    this.fromStep = stepsOf(100, dtMs);
    const nBins = Math.max(0, Math.floor((nSteps - this.fromStep) / this.binSteps));
    // f64 slots: last, count, sum, sum of squares (neurons each), bins, two results; then the chunk's pairs (i32).
    const slots = 4 * neurons + nBins + 2 + WELCH_SCRATCH;
    const k = statsInstance(8 * slots + 8 * CHUNK);
    const f64 = (at: number, n: number) => (k ? new Float64Array(k.memory.buffer, 8 * at, n) : new Float64Array(n));
    this.last = f64(0, neurons).fill(-1);
    this.isiCount = f64(neurons, neurons);
    this.isiSum = f64(2 * neurons, neurons);
    this.isiSq = f64(3 * neurons, neurons);
    this.bins = f64(4 * neurons, nBins);
    this.wasm = k
      ? {
          k,
          out: f64(4 * neurons + nBins, 2),
          scratch: 8 * (4 * neurons + nBins + 2),
          neuron: new Int32Array(k.memory.buffer, 8 * slots, CHUNK),
          step: new Int32Array(k.memory.buffer, 8 * slots + 4 * CHUNK, CHUNK),
        }
      : null;
    if (this.wasm) {
      // A new wasm memory's pages are mapped on first touch, ~3–14 µs a page on the bench's VM:
      // touched here, while the network is built, rather than by the run's first flushes (the
      // last spikes are filled above; a 1 s CUBA run's statistics: 1.25 → 0.9 ms, session 12).
      for (const a of [this.isiCount, this.isiSum, this.isiSq, this.bins, this.wasm.neuron, this.wasm.step]) a.fill(0);
    }
    // The Welch tables (window, twiddles) for the report's segment length, made once per length.
    if (nBins >= WELCH_SEGMENT) prepareWelch(WELCH_SEGMENT);
    this.perStep = criticality ? new Int32Array(nSteps) : null;
    this.memory = memorySetup && typeof memorySetup !== 'string' ? new MemoryBins(memorySetup, neurons, nSteps, dtMs, this.fromStep) : null;
  }

  /** Take a chunk of one source population's spikes (steps ascending); `offset` is its first neuron in the monitor's numbering. */
  add(neuron: ArrayLike<number>, step: ArrayLike<number>, offset: number): void {
    const w = this.wasm;
    if (!w) {
      for (let from = 0; from < neuron.length;) {
        let to = from + 1;
        while (to < neuron.length && step[to] === step[from]) to++;
        this.addRun(neuron, from, to, step[from], offset);
        from = to;
      }
      return;
    }
    // Per spike, JS would run cold here (this runs a few times a run): ~0.1–0.4 µs a spike, a 1 s CUBA run's 23 000 spikes ~5 ms.
    const o = w.neuron.byteOffset;
    for (let from = 0; from < neuron.length; from += CHUNK) {
      const to = Math.min(neuron.length, from + CHUNK);
      w.neuron.set(part(neuron, from, to));
      w.step.set(part(step, from, to));
      this.spikes += w.k.acc(
        to - from,
        o,
        o + 4 * CHUNK,
        offset,
        this.neurons,
        this.last.byteOffset,
        this.isiCount.byteOffset,
        this.isiSum.byteOffset,
        this.isiSq.byteOffset,
        this.bins.byteOffset,
        this.bins.length,
        this.fromStep,
        this.binSteps,
      );
    }
    if (this.perStep || this.memory) {
      for (let k = 0; k < neuron.length; k++) {
        const i = offset + neuron[k];
        if (i < 0 || i >= this.neurons) continue;
        this.countExtras(i, step[k]);
      }
    }
  }

  /** The JS loop: the spikes `neuron[from … to)`, all at step `s`. */
  private addRun(neuron: ArrayLike<number>, from: number, to: number, s: number, offset: number): void {
    const { last, isiCount, isiSum, isiSq } = this;
    let added = 0;
    for (let k = from; k < to; k++) {
      const i = offset + neuron[k];
      if (i < 0 || i >= this.neurons) continue;
      added++;
      const prev = last[i];
      if (prev >= 0) {
        const d = s - prev;
        isiCount[i]++;
        isiSum[i] += d;
        isiSq[i] += d * d;
      }
      last[i] = s;
      this.countExtras(i, s);
    }
    this.spikes += added;
    if (s >= this.fromStep) {
      const b = Math.floor((s - this.fromStep) / this.binSteps);
      if (b < this.bins.length) this.bins[b] += added;
    }
  }

  /**
   * The Welch periodograms of the counts with the kernel, in this monitor's memory
   * where the counts lie (its scratch holds the tables and the transform for
   * segments up to WELCH_MAX bins); false without it.
   */
  private periodograms(counts: Float64Array, mean: number, segments: number, hop: number, tab: WelchTables, power: Float64Array): boolean {
    const w = this.wasm;
    const M = tab.L >> 1;
    if (!w || tab.L > WELCH_MAX) return false;
    const f = new Float64Array(w.k.memory.buffer, w.scratch, WELCH_SCRATCH);
    // Scratch (f64 slots): w[L] | cos[M+1] | sin[M+1] | re[M] | im[M] | power[M+1] | rev (i32)[M].
    const oCos = tab.L;
    const oSin = oCos + M + 1;
    const oRe = oSin + M + 1;
    const oIm = oRe + M;
    const oPow = oIm + M;
    const oRev = oPow + M + 1;
    f.set(tab.w);
    f.set(tab.cos, oCos);
    f.set(tab.sin, oSin);
    f.set(power, oPow);
    new Uint32Array(w.k.memory.buffer, w.scratch + 8 * oRev, M).set(tab.rev);
    const at = (slot: number) => w.scratch + 8 * slot;
    w.k.welch(counts.byteOffset, mean, segments, hop, M, w.scratch, at(oRev), at(oCos), at(oSin), at(oRe), at(oIm), at(oPow));
    power.set(f.subarray(oPow, oPow + M + 1));
    return true;
  }

  /** Neuron i's spike at step s in the per-step counts and the memory-capacity bins, when the monitor keeps them. */
  private countExtras(i: number, s: number): void {
    if (this.perStep && s >= 0 && s < this.perStep.length) this.perStep[s]++;
    if (this.memory) this.memory.add(i, s);
  }

  /** The statistics of what was added, over the first `steps` steps run; `seed` seeds the bootstrap. */
  report(steps: number, seed: number): SpikeMonitorStats {
    const w = this.wasm;
    if (w) w.k.cvIsi(this.neurons, this.isiCount.byteOffset, this.isiSum.byteOffset, this.isiSq.byteOffset, w.out.byteOffset);
    const cv = w ? { sum: w.out[0], used: w.out[1] } : cvIsiSum(this.isiCount, this.isiSum, this.isiSq);
    const usedBins = Math.max(0, Math.min(this.bins.length, Math.floor((Math.min(steps, this.nSteps) - this.fromStep) / this.binSteps)));
    const counts = this.bins.subarray(0, usedBins);
    let mean = 0;
    let q = 0;
    if (w && usedBins > 0) {
      w.k.moments(counts.byteOffset, usedBins, w.out.byteOffset);
      [mean, q] = w.out;
    } else ({ mean, q } = moments(counts));
    const c = this.criticality;
    return {
      nodeId: this.nodeId,
      neurons: this.neurons,
      spikes: this.spikes,
      cv_isi_mean: cv.used > 0 ? cv.sum / cv.used : null,
      cv_isi_neurons: cv.used,
      pop_count_cv: mean > 0 ? Math.sqrt(q / usedBins) / mean : null,
      spectrum: welchSpectrum(counts, mean, q, this.binSteps * this.dtMs, {}, (segments, hop, tab, power) => this.periodograms(counts, mean, segments, hop, tab, power)),
      ...(c && this.perStep
        ? { criticality: analyzeCriticality(this.perStep.subarray(0, Math.min(steps, this.nSteps)), this.dtMs, { ...c, seed, fromStep: stepsOf(c.transientMs ?? 0, this.dtMs) }) }
        : {}),
      ...(this.memory ? { memory_capacity: this.memory.report(Math.min(steps, this.nSteps), this.dtMs) } : {}),
      ...(typeof this.memorySetup === 'string' ? { memory_capacity: { input: '', bin_ms: 0, capacity: null, r2: [], features: 0, train_bins: 0, test_bins: 0, error: this.memorySetup } } : {}),
    };
  }
}

/** x[from … to) without a copy when x is a typed array. */
function part(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (from === 0 && to === x.length) return x;
  return ArrayBuffer.isView(x) ? (x as unknown as Int32Array).subarray(from, to) : Array.prototype.slice.call(x, from, to);
}
