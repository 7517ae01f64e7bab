import { describe, expect, it } from 'vitest';
import { loadDocument } from './load.ts';
import { compileDocument } from '../compile/compile.ts';
import { MAX_STEPS } from './validate.ts';

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
    const r = loadDocument(JSON.stringify({ ...base, nodes: [lif('a'), lif('b')], edges: [{ id: 'ab', source: { node: 'a', port: 'spikes' }, target: { node: 'b', port: 'in' }, params: { delay_ms: 1e9 } }] }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual([expect.objectContaining({ pointer: '/edges/0/params/delay_ms', field: 'delay_ms', edgeId: 'ab' })]);
      expect(r.issues[0].message).toMatch(/a delay of up to 1000000000 ms is 10000000000 steps of dt_ms = 0\.1 ms; a delay has at most 1048576 steps \(104858 ms at this dt\)/);
    }
  });
});
