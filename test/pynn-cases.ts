/**
 * The deterministic network the PyNN tests run: the Brian2 tests' cases
 * (test/brian2-cases.ts: a spike generator driving each neuron kind through
 * delayed exc and inh wires, plus a DC current each) in one document, with a
 * spike monitor on every population.
 */
import type { GraphDocument } from '../engine/format/document.ts';
import { newDocument } from '../engine/format/load.ts';
import { casesDocument, caseNode as node, caseProjection as wire, CASES, DT, DURATION, N } from './brian2-cases.ts';

export { CASES, DT, DURATION, N };

/** Every case as its own population, all fed by one generator, all recorded by monitor `raster`. */
export function deterministicDocument(): GraphDocument {
  return casesDocument('PyNN deterministic', { monitor: true });
}

/** The per-neuron values of {@link perNeuronDocument}'s two populations. */
const EACH: Record<string, { kind: string; params: Record<string, unknown>; weight: number; delay: number }> = {
  // Below threshold alone (R·I 6–11 mV against thresholds 12–15 mV above rest): the per-neuron values decide which inputs fire each neuron.
  cur: {
    kind: 'lif-curr-exp',
    params: { r_m_mohm: 100, i_bias_pa: [60, 80, 95, 110], v_th_mv: [-50, -51, -52, -53], tau_m_ms: [30, 25, 20, 15], v_reset_mv: [-65, -66, -64, -65], v_init_mv: [-65, -60, -55, -62] },
    weight: 20,
    delay: 1,
  },
  delta: { kind: 'lif-delta', params: { r_m_mohm: 100, i_bias_pa: [100, 120, 140, 160], v_th_mv: [15, 18.5, 20, 22], v_init_mv: [0, 5, 10, 2] }, weight: 4, delay: 1.2 },
};

/**
 * A generator (3 channels, 30 spikes) into two populations of 4 neurons with
 * per-neuron values (`cur`, `delta`), and, for each of their neurons `j`, a
 * one-neuron population `cur_j` / `delta_j` with neuron j's values as
 * constants; one monitor records every population.
 */
export function perNeuronDocument(): GraphDocument {
  const doc = newDocument('per-neuron values');
  doc.simulation = { ...doc.simulation, dt_ms: 0.1, duration_ms: 300, seed: 3 };
  type Pop = readonly [string, string, Record<string, unknown>, { weight: number; delay: number }];
  const pops: Pop[] = Object.entries(EACH).flatMap(([id, c]): Pop[] => [
    [id, c.kind, { ...c.params, size: 4 }, c],
    ...[0, 1, 2, 3].map((j): Pop => [`${id}_${j}`, c.kind, { ...Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, Array.isArray(v) ? v[j] : v])), size: 1 }, c]),
  ]);
  doc.nodes = [
    node('gen', 'spike-generator', { size: 3, neurons: Array.from({ length: 30 }, (_, k) => k % 3), times_ms: Array.from({ length: 30 }, (_, k) => 5 + 10 * k) }),
    ...pops.map(([id, kind, params]) => node(id, kind, params)),
    node('raster', 'spike-monitor', {}),
  ];
  doc.edges = pops.flatMap(([id, , , w]) => [wire(`g-${id}`, id, 'exc', w), { id: `mon-${id}`, source: { node: id, port: 'spikes' }, target: { node: 'raster', port: 'spikes' }, params: {} }]);
  return doc;
}
