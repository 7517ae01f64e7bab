import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { estimateMemory, Network } from '../engine/sim/network.ts';
import { brunelScaleDocument, projectionEdgeIds, SCALE_10M_SPEC, withoutMonitors, withoutProjections } from './variants.ts';
import { runtimeOf } from '../engine/kinds/index.ts';

function load(file: string) {
  const r = loadDocument(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.doc;
}

describe('derived documents', () => {
  it('drops the monitor and only its wires, and the result still compiles', () => {
    const doc = load('examples/cuba.spikeflow.json');
    const off = withoutMonitors(doc);
    expect(off.nodes.map((n) => n.id)).toEqual(['exc', 'inh']);
    expect(off.edges.map((e) => e.id)).toEqual(['e_ee', 'e_ei', 'e_ie', 'e_ii']);
    const c = compileDocument(off);
    expect(c.ok && c.plan.monitors.length).toBe(0);
    // The original is untouched.
    expect(doc.nodes).toHaveLength(3);
  });

  it('drops every projection but keeps populations and monitors', () => {
    const doc = load('examples/cuba.spikeflow.json');
    expect(projectionEdgeIds(doc)).toEqual(['e_ee', 'e_ei', 'e_ie', 'e_ii']);
    const zero = withoutProjections(doc);
    expect(zero.edges.map((e) => e.id)).toEqual(['m_exc', 'm_inh']);
    const c = compileDocument(zero);
    expect(c.ok && c.plan.projections.length).toBe(0);
    expect(c.ok && c.plan.populations.map((p) => p.size)).toEqual([3200, 800]);
  });

  it("builds a valid Brunel-style document whose in-degrees give N·(C_E + C_I) synapses and Brunel's mean drive", () => {
    const spec = { excitatory: 800, inhibitory: 200, inDegreeExc: 80, inDegreeInh: 20, durationMs: 100, seed: 7 };
    const doc = brunelScaleDocument(spec);
    const reloaded = loadDocument(serializeDocument(doc));
    if (!reloaded.ok) throw new Error(reloaded.issues.map((i) => i.message).join('; '));
    // Loading fills the params the generator leaves to their defaults (as the CLI does).
    const c = compileDocument(reloaded.doc);
    if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('; '));
    expect(c.plan.seed).toBe(7);
    const nIn = new Map(doc.edges.filter((e) => e.params.n).map((e) => [e.id, e.params.n as number]));
    expect(Object.fromEntries(nIn)).toEqual({ e_ee: 80, e_ei: 80, e_ie: 20, e_ii: 20 });
    // Fixed in-degree: the engine builds C_E + C_I synapses onto every neuron.
    const net = new Network(c.plan, { runtimes: runtimeOf });
    expect(net.neurons).toBe(1000);
    expect(net.synapses).toBe(1000 * (80 + 20));
    // J scaled by 1000/C_E: J·C_E stays Brunel's 0.1 mV × 1000, the drive's count·weight too.
    const ee = doc.edges.find((e) => e.id === 'e_ee')!;
    expect((ee.params.weight as number) * spec.inDegreeExc).toBeCloseTo(100, 12);
    const ie = doc.edges.find((e) => e.id === 'e_ie')!;
    expect(ie.params.weight as number).toBeCloseTo(5 * (ee.params.weight as number), 12);
    const ext = doc.nodes.find((n) => n.id === 'ext')!;
    expect((ext.params.count as number) * (ext.params.weight as number)).toBeCloseTo(100, 12);
    expect(doc.nodes.some((n) => n.kind === 'spike-monitor')).toBe(false);
    expect(brunelScaleDocument({ ...spec, monitor: true }).nodes.at(-1)?.kind).toBe('spike-monitor');
  });

  it('makes the big scale case 10^7 neurons and 10^9 synapses, which the engine estimates at 9-12 GB, under 80 % of 24 GB', () => {
    const c = compileDocument(brunelScaleDocument(SCALE_10M_SPEC));
    if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('; '));
    expect(c.plan.populations.filter((p) => p.kind === 'lif-delta').reduce((a, p) => a + p.size, 0)).toBe(10_000_000);
    expect(c.plan.nSteps).toBe(1000);
    const est = estimateMemory(c.plan, runtimeOf);
    expect(est.synapses).toBe(1e9);
    // Columns 4 B per synapse (u32), rings 16 slots of 8 B per neuron and receptor, the largest draw's scratch.
    expect(est.bytes).toBeGreaterThan(4e9 + 16 * 8 * 2 * 10e6);
    expect(est.bytes).toBeLessThan(0.8 * 24e9);
  });
});
