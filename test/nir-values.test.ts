/**
 * Weights with no neuron after them, imported: an Output fed by Affine (and by a chain of
 * Conv2d → SumPool2d → Flatten → Affine, composed into one expanded projection) records
 * each step's weighted input plus the bias, as NIR's y = W·x + b, through a leaky integrator
 * with τ = dt under forward Euler. Hand-computed.
 */
import { describe, it, expect } from 'vitest';
import { nirToDocumentDraft } from '../engine/interop/nir/to-document.ts';
import { filled, ints, nirGraph, nirNode, tensor } from '../engine/interop/nir/model.ts';
import type { NirEdge, NirNode } from '../engine/interop/nir/model.ts';
import { loadDocument } from '../engine/format/load.ts';
import type { GraphDocument } from '../engine/format/document.ts';
import { traceOf } from './nir/run.ts';

const chain = (nodes: [string, NirNode][]) =>
  nirGraph(
    nodes,
    nodes.slice(1).map(([b], i): NirEdge => [nodes[i][0], b]),
  );

/** The readout's V per step, "neuron step" → value, with input spikes (channel, ms). */
function values(doc: GraphDocument, spikes: [number, number][]): Map<string, number> {
  const gen = doc.nodes.find((n) => n.kind === 'spike-generator');
  if (!gen) throw new Error('no generator');
  gen.params.neurons = spikes.map(([c]) => c);
  gen.params.times_ms = spikes.map(([, t]) => t);
  doc.simulation.duration_ms = 1;
  const out = new Map<string, number>();
  for (const line of traceOf(doc)) {
    const [pop, v, j, step, x] = line.split(' ');
    if (v === 'v' && pop === 'output.value') out.set(`${j} ${step}`, Number(x));
  }
  return out;
}

function imported(nodes: [string, NirNode][]): GraphDocument {
  const draft = nirToDocumentDraft(chain(nodes), { dtMs: 0.1, clock: () => new Date('2026-01-01T00:00:00Z') });
  expect(draft.notImported).toEqual([]);
  const loaded = loadDocument(JSON.stringify(draft.doc));
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.doc;
}

describe('an Output fed by weights, imported', () => {
  it('records W·x + b in the step each input spike is delivered, and b alone in the others', () => {
    const doc = imported([
      ['input', nirNode('Input', { shape: ints([2]) })],
      ['affine', nirNode('Affine', { weight: tensor([1, -2, 0.5, 0], [2, 2]), bias: tensor([0.25, -0.75]) })],
      ['output', nirNode('Output', { shape: ints([2]) })],
    ]);
    const v = values(doc, [
      [0, 0.3],
      [1, 0.5],
      [0, 0.5],
    ]);
    const at = (j: number, step: number) => v.get(`${j} ${step}`) as number;
    // Find the step the 0.3 ms spike lands in: the first step where output 1 leaves its bias.
    const first = [...Array(10).keys()].find((s) => Math.abs(at(1, s) - -0.75) > 1e-9) as number;
    expect(first).toBeGreaterThanOrEqual(2);
    // x = (1, 0): y = (1 + 0.25, 0.5 − 0.75); two steps later x = (1, 1): y = (1 − 2 + 0.25, 0.5 − 0.75).
    expect(at(0, first)).toBeCloseTo(1.25, 12);
    expect(at(1, first)).toBeCloseTo(-0.25, 12);
    expect(at(0, first + 2)).toBeCloseTo(-0.75, 12);
    expect(at(1, first + 2)).toBeCloseTo(-0.25, 12);
    // Between spikes only the bias: V forgets the last step's input (τ = dt).
    expect(at(0, first + 1)).toBeCloseTo(0.25, 12);
    expect(at(1, first + 3)).toBeCloseTo(-0.75, 12);
  });

  it('composes Conv2d → SumPool2d → Flatten → Affine into one projection flagged as expanded, whose value is the hand-computed composite', () => {
    // Input [1, 2, 2]; conv 1→1 channel, 1×1 kernel of weight 2, bias 0.5 → [1, 2, 2]; sum-pool 2×2 → [1, 1, 1]; flatten → [1]; affine ×3 + 1.
    const doc = imported([
      ['input', nirNode('Input', { shape: ints([1, 2, 2]) })],
      [
        'conv',
        nirNode('Conv2d', {
          input_shape: ints([2, 2]),
          weight: filled([1, 1, 1, 1], 2),
          stride: ints([1, 1]),
          padding: ints([0, 0]),
          dilation: ints([1, 1]),
          groups: ints([1]),
          bias: tensor([0.5]),
        }),
      ],
      ['pool', nirNode('SumPool2d', { kernel_size: ints([2, 2]), stride: ints([2, 2]), padding: ints([0, 0]) })],
      ['flatten', nirNode('Flatten', { input_type: ints([1, 1, 1]), start_dim: ints([0]), end_dim: ints([-1]) })],
      ['affine', nirNode('Affine', { weight: tensor([3], [1, 1]), bias: tensor([1]) })],
      ['output', nirNode('Output', { shape: ints([1]) })],
    ]);
    const wire = doc.edges.find((e) => e.target.node === 'output.value');
    expect(wire?.expanded_from).toBe('conv (Conv2d) → pool (SumPool2d) → flatten (Flatten) → affine (Affine)');
    // Each input pixel reaches the one output with 2 (conv) · 1 (pool) · 3 (affine) = 6: one value all-to-all.
    expect(wire?.params).toMatchObject({ rule: 'all-to-all', weight: 6, receptor: 'exc' });
    // The bias: 0.5 per pixel, summed over 4 by the pool, times 3, plus 1 = 7 (as a current: 7 · 1000/100 pA).
    expect(doc.nodes.find((n) => n.id === 'output.value')?.params.i_bias_pa).toBeCloseTo(70, 12);
    const v = values(doc, [
      [0, 0.3],
      [3, 0.3],
      [1, 0.5],
    ]);
    const trace = [...Array(10).keys()].map((s) => v.get(`0 ${s}`) as number);
    const first = trace.findIndex((x) => Math.abs(x - 7) > 1e-9);
    expect(trace[first]).toBeCloseTo(7 + 12, 12);
    expect(trace[first + 1]).toBeCloseTo(7, 12);
    expect(trace[first + 2]).toBeCloseTo(7 + 6, 12);
  });
});
