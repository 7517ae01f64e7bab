/**
 * Nested NIR graphs, inlined: each subgraph node `s` is replaced by its own nodes, renamed
 * `s.<name>`, and its Input and Output nodes dissolve into edges (whatever fed `s` now feeds
 * what `s`'s Input fed; what fed `s`'s Output now feeds what `s` fed). The result has no
 * NIRGraph nodes, so a mapping only handles one level.
 */
import { nirGraph } from './model.ts';
import type { NirEdge, NirGraph, NirNode } from './model.ts';

export interface Inlined {
  readonly graph: NirGraph;
  /** Each inlined subgraph by its new prefix, with the Input / Output nodes that became edges. */
  readonly dissolved: ReadonlyMap<string, readonly string[]>;
}

/**
 * Inlines every nested graph (depth first). Throws when it cannot say what a subgraph
 * edge means: a subgraph with several Input (or Output) nodes fed (or read) from outside,
 * or a new name that is already taken.
 */
export function inlineSubgraphs(graph: NirGraph): Inlined {
  const dissolved = new Map<string, string[]>();
  return { graph: inline(graph, '', dissolved), dissolved };
}

function inline(graph: NirGraph, prefix: string, dissolved: Map<string, string[]>): NirGraph {
  if (![...graph.nodes.values()].some((n) => n.type === 'NIRGraph')) return graph;
  const nodes = new Map<string, NirNode>();
  let edges: NirEdge[] = [];
  const through: string[] = [];
  const put = (name: string, node: NirNode) => {
    if (nodes.has(name)) throw new Error(`inlining the nested graphs of ${prefix || 'the root graph'}: the name "${name}" is taken twice`);
    nodes.set(name, node);
  };
  const entry = new Map<string, string>();
  const exit = new Map<string, string>();
  for (const [name, node] of graph.nodes) {
    if (node.type !== 'NIRGraph') {
      put(name, node);
      continue;
    }
    const inner = inline(node, `${prefix}${name}.`, dissolved);
    const io = (t: 'Input' | 'Output') => [...inner.nodes].filter(([, n]) => n.type === t).map(([k]) => `${name}.${k}`);
    const [ins, outs] = [io('Input'), io('Output')];
    if ((graph.edges.some(([, b]) => b === name) && ins.length !== 1) || (graph.edges.some(([a]) => a === name) && outs.length !== 1)) {
      throw new Error(`nested graph ${prefix}${name} has ${ins.length} Input and ${outs.length} Output nodes; an edge into or out of it needs exactly one`);
    }
    for (const [k, n] of inner.nodes) put(`${name}.${k}`, n);
    for (const [a, b] of inner.edges) edges.push([`${name}.${a}`, `${name}.${b}`]);
    entry.set(name, ins[0]);
    exit.set(name, outs[0]);
    through.push(...ins, ...outs);
    dissolved.set(
      `${prefix}${name}`,
      [...ins, ...outs].map((k) => `${prefix}${k}`),
    );
  }
  for (const [a, b] of graph.edges) edges.push([exit.get(a) ?? a, entry.get(b) ?? b]);
  // The subgraphs' Input and Output nodes become edges: each of their sources feeds each of their targets.
  for (const d of through) {
    const from = edges.filter(([, b]) => b === d).map(([a]) => a);
    const to = edges.filter(([a]) => a === d).map(([, b]) => b);
    edges = edges.filter(([a, b]) => a !== d && b !== d);
    for (const a of from) for (const b of to) edges.push([a, b]);
    nodes.delete(d);
  }
  return nirGraph(nodes, edges, graph.metadata);
}
