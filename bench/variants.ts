/**
 * Documents the bench derives from the examples (pure: documents in, documents out).
 *
 * - `withoutMonitors`: the same network with every monitor and its wires
 *   removed (streaming cost: monitors on vs off).
 * - `withoutProjections`: the same populations, drives and monitors, zero
 *   synapses (memory attributable to synapses = built minus this).
 * - `brunelScaleDocument`: a Brunel-style network of any size with a fixed
 *   in-degree (the 1 M neuron / 100 M synapse case, `SCALE_SPEC`, and the
 *   10 M / 10⁹ one, `SCALE_10M_SPEC`).
 */
import type { DocEdge, DocNode, GraphDocument } from '../engine/format/document.ts';
import { edgeRole } from '../engine/format/connect.ts';
import { newDocument } from '../engine/format/load.ts';
import { getKind } from '../engine/kinds/index.ts';

function isMonitor(node: DocNode): boolean {
  return getKind(node.kind)?.runtime.role === 'monitor';
}

/** A copy without monitor nodes and the wires into them. */
export function withoutMonitors(doc: GraphDocument): GraphDocument {
  const gone = new Set(doc.nodes.filter(isMonitor).map((n) => n.id));
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !gone.has(e.source.node) && !gone.has(e.target.node)),
  };
}

/** A copy without projection wires (every synapse gone; drives, injections and monitors kept). */
export function withoutProjections(doc: GraphDocument): GraphDocument {
  return { ...doc, edges: doc.edges.filter((e) => edgeRole(doc, e) !== 'projection') };
}

/** Ids of the projection wires of a document (what `withoutProjections` removes). */
export function projectionEdgeIds(doc: GraphDocument): string[] {
  return doc.edges.filter((e) => edgeRole(doc, e) === 'projection').map((e) => e.id);
}

export interface BrunelScaleSpec {
  readonly excitatory: number;
  readonly inhibitory: number;
  /** Fixed in-degree from the excitatory population (Brunel's C_E). */
  readonly inDegreeExc: number;
  /** Fixed in-degree from the inhibitory population (C_I). */
  readonly inDegreeInh: number;
  readonly durationMs: number;
  readonly seed: number;
  /** Add a spike monitor on both populations (default: none). */
  readonly monitor?: boolean;
}

/** The bench's scale case: 800 k E + 200 k I, C_E = 80, C_I = 20 → 10⁶ neurons, 10⁸ synapses. */
export const SCALE_SPEC: BrunelScaleSpec = {
  excitatory: 800_000,
  inhibitory: 200_000,
  inDegreeExc: 80,
  inDegreeInh: 20,
  durationMs: 1000,
  seed: 1,
};

/**
 * The big scale case: 8 M E + 2 M I, C_E = 80, C_I = 20 → 10⁷ neurons, 10⁹ synapses,
 * 100 ms (issue 13: it must build and run within this machine's 24 GB).
 */
export const SCALE_10M_SPEC: BrunelScaleSpec = {
  excitatory: 8_000_000,
  inhibitory: 2_000_000,
  inDegreeExc: 80,
  inDegreeInh: 20,
  durationMs: 100,
  seed: 1,
};

/**
 * A Brunel (2000) model-A network (g = 5, η = 2, D = 1.5 ms) of any size.
 *
 * With a smaller in-degree than Brunel's C_E = 1000, J is scaled by 1000/C_E and
 * the external drive uses C_E inputs, so each neuron's mean input (J·C_E) and the
 * threshold rate ν_thr = θ/(J·C_E·τ) stay Brunel's; only the fluctuations grow.
 */
export function brunelScaleDocument(spec: BrunelScaleSpec): GraphDocument {
  const doc = newDocument(`Brunel-style scale case (${spec.excitatory + spec.inhibitory} neurons)`, {
    clock: () => new Date('2026-01-01T00:00:00.000Z'),
  });
  const jMv = (0.1 * 1000) / spec.inDegreeExc;
  const g = 5;
  doc.simulation = { ...doc.simulation, dt_ms: 0.1, duration_ms: spec.durationMs, seed: spec.seed };
  const lif = (id: string, label: string, size: number, x: number): DocNode => ({
    id,
    kind: 'lif-delta',
    label,
    position: { x, y: 200 },
    params: {
      size,
      tau_m_ms: 20,
      v_rest_mv: 0,
      v_reset_mv: 10,
      v_th_mv: 20,
      t_ref_ms: 2,
      r_m_mohm: 100,
      v_init_mv: { dist: 'uniform', low: 0, high: 20 },
    },
  });
  doc.nodes = [
    { id: 'ext', kind: 'poisson-drive', label: 'External drive', position: { x: 60, y: 200 }, params: { count: spec.inDegreeExc, rate_hz: 20, weight: jMv, receptor: 'exc' } },
    lif('exc', 'Excitatory', spec.excitatory, 300),
    lif('inh', 'Inhibitory', spec.inhibitory, 540),
  ];
  const wire = (id: string, source: string, target: string, n: number, weight: number, receptor: string): DocEdge => ({
    id,
    source: { node: source, port: 'spikes' },
    target: { node: target, port: 'in' },
    params: { rule: 'fixed-in-degree', n, allow_autapses: true, allow_multapses: false, weight, delay_ms: 1.5, receptor },
  });
  doc.edges = [
    { id: 'd_exc', source: { node: 'ext', port: 'drive' }, target: { node: 'exc', port: 'current' }, params: {} },
    { id: 'd_inh', source: { node: 'ext', port: 'drive' }, target: { node: 'inh', port: 'current' }, params: {} },
    wire('e_ee', 'exc', 'exc', spec.inDegreeExc, jMv, 'exc'),
    wire('e_ei', 'exc', 'inh', spec.inDegreeExc, jMv, 'exc'),
    wire('e_ie', 'inh', 'exc', spec.inDegreeInh, g * jMv, 'inh'),
    wire('e_ii', 'inh', 'inh', spec.inDegreeInh, g * jMv, 'inh'),
  ];
  if (spec.monitor) {
    doc.nodes.push({ id: 'raster', kind: 'spike-monitor', label: 'Spikes', position: { x: 780, y: 200 }, params: {} });
    doc.edges.push(
      { id: 'm_exc', source: { node: 'exc', port: 'spikes' }, target: { node: 'raster', port: 'spikes' }, params: {} },
      { id: 'm_inh', source: { node: 'inh', port: 'spikes' }, target: { node: 'raster', port: 'spikes' }, params: {} },
    );
  }
  return doc;
}
