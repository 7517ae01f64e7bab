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

/**
 * Brunel's network at 100,000 neurons (80,000 exc + 20,000 inh, lif-delta), with an
 * in-degree of 200 + 50 so it builds in the browser (25 M synapses), driven by
 * Brunel's external Poisson input at 9 Hz per input (the network then fires at
 * about 12 Hz, a cortical rate; at Brunel's 20 Hz it fires at ~140 Hz); one spike
 * monitor on both populations.
 */
export function brunel100k(durationMs: number, extHz = 9): string {
  const lif = { tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 2, r_m_mohm: 100, v_init_mv: { dist: 'uniform', low: 0, high: 20 } };
  const proj = (w: number) => ({ rule: 'fixed-in-degree', p: 0.0025, weight: w, delay_ms: 1.5 });
  return doc(
    'ui-bench 100k',
    durationMs,
    [
      node('ext', 'poisson-drive', 0, { count: 1000, rate_hz: extHz, weight: 0.1, receptor: 'exc' }),
      node('exc', 'lif-delta', 300, { size: 80_000, ...lif }),
      node('inh', 'lif-delta', 300, { size: 20_000, ...lif }),
      node('raster', 'spike-monitor', 600),
    ],
    [
      wire('d_exc', 'ext', 'drive', 'exc', 'current'),
      wire('d_inh', 'ext', 'drive', 'inh', 'current'),
      wire('e_ee', 'exc', 'spikes', 'exc', 'in', proj(0.1)),
      wire('e_ei', 'exc', 'spikes', 'inh', 'in', proj(0.1)),
      wire('e_ie', 'inh', 'spikes', 'exc', 'in', proj(0.5)),
      wire('e_ii', 'inh', 'spikes', 'inh', 'in', proj(0.5)),
      wire('m_exc', 'exc', 'spikes', 'raster', 'spikes'),
      wire('m_inh', 'inh', 'spikes', 'raster', 'spikes'),
    ],
  );
}
