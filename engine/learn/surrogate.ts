/**
 * Surrogate spike functions. The spike is a step H(x) of the normalised
 * distance to threshold x = (V − v_th) / (v_th − v_rest); its derivative is
 * zero almost everywhere, so the backward pass uses the derivative of a smooth
 * step instead (Neftci, Mostafa & Zenke 2019). `smoothSpike` is that smooth
 * step itself, and `surrogateGrad` is exactly its derivative, so a forward pass
 * with `smoothSpike` makes the BPTT gradient the true gradient (the gradient check).
 */

export const SURROGATES = ['fast-sigmoid', 'arctan'] as const;
export type Surrogate = (typeof SURROGATES)[number];

/**
 * The smooth step in (0, 1):
 * - fast sigmoid: ½ + ½ · k·x / (1 + k·|x|)  (Zenke & Ganguli 2018, SuperSpike);
 * - arctan: ½ + arctan(π/2 · k·x) / π  (Fang et al. 2021).
 */
export function smoothSpike(kind: Surrogate, x: number, slope: number): number {
  if (kind === 'fast-sigmoid') {
    const kx = slope * x;
    return 0.5 + (0.5 * kx) / (1 + Math.abs(kx));
  }
  return 0.5 + Math.atan((Math.PI / 2) * slope * x) / Math.PI;
}

/**
 * d smoothSpike / dx:
 * - fast sigmoid: ½·k / (1 + k·|x|)²;
 * - arctan: ½·k / (1 + (π/2 · k·x)²).
 */
export function surrogateGrad(kind: Surrogate, x: number, slope: number): number {
  if (kind === 'fast-sigmoid') {
    const d = 1 + slope * Math.abs(x);
    return (0.5 * slope) / (d * d);
  }
  const y = (Math.PI / 2) * slope * x;
  return (0.5 * slope) / (1 + y * y);
}
