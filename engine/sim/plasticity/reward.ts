/**
 * The reward node's signal: per step, the neuromodulator amount m that
 * reward-modulated plasticity turns into weight change (Δw = η·m·e).
 *  - schedule: a piecewise-constant reward level R(t) (per ms), m = R·dt;
 *  - presentations: an impulse values[k] at the end of each train-phase
 *    presentation k of a classifier readout's encoder (the list cycled);
 *  - readout: an impulse at the end of each train-phase presentation scored by
 *    a classifier readout: m = r_right or r_wrong (no answer counts as wrong).
 */
import type { ClassifierReadout } from './readout.ts';
import { stepsOf } from '../../core/time.ts';

export interface RewardSignal {
  /** The amount m of step n (call once per step, after the readouts observed it). */
  amount(n: number): number;
}

export class ScheduledReward implements RewardSignal {
  private readonly startSteps: Int32Array;
  private readonly levels: Float64Array;

  /** `timesMs[i]`: when level `values[i]` starts (per ms); 0 before the first time. */
  constructor(
    timesMs: readonly number[],
    values: readonly number[],
    readonly dtMs: number,
  ) {
    const order = timesMs.map((t, i) => [t, values[i] ?? 0] as const).sort((a, b) => a[0] - b[0]);
    this.startSteps = Int32Array.from(order.map(([t]) => stepsOf(t, dtMs)));
    this.levels = Float64Array.from(order.map(([, v]) => v));
  }

  amount(n: number): number {
    let level = 0;
    for (let i = 0; i < this.startSteps.length && this.startSteps[i] <= n; i++) level = this.levels[i];
    return level * this.dtMs;
  }
}

/**
 * Per-presentation values: at the end of presentation k of the readout's encoder
 * (train phase only), an impulse values[k mod length].
 */
export class PresentationReward implements RewardSignal {
  constructor(
    readonly readout: ClassifierReadout,
    readonly values: readonly number[],
  ) {}

  amount(n: number): number {
    const r = this.readout;
    if ((n + 1) % r.period !== 0 || this.values.length === 0) return 0;
    const k = Math.floor(n / r.period);
    return r.phaseOf(k) === 'train' ? this.values[k % this.values.length] : 0;
  }
}

export class ReadoutReward implements RewardSignal {
  constructor(
    readonly readout: ClassifierReadout,
    readonly right: number,
    readonly wrong: number,
  ) {}

  amount(): number {
    const r = this.readout;
    if (r.outcome === 0 || r.outcomePhase !== 'train') return 0;
    return r.outcome > 0 ? this.right : this.wrong;
  }
}
