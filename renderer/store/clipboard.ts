/**
 * The clipboard's format and the pure steps of copy and paste.
 *
 * A copied selection is a *fragment*: JSON text a person can read and edit,
 * `{"format": "spikeflow-fragment", "version": 1, "nodes": [...], "edges": [...]}`, with
 * nodes and wires exactly as a document stores them. Only wires with both ends in the
 * selection are copied. Paste accepts a fragment, a whole Spikeflow document, or a bare
 * `{"nodes": [...], "edges": [...]}` object; it checks the pasted nodes and wires with the
 * document loader (so a bad value or an unknown kind is named, with the node and field)
 * and refuses text that is not one of those with a message, changing nothing.
 */
import type { DocEdge, DocNode, GraphDocument } from '../../engine/format/document.ts';
import { FORMAT_ID } from '../../engine/format/document.ts';
import { loadDocument, newDocument } from '../../engine/format/load.ts';
import { connectionProblem } from '../../engine/format/connect.ts';
import { getKind } from '../../engine/kinds/index.ts';
import { kindPrefix, nextId } from './ids.ts';

export const FRAGMENT_FORMAT = 'spikeflow-fragment';

export interface Fragment {
  readonly nodes: readonly DocNode[];
  readonly edges: readonly DocEdge[];
}

export type ParseResult = { readonly ok: true; readonly fragment: Fragment } | { readonly ok: false; readonly message: string };

/** The selected nodes and the wires between them (a selected wire with an end outside is left out). */
export function copyFragment(doc: GraphDocument, nodeIds: readonly string[]): Fragment {
  const ids = new Set(nodeIds);
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)),
    edges: doc.edges.filter((e) => ids.has(e.source.node) && ids.has(e.target.node)),
  };
}

/** The fragment as clipboard text (pretty JSON, as a document is written). */
export function fragmentText(fragment: Fragment): string {
  return `${JSON.stringify({ format: FRAGMENT_FORMAT, version: 1, nodes: fragment.nodes, edges: fragment.edges }, null, 2)}\n`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read clipboard text as a fragment, or say why it is not one. */
export function parseFragment(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const head = text.trim().slice(0, 40);
    return { ok: false, message: `The clipboard does not hold Spikeflow nodes: it is not JSON${head ? ` ("${head}${text.trim().length > 40 ? '…' : ''}")` : ' (it is empty)'}.` };
  }
  if (!isObj(raw) || !Array.isArray(raw.nodes)) {
    return { ok: false, message: 'The clipboard does not hold Spikeflow nodes: the JSON has no "nodes" list (copy nodes from Spikeflow, or a graph document).' };
  }
  if (raw.format !== undefined && raw.format !== FRAGMENT_FORMAT && raw.format !== FORMAT_ID) {
    return { ok: false, message: `The clipboard does not hold Spikeflow nodes: its "format" is ${JSON.stringify(raw.format)}.` };
  }
  const edges = Array.isArray(raw.edges) ? raw.edges : [];
  if (raw.nodes.length === 0) return { ok: false, message: 'The clipboard holds no nodes to paste.' };
  // Check the pieces the way a file is checked: as a document of their own.
  const probe = { ...newDocument('clipboard'), nodes: raw.nodes, edges: dropDangling(raw.nodes, edges) };
  const result = loadDocument(JSON.stringify(probe));
  if (!result.ok && !result.recoverable) {
    const first = result.issues[0]?.message ?? 'it is not valid';
    const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
    return { ok: false, message: `Nothing pasted: ${first}${more}` };
  }
  // Invalid values are pasted and marked, as when a file with them is opened.
  const doc = result.ok ? result.doc : result.recoverable!;
  return { ok: true, fragment: { nodes: doc.nodes, edges: doc.edges } };
}

/** Wires whose two ends are both among `nodes` (others would dangle). */
function dropDangling(nodes: readonly unknown[], edges: readonly unknown[]): unknown[] {
  const ids = new Set(nodes.map((n) => (isObj(n) ? n.id : undefined)).filter((id): id is string => typeof id === 'string'));
  return edges.filter((e) => isObj(e) && isObj(e.source) && isObj(e.target) && ids.has(e.source.node as string) && ids.has(e.target.node as string));
}

export interface Placed {
  readonly nodes: DocNode[];
  readonly edges: DocEdge[];
  /** Wires left out because the document refuses them there (e.g. a second wire into a one-wire port). */
  readonly refused: number;
}

/**
 * The fragment's nodes and wires with fresh ids for `doc`, moved so the fragment's top
 * left corner lands at `at` (flow coordinates). A label that was the node's old id
 * follows the new id; other labels are kept.
 */
export function placeFragment(doc: GraphDocument, fragment: Fragment, at: { x: number; y: number }): Placed {
  const minX = Math.min(...fragment.nodes.map((n) => n.position.x));
  const minY = Math.min(...fragment.nodes.map((n) => n.position.y));
  const work: GraphDocument = { ...doc, nodes: [...doc.nodes], edges: [...doc.edges] };
  const idMap = new Map<string, string>();
  const nodes: DocNode[] = [];
  for (const n of fragment.nodes) {
    const kind = getKind(n.kind);
    const id = nextId(work, kind ? kindPrefix(kind) : 'node');
    idMap.set(n.id, id);
    const node: DocNode = {
      ...structuredClone(n),
      id,
      label: n.label === n.id || n.label === '' ? id : n.label,
      position: { x: Math.round(at.x + n.position.x - minX), y: Math.round(at.y + n.position.y - minY) },
    };
    nodes.push(node);
    work.nodes.push(node);
  }
  const edges: DocEdge[] = [];
  let refused = 0;
  for (const e of fragment.edges) {
    const source = idMap.get(e.source.node);
    const target = idMap.get(e.target.node);
    if (!source || !target) continue;
    const edge: DocEdge = { ...structuredClone(e), id: nextId(work, 'e'), source: { ...e.source, node: source }, target: { ...e.target, node: target } };
    if (connectionProblem(work, edge.source, edge.target) !== null) {
      refused++;
      continue;
    }
    edges.push(edge);
    work.edges.push(edge);
  }
  return { nodes, edges, refused };
}
