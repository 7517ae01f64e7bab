/**
 * Weight normalisation (Diehl & Cook 2015): every `intervalSteps` steps, the
 * weights onto each target neuron are scaled so that they sum to `total`
 * (then clipped to [0, w_max]). A target whose weights are all 0 is left alone.
 */
import type { Csr } from '../connect.ts';
import { buildCsc, type Csc } from './types.ts';
import { stepsOf } from '../../core/time.ts';

/** The normalisation block of a plasticity node's params, or null when it is off. */
export interface NormaliseParams {
  readonly total: number;
  readonly intervalMs: number;
}

export function normaliseParamsOf(params: Readonly<Record<string, unknown>>): NormaliseParams | null {
  if (params.normalise !== true) return null;
  return { total: params.norm_total as number, intervalMs: params.norm_interval_ms as number };
}

export class Normaliser {
  readonly intervalSteps: number;
  private readonly csc: Csc;

  constructor(
    csr: Csr,
    readonly total: number,
    intervalMs: number,
    dtMs: number,
    readonly wMax: number,
    csc?: Csc,
  ) {
    this.intervalSteps = Math.max(1, stepsOf(intervalMs, dtMs));
    this.csc = csc ?? buildCsc(csr);
  }

  /** End of step n: normalise when a whole interval has passed. */
  tick(n: number, w: Float64Array): void {
    if ((n + 1) % this.intervalSteps === 0) this.apply(w);
  }

  /** Scale each target's incoming weights to sum to `total`. */
  apply(w: Float64Array): void {
    const { ptr, syn } = this.csc;
    const nTarget = ptr.length - 1;
    const { total, wMax } = this;
    for (let j = 0; j < nTarget; j++) {
      let sum = 0;
      for (let q = ptr[j]; q < ptr[j + 1]; q++) sum += w[syn[q]];
      if (!(sum > 0)) continue;
      const f = total / sum;
      for (let q = ptr[j]; q < ptr[j + 1]; q++) {
        const x = w[syn[q]] * f;
        w[syn[q]] = x > wMax ? wMax : x;
      }
    }
  }
}
