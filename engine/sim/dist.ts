/** Drawing values from a `dist` param (constant, uniform, normal, lognormal). */
import type { DistValue } from '../core/dist-value.ts';
import type { Rng } from './rng.ts';
import { isPerNeuron, type PerNeuron } from '../core/per-neuron.ts';

/** Whether every draw gives the same value (then no per-element array is needed). */
export function isConstant(d: DistValue): d is number {
  return typeof d === 'number';
}

/** The mean of the distribution (after clipping it is approximate); for memory and label use. */
export function distMean(d: DistValue): number {
  if (typeof d === 'number') return d;
  switch (d.dist) {
    case 'uniform':
      return (d.low + d.high) / 2;
    case 'normal':
      return d.mean;
    case 'lognormal':
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
  }
}

/** A sampler for one distribution, clipped to [lo, hi] (e.g. weights ≥ 0). */
export function sampler(d: DistValue, rng: Rng, lo = -Infinity, hi = Infinity): () => number {
  const clip = (x: number) => (x < lo ? lo : x > hi ? hi : x);
  if (typeof d === 'number') {
    const v = clip(d);
    return () => v;
  }
  switch (d.dist) {
    case 'uniform': {
      const { low, high } = d;
      return () => clip(low + (high - low) * rng.uniform53());
    }
    case 'normal': {
      const l = Math.max(lo, d.min ?? -Infinity);
      const h = Math.min(hi, d.max ?? Infinity);
      const { mean, sd } = d;
      return () => {
        const x = mean + sd * rng.normal();
        return x < l ? l : x > h ? h : x;
      };
    }
    case 'lognormal': {
      const { mu, sigma } = d;
      return () => clip(Math.exp(mu + sigma * rng.normal()));
    }
  }
}

/** Fill an array with draws. */
export function fill(out: Float64Array | Float32Array, d: DistValue | PerNeuron, rng: Rng, lo = -Infinity, hi = Infinity): void {
  // Given values, one per neuron (core/per-neuron.ts), are copied, not drawn.
  if (isPerNeuron(d)) {
    for (let i = 0; i < out.length; i++) out[i] = d.perNeuron[i];
    return;
  }
  const draw = sampler(d, rng, lo, hi);
  for (let i = 0; i < out.length; i++) out[i] = draw();
}
