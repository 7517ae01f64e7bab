/**
 * Property tests of the loader, generated from the kind registry: random
 * valid documents load and round-trip byte for byte; leaving out what may be
 * left out changes nothing; random damage never throws and always yields
 * issues that point into the document.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020.js';
import { KINDS, PROJECTION_PARAMS, paramActive } from '../kinds/index.ts';
import type { DistFamily, DistParam, NodeKind, ParamSpec, ParamSpecs } from '../kinds/index.ts';
import type { DocIssue, GraphDocument } from './document.ts';
import { CURRENT_VERSION } from './document.ts';
import { edgeRole, wireEndsProblem } from './connect.ts';
import { defaultPosition, loadDocument, serializeDocument } from './load.ts';
import type { LoadResult } from './load.ts';
import { parsePointer, resolvePointer } from './pointer.ts';
import { buildJsonSchema } from './schema.ts';
import { setOwn } from './serialize.ts';
import { checkDocument } from './validate.ts';

type Obj = Record<string, unknown>;

const CLOCK_ISO = '2025-03-04T05:06:07.000Z';
const clock = () => new Date(CLOCK_ISO);
const RUNS = { numRuns: 150 };
const schemaCheck = new Ajv2020({ strict: true }).compile(buildJsonSchema());

// ---------------------------------------------------------------- generators

const text = fc.string({ unit: 'binary', maxLength: 8 });
const json = fc.jsonValue({ maxDepth: 2 });

/** Objects with up to two keys that are not in `known`, holding any JSON. */
function unknownFields(known: readonly string[]): fc.Arbitrary<Obj> {
  return fc.dictionary(
    fc.string({ maxLength: 6 }).filter((k) => !known.includes(k)),
    json,
    { maxKeys: 2, noNullPrototype: true },
  );
}

function withExtra(obj: Obj, extra: Obj): Obj {
  for (const k of Object.keys(extra)) setOwn(obj, k, extra[k]);
  return obj;
}

function numberIn(spec: { min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean }): fc.Arbitrary<number> {
  const lo = spec.min ?? -1e6;
  const hi = spec.max ?? lo + 1e6;
  if (spec.integer) return fc.integer({ min: Math.ceil(spec.exclusiveMin && Number.isInteger(lo) ? lo + 1 : lo), max: Math.floor(hi) });
  return fc.double({ min: lo, max: hi, minExcluded: !!spec.exclusiveMin, noNaN: true });
}

function distValue(family: DistFamily, spec: DistParam): fc.Arbitrary<unknown> {
  const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true });
  const nonNegative = fc.double({ min: 0, max: 100, noNaN: true });
  switch (family) {
    case 'constant':
      return numberIn(spec);
    case 'uniform':
      return fc.tuple(numberIn(spec), numberIn(spec)).map(([a, b]) => ({ dist: 'uniform', low: Math.min(a, b), high: Math.max(a, b) }));
    case 'normal':
      return fc.record({ dist: fc.constant('normal'), mean: finite, sd: nonNegative, min: finite, max: finite }, { requiredKeys: ['dist', 'mean', 'sd'] });
    case 'lognormal':
      return fc.record({ dist: fc.constant('lognormal'), mu: finite, sigma: nonNegative });
  }
}

/** A valid value for one param spec. */
function validValue(spec: ParamSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'number':
      return fc.oneof(fc.constant(spec.default), numberIn(spec));
    case 'dist':
      return fc.oneof(...spec.families.map((f) => distValue(f, spec)));
    case 'enum':
      return fc.constantFrom(...spec.options.map((o) => o.value));
    case 'boolean':
      return fc.boolean();
    case 'string':
      return text;
    case 'numbers':
      return fc.array(numberIn(spec), { maxLength: 5 });
  }
}

/**
 * Valid params for `specs`: active params valid, inactive ones sometimes junk
 * (they are ignored), a few unknown params (kept, with a warning). Values that
 * break the kind's cross-field check are reset to defaults.
 */
function paramsFor(specs: ParamSpecs, check?: NodeKind['check']): fc.Arbitrary<Obj> {
  const names = Object.keys(specs);
  const valid = fc.record(Object.fromEntries(names.map((n) => [n, validValue(specs[n])])) as Record<string, fc.Arbitrary<unknown>>);
  const junk = fc.record(Object.fromEntries(names.map((n) => [n, fc.option(json, { nil: undefined })])) as Record<string, fc.Arbitrary<unknown>>);
  return fc.tuple(valid, junk, unknownFields(names)).map(([v, j, extra]) => {
    const params: Obj = { ...v };
    for (const n of names) if (!paramActive(specs[n], v) && j[n] !== undefined) params[n] = j[n];
    // A junked controller may switch a param on again: restore those.
    for (let pass = 0; pass < names.length; pass++) {
      for (const n of names) if (paramActive(specs[n], params) && params[n] !== v[n]) params[n] = v[n];
    }
    for (let pass = 0; check && pass < 3; pass++) {
      const problems = check(params as never);
      if (problems.length === 0) break;
      for (const [field] of problems) params[field] = structuredClone(specs[field].default);
      if (pass === 2) for (const n of names) params[n] = structuredClone(specs[n].default);
    }
    return withExtra(params, extra);
  });
}

function nodeFor(id: string, kind: NodeKind): fc.Arbitrary<Obj> {
  const coord = fc.double({ noNaN: true, noDefaultInfinity: true });
  return fc
    .tuple(text, coord, coord, paramsFor(kind.params, kind.check), unknownFields(['id', 'kind', 'label', 'position', 'params']))
    .map(([label, x, y, params, extra]) => withExtra({ id, kind: kind.id, label, position: { x, y }, params }, extra));
}

interface Candidate {
  source: { node: string; port: string };
  target: { node: string; port: string };
  projection: boolean;
  multiple: boolean;
  /** The wire leaves a plasticity node: one wire per output, no params. */
  fromPlasticity: boolean;
}

function candidates(nodes: Obj[]): Candidate[] {
  const find = (id: string) => nodes.find((n) => n.id === id) as { id: string; kind: string } | undefined;
  const out: Candidate[] = [];
  for (const s of nodes) {
    for (const t of nodes) {
      const sk = KINDS.find((k) => k.id === s.kind)!;
      const tk = KINDS.find((k) => k.id === t.kind)!;
      for (const o of sk.outputs) {
        for (const i of tk.inputs) {
          const source = { node: s.id as string, port: o.id };
          const target = { node: t.id as string, port: i.id };
          const fromPlasticity = sk.runtime.role === 'plasticity';
          if (!wireEndsProblem(find, source, target)) {
            out.push({ source, target, projection: i.role === 'projection' && !fromPlasticity, multiple: i.multiple !== false, fromPlasticity });
          }
        }
      }
    }
  }
  return out;
}

function sizeOf(node: Obj | undefined): number | undefined {
  const kind = KINDS.find((k) => k.id === node?.kind);
  return kind?.size?.((node as { params: never }).params);
}

/** Make projection params feasible for the sizes they join (one-to-one sizes, fixed counts; no autapse-only wire). */
function feasible(params: Obj, src: number | undefined, tgt: number | undefined, self: boolean): Obj {
  if (params.rule === 'one-to-one' && src !== tgt) params.rule = 'all-to-all';
  if (params.rule === 'one-to-one' && self) params.allow_autapses = true;
  if (String(params.rule).startsWith('fixed-')) params.allow_multapses = true;
  return params;
}

const edgeIds = (n: number) => fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: 'binary' }), { minLength: n, maxLength: n });

function edgesFor(nodes: Obj[]): fc.Arbitrary<Obj[]> {
  const all = candidates(nodes);
  return fc.subarray(all, { maxLength: Math.min(8, all.length) }).chain((chosen) => {
    const taken = new Set<string>();
    const wires = chosen.filter((c) => {
      const key = JSON.stringify(c.target);
      if (!c.multiple && taken.has(key)) return false;
      const sourceKey = JSON.stringify(['out', c.source]);
      if (c.fromPlasticity && taken.has(sourceKey)) return false;
      taken.add(key);
      if (c.fromPlasticity) taken.add(sourceKey);
      return true;
    });
    return fc
      .tuple(
        edgeIds(wires.length),
        fc.tuple(...wires.map((w) => (w.projection ? paramsFor(PROJECTION_PARAMS) : fc.constant({})))),
        fc.tuple(...wires.map(() => unknownFields(['id', 'source', 'target', 'params']))),
      )
      .map(([ids, params, extras]) =>
        wires.map((w, i) => {
          const p = w.projection
            ? feasible(params[i], sizeOf(nodes.find((n) => n.id === w.source.node)), sizeOf(nodes.find((n) => n.id === w.target.node)), w.source.node === w.target.node)
            : params[i];
          return withExtra({ id: ids[i], source: { ...w.source }, target: { ...w.target }, params: p }, extras[i]);
        }),
      );
  });
}

const nodesArb: fc.Arbitrary<Obj[]> = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: 'binary' }), { maxLength: 6 })
  .chain((ids) => fc.tuple(...ids.map((id) => fc.constantFrom(...KINDS).chain((k) => nodeFor(id, k)))));

const simulationArb = fc
  .tuple(fc.oneof(fc.constantFrom(0.01, 0.025, 0.1, 0.5, 1), fc.double({ min: 1e-3, max: 10, noNaN: true })), fc.integer({ min: 1, max: 1e6 }), fc.nat({ max: 0xffffffff }))
  .map(([dt, steps, seed]) => ({ dt_ms: dt, duration_ms: dt * steps, seed }));

const iso = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());

/** A random valid, complete document, with unknown fields at every level. */
const documentArb: fc.Arbitrary<Obj> = fc
  .tuple(
    nodesArb,
    fc.record({ name: text, description: text, created: iso, modified: iso }),
    unknownFields(['name', 'description', 'created', 'modified']),
    simulationArb,
    unknownFields(['dt_ms', 'duration_ms', 'seed']),
    fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 3, noNullPrototype: true }),
    unknownFields(['format', 'version', 'meta', 'simulation', 'nodes', 'edges', 'view']),
  )
  .chain(([nodes, meta, metaExtra, sim, simExtra, view, extra]) =>
    edgesFor(nodes).map((edges) =>
      withExtra(
        {
          format: 'spikeflow-graph',
          version: CURRENT_VERSION,
          meta: withExtra(meta, metaExtra),
          simulation: withExtra(sim, simExtra),
          nodes,
          edges,
          view,
        },
        extra,
      ),
    ),
  )
  // A delay is bounded in steps (validate.ts MAX_DELAY_STEPS), which depends on dt: leave out the few drawn past it.
  .filter((doc) => !checkDocument(doc).errors.some((e) => e.field === 'delay_ms'));

// ---------------------------------------------------------------- helpers

function expectLoads(r: LoadResult): asserts r is Extract<LoadResult, { ok: true }> {
  if (!r.ok) expect.fail(`expected the document to load, got:\n${r.issues.map((i) => `${i.pointer}: ${i.message}`).join('\n')}`);
}

/** An issue is well formed: a full sentence, and a pointer whose parent exists in `raw`. */
function expectWellFormed(issue: DocIssue, raw: unknown): void {
  expect(typeof issue.message).toBe('string');
  expect(issue.message.trim().length).toBeGreaterThan(0);
  expect(issue.message).toMatch(/[.?!]$/);
  const segs = parsePointer(issue.pointer);
  expect(segs, `pointer ${JSON.stringify(issue.pointer)}`).not.toBeNull();
  if (raw !== undefined && segs && segs.length > 0) {
    const parent = segs
      .slice(0, -1)
      .map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`)
      .join('');
    expect(resolvePointer(raw, parent).found, `parent of ${issue.pointer} (${issue.message})`).toBe(true);
  }
}

/** Params a wire carries that the schema checks as projection params, although the loader only warns. */
function paramsOnNonProjectionWire(doc: GraphDocument): boolean {
  return doc.edges.some((e) => edgeRole(doc, e) !== 'projection' && Object.keys(e.params).length > 0);
}

// ---------------------------------------------------------------- properties

describe('random valid documents', () => {
  it('load without errors and save back to identical bytes', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const first = serializeDocument(doc as GraphDocument);
        const r = loadDocument(first, { clock });
        expectLoads(r);
        expect(r.doc).toEqual(JSON.parse(first));
        expect(serializeDocument(r.doc)).toBe(first);
        for (const w of r.warnings) {
          expectWellFormed(w, r.doc);
          expect(w.message).toMatch(/kept as is and ignored/);
        }
      }),
      { seed: 101, ...RUNS },
    );
  });

  it('pass the JSON Schema', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        expect(schemaCheck(JSON.parse(serializeDocument(doc as GraphDocument))), JSON.stringify(schemaCheck.errors)).toBe(true);
      }),
      { seed: 102, ...RUNS },
    );
  });

  it('load the same when what may be left out (at its default) is left out', () => {
    const masks = fc.infiniteStream(fc.boolean());
    fc.assert(
      fc.property(documentArb, masks, (generated, mask) => {
        const it = mask[Symbol.iterator]();
        const flip = () => it.next().value as boolean;
        const full = structuredClone(generated) as Obj & { nodes: Obj[]; edges: Obj[] };
        const lean = structuredClone(generated) as Obj & { nodes: Obj[]; edges: Obj[] };
        if (flip()) {
          full.meta = { name: 'Untitled', description: '', created: CLOCK_ISO, modified: CLOCK_ISO };
          delete lean.meta;
        }
        if (flip()) {
          full.view = {};
          delete lean.view;
        }
        full.nodes.forEach((n, i) => {
          const ln = lean.nodes[i];
          if (flip()) [n.label, ln.label] = [n.id, undefined];
          if (flip()) [n.position, ln.position] = [defaultPosition(i), undefined];
          const specs = KINDS.find((k) => k.id === n.kind)!.params;
          for (const name of Object.keys(specs)) {
            if (flip()) [(n.params as Obj)[name], (ln.params as Obj)[name]] = [structuredClone(specs[name].default), undefined];
          }
        });
        full.edges.forEach((e, j) => {
          const params = e.params as Obj;
          if (Object.keys(params).length === 0 && flip()) lean.edges[j].params = undefined;
          else
            for (const name of Object.keys(PROJECTION_PARAMS)) {
              if (name in params && flip()) [params[name], (lean.edges[j].params as Obj)[name]] = [structuredClone(PROJECTION_PARAMS[name as keyof typeof PROJECTION_PARAMS].default), undefined];
            }
        });
        // `undefined` members vanish in JSON, i.e. the field is left out.
        const a = loadDocument(JSON.stringify(full), { clock });
        const b = loadDocument(JSON.stringify(lean), { clock });
        if (a.ok) {
          expectLoads(b);
          expect(serializeDocument(b.doc)).toBe(serializeDocument(a.doc));
        } else {
          // Defaults can break a cross-field rule (e.g. a default size under one-to-one): then both refuse alike.
          expect(b.ok).toBe(false);
          if (!b.ok) expect(b.issues).toEqual(a.issues);
        }
      }),
      { seed: 103, ...RUNS },
    );
  });
});

// ---------------------------------------------------------------- mutations

type Path = (string | number)[];

/** Every path into `v`, parents before children. */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x] as [number, unknown])
    : typeof v === 'object' && v !== null
      ? Object.keys(v).map((k) => [k, (v as Obj)[k]] as [string, unknown])
      : [];
  for (const [k, x] of children) {
    out.push([...at, k]);
    paths(x, [...at, k], out);
  }
  return out;
}

function flipType(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.length === 0 ? 0 : Number.isNaN(Number(v)) ? v.length : Number(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return 0;
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return Object.values(v as Obj);
}

type Mutation = { op: 'delete' | 'replace' | 'flip' | 'string' | 'duplicate'; at: number; value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'replace', 'flip', 'string', 'duplicate'),
  at: fc.nat(),
  value: fc.oneof(json, text, fc.double(), fc.constantFrom(-1, 0, 1e9, null, '', [], {})),
});

function mutate(doc: unknown, m: Mutation): unknown {
  const all = paths(doc);
  if (all.length === 0) return m.value;
  const path = all[m.at % all.length];
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Obj)[k as string], doc) as Obj | unknown[];
  const key = path[path.length - 1];
  const current = (parent as Obj)[key as string];
  const set = (v: unknown) => (Array.isArray(parent) ? (parent[key as number] = v) : setOwn(parent, key as string, v));
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'replace':
      set(m.value);
      break;
    case 'flip':
      set(flipType(current));
      break;
    case 'string':
      set(typeof m.value === 'string' ? m.value : JSON.stringify(m.value));
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(current));
      else set([current, current]);
      break;
  }
  return doc;
}

function expectSoundResult(text: string): void {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    raw = undefined;
  }
  const r = loadDocument(text, { clock });
  if (!r.ok) {
    expect(r.issues.length).toBeGreaterThan(0);
    for (const issue of r.issues) expectWellFormed(issue, raw);
    return;
  }
  for (const w of r.warnings) expectWellFormed(w, raw);
  const saved = serializeDocument(r.doc);
  const again = loadDocument(saved, { clock });
  expectLoads(again);
  expect(serializeDocument(again.doc)).toBe(saved);
  // The schema accepts every file the loader accepts (bar params on non-projection wires, which the loader only warns about).
  if (!paramsOnNonProjectionWire(r.doc)) expect(schemaCheck(raw), JSON.stringify(schemaCheck.errors)).toBe(true);
}

describe('damaged documents', () => {
  it('never throw: they load, or give issues whose messages are sentences and whose pointers point into the file', () => {
    fc.assert(
      fc.property(documentArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (doc, mutations) => {
        let damaged: unknown = structuredClone(doc);
        for (const m of mutations) damaged = mutate(damaged, m);
        expectSoundResult(JSON.stringify(damaged));
      }),
      { seed: 104, numRuns: 400 },
    );
  });

  it('survive truncation and random edits of the text', () => {
    const edit = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 20 }),
      insert: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('{', '}', '[', ']', ',', '"', ':', '\\', '\n')),
      truncate: fc.boolean(),
    });
    fc.assert(
      fc.property(documentArb, edit, (doc, e) => {
        const original = serializeDocument(doc as GraphDocument);
        const i = e.at % (original.length + 1);
        const damaged = e.truncate ? original.slice(0, i) : original.slice(0, i) + e.insert + original.slice(i + e.cut);
        expectSoundResult(damaged);
      }),
      { seed: 105, numRuns: 400 },
    );
  });

  it('survive arbitrary strings and JSON values', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          json.map((v) => JSON.stringify({ format: 'spikeflow-graph', version: 1, ...(typeof v === 'object' && v && !Array.isArray(v) ? v : { v }) })),
        ),
        (t) => {
          expectSoundResult(t);
        },
      ),
      { seed: 106, numRuns: 400 },
    );
  });
});
