import { describe, expect, it } from 'vitest';
import { loadDocument } from './load.ts';
import { compileDocument } from '../compile/compile.ts';
import { MAX_STEPS } from './validate.ts';
import { connectionProblem } from './connect.ts';

const doc = (sim: Record<string, unknown>) => JSON.stringify({ format: 'spikeflow-graph', version: 1, simulation: { dt_ms: 0.1, duration_ms: 100, seed: 1, ...sim }, nodes: [], edges: [] });

describe('documented bounds on time', () => {
  it('refuses dt_ms = 1e-9 ms, naming the field and the bounds', () => {
    const r = loadDocument(doc({ dt_ms: 1e-9, duration_ms: 1000 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => `${i.pointer}: ${i.message}`)).toEqual([expect.stringMatching(/^\/simulation\/dt_ms: .*must be from 0\.001 ms to 100 ms \(got 1e-9 ms\)/)]);
  });

  it('refuses a run of more than 2³¹ − 1 steps instead of letting spike times wrap', () => {
    const r = loadDocument(doc({ dt_ms: 0.001, duration_ms: 0.001 * (MAX_STEPS + 1) }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ pointer: '/simulation/duration_ms', message: expect.stringMatching(/at most 2147483647 steps .*shorten duration_ms or raise dt_ms/) });
    expect(loadDocument(doc({ dt_ms: 1, duration_ms: MAX_STEPS })).ok).toBe(true);
  });

  it('refuses a --duration-ms override past the bound at compile time', () => {
    const r = loadDocument(doc({}));
    if (!r.ok) throw new Error('fixture');
    const c = compileDocument(r.doc, { durationMs: 1e9 });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues[0]).toMatchObject({ pointer: '/simulation/duration_ms', message: expect.stringMatching(/10000000000 steps/) });
  });
});

describe('hostile ids and delays', () => {
  const base = { format: 'spikeflow-graph', version: 1, simulation: { dt_ms: 0.1, duration_ms: 100, seed: 1 } };
  const lif = (id: string) => ({ id, kind: 'lif-curr-exp', params: { size: 10 } });

  for (const id of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses the node id "${id}" and the edge id "${id}", naming the field`, () => {
      const r = loadDocument(JSON.stringify({ ...base, nodes: [lif(id), lif('b')], edges: [{ id, source: { node: 'b', port: 'spikes' }, target: { node: 'b', port: 'in' } }] }));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.issues).toContainEqual(expect.objectContaining({ pointer: '/nodes/0/id', field: 'id', message: expect.stringContaining(`"${id}" is a reserved name`) }));
        expect(r.issues).toContainEqual(expect.objectContaining({ pointer: '/edges/0/id', field: 'id', message: expect.stringContaining(`"${id}" is a reserved name`) }));
      }
    });
  }

  it('refuses a 1e9 ms delay by naming the delay, not memory', () => {
    const r = loadDocument(
      JSON.stringify({ ...base, nodes: [lif('a'), lif('b')], edges: [{ id: 'ab', source: { node: 'a', port: 'spikes' }, target: { node: 'b', port: 'in' }, params: { delay_ms: 1e9 } }] }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual([expect.objectContaining({ pointer: '/edges/0/params/delay_ms', field: 'delay_ms', edgeId: 'ab' })]);
      expect(r.issues[0].message).toMatch(/a delay of up to 1000000000 ms is 10000000000 steps of dt_ms = 0\.1 ms; a delay has at most 1048576 steps \(104858 ms at this dt\)/);
    }
  });
});

describe('size limits at load', () => {
  it('refuses an unknown field nested 5000 levels deep with a clear message and a pointer, without overflowing the stack', () => {
    const deep = `${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const r = loadDocument(`{"format":"spikeflow-graph","version":1,"simulation":{"dt_ms":0.1,"duration_ms":100,"seed":1},"nodes":[],"edges":[],"view":{"junk":${deep}}}`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0].pointer).toMatch(/^\/view\/junk(\/x)+$/);
      expect(r.issues[0].message).toMatch(/nests objects and lists more than 100 levels deep \(at \/view\/junk\/x\/x.*…\); a Spikeflow document never needs that\.$/);
    }
  });

  it('refuses more nodes than the limit, naming the field', () => {
    const nodes = Array.from({ length: 10_001 }, (_, i) => ({ id: `n${i}`, kind: 'lif-curr-exp' }));
    const r = loadDocument(doc({}).replace('"nodes":[]', `"nodes":${JSON.stringify(nodes)}`));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ pointer: '/nodes', field: 'nodes', message: 'The document has 10001 nodes; at most 10000 are allowed.' }]);
  });
});

describe('the editor and the loader accept the same wires', () => {
  it('a third projection between the same two ports: the editor refuses to draw it and the loader marks it', () => {
    const text = JSON.stringify({
      format: 'spikeflow-graph',
      version: 1,
      simulation: { dt_ms: 0.1, duration_ms: 100, seed: 1 },
      nodes: [
        { id: 'src', kind: 'poisson-source', params: { size: 5 } },
        { id: 'lif', kind: 'lif-curr-exp', params: { size: 5 } },
      ],
      edges: [
        { id: 'e', source: { node: 'src', port: 'spikes' }, target: { node: 'lif', port: 'in' }, params: { receptor: 'exc' } },
        { id: 'i', source: { node: 'src', port: 'spikes' }, target: { node: 'lif', port: 'in' }, params: { receptor: 'inh' } },
      ],
    });
    const two = loadDocument(text);
    if (!two.ok) throw new Error('two wires load');
    expect(connectionProblem(two.doc, { node: 'src', port: 'spikes' }, { node: 'lif', port: 'in' })).toBe('These two ports are already wired together.');
    for (const receptor of ['exc', 'inh']) {
      const third = JSON.parse(text);
      third.edges.push({ id: 'x', source: { node: 'src', port: 'spikes' }, target: { node: 'lif', port: 'in' }, params: { receptor } });
      const r = loadDocument(JSON.stringify(third));
      expect(r.ok).toBe(false);
      // A value problem: the document still opens (marked), so the wire can be fixed in the editor.
      if (!r.ok) expect(r).toMatchObject({ issues: [{ pointer: '/edges/2/params/receptor' }], recoverable: expect.anything() });
    }
  });
});
