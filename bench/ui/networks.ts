/** The documents the UI benchmark runs, as JSON text (loaded through the app's Open). */

/** A document as JSON text: loaded through the app's own Open. */
function doc(name: string, durationMs: number, nodes: object[], edges: object[]): string {
  return JSON.stringify({ format: 'spikeflow-graph', version: 1, meta: { name }, simulation: { dt_ms: 0.1, duration_ms: durationMs, seed: 1 }, nodes, edges });
}
const node = (id: string, kind: string, x: number, params: object = {}) => ({ id, kind, label: id, position: { x, y: 0 }, params });
const wire = (id: string, from: string, fromPort: string, to: string, toPort: string, params: object = {}) => ({
  id,
  source: { node: from, port: fromPort },
  target: { node: to, port: toPort },
  params,
});

/** 10,000 Poisson neurons at 100 Hz for 1 s: about a million spikes. */
export const MILLION = doc(
  'ui-bench raster',
  1000,
  [node('src', 'poisson-source', 0, { size: 10_000, rate_hz: 100 }), node('raster', 'spike-monitor', 300)],
  [wire('m', 'src', 'spikes', 'raster', 'spikes')],
);

/** The size of a Brunel-style network for {@link brunelScaled}. */
export interface BrunelSize {
  /** Neurons in all; 80 % excitatory, 20 % inhibitory. */
  readonly neurons: number;
  /** Excitatory sources per neuron (Brunel: 1000); the inhibitory in-degree is a quarter of it. */
  readonly inDegree: number;
}

/** Issue 13's case: 100,000 neurons, 1000 + 250 sources each, 125 M synapses. */
export const ISSUE_13: BrunelSize = { neurons: 100_000, inDegree: 1000 };

/** Synapses of a {@link brunelScaled} network. */
export const synapsesOf = (s: BrunelSize): number => s.neurons * (s.inDegree + s.inDegree / 4);

/**
 * Brunel's network (examples/brunel.spikeflow.json: lif-delta, J = 0.1 mV, g = 5,
 * delay 1.5 ms, fixed in-degree, 1000 external Poisson inputs per neuron) scaled to
 * `size.neurons` with the in-degree `size.inDegree` + a quarter of it, as a new user
 * would scale it in the app; one spike monitor on both populations. At Brunel's
 * external 20 Hz it fires at about 38 Hz, as the example does.
 */
export function brunelScaled(size: BrunelSize, durationMs: number, extHz = 20): string {
  const nExc = Math.round(size.neurons * 0.8);
  const nInh = size.neurons - nExc;
  const lif = { tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2, r_m_mohm: 100, v_init_mv: { dist: 'uniform', low: 0, high: 20 } };
  const proj = (n: number, weight: number, receptor: 'exc' | 'inh') => ({ rule: 'fixed-in-degree', n, allow_autapses: true, allow_multapses: false, weight, delay_ms: 1.5, receptor });
  const cE = size.inDegree;
  const cI = Math.round(size.inDegree / 4);
  return doc(
    `ui-bench Brunel ${size.neurons}`,
    durationMs,
    [
      node('ext', 'poisson-drive', 0, { count: 1000, rate_hz: extHz, weight: 0.1, receptor: 'exc' }),
      node('exc', 'lif-delta', 300, { size: nExc, ...lif }),
      node('inh', 'lif-delta', 300, { size: nInh, ...lif }),
      node('raster', 'spike-monitor', 600),
    ],
    [
      wire('d_exc', 'ext', 'drive', 'exc', 'current'),
      wire('d_inh', 'ext', 'drive', 'inh', 'current'),
      wire('e_ee', 'exc', 'spikes', 'exc', 'in', proj(cE, 0.1, 'exc')),
      wire('e_ei', 'exc', 'spikes', 'inh', 'in', proj(cE, 0.1, 'exc')),
      wire('e_ie', 'inh', 'spikes', 'exc', 'in', proj(cI, 0.5, 'inh')),
      wire('e_ii', 'inh', 'spikes', 'inh', 'in', proj(cI, 0.5, 'inh')),
      wire('m_exc', 'exc', 'spikes', 'raster', 'spikes'),
      wire('m_inh', 'inh', 'spikes', 'raster', 'spikes'),
    ],
  );
}
