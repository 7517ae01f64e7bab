import { describe, expect, it } from 'vitest';
import { documentChunks, jsonWithDocument, weightsFileChunks } from './json-chunks.ts';
import { newDocument, serializeDocument } from '../format/load.ts';
import { weightsFileText, type WeightsFile } from '../format/weights.ts';
import { defaultParams, getKind } from '../kinds/index.ts';
import type { GraphDocument } from '../format/document.ts';

/** Two populations, one wire with 100 000 stored synapses (3 lists of 3 pieces each). */
function bigDoc(): GraphDocument {
  const doc = newDocument('chunks', { clock: () => new Date('2026-01-01T00:00:00Z') });
  const lif = { ...defaultParams(getKind('lif-curr-exp')!.params), size: 1000 };
  doc.nodes.push({ id: 'a', kind: 'lif-curr-exp', label: 'a', position: { x: 0, y: 0 }, params: lif }, { id: 'b', kind: 'lif-curr-exp', label: 'b', position: { x: 1, y: 0 }, params: lif });
  const n = 100_000;
  const weights = { pre: Array.from({ length: n }, (_, k) => k % 1000), post: Array.from({ length: n }, (_, k) => (k * 7) % 1000), w: Array.from({ length: n }, (_, k) => k / 3 + 0.1) };
  doc.edges.push({
    id: 'ab',
    source: { node: 'a', port: 'spikes' },
    target: { node: 'b', port: 'in' },
    params: { rule: 'all-to-all', weight: 1, delay_ms: 1, receptor: 'exc' },
    weights,
  } as GraphDocument['edges'][number]);
  return doc;
}

describe('json-chunks', () => {
  it("streams exactly serializeDocument's bytes, the stored weight lists in many pieces", () => {
    const doc = bigDoc();
    const chunks = [...documentChunks(doc)];
    expect(chunks.length).toBeGreaterThan(9);
    expect(chunks.join('')).toBe(serializeDocument(doc));
  });

  it("streams exactly weightsFileText's bytes", () => {
    const file: WeightsFile = { format: 'spikeflow-weights', version: 1, nodes: { stdp: { pre: [0, 1, 2], post: [2, 1, 0], w: [0.5, 0.25, 1e-7] } }, edges: { ab: { pre: [], post: [], w: [] } } };
    expect([...weightsFileChunks(file)].join('')).toBe(weightsFileText(file));
  });

  it('nests the document in another JSON object that parses to the same values', () => {
    const doc = bigDoc();
    const text = [...jsonWithDocument({ stats: { spikes: 3 }, files: ['x.csv'] }, 'graph', doc)].join('');
    expect(JSON.parse(text)).toEqual({ stats: { spikes: 3 }, files: ['x.csv'], graph: JSON.parse(serializeDocument(doc)) });
  });
});
