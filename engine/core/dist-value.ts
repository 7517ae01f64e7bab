/**
 * The JSON shape of a value drawn per neuron or per synapse (a weight, a
 * delay, an initial potential): the plan carries it, the kinds declare it,
 * and `sim/dist.ts` samples it.
 */

/** Distribution families a `dist` param may take. */
export const DIST_FAMILIES = ['constant', 'uniform', 'normal', 'lognormal'] as const;
export type DistFamily = (typeof DIST_FAMILIES)[number];

/**
 * The JSON value of a `dist` param: a bare number is a constant.
 * `normal` may carry `min`/`max` clip bounds.
 */
export type DistValue =
  | number
  | { readonly dist: 'uniform'; readonly low: number; readonly high: number }
  | { readonly dist: 'normal'; readonly mean: number; readonly sd: number; readonly min?: number; readonly max?: number }
  | { readonly dist: 'lognormal'; readonly mu: number; readonly sigma: number };
