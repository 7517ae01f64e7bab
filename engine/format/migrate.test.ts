import { describe, it, expect } from 'vitest';
import { MIGRATIONS, OLDEST_VERSION, migrate, migrationChainProblems } from './migrate.ts';
import type { JsonObject, Migration, MigrationSet } from './migrate.ts';
import { CURRENT_VERSION } from './document.ts';
import { readFileSync } from 'node:fs';
import { loadDocument } from './load.ts';
import { compileDocument } from '../compile/compile.ts';

/**
 * Every shipped migration is tested through `migrationUnderTest(name)`, which
 * records the name; the meta-test at the end of this file fails for any
 * migration in MIGRATIONS that no test asked for (as tldraw's migrators).
 */
const tested = new Set<string>();
function migrationUnderTest(name: string): Migration {
  tested.add(name);
  const m = MIGRATIONS.find((x) => x.name === name);
  if (!m) throw new Error(`no migration named ${name}`);
  return m;
}

function untestedMigrations(list: readonly Migration[], seen: ReadonlySet<string>): string[] {
  return list.filter((m) => !seen.has(m.name)).map((m) => m.name);
}

/**
 * A hypothetical pre-release version 0 (test only; never shipped): wires were
 * called `wires` and named their ends "node.port".
 */
const v0ToV1: Migration = {
  name: 'v1-wires-to-edges',
  from: 0,
  up(doc: JsonObject): JsonObject {
    const wires = doc.wires;
    if (Array.isArray(wires)) {
      const split = (s: unknown) => {
        const [node, port] = typeof s === 'string' ? s.split('.') : [];
        return { node, port };
      };
      doc.edges = wires.map((w: Record<string, unknown>) => {
        const { from, to, ...rest } = w;
        return { ...rest, source: split(from), target: split(to) };
      });
      delete doc.wires;
    }
    return doc;
  },
};
const HYPOTHETICAL: MigrationSet = { migrations: [v0ToV1], oldestVersion: 0, currentVersion: 1 };
/** The test-only version 0 followed by the shipped chain, for loading all the way up. */
const HYPOTHETICAL_TO_CURRENT: MigrationSet = { migrations: [v0ToV1, ...MIGRATIONS], oldestVersion: 0, currentVersion: CURRENT_VERSION };

const v0Text = JSON.stringify({
  format: 'spikeflow-graph',
  version: 0,
  simulation: { dt_ms: 0.1, duration_ms: 10, seed: 3 },
  nodes: [
    { id: 'p', kind: 'poisson-source', params: { size: 5, rate_hz: 10 } },
    { id: 'm', kind: 'spike-monitor' },
  ],
  wires: [{ id: 'w', from: 'p.spikes', to: 'm.spikes', colour: 'red' }],
  extra: 1,
});

describe('the migration machinery (with a test-only version 0)', () => {
  it('loads an old document by running its migration, keeping unknown fields', () => {
    const r = loadDocument(v0Text, { migrations: HYPOTHETICAL_TO_CURRENT });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.version).toBe(CURRENT_VERSION);
    expect(r.doc.edges).toEqual([{ id: 'w', source: { node: 'p', port: 'spikes' }, target: { node: 'm', port: 'spikes' }, params: {}, colour: 'red' }]);
    expect(r.doc.extra).toBe(1);
    expect('wires' in r.doc).toBe(false);
  });

  it('reports which migrations ran', () => {
    const r = migrate(JSON.parse(v0Text) as JsonObject, HYPOTHETICAL);
    expect(r.ok && r.applied).toEqual(['v1-wires-to-edges']);
    const all = migrate(JSON.parse(v0Text) as JsonObject, HYPOTHETICAL_TO_CURRENT);
    expect(all.ok && all.applied).toEqual(['v1-wires-to-edges', ...MIGRATIONS.map((m) => m.name)]);
  });

  it('runs nothing for a current document', () => {
    const r = migrate({ format: 'spikeflow-graph', version: 1 }, HYPOTHETICAL);
    expect(r.ok && r.applied).toEqual([]);
  });

  it('refuses a document from a newer Spikeflow with a clear message', () => {
    const r = migrate({ version: 2 }, HYPOTHETICAL);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issue.pointer).toBe('/version');
    expect(r.issue.message).toBe('This graph was made by a newer Spikeflow (format version 2); this Spikeflow reads format versions up to 1. Update Spikeflow to open it.');
  });

  it('refuses versions older than it reads, missing or not whole numbers', () => {
    const bad = (version: unknown) => {
      const r = migrate({ version }, HYPOTHETICAL);
      return r.ok ? 'ok' : r.issue.message;
    };
    expect(bad(-1)).toContain('whole number');
    expect(bad(0.5)).toContain('whole number');
    expect(bad('1')).toContain('whole number');
    expect(bad(undefined)).toContain('no "version"');
    const shipped = migrate({ version: 0 });
    expect(!shipped.ok && shipped.issue.message).toBe('Format version 0 is older than this Spikeflow can read (oldest: 1).');
  });

  it('turns a migration that throws into an issue naming it', () => {
    const broken: MigrationSet = {
      ...HYPOTHETICAL,
      migrations: [
        {
          name: 'v1-broken',
          from: 0,
          up: () => {
            throw new Error('boom');
          },
        },
      ],
    };
    const r = migrate({ version: 0 }, broken);
    expect(!r.ok && r.issue.message).toBe('Upgrading the graph from format version 0 to 1 (migration "v1-broken") failed: boom.');
  });

  it('finds gaps, duplicates and out-of-range migrations in a chain', () => {
    const m = (name: string, from: number): Migration => ({ name, from, up: (d) => d });
    expect(migrationChainProblems({ migrations: [m('a', 1), m('c', 3)], oldestVersion: 1, currentVersion: 4 })).toEqual(['Version 2 needs exactly one migration to version 3 (found 0).']);
    expect(migrationChainProblems({ migrations: [m('a', 1), m('a', 1), m('z', 9)], oldestVersion: 1, currentVersion: 2 })).toEqual([
      'Migration name "a" is used twice.',
      'Migration "z" reads version 9, outside 1…1.',
      'Version 1 needs exactly one migration to version 2 (found 2).',
    ]);
    expect(migrationChainProblems(HYPOTHETICAL)).toEqual([]);
    expect(migrationChainProblems(HYPOTHETICAL_TO_CURRENT)).toEqual([]);
  });

  it('the meta-check names a migration that has no test', () => {
    expect(untestedMigrations([v0ToV1], new Set())).toEqual(['v1-wires-to-edges']);
    expect(untestedMigrations([v0ToV1], new Set(['v1-wires-to-edges']))).toEqual([]);
  });
});

describe('the shipped migrations', () => {
  // One test per migration goes here, each starting with migrationUnderTest('<name>').

  it('v2-groups: a version 1 graph becomes version 2 with every field kept, and loads as the same graph', () => {
    const m = migrationUnderTest('v2-groups');
    expect(m.from).toBe(1);
    const v1 = readFileSync(new URL('../../test/fixtures/format-v1.spikeflow.json', import.meta.url), 'utf8');
    const before = JSON.parse(v1) as JsonObject;
    const r = migrate(JSON.parse(v1) as JsonObject);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.applied).toEqual(['v2-groups']);
    // Only the version changes: nodes, wires, params and unknown fields at every level stay.
    expect(r.doc).toEqual({ ...before, version: 2 });
    const loaded = loadDocument(v1);
    expect(loaded.ok && loaded.warnings).toEqual([]);
    if (!loaded.ok) return;
    expect(loaded.doc.version).toBe(2);
    expect((loaded.doc as JsonObject)['x-generator']).toEqual(before['x-generator']);
    expect(loaded.doc.meta.author).toBe('kept: an unknown meta field');
    expect(loaded.doc.nodes.find((n) => n.id === 'exc')?.color).toBeDefined();
    // The same network compiles from the upgraded graph as from the version 1 text.
    const plan = compileDocument(loaded.doc);
    expect(plan.ok && plan.plan.populations.map((p) => p.nodeId)).toEqual(['pois', 'gen', 'dc', 'exc', 'inh']);
  });

  it('v2-groups: leaves a version 1 node whose kind was already "group" for validation to judge', () => {
    migrationUnderTest('v2-groups');
    const v1 = { format: 'spikeflow-graph', version: 1, simulation: { dt_ms: 0.1, duration_ms: 10, seed: 1 }, nodes: [{ id: 'g', kind: 'group' }], edges: [] };
    const r = loadDocument(JSON.stringify(v1));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${i.pointer}: ${i.message}`)).toEqual([
      '/nodes/0/nodes: Group "g", field nodes: must be a list (got nothing).',
      '/nodes/0/edges: Group "g", field edges: must be a list (got nothing).',
      '/nodes/0/ports: Group "g", field ports: must be a list (got nothing).',
    ]);
  });

  it('form one chain from the oldest readable version to the current one', () => {
    expect(OLDEST_VERSION).toBeLessThanOrEqual(CURRENT_VERSION);
    expect(migrationChainProblems()).toEqual([]);
  });

  it('each have a test (meta-test; keep this last in the file)', () => {
    expect(untestedMigrations(MIGRATIONS, tested)).toEqual([]);
  });
});
