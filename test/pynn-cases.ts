/**
 * The deterministic network the PyNN tests run: the Brian2 tests' cases
 * (test/brian2-cases.ts: a spike generator driving each neuron kind through
 * delayed exc and inh wires, plus a DC current each) in one document, with a
 * spike monitor on every population.
 */
import type { GraphDocument } from '../engine/format/document.ts';
import { casesDocument, CASES, DT, DURATION, N } from './brian2-cases.ts';

export { CASES, DT, DURATION, N };

/** Every case as its own population, all fed by one generator, all recorded by monitor `raster`. */
export function deterministicDocument(): GraphDocument {
  return casesDocument('PyNN deterministic', { monitor: true });
}
