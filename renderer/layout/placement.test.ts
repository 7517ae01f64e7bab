import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import type { DocNode } from '../../engine/format/document.ts';
import { Editor } from '../store/editor.ts';
import { alignPositions, distributePositions, estimateSize, freeOffset, overlaps, rectOf } from './placement.ts';
import { layoutGraph, layoutPositions } from './auto-layout.ts';
import { polylineClear } from '../canvas/wire-route.ts';

const box =
  (width = 100, height = 50) =>
  () => ({ width, height });
const node = (id: string, x: number, y: number): DocNode => ({ id, kind: 'lif-curr-exp', label: id, position: { x, y }, params: {} });

describe('placement', () => {
  it('leaves a free spot as it is, and moves a covered one the least distance down or right', () => {
    const existing = [{ x: 0, y: 0, width: 100, height: 50 }];
    expect(freeOffset(existing, [{ x: 500, y: 0, width: 100, height: 50 }])).toEqual({ x: 0, y: 0 });
    // Down by 3 steps of 24 (72 > 50 + the 12 px gap).
    expect(freeOffset(existing, [{ x: 0, y: 0, width: 100, height: 50 }])).toEqual({ x: 0, y: 72 });
  });

  it('adds two nodes at the same point without one covering the other', () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    const [a, b] = ed.doc.nodes.map((n) => rectOf(n, estimateSize));
    expect(overlaps(a, b, 0)).toBe(false);
  });

  it('aligns to the left edge and to the bottom edge of the selection', () => {
    const nodes = [node('a', 10, 0), node('b', 50, 100), node('c', 30, 300)];
    expect(alignPositions(nodes, 'left', box())).toEqual({ a: { x: 10, y: 0 }, b: { x: 10, y: 100 }, c: { x: 10, y: 300 } });
    expect(alignPositions(nodes, 'bottom', box())).toEqual({ a: { x: 10, y: 300 }, b: { x: 50, y: 300 }, c: { x: 30, y: 300 } });
  });

  it('distributes with equal gaps, keeping the outer two in place', () => {
    // Widths 100: a at 0, c at 500 → gap (600 - 300) / 2 = 150; b goes to 250.
    const nodes = [node('a', 0, 0), node('c', 500, 7), node('b', 120, 3)];
    expect(distributePositions(nodes, 'horizontal', box())).toEqual({ a: { x: 0, y: 0 }, b: { x: 250, y: 3 }, c: { x: 500, y: 7 } });
    expect(distributePositions(nodes.slice(0, 2), 'horizontal', box())).toEqual({});
  });
});

describe('auto-layout (elkjs)', () => {
  it('lays a chain out left to right, no two nodes overlapping, kept at the old top left corner', async () => {
    const ed = new Editor(newDocument('N'));
    // Added right to left, piled up: the layout must undo both.
    ed.addNode('spike-monitor', { x: 40, y: 60 });
    ed.addNode('lif-curr-exp', { x: 40, y: 60 });
    ed.addNode('poisson-source', { x: 40, y: 60 });
    ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif1', port: 'in' });
    ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'mon1', port: 'spikes' });
    const left = Math.min(...ed.doc.nodes.map((n) => n.position.x));
    const top = Math.min(...ed.doc.nodes.map((n) => n.position.y));
    const positions = await layoutPositions(ed.doc, null, estimateSize);
    expect(positions.poisson1.x).toBeLessThan(positions.lif1.x);
    expect(positions.lif1.x).toBeLessThan(positions.mon1.x);
    expect(Math.min(...Object.values(positions).map((p) => p.x))).toBe(left);
    expect(Math.min(...Object.values(positions).map((p) => p.y))).toBe(top);
    const steps = ed.state.past.length;
    expect(ed.applyLayout(positions)).toBe(true);
    expect(ed.state.past).toHaveLength(steps + 1);
    expect(ed.state.past.at(-1)!.label).toBe('Auto-layout');
    const rects = ed.doc.nodes.map((n) => rectOf(n, estimateSize));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j], 0)).toBe(false);
    ed.undo();
    expect(Math.min(...ed.doc.nodes.map((n) => n.position.x))).toBe(left);
  });

  it('lays out only the selected nodes and moves them clear of the rest', async () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('poisson-source', { x: 0, y: 0 });
    ed.addNode('lif-curr-exp', { x: 0, y: 400 });
    ed.addNode('spike-monitor', { x: 0, y: 800 });
    ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'mon1', port: 'spikes' });
    const positions = await layoutPositions(ed.doc, ['lif1', 'mon1'], estimateSize);
    expect(Object.keys(positions).sort()).toEqual(['lif1', 'mon1']);
    ed.applyLayout(positions);
    expect(ed.doc.nodes[0].position).toEqual({ x: 0, y: 0 });
    const rects = ed.doc.nodes.map((n) => rectOf(n, estimateSize));
    expect(overlaps(rects[0], rects[1], 0) || overlaps(rects[0], rects[2], 0)).toBe(false);
  });
});

describe('auto-layout of nodes that are not registered kinds', () => {
  it('lays out a node of unknown kind (a group) with ports taken from its wires', async () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('poisson-source', { x: 400, y: 0 });
    ed.addNode('spike-monitor', { x: 0, y: 0 });
    const doc = structuredClone(ed.doc);
    doc.nodes.push({ id: 'g1', kind: 'group', label: 'Group', position: { x: 0, y: 300 }, params: {}, nodes: [], edges: [], ports: [] });
    doc.edges.push({ id: 'e1', source: { node: 'poisson1', port: 'spikes' }, target: { node: 'g1', port: 'input' }, params: {} });
    doc.edges.push({ id: 'e2', source: { node: 'g1', port: 'output' }, target: { node: 'mon1', port: 'spikes' }, params: {} });
    const p = await layoutPositions(doc, null, estimateSize);
    expect(p.poisson1.x).toBeLessThan(p.g1.x);
    expect(p.g1.x).toBeLessThan(p.mon1.x);
  });
});

describe('auto-layout routes', () => {
  it('gives every wire an orthogonal route from its output port to its input port that no node box crosses', async () => {
    const ed = new Editor(newDocument('N'));
    ed.addNode('poisson-source', { x: 0, y: 0 });
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.addNode('lif-curr-exp', { x: 0, y: 0 });
    ed.addNode('spike-monitor', { x: 0, y: 0 });
    ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif1', port: 'in' });
    ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif2', port: 'in' });
    ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'lif2', port: 'in' });
    ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'mon1', port: 'spikes' });
    ed.connect({ node: 'lif2', port: 'spikes' }, { node: 'mon1', port: 'spikes' });
    // Ports as the canvas would report them: outputs on the right edge, inputs on the left, 100 px down.
    const portAt = (id: string, side: 'source' | 'target') => ({ x: side === 'source' ? estimateSize(ed.doc.nodes.find((n) => n.id === id)!).width : 0, y: 100 });
    const { positions, routes } = await layoutGraph(ed.doc, null, estimateSize, portAt);
    expect(Object.keys(routes).sort()).toEqual(ed.doc.edges.map((e) => e.id).sort());
    const boxes = ed.doc.nodes.map((n) => ({ ...positions[n.id], ...estimateSize(n) }));
    for (const e of ed.doc.edges) {
      const r = routes[e.id];
      const src = positions[e.source.node];
      const dst = positions[e.target.node];
      expect(r[0]).toEqual({ x: src.x + portAt(e.source.node, 'source').x, y: src.y + 100 });
      expect(r.at(-1)).toEqual({ x: dst.x, y: dst.y + 100 });
      expect(r.every((p, i) => i === 0 || p.x === r[i - 1].x || p.y === r[i - 1].y)).toBe(true);
      expect(polylineClear(r, boxes)).toBe(true);
    }
  });
});
