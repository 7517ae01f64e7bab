/**
 * What changed between two document snapshots, as a table for people: the
 * simulation settings (seed, duration, dt…), nodes and wires added or removed,
 * labels, kinds and every param. Positions, the view and the document's meta are
 * not parameters and are left out.
 */
import type { DocEdge, DocNode, GraphDocument } from '../../engine/format/document.ts';
import { flattenDocument } from '../../engine/format/groups.ts';

export interface ParamChange {
  readonly scope: 'simulation' | 'node' | 'wire';
  /** The node or edge id; `simulation` for the settings. */
  readonly id: string;
  /** For people: `Simulation`, a node's label (and id), or a wire's ends. */
  readonly where: string;
  /** The field, e.g. `seed`, `tau_m_ms`, `label`; `(node)`/`(wire)` when it was added or removed. */
  readonly field: string;
  /** Display text; `—` when absent. */
  readonly before: string;
  readonly after: string;
}

const ABSENT = '—';

/** JSON with sorted object keys, so equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** A value as short display text: long lists and texts are summarised. */
export function displayValue(v: unknown): string {
  if (v === undefined) return ABSENT;
  if (typeof v === 'string') return v.length > 60 ? `"${v.slice(0, 57)}…" (${v.length} chars)` : JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length > 8) return `[${v.length} values]`;
    return `[${v.map(displayValue).join(', ')}]`;
  }
  if (v && typeof v === 'object') {
    const text = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${displayValue(x)}`)
      .join(', ');
    return text.length > 80 ? `{${text.slice(0, 77)}…}` : `{${text}}`;
  }
  return String(v);
}

function fieldChanges(a: Record<string, unknown>, b: Record<string, unknown>, push: (field: string, before: unknown, after: unknown) => void): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    if (canonical(a[k]) !== canonical(b[k])) push(k, a[k], b[k]);
  }
}

function nodeName(n: DocNode): string {
  return n.label && n.label !== n.id ? `${n.label} (${n.id})` : n.id;
}

function wireName(e: DocEdge, label: (id: string) => string): string {
  return `${label(e.source.node)}.${e.source.port} → ${label(e.target.node)}.${e.target.port}`;
}

/** Every parameter that differs from `before` to `after`, settings first, then nodes and wires in document order. */
export function diffDocuments(given: GraphDocument, then: GraphDocument): ParamChange[] {
  // Parameters are compared on the flat graphs: a change inside a group counts, grouping itself does not (renderer/groups).
  const before = flattenDocument(given).doc;
  const after = flattenDocument(then).doc;
  const out: ParamChange[] = [];
  fieldChanges(before.simulation, after.simulation, (field, x, y) => out.push({ scope: 'simulation', id: 'simulation', where: 'Simulation', field, before: displayValue(x), after: displayValue(y) }));

  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const ids = [...new Set([...before.nodes.map((n) => n.id), ...after.nodes.map((n) => n.id)])];
  for (const id of ids) {
    const a = beforeNodes.get(id);
    const b = afterNodes.get(id);
    if (!a || !b) {
      const n = (a ?? b)!;
      const text = `${n.kind} ${nodeName(n)}`;
      out.push({ scope: 'node', id, where: nodeName(n), field: '(node)', before: a ? text : ABSENT, after: b ? text : ABSENT });
      continue;
    }
    const where = nodeName(b);
    if (a.label !== b.label) out.push({ scope: 'node', id, where, field: 'label', before: displayValue(a.label), after: displayValue(b.label) });
    if (a.kind !== b.kind) out.push({ scope: 'node', id, where, field: 'kind', before: a.kind, after: b.kind });
    fieldChanges(a.params, b.params, (field, x, y) => out.push({ scope: 'node', id, where, field, before: displayValue(x), after: displayValue(y) }));
  }

  const label = (id: string) => afterNodes.get(id)?.label || beforeNodes.get(id)?.label || id;
  const beforeEdges = new Map(before.edges.map((e) => [e.id, e]));
  const afterEdges = new Map(after.edges.map((e) => [e.id, e]));
  const edgeIds = [...new Set([...before.edges.map((e) => e.id), ...after.edges.map((e) => e.id)])];
  for (const id of edgeIds) {
    const a = beforeEdges.get(id);
    const b = afterEdges.get(id);
    if (!a || !b) {
      const e = (a ?? b)!;
      out.push({ scope: 'wire', id, where: wireName(e, label), field: '(wire)', before: a ? 'present' : ABSENT, after: b ? 'present' : ABSENT });
      continue;
    }
    const where = wireName(b, label);
    if (canonical(a.source) !== canonical(b.source) || canonical(a.target) !== canonical(b.target)) {
      out.push({ scope: 'wire', id, where, field: 'ends', before: wireName(a, label), after: where });
    }
    fieldChanges(a.params, b.params, (field, x, y) => out.push({ scope: 'wire', id, where, field, before: displayValue(x), after: displayValue(y) }));
  }
  return out;
}
