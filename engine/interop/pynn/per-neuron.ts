/**
 * Per-neuron parameter values (engine/core/per-neuron.ts) on a PyNN cell type:
 * the kind's mapping is evaluated once per neuron, and each PyNN parameter or
 * initial value that then differs between neurons becomes an array (one value
 * per neuron, in PyNN's units) the script sets with `Population.set` /
 * `Population.initialize`. Derived parameters follow (a per-neuron τm gives a
 * per-neuron cm = τm/R). Refused, naming the fields: values that would change
 * what a synapse's weight means per neuron (R sets the PyNN weight of a
 * current synapse, w/R nA), which PyNN's connectors cannot give per target.
 */
import { isPerNeuron } from '../../core/per-neuron.ts';
import type { PyNNCell, PyNNMapping } from './kinds.ts';

/** A cell type with the PyNN parameters and initial values that differ per neuron. */
export interface PerNeuronCell {
  /** The first neuron's cell (its scalar values are the constructor's). */
  readonly cell: PyNNCell;
  /** PyNN parameter → one value per neuron (only those that differ). */
  readonly params: Readonly<Record<string, Float64Array>>;
  /** Initial value → one value per neuron (only those that differ). */
  readonly initial: Readonly<Record<string, Float64Array>>;
}

/** What must be the same for every neuron of a population: the cell type and how weights, currents and fixes apply. */
const shared = (c: PyNNCell): string => JSON.stringify([c.cellType, c.receptors, c.dcFactor, c.after ?? [], c.cellType === 'delta' ? [c.params.cm, c.params.tau_m] : []]);

/** `params` for neuron `i`: each per-neuron value replaced by that neuron's. */
const neuronParams = (params: Readonly<Record<string, unknown>>, fields: readonly string[], i: number): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...params };
  for (const k of fields) out[k] = (params[k] as { perNeuron: readonly number[] }).perNeuron[i];
  return out;
};

/**
 * The cell of a population of `size` neurons whose `params` may hold
 * per-neuron values, or a reason (naming the fields) why PyNN cannot take them.
 */
export function perNeuronCell(mapping: PyNNMapping, params: Readonly<Record<string, unknown>>, size: number, nodeId: string): PerNeuronCell | string {
  const fields = Object.keys(params).filter((k) => isPerNeuron(params[k]));
  if (!fields.length) return { cell: mapping(params, nodeId), params: {}, initial: {} };
  const cells = Array.from({ length: size }, (_, i) => mapping(neuronParams(params, fields, i), nodeId));
  const first = cells[0] ?? mapping(neuronParams(params, fields, 0), nodeId);
  const key = shared(first);
  if (cells.some((c) => shared(c) !== key)) {
    // Name the fields that alone change the shared part.
    const culprits = fields.filter((f) => {
      const alone = Array.from({ length: size }, (_, i) => shared(mapping(neuronParams(params, [f], i), nodeId)));
      return alone.some((s) => s !== alone[0]);
    });
    const named = culprits.length ? culprits : fields;
    return `${named.length > 1 ? 'fields' : 'field'} ${named.join(', ')}: per-neuron values here change the scale of the node's synaptic weights (or NEURON's stand-in synapse) neuron by neuron, which PyNN's connectors cannot give per target; give one value for the node`;
  }
  const differing = (get: (c: PyNNCell) => Readonly<Record<string, unknown>>): Record<string, Float64Array> => {
    const out: Record<string, Float64Array> = {};
    for (const k of Object.keys(get(first))) {
      const values = cells.map((c) => get(c)[k]);
      const first = JSON.stringify(values[0]);
      // Only per-neuron fields differ between neurons, and their values are numbers.
      if (values.every((x) => JSON.stringify(x) === first)) continue;
      out[k] = Float64Array.from(values, Number);
    }
    return out;
  };
  const approximations = [...new Set(cells.flatMap((c) => c.approximations))];
  return { cell: { ...first, approximations }, params: differing((c) => c.params), initial: differing((c) => c.initial) };
}
