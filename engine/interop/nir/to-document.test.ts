import { describe, it, expect } from 'vitest';
import { loadDocument } from '../../format/load.ts';
import type { GraphDocument } from '../../format/document.ts';
import { filled, ints, nirGraph, nirNode, scalar, tensor } from './model.ts';
import type { NirEdge, NirGraph, NirNode } from './model.ts';
import { guessTimeUnit, nirToDocumentDraft, suggestedDtMs } from './to-document.ts';
import { inlineSubgraphs } from './inline.ts';
import type { NirImportOptions } from './to-document.ts';
import { tsGraphs } from '../../../test/nir/graphs.ts';

const clock = () => new Date('2026-01-01T00:00:00Z');
const opts = (o: Partial<NirImportOptions> = {}): NirImportOptions => ({ dtMs: 0.1, clock, ...o });

/** The draft, loaded as the app would: it must load without issues. */
function load(graph: NirGraph, o: Partial<NirImportOptions> = {}) {
  const draft = nirToDocumentDraft(graph, opts(o));
  const res = loadDocument(JSON.stringify(draft.doc), { clock });
  if (!res.ok) throw new Error(res.issues.map((i) => i.message).join('\n'));
  return { ...draft, loaded: res.doc };
}
const node = (doc: GraphDocument, id: string) => doc.nodes.find((n) => n.id === id);
const edge = (doc: GraphDocument, id: string) => doc.edges.find((e) => e.id === id);

const lif = (n: number, p: { tau?: number; r?: number; v_leak?: number; v_threshold?: number; v_reset?: number } = {}) =>
  nirNode('LIF', {
    tau: filled([n], p.tau ?? 0.02),
    r: filled([n], p.r ?? 2),
    v_leak: filled([n], p.v_leak ?? 0),
    v_threshold: filled([n], p.v_threshold ?? 1),
    v_reset: filled([n], p.v_reset ?? 0),
  });
const cuba = (n: number) =>
  nirNode('CubaLIF', {
    tau_syn: filled([n], 0.005),
    tau_mem: filled([n], 0.01),
    r: filled([n], 1),
    v_leak: filled([n], 0),
    v_threshold: filled([n], 1),
    v_reset: filled([n], 0),
    w_in: filled([n], 2),
  });
const chain = (nodes: [string, NirNode][]): NirGraph =>
  nirGraph(
    nodes,
    nodes.slice(1).map(([b], i): NirEdge => [nodes[i][0], b]),
  );
const io = (n: number) => [nirNode('Input', { shape: ints([n]) }), nirNode('Output', { shape: ints([n]) })] as const;

describe('nirToDocumentDraft', () => {
  it('maps Input → all-equal Linear → uniform LIF → Output to a spike generator, an all-to-all projection, lif-delta and a spike monitor', () => {
    const [i, o] = io(3);
    const g = chain([
      ['input', i],
      ['w', nirNode('Linear', { weight: filled([3, 3], 0.5) })],
      ['lif', lif(3)],
      ['output', o],
    ]);
    const { loaded, notImported, mapped } = load(g);
    expect(notImported).toEqual([]);
    expect(node(loaded, 'input')).toMatchObject({ kind: 'spike-generator', params: { size: 3, neurons: [], times_ms: [] } });
    expect(node(loaded, 'lif')).toMatchObject({
      kind: 'lif-delta',
      params: { size: 3, tau_m_ms: 20, v_rest_mv: 0, v_th_mv: 1, v_reset_mv: 0, t_ref_ms: 0, v_init_mv: 0 },
    });
    // Per step: v moves by R·W·dt/τ = 2 · 0.5 · 0.0001 s / 0.02 s = 0.005 mV.
    const w = edge(loaded, 'w');
    expect(w).toMatchObject({ source: { node: 'input' }, target: { node: 'lif', port: 'in' }, params: { rule: 'all-to-all', receptor: 'exc', delay_ms: 0 } });
    expect(w?.params.weight).toBeCloseTo(0.005, 15);
    expect(node(loaded, 'output')?.kind).toBe('spike-monitor');
    expect(edge(loaded, 'lif->output')?.target).toEqual({ node: 'output', port: 'spikes' });
    expect([...mapped.keys()].sort()).toEqual(['input', 'lif', 'output', 'w']);
  });

  it('reads a Dirac spike as R·W/τ and times in ms when told so', () => {
    const [i, o] = io(3);
    const g = chain([
      ['input', i],
      ['w', nirNode('Linear', { weight: filled([3, 3], 0.5) })],
      ['lif', lif(3, { tau: 20 })],
      ['output', o],
    ]);
    expect(edge(load(g, { spikeInput: 'dirac', timeUnit: 'ms' }).loaded, 'w')?.params.weight).toBeCloseTo((2 * 0.5) / 20, 15);
    expect(node(load(g, { timeUnit: 'ms' }).loaded, 'lif')?.params.tau_m_ms).toBe(20);
    expect(edge(load(g, { timeUnit: 'ms' }).loaded, 'w')?.params.weight).toBeCloseTo((2 * 0.5 * 0.1) / 20, 15);
  });

  it('maps a negative equal diagonal behind a Delay to a delayed one-to-one inhibitory projection into lif-curr-exp', () => {
    const [i, o] = io(2);
    const g = chain([
      ['input', i],
      ['d', nirNode('Delay', { delay: filled([2], 0.001) })],
      ['w', nirNode('Linear', { weight: tensor([-0.8, 0, 0, -0.8], [2, 2]) })],
      ['c', cuba(2)],
      ['output', o],
    ]);
    const { loaded, notImported, mapped } = load(g);
    expect(notImported).toEqual([]);
    expect(node(loaded, 'c')).toMatchObject({ kind: 'lif-curr-exp', params: { tau_m_ms: 10, tau_syn_exc_ms: 5, tau_syn_inh_ms: 5 } });
    const w = edge(loaded, 'w');
    expect(w?.params).toMatchObject({ rule: 'one-to-one', receptor: 'inh', delay_ms: 1 });
    // Into I (as R·I): R·w_in·|W|·dt/τ_syn = 1 · 2 · 0.8 · 0.0001 / 0.005 = 0.032 mV.
    expect(w?.params.weight).toBeCloseTo(0.032, 15);
    expect(mapped.get('d')).toEqual(['w']);
  });

  it('turns an Affine bias into the target bias current (R·b moves the equilibrium) and says so', () => {
    const [i, o] = io(2);
    const g = chain([
      ['input', i],
      ['a', nirNode('Affine', { weight: filled([2, 2], 1), bias: tensor([0.25, -0.5]) })],
      ['lif', lif(2)],
      ['output', o],
    ]);
    const { loaded, notes } = load(g);
    // R·b = 2·0.25 = 0.5 mV = R_m·I/1000 with R_m = 100 MΩ: I = 5 pA (and −10 pA for −0.5).
    expect(node(loaded, 'lif')?.params).toMatchObject({ v_rest_mv: 0, i_bias_pa: [5, -10] });
    expect(notes).toContain('a: the bias into lif becomes its bias current i_bias_pa (5,-10 pA).');
  });

  it('maps a uniform recurrent connection to a self-projection', () => {
    const [i, o] = io(3);
    const g = nirGraph(
      [
        ['input', i],
        ['lif', lif(3)],
        ['rec', nirNode('Linear', { weight: filled([3, 3], -0.1) })],
        ['output', o],
      ],
      [
        ['input', 'lif'],
        ['lif', 'rec'],
        ['rec', 'lif'],
        ['lif', 'output'],
      ],
    );
    const { loaded, notImported } = load(g);
    expect(notImported).toEqual([]);
    expect(edge(loaded, 'rec')?.params).toMatchObject({ rule: 'all-to-all', receptor: 'inh' });
    // A direct Input → LIF edge is a one-to-one projection of weight 1 (scaled).
    expect(edge(loaded, 'input->lif')?.params).toMatchObject({ rule: 'one-to-one', receptor: 'exc' });
  });

  it('imports per-neuron parameters as per-neuron lists, and the input into them with per-neuron weights', () => {
    const { notImported, loaded } = load(tsGraphs().lif);
    expect(notImported).toEqual([]);
    const params = node(loaded, 'lif')?.params ?? {};
    [20, 10, 2.5].forEach((x, k) => expect((params.tau_m_ms as number[])[k]).toBeCloseTo(x, 12));
    expect(params).toMatchObject({
      v_rest_mv: [0, -0.1, 0.1],
      v_th_mv: [1, 1.5, 0.8],
      v_reset_mv: [0, 0.1, -0.2],
      reset: 'to-v-reset',
    });
    // Input → LIF directly: W = identity, scaled per neuron by R·dt/τ = 1·1e-4/0.02, 2·1e-4/0.01, 0.5·1e-4/0.0025.
    const w = edge(loaded, 'input->lif') as unknown as { weights: { pre: number[]; post: number[]; w: number[] } };
    expect(w.weights.pre).toEqual([0, 1, 2]);
    expect(w.weights.post).toEqual([0, 1, 2]);
    [0.005, 0.02, 0.02].forEach((x, k) => expect(w.weights.w[k]).toBeCloseTo(x, 15));
  });

  it('imports a threshold, convolutions, pooling and per-neuron IF whole', () => {
    const reasons = (g: NirGraph) => Object.fromEntries(nirToDocumentDraft(g, opts()).notImported.map((n) => [n.node, n.reason]));
    expect(reasons(tsGraphs().conv)).toEqual({});
    expect(reasons(tsGraphs().if)).toEqual({});
    expect(reasons(tsGraphs()['scale-threshold'])).toEqual({});
  });

  it('imports Threshold as a lif-delta that forgets V every step (τ = dt, forward Euler) with θ as its threshold and the weights unscaled; with Dirac input it refuses, saying why', () => {
    const { loaded: doc, notes } = load(tsGraphs()['scale-threshold']);
    const th = doc.nodes.find((n) => n.id === 'threshold')!;
    expect(th.kind).toBe('lif-delta');
    expect(th.params).toMatchObject({ size: 3, tau_m_ms: 0.1, integration: 'euler', v_rest_mv: 0, v_th_mv: [0.5, 0.5, 1], v_reset_mv: 0, t_ref_ms: 0 });
    // Scale (2, −1, 0.5) as a synapse list, W itself (no dt/τ: τ = dt, R = 1).
    const w = edge(doc, 'scale') as unknown as { weights: { pre: number[]; post: number[]; w: number[] } };
    expect(w.weights).toMatchObject({ pre: [0, 1, 2], post: [0, 1, 2], w: [2, -1, 0.5] });
    expect(notes.some((n) => /threshold: Threshold imported as a lif-delta with τ = dt/.test(n))).toBe(true);
    const dirac = nirToDocumentDraft(tsGraphs()['scale-threshold'], opts({ spikeInput: 'dirac' }));
    expect(dirac.notImported.find((n) => n.node === 'threshold')?.reason).toMatch(/only with per-step input/);
  });

  it('imports IF as if-delta, LI as li-delta, CubaLI as li-curr-exp and I as integrator, readouts watched by a state monitor, with hand-computed weights', () => {
    const [i] = io(2);
    const p = (v: number) => filled([2], v);
    const g = nirGraph(
      [
        ['input', i],
        ['w1', nirNode('Linear', { weight: filled([2, 2], 0.5) })],
        ['if', nirNode('IF', { r: p(2), v_threshold: p(1), v_reset: p(0) })],
        ['w2', nirNode('Linear', { weight: tensor([3, 0, 0, 3], [2, 2]) })],
        ['li', nirNode('LI', { tau: p(0.01), r: p(1), v_leak: p(0.5) })],
        ['w3', nirNode('Linear', { weight: filled([2, 2], 1) })],
        ['cubali', nirNode('CubaLI', { tau_syn: p(0.005), tau_mem: p(0.02), r: p(2), v_leak: p(0), w_in: p(1) })],
        ['w4', nirNode('Linear', { weight: filled([2, 2], -2) })],
        ['integ', nirNode('I', { r: p(4) })],
        ['out_li', nirNode('Output', { shape: ints([2]) })],
        ['out_i', nirNode('Output', { shape: ints([2]) })],
      ],
      [
        ['input', 'w1'],
        ['w1', 'if'],
        ['if', 'w2'],
        ['w2', 'li'],
        ['if', 'w3'],
        ['w3', 'cubali'],
        ['if', 'w4'],
        ['w4', 'integ'],
        ['li', 'out_li'],
        ['integ', 'out_i'],
      ],
    );
    const { loaded, notImported, notes } = load(g, { reset: 'subtract' });
    expect(notImported).toEqual([]);
    expect(['if', 'li', 'cubali', 'integ'].map((id) => node(loaded, id)?.kind)).toEqual(['if-delta', 'li-delta', 'li-curr-exp', 'integrator']);
    expect(node(loaded, 'if')?.params).toMatchObject({ v_th_mv: 1, v_reset_mv: 0, reset: 'subtract' });
    expect(node(loaded, 'li')?.params).toMatchObject({ tau_m_ms: 10, v_rest_mv: 0.5, integration: 'euler' });
    // Per step, dt = 1e-4 s: IF and I have no τ, Δv = R·W·dt; LI R·W·dt/τ; CubaLI R·w_in·W·dt/τ_syn.
    expect(edge(loaded, 'w1')?.params.weight as number).toBeCloseTo(2 * 0.5 * 1e-4, 15);
    expect(edge(loaded, 'w2')?.params.weight as number).toBeCloseTo((1 * 3 * 1e-4) / 0.01, 15);
    expect(edge(loaded, 'w3')?.params.weight as number).toBeCloseTo((2 * 1 * 1e-4) / 0.005, 15);
    expect(edge(loaded, 'w4')?.params).toMatchObject({ receptor: 'inh' });
    expect(edge(loaded, 'w4')?.params.weight as number).toBeCloseTo(4 * 2 * 1e-4, 15);
    expect(node(loaded, 'out_li')).toMatchObject({ kind: 'state-monitor', params: { variable: 'v', neurons: [0, 1] } });
    expect(node(loaded, 'out_i')?.kind).toBe('state-monitor');
    expect(notes.some((n) => n.startsWith('Integration: forward Euler'))).toBe(true);
  });

  it.each(Object.keys(tsGraphs()))('%s: every NIR node (nested ones by their inlined name) is either mapped or named as not importable, and the draft loads', (name) => {
    const g = tsGraphs()[name];
    const { mapped, notImported } = load(g);
    const refused = notImported.map((n) => n.node);
    const { graph, dissolved } = inlineSubgraphs(g);
    expect([...mapped.keys(), ...refused].sort()).toEqual([...graph.nodes.keys(), ...[...dissolved.values()].flat()].sort());
    expect(refused.filter((n) => mapped.has(n))).toEqual([]);
  });

  it('imports a nested graph inlined: the subgraph LIF becomes sub.lif, fed and read through the dissolved Input and Output', () => {
    const [i, o] = io(2);
    const [si, so] = io(2);
    const sub = nirGraph(
      [
        ['input', si],
        ['lif', lif(2)],
        ['output', so],
      ],
      [
        ['input', 'lif'],
        ['lif', 'output'],
      ],
      { note: 'x' },
    );
    const g = chain([
      ['input', i],
      ['w', nirNode('Linear', { weight: filled([2, 2], 0.5) })],
      ['sub', sub],
      ['output', o],
    ]);
    const { loaded, notImported, mapped, notes } = load(g);
    expect(notImported).toEqual([]);
    expect(node(loaded, 'sub.lif')?.kind).toBe('lif-delta');
    expect(edge(loaded, 'w')?.params.rule).toBe('all-to-all');
    expect(edge(loaded, 'sub.lif->output')?.target.node).toBe('output');
    expect(mapped.get('sub.input')).toEqual([]);
    expect(notes).toContain('sub: nested graph inlined as sub.*; its sub.input, sub.output became wires.');
    expect(notes).toContain('sub: its metadata (note) is not imported.');
  });

  it('merges two paths between the same ends with different delays into one synapse list with a delay per synapse', () => {
    const [i, o] = io(2);
    const g = nirGraph(
      [
        ['input', i],
        ['d1', nirNode('Delay', { delay: filled([2], 0.001) })],
        ['d2', nirNode('Delay', { delay: filled([2], 0.002) })],
        ['lif', lif(2)],
        ['output', o],
      ],
      [
        ['input', 'd1'],
        ['input', 'd2'],
        ['d1', 'lif'],
        ['d2', 'lif'],
        ['lif', 'output'],
      ],
    );
    const { loaded, notImported, mapped } = load(g);
    expect(notImported).toEqual([]);
    const wires = loaded.edges.filter((e) => e.target.node === 'lif');
    expect(wires.map((e) => e.id)).toEqual(['input->lif']);
    // R·dt/τ = 2·1e-4/0.02 = 0.01 mV per path.
    expect(wires[0].weights).toEqual({ pre: [0, 0, 1, 1], post: [0, 0, 1, 1], w: [0.01, 0.01, 0.01, 0.01], delay_ms: [1, 2, 1, 2] });
    expect(mapped.get('d2')).toEqual(['input->lif']);
  });

  it('merges an excitatory and an inhibitory path between the same ends into one signed synapse list', () => {
    const [i, o] = io(2);
    const g = nirGraph(
      [
        ['input', i],
        ['d1', nirNode('Delay', { delay: filled([2], 0.001) })],
        ['neg', nirNode('Scale', { scale: filled([2], -1) })],
        ['lif', lif(2)],
        ['output', o],
      ],
      [
        ['input', 'd1'],
        ['d1', 'lif'],
        ['input', 'neg'],
        ['neg', 'lif'],
        ['lif', 'output'],
      ],
    );
    const { loaded, notImported } = load(g);
    expect(notImported).toEqual([]);
    const wires = loaded.edges.filter((e) => e.target.node === 'lif');
    expect(wires.map((e) => [e.id, e.params.receptor])).toEqual([['neg', 'exc']]);
    expect(wires[0].weights).toEqual({ pre: [0, 0, 1, 1], post: [0, 0, 1, 1], w: [-0.01, 0.01, -0.01, 0.01], delay_ms: [0, 1, 0, 1] });
  });

  it('guesses seconds for a Norse-like tau of 0.0025 and milliseconds when every time constant and delay is above 1', () => {
    expect(guessTimeUnit(tsGraphs().lif)).toBe('s');
    expect(
      guessTimeUnit(
        chain([
          ['a', lif(2, { tau: 20 })],
          ['d', nirNode('Delay', { delay: tensor([0, 2]) })],
        ]),
      ),
    ).toBe('ms');
    expect(
      guessTimeUnit(
        chain([
          ['a', lif(2, { tau: 20 })],
          ['d', nirNode('Delay', { delay: tensor([0.5, 2]) })],
        ]),
      ),
    ).toBe('s');
    expect(guessTimeUnit(tsGraphs().affine)).toBe('s');
  });

  it('takes the time unit and the spike convention a file states in its metadata (as Spikeflow writes them)', () => {
    const [i, o] = io(3);
    const stated = (meta: Record<string, string>) =>
      nirGraph(
        [
          ['input', i],
          ['w', nirNode('Linear', { weight: filled([3, 3], 0.5) })],
          ['lif', lif(3, { tau: 20 })],
          ['output', o],
        ],
        [
          ['input', 'w'],
          ['w', 'lif'],
          ['lif', 'output'],
        ],
        meta,
      );
    expect(guessTimeUnit(stated({ time_unit: 's' }))).toBe('s');
    expect(guessTimeUnit(stated({}))).toBe('ms');
    expect(edge(load(stated({ spike_input: 'dirac' }), { timeUnit: 'ms' }).loaded, 'w')?.params.weight).toBeCloseTo((2 * 0.5) / 20, 15);
    expect(edge(load(stated({ spike_input: 'dirac' }), { timeUnit: 'ms', spikeInput: 'per-step' }).loaded, 'w')?.params.weight).toBeCloseTo((2 * 0.5 * 0.1) / 20, 15);
  });

  it("offers the file's metadata dt in ms, else 0.1 ms", () => {
    expect(suggestedDtMs(tsGraphs().recurrent, 's')).toBeCloseTo(0.1, 12);
    expect(suggestedDtMs(nirGraph([], [], { dt: scalar(0.5) }), 'ms')).toBe(0.5);
    expect(suggestedDtMs(tsGraphs().conv, 's')).toBe(0.1);
  });

  it('gives the same draft for the same graph and options', () => {
    const g = tsGraphs().recurrent;
    expect(nirToDocumentDraft(g, opts())).toEqual(nirToDocumentDraft(g, opts()));
  });
});
