import { describe, it, expect } from 'vitest';
import { connectionProblem, defaultEdgeParams, edgeRole } from './connect.ts';
import { checkDocument, loadDocument, newDocument, serializeDocument } from './load.ts';
import type { DocEdge, GraphDocument } from './document.ts';
import { compileDocument } from '../compile/compile.ts';
import { defaultParams, getKind, runtimeOf } from '../kinds/index.ts';
import { Network } from '../sim/network.ts';

function node(id: string, kind: string, params: Record<string, unknown> = {}) {
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function edge(id: string, from: string, fromPort: string, to: string, toPort: string, params: Record<string, unknown> = {}): DocEdge {
  return { id, source: { node: from, port: fromPort }, target: { node: to, port: toPort }, params };
}

/** in (20 Poisson) → stdp → lif, plus a monitor; `edges` replaces the default wiring. */
function doc(edges?: DocEdge[], stdpParams: Record<string, unknown> = {}): GraphDocument {
  const d = newDocument('plastic');
  d.simulation.duration_ms = 10;
  d.nodes.push(
    node('in', 'poisson-source', { size: 20 }),
    node('in2', 'poisson-source', { size: 5 }),
    node('stdp', 'stdp', stdpParams),
    node('lif', 'lif-cond-exp', { size: 3 }),
    node('mon', 'spike-monitor'),
  );
  d.edges.push(...(edges ?? [edge('pre', 'in', 'spikes', 'stdp', 'pre'), edge('post', 'stdp', 'post', 'lif', 'in')]));
  return d;
}

describe('wiring a plasticity node', () => {
  it('accepts a population into "pre" and "post" into a population\'s synapse input', () => {
    const d = doc([]);
    expect(connectionProblem(d, { node: 'in', port: 'spikes' }, { node: 'stdp', port: 'pre' })).toBeNull();
    expect(connectionProblem(d, { node: 'stdp', port: 'post' }, { node: 'lif', port: 'in' })).toBeNull();
    expect(edgeRole(d, edge('x', 'in', 'spikes', 'stdp', 'pre'))).toBe('plastic');
  });

  it('refuses "post" into a monitor or into another plasticity node, naming the node', () => {
    const d = doc();
    expect(connectionProblem(d, { node: 'stdp', port: 'post' }, { node: 'mon', port: 'spikes' })).toMatch(/plasticity node "stdp".*synapse input/);
    expect(connectionProblem(d, { node: 'stdp', port: 'post' }, { node: 'stdp', port: 'pre' })).toMatch(/synapse input/);
  });

  it('refuses a second wire into "pre" and a second wire out of "post"', () => {
    const d = doc();
    expect(connectionProblem(d, { node: 'in2', port: 'spikes' }, { node: 'stdp', port: 'pre' })).toMatch(/single wire/);
    d.nodes.push(node('lif2', 'lif-cond-exp'));
    expect(connectionProblem(d, { node: 'stdp', port: 'post' }, { node: 'lif2', port: 'in' })).toMatch(/one projection/);
    d.edges.push(edge('post2', 'stdp', 'post', 'lif2', 'in'));
    const check = checkDocument(d);
    expect(check.errors.map((e) => [e.edgeId, e.field])).toEqual([['post2', 'source']]);
  });

  it('gives a new wire out of a plasticity node no params, and loading adds none', () => {
    expect(defaultEdgeParams('projection', 'stdp')).toEqual({});
    expect(defaultEdgeParams('projection', 'poisson-source')).toHaveProperty('rule', 'all-to-all');
    const loaded = loadDocument(serializeDocument(doc()));
    if (!loaded.ok) throw new Error(loaded.issues[0].message);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.doc.edges.find((e) => e.id === 'post')!.params).toEqual({});
  });

  it('warns that params on the wire out of a plasticity node are ignored', () => {
    const d = doc([edge('pre', 'in', 'spikes', 'stdp', 'pre'), edge('post', 'stdp', 'post', 'lif', 'in', { weight: 5 })]);
    const check = checkDocument(d);
    expect(check.errors).toEqual([]);
    expect(check.warnings).toHaveLength(1);
    expect(check.warnings[0]).toMatchObject({ edgeId: 'post', field: 'weight' });
    expect(check.warnings[0].message).toMatch(/ignored/);
  });
});

describe('compiling a plastic projection', () => {
  it("folds pre wire, node and post wire into one projection with the node's params and rule", () => {
    const c = compileDocument(doc(undefined, { rule: 'bernoulli', p: 0.5, weight: 0.002, receptor: 'inh', a_pre: 2e-4, w_max: 0.01 }));
    if (!c.ok) throw new Error(c.issues[0].message);
    expect(c.plan.populations.map((p) => p.nodeId)).toEqual(['in', 'in2', 'lif']);
    expect(c.plan.projections).toHaveLength(1);
    const p = c.plan.projections[0];
    expect([p.edgeId, p.source, p.target, p.rule, p.p, p.weight, p.receptor]).toEqual(['post', 0, 2, 'bernoulli', 0.5, 0.002, 'inh']);
    expect(p.plasticity).toMatchObject({ nodeId: 'stdp', rule: 'stdp', params: { a_pre: 2e-4, w_max: 0.01 } });
  });

  it('reports a plasticity node whose "post" is wired but whose "pre" is not', () => {
    const c = compileDocument(doc([edge('post', 'stdp', 'post', 'lif', 'in')]));
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.issues).toEqual([expect.objectContaining({ nodeId: 'stdp', field: 'pre' })]);
    expect(c.issues[0].message).toMatch(/Node "stdp".*pre/);
  });

  it('points a connectivity problem at the plasticity node that holds the params', () => {
    const c = compileDocument(doc(undefined, { rule: 'fixed-in-degree', n: 50 }));
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.issues).toEqual([expect.objectContaining({ nodeId: 'stdp', field: 'n', pointer: '/nodes/2/params/n' })]);
  });

  it('refuses a constant initial weight above w_max', () => {
    const check = checkDocument(doc(undefined, { weight: 0.02, w_max: 0.01 }));
    expect(check.errors).toEqual([expect.objectContaining({ nodeId: 'stdp', field: 'weight' })]);
  });
});

describe('pair STDP at its defaults', () => {
  it('a pre (Poisson source) → STDP → post (LIF) graph with every parameter at its default makes post fire, through the whole run', () => {
    const d = newDocument('defaults');
    d.nodes.push(node('pre', 'poisson-source'), node('stdp', 'stdp'), node('post', 'lif-curr-exp'));
    d.edges.push(edge('a', 'pre', 'spikes', 'stdp', 'pre'), edge('b', 'stdp', 'post', 'post', 'in'));
    const c = compileDocument(d);
    if (!c.ok) throw new Error(c.issues[0].message);
    const net = new Network(c.plan, { runtimes: runtimeOf });
    const post = c.plan.populations.findIndex((p) => p.nodeId === 'post');
    const w0 = Float64Array.from(net.projections[0].plastic!.w);
    const perQuarter = [0, 0, 0, 0];
    while (net.step < net.nSteps) {
      const q = Math.floor((4 * net.step) / net.nSteps);
      net.advance();
      perQuarter[q] += net.pops[post].count;
    }
    // Mean drive 4 spikes/ms × 1 mV × 5 ms = 20 mV against 15 mV from rest to threshold: post fires in every quarter.
    for (const n of perQuarter) expect(n).toBeGreaterThan(0);
    // And the rule is active: the weights moved.
    expect(net.projections[0].plastic!.w.some((w, i) => w !== w0[i])).toBe(true);
  });
});
