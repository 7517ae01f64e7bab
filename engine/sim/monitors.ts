/**
 * Spike recording, as Brian2's SpikeMonitor: (neuron, step) pairs per observed
 * population. Buffers grow by doubling and are handed out by `drain()`, whose
 * arrays the host transfers (not copies) to the UI.
 */

/** Counts of spikes in one step below this get a kept view in {@link SpikeRecorder}; more, a fresh one (rare, and amortised over the copy). */
const VIEWS_UP_TO = 512;
/** Up to this many spikes in a step, an element loop copies them (optimised, a few ns; the builtins cost ~30 ns a call). */
const LOOP_UP_TO = 8;

export class SpikeRecorder {
  private neuron: Int32Array;
  private stepArr: Int32Array;
  private length = 0;
  total = 0;

  constructor(
    readonly monitorId: string,
    /** Index of the population among the monitor's sources. */
    readonly sourceSlot: number,
    /** Index into the network's populations. */
    readonly population: number,
    initialCapacity = 1024,
  ) {
    this.neuron = new Int32Array(initialCapacity);
    this.stepArr = new Int32Array(initialCapacity);
  }

  record(spikes: Int32Array, count: number, step: number): void {
    if (count === 0) return;
    const need = this.length + count;
    if (need > this.neuron.length) {
      let cap = this.neuron.length * 2;
      while (cap < need) cap *= 2;
      const n = new Int32Array(cap);
      n.set(this.neuron.subarray(0, this.length));
      const s = new Int32Array(cap);
      s.set(this.stepArr.subarray(0, this.length));
      this.neuron = n;
      this.stepArr = s;
    }
    // A few spikes: an element loop (a few ns once optimised; the builtins below cost ~30 ns a
    // call). More: native copies, which are also cheaper than an interpreted loop while this is
    // still cold (~45 ns a spike). Measured on COBA (bench/README.md, session 11). The views of
    // the first `count` spikes are made once per count (a subarray per step would be garbage).
    if (count <= LOOP_UP_TO) {
      const neuron = this.neuron;
      const steps = this.stepArr;
      for (let k = 0, at = this.length; k < count; k++, at++) {
        neuron[at] = spikes[k];
        steps[at] = step;
      }
    } else {
      this.neuron.set(this.firstOf(spikes, count), this.length);
      this.stepArr.fill(step, this.length, need);
    }
    this.length = need;
    this.total += count;
  }

  /** The views `spikes[0 … count)`, by count, for the spike array they were made of. */
  private views: Int32Array[] = [];
  private viewsOf: Int32Array | null = null;

  private firstOf(spikes: Int32Array, count: number): Int32Array {
    if (count >= VIEWS_UP_TO) return spikes.subarray(0, count);
    if (spikes !== this.viewsOf) {
      this.viewsOf = spikes;
      this.views = [];
    }
    let v = this.views[count];
    if (v === undefined) {
      // Fill below first, so the array stays packed (no holes, no dictionary elements).
      for (let c = this.views.length; c < count; c++) this.views.push(spikes.subarray(0, c));
      v = spikes.subarray(0, count);
      this.views.push(v);
    }
    return v;
  }

  /** Hand out what was recorded since the last drain, as fresh arrays of exact length. */
  drain(): { neuron: Int32Array; step: Int32Array } {
    const out = { neuron: this.neuron.slice(0, this.length), step: this.stepArr.slice(0, this.length) };
    this.length = 0;
    return out;
  }

  get pending(): number {
    return this.length;
  }
}

/**
 * Records one state variable of chosen neurons every `everySteps` steps, after
 * the step's reset (Brian2's StateMonitor records at the start of the step;
 * recording after the reset shows V = v_reset in the step of a spike).
 */
export class StateRecorder {
  private values: Float32Array;
  private rows = 0;
  /** First step of the rows not yet drained. */
  private step0 = -1;

  constructor(
    readonly monitorId: string,
    readonly sourceSlot: number,
    readonly population: number,
    readonly variable: string,
    readonly neurons: Int32Array,
    readonly everySteps: number,
    private readonly source: Float64Array,
  ) {
    this.values = new Float32Array(Math.max(1, neurons.length) * 64);
  }

  record(step: number): void {
    if (step % this.everySteps !== 0) return;
    const n = this.neurons.length;
    if ((this.rows + 1) * n > this.values.length) {
      const bigger = new Float32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    if (this.rows === 0) this.step0 = step;
    const off = this.rows * n;
    for (let k = 0; k < n; k++) this.values[off + k] = this.source[this.neurons[k]];
    this.rows++;
  }

  get pending(): number {
    return this.rows;
  }

  /** Rows since the last drain: `values[row * neurons.length + k]`, row r at step step0 + r·everySteps. */
  drain(): { step0: number; values: Float32Array } {
    const out = { step0: this.step0, values: this.values.slice(0, this.rows * this.neurons.length) };
    this.rows = 0;
    return out;
  }
}

/** Counts the spikes of a population per bin of `binSteps` steps. */
export class RateRecorder {
  private counts: Float32Array = new Float32Array(256);
  private bins = 0;
  private bin0 = 0;
  private current = 0;
  private currentBin = 0;

  constructor(
    readonly monitorId: string,
    readonly sourceSlot: number,
    readonly population: number,
    readonly binSteps: number,
  ) {}

  record(count: number, step: number): void {
    const bin = Math.floor(step / this.binSteps);
    if (bin !== this.currentBin) this.close(bin);
    this.current += count;
    if ((step + 1) % this.binSteps === 0) this.close(bin + 1);
  }

  private close(nextBin: number): void {
    if (this.bins === this.counts.length) {
      const bigger = new Float32Array(this.counts.length * 2);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    if (this.bins === 0) this.bin0 = this.currentBin;
    this.counts[this.bins++] = this.current;
    this.current = 0;
    this.currentBin = nextBin;
  }

  get pending(): number {
    return this.bins;
  }

  /** Completed bins since the last drain; bin b covers steps [(bin0+b)·binSteps, (bin0+b+1)·binSteps). */
  drain(): { bin0: number; counts: Float32Array } {
    const out = { bin0: this.bin0, counts: this.counts.slice(0, this.bins) };
    this.bins = 0;
    return out;
  }
}
