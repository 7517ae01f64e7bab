import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { CURRENT_VERSION } from './document.ts';
import { OLDEST_VERSION } from './migrate.ts';
import { loadDocument, serializeDocument } from './load.ts';

/** One golden file per format version, written as that version's Spikeflow wrote it. */
const fixture = (version: number) => new URL(`../../test/fixtures/format-v${version}.spikeflow.json`, import.meta.url);
const versions = Array.from({ length: CURRENT_VERSION - OLDEST_VERSION + 1 }, (_, i) => OLDEST_VERSION + i);

describe('golden fixtures', () => {
  it.each(versions)('exist for every readable format version (v%i)', (v) => {
    expect(existsSync(fixture(v)), `add test/fixtures/format-v${v}.spikeflow.json`).toBe(true);
  });

  it.each(versions)('v%i loads without errors or warnings', (v) => {
    const r = loadDocument(readFileSync(fixture(v), 'utf8'));
    expect(r.ok ? r.warnings : r.issues).toEqual([]);
  });

  it(`the current version (v${CURRENT_VERSION}) is re-serialized unchanged, byte for byte`, () => {
    const text = readFileSync(fixture(CURRENT_VERSION), 'utf8');
    const r = loadDocument(text);
    expect(r.ok).toBe(true);
    // If a kind gained a param, the fixture now re-saves with its default: re-save it (engine/format/README.md).
    if (r.ok) expect(serializeDocument(r.doc), 'the golden fixture no longer re-saves unchanged').toBe(text);
  });

  it('the current fixture uses the first five kinds, every connectivity rule, every distribution family, a group in a group and unknown fields', () => {
    const text = readFileSync(fixture(CURRENT_VERSION), 'utf8');
    const doc = JSON.parse(text);
    type Level = { nodes: { kind: string; nodes?: unknown }[]; edges: { params: { rule?: string } }[] };
    // Every level: the top one and each group's (format v2).
    const levels = (l: Level, depth = 0): [Level, number][] => [[l, depth], ...l.nodes.flatMap((n) => (n.kind === 'group' ? levels(n as unknown as Level, depth + 1) : []))];
    const all = levels(doc);
    const kinds = new Set(all.flatMap(([l]) => l.nodes.map((n) => n.kind)));
    const rules = new Set(all.flatMap(([l]) => l.edges.map((e) => e.params.rule)).filter(Boolean));
    expect([...rules].sort()).toEqual(['all-to-all', 'bernoulli', 'fixed-in-degree', 'fixed-out-degree', 'fixed-total', 'one-to-one']);
    for (const family of ['uniform', 'normal', 'lognormal']) expect(text).toContain(`"dist": "${family}"`);
    expect([...kinds].sort()).toEqual(['dc-current', 'group', 'lif-curr-exp', 'poisson-source', 'spike-generator', 'spike-monitor']);
    expect(Math.max(...all.map(([, d]) => d))).toBe(2);
    expect(doc['x-generator']).toBeDefined();
    expect(text).toContain('kept: an unknown group field');
    expect(text).toContain('kept: an unknown port field');
  });
});
