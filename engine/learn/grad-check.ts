/**
 * Gradient check: compares the BPTT gradient of an {@link SgNetwork} with
 * central finite differences of its loss, weight by weight. Meaningful with
 * the smooth forward pass (`smooth: true`), where the loss is differentiable.
 */
import type { SgNetwork } from './sg-network.ts';

export interface GradCheckSample {
  /** Input spikes per input population: [population index, ptr, idx]. */
  readonly inputs: readonly (readonly [number, Int32Array, Int32Array])[];
  readonly label: number;
}

export interface GradCheckResult {
  /** Largest |bptt − fd| / max(|bptt|, |fd|, floor) over all weights. */
  readonly maxRelError: number;
  /** Largest |gradient| seen, to show the check was not trivially zero. */
  readonly maxAbsGrad: number;
  readonly checked: number;
}

function totalLoss(net: SgNetwork, samples: readonly GradCheckSample[]): number {
  let loss = 0;
  for (const s of samples) {
    for (const [pop, ptr, idx] of s.inputs) net.setInput(pop, ptr, idx);
    loss += net.evaluate(s.label).loss;
  }
  return loss;
}

/**
 * Central differences with step `h` on every weight of every projection, and
 * on every learnt time constant (`learnTau`).
 * The relative error uses `floor` so that gradients that are both ≈ 0 do not count.
 */
export function gradCheck(net: SgNetwork, samples: readonly GradCheckSample[], h = 1e-5, floor = 1e-7): GradCheckResult {
  net.zeroGrads();
  for (const s of samples) {
    for (const [pop, ptr, idx] of s.inputs) net.setInput(pop, ptr, idx);
    net.trainSample(s.label);
  }
  const analytic = net.parameterGrads.map((g) => g.slice());
  let maxRel = 0;
  let maxAbs = 0;
  let checked = 0;
  const at = (w: Float64Array, k: number, x: number) => {
    w[k] = x;
    net.applyTimeConstants();
    return totalLoss(net, samples);
  };
  net.parameters.forEach((w, p) => {
    for (let k = 0; k < w.length; k++) {
      const w0 = w[k];
      const up = at(w, k, w0 + h);
      const down = at(w, k, w0 - h);
      w[k] = w0;
      net.applyTimeConstants();
      const fd = (up - down) / (2 * h);
      const a = analytic[p][k];
      maxAbs = Math.max(maxAbs, Math.abs(a));
      const rel = Math.abs(a - fd) / Math.max(Math.abs(a), Math.abs(fd), floor);
      maxRel = Math.max(maxRel, rel);
      checked++;
    }
  });
  return { maxRelError: maxRel, maxAbsGrad: maxAbs, checked };
}
