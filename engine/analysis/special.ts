/**
 * Special functions the fits need: the Hurwitz zeta function (the normaliser of
 * a discrete power law), the complementary error function and the standard
 * normal tail.
 */

/** B_2j / (2j)! for j = 1…6 (Euler–Maclaurin). */
const BERNOULLI_OVER_FACTORIAL = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000];

/**
 * The Hurwitz zeta function ζ(s, q) = Σ_{k≥0} (k + q)^−s for s > 1, q > 0, by
 * Euler–Maclaurin summation: ten terms, the tail integral and six Bernoulli
 * corrections (relative error below 1e-12 for s in (1, 20], q ≥ 1).
 */
export function hurwitzZeta(s: number, q: number): number {
  const N = 10;
  let sum = 0;
  for (let k = 0; k < N; k++) sum += Math.pow(q + k, -s);
  const a = q + N;
  sum += Math.pow(a, 1 - s) / (s - 1) + 0.5 * Math.pow(a, -s);
  // Σ_j B_2j/(2j)! · s(s+1)…(s+2j−2) · a^(−s−2j+1)
  let rising = s;
  let power = Math.pow(a, -s - 1);
  const a2 = a * a;
  for (let j = 0; j < BERNOULLI_OVER_FACTORIAL.length; j++) {
    sum += BERNOULLI_OVER_FACTORIAL[j] * rising * power;
    rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
    power /= a2;
  }
  return sum;
}

/** erfc(x) (Numerical Recipes' Chebyshev fit: relative error below 1.2e-7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Minimise a function of one variable on [lo, hi] by golden-section search
 * (the function is assumed unimodal there).
 */
export function goldenMin(f: (x: number) => number, lo: number, hi: number, tol = 1e-7): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
