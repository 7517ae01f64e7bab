/**
 * The graph document (`*.spikeflow.json`), format version 2 (version 2 adds groups:
 * nodes of kind `group` holding nodes, wires and named ports; see groups.ts).
 *
 * Positions and labels are the editor's; the engine never sees this type, only
 * the plan compiled from it. Unknown fields anywhere are kept on load and
 * written back on save, hence the index signatures.
 */

export const FORMAT_ID = 'spikeflow-graph';
export const CURRENT_VERSION = 2;

export interface DocMeta {
  name: string;
  description: string;
  /** ISO 8601. */
  created: string;
  modified: string;
  [unknown: string]: unknown;
}

export interface DocSimulation {
  dt_ms: number;
  duration_ms: number;
  seed: number;
  /** Discrete graph order within a step (schema.ts; the NIR import sets it). Absent: false. */
  same_step_delivery?: boolean;
  [unknown: string]: unknown;
}

export interface DocNode {
  id: string;
  kind: string;
  label: string;
  position: { x: number; y: number };
  params: Record<string, unknown>;
  [unknown: string]: unknown;
}

export interface PortRef {
  node: string;
  port: string;
}

export interface DocEdge {
  id: string;
  source: PortRef;
  target: PortRef;
  /** Projection params when the target port's role is `projection`; otherwise empty. */
  params: Record<string, unknown>;
  [unknown: string]: unknown;
}

export interface GraphDocument {
  format: typeof FORMAT_ID;
  version: typeof CURRENT_VERSION;
  meta: DocMeta;
  simulation: DocSimulation;
  nodes: DocNode[];
  edges: DocEdge[];
  view: Record<string, unknown>;
  [unknown: string]: unknown;
}

/** One problem found while loading or validating, pointing at where it is. */
export interface DocIssue {
  /** JSON pointer into the document, e.g. `/nodes/2/params/tau_m_ms`. */
  readonly pointer: string;
  /** The node or edge id the problem belongs to, when there is one. */
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** The param or field name, e.g. `tau_m_ms`. */
  readonly field?: string;
  /** A full sentence that names the node or edge and the field. */
  readonly message: string;
}
