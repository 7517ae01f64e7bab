/**
 * Same-step delivery (the document's `simulation.same_step_delivery`, which the NIR import
 * sets; engine/sim/schedule.ts `stepInGraphOrder`): a spike crosses every zero-delay wire
 * into delta-synapse populations within its own step, loops take one step, and without the
 * setting the step is Brian2's, as before. Hand-computed: every weight is 1.1 mV over a 1 mV
 * threshold with reset by subtraction, so one arriving spike makes a neuron fire.
 */
import { describe, it, expect } from 'vitest';
import { newDocument } from '../engine/format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../engine/format/document.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { runtimeOf } from '../engine/kinds/index.ts';
import { Network } from '../engine/sim/network.ts';
import { graphOrder } from '../engine/sim/schedule.ts';
import { chooseThreads } from '../engine/sim/parallel/parallel-network.ts';
import { spikesOf } from './nir/run.ts';

const node = (id: string, kind: string, params: Record<string, unknown>): DocNode => ({ id, kind, label: id, position: { x: 0, y: 0 }, params });
const neuron = (id: string, kind = 'lif-delta') =>
  node(id, kind, {
    size: 1,
    v_th_mv: 1,
    v_reset_mv: 0,
    v_rest_mv: 0,
    reset: 'subtract',
    t_ref_ms: 0,
    v_init_mv: 0,
    ...(kind === 'lif-delta' ? { tau_m_ms: 10, integration: 'euler' } : {}),
  });
const wire = (from: string, to: string, delayMs = 0): DocEdge => ({
  id: `${from}-${to}`,
  source: { node: from, port: 'spikes' },
  target: { node: to, port: 'in' },
  params: { rule: 'all-to-all', weight: 1.1, delay_ms: delayMs, receptor: 'exc' },
});

/** gen (one spike at step 2) → a → b → c, and the wires given; 8 steps of 0.1 ms. */
function chain(extra: DocEdge[], sameStep: boolean, kinds: Record<string, string> = {}): GraphDocument {
  const doc = newDocument('same step');
  doc.simulation.duration_ms = 0.8;
  if (sameStep) doc.simulation.same_step_delivery = true;
  doc.nodes = [node('gen', 'spike-generator', { size: 1, neurons: [0], times_ms: [0.2] }), ...['a', 'b', 'c'].map((id) => neuron(id, kinds[id]))];
  doc.edges = [wire('gen', 'a'), wire('a', 'b'), wire('b', 'c'), ...extra];
  return doc;
}

/** The steps each population fired in. */
function steps(doc: GraphDocument): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const line of spikesOf(doc)) {
    const [pop, , step] = line.split(' ');
    (out[pop] ??= []).push(Number(step));
  }
  return out;
}

describe('same-step delivery (discrete graph order)', () => {
  it('orders populations after those that feed them, and cuts a loop at its first population in document order', () => {
    expect(
      graphOrder(4, [
        { source: 2, target: 1 },
        { source: 3, target: 2 },
        { source: 0, target: 3 },
      ]),
    ).toEqual([0, 3, 2, 1]);
    // 1 ⇄ 2 fed by 0: 0 first, then the loop cut at 1.
    expect(
      graphOrder(3, [
        { source: 0, target: 1 },
        { source: 1, target: 2 },
        { source: 2, target: 1 },
        { source: 1, target: 1 },
      ]),
    ).toEqual([0, 1, 2]);
  });

  it('passes a spike through a chain of lif-delta (forward Euler) populations within its step; without the setting each wire takes a step', () => {
    expect(steps(chain([], true))).toEqual({ gen: [2], a: [2], b: [2], c: [2] });
    expect(steps(chain([], false))).toEqual({ gen: [2], a: [3], b: [4], c: [5] });
  });

  it('passes it through if-delta populations within the step too', () => {
    const kinds = { a: 'if-delta', b: 'if-delta', c: 'if-delta' };
    expect(steps(chain([], true, kinds))).toEqual({ gen: [2], a: [2], b: [2], c: [2] });
    expect(steps(chain([], false, kinds))).toEqual({ gen: [2], a: [3], b: [4], c: [5] });
  });

  it('gives a loop (c → a) one step, and a delay of d steps d steps, forward or back', () => {
    // c fires at 2; back into a, one step later: a, b, c fire again at 3, 4, …
    expect(steps(chain([wire('c', 'a')], true))).toEqual({ gen: [2], a: [2, 3, 4, 5, 6, 7], b: [2, 3, 4, 5, 6, 7], c: [2, 3, 4, 5, 6, 7] });
    // A forward wire a → c of 0.3 ms (3 steps): c fires at 2 (through b; V 1.1 → 0.1) and at 5 (0.1·0.99³ + 1.1 ≈ 1.197).
    expect(steps(chain([wire('a', 'c', 0.3)], true))).toEqual({ gen: [2], a: [2], b: [2], c: [2, 5] });
    // A loop c → a of 0.2 ms: 2 steps, not 3.
    expect(steps(chain([wire('c', 'a', 0.2)], true))).toEqual({ gen: [2], a: [2, 4, 6], b: [2, 4, 6], c: [2, 4, 6] });
  });

  it('leaves kinds with synaptic currents in Brian2 order: lif-curr-exp gets the spike into its current at the end of the step either way', () => {
    const kinds = { b: 'lif-curr-exp' };
    const withIt = chain([], true, kinds);
    const without = chain([], false, kinds);
    for (const d of [withIt, without]) {
      const b = d.nodes.find((n) => n.id === 'b')!;
      Object.assign(b.params, { tau_m_ms: 1, tau_syn_exc_ms: 1, tau_syn_inh_ms: 1, integration: 'euler' });
      d.edges.find((e) => e.id === 'a-b')!.params.weight = 50;
    }
    const a = steps(withIt);
    const b = steps(without);
    // a fires at 2 (same step) or 3 (Brian2); b's current takes it in that step's absorb phase and V sees it one step later.
    expect(a.a).toEqual([2]);
    expect(b.a).toEqual([3]);
    expect(a.b?.[0]).toBe(3);
    expect(b.b?.[0]).toBe(4);
    // c (lif-delta) fires in the step b does under same-step delivery, one step after under Brian2's.
    expect(a.c?.[0]).toBe(a.b?.[0]);
    expect(b.c?.[0]).toBe(b.b![0] + 1);
  });

  it('refuses plasticity, naming the wire and the setting, and the parallel engine runs such a network on one thread, saying why', () => {
    const doc = chain([], true);
    const compiled = compileDocument(doc);
    if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
    expect(compiled.plan.sameStepDelivery).toBe(true);
    const choice = chooseThreads(compiled.plan, runtimeOf, 2, { cores: 2 } as never);
    expect(choice.threads).toBe(1);
    expect(choice.note).toMatch(/sameStepDelivery/);
    const plasticDoc = chain([], true);
    plasticDoc.nodes.push(node('stdp', 'stdp', {}));
    plasticDoc.edges = plasticDoc.edges.filter((e) => e.id !== 'a-b');
    plasticDoc.edges.push(
      { id: 'a-stdp', source: { node: 'a', port: 'spikes' }, target: { node: 'stdp', port: 'pre' }, params: {} },
      { id: 'stdp-b', source: { node: 'stdp', port: 'post' }, target: { node: 'b', port: 'in' }, params: {} },
    );
    const plastic = compileDocument(plasticDoc);
    if (!plastic.ok) throw new Error(plastic.issues.map((i) => i.message).join('\n'));
    expect(() => new Network(plastic.plan, { runtimes: runtimeOf })).toThrow(/Same-step delivery .*same_step_delivery.*"stdp-b"/);
  });

  it('is off in a new document, and a non-boolean value is refused naming the setting', () => {
    expect(newDocument().simulation.same_step_delivery).toBeUndefined();
    const doc = chain([], false);
    (doc.simulation as Record<string, unknown>).same_step_delivery = 'yes';
    const r = compileDocument(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ pointer: '/simulation/same_step_delivery', message: expect.stringMatching(/true or false/) });
  });
});
