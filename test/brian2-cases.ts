/**
 * The deterministic networks the Brian2 tests share: spike generators driving
 * each neuron kind through delayed exc and inh wires, plus a DC current.
 * Their Brian2 equations come from the exporter's mapping (engine/interop/brian2/kinds.ts):
 * test/brian2-spikes.test.ts runs them through bench/peers/brian2_spikes.py, and
 * test/brian2-export.test.ts runs the whole exported script.
 */
import { newDocument } from '../engine/format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../engine/format/document.ts';
import { defaultParams, getKind, PROJECTION_PARAMS } from '../engine/kinds/index.ts';
export const DT = 0.1;
export const DURATION = 300;
export const N = 4;
/** Generator spikes: (channel, ms) — multiples of dt. */
export const GEN = { n: 3, i: [0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 1, 0, 2, 0, 1], t: [5, 12, 20, 31.5, 40, 55.3, 70, 70.5, 90, 120, 150.2, 181, 200, 230.7, 260] };

export interface Case {
  kind: string;
  params: Record<string, unknown>;
  /** Weights of the exc and inh wires, delays in ms. */
  exc: { weight: number; delay: number };
  inh: { weight: number; delay: number };
  dcPa: number;
}

export const CASES: Case[] = [
  {
    kind: 'lif-curr-exp',
    params: { tau_m_ms: 20, v_rest_mv: -65, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, r_m_mohm: 100, v_init_mv: -60 },
    exc: { weight: 25, delay: 1.5 },
    inh: { weight: 6, delay: 0.7 },
    dcPa: 140,
  },
  {
    kind: 'lif-cond-exp',
    params: {
      tau_m_ms: 20,
      e_l_mv: -60,
      v_reset_mv: -60,
      v_th_mv: -50,
      t_ref_ms: 5,
      e_exc_mv: 0,
      e_inh_mv: -80,
      tau_syn_exc_ms: 5,
      tau_syn_inh_ms: 10,
      r_m_mohm: 100,
      v_init_mv: -58,
      g_exc_init: 0,
      g_inh_init: 0,
    },
    exc: { weight: 3, delay: 2 },
    inh: { weight: 1, delay: 0 },
    dcPa: 85,
  },
  {
    kind: 'lif-delta',
    params: { tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2, r_m_mohm: 100, v_init_mv: 5 },
    exc: { weight: 9, delay: 1.5 },
    inh: { weight: 3, delay: 0.4 },
    dcPa: 150,
  },
  {
    kind: 'izhikevich',
    params: { a: 0.02, b: 0.2, c_mv: -65, d: 8, v_peak_mv: 30, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, v_init_mv: -65 },
    exc: { weight: 40, delay: 1 },
    inh: { weight: 20, delay: 3 },
    dcPa: 4,
  },
  {
    kind: 'adex',
    params: {
      c_pf: 200,
      g_l_ns: 10,
      e_l_mv: -70,
      v_t_mv: -50,
      delta_t_mv: 2,
      a_ns: 2,
      tau_w_ms: 30,
      b_pa: 60,
      v_reset_mv: -58,
      v_peak_mv: 0,
      t_ref_ms: 0,
      tau_syn_exc_ms: 5,
      tau_syn_inh_ms: 10,
      v_init_mv: -70,
      w_init_pa: 0,
    },
    exc: { weight: 900, delay: 0.5 },
    inh: { weight: 300, delay: 2.5 },
    dcPa: 150,
  },
];

/** A node of the comparison networks: `kind`'s defaults with `params` over them. */
export const caseNode = (id: string, kind: string, params: Record<string, unknown>): DocNode => ({
  id,
  kind,
  label: id,
  position: { x: 0, y: 0 },
  params: { ...defaultParams(getKind(kind)!.params), ...params },
});

/** An all-to-all wire from the generator `gen` into `target`'s receptor. */
export const caseProjection = (id: string, target: string, receptor: string, w: { weight: number; delay: number }): DocEdge => ({
  id,
  source: { node: 'gen', port: 'spikes' },
  target: { node: target, port: 'in' },
  params: { ...defaultParams(PROJECTION_PARAMS), rule: 'all-to-all', weight: w.weight, delay_ms: w.delay, receptor },
});

/**
 * Every case as its own population in one document, all fed by one generator
 * (each with its DC current); with `monitor`, a spike monitor `raster` records
 * every population. The Brian2 and PyNN tests run this same network.
 */
export function casesDocument(name: string, options: { monitor?: boolean } = {}): GraphDocument {
  const doc = newDocument(name);
  doc.simulation = { ...doc.simulation, dt_ms: DT, duration_ms: DURATION, seed: 1 };
  const node = caseNode;
  const proj = caseProjection;
  doc.nodes = [
    node('gen', 'spike-generator', { size: GEN.n, neurons: GEN.i, times_ms: GEN.t }),
    ...CASES.flatMap((c) => [node(`dc-${c.kind}`, 'dc-current', { amplitude_pa: c.dcPa }), node(c.kind, c.kind, { ...c.params, size: N })]),
    ...(options.monitor ? [node('raster', 'spike-monitor', {})] : []),
  ];
  doc.edges = [
    ...CASES.flatMap((c) => [
      proj(`${c.kind}-exc`, c.kind, 'exc', c.exc),
      proj(`${c.kind}-inh`, c.kind, 'inh', c.inh),
      { id: `dc-${c.kind}`, source: { node: `dc-${c.kind}`, port: 'current' }, target: { node: c.kind, port: 'current' }, params: {} },
    ]),
    ...(options.monitor ? CASES.map((c) => ({ id: `mon-${c.kind}`, source: { node: c.kind, port: 'spikes' }, target: { node: 'raster', port: 'spikes' }, params: {} })) : []),
  ];
  return doc;
}
