import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compileDocument } from './compile.ts';
import { newDocument } from '../format/load.ts';
import type { DocEdge, DocNode, GraphDocument } from '../format/document.ts';
import { defaultParams, getKind, PROJECTION_PARAMS } from '../kinds/index.ts';
import { Network } from '../sim/network.ts';
import { runtimeOf } from '../kinds/index.ts';

function node(id: string, kind: string, params: Record<string, unknown> = {}): DocNode {
  return { id, kind, label: id, position: { x: 0, y: 0 }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}
function wire(id: string, s: string, sp: string, t: string, tp: string, params: Record<string, unknown> = {}): DocEdge {
  const base = tp === 'in' ? defaultParams(PROJECTION_PARAMS) : {};
  return { id, source: { node: s, port: sp }, target: { node: t, port: tp }, params: { ...base, ...params } };
}
function doc(nodes: DocNode[], edges: DocEdge[], sim: Partial<GraphDocument['simulation']> = {}): GraphDocument {
  const d = newDocument('t');
  return { ...d, simulation: { ...d.simulation, duration_ms: 50, ...sim }, nodes, edges };
}

describe('compiling a document into a plan', () => {
  it('maps nodes to populations, wires to projections, injections and monitor sources', () => {
    const r = compileDocument(
      doc(
        [node('in', 'poisson-source', { size: 30 }), node('dc', 'dc-current'), node('lif', 'lif-curr-exp', { size: 20 }), node('mon', 'spike-monitor')],
        [
          wire('p', 'in', 'spikes', 'lif', 'in', { rule: 'fixed-in-degree', n: 5, weight: 2, delay_ms: 1, receptor: 'inh' }),
          wire('c', 'dc', 'current', 'lif', 'current'),
          wire('m1', 'lif', 'spikes', 'mon', 'spikes'),
          wire('m2', 'in', 'spikes', 'mon', 'spikes'),
        ],
        { duration_ms: 20, seed: 9 },
      ),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const { plan } = r;
    expect(plan.populations.map((p) => [p.nodeId, p.size])).toEqual([
      ['in', 30],
      ['dc', 1],
      ['lif', 20],
    ]);
    expect(plan.nSteps).toBe(200);
    expect(plan.seed).toBe(9);
    expect(plan.projections).toEqual([expect.objectContaining({ edgeId: 'p', source: 0, target: 2, rule: 'fixed-in-degree', n: 5, weight: 2, delayMs: 1, receptor: 'inh' })]);
    // Inactive params (p of a fixed-in-degree rule) are not in the plan.
    expect(plan.projections[0].p).toBeUndefined();
    expect(plan.injections).toEqual([{ edgeId: 'c', source: 1, target: 2, targetPort: 'current' }]);
    expect(plan.monitors).toEqual([expect.objectContaining({ nodeId: 'mon', sources: [2, 0] })]);
    // Editor-only fields never reach the engine.
    expect(JSON.stringify(plan)).not.toMatch(/position|label/);
  });

  it('refuses a projection that cannot be built, naming the wire and the field', () => {
    const r = compileDocument(doc([node('a', 'poisson-source', { size: 10 }), node('b', 'lif-curr-exp', { size: 5 })], [wire('w1', 'a', 'spikes', 'b', 'in', { rule: 'fixed-in-degree', n: 20 })]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ edgeId: 'w1', field: 'n', pointer: '/edges/0/params/n' });
    expect(r.issues[0].message).toMatch(/"w1".*field n.*≤ 10.*got 20/);
  });

  it('refuses a Poisson rate above one spike per step', () => {
    const r = compileDocument(doc([node('a', 'poisson-source', { rate_hz: 20000 })], []));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ nodeId: 'a', field: 'rate_hz', pointer: '/nodes/0/params/rate_hz' });
  });

  it('refuses a state monitor whose variable the observed kind does not have', () => {
    const r = compileDocument(doc([node('a', 'lif-curr-exp', { size: 2 }), node('s', 'state-monitor', { variable: 'w' })], [wire('m', 'a', 'spikes', 's', 'spikes')]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/Node "s".*field variable.*"a" has no state variable "w".*v, i_exc, i_inh/);
  });

  it('overrides duration and seed without touching the document', () => {
    const d = doc([node('a', 'poisson-source')], []);
    const r = compileDocument(d, { durationMs: 10, seed: 42 });
    expect(r.ok && [r.plan.nSteps, r.plan.seed]).toEqual([100, 42]);
    expect(d.simulation.duration_ms).toBe(50);
  });

  // Random small graphs: compiling never throws; a compiled plan always builds and runs;
  // a refused one names a node or wire that exists, at a pointer that resolves.
  it('on random graphs, compiles to plans that build and run, or to issues that point into the document', () => {
    const ruleArb = fc.constantFrom('all-to-all', 'one-to-one', 'bernoulli', 'fixed-in-degree', 'fixed-out-degree', 'fixed-total');
    const graphArb = fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
      sources: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 2 }),
      wires: fc.array(
        fc.record({
          from: fc.nat(),
          to: fc.nat(),
          rule: ruleArb,
          p: fc.double({ min: 0, max: 1, noNaN: true }),
          n: fc.integer({ min: 0, max: 30 }),
          weight: fc.double({ min: 0, max: 50, noNaN: true }),
          delay: fc.double({ min: 0, max: 3, noNaN: true }),
          receptor: fc.constantFrom('exc', 'inh'),
          autapses: fc.boolean(),
          multapses: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(graphArb, (g) => {
        const nodes = [
          ...g.sources.map((s, i) => node(`src${i}`, 'poisson-source', { size: s, rate_hz: 200 })),
          ...g.sizes.map((s, i) => node(`lif${i}`, 'lif-curr-exp', { size: s, v_init_mv: { dist: 'uniform', low: -65, high: -50 } })),
          node('mon', 'spike-monitor'),
        ];
        const emitters = nodes.filter((n) => n.kind !== 'spike-monitor');
        const lifs = nodes.filter((n) => n.kind === 'lif-curr-exp');
        const edges = g.wires.map((w, i) =>
          wire(`w${i}`, emitters[w.from % emitters.length].id, 'spikes', lifs[w.to % lifs.length].id, 'in', {
            rule: w.rule,
            p: w.p,
            n: w.n,
            weight: w.weight,
            delay_ms: w.delay,
            receptor: w.receptor,
            allow_autapses: w.autapses,
            allow_multapses: w.multapses,
          }),
        );
        edges.push(wire('obs', lifs[0].id, 'spikes', 'mon', 'spikes'));
        const d = doc(nodes, edges, { seed: g.seed, duration_ms: 20 });
        const r = compileDocument(d);
        if (!r.ok) {
          for (const issue of r.issues) {
            const id = issue.edgeId ?? issue.nodeId;
            expect(id && [...nodes, ...edges].some((x) => x.id === id)).toBe(true);
            expect(issue.message).toContain(`"${id}"`);
            expect(issue.pointer).toMatch(/^\/(nodes|edges)\/\d+\/params\//);
          }
          return;
        }
        const net = new Network(r.plan, { runtimes: runtimeOf });
        while (net.step < net.nSteps) net.advance();
        const s = net.stats(0, 0);
        expect(s.synapses).toBe(net.projections.reduce((a, p) => a + p.csr.col.length, 0));
        expect(s.spikes).toBe(s.populations.filter((p) => p.kind === 'lif-curr-exp').reduce((a, p) => a + p.spikes, 0));
        // Fixed rules make exactly their count.
        for (const p of r.plan.projections) {
          const pr = net.projections.find((x) => x.edgeId === p.edgeId)!;
          if (p.rule === 'fixed-total') expect(pr.csr.col.length).toBe(p.n);
          if (p.rule === 'fixed-in-degree') expect(pr.csr.col.length).toBe(p.n! * r.plan.populations[p.target].size);
        }
      }),
      { numRuns: 200, seed: 1234 },
    );
  });
});

describe('rates and the time step', () => {
  it.each([
    ['poisson-drive', 'rate_hz', 5000],
    ['rate-encoder', 'max_rate_hz', 2001],
  ])('refuses %s with %s above one event per step', (kind, field, value) => {
    const r = compileDocument(doc([node('a', kind, { [field]: value })], [], { dt_ms: 0.5 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const issue = r.issues.find((i) => i.field === field);
      expect(issue?.message).toMatch(new RegExp(`"a".*${field}.*more than one spike per step.*at most 2000 Hz`));
    }
  });

  it('checks every rate of a piecewise Poisson source', () => {
    const r = compileDocument(doc([node('a', 'poisson-source', { rate_mode: 'piecewise', times_ms: [0, 5], rates_hz: [10, 5000] })], [], { dt_ms: 0.5 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ nodeId: 'a', field: 'rates_hz' });
  });
});

describe('documents built in code', () => {
  it('compile with missing params filled by their defaults, as loading would', () => {
    const d = doc([node('a', 'poisson-source', { size: 10 }), node('b', 'lif-curr-exp', { size: 5 })], []);
    d.edges = [{ id: 'w', source: { node: 'a', port: 'spikes' }, target: { node: 'b', port: 'in' }, params: { rule: 'fixed-in-degree', n: 2 } }];
    delete (d.nodes[1].params as Record<string, unknown>).tau_m_ms;
    const r = compileDocument(d);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.plan.projections[0]).toMatchObject({ rule: 'fixed-in-degree', n: 2, weight: 1, receptor: 'exc' });
    expect(r.plan.populations[1].params.tau_m_ms).toBe(20);
    // The caller's document is untouched.
    expect(d.edges[0].params).toEqual({ rule: 'fixed-in-degree', n: 2 });
  });
});
