import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { KINDS, PROJECTION_PARAMS, checkParamValue } from '../kinds/index.ts';
import type { ParamSpec } from '../kinds/index.ts';
import { loadDocument, newDocument, serializeDocument } from './load.ts';
import { SCHEMA_PATH, buildJsonSchema, paramJsonSchema, schemaText } from './schema.ts';

const root = new URL('../../', import.meta.url);
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(buildJsonSchema());

function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const fixtures = readdirSync(new URL('test/fixtures/', root)).filter((f) => /^format-v\d+\.spikeflow\.json$/.test(f));
const examplesDir = new URL('examples/', root);
const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => f.endsWith('.json')) : [];

describe('the committed JSON Schema', () => {
  it('matches the kind registry (if not: run npx tsx scripts/gen-schema.ts)', () => {
    const committed = readFileSync(new URL(SCHEMA_PATH, root), 'utf8');
    expect(committed === schemaText(), `${SCHEMA_PATH} is out of date: run npx tsx scripts/gen-schema.ts`).toBe(true);
  });

  it('is a valid draft 2020-12 schema that compiles in strict mode', () => {
    expect(ajv.validateSchema(buildJsonSchema())).toBe(true);
    expect(buildJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('valid documents pass the schema', () => {
  it('a new empty document', () => {
    expect(schemaErrors(JSON.parse(serializeDocument(newDocument())))).toEqual([]);
  });

  it.each(fixtures)('the golden fixture %s', (file) => {
    expect(schemaErrors(JSON.parse(readFileSync(new URL(`test/fixtures/${file}`, root), 'utf8')))).toEqual([]);
  });

  it.each(examples.length ? examples : ['(no examples yet)'])('the example %s, which the loader accepts too', (file) => {
    if (!examples.length) return;
    const text = readFileSync(new URL(file, examplesDir), 'utf8');
    expect(loadDocument(text).ok).toBe(true);
    expect(schemaErrors(JSON.parse(text))).toEqual([]);
  });

  it('a document that leaves out what the loader fills in', () => {
    const doc = {
      format: 'spikeflow-graph',
      version: 1,
      simulation: { dt_ms: 0.1, duration_ms: 10, seed: 0 },
      nodes: [
        { id: 'a', kind: 'poisson-source' },
        { id: 'b', kind: 'lif-curr-exp', params: { size: 3 } },
      ],
      edges: [{ id: 'e', source: { node: 'a', port: 'spikes' }, target: { node: 'b', port: 'in' } }],
    };
    expect(loadDocument(JSON.stringify(doc)).ok).toBe(true);
    expect(schemaErrors(doc)).toEqual([]);
  });
});

interface Fixture {
  version: number;
  simulation?: { seed: number };
  nodes: { kind: string; params: Record<string, unknown> }[];
  edges: { source: unknown; params: Record<string, unknown> }[];
}

describe('the schema refuses what the loader refuses', () => {
  const base = (): Fixture => JSON.parse(readFileSync(new URL('test/fixtures/format-v1.spikeflow.json', root), 'utf8'));

  it('an out-of-bounds param', () => {
    const doc = base();
    doc.nodes[3].params.tau_m_ms = -5;
    expect(schemaErrors(doc)).toContain('/nodes/3/params/tau_m_ms must be > 0');
  });

  it('an unknown kind, a newer version, a missing simulation, a fractional seed', () => {
    const mutations: ((d: Fixture) => void)[] = [
      (d) => (d.nodes[0].kind = 'lif-foo'),
      (d) => (d.version = 3),
      (d) => delete d.simulation,
      (d) => (d.simulation!.seed = 1.5),
      (d) => (d.edges[0].source = 'pois.spikes'),
    ];
    for (const mutate of mutations) {
      const doc = base();
      mutate(doc);
      expect(loadDocument(JSON.stringify(doc)).ok).toBe(false);
      expect(schemaErrors(doc).length).toBeGreaterThan(0);
    }
  });

  it('an active param, but not an inactive one', () => {
    const doc = base();
    doc.edges[1].params.p = 7; // rule all-to-all: p is inactive
    expect(schemaErrors(doc)).toEqual([]);
    doc.edges[1].params.rule = 'bernoulli';
    expect(schemaErrors(doc)).toContain('/edges/1/params/p must be <= 1');
  });

  it('a param left out whose default makes another param active', () => {
    // `rule` defaults to all-to-all, so `n` is checked only when rule says a fixed count.
    const doc = base();
    doc.edges[1].params = { n: -1 };
    expect(schemaErrors(doc)).toEqual([]);
    doc.edges[1].params = { rule: 'fixed-total', n: -1 };
    expect(schemaErrors(doc).length).toBeGreaterThan(0);
  });
});

/** Values near the interesting places of a spec: bounds, types, each distribution family. */
function valuesFor(spec: ParamSpec): fc.Arbitrary<unknown> {
  const anchors = [0, -1, 1, 0.5, 1.5, -1000, 1000, 1e6, 1e9, 1e300, -1e300];
  for (const k of ['min', 'max'] as const) {
    const b = (spec as { min?: number; max?: number })[k];
    if (b !== undefined) anchors.push(b, b - 1, b + 1, b - 1e-9, b + 1e-9);
  }
  const num = fc.oneof(fc.constantFrom(...anchors), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
  const dist = fc.record(
    {
      dist: fc.constantFrom('constant', 'uniform', 'normal', 'lognormal', 'cauchy'),
      low: num,
      high: num,
      mean: num,
      sd: num,
      mu: num,
      sigma: num,
      min: fc.oneof(num, fc.string()),
      max: num,
    },
    { requiredKeys: ['dist'] },
  );
  const enums = spec.type === 'enum' ? spec.options.map((o) => o.value) : ['x'];
  return fc.oneof(num, dist, fc.array(num, { maxLength: 4 }), fc.constantFrom(...enums, true, false, null, '', '1'), fc.jsonValue({ maxDepth: 2 }));
}

describe('each param schema agrees with checkParamValue', () => {
  const specs: [string, ParamSpec][] = [
    ...KINDS.flatMap((k) => Object.entries(k.params).map(([n, s]) => [`${k.id}.${n}`, s] as [string, ParamSpec])),
    ...Object.entries(PROJECTION_PARAMS).map(([n, s]) => [`projection.${n}`, s as ParamSpec] as [string, ParamSpec]),
  ];

  it.each(specs)('%s', (_name, spec) => {
    const check = ajv.compile(paramJsonSchema(spec));
    fc.assert(
      fc.property(valuesFor(spec), (value) => {
        const loaderOk = checkParamValue(spec, value) === null;
        const schemaOk = check(value);
        // The one rule JSON Schema cannot state: uniform needs low ≤ high.
        const v = value as Record<string, unknown>;
        const inexpressible = !loaderOk && schemaOk && typeof value === 'object' && value !== null && v.dist === 'uniform' && (v.low as number) > (v.high as number);
        if (!inexpressible) expect({ value, schemaOk }).toEqual({ value, schemaOk: loaderOk });
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
