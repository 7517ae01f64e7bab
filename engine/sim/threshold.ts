/**
 * The threshold and reset steps that most neuron kinds share (MODELS.md §0):
 * a neuron spikes in step n iff V > θ (strict) and it is not refractory,
 * i.e. n − lastSpike ≥ R; a spiking neuron's lastSpike becomes n.
 */

/** Write the indices of neurons that spike in `step` to `out`, mark them, and return how many. */
export function thresholdRefractory(v: Float64Array, lastSpike: Int32Array, vTh: number, refSteps: number, step: number, out: Int32Array): number {
  let c = 0;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    if (v[i] > vTh && step - lastSpike[i] >= refSteps) {
      out[c++] = i;
      lastSpike[i] = step;
    }
  }
  return c;
}

/** Set V of the neurons that spiked to the reset value. */
export function resetTo(v: Float64Array, spikes: Int32Array, count: number, vReset: number): void {
  for (let k = 0; k < count; k++) v[spikes[k]] = vReset;
}
