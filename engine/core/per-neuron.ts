/**
 * Per-neuron parameter values (issue 14). A document writes one value per
 * neuron as a plain JSON array (`"tau_m_ms": [10, 20, 30]`) for params whose
 * kind declares `perNeuron`; the compiler marks such a value `{ perNeuron: […] }`
 * in the plan, so the engine can tell it from list params and slice it for the
 * part of a population a thread owns.
 */

/** One value per neuron of the population, in neuron order. */
export interface PerNeuron {
  readonly perNeuron: readonly number[];
}

export function isPerNeuron(x: unknown): x is PerNeuron {
  return typeof x === 'object' && x !== null && Array.isArray((x as { perNeuron?: unknown }).perNeuron);
}

/** `params` with every per-neuron value cut to neurons [lo, hi) (a thread's part of the population). */
export function sliceParams(params: Readonly<Record<string, unknown>>, lo: number, hi: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = isPerNeuron(v) ? { perNeuron: v.perNeuron.slice(lo, hi) } : v;
  return out;
}

/** Whether any param holds per-neuron values. */
export function hasPerNeuron(params: Readonly<Record<string, unknown>>): boolean {
  return Object.values(params).some(isPerNeuron);
}

/**
 * A number param as `n` values: its per-neuron values, or one value repeated,
 * each mapped by `f` (e.g. a time constant to its decay factor).
 */
export function perNeuronValues(value: unknown, n: number, f: (x: number) => number = (x) => x): Float64Array {
  const out = new Float64Array(n);
  if (isPerNeuron(value)) for (let i = 0; i < n; i++) out[i] = f(value.perNeuron[i]);
  else out.fill(f(value as number));
  return out;
}
