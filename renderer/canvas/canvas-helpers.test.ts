import { describe, expect, it } from 'vitest';
import { getBezierPath, Position } from '@xyflow/react';
import { newDocument } from '../../engine/format/load.ts';
import { KINDS, defaultParams, getKind } from '../../engine/kinds/index.ts';
import { Editor } from '../store/editor.ts';
import { indexIssues } from '../store/issues.ts';
import { FlowMapper, projectionLabel } from './flow-mapping.ts';
import { compactNumber, nodeSummary } from './node-summary.ts';
import { wirePoint } from './wire-geometry.ts';

describe('projectionLabel', () => {
  it('names the rule compactly, the weight with its unit, and the receptor', () => {
    expect(projectionLabel({ rule: 'all-to-all', weight: 1, receptor: 'exc' }, 'mV')).toBe('all→all · 1 mV · exc');
    expect(projectionLabel({ rule: 'bernoulli', p: 0.02, weight: 9, receptor: 'inh' }, 'mV')).toBe('p=0.02 · 9 mV · inh');
    expect(projectionLabel({ rule: 'fixed-in-degree', n: 50, weight: { dist: 'uniform', low: 0, high: 2 }, receptor: 'exc' }, 'nS')).toBe('in=50 · U(0, 2) nS · exc');
  });
});

describe('nodeSummary', () => {
  it('shows the size first, then the next active params with units', () => {
    const lif = getKind('lif-curr-exp')!;
    const items = nodeSummary(lif, { size: 100000, tau_m_ms: 20, v_rest_mv: -65 });
    expect(items.map((i) => `${i.label}=${i.text}`)).toEqual(['Neurons=100k', 'τm=20 ms', 'V rest=-65 mV']);
  });
  it('shows short lists and short text as themselves, long lists as a count, and embedded data never', () => {
    const mon = getKind('state-monitor')!;
    expect(nodeSummary(mon, { variable: 'v', neurons: [0, 1, 2], interval_ms: 0.1 }).map((i) => i.text)).toEqual(['v', '0, 1, 2', '0.1 ms']);
    const gen = getKind('spike-generator')!;
    const times = Array.from({ length: 12345 }, (_, i) => i);
    expect(nodeSummary(gen, { size: 2, neurons: [0], times_ms: times }).map((i) => i.text)).toEqual(['2', '0', '12,345 values']);
    const enc = getKind('rate-encoder')!;
    const texts = nodeSummary(enc, { ...defaultParams(enc.params), input: 'custom', custom_data: '0,1\n1,0' }, 10).map((i) => i.name);
    expect(texts).not.toContain('custom_data');
    expect(texts).toContain('custom_max');
  });
  it('skips params the document lacks instead of showing "undefined"', () => {
    expect(nodeSummary(getKind('spike-monitor')!, {})).toEqual([]);
    const mon = getKind('spike-monitor')!;
    expect(nodeSummary(mon, defaultParams(mon.params)).map((i) => i.text)).not.toContain('undefined');
  });
  it('writes only round big numbers compactly', () => {
    expect(compactNumber(3200)).toBe('3200');
    expect(compactNumber(100000)).toBe('100k');
    expect(compactNumber(12345)).toBe('12345');
    expect(compactNumber(2_500_000)).toBe('2.5M');
  });
});

describe('FlowMapper', () => {
  function setup() {
    const ed = new Editor(newDocument('t'));
    const a = ed.addNode('poisson-source', { x: 0, y: 0 });
    const b = ed.addNode('lif-curr-exp', { x: 300, y: 0 });
    ed.connect({ node: a, port: 'spikes' }, { node: b, port: 'in' });
    return { ed, a, b };
  }
  const noIssues = indexIssues([]);

  it('marks the wire out of a plasticity node as held by that node, and relabels it when the node changes', () => {
    const plastic = KINDS.find((k) => k.runtime.role === 'plasticity');
    expect(plastic, 'a plasticity kind is registered').toBeDefined();
    const ed = new Editor(newDocument('t'));
    const src = ed.addNode('poisson-source', { x: 0, y: 0 });
    const node = ed.addNode(plastic!.id, { x: 200, y: 0 });
    const lif = ed.addNode('lif-curr-exp', { x: 400, y: 0 });
    const pre = plastic!.inputs.find((p) => p.role === 'plastic')!.id;
    const into = ed.connect({ node: src, port: 'spikes' }, { node, port: pre });
    const out = ed.connect({ node, port: plastic!.outputs[0].id }, { node: lif, port: 'in' });
    const plain = ed.connect({ node: src, port: 'spikes' }, { node: lif, port: 'in' });
    expect([into.ok, out.ok, plain.ok]).toEqual([true, true, true]);
    const m = new FlowMapper();
    const first = m.mapEdges(ed.doc, { nodes: [], edges: [] }, noIssues);
    expect(first.map((e) => [e.data?.role, e.data?.heldBy?.id ?? null])).toEqual([
      ['plastic', null],
      ['projection', node],
      ['projection', null],
    ]);
    // Editing the node's params reaches the wire that shows them; the other wires are reused.
    ed.setParam(node, 'receptor', 'inh');
    const second = m.mapEdges(ed.doc, { nodes: [], edges: [] }, noIssues);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1].data?.heldBy?.params.receptor).toBe('inh');
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
  });

  it('maps document nodes and wires to React Flow nodes and edges with port handles', () => {
    const { ed } = setup();
    const m = new FlowMapper();
    const nodes = m.mapNodes(ed.doc, { nodes: ['lif1'], edges: [] }, noIssues, {});
    const edges = m.mapEdges(ed.doc, { nodes: [], edges: [] }, noIssues);
    expect(nodes.map((n) => [n.id, n.type, n.selected, n.position])).toEqual([
      ['poisson1', 'spike', false, { x: 0, y: 0 }],
      ['lif1', 'spike', true, { x: 300, y: 0 }],
    ]);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ id: 'e1', source: 'poisson1', sourceHandle: 'spikes', target: 'lif1', targetHandle: 'in', type: 'wire' });
    expect(edges[0].data).toMatchObject({ role: 'projection', weightUnit: 'mV' });
  });

  it('hands back the same objects for unchanged nodes, so a drag re-renders only the dragged node', () => {
    const { ed, a } = setup();
    const m = new FlowMapper();
    const sel = { nodes: [], edges: [] };
    const first = m.mapNodes(ed.doc, sel, noIssues, {});
    ed.dragNodes({ [a]: { x: 50, y: 50 } });
    const second = m.mapNodes(ed.doc, sel, noIssues, {});
    expect(second[0]).not.toBe(first[0]);
    expect(second[0].position).toEqual({ x: 50, y: 50 });
    expect(second[1]).toBe(first[1]);
  });

  it('carries each node’s issue messages so the node can show its badge', () => {
    const { ed, b } = setup();
    ed.setParam(b, 'tau_m_ms', -1);
    const issues = indexIssues([{ pointer: '/nodes/1/params/tau_m_ms', nodeId: b, field: 'tau_m_ms', message: 'bad τm' }]);
    const nodes = new FlowMapper().mapNodes(ed.doc, { nodes: [], edges: [] }, issues, {});
    expect(nodes[1].data.issues).toEqual(['bad τm']);
    expect(nodes[0].data.issues).toEqual([]);
  });
});

describe('wirePoint', () => {
  it('lies on React Flow’s own bezier: at t = 0.5 it is React Flow’s label centre', () => {
    for (const [sx, sy, tx, ty] of [
      [0, 0, 300, 100],
      [400, 50, 100, 300],
      [10, 10, 10.5, 200],
    ]) {
      const [, lx, ly] = getBezierPath({ sourceX: sx, sourceY: sy, targetX: tx, targetY: ty, sourcePosition: Position.Right, targetPosition: Position.Left });
      const p = wirePoint(sx, sy, tx, ty, 0.5);
      expect(p.x).toBeCloseTo(lx, 9);
      expect(p.y).toBeCloseTo(ly, 9);
    }
  });

  it('starts at the source and ends at the target', () => {
    expect(wirePoint(1, 2, 300, 400, 0)).toEqual({ x: 1, y: 2 });
    const end = wirePoint(1, 2, 300, 400, 1);
    expect(end.x).toBeCloseTo(300, 12);
    expect(end.y).toBeCloseTo(400, 12);
  });
});
