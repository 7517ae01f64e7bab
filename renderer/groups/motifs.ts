/**
 * Motifs: ready-made groups in the palette's Groups section, placed like a saved group
 * (every id inside renamed to a fresh one). Each is a group definition in the document
 * format (engine/format/groups.ts); params left out take their kind's defaults when the
 * document is checked, as in a file.
 */
import type { DocEdge, DocNode } from '../../engine/format/document.ts';
import { GROUP_KIND } from '../../engine/format/groups.ts';
import type { GroupNode, GroupPort } from '../../engine/format/groups.ts';

export interface GroupDefinition {
  /** Stable key: `motif:<id>` or `library:<id>`. */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly group: GroupNode;
}

const n = (id: string, kind: string, x: number, y: number, params: Record<string, unknown> = {}, label = id): DocNode => ({ id, kind, label, position: { x, y }, params });
const w = (id: string, s: string, sp: string, t: string, tp: string, params: Record<string, unknown> = {}): DocEdge => ({
  id,
  source: { node: s, port: sp },
  target: { node: t, port: tp },
  params,
});
const port = (id: string, label: string, direction: 'in' | 'out', node: string, p: string): GroupPort => ({ id, label, direction, node, port: p });

function motif(id: string, name: string, description: string, ports: GroupPort[], nodes: DocNode[], edges: DocEdge[]): GroupDefinition {
  return {
    key: `motif:${id}`,
    name,
    description,
    group: { id, kind: GROUP_KIND, label: name, position: { x: 0, y: 0 }, params: {}, collapsed: false, ports, nodes, edges },
  };
}

const projection = (rule: string, extra: Record<string, unknown>) => ({ rule, allow_autapses: false, allow_multapses: false, delay_ms: 1.5, ...extra });

export const MOTIFS: readonly GroupDefinition[] = [
  motif(
    'ei',
    'Balanced E/I network',
    'Brunel-style sparse network at a tenth of the size: 800 excitatory and 200 inhibitory LIF (delta synapses), each driven by 1000 external Poisson inputs at 20 Hz (twice the threshold rate), fixed in-degree 10 %, inhibition 5× excitation (g = 5); the recurrent weights are scaled up with the smaller in-degree so each neuron gets Brunel\u2019s recurrent input (J·C_E = 100 mV), and inhibition balances excitation.',
    [port('input', 'input', 'in', 'exc', 'in'), port('exc', 'exc', 'out', 'exc', 'spikes'), port('inh', 'inh', 'out', 'inh', 'spikes')],
    [
      n('ext', 'poisson-drive', 0, 80, { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'exc' }, 'Background'),
      n('exc', 'lif-delta', 280, 0, { size: 800, t_ref_ms: 2, v_init_mv: { dist: 'uniform', low: 0, high: 20 } }, 'Excitatory'),
      n('inh', 'lif-delta', 280, 200, { size: 200, t_ref_ms: 2, v_init_mv: { dist: 'uniform', low: 0, high: 20 } }, 'Inhibitory'),
    ],
    [
      w('d_exc', 'ext', 'drive', 'exc', 'current'),
      w('d_inh', 'ext', 'drive', 'inh', 'current'),
      w('e_ee', 'exc', 'spikes', 'exc', 'in', projection('fixed-in-degree', { n: 80, weight: 1.25, receptor: 'exc' })),
      w('e_ei', 'exc', 'spikes', 'inh', 'in', projection('fixed-in-degree', { n: 80, weight: 1.25, receptor: 'exc' })),
      w('e_ie', 'inh', 'spikes', 'exc', 'in', projection('fixed-in-degree', { n: 20, weight: 6.25, receptor: 'inh' })),
      w('e_ii', 'inh', 'spikes', 'inh', 'in', projection('fixed-in-degree', { n: 20, weight: 6.25, receptor: 'inh' })),
    ],
  ),
  motif(
    'wta',
    'Winner-take-all',
    'Ten excitatory LIF neurons share a pool of four inhibitory ones: every spike of the layer excites the pool, and the pool inhibits the whole layer, so the most strongly driven neurons silence the rest.',
    [port('input', 'input', 'in', 'exc', 'in'), port('winners', 'winners', 'out', 'exc', 'spikes')],
    [n('exc', 'lif-curr-exp', 280, 0, { size: 10 }, 'Competitors'), n('inh', 'lif-curr-exp', 280, 200, { size: 4 }, 'Inhibitory pool')],
    [
      w('to_pool', 'exc', 'spikes', 'inh', 'in', projection('all-to-all', { weight: 8, delay_ms: 0.5, receptor: 'exc' })),
      w('from_pool', 'inh', 'spikes', 'exc', 'in', projection('all-to-all', { weight: 12, delay_ms: 0.5, receptor: 'inh' })),
    ],
  ),
  motif(
    'encoders',
    'Encoder bank',
    'The bundled 8×8 digits in three codes side by side: Poisson rates, time to first spike, and Gaussian receptive fields, each with its own spike output, and the labels for a readout.',
    [
      port('rate', 'rate', 'out', 'rate', 'spikes'),
      port('latency', 'latency', 'out', 'latency', 'spikes'),
      port('gaussian', 'gaussian', 'out', 'gauss', 'spikes'),
      port('label', 'label', 'out', 'rate', 'label'),
    ],
    [n('rate', 'rate-encoder', 0, 0, {}, 'Rate code'), n('latency', 'latency-encoder', 0, 180, {}, 'Latency code'), n('gauss', 'gaussian-encoder', 0, 360, {}, 'Gaussian fields')],
    [],
  ),
  motif(
    'diehl-cook',
    'Diehl & Cook layer',
    'One unsupervised layer after Diehl & Cook (2015): input → STDP (weights normalised per neuron) → 100 LIF neurons with an adaptive threshold, and lateral inhibition among them. Wire an encoder into "input"; "weights" goes to a weight monitor.',
    [port('input', 'input', 'in', 'stdp', 'pre'), port('exc', 'exc', 'out', 'exc', 'spikes'), port('weights', 'weights', 'out', 'stdp', 'post')],
    [
      n(
        'stdp',
        'stdp',
        0,
        0,
        {
          rule: 'all-to-all',
          weight: { dist: 'uniform', low: 0, high: 0.9 },
          delay_ms: 0,
          receptor: 'exc',
          w_max: 3,
          tau_pre_ms: 20,
          tau_post_ms: 20,
          a_pre: 0.03,
          a_post: -0.01,
          normalise: true,
          norm_total: 80,
          norm_interval_ms: 250,
        },
        'STDP',
      ),
      n(
        'exc',
        'lif-adaptive-threshold',
        280,
        0,
        {
          size: 100,
          tau_m_ms: 20,
          v_rest_mv: -65,
          v_reset_mv: -65,
          v_th_mv: -52,
          t_ref_ms: 5,
          tau_syn_exc_ms: 5,
          tau_syn_inh_ms: 10,
          theta_plus_mv: 0.2,
          v_init_mv: -65,
        },
        'Excitatory',
      ),
    ],
    [w('learn', 'stdp', 'post', 'exc', 'in'), w('lateral', 'exc', 'spikes', 'exc', 'in', projection('all-to-all', { weight: 20, delay_ms: 0, receptor: 'inh' }))],
  ),
];
