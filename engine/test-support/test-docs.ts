/**
 * Small training documents for the learn/ and protocol tests: a dataset
 * encoder → hidden LIF (exc + inh) → readout LIF (exc + inh) with a trainer.
 */
import { defaultParams, getKind, PROJECTION_PARAMS } from '../kinds/index.ts';
import { newDocument } from '../format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../format/document.ts';
import { compileDocument } from '../compile/compile.ts';
import type { NetworkPlan } from '../core/plan.ts';

/** A document node of `kind` at its defaults, with `params` over them. */
export function node(id: string, kind: string, params: Record<string, unknown>): DocNode {
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function wire(id: string, s: string, t: string, params?: Record<string, unknown>, tp = 'in'): DocEdge {
  return { id, source: { node: s, port: 'spikes' }, target: { node: t, port: tp }, params: params ?? {} };
}

export interface SmallTrainingOptions {
  samples?: number;
  hidden?: number;
  epochs?: number;
  seed?: number;
  presentationMs?: number;
  /** The encoder's rest between samples (default 30 ms). */
  restMs?: number;
  recurrent?: boolean;
  trainer?: Record<string, unknown>;
  /** The trained neuron kind of both layers (default lif-curr-exp; alif, lif-delta). */
  neuronKind?: 'lif-curr-exp' | 'alif' | 'lif-delta';
  /** A second hidden layer of this size between the first and the readout. */
  hidden2?: number;
}

const LIF = { tau_m_ms: 10, v_rest_mv: -65, v_reset_mv: -65, v_th_mv: -50, t_ref_ms: 0, tau_syn_exc_ms: 5, tau_syn_inh_ms: 5, v_init_mv: -65 };

export function smallTrainingDocument(o: SmallTrainingOptions = {}): GraphDocument {
  const doc = newDocument('small training', { clock: () => new Date(0) });
  doc.simulation = { ...doc.simulation, dt_ms: 1, duration_ms: 100, seed: 1 };
  const kind = o.neuronKind ?? 'lif-curr-exp';
  // Delta synapses jump V by the weight at once: a third of the current-based weights gives a similar drive.
  const k = kind === 'lif-delta' ? 0.35 : 1;
  const lif = kind === 'lif-delta' ? { tau_m_ms: 10, v_rest_mv: -65, v_reset_mv: -65, v_th_mv: -50, t_ref_ms: 0, v_init_mv: -65 } : kind === 'alif' ? { ...LIF, tau_w_ms: 20, b_mv: 1 } : LIF;
  const w = (receptor: string, high: number) => ({ ...defaultParams(PROJECTION_PARAMS), rule: 'all-to-all', weight: { dist: 'uniform', low: 0, high: high * k }, receptor });
  doc.nodes = [
    node('enc', 'rate-encoder', { input: 'digits', presentation_ms: o.presentationMs ?? 12, rest_ms: o.restMs ?? 30, sample_count: o.samples ?? 300, max_rate_hz: 500, mode: 'regular' }),
    node('hid', kind, { size: o.hidden ?? 32, ...lif }),
    node('out', kind, { size: 10, ...lif }),
    node('trainer', 'sg-trainer', { epochs: o.epochs ?? 3, batch_size: 16, learning_rate: 0.05, seed: o.seed ?? 1, ...o.trainer }),
  ];
  doc.edges = [
    wire('in-exc', 'enc', 'hid', w('exc', 6)),
    wire('in-inh', 'enc', 'hid', w('inh', 4)),
    wire('hid-exc', 'hid', 'out', w('exc', 16)),
    wire('hid-inh', 'hid', 'out', w('inh', 12)),
    wire('t', 'out', 'trainer', undefined, 'readout'),
  ];
  if (o.recurrent) doc.edges.push(wire('rec', 'hid', 'hid', { ...w('inh', 2), delay_ms: 1 }));
  if (o.hidden2) {
    doc.nodes.splice(2, 0, node('hid2', kind, { size: o.hidden2, ...lif }));
    doc.edges = doc.edges.filter((e) => e.id !== 'hid-exc' && e.id !== 'hid-inh');
    doc.edges.push(
      wire('h2-exc', 'hid', 'hid2', w('exc', 20)),
      wire('h2-inh', 'hid', 'hid2', w('inh', 10)),
      wire('hid-exc', 'hid2', 'out', w('exc', 24)),
      wire('hid-inh', 'hid2', 'out', w('inh', 12)),
    );
  }
  return doc;
}

export function smallTrainingPlan(o: SmallTrainingOptions = {}): NetworkPlan {
  const c = compileDocument(smallTrainingDocument(o));
  if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('\n'));
  return c.plan;
}
