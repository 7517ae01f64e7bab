/**
 * The deterministic network the PyNN tests run: the Brian2 tests' cases
 * (test/brian2-cases.ts: a spike generator driving each neuron kind through
 * delayed exc and inh wires, plus a DC current each) in one document, with a
 * spike monitor on every population.
 */
import { newDocument } from '../engine/format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../engine/format/document.ts';
import { defaultParams, getKind, PROJECTION_PARAMS } from '../engine/kinds/index.ts';
import { CASES, DT, DURATION, GEN, N } from './brian2-cases.ts';

export { CASES, DT, DURATION, N };

/** Every case as its own population, all fed by one generator, all recorded by monitor `raster`. */
export function deterministicDocument(): GraphDocument {
  const doc = newDocument('PyNN deterministic');
  doc.simulation = { ...doc.simulation, dt_ms: DT, duration_ms: DURATION, seed: 1 };
  const node = (id: string, kind: string, params: Record<string, unknown>): DocNode => ({
    id,
    kind,
    label: id,
    position: { x: 0, y: 0 },
    params: { ...defaultParams(getKind(kind)!.params), ...params },
  });
  const proj = (id: string, target: string, receptor: string, w: { weight: number; delay: number }): DocEdge => ({
    id,
    source: { node: 'gen', port: 'spikes' },
    target: { node: target, port: 'in' },
    params: { ...defaultParams(PROJECTION_PARAMS), rule: 'all-to-all', weight: w.weight, delay_ms: w.delay, receptor },
  });
  doc.nodes = [
    node('gen', 'spike-generator', { size: GEN.n, neurons: GEN.i, times_ms: GEN.t }),
    ...CASES.flatMap((c) => [node(`dc-${c.kind}`, 'dc-current', { amplitude_pa: c.dcPa }), node(c.kind, c.kind, { ...c.params, size: N })]),
    node('raster', 'spike-monitor', {}),
  ];
  doc.edges = [
    ...CASES.flatMap((c) => [
      proj(`${c.kind}-exc`, c.kind, 'exc', c.exc),
      proj(`${c.kind}-inh`, c.kind, 'inh', c.inh),
      { id: `dc-${c.kind}`, source: { node: `dc-${c.kind}`, port: 'current' }, target: { node: c.kind, port: 'current' }, params: {} },
    ]),
    ...CASES.map((c) => ({ id: `mon-${c.kind}`, source: { node: c.kind, port: 'spikes' }, target: { node: 'raster', port: 'spikes' }, params: {} })),
  ];
  return doc;
}
