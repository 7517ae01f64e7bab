/**
 * A fuzz test of the whole path a document takes (issue 12): 10 000 seeded
 * random and mutated documents — random kinds, ports, params of any JSON type,
 * hostile ids, broken fields — go through load, validate, compile and a short
 * run. Nothing may throw; every problem carries a JSON pointer; every document
 * that loads and compiles (what `spikeflow validate` calls valid) builds and runs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KINDS, PROJECTION_PARAMS, defaultParams, runtimeOf } from '../engine/kinds/index.ts';
import { loadDocument } from '../engine/format/load.ts';
import { checkDocument } from '../engine/format/validate.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { Network } from '../engine/sim/network.ts';
import type { DocIssue } from '../engine/format/document.ts';

type Obj = Record<string, unknown>;

const DOCUMENTS = 10_000;
const ID = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g') },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
);
const junk = fc.jsonValue({ maxDepth: 2 });

/** Params: the kind's defaults (sizes small), then up to two random changes. */
function paramsArb(specs: Readonly<Record<string, unknown>>): fc.Arbitrary<Obj> {
  const names = Object.keys(specs);
  const change = fc.record({ name: names.length ? fc.constantFrom(...names, 'unknown_param') : fc.constant('unknown_param'), value: fc.option(junk, { nil: undefined }) });
  const changes = fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(change, { minLength: 1, maxLength: 2 }) });
  return fc.tuple(fc.integer({ min: 1, max: 20 }), changes).map(([size, changes]) => {
    const p: Obj = { ...defaultParams(specs as never) };
    if ('size' in p) p.size = size;
    for (const c of changes) {
      if (c.value === undefined) delete p[c.name];
      else p[c.name] = c.value;
    }
    return p;
  });
}

const nodeArb = fc
  .constantFrom(...KINDS.filter((k) => k.id !== 'sg-trainer'))
  .chain((kind) => fc.record({ id: ID, kind: fc.oneof({ weight: 9, arbitrary: fc.constant(kind.id) }, { weight: 1, arbitrary: fc.constantFrom('nope', 42) }), params: paramsArb(kind.params) }));

function edgeArb(nodes: readonly Obj[]): fc.Arbitrary<Obj> {
  const ref = (out: boolean) =>
    fc
      .tuple(
        fc.nat(Math.max(0, nodes.length - 1)),
        fc.nat(7),
        fc
          .boolean()
          .chain((b) => (b ? fc.boolean() : fc.constant(false)))
          .chain((b) => (b ? fc.boolean() : fc.constant(false))),
      )
      .map(([i, j, junkPort]) => {
        const n = nodes[i];
        const kind = KINDS.find((k) => k.id === n?.kind);
        const ports = (out ? kind?.outputs : kind?.inputs) ?? [];
        return { node: n?.id ?? 'x', port: junkPort || ports.length === 0 ? 'in' : ports[j % ports.length].id };
      });
  return fc.record({ id: ID, source: ref(true), target: ref(false), params: fc.oneof(fc.constant({}), paramsArb(PROJECTION_PARAMS)) });
}

const documentArb: fc.Arbitrary<string> = fc
  .array(nodeArb, { minLength: 1, maxLength: 5 })
  .chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes),
      edges: fc.array(edgeArb(nodes), { maxLength: 6 }),
      dt: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0.1, 0.5, 1) }, { weight: 1, arbitrary: fc.double({ min: 1e-4, max: 200, noNaN: true }) }),
      steps: fc.integer({ min: 1, max: 5 }),
      seed: fc.oneof({ weight: 9, arbitrary: fc.nat(2 ** 32 - 1) }, { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 32, 0.5) }),
      // One document in ten has a broken top-level field.
      breakTop: fc.oneof(
        { weight: 9, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.record({ key: fc.constantFrom('format', 'version', 'meta', 'simulation', 'nodes', 'edges', 'view'), value: fc.option(junk, { nil: undefined }) }) },
      ),
    }),
  )
  .map(({ nodes, edges, dt, steps, seed, breakTop }) => {
    const doc: Obj = { format: 'spikeflow-graph', version: 1, simulation: { dt_ms: dt, duration_ms: dt * steps, seed }, nodes, edges, view: {} };
    if (breakTop) {
      if (breakTop.value === undefined) delete doc[breakTop.key];
      else doc[breakTop.key] = breakTop.value;
    }
    return JSON.stringify(doc);
  });

function expectPointers(issues: readonly DocIssue[]): void {
  for (const i of issues) {
    expect(typeof i.pointer).toBe('string');
    expect(i.pointer === '' || i.pointer.startsWith('/'), `"${i.pointer}" is not a JSON pointer (${i.message})`).toBe(true);
    expect(i.message.length).toBeGreaterThan(0);
  }
}

describe('hostile documents (fuzz)', () => {
  it(`${DOCUMENTS} random and mutated documents: no exception, every problem with a pointer, every valid one builds and runs`, () => {
    const tally = { loaded: 0, compiled: 0, ran: 0 };
    fc.assert(
      fc.property(documentArb, (text) => {
        const loaded = loadDocument(text);
        if (!loaded.ok) {
          expectPointers(loaded.issues);
          return;
        }
        tally.loaded++;
        // validate agrees with load
        expect(checkDocument(loaded.doc).errors).toEqual([]);
        const compiled = compileDocument(loaded.doc);
        if (!compiled.ok) {
          expectPointers(compiled.issues);
          return;
        }
        tally.compiled++;
        const net = new Network(compiled.plan, { runtimes: runtimeOf, memoryLimitBytes: 256 * 2 ** 20 });
        for (let s = 0; s < Math.min(net.nSteps, 5); s++) net.advance();
        net.stats(0, 0);
        tally.ran++;
      }),
      { numRuns: DOCUMENTS, seed: 12, endOnFailure: true },
    );
    // The generator reaches every stage often enough to mean something.
    expect(tally.ran).toBeGreaterThan(DOCUMENTS / 40);
    console.log(`hostile documents: ${DOCUMENTS} fuzzed, ${tally.loaded} loaded, ${tally.compiled} compiled, ${tally.ran} built and ran`);
  }, 120_000);
});
