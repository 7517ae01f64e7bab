/**
 * Spikeflow documents in the subset that maps to NIR both ways, for the export tests
 * (engine/interop/nir/from-document.test.ts, test/nir-simulation.test.ts, test/nir-reference.test.ts).
 */
import { newDocument } from '../../engine/format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../../engine/format/document.ts';
import { defaultParams, getKind, PROJECTION_PARAMS } from '../../engine/kinds/index.ts';

export function docNode(id: string, kind: string, params: Record<string, unknown>): DocNode {
  const spec = getKind(kind);
  if (!spec) throw new Error(`no kind ${kind}`);
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(spec.params), ...params } };
}

export function projection(id: string, source: string, target: string, params: Record<string, unknown>): DocEdge {
  return { id, source: { node: source, port: 'spikes' }, target: { node: target, port: 'in' }, params: { ...defaultParams(PROJECTION_PARAMS), ...params } };
}

/**
 * A generator of 3 channels → all-to-all (exc) → lif-delta → one-to-one (inh, 1.5 ms) →
 * lif-curr-exp, watched by a spike monitor; no refractory periods, v starting at 0.
 */
export function exportableDocument(): GraphDocument {
  const doc = newDocument('exportable', { clock: () => new Date('2026-01-01T00:00:00Z') });
  doc.simulation = { ...doc.simulation, dt_ms: 0.1, duration_ms: 300, seed: 1 };
  // Each channel fires every 4.1, 4.7 and 5.3 ms from 5 ms on, in order of time.
  const spikes = [4.1, 4.7, 5.3].flatMap((period, ch) => Array.from({ length: Math.floor(290 / period) }, (_, k) => [ch, Number((5 + k * period).toFixed(1))]));
  spikes.sort((x, y) => x[1] - y[1] || x[0] - y[0]);
  const gen = { neurons: spikes.map(([ch]) => ch), times_ms: spikes.map(([, t]) => t) };
  doc.nodes = [
    docNode('gen', 'spike-generator', { size: 3, ...gen }),
    docNode('a', 'lif-delta', { size: 3, tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 0, v_th_mv: 1, t_ref_ms: 0, v_init_mv: 0 }),
    docNode('b', 'lif-curr-exp', { size: 3, tau_m_ms: 10, v_rest_mv: 0.2, v_reset_mv: 0, v_th_mv: 1, t_ref_ms: 0, tau_syn_exc_ms: 5, tau_syn_inh_ms: 5, v_init_mv: 0 }),
    docNode('mon', 'spike-monitor', {}),
  ];
  doc.edges = [
    projection('g_a', 'gen', 'a', { rule: 'all-to-all', weight: 0.45, delay_ms: 0, receptor: 'exc' }),
    projection('a_b', 'a', 'b', { rule: 'one-to-one', weight: 3, delay_ms: 1.5, receptor: 'exc' }),
    projection('b_a', 'b', 'a', { rule: 'one-to-one', weight: 0.2, delay_ms: 0, receptor: 'inh' }),
    { id: 'watch', source: { node: 'b', port: 'spikes' }, target: { node: 'mon', port: 'spikes' }, params: {} },
  ];
  return doc;
}

/** {@link exportableDocument} with drawn wires: g_a bernoulli p = 0.6 with uniform weights, a_b with a uniform delay (engine/hosts/drawn-synapses.ts). */
export function drawnDocument(): GraphDocument {
  const doc = exportableDocument();
  doc.edges = doc.edges.map((e) => {
    if (e.id === 'g_a') return projection('g_a', 'gen', 'a', { rule: 'bernoulli', p: 0.6, weight: { dist: 'uniform', low: 0.3, high: 0.9 }, delay_ms: 0, receptor: 'exc' });
    if (e.id === 'a_b') return projection('a_b', 'a', 'b', { rule: 'one-to-one', weight: 3, delay_ms: { dist: 'uniform', low: 1, high: 2 }, receptor: 'exc' });
    return e;
  });
  return doc;
}
