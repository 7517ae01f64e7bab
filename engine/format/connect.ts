/**
 * Wiring rules: which wires make sense. The canvas asks {@link connectionProblem}
 * while the user drags a wire, so a wire that makes no sense is refused there;
 * the validator applies the same rules to loaded documents.
 */
import { PROJECTION_PARAMS, defaultParams, getKind } from '../kinds/index.ts';
import type { NodeKind, PortRole, PortSpec } from '../kinds/index.ts';
import type { DocEdge, DocNode, GraphDocument, PortRef } from './document.ts';

/** Why a wire is refused, as a stable code (the message is for people). */
export type WireProblemCode = 'unknown-node' | 'unknown-kind' | 'unknown-port' | 'no-outputs' | 'no-inputs' | 'wrong-direction' | 'type-mismatch' | 'duplicate' | 'occupied' | 'not-a-projection';

export interface WireProblem {
  readonly code: WireProblemCode;
  /** Which end of the wire is at fault. */
  readonly end: 'source' | 'target';
  /** Which part of that end: the node id or the port id. */
  readonly part: 'node' | 'port';
  /** A full sentence. */
  readonly message: string;
}

/** `"lif1" (LIF (current, exp. synapses))`: how messages name a node. */
export function describeNode(id: string, kind: NodeKind | undefined): string {
  return kind ? `"${id}" (${kind.label})` : `"${id}"`;
}

function portList(ports: readonly PortSpec[]): string {
  return ports.map((p) => p.id).join(', ');
}

/**
 * Rules about the two ends of a wire alone (not about other wires): the nodes
 * and ports exist, the wire runs output → input, and both ports carry the same type.
 * `findNode` looks a node up by id.
 */
export function wireEndsProblem(findNode: (id: string) => Pick<DocNode, 'id' | 'kind'> | undefined, source: PortRef, target: PortRef): WireProblem | null {
  const ends = [
    ['source', source],
    ['target', target],
  ] as const;
  const kinds: NodeKind[] = [];
  for (const [end, ref] of ends) {
    const node = findNode(ref.node);
    if (!node) return { code: 'unknown-node', end, part: 'node', message: `There is no node "${ref.node}".` };
    const kind = getKind(node.kind);
    if (!kind) return { code: 'unknown-kind', end, part: 'node', message: `Node "${ref.node}" has an unknown kind "${node.kind}".` };
    kinds.push(kind);
  }
  const [sk, tk] = kinds;
  const out = sk.outputs.find((p) => p.id === source.port);
  if (!out) {
    const who = describeNode(source.node, sk);
    if (sk.outputs.length === 0) {
      const message = sk.category === 'monitor' ? `Node ${who} is a monitor: it only observes, and has no output to wire from.` : `Node ${who} has no outputs.`;
      return { code: 'no-outputs', end: 'source', part: 'node', message };
    }
    if (sk.inputs.some((p) => p.id === source.port)) {
      return { code: 'wrong-direction', end: 'source', part: 'port', message: `Port "${source.port}" of node ${who} is an input; a wire starts at an output.` };
    }
    return { code: 'unknown-port', end: 'source', part: 'port', message: `Node ${who} has no output "${source.port}" (its outputs: ${portList(sk.outputs)}).` };
  }
  const inp = tk.inputs.find((p) => p.id === target.port);
  if (!inp) {
    const who = describeNode(target.node, tk);
    if (tk.outputs.some((p) => p.id === target.port)) {
      return { code: 'wrong-direction', end: 'target', part: 'port', message: `Port "${target.port}" of node ${who} is an output; a wire ends at an input.` };
    }
    if (tk.inputs.length === 0) return { code: 'no-inputs', end: 'target', part: 'node', message: `Node ${who} takes no inputs.` };
    return { code: 'unknown-port', end: 'target', part: 'port', message: `Node ${who} has no input "${target.port}" (its inputs: ${portList(tk.inputs)}).` };
  }
  if (out.type !== inp.type) {
    return { code: 'type-mismatch', end: 'target', part: 'port', message: `A ${out.type} output cannot feed a ${inp.type} input.` };
  }
  // A weight monitor watches a plastic projection: only a plasticity node's output can feed it.
  const watchesWeights = tk.runtime.role === 'monitor' && tk.runtime.records === 'weights';
  if (watchesWeights && sk.runtime.role !== 'plasticity') {
    return {
      code: 'type-mismatch',
      end: 'source',
      part: 'node',
      message: `Weight monitor ${describeNode(target.node, tk)} observes a plastic projection: wire a plasticity node's output (e.g. STDP "post") into it; ${describeNode(source.node, sk)} has no weights of its own.`,
    };
  }
  // A plasticity node's output is the rest of its projection: it can only end at a synapse input (or a weight monitor).
  if (sk.runtime.role === 'plasticity' && inp.role !== 'projection' && !watchesWeights) {
    return {
      code: 'not-a-projection',
      end: 'target',
      part: 'port',
      message: `The output of plasticity node ${describeNode(source.node, sk)} is a projection; wire it into a population's synapse input, not into "${target.port}" of ${describeNode(target.node, tk)}.`,
    };
  }
  return null;
}

/** Whether a node id names a plasticity node (its output is the rest of a projection). */
export function isPlasticityNode(findNode: (id: string) => Pick<DocNode, 'kind'> | undefined, id: string): boolean {
  const node = findNode(id);
  return node !== undefined && getKind(node.kind)?.runtime.role === 'plasticity';
}

export interface ConnectionOptions {
  /** An edge to leave out of the checks, e.g. the one being reconnected. */
  readonly ignoreEdge?: string;
}

/**
 * For a second projection between the same two ports: the target's first receptor
 * that no existing wire between them uses (so an excitatory and an inhibitory
 * projection can join the same populations, as a signed trained connection needs),
 * or null when there is none or the wires are not projections.
 */
export function secondReceptor(doc: GraphDocument, source: PortRef, target: PortRef, ignoreEdge?: string): string | null {
  const tk = getKind(doc.nodes.find((n) => n.id === target.node)?.kind ?? '');
  const sk = getKind(doc.nodes.find((n) => n.id === source.node)?.kind ?? '');
  const inp = tk?.inputs.find((x) => x.id === target.port);
  if (!tk || !sk || inp?.role !== 'projection' || sk.runtime.role === 'plasticity' || tk.runtime.role !== 'neurons') return null;
  const used = new Set(
    doc.edges
      .filter((e) => e.id !== ignoreEdge && e.source.node === source.node && e.source.port === source.port && e.target.node === target.node && e.target.port === target.port)
      .map((e) => String(e.params.receptor ?? PROJECTION_PARAMS.receptor.default)),
  );
  return tk.runtime.receptors.find((r) => !used.has(r)) ?? null;
}

/**
 * Whether a wire from `source` (an output) to `target` (an input) is allowed:
 * null when it is, otherwise a sentence saying why not. Besides the rules of
 * {@link wireEndsProblem}, refuses a second identical wire and a second wire into
 * an input that is not `multiple`. A population may feed itself.
 */
export function connectionProblem(doc: GraphDocument, source: PortRef, target: PortRef, options: ConnectionOptions = {}): string | null {
  const p = wireProblem(doc, source, target, options);
  return p ? p.message : null;
}

/** As {@link connectionProblem}, with a stable code and the end at fault. */
export function wireProblem(doc: GraphDocument, source: PortRef, target: PortRef, options: ConnectionOptions = {}): WireProblem | null {
  const ends = wireEndsProblem((id) => doc.nodes.find((n) => n.id === id), source, target);
  if (ends) return ends;
  const others = doc.edges.filter((e) => e.id !== options.ignoreEdge);
  const same = (a: PortRef, b: PortRef) => a.node === b.node && a.port === b.port;
  if (others.some((e) => same(e.source, source) && same(e.target, target)) && secondReceptor(doc, source, target, options.ignoreEdge) === null) {
    return { code: 'duplicate', end: 'target', part: 'port', message: 'These two ports are already wired together.' };
  }
  const tk = getKind(doc.nodes.find((n) => n.id === target.node)?.kind ?? '');
  const inp = tk?.inputs.find((x) => x.id === target.port);
  const find = (id: string) => doc.nodes.find((n) => n.id === id);
  // One projection per plasticity node; weight monitors beside it do not count.
  const intoSynapses = (e: Pick<DocEdge, 'target'>) => edgeRole(doc, e) === 'projection';
  if (isPlasticityNode(find, source.node) && inp?.role === 'projection' && others.some((e) => same(e.source, source) && intoSynapses(e))) {
    return {
      code: 'occupied',
      end: 'source',
      part: 'port',
      message: `Output "${source.port}" of plasticity node ${describeNode(source.node, getKind(find(source.node)!.kind))} makes one projection and is already wired.`,
    };
  }
  if (inp && inp.multiple === false && others.some((e) => same(e.target, target))) {
    return {
      code: 'occupied',
      end: 'target',
      part: 'port',
      message: `Input "${target.port}" of node ${describeNode(target.node, tk)} takes a single wire and already has one.`,
    };
  }
  return null;
}

/** The role of the input port an edge feeds (`projection`, `observe`, `inject`), or null when it is not a valid input. */
export function edgeRole(doc: GraphDocument, edge: Pick<DocEdge, 'target'>): PortRole | null {
  const node = doc.nodes.find((n) => n.id === edge.target.node);
  const port = node ? getKind(node.kind)?.inputs.find((p) => p.id === edge.target.port) : undefined;
  return port?.role ?? null;
}

/**
 * Params of a new wire with this role: projection defaults, or none. A wire out of
 * a plasticity node (pass `sourceKind`) has none: the node holds its projection params.
 */
export function defaultEdgeParams(role: PortRole | null, sourceKind?: string): Record<string, unknown> {
  if (sourceKind !== undefined && getKind(sourceKind)?.runtime.role === 'plasticity') return {};
  return role === 'projection' ? defaultParams(PROJECTION_PARAMS) : {};
}
