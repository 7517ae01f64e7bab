/**
 * Document → React Flow. The canvas is a view of the document: React Flow nodes
 * and edges are derived here, never stored. Objects are reused while their inputs
 * are unchanged, so React Flow (which compares by reference) re-renders only what
 * changed — during a drag, only the dragged nodes.
 */
import type { Edge, Node } from '@xyflow/react';
import type { DocEdge, DocNode, GraphDocument } from '../../engine/format/document.ts';
import { getKind } from '../../engine/kinds/index.ts';
import type { NodeKind, PortRole } from '../../engine/kinds/index.ts';
import type { IssueIndex } from '../store/issues.ts';
import type { Selection } from '../store/editor.ts';
import { displayNumber, formatDist } from '../inspector/param-text.ts';
import { isGroupNode } from '../../engine/format/groups.ts';
import { innerNodeIds, levelInputPort } from '../groups/level.ts';

export type SpikeNodeData = {
  readonly node: DocNode;
  /** Messages of the node's issues (validation and the last refused run). */
  readonly issues: readonly string[];
};
export type SpikeFlowNode = Node<SpikeNodeData, 'spike'>;

export type WireData = {
  readonly edge: DocEdge;
  readonly role: PortRole | null;
  /** Unit of the weight on a projection into this port (from the port's declaration). */
  readonly weightUnit: string | undefined;
  readonly issues: readonly string[];
  /**
   * The plasticity node a projection passes through, which holds its params (the
   * wire out of it carries none that count); null for an ordinary wire.
   */
  readonly heldBy: DocNode | null;
};
export type WireFlowEdge = Edge<WireData, 'wire'>;

export interface Measured {
  readonly width: number;
  readonly height: number;
}

const NO_ISSUES: readonly string[] = [];

function messages(list: readonly { message: string }[] | undefined): readonly string[] {
  return list && list.length ? list.map((i) => i.message) : NO_ISSUES;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

/** Keeps the previous output objects to hand back unchanged ones by reference. */
export class FlowMapper {
  private nodes = new Map<string, SpikeFlowNode>();
  private edges = new Map<string, WireFlowEdge>();

  mapNodes(doc: GraphDocument, selection: Selection, issues: IssueIndex, measured: Readonly<Record<string, Measured>>): SpikeFlowNode[] {
    const selected = new Set(selection.nodes);
    const next = new Map<string, SpikeFlowNode>();
    const out = doc.nodes.map((node) => {
      const prev = this.nodes.get(node.id);
      // A group shows the issues of everything inside it (renderer/groups).
      const nodeIssues = isGroupNode(node) ? messages(innerNodeIds(node).flatMap((id) => issues.byNode.get(id) ?? [])) : messages(issues.byNode.get(node.id));
      const isSelected = selected.has(node.id);
      const m = measured[node.id];
      if (prev && prev.data.node === node && prev.selected === isSelected && prev.measured?.width === m?.width && prev.measured?.height === m?.height && sameList(prev.data.issues, nodeIssues)) {
        next.set(node.id, prev);
        return prev;
      }
      const flow: SpikeFlowNode = {
        id: node.id,
        type: (isGroupNode(node) ? 'group' : 'spike') as 'spike',
        position: node.position,
        selected: isSelected,
        data: { node, issues: nodeIssues },
        ...(m ? { measured: m } : {}),
      };
      next.set(node.id, flow);
      return flow;
    });
    this.nodes = next;
    return out;
  }

  mapEdges(doc: GraphDocument, selection: Selection, issues: IssueIndex): WireFlowEdge[] {
    const selected = new Set(selection.edges);
    const kindOf = new Map(doc.nodes.map((n) => [n.id, getKind(n.kind)]));
    const nodeOf = new Map(doc.nodes.map((n) => [n.id, n]));
    const next = new Map<string, WireFlowEdge>();
    const out = doc.edges.map((edge) => {
      const prev = this.edges.get(edge.id);
      const edgeIssues = messages(issues.byEdge.get(edge.id));
      const isSelected = selected.has(edge.id);
      const port = kindOf.get(edge.target.node)?.inputs.find((p) => p.id === edge.target.port) ?? levelInputPort(doc, edge.target);
      const role = port?.role ?? null;
      const heldBy = plasticityHolder(edge, role, kindOf, nodeOf);
      if (prev && prev.data?.edge === edge && prev.selected === isSelected && prev.data.role === role && prev.data.heldBy === heldBy && sameList(prev.data.issues, edgeIssues)) {
        next.set(edge.id, prev);
        return prev;
      }
      const flow: WireFlowEdge = {
        id: edge.id,
        type: 'wire',
        source: edge.source.node,
        sourceHandle: edge.source.port,
        target: edge.target.node,
        targetHandle: edge.target.port,
        selected: isSelected,
        data: { edge, role, weightUnit: port?.weightUnit, issues: edgeIssues, heldBy },
      };
      next.set(edge.id, flow);
      return flow;
    });
    this.edges = next;
    return out;
  }
}

/**
 * The plasticity node whose params a wire's projection uses: the source of a
 * projection wire, when that source is a plasticity node (pre → node → target).
 */
export function plasticityHolder(edge: Pick<DocEdge, 'source'>, role: PortRole | null, kindOf: ReadonlyMap<string, NodeKind | undefined>, nodeOf: ReadonlyMap<string, DocNode>): DocNode | null {
  if (role !== 'projection') return null;
  return kindOf.get(edge.source.node)?.runtime.role === 'plasticity' ? (nodeOf.get(edge.source.node) ?? null) : null;
}

/** The text on a wire: a projection's label (behind its plasticity node's name when it has one), else none. */
export function wireLabelText(role: PortRole | null, heldBy: DocNode | null, edgeParams: Readonly<Record<string, unknown>>, weightUnit: string | undefined): string {
  if (role !== 'projection') return '';
  return `${heldBy ? `${heldBy.label || heldBy.id} · ` : ''}${projectionLabel(heldBy?.params ?? edgeParams, weightUnit)}`;
}

/** The text of each wire of a level that has one, by wire id (for auto-layout to make room for them). */
export function wireLabels(level: GraphDocument): Map<string, string> {
  const kindOf = new Map(level.nodes.map((n) => [n.id, getKind(n.kind)]));
  const nodeOf = new Map(level.nodes.map((n) => [n.id, n]));
  const out = new Map<string, string>();
  for (const edge of level.edges) {
    const port = kindOf.get(edge.target.node)?.inputs.find((p) => p.id === edge.target.port) ?? levelInputPort(level, edge.target);
    const role = port?.role ?? null;
    const text = wireLabelText(role, plasticityHolder(edge, role, kindOf, nodeOf), edge.params, port?.weightUnit);
    if (text) out.set(edge.id, text);
  }
  return out;
}

/** The size a wire label of this text is drawn at (monospace 10 px, padding and border). */
export function wireLabelSize(text: string): { width: number; height: number } {
  return { width: text.length * 6.2 + 14, height: 18 };
}

/** A compact label for a projection wire: `p=0.02 · 0.27 mV · exc`. */
export function projectionLabel(params: Readonly<Record<string, unknown>>, weightUnit?: string): string {
  const rule = params.rule;
  const n = params.n;
  const ruleText =
    rule === 'all-to-all'
      ? 'all→all'
      : rule === 'one-to-one'
        ? '1:1'
        : rule === 'bernoulli'
          ? `p=${displayNumber(params.p)}`
          : rule === 'fixed-in-degree'
            ? `in=${displayNumber(n)}`
            : rule === 'fixed-out-degree'
              ? `out=${displayNumber(n)}`
              : rule === 'fixed-total'
                ? `N=${displayNumber(n)}`
                : String(rule ?? '?');
  const weightText = formatDist(params.weight, weightUnit);
  return `${ruleText} · ${weightText} · ${String(params.receptor ?? 'exc')}`;
}
