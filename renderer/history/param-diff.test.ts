import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { diffDocuments, displayValue } from './param-diff.ts';

function base(): GraphDocument {
  const doc = newDocument('net');
  doc.simulation.seed = 1;
  doc.simulation.duration_ms = 500;
  doc.nodes.push(
    { id: 'src', kind: 'poisson-source', label: 'Input', position: { x: 0, y: 0 }, params: { size: 50, rate_hz: 20 } },
    { id: 'lif', kind: 'lif-curr-exp', label: 'Exc', position: { x: 200, y: 0 }, params: { size: 10, tau_m_ms: 20 } },
  );
  doc.edges.push({ id: 'e1', source: { node: 'src', port: 'spikes' }, target: { node: 'lif', port: 'in' }, params: { weight: 2 } });
  return doc;
}

describe('diffDocuments', () => {
  it('finds nothing between equal documents, whatever their key order or positions', () => {
    const a = base();
    const b = structuredClone(a);
    b.nodes[0].position = { x: 99, y: 99 };
    b.nodes[1].params = { tau_m_ms: 20, size: 10 };
    expect(diffDocuments(a, b)).toEqual([]);
  });

  it('lists the seed, duration and dt as simulation changes, old → new', () => {
    const a = base();
    const b = structuredClone(a);
    b.simulation.seed = 7;
    b.simulation.duration_ms = 1000;
    b.simulation.dt_ms = 0.05;
    expect(diffDocuments(a, b).map((c) => [c.where, c.field, c.before, c.after])).toEqual([
      ['Simulation', 'dt_ms', String(a.simulation.dt_ms), '0.05'],
      ['Simulation', 'duration_ms', '500', '1000'],
      ['Simulation', 'seed', '1', '7'],
    ]);
  });

  it('names the node and field of a changed param, a relabelled node, and a changed wire weight', () => {
    const a = base();
    const b = structuredClone(a);
    b.nodes[1].params.tau_m_ms = 10;
    b.nodes[0].label = 'Drive';
    b.edges[0].params.weight = 3.5;
    expect(diffDocuments(a, b).map((c) => [c.scope, c.id, c.where, c.field, c.before, c.after])).toEqual([
      ['node', 'src', 'Drive (src)', 'label', '"Input"', '"Drive"'],
      ['node', 'lif', 'Exc (lif)', 'tau_m_ms', '20', '10'],
      ['wire', 'e1', 'Drive.spikes → Exc.in', 'weight', '2', '3.5'],
    ]);
  });

  it('reports nodes and wires that were added or removed', () => {
    const a = base();
    const b = structuredClone(a);
    b.edges = [];
    b.nodes.push({ id: 'mon', kind: 'spike-monitor', label: 'Monitor', position: { x: 0, y: 0 }, params: {} });
    expect(diffDocuments(a, b).map((c) => [c.id, c.field, c.before, c.after])).toEqual([
      ['mon', '(node)', '—', 'spike-monitor Monitor (mon)'],
      ['e1', '(wire)', 'present', '—'],
    ]);
  });
});

describe('displayValue', () => {
  it('summarises long lists and texts, and shows a distribution as its fields', () => {
    expect(displayValue(Array.from({ length: 100 }, (_, i) => i))).toBe('[100 values]');
    expect(displayValue([1, 2])).toBe('[1, 2]');
    expect(displayValue('x'.repeat(100))).toMatch(/…" \(100 chars\)$/);
    expect(displayValue({ family: 'normal', mean: 1, sd: 0.5 })).toBe('{family: "normal", mean: 1, sd: 0.5}');
    expect(displayValue(undefined)).toBe('—');
  });
});
