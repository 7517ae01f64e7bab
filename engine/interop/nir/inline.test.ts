import { describe, it, expect } from 'vitest';
import { filled, ints, nirGraph, nirNode } from './model.ts';
import type { NirGraph } from './model.ts';
import { inlineSubgraphs } from './inline.ts';
import { validateNirGraph } from './validate.ts';
import { tsGraphs } from '../../../test/nir/graphs.ts';

const lif = (n: number) => nirNode('LIF', { tau: filled([n], 0.02), r: filled([n], 1), v_leak: filled([n], 0), v_threshold: filled([n], 1), v_reset: filled([n], 0) });
const input = (n: number) => nirNode('Input', { shape: ints([n]) });
const output = (n: number) => nirNode('Output', { shape: ints([n]) });
const sorted = (g: NirGraph) => [...g.edges].map(([a, b]) => `${a} → ${b}`).sort();

describe('inlineSubgraphs', () => {
  it('replaces a nested graph by its nodes, prefixed, and turns its Input and Output into edges', () => {
    const { graph, dissolved } = inlineSubgraphs(tsGraphs().nested);
    expect([...graph.nodes.keys()]).toEqual(['input', 'affine', 'sub.lif', 'output']);
    expect(sorted(graph)).toEqual(['affine → sub.lif', 'input → affine', 'sub.lif → output']);
    expect(dissolved).toEqual(new Map([['sub', ['sub.input', 'sub.output']]]));
    expect(validateNirGraph(graph)).toEqual([]);
  });

  it('inlines two levels and keeps a loop through a subgraph', () => {
    const inner = nirGraph(
      [
        ['i', input(2)],
        ['a', lif(2)],
        ['b', lif(2)],
        ['o', output(2)],
      ],
      [
        ['i', 'a'],
        ['a', 'b'],
        ['b', 'o'],
      ],
    );
    const middle = nirGraph(
      [
        ['in', input(2)],
        ['deep', inner],
        ['out', output(2)],
      ],
      [
        ['in', 'deep'],
        ['deep', 'out'],
      ],
    );
    const root = nirGraph(
      [
        ['x', input(2)],
        ['m', middle],
        ['rec', nirNode('Linear', { weight: filled([2, 2], 0.1) })],
        ['y', output(2)],
      ],
      [
        ['x', 'm'],
        ['m', 'rec'],
        ['rec', 'm'],
        ['m', 'y'],
      ],
    );
    const { graph, dissolved } = inlineSubgraphs(root);
    expect([...graph.nodes.keys()].sort()).toEqual(['m.deep.a', 'm.deep.b', 'rec', 'x', 'y']);
    expect(sorted(graph)).toEqual(['m.deep.a → m.deep.b', 'm.deep.b → rec', 'm.deep.b → y', 'rec → m.deep.a', 'x → m.deep.a']);
    expect([...dissolved.keys()].sort()).toEqual(['m', 'm.deep']);
    expect(validateNirGraph(graph)).toEqual([]);
  });

  it('connects straight through a subgraph whose Input feeds its Output', () => {
    const wire = nirGraph(
      [
        ['i', input(2)],
        ['o', output(2)],
      ],
      [['i', 'o']],
    );
    const { graph } = inlineSubgraphs(
      nirGraph(
        [
          ['x', input(2)],
          ['w', wire],
          ['l', lif(2)],
        ],
        [
          ['x', 'w'],
          ['w', 'l'],
        ],
      ),
    );
    expect(sorted(graph)).toEqual(['x → l']);
  });

  it('refuses a fed subgraph with two Input nodes, naming it', () => {
    const two = nirGraph(
      [
        ['i1', input(2)],
        ['i2', input(2)],
        ['l', lif(2)],
        ['o', output(2)],
      ],
      [
        ['i1', 'l'],
        ['i2', 'l'],
        ['l', 'o'],
      ],
    );
    expect(() =>
      inlineSubgraphs(
        nirGraph(
          [
            ['x', input(2)],
            ['s', two],
          ],
          [['x', 's']],
        ),
      ),
    ).toThrow('nested graph s has 2 Input and 1 Output nodes; an edge into or out of it needs exactly one');
  });

  it('returns a graph without subgraphs unchanged', () => {
    const g = tsGraphs().recurrent;
    expect(inlineSubgraphs(g).graph).toBe(g);
  });
});
