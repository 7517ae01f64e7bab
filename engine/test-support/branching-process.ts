/**
 * Synthetic data with known answers for the criticality analysis
 * (engine/analysis): a driven branching process and its subsampling.
 */
import type { Uniform } from '../analysis/random.ts';

/** A Poisson draw of mean `lambda` (multiplication below 30; PTRS, Hörmann 1993, above: both exact). */
export function poisson(lambda: number, random: Uniform): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = random();
    while (p > l) {
      k++;
      p *= random();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  if (k < 20) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  // Stirling with three corrections (error far below double precision's needs here)
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k ** 3) + 1 / (1260 * k ** 5);
}

/** A Binomial(n, p) draw by geometric jumps between successes (exact; cost ∝ n·p). */
export function binomial(n: number, p: number, random: Uniform): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  const logq = Math.log1p(-p);
  let successes = 0;
  let at = Math.floor(Math.log(1 - random()) / logq);
  while (at < n) {
    successes++;
    at += 1 + Math.floor(Math.log(1 - random()) / logq);
  }
  return successes;
}

/**
 * A branching process with immigration: A_{t+1} ~ Poisson(m·A_t + h), from
 * A_0 = h/(1 − m) (its stationary mean; h when m ≥ 1), for `steps` steps.
 */
export function branchingProcess(m: number, h: number, steps: number, random: Uniform): Float64Array {
  const a = new Float64Array(steps);
  a[0] = m < 1 ? Math.round(h / (1 - m)) : h;
  for (let t = 1; t < steps; t++) a[t] = poisson(m * a[t - 1] + h, random);
  return a;
}

/** Each event seen with probability `fraction` (as recording a random fraction of the units). */
export function subsample(a: ArrayLike<number>, fraction: number, random: Uniform): Float64Array {
  return Float64Array.from(a, (x) => binomial(x, fraction, random));
}
