/**
 * The threshold and reset steps that most neuron kinds share (MODELS.md §0):
 * a neuron spikes in step n iff V > θ (strict) and it is not refractory,
 * i.e. n − lastSpike ≥ R; a spiking neuron's lastSpike becomes n.
 */
import { isPerNeuron, perNeuronValues } from '../core/per-neuron.ts';

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

/** Lower V of the neurons that spiked by `height` (reset by subtraction: V ← V − (v_th − v_reset)). */
export function resetBy(v: Float64Array, spikes: Int32Array, count: number, height: number): void {
  for (let k = 0; k < count; k++) v[spikes[k]] -= height;
}

/**
 * The reset a LIF-like group's params ask for (`reset`: `to-v-reset` or `subtract`,
 * see engine/kinds neuron-common `RESET_MODE`), as one function; `v_reset_mv` and
 * `v_th_mv` may hold one value per neuron (core/per-neuron.ts) of the group's `n`.
 */
export function resetOf(params: Readonly<Record<string, unknown>>, n: number): (v: Float64Array, spikes: Int32Array, count: number) => void {
  const subtract = params.reset === 'subtract';
  if (isPerNeuron(params.v_reset_mv) || (subtract && isPerNeuron(params.v_th_mv))) {
    const vReset = perNeuronValues(params.v_reset_mv, n);
    if (subtract) {
      const height = perNeuronValues(params.v_th_mv, n);
      for (let i = 0; i < n; i++) height[i] -= vReset[i];
      return (v, spikes, count) => {
        for (let k = 0; k < count; k++) v[spikes[k]] -= height[spikes[k]];
      };
    }
    return (v, spikes, count) => {
      for (let k = 0; k < count; k++) v[spikes[k]] = vReset[spikes[k]];
    };
  }
  const vReset = params.v_reset_mv as number;
  if (subtract) {
    const height = (params.v_th_mv as number) - vReset;
    return (v, spikes, count) => resetBy(v, spikes, count, height);
  }
  return (v, spikes, count) => resetTo(v, spikes, count, vReset);
}

/** The decay factor of one step of τ dx/dt = −x: exact e^{−dt/τ}, or forward Euler's 1 − dt/τ (`integration: 'euler'`). */
export function decayFactor(dtMs: number, tauMs: number, integration: unknown): number {
  return integration === 'euler' ? 1 - dtMs / tauMs : Math.exp(-dtMs / tauMs);
}

/**
 * Gated delta input (lif-delta, if-delta): add the arriving jumps (already
 * signed) to V of every neuron not refractory now, i.e. whose last spike is at
 * or before `lim` = step − refSteps.
 */
export function absorbGated(v: Float64Array, lastSpike: Int32Array, lim: number, arriving: Float64Array): void {
  const n = v.length;
  for (let j = 0; j < n; j++) {
    const x = arriving[j];
    if (x !== 0 && lastSpike[j] <= lim) v[j] += x;
  }
}

/**
 * {@link absorbGated} of slot `a` then of slot `b` in one pass (V and the
 * refractory clock read once), and both slots left zero for their next use.
 * Without branches on the inputs: adding a zero input changes nothing, because
 * V of a neuron that is not refractory was just updated and an update never
 * leaves −0 (x + y is −0 only when both are), so `(V + x) + y` is what the two
 * gated passes give.
 */
export function absorbPairGated(v: Float64Array, lastSpike: Int32Array, lim: number, a: Float64Array, b: Float64Array): void {
  const n = v.length;
  for (let j = 0; j < n; j++) {
    if (lastSpike[j] <= lim) v[j] = v[j] + a[j] + b[j];
    a[j] = 0;
    b[j] = 0;
  }
}

/** Copy the `count` spikes a fused update found into `out` (a copy loop: `out.set(subarray)` would allocate every step); returns `count`. */
export function copySpikes(pending: Int32Array, count: number, out: Int32Array): number {
  for (let k = 0; k < count; k++) out[k] = pending[k];
  return count;
}
