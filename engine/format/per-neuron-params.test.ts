/** Per-neuron parameter values in the document (issue 14): lists of one value per neuron where a kind allows them. */
import { describe, it, expect } from 'vitest';
import { loadDocument } from './load.ts';
import { checkDocument } from './validate.ts';
import { serializeDocument } from './serialize.ts';
import { compileDocument } from '../compile/compile.ts';
import type { GraphDocument } from './document.ts';

function doc(params: Record<string, unknown>, kind = 'lif-delta'): GraphDocument {
  const r = loadDocument(
    JSON.stringify({ format: 'spikeflow-graph', version: 2, simulation: { dt_ms: 0.1, duration_ms: 5, seed: 1 }, nodes: [{ id: 'pop', kind, params: { size: 3, ...params } }], edges: [] }),
  );
  const d = r.ok ? r.doc : r.recoverable;
  if (!d) throw new Error(JSON.stringify(r));
  return d;
}
const errors = (d: GraphDocument) => checkDocument(d).errors.map((e) => `${e.pointer} ${e.message}`);

describe('per-neuron parameter values in the document', () => {
  it('accepts one value per neuron and compiles it marked per neuron; a single value stays a number', () => {
    const d = doc({ tau_m_ms: [10, 20, 30], v_init_mv: [0, 1, 2], v_th_mv: 15 });
    expect(errors(d)).toEqual([]);
    const c = compileDocument(d);
    if (!c.ok) throw new Error(JSON.stringify(c.issues));
    expect(c.plan.populations[0].params.tau_m_ms).toEqual({ perNeuron: [10, 20, 30] });
    expect(c.plan.populations[0].params.v_init_mv).toEqual({ perNeuron: [0, 1, 2] });
    expect(c.plan.populations[0].params.v_th_mv).toBe(15);
  });

  it('names the node and field for a list of the wrong length, an entry out of bounds, and a neuron that breaks a cross-field rule', () => {
    expect(errors(doc({ tau_m_ms: [10, 20] }))).toEqual(['/nodes/0/params/tau_m_ms Node "pop" (LIF (delta synapses)), field tau_m_ms: has 2 per-neuron values, but the node has 3 neurons.']);
    expect(errors(doc({ tau_m_ms: [10, 0, 30] }))).toEqual(['/nodes/0/params/tau_m_ms Node "pop" (LIF (delta synapses)), field tau_m_ms: entry 1 of the per-neuron values must be > 0 ms (got 0).']);
    expect(errors(doc({ v_reset_mv: [10, 10, 25] }))).toEqual(['/nodes/0/params/v_reset_mv Node "pop" (LIF (delta synapses)), field v_reset_mv: entry 2 must be below the threshold (20 mV).']);
    expect(errors(doc({ v_th_mv: [20, 5, 20] }))).toEqual(['/nodes/0/params/v_reset_mv Node "pop" (LIF (delta synapses)), field v_reset_mv: must be below the threshold (5 mV) (for neuron 1).']);
  });

  it('refuses a list for a param that takes one value (t_ref_ms, or any param of a kind without per-neuron support)', () => {
    expect(errors(doc({ t_ref_ms: [1, 2, 3] }))[0]).toContain('field t_ref_ms: must be a finite number in ms');
    expect(errors(doc({ tau_m_ms: [10, 20, 30] }, 'alif'))[0]).toContain('field tau_m_ms: must be a finite number in ms');
  });

  it('saves a per-neuron list on one line, and loads it back to the same bytes', () => {
    const text = serializeDocument(doc({ tau_m_ms: [10, 20, 30] }));
    expect(text).toContain('"tau_m_ms": [10,20,30],');
    const again = loadDocument(text);
    expect(again.ok && serializeDocument(again.doc)).toBe(text);
  });
});
