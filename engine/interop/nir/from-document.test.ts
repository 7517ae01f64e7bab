import { describe, it, expect } from 'vitest';
import { loadDocument } from '../../format/load.ts';
import type { GraphDocument } from '../../format/document.ts';
import { describeNotExported, documentToNirDraft } from './from-document.ts';
import { readNir, writeNir } from './hdf5.ts';
import type { NirNodeOf } from './model.ts';
import { nirToDocumentDraft } from './to-document.ts';
import { validateNirGraph } from './validate.ts';
import { docNode, exportableDocument, projection } from '../../../test/nir/documents.ts';

describe('documentToNirDraft', () => {
  it('exports populations, projections, a delay, the input and the monitor, with hand-computed weights', () => {
    const { graph, notExported } = documentToNirDraft(exportableDocument());
    expect(notExported).toEqual([]);
    expect(validateNirGraph(graph)).toEqual([]);
    expect([...graph.nodes.keys()]).toEqual(['gen', 'a', 'b', 'g_a', 'a_b', 'a_b.delay', 'b_a', 'mon']);
    expect(graph.edges).toEqual([
      ['gen', 'g_a'],
      ['g_a', 'a'],
      ['a', 'a_b'],
      ['a_b', 'a_b.delay'],
      ['a_b.delay', 'b'],
      ['b', 'b_a'],
      ['b_a', 'a'],
      ['b', 'mon'],
    ]);
    const a = graph.nodes.get('a') as NirNodeOf<'LIF'>;
    expect(Array.from(a.params.tau.data)).toEqual([0.02, 0.02, 0.02]);
    // W = w·τ/dt with τ = 0.02 s and dt = 1e-4 s: 0.45 · 200 = 90, all to all.
    const gA = graph.nodes.get('g_a') as NirNodeOf<'Linear'>;
    expect(gA.params.weight.shape).toEqual([3, 3]);
    expect(Array.from(gA.params.weight.data)).toEqual(Array(9).fill(90));
    // Into the CubaLIF: τ_syn = 0.005 s → 3 · 50 = 150 on the diagonal; inhibitory back: −0.2 · 200 = −40.
    expect(Array.from((graph.nodes.get('a_b') as NirNodeOf<'Linear'>).params.weight.data)).toEqual([150, 0, 0, 0, 150, 0, 0, 0, 150]);
    expect(Array.from((graph.nodes.get('b_a') as NirNodeOf<'Linear'>).params.weight.data)).toEqual([-40, 0, 0, 0, -40, 0, 0, 0, -40]);
    expect(Array.from((graph.nodes.get('a_b.delay') as NirNodeOf<'Delay'>).params.delay.data)).toEqual([0.0015, 0.0015, 0.0015]);
    expect(graph.metadata).toMatchObject({ time_unit: 's', spike_input: 'per-step', reset: 'to-v-reset' });
  });

  it('round-trips through a .nir file into the same populations and projections', async () => {
    const doc = exportableDocument();
    const back = nirToDocumentDraft(await readNir(await writeNir(documentToNirDraft(doc).graph)), { dtMs: doc.simulation.dt_ms });
    expect(back.notImported).toEqual([]);
    const res = loadDocument(JSON.stringify(back.doc));
    expect(res.ok).toBe(true);
    for (const id of ['a', 'b']) {
      const before = doc.nodes.find((n) => n.id === id) as GraphDocument['nodes'][number];
      const after = back.doc.nodes.find((n) => n.id === id) as GraphDocument['nodes'][number];
      expect(after.kind).toBe(before.kind);
      for (const k of ['size', 'tau_m_ms', 'v_rest_mv', 'v_reset_mv', 'v_th_mv', 't_ref_ms', 'tau_syn_exc_ms', 'tau_syn_inh_ms']) {
        if (before.params[k] !== undefined) expect(after.params[k] as number, `${id}.${k}`).toBeCloseTo(before.params[k] as number, 12);
      }
    }
    const wires = (d: GraphDocument) =>
      d.edges
        .filter((e) => e.target.port === 'in')
        .map((e) => ({ from: e.source.node, to: e.target.node, rule: e.params.rule, receptor: e.params.receptor, w: e.params.weight as number, d: e.params.delay_ms as number }))
        .sort((x, y) => (x.from + x.to < y.from + y.to ? -1 : 1));
    const [was, is] = [wires(doc), wires(back.doc)];
    expect(is.map(({ w: _w, d: _d, ...rest }) => rest)).toEqual(was.map(({ w: _w, d: _d, ...rest }) => rest));
    is.forEach((x, i) => {
      expect(x.w).toBeCloseTo(was[i].w, 10);
      expect(x.d).toBeCloseTo(was[i].d, 10);
    });
  });

  it('names each node and wire it cannot export, with the reason', () => {
    const doc = exportableDocument();
    doc.nodes.push(
      docNode('refr', 'lif-delta', { size: 2, t_ref_ms: 2 }),
      docNode('twotau', 'lif-curr-exp', { size: 2, t_ref_ms: 0, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10 }),
      docNode('noise', 'poisson-source', { size: 2 }),
      docNode('ad', 'adex', { size: 2 }),
    );
    doc.edges.push(
      projection('rand', 'gen', 'a', { rule: 'bernoulli', p: 0.5 }),
      projection('drawn', 'gen', 'a', { rule: 'all-to-all', weight: { dist: 'uniform', low: 0, high: 1 } }),
      projection('fromNoise', 'noise', 'a', { rule: 'all-to-all' }),
    );
    const messages = documentToNirDraft(doc).notExported.map(describeNotExported);
    expect(messages).toEqual([
      'not exportable: refr (lif-delta) — NIR has no refractory period; set t_ref_ms to 0 to export (it is 2 ms)',
      "not exportable: twotau (lif-curr-exp) — NIR's CubaLIF has one synaptic time constant; τ exc (5 ms) and τ inh (10 ms) differ",
      'not exportable: noise (poisson-source) — Poisson input has no NIR form (a NIR Input carries no rate); exporting with static weights and Input nodes turns it into an Input',
      'not exportable: ad (adex) — this kind has no NIR primitive yet',
      'not exportable: rand (wire gen → a) — its connectivity "bernoulli" is drawn by the engine; exporting with static weights and Input nodes turns it into a static Linear of the synapses the engine draws under the document\'s seed',
      "not exportable: drawn (wire gen → a) — its weight and delay must each be one number, or be drawn by the engine: exporting with static weights and Input nodes turns it into a static Linear of the synapses it draws under the document's seed",
      'not exportable: fromNoise (wire noise → a) — its source (poisson-source) is not exported',
    ]);
  });
});
