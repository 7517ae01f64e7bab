import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { DocEdge, DocNode, GraphDocument } from './document.ts';
import { loadDocument, newDocument, serializeDocument } from './load.ts';
import { allIds, flattenDocument, groupNodes, isGroupNode, levelAt, portLabel, renameGroupIds, resolvePort, uniqueName, ungroupNode } from './groups.ts';
import type { GroupNode, Level } from './groups.ts';
import { compileDocument } from '../compile/compile.ts';

const node = (id: string, kind: string, x = 0, y = 0, params: Record<string, unknown> = {}): DocNode => ({ id, kind, label: id, position: { x, y }, params });
const wire = (id: string, s: string, sp: string, t: string, tp: string, params: Record<string, unknown> = {}): DocEdge => ({
  id,
  source: { node: s, port: sp },
  target: { node: t, port: tp },
  params,
});

/** src → exc ⇄ inh → mon: a small E/I network. */
function ei(): GraphDocument {
  const doc = newDocument('ei', { clock: () => new Date(0) });
  doc.simulation.duration_ms = 50;
  doc.nodes = [
    node('src', 'poisson-source', 0, 0, { size: 20, rate_hz: 50 }),
    node('exc', 'lif-curr-exp', 300, 0, { size: 40 }),
    node('inh', 'lif-curr-exp', 300, 200, { size: 10 }),
    node('mon', 'spike-monitor', 600, 0),
  ];
  doc.edges = [
    wire('e_src', 'src', 'spikes', 'exc', 'in', { rule: 'bernoulli', p: 0.5, weight: 2 }),
    wire('e_ei', 'exc', 'spikes', 'inh', 'in', { rule: 'bernoulli', p: 0.2, weight: 1 }),
    wire('e_ie', 'inh', 'spikes', 'exc', 'in', { rule: 'bernoulli', p: 0.2, weight: 1, receptor: 'inh' }),
    wire('m_exc', 'exc', 'spikes', 'mon', 'spikes'),
    wire('m_inh', 'inh', 'spikes', 'mon', 'spikes'),
  ];
  const r = loadDocument(serializeDocument(doc));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.doc;
}

function grouped(doc: GraphDocument, ids: string[], id = 'core', label = 'E/I core'): GraphDocument {
  const r = groupNodes(doc, ids, { id, label });
  if (!r.ok) throw new Error(r.problem);
  return { ...doc, nodes: r.level.nodes, edges: r.level.edges };
}

const sortById = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

describe('groupNodes', () => {
  it('moves the chosen nodes and the wires between them inside, and ends each crossing wire at a named group port', () => {
    const doc = grouped(ei(), ['exc', 'inh']);
    expect(doc.nodes.map((n) => n.id)).toEqual(['src', 'core', 'mon']);
    const g = doc.nodes[1] as GroupNode;
    expect(g.kind).toBe('group');
    expect(g.nodes.map((n) => n.id)).toEqual(['exc', 'inh']);
    expect(g.edges.map((e) => e.id)).toEqual(['e_ei', 'e_ie']);
    // One port per inner port a crossing wire reaches; inputs first; a node with one port on a side is named by its label.
    expect(g.ports).toEqual([
      { id: 'exc-in', label: 'exc', direction: 'in', node: 'exc', port: 'in' },
      { id: 'exc-spikes', label: 'exc', direction: 'out', node: 'exc', port: 'spikes' },
      { id: 'inh-spikes', label: 'inh', direction: 'out', node: 'inh', port: 'spikes' },
    ]);
    expect(doc.edges.map((e) => `${e.id}: ${e.source.node}.${e.source.port} → ${e.target.node}.${e.target.port}`)).toEqual([
      'e_src: src.spikes → core.exc-in',
      'm_exc: core.exc-spikes → mon.spikes',
      'm_inh: core.inh-spikes → mon.spikes',
    ]);
    // The crossing projection keeps its params; the group sits at the top-left of its contents.
    expect(doc.edges[0].params).toMatchObject({ rule: 'bernoulli', p: 0.5, weight: 2 });
    expect(g.position).toEqual({ x: 300, y: 0 });
  });

  it('shares one port among wires into the same inner port, and names ports by port when a node has several on a side', () => {
    const doc = ei();
    doc.nodes.push(node('dc', 'dc-current', 0, 300));
    doc.nodes.push(node('src2', 'poisson-source', 0, 100));
    doc.edges.push(wire('e_dc', 'dc', 'current', 'exc', 'current'), wire('e_src2', 'src2', 'spikes', 'exc', 'in'));
    const g = grouped(doc, ['exc', 'inh']).nodes[1] as GroupNode;
    expect(g.ports.filter((p) => p.direction === 'in').map((p) => [p.id, p.label])).toEqual([
      ['exc-in', 'exc synapses'],
      ['exc-current', 'exc current / drive'],
    ]);
  });

  it('refuses an empty choice', () => {
    expect(groupNodes(ei(), ['nope'], { id: 'g', label: 'g' })).toEqual({ ok: false, problem: 'Select one or more nodes to group.' });
  });
});

describe('port names', () => {
  it('are the inner node label, plus the port label when the group has several ports for that node on that side', () => {
    expect(portLabel({ id: 'exc', label: 'Excitatory', kind: 'lif-curr-exp' }, 'in', 'in', false)).toBe('Excitatory');
    expect(portLabel({ id: 'exc', label: 'Excitatory', kind: 'lif-curr-exp' }, 'current', 'in', true)).toBe('Excitatory current / drive');
    expect(portLabel({ id: 'x', label: '', kind: 'mystery' }, 'p', 'out', true)).toBe('x p');
    expect(uniqueName('exc', new Set(['exc', 'exc-2']))).toBe('exc-3');
  });
});

describe('flattenDocument', () => {
  it('gives a document without groups back unchanged (the same object)', () => {
    const doc = ei();
    expect(flattenDocument(doc).doc).toBe(doc);
  });

  it('puts a group’s nodes in its place and rewires its ports to the inner ports, keeping every id', () => {
    const flat = flattenDocument(grouped(ei(), ['exc', 'inh']));
    expect(flat.issues).toEqual([]);
    expect(flat.doc.nodes.map((n) => n.id)).toEqual(['src', 'exc', 'inh', 'mon']);
    expect(flat.doc.edges.map((e) => `${e.id}: ${e.source.node}.${e.source.port} → ${e.target.node}.${e.target.port}`)).toEqual([
      'e_src: src.spikes → exc.in',
      'm_exc: exc.spikes → mon.spikes',
      'm_inh: inh.spikes → mon.spikes',
      'e_ei: exc.spikes → inh.in',
      'e_ie: inh.spikes → exc.in',
    ]);
    expect(flat.nodeOrigins.map((o) => o.pointer)).toEqual(['/nodes/0', '/nodes/1/nodes/0', '/nodes/1/nodes/1', '/nodes/2']);
    expect(flat.edgeOrigins.map((o) => o.pointer)).toEqual(['/edges/0', '/edges/1', '/edges/2', '/nodes/1/edges/0', '/nodes/1/edges/1']);
  });

  it('resolves ports through nested groups', () => {
    const inner = grouped(ei(), ['exc', 'inh']);
    const outer = grouped(inner, ['src', 'core'], 'outer', 'Outer');
    const flat = flattenDocument(outer);
    expect(flat.issues).toEqual([]);
    expect(flat.doc.nodes.map((n) => n.id)).toEqual(['src', 'exc', 'inh', 'mon']);
    expect(sortById(flat.doc.edges).map((e) => `${e.source.node}.${e.source.port} → ${e.target.node}.${e.target.port}`)).toEqual(
      sortById(ei().edges).map((e) => `${e.source.node}.${e.source.port} → ${e.target.node}.${e.target.port}`),
    );
    expect(resolvePort(outer, { node: 'outer', port: outer.edges[0].source.port }, 'out')).toEqual({ node: 'exc', port: 'spikes' });
  });

  it('reports a wire to a group port that does not exist, naming the wire, the group and its ports', () => {
    const doc = grouped(ei(), ['exc', 'inh']);
    doc.edges[0].target.port = 'nope';
    const f = flattenDocument(doc);
    expect(f.issues).toEqual([
      {
        pointer: '/edges/0/target/port',
        edgeId: 'e_src',
        field: 'target.port',
        message: 'Wire "e_src", field target.port: group "core" (E/I core) has no input port "nope" (its inputs: exc-in).',
      },
    ]);
  });

  it('reports a port bound to no inner node, and a wire that reaches into a group past its ports', () => {
    const doc = grouped(ei(), ['exc', 'inh']);
    (doc.nodes[1] as GroupNode).ports[0].node = 'ghost';
    doc.edges.push(wire('sneak', 'src', 'spikes', 'inh', 'in'));
    const r = loadDocument(serializeDocument(doc));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.issues.map((i) => `${i.pointer}: ${i.message}`);
    expect(msgs).toContain('/nodes/1/ports/0/node: Group "core" (E/I core), port "exc-in", field node: "ghost" is not a node of this group.');
    expect(msgs).toContain(
      '/edges/3/target/node: Wire "sneak", field target.node: node "inh" is inside group "core"; a wire joins nodes of one level, and crosses a group\u2019s boundary through its ports.'.replace(
        '\u2019',
        "'",
      ),
    );
    expect(r.recoverable).toBeUndefined();
  });
});

describe('a grouped document loads, checks and compiles as its flat graph', () => {
  it('saves and loads back to the same bytes', () => {
    const text = serializeDocument(grouped(ei(), ['exc', 'inh']));
    const r = loadDocument(text);
    expect(r.ok && r.warnings).toEqual([]);
    if (r.ok) expect(serializeDocument(r.doc)).toBe(text);
  });

  it('fills defaults inside groups: missing params of inner nodes and of wires at group ports', () => {
    const doc = grouped(ei(), ['exc', 'inh']) as unknown as { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
    const g = doc.nodes[1] as unknown as GroupNode;
    g.nodes[0].params = { size: 40 };
    delete (doc.edges[0] as Partial<DocEdge>).params;
    const r = loadDocument(JSON.stringify(doc));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const lg = r.doc.nodes[1] as GroupNode;
    expect(lg.nodes[0].params.tau_m_ms).toBe(20);
    expect(r.doc.edges[0].params).toMatchObject({ rule: 'all-to-all', receptor: 'exc' });
  });

  it('points an inner node’s bad value at the group and the node, and can still open the document', () => {
    const doc = grouped(ei(), ['exc', 'inh']);
    (doc.nodes[1] as GroupNode).nodes[0].params.tau_m_ms = -5;
    const r = loadDocument(serializeDocument(doc));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].pointer).toBe('/nodes/1/nodes/0/params/tau_m_ms');
    expect(r.issues[0].nodeId).toBe('exc');
    expect(r.issues[0].field).toBe('tau_m_ms');
    expect(r.issues[0].message).toMatch(/^In group "core" \(E\/I core\): Node "exc" \(.*\), field tau_m_ms: /);
    expect(r.recoverable).toBeDefined();
    const c = compileDocument(doc);
    expect(!c.ok && c.issues.map((i) => i.pointer)).toEqual(['/nodes/1/nodes/0/params/tau_m_ms']);
  });

  it('compiles to the plan of the flat graph', () => {
    const flat = compileDocument(ei());
    const g = compileDocument(grouped(grouped(ei(), ['exc', 'inh']), ['src', 'core'], 'outer', 'Outer'));
    expect(flat.ok && g.ok).toBe(true);
    if (!flat.ok || !g.ok) return;
    expect({ ...g.plan, projections: sortById(g.plan.projections.map((p) => ({ ...p, id: p.edgeId }))) }).toEqual({
      ...flat.plan,
      projections: sortById(flat.plan.projections.map((p) => ({ ...p, id: p.edgeId }))),
    });
  });

  it('the golden v2 fixture compiles to the same plan as the v1 fixture (the same graph, grouped)', () => {
    const load = (v: number) => {
      const r = loadDocument(readFileSync(new URL(`../../test/fixtures/format-v${v}.spikeflow.json`, import.meta.url), 'utf8'));
      if (!r.ok) throw new Error(r.issues[0].message);
      return compileDocument(r.doc);
    };
    const a = load(1);
    const b = load(2);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    const norm = (p: typeof a.plan) => ({ ...p, projections: sortById(p.projections.map((x) => ({ ...x, id: x.edgeId }))), injections: sortById(p.injections.map((x) => ({ ...x, id: x.edgeId }))) });
    expect(norm(b.plan)).toEqual(norm(a.plan));
  });
});

describe('ungroupNode', () => {
  it('undoes groupNodes: the same nodes, wires and params (wires in level order, then the group’s)', () => {
    const doc = ei();
    const g = grouped(doc, ['exc', 'inh']);
    const back = ungroupNode(g, 'core')!;
    expect(back.nodes).toEqual(doc.nodes);
    expect(sortById(back.edges)).toEqual(sortById(doc.edges));
  });

  it('moves the contents by as much as the group moved', () => {
    const g = grouped(ei(), ['exc', 'inh']);
    const gn = g.nodes[1] as GroupNode;
    gn.position = { x: 310, y: 50 };
    const back = ungroupNode(g, 'core')!;
    expect(back.nodes.filter((n) => n.id === 'exc' || n.id === 'inh').map((n) => n.position)).toEqual([
      { x: 310, y: 50 },
      { x: 310, y: 250 },
    ]);
  });

  it('returns null for a node that is not a group', () => {
    expect(ungroupNode(ei(), 'exc')).toBeNull();
  });

  it('any choice of nodes, grouped then ungrouped, gives the same graph back (property)', () => {
    const doc = ei();
    const ids = doc.nodes.map((n) => n.id);
    fc.assert(
      fc.property(fc.subarray(ids, { minLength: 1 }), (chosen) => {
        const g = grouped(doc, chosen, 'g1', 'G');
        expect(flattenDocument(g).issues).toEqual([]);
        const back = ungroupNode(g, 'g1')!;
        expect(sortById(back.nodes)).toEqual(sortById(doc.nodes));
        expect(sortById(back.edges)).toEqual(sortById(doc.edges));
        expect(sortById(flattenDocument(g).doc.edges)).toEqual(sortById(doc.edges));
      }),
      { seed: 11, numRuns: 40 },
    );
  });
});

describe('navigation and ids', () => {
  it('finds the level a path of group ids leads to, and every id in all levels', () => {
    const doc = grouped(grouped(ei(), ['exc', 'inh']), ['src', 'core'], 'outer', 'Outer');
    expect(levelAt(doc, [])).toBe(doc);
    expect(levelAt(doc, ['outer', 'core'])?.nodes.map((n) => n.id)).toEqual(['exc', 'inh']);
    expect(levelAt(doc, ['outer', 'exc'])).toBeNull();
    expect([...allIds(doc)].sort()).toEqual(['core', 'e_ei', 'e_ie', 'e_src', 'exc', 'inh', 'm_exc', 'm_inh', 'mon', 'outer', 'src'].sort());
  });

  it('renames every id inside a group copy and rebinds its ports, so a second copy can sit beside the first', () => {
    const doc = grouped(ei(), ['exc', 'inh']);
    const used = allIds(doc);
    const copy = renameGroupIds(doc.nodes[1] as GroupNode, used, uniqueName);
    expect(copy.id).toBe('core-2');
    expect(copy.nodes.map((n) => n.id)).toEqual(['exc-2', 'inh-2']);
    expect(copy.edges.map((e) => `${e.id}: ${e.source.node} → ${e.target.node}`)).toEqual(['e_ei-2: exc-2 → inh-2', 'e_ie-2: inh-2 → exc-2']);
    expect(copy.ports.map((p) => p.node)).toEqual(['exc-2', 'exc-2', 'inh-2']);
    const two: Level = { nodes: [...doc.nodes, copy], edges: doc.edges };
    const withTwo = { ...doc, ...two };
    expect(isGroupNode(copy)).toBe(true);
    expect(loadDocument(serializeDocument(withTwo)).ok).toBe(true);
  });
});

describe('stored weights inside groups', () => {
  it('are written to, read from and cleared on the plasticity node or wire inside its group', async () => {
    const { storeWeights, clearWeights, sideWeightFiles, inlineWeightFiles } = await import('./weights.ts');
    const doc = grouped(ei(), ['exc', 'inh']);
    const w = { pre: new Int32Array([0, 1]), post: new Int32Array([2, 3]), w: new Float32Array([0.5, 0.25]) };
    // e_ei is inside the group; e_src crosses into it (its params live on the outer wire).
    const r = storeWeights(
      doc,
      [
        { edgeId: 'e_ei', ...w },
        { edgeId: 'e_src', ...w },
      ] as never,
      { file: 'net.weights.json' },
    );
    expect(r.stored).toEqual(['e_ei', 'e_src']);
    const g = doc.nodes[1] as GroupNode;
    expect(g.edges[0].weights).toEqual({ file: 'net.weights.json' });
    expect(doc.edges[0].weights).toEqual({ file: 'net.weights.json' });
    expect(sideWeightFiles(doc)).toEqual(['net.weights.json']);
    const inlined = inlineWeightFiles(doc, new Map([['net.weights.json', JSON.stringify(r.file)]]));
    expect(inlined.issues).toEqual([]);
    expect((inlined.doc.nodes[1] as GroupNode).edges[0].weights).toEqual({ pre: [0, 1], post: [2, 3], w: [0.5, 0.25] });
    const c = compileDocument(inlined.doc);
    expect(c.ok && c.plan.projections.find((p) => p.edgeId === 'e_ei')?.synapses).toBeDefined();
    expect(clearWeights(doc).sort()).toEqual(['e_ei', 'e_src']);
    expect(g.edges[0].weights).toBeUndefined();
    const missing = inlineWeightFiles(storeAgain(doc), new Map());
    expect(missing.issues.map((i) => i.pointer)).toEqual(['/nodes/1/edges/0/weights/file']);
    function storeAgain(d: GraphDocument): GraphDocument {
      storeWeights(d, [{ edgeId: 'e_ei', ...w }] as never, { file: 'x.weights.json' });
      return d;
    }
  });
});
