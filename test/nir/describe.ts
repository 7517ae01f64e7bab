/**
 * A NIR graph model as the JSON that test/nir/nir_reference.py's `describe` produces from a
 * Python graph, so the two sides compare field by field.
 */
import { isTensor } from '../../engine/interop/nir/model.ts';
import type { NirMetaValue, NirMetadata, NirNode } from '../../engine/interop/nir/model.ts';

export type Described = string | string[] | { tensor: { dtype: string; shape: number[]; data: number[] } } | { group: Record<string, Described> };

export function describeValue(v: NirMetaValue): Described {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return [...(v as string[])];
  if (isTensor(v)) return { tensor: { dtype: v.dtype, shape: [...v.shape], data: Array.from(v.data) } };
  return { group: Object.fromEntries(Object.entries(v as NirMetadata).map(([k, x]) => [k, describeValue(x)])) };
}

export interface DescribedNode {
  type: string;
  params?: Record<string, Described>;
  nodes?: [string, DescribedNode][];
  edges?: [string, string][];
  metadata: Described;
}

/** `sortNodes` orders a graph's nodes by name (files from h5py list them alphabetically). */
export function describeNode(node: NirNode, sortNodes = false): DescribedNode {
  const metadata = describeValue(node.metadata);
  if (node.type === 'NIRGraph') {
    const nodes = [...node.nodes].map(([k, n]): [string, DescribedNode] => [k, describeNode(n, sortNodes)]);
    if (sortNodes) nodes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { type: node.type, nodes, edges: node.edges.map(([a, b]) => [a, b]), metadata };
  }
  const params = Object.fromEntries(
    Object.entries(node.params as Record<string, NirMetaValue | undefined>)
      .filter((e): e is [string, NirMetaValue] => e[1] !== undefined)
      .map(([k, v]) => [k, describeValue(v)]),
  );
  return { type: node.type, params, metadata };
}

/** A Python description with its nodes ordered by name, at every level. */
export function sortDescribed(d: DescribedNode): DescribedNode {
  if (!d.nodes) return d;
  const nodes = d.nodes.map(([k, n]): [string, DescribedNode] => [k, sortDescribed(n)]);
  nodes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { ...d, nodes };
}
