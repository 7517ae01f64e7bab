import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileDocument } from './compile.ts';
import { loadDocument } from '../format/load.ts';
import type { GraphDocument } from '../format/document.ts';
import { Network } from '../sim/network.ts';
import type { AdaptiveThresholdLif } from '../sim/plasticity/adaptive-threshold.ts';
import { runtimeOf } from '../kinds/index.ts';

function example(name: string): GraphDocument {
  const r = loadDocument(readFileSync(new URL(`../../examples/${name}.spikeflow.json`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.doc;
}

function params(doc: GraphDocument, id: string): Record<string, unknown> {
  return doc.nodes.find((n) => n.id === id)!.params as Record<string, unknown>;
}

function issuesOf(doc: GraphDocument) {
  const c = compileDocument(doc);
  expect(c.ok).toBe(false);
  return c.ok ? [] : c.issues;
}

describe('compiling readouts and reward nodes', () => {
  it('plans the readout with its observed population and encoder, and the reward with its readout and targets', () => {
    const c = compileDocument(example('reward-stdp'));
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const { learning, populations } = c.plan;
    expect(learning!.readouts.map((r) => [r.nodeId, populations[r.observed].nodeId, populations[r.encoder].nodeId])).toEqual([['readout', 'out', 'patterns']]);
    expect(learning!.modulators.map((m) => [m.nodeId, m.readout, m.targets])).toEqual([['reward', 'readout', ['rstdp']]]);
    expect(c.plan.projections.find((p) => p.plasticity)?.plasticity?.rule).toBe('reward-stdp');
    // Neither node is a population, and the label/modulator wires are not projections or injections.
    expect(populations.map((p) => p.nodeId)).not.toContain('readout');
    expect(c.plan.injections).toEqual([]);
  });

  it('names the readout and its input when the label wire is missing', () => {
    const doc = example('reward-stdp');
    doc.edges = doc.edges.filter((e) => e.id !== 'patterns-readout');
    const [issue] = issuesOf(doc);
    expect(issue).toMatchObject({ nodeId: 'readout', field: 'label' });
    expect(issue.message).toMatch(/Node "readout" .*input label: wire a dataset encoder's "label" output/);
  });

  it('refuses an encoder of fixed values as the label source', () => {
    const doc = example('reward-stdp');
    params(doc, 'patterns').input = 'values';
    const issues = issuesOf(doc);
    expect(issues.some((i) => i.nodeId === 'readout' && /shows fixed values, not a dataset/.test(i.message))).toBe(true);
  });

  it('names the field when the held-out samples run past the dataset, or fixed groups have too few neurons', () => {
    const doc = example('diehl-cook-digits');
    params(doc, 'readout').test_count = 600;
    params(doc, 'readout').assignment = 'fixed';
    params(doc, 'exc').size = 5;
    const issues = issuesOf(doc);
    expect(issues.find((i) => i.field === 'test_count')?.message).toMatch(/held-out samples 1300…1899 run past the encoder's dataset \(1797 samples\)/);
    expect(issues.find((i) => i.field === 'classes')?.message).toMatch(/at least one output neuron per class \(10 classes, "exc" has 5 neurons\)/);
  });

  it('asks for a readout wire when a reward node takes its reward from a readout', () => {
    const doc = example('reward-stdp');
    doc.edges = doc.edges.filter((e) => e.id !== 'readout-reward');
    expect(issuesOf(doc)[0]).toMatchObject({ nodeId: 'reward', field: 'readout' });
  });

  it('refuses a second readout with phases', () => {
    const doc = example('reward-stdp');
    doc.nodes.push({ ...doc.nodes.find((n) => n.id === 'readout')!, id: 'readout2' });
    doc.edges.push({ id: 'x1', source: { node: 'out', port: 'spikes' }, target: { node: 'readout2', port: 'spikes' }, params: {} });
    doc.edges.push({ id: 'x2', source: { node: 'patterns', port: 'label' }, target: { node: 'readout2', port: 'label' }, params: {} });
    expect(issuesOf(doc)[0]).toMatchObject({ nodeId: 'readout2', field: 'train_presentations' });
  });
});

describe('learning phases in the network', () => {
  it('after the train phase weights and adaptive thresholds stay as learnt, and the test phase shows the held-out digits', () => {
    const doc = example('diehl-cook-digits');
    Object.assign(params(doc, 'readout'), { train_presentations: 4, label_presentations: 3, test_presentations: 3 });
    const c = compileDocument(doc, { durationMs: 10 * 250 });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const net = new Network(c.plan, { runtimes: runtimeOf });
    const plastic = net.projections.find((p) => p.plastic)!.plastic!;
    const exc = net.groups.find((g) => g.index === net.pops.findIndex((p) => p.nodeId === 'exc'))!.group as AdaptiveThresholdLif;
    const learnEnd = (4 * 250) / c.plan.dtMs;
    while (net.step < learnEnd) net.advance();
    expect(plastic.learning).toBe(true);
    const w = plastic.w.slice();
    const theta = exc.theta.slice();
    expect(Math.max(...theta)).toBeGreaterThan(0);
    while (net.step < net.nSteps) net.advance();
    expect(plastic.learning).toBe(false);
    expect(plastic.w).toEqual(w);
    expect(exc.theta).toEqual(theta);
    const readout = net.learn!.readouts[0].readout;
    expect([7, 8, 9].map((k) => readout.stream.sampleOf(k))).toEqual([1300, 1301, 1302]);
    const s = net.stats(0, 1).readouts![0];
    expect([s.train_presentations, s.test_presentations]).toEqual([3, 3]);
  });
});
