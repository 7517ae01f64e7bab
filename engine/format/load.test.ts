import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { PROJECTION_PARAMS, defaultParams, getKind } from '../kinds/index.ts';
import type { GraphDocument } from './document.ts';
import { defaultPosition, loadDocument, newDocument, serializeDocument } from './load.ts';

const clock = () => new Date('2025-03-04T05:06:07.000Z');
const fixture = readFileSync(new URL('../../test/fixtures/format-v2.spikeflow.json', import.meta.url), 'utf8');

function loaded(text: string): { doc: GraphDocument; warnings: unknown[] } {
  const r = loadDocument(text, { clock });
  if (!r.ok) throw new Error(`expected the document to load:\n${r.issues.map((i) => i.message).join('\n')}`);
  return r;
}

function issuesOf(text: string) {
  const r = loadDocument(text, { clock });
  if (r.ok) throw new Error('expected the document to be refused');
  return r.issues;
}

const minimal = {
  format: 'spikeflow-graph',
  version: 1,
  simulation: { dt_ms: 0.1, duration_ms: 100, seed: 7 },
  nodes: [
    { id: 'src', kind: 'poisson-source' },
    { id: 'pop', kind: 'lif-curr-exp', params: { size: 10 } },
    { id: 'dc', kind: 'dc-current' },
  ],
  edges: [
    { id: 'a', source: { node: 'src', port: 'spikes' }, target: { node: 'pop', port: 'in' } },
    { id: 'b', source: { node: 'dc', port: 'current' }, target: { node: 'pop', port: 'current' } },
  ],
};

describe('loadDocument: refusing what is not a graph', () => {
  it('gives a syntax error with its line and column', () => {
    expect(issuesOf('{\n  "format": "spikeflow-graph",\n  "version" 1\n}')).toEqual([
      { pointer: '', message: 'The file is not valid JSON: at line 3, column 13, expected ":" after the property name but found "1".' },
    ]);
  });

  it('says so when the file is empty', () => {
    expect(issuesOf('  \n')[0].message).toBe('The file is empty; a Spikeflow graph is a JSON object.');
  });

  it('refuses JSON that is not an object', () => {
    expect(issuesOf('[1, 2]')[0].message).toBe('The file is not a Spikeflow graph: it holds a list where a JSON object is expected.');
  });

  it('refuses a missing or different format id', () => {
    expect(issuesOf('{"version": 1}')).toEqual([{ pointer: '/format', field: 'format', message: 'The file is not a Spikeflow graph: it has no "format" field, not "spikeflow-graph".' }]);
    expect(issuesOf('{"format": "excalidraw"}')[0].message).toBe('The file is not a Spikeflow graph: its "format" is "excalidraw", not "spikeflow-graph".');
  });

  it('refuses a file from a newer Spikeflow', () => {
    const text = JSON.stringify({ ...minimal, version: 3 });
    expect(issuesOf(text)).toEqual([
      {
        pointer: '/version',
        field: 'version',
        message: 'This graph was made by a newer Spikeflow (format version 3); this Spikeflow reads format versions up to 2. Update Spikeflow to open it.',
      },
    ]);
  });

  it('reports every validation error at once', () => {
    const doc = structuredClone(minimal) as Record<string, unknown> & typeof minimal;
    doc.simulation.dt_ms = -1;
    (doc.nodes[1] as Record<string, unknown>).params = { size: 0 };
    doc.edges[1].target.port = 'in';
    expect(issuesOf(JSON.stringify(doc)).map((i) => i.pointer)).toEqual(['/simulation/dt_ms', '/nodes/1/params/size', '/edges/1/target/port']);
  });
});

describe('loadDocument: filling defaults', () => {
  it('fills meta (with the clock), view, labels, positions, params and projection params', () => {
    const { doc, warnings } = loaded(JSON.stringify(minimal));
    expect(warnings).toEqual([]);
    expect(doc.meta).toEqual({ name: 'Untitled', description: '', created: '2025-03-04T05:06:07.000Z', modified: '2025-03-04T05:06:07.000Z' });
    expect(doc.view).toEqual({});
    expect(doc.nodes.map((n) => n.label)).toEqual(['src', 'pop', 'dc']);
    expect(doc.nodes.map((n) => n.position)).toEqual([defaultPosition(0), defaultPosition(1), defaultPosition(2)]);
    expect(doc.nodes[0].params).toEqual(defaultParams(getKind('poisson-source')!.params));
    expect(doc.nodes[1].params).toEqual({ ...defaultParams(getKind('lif-curr-exp')!.params), size: 10 });
    expect(doc.edges[0].params).toEqual(defaultParams(PROJECTION_PARAMS));
    expect(doc.edges[1].params).toEqual({});
  });

  it('lays unplaced nodes out on a grid rather than piling them up', () => {
    expect([0, 1, 3, 4, 9].map(defaultPosition)).toEqual([
      { x: 0, y: 0 },
      { x: 240, y: 0 },
      { x: 720, y: 0 },
      { x: 0, y: 160 },
      { x: 240, y: 320 },
    ]);
  });

  it('fills missing fields of meta, and a missing modified from created', () => {
    const { doc } = loaded(JSON.stringify({ ...minimal, meta: { name: 'Mine', created: '2020-01-01T00:00:00.000Z' } }));
    expect(doc.meta).toEqual({ name: 'Mine', description: '', created: '2020-01-01T00:00:00.000Z', modified: '2020-01-01T00:00:00.000Z' });
  });

  it('fills missing projection params but keeps those present, even inactive odd ones', () => {
    const doc = structuredClone(minimal) as typeof minimal & { edges: Record<string, unknown>[] };
    doc.edges[0].params = { weight: { dist: 'uniform', low: 0, high: 2 }, p: 'unused while all-to-all' };
    const r = loaded(JSON.stringify(doc));
    expect(r.doc.edges[0].params).toEqual({ ...defaultParams(PROJECTION_PARAMS), weight: { dist: 'uniform', low: 0, high: 2 }, p: 'unused while all-to-all' });
  });

  it('reports a wrongly typed value rather than replacing it', () => {
    const doc = structuredClone(minimal) as typeof minimal & { nodes: Record<string, unknown>[] };
    doc.nodes[0].label = 5;
    doc.nodes[0].position = null;
    expect(issuesOf(JSON.stringify(doc)).map((i) => i.message)).toEqual([
      'Node "src" (Poisson source), field label: must be text (got 5).',
      'Node "src" (Poisson source), field position: must be an object {"x": …, "y": …} (got null).',
    ]);
  });

  it('ignores a byte-order mark', () => {
    expect(loadDocument('\uFEFF' + fixture).ok).toBe(true);
  });
});

describe('loadDocument: unknown fields', () => {
  const withUnknowns = {
    ...minimal,
    zeta: { keep: [1, 2] },
    meta: { name: 'n', description: '', created: 'c', modified: 'm', author: 'ada' },
    simulation: { ...minimal.simulation, solver: 'exact' },
    nodes: minimal.nodes.map((n, i) => ({ ...n, colour: `#00${i}`, position: { x: i, y: 0, z: 9 } })),
    edges: minimal.edges.map((e) => ({ ...e, bend: [1, 2], source: { ...e.source, handle: 'h' } })),
    view: { zoom: 2 },
  };

  it('keeps unknown fields at every level, and they survive a save', () => {
    const { doc, warnings } = loaded(JSON.stringify(withUnknowns));
    expect(warnings).toEqual([]);
    const again = JSON.parse(serializeDocument(doc)) as Record<string, unknown> & GraphDocument;
    expect(again.zeta).toEqual({ keep: [1, 2] });
    expect(again.meta.author).toBe('ada');
    expect(again.simulation.solver).toBe('exact');
    expect(again.nodes.map((n) => n.colour)).toEqual(['#000', '#001', '#002']);
    expect(again.nodes[2].position).toEqual({ x: 2, y: 0, z: 9 });
    expect(again.edges[1].bend).toEqual([1, 2]);
    expect(again.edges[1].source).toEqual({ node: 'dc', port: 'current', handle: 'h' });
    expect(again.view).toEqual({ zoom: 2 });
  });

  it('keeps unknown params with a warning each, and saves them after the known ones', () => {
    const doc = structuredClone(minimal) as Omit<typeof minimal, 'nodes'> & { nodes: Record<string, unknown>[] };
    doc.nodes[0].params = { legacy: true, rate_hz: 5 };
    const r = loaded(JSON.stringify(doc));
    expect(r.warnings).toEqual([
      {
        pointer: '/nodes/0/params/legacy',
        nodeId: 'src',
        field: 'legacy',
        message: 'Node "src" (Poisson source), field legacy: is not a param of this kind; it is kept as is and ignored.',
      },
    ]);
    const saved = serializeDocument(r.doc);
    const specs = getKind('poisson-source')!.params;
    expect(JSON.parse(saved).nodes[0].params).toEqual({ ...defaultParams(specs), rate_hz: 5, legacy: true });
    expect(Object.keys(JSON.parse(saved).nodes[0].params)).toEqual([...Object.keys(specs), 'legacy']);
  });

  it('keeps a key named __proto__ as data', () => {
    const text = JSON.stringify(minimal).replace('"format"', '"__proto__": {"polluted": 1}, "format"');
    const { doc } = loaded(text);
    expect(Object.hasOwn(doc, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeDocument(doc)).toContain('"__proto__": {\n    "polluted": 1\n  }');
  });
});

describe('save → load → save', () => {
  it('gives identical bytes for the golden fixture', () => {
    const first = serializeDocument(loaded(fixture).doc);
    expect(first).toBe(fixture);
    expect(serializeDocument(loaded(first).doc)).toBe(first);
  });

  it('gives identical bytes once defaults are filled', () => {
    const first = serializeDocument(loaded(JSON.stringify(minimal)).doc);
    expect(serializeDocument(loaded(first).doc)).toBe(first);
  });
});

describe('newDocument', () => {
  it('makes a valid empty document with the standard simulation settings', () => {
    const doc = newDocument('Fresh', { clock });
    expect(doc).toEqual({
      format: 'spikeflow-graph',
      version: 2,
      meta: { name: 'Fresh', description: '', created: '2025-03-04T05:06:07.000Z', modified: '2025-03-04T05:06:07.000Z' },
      simulation: { dt_ms: 0.1, duration_ms: 1000, seed: 1 },
      nodes: [],
      edges: [],
      view: {},
    });
    const r = loadDocument(serializeDocument(doc));
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('is called Untitled by default and stamped by the real clock', () => {
    const before = Date.now();
    const doc = newDocument();
    expect(doc.meta.name).toBe('Untitled');
    expect(Date.parse(doc.meta.created)).toBeGreaterThanOrEqual(before - 1);
  });
});

describe('documents with bad values', () => {
  it('offer the document for recovery when only values are wrong, not when the structure is broken', () => {
    const good = newDocument('t');
    const text = JSON.stringify({
      ...good,
      nodes: [{ id: 'n', kind: 'lif-curr-exp', label: 'n', position: { x: 0, y: 0 }, params: { tau_m_ms: -5 } }],
      simulation: { ...good.simulation, dt_ms: 0 },
    });
    const r = loadDocument(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.pointer).sort()).toEqual(['/nodes/0/params/tau_m_ms', '/simulation/dt_ms']);
    expect(r.recoverable?.nodes[0].params.tau_m_ms).toBe(-5);
    expect(r.recoverable?.nodes[0].params.v_th_mv).toBe(-50);

    const broken = loadDocument(JSON.stringify({ ...good, nodes: [{ id: 'n', kind: 'no-such-kind', params: {} }] }));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.recoverable).toBeUndefined();
  });
});
