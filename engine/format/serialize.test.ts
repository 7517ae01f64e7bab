import { describe, it, expect } from 'vitest';
import type { GraphDocument } from './document.ts';
import fc from 'fast-check';
import { canonicalDocument, serializeDocument, writeJson } from './serialize.ts';

const scrambled = {
  view: {},
  edges: [{ params: { receptor: 'exc', weight: { sd: 1, mean: 2, dist: 'normal' }, rule: 'all-to-all' }, target: { port: 'in', node: 'b' }, source: { port: 'spikes', node: 'a' }, id: 'e' }],
  extra: 'last',
  nodes: [{ params: { rate_hz: 5, size: 3, zz: 1 }, position: { y: 2, x: 1 }, label: 'A', kind: 'poisson-source', id: 'a', colour: 'red' }],
  simulation: { seed: 1, duration_ms: 10, dt_ms: 0.1 },
  meta: { modified: 'm', created: 'c', description: 'd', name: 'n' },
  version: 1,
  format: 'spikeflow-graph',
  '7': 'integer-like',
} as unknown as GraphDocument;

describe('serializeDocument', () => {
  it('writes known keys in a fixed order, unknown ones after, params in declaration order', () => {
    const text = serializeDocument(scrambled);
    const doc = JSON.parse(text);
    expect(Object.keys(doc).filter((k) => k !== '7')).toEqual(['format', 'version', 'meta', 'simulation', 'nodes', 'edges', 'view', 'extra']);
    expect(Object.keys(doc.meta)).toEqual(['name', 'description', 'created', 'modified']);
    expect(Object.keys(doc.simulation)).toEqual(['dt_ms', 'duration_ms', 'seed']);
    expect(Object.keys(doc.nodes[0])).toEqual(['id', 'kind', 'label', 'position', 'params', 'colour']);
    expect(Object.keys(doc.nodes[0].position)).toEqual(['x', 'y']);
    expect(Object.keys(doc.nodes[0].params)).toEqual(['size', 'rate_hz', 'zz']);
    expect(Object.keys(doc.edges[0])).toEqual(['id', 'source', 'target', 'params']);
    expect(Object.keys(doc.edges[0].source)).toEqual(['node', 'port']);
    expect(Object.keys(doc.edges[0].params)).toEqual(['rule', 'weight', 'receptor']);
    expect(Object.keys(doc.edges[0].params.weight)).toEqual(['dist', 'mean', 'sd']);
  });

  it('uses a 2-space indent and ends with a newline', () => {
    const text = serializeDocument(scrambled);
    expect(text.startsWith('{\n  "format": "spikeflow-graph",\n  "version": 1,\n  "meta": {\n    "name": "n",\n')).toBe(true);
    expect(text.endsWith('\n  "view": {},\n  "7": "integer-like",\n  "extra": "last"\n}\n')).toBe(true);
  });

  it('keeps known keys ahead of integer-like unknown keys, which JavaScript objects would list first', () => {
    const text = serializeDocument(scrambled);
    expect(text.indexOf('"format"')).toBeLessThan(text.indexOf('"7"'));
    expect(text.indexOf('"view"')).toBeLessThan(text.indexOf('"7"'));
  });

  it('gives the same bytes for the same content in any key order', () => {
    const reordered = JSON.parse(JSON.stringify(canonicalDocument(scrambled))) as GraphDocument;
    expect(serializeDocument(reordered)).toBe(serializeDocument(scrambled));
  });

  it('does not change the document it is given', () => {
    const copy = JSON.stringify(scrambled);
    serializeDocument(scrambled);
    expect(JSON.stringify(scrambled)).toBe(copy);
  });
});

describe('writeJson', () => {
  it('writes what JSON.stringify(x, null, 2) writes for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(writeJson(v)).toBe(JSON.stringify(v, null, 2));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('drops undefined and function members and writes null for them in lists, as JSON.stringify does', () => {
    const v = { a: undefined, b: () => 1, c: [undefined, () => 1, -0, NaN], d: new Date(0) };
    expect(writeJson(v)).toBe(JSON.stringify(v, null, 2));
  });
});

describe('serializeDocument with integer-like keys', () => {
  it('writes the same content as JSON.stringify, indented alike, whatever the unknown values hold', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const doc = { ...scrambled, '7': a, view: { '0': b, z: [a] }, nodes: [{ ...scrambled.nodes[0], '12': b }] } as unknown as GraphDocument;
        const text = serializeDocument(doc);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
        // Only the key order differs from JSON.stringify's 2-space output: same length, same lines once sorted.
        const plain = `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
        expect(text.length).toBe(plain.length);
        expect(
          text
            .split('\n')
            .map((l) => l.replace(/,$/, ''))
            .sort(),
        ).toEqual(
          plain
            .split('\n')
            .map((l) => l.replace(/,$/, ''))
            .sort(),
        );
        expect(text.startsWith('{\n  "format": "spikeflow-graph",\n')).toBe(true);
        expect(serializeDocument(JSON.parse(text))).toBe(text);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
