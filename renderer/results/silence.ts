/**
 * Why a monitored population stayed silent, from the run and the graph: no input wired,
 * silent inputs, or — for neurons whose synaptic weights are voltages (mV) — a mean
 * input below the distance from rest to threshold. The mean input is the textbook
 * estimate: each input spike adds a current of w mV that decays with τ_syn (delta
 * synapses: a jump of w that decays with τ_m), so the mean depolarisation is
 * Σ (±) rate × fan-in × w × τ over the projections in.
 */
import type { DocNode, GraphDocument } from '../../engine/format/document.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import { getKind } from '../../engine/kinds/index.ts';
import { distCentre, displayNumber } from '../inspector/param-text.ts';

export interface Silence {
  readonly nodeId: string;
  readonly label: string;
  readonly reason: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Expected synapses onto one target neuron for a projection's rule. */
export function expectedFanIn(params: Readonly<Record<string, unknown>>, sourceSize: number, targetSize: number): number | null {
  const n = num(params.n);
  switch (params.rule) {
    case 'all-to-all':
      return sourceSize;
    case 'one-to-one':
      return 1;
    case 'bernoulli':
      return (num(params.p) ?? 0) * sourceSize;
    case 'fixed-in-degree':
      return n;
    case 'fixed-out-degree':
      return n === null || targetSize <= 0 ? null : (n * sourceSize) / targetSize;
    case 'fixed-total':
      return n === null || targetSize <= 0 ? null : n / targetSize;
    default:
      return null;
  }
}

function sizeOf(node: DocNode): number {
  return getKind(node.kind)?.size?.(node.params as never) ?? num(node.params.size) ?? 0;
}

function fmt(mv: number): string {
  return displayNumber(Math.round(mv * 10) / 10);
}

/** The reason one population fired nothing in a run with these statistics. */
export function silenceReason(doc: GraphDocument, stats: RunStats, popId: string): string {
  const pop = doc.nodes.find((n) => n.id === popId);
  const kind = pop && getKind(pop.kind);
  if (!pop || !kind) return 'It is no longer in the graph.';
  const rateOf = (id: string) => stats.populations.find((p) => p.nodeId === id)?.rate_hz ?? null;
  const inputs = doc.edges.filter((e) => e.target.node === popId && kind.inputs.some((p) => p.id === e.target.port));
  if (inputs.length === 0) return 'Nothing drives it: wire a source or a population into its synapse input.';
  // Projections in, each with its source population and the params that hold it.
  let meanMv = 0;
  let estimable = true;
  let anyInputSpikes = false;
  for (const e of inputs) {
    const port = kind.inputs.find((p) => p.id === e.target.port)!;
    let src = doc.nodes.find((n) => n.id === e.source.node);
    let params = e.params;
    if (src && getKind(src.kind)?.runtime.role === 'plasticity') {
      params = src.params;
      const pre = doc.edges.find((x) => x.target.node === src!.id);
      src = pre ? doc.nodes.find((n) => n.id === pre.source.node) : undefined;
    }
    if (!src) continue;
    const rate = rateOf(src.id);
    if (rate !== null && rate > 0) anyInputSpikes = true;
    if (rate === null) anyInputSpikes = true;
    if (port.role !== 'projection' || port.weightUnit !== 'mV' || rate === null) {
      estimable = false;
      continue;
    }
    const fanIn = expectedFanIn(params, sizeOf(src), sizeOf(pop));
    const inh = params.receptor === 'inh';
    const tau = num(pop.params[inh ? 'tau_syn_inh_ms' : 'tau_syn_exc_ms']) ?? num(pop.params[inh ? 'tau_inh_ms' : 'tau_exc_ms']) ?? num(pop.params.tau_m_ms);
    if (fanIn === null || tau === null) {
      estimable = false;
      continue;
    }
    meanMv += (inh ? -1 : 1) * rate * fanIn * distCentre(params.weight) * (tau / 1000);
  }
  if (!anyInputSpikes) return 'Its inputs fired no spikes either: make them fire first.';
  const rest = num(pop.params.v_rest_mv) ?? num(pop.params.e_l_mv);
  const th = num(pop.params.v_th_mv);
  if (estimable && rest !== null && th !== null) {
    const gap = th - rest;
    if (meanMv < gap) {
      return `Its mean synaptic input is about ${fmt(meanMv)} mV, short of the ${fmt(gap)} mV from rest (${fmt(rest)} mV) to threshold (${fmt(th)} mV): raise the weight, the input rate or the number of inputs.`;
    }
    return `Its mean synaptic input (about ${fmt(meanMv)} mV) reaches threshold, yet it did not fire: check the refractory period, the time step and the run length.`;
  }
  return 'Its input was too weak to bring it to threshold: raise the weight, the input rate or the number of inputs.';
}

/** The populations observed by `monitorId` that fired nothing, each with its likely reason. */
export function silentPopulations(doc: GraphDocument, stats: RunStats, monitorId: string): Silence[] {
  const out: Silence[] = [];
  for (const e of doc.edges) {
    if (e.target.node !== monitorId) continue;
    const p = stats.populations.find((x) => x.nodeId === e.source.node);
    const node = doc.nodes.find((n) => n.id === e.source.node);
    if (!p || !node || p.spikes > 0 || out.some((s) => s.nodeId === node.id)) continue;
    // A non-spiking readout (leaky integrator) is silent by design.
    if (getKind(node.kind)?.spiking === false) continue;
    out.push({ nodeId: node.id, label: node.label || node.id, reason: silenceReason(doc, stats, node.id) });
  }
  return out;
}
