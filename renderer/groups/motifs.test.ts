import { describe, it, expect } from 'vitest';
import type { GraphDocument } from '../../engine/format/document.ts';
import { loadDocument, newDocument, serializeDocument } from '../../engine/format/load.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import { Network } from '../../engine/sim/network.ts';
import { runtimeOf } from '../../engine/kinds/index.ts';
import { MOTIFS } from './motifs.ts';

/** A motif with a Poisson source into each input and a spike monitor on each spike output. */
function harness(key: string): GraphDocument {
  const m = MOTIFS.find((x) => x.key === key)!;
  const doc = newDocument(m.name, { clock: () => new Date(0) });
  doc.simulation.duration_ms = 300;
  doc.nodes.push({ id: 'src', kind: 'poisson-source', label: 'src', position: { x: 0, y: 0 }, params: { size: 50, rate_hz: 40 } });
  doc.nodes.push(structuredClone(m.group));
  doc.nodes.push({ id: 'mon', kind: 'spike-monitor', label: 'mon', position: { x: 600, y: 0 }, params: {} });
  for (const p of m.group.ports) {
    if (p.direction === 'in') doc.edges.push({ id: `in_${p.id}`, source: { node: 'src', port: 'spikes' }, target: { node: m.group.id, port: p.id }, params: { rule: 'all-to-all', weight: 2 } });
    else if (p.id !== 'label' && p.id !== 'weights') doc.edges.push({ id: `out_${p.id}`, source: { node: m.group.id, port: p.id }, target: { node: 'mon', port: 'spikes' }, params: {} });
  }
  const r = loadDocument(serializeDocument(doc));
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.pointer}: ${i.message}`).join('\n'));
  return r.doc;
}

function spikeCount(doc: GraphDocument): number {
  const c = compileDocument(doc);
  if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('\n'));
  const net = new Network(c.plan, { runtimes: runtimeOf });
  let count = 0;
  while (net.step < net.nSteps) {
    net.advance();
    for (const r of net.recorders) count += r.drain().neuron.length;
  }
  return count;
}

describe('the shipped motifs', () => {
  it('are the four the palette promises, each a valid group', () => {
    expect(MOTIFS.map((m) => m.name)).toEqual(['Balanced E/I network', 'Winner-take-all', 'Encoder bank', 'Diehl & Cook layer']);
  });

  it.each(MOTIFS.map((m) => m.key))('%s loads, compiles and spikes when driven and watched', (key) => {
    expect(spikeCount(harness(key))).toBeGreaterThan(0);
  });

  it('the winner-take-all pool keeps the layer sparse: fewer spikes than the same layer without its pool', () => {
    const doc = harness('motif:wta');
    const withPool = spikeCount(doc);
    const g = doc.nodes[1] as unknown as { edges: { id: string; params: Record<string, unknown> }[] };
    g.edges.find((e) => e.id === 'from_pool')!.params.weight = 0;
    expect(withPool).toBeLessThan(spikeCount(doc));
  });
});

describe('the balanced E/I motif', () => {
  it('is balanced: its recurrent inhibition outweighs excitation (g·C_I/C_E > 1), so cutting inhibition raises the rate', () => {
    const doc = harness('motif:ei');
    const g = doc.nodes[1] as unknown as { edges: { id: string; params: Record<string, number> }[] };
    const w = (id: string) => g.edges.find((e) => e.id === id)!.params;
    // Hand-computed: J·C_E = 1.25 mV · 80 = 100 mV (Brunel: 0.1 mV · 1000); g·C_I/C_E = 5 · 20 / 80 = 1.25.
    expect(w('e_ee').weight * w('e_ee').n).toBe(100);
    expect((w('e_ie').weight / w('e_ee').weight) * (w('e_ie').n / w('e_ee').n)).toBe(1.25);
    const balanced = spikeCount(doc);
    w('e_ie').weight = 0;
    expect(spikeCount(doc)).toBeGreaterThan(balanced * 1.2);
  });
});
