/**
 * Optimisers over a list of parameter arrays (Adam in adam.ts, SGD with
 * momentum here), the learning-rate schedules, and their state for a
 * checkpoint, so a resumed training continues exactly where it stopped.
 */
import { Adam } from './adam.ts';

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];
export const LR_SCHEDULES = ['constant', 'step', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** An optimiser: one update from gradients (each times `scale`), a settable step size, and its state. */
export interface Optimizer {
  lr: number;
  step(grads: readonly Float64Array[], scale?: number): void;
  /** Its moments (or velocities) and update count, as plain arrays. */
  state(): OptimizerState;
  /** Take over a state from {@link state} (same shapes); throws on a mismatch. */
  load(s: OptimizerState): void;
}

export interface OptimizerState {
  readonly kind: OptimizerKind;
  readonly t: number;
  /** Adam: first and second moments per parameter array; SGD: the velocity, and no second. */
  readonly m: number[][];
  readonly v: number[][];
}

/**
 * SGD with (heavy-ball) momentum μ: u ← μ·u + g, θ ← θ − lr·u. μ = 0 is plain SGD.
 */
export class Sgd {
  readonly u: Float64Array[];
  t = 0;
  constructor(
    private readonly params: readonly Float64Array[],
    public lr: number,
    readonly momentum = 0.9,
  ) {
    this.u = params.map((p) => new Float64Array(p.length));
  }

  step(grads: readonly Float64Array[], scale = 1): void {
    this.t++;
    const { lr, momentum } = this;
    for (let p = 0; p < this.params.length; p++) {
      const theta = this.params[p];
      const g = grads[p];
      const u = this.u[p];
      for (let k = 0; k < theta.length; k++) {
        const uk = momentum * u[k] + g[k] * scale;
        u[k] = uk;
        theta[k] -= lr * uk;
      }
    }
  }
}

function copyInto(dst: readonly Float64Array[], src: readonly (readonly number[])[], what: string): void {
  if (src.length !== dst.length || src.some((a, i) => a.length !== dst[i].length)) throw new Error(`the checkpoint's optimiser ${what} do not match this network's weights`);
  src.forEach((a, i) => dst[i].set(a));
}

/** The {@link Optimizer} face of Adam or SGD: its step size, update and state (`first`, `second`: the arrays a checkpoint keeps). */
function wrap(kind: OptimizerKind, o: { lr: number; t: number; step(g: readonly Float64Array[], scale?: number): void }, first: Float64Array[], second: Float64Array[]): Optimizer {
  return {
    get lr() {
      return o.lr;
    },
    set lr(x: number) {
      o.lr = x;
    },
    step: (g, scale) => o.step(g, scale),
    state: () => ({ kind, t: o.t, m: first.map((a) => Array.from(a)), v: second.map((a) => Array.from(a)) }),
    load(s) {
      if (s.kind !== kind) throw new Error(`the checkpoint was made with ${s.kind}, this trainer uses ${kind}`);
      copyInto(first, s.m, 'state');
      copyInto(second, s.v, 'state');
      o.t = s.t;
    },
  };
}

/** An optimiser of `kind` over `params`. */
export function createOptimizer(kind: OptimizerKind, params: readonly Float64Array[], lr: number): Optimizer {
  if (kind === 'sgd') {
    const o = new Sgd(params, lr);
    return wrap(kind, o, o.u, []);
  }
  const o = new Adam(params, { lr });
  return wrap(kind, o, o.m, o.v);
}

/**
 * The learning rate of epoch `epoch` (0-based) of `epochs`: constant; `step`,
 * multiplied by γ every `stepEpochs` epochs; or `cosine`, from lr down to 0 over
 * the epochs, lr·½(1 + cos(π·epoch/epochs)).
 */
export function scheduledLr(schedule: LrSchedule, lr: number, epoch: number, epochs: number, stepEpochs: number, gamma: number): number {
  if (schedule === 'step') return lr * Math.pow(gamma, Math.floor(epoch / Math.max(1, stepEpochs)));
  if (schedule === 'cosine') return lr * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs)));
  return lr;
}
