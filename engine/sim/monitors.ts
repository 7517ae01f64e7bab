/**
 * Spike recording, as Brian2's SpikeMonitor: (neuron, step) pairs per observed
 * population. Buffers grow by doubling and are handed out by `drain()`, whose
 * arrays the host transfers (not copies) to the UI.
 */

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
    this.neuron.set(spikes.subarray(0, count), this.length);
    this.stepArr.fill(step, this.length, need);
    this.length = need;
    this.total += count;
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
