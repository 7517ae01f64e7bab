import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { getKind, defaultParams } from './index.ts';
import { loadDocument } from '../format/load.ts';
import { compileDocument } from '../compile/compile.ts';
import { Network } from '../sim/network.ts';
import type { GraphDocument } from '../format/document.ts';
import { runtimeOf } from './index.ts';

const ENCODERS = ['rate-encoder', 'latency-encoder', 'delta-encoder', 'gaussian-encoder'];

function params(kind: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...defaultParams(getKind(kind)!.params), ...over };
}

/** A document with the given nodes (id, kind, params) and wires (from → to port). */
function doc(nodes: [string, string, Record<string, unknown>][], wires: [string, string][] = [], durationMs = 100): string {
  return JSON.stringify({
    format: 'spikeflow-graph',
    version: 1,
    simulation: { dt_ms: 0.1, duration_ms: durationMs, seed: 1 },
    nodes: nodes.map(([id, kind, p]) => ({ id, kind, params: p })),
    edges: wires.map(([from, to], k) => {
      const [sn, sp] = from.split('.');
      const [tn, tp] = to.split('.');
      return { id: `w${k}`, source: { node: sn, port: sp }, target: { node: tn, port: tp } };
    }),
  });
}

function runSpikes(text: string, nodeId: string): [number, number][] {
  const loaded = loadDocument(text);
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  const compiled = compileDocument(loaded.doc as GraphDocument);
  if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
  const net = new Network(compiled.plan, { runtimes: runtimeOf });
  const pop = net.pops.find((p) => p.nodeId === nodeId)!;
  const got: [number, number][] = [];
  while (net.step < net.nSteps) {
    net.advance();
    for (let k = 0; k < pop.count; k++) got.push([net.step - 1, pop.spikes[k]]);
  }
  return got;
}

describe('encoder kinds', () => {
  it('have one channel per value (two for delta, n for Gaussian), 64 per digit', () => {
    const sizes = (input: Record<string, unknown>) => ENCODERS.map((k) => getKind(k)!.size!(params(k, input) as never));
    expect(sizes({ input: 'values', values: [0.1, 0.2, 0.3] })).toEqual([3, 3, 6, 30]);
    expect(sizes({ input: 'digits' })).toEqual([64, 64, 128, 640]);
    expect(sizes({ input: 'custom', custom_data: '1,0,0.5,1,0.25,0\n' })).toEqual([5, 5, 10, 50]);
  });

  it('report a malformed embedded dataset on the node and field, with the line and column name within the data', () => {
    const r = loadDocument(doc([['enc', 'rate-encoder', { input: 'custom', custom_data: '1,0.5,0.2\n2,0.5,x\n' }]]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        pointer: '/nodes/0/params/custom_data',
        nodeId: 'enc',
        field: 'custom_data',
        message: 'Node "enc" (Rate encoder), field custom_data: line 2, field v1: "x" is not a number.',
      },
    ]);
  });

  it.each([
    [{ input: 'custom', custom_data: '  ' }, 'custom_data', 'is empty: paste or import a dataset'],
    [{ input: 'values', values: [] }, 'values', 'needs at least one value'],
    [{ input: 'digits', first_sample: 1797 }, 'first_sample', 'must be below the number of samples, 1797 (got 1797)'],
    [{ input: 'digits', first_sample: 1790, sample_count: 8 }, 'sample_count', '8 samples from sample 1790 run past the end of the dataset (1797 samples); at most 7'],
    [{ input: 'custom', custom_data: '0,10,20\n', custom_max: 15 }, 'custom_data', 'line 1, field v1: 20 is above the maximum value 15'],
  ])('check %j → %s', (over, field, message) => {
    for (const k of ENCODERS) {
      const problems = getKind(k)!.check!(params(k, over) as never);
      expect(problems.length).toBe(1);
      expect(problems[0][0]).toBe(field);
      expect(problems[0][1].startsWith(message)).toBe(true);
    }
  });

  it('latency: t_max within the presentation, and a threshold in (0, 1) for the log mapping', () => {
    const check = (over: Record<string, unknown>) => getKind('latency-encoder')!.check!(params('latency-encoder', over) as never);
    expect(check({ t_max_ms: 120 })).toEqual([['t_max_ms', 'must be at most the presentation time (100 ms)']]);
    expect(check({ form: 'log', threshold: 0 })).toEqual([['threshold', 'must be above 0 for the log mapping (it is the membrane threshold)']]);
    expect(check({ form: 'log', threshold: 0.2 })).toEqual([]);
  });

  it('with the same dataset settings show the same sample at the same time, whatever their node ids', () => {
    const enc = (seed: number) => ({ input: 'digits', mode: 'regular', max_rate_hz: 1000, presentation_ms: 20, order_seed: seed });
    const text = doc(
      [
        ['a', 'rate-encoder', enc(4)],
        ['b', 'rate-encoder', enc(4)],
        ['c', 'rate-encoder', enc(5)],
      ],
      [],
      200,
    );
    const a = runSpikes(text, 'a');
    expect(a.length).toBeGreaterThan(1000);
    expect(runSpikes(text, 'b')).toEqual(a);
    expect(runSpikes(text, 'c')).not.toEqual(a);
  });

  it('build from an embedded JSON dataset and run through the engine', () => {
    const data = JSON.stringify({
      samples: [
        [0, 255],
        [255, 0],
      ],
      labels: [0, 1],
    });
    const text = doc([['d', 'delta-encoder', { input: 'custom', custom_data: data, custom_max: 255, order: 'sequential', presentation_ms: 10, threshold: 0.5 }]]);
    // ON = 0, 1; OFF = 2, 3 (in value order within a step). Sample 0 at 0 ms, sample 1 at 10 ms, sample 0 again at 20 ms…
    expect(runSpikes(text, 'd').slice(0, 5)).toEqual([
      [0, 1],
      [100, 0],
      [100, 3],
      [200, 2],
      [200, 1],
    ]);
  });
});

describe('Poisson source kind (piecewise rate)', () => {
  const check = (over: Record<string, unknown>) => getKind('poisson-source')!.check!(params('poisson-source', { rate_mode: 'piecewise', ...over }) as never);

  it('accepts increasing times with one rate each, and ignores the lists at a constant rate', () => {
    expect(check({ times_ms: [0, 10, 20], rates_hz: [1, 2, 3] })).toEqual([]);
    expect(getKind('poisson-source')!.check!(params('poisson-source', { times_ms: [5, 1], rates_hz: [] }) as never)).toEqual([]);
  });

  it('names the field of a bad schedule', () => {
    expect(check({ times_ms: [0, 10], rates_hz: [5] })).toEqual([['rates_hz', 'needs one rate per change time (2 times, 1 rates)']]);
    expect(check({ times_ms: [0, 10, 10], rates_hz: [1, 2, 3] })).toEqual([['times_ms', 'must increase: item 2 (10 ms) is not after item 1 (10 ms)']]);
    expect(check({ times_ms: [], rates_hz: [] })).toEqual([['times_ms', 'needs at least one time']]);
  });

  it('runs a piecewise schedule from a document: silent before the first time', () => {
    const text = doc([['p', 'poisson-source', { size: 50, rate_mode: 'piecewise', times_ms: [50], rates_hz: [400] }]]);
    const spikes = runSpikes(text, 'p');
    expect(spikes.length).toBeGreaterThan(0);
    expect(Math.min(...spikes.map(([s]) => s))).toBeGreaterThanOrEqual(500);
  });
});

describe('the digits-rate example', () => {
  it("loads, compiles and shows each digit's lit pixels as input spikes, silent in the rests, driving the LIF neurons", () => {
    const text = readFileSync(new URL('../../examples/digits-rate.spikeflow.json', import.meta.url), 'utf8');
    const loaded = loadDocument(text);
    expect(loaded.ok ? loaded.warnings : loaded.issues).toEqual([]);
    const compiled = compileDocument((loaded as { doc: GraphDocument }).doc, { durationMs: 480 });
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const net = new Network(compiled.plan, { runtimes: runtimeOf });
    const input = net.pops.find((p) => p.nodeId === 'digits')!;
    expect(input.size).toBe(64);
    let restSpikes = 0;
    while (net.step < net.nSteps) {
      net.advance();
      // 100 ms shown, 20 ms rest: steps 1000…1199 of every 1200.
      if ((net.step - 1) % 1200 >= 1000) restSpikes += input.count;
    }
    const stats = net.stats(0, 0);
    expect(restSpikes).toBe(0);
    expect(stats.populations.find((p) => p.nodeId === 'digits')!.rate_hz).toBeGreaterThan(5);
    expect(stats.populations.find((p) => p.nodeId === 'hidden')!.rate_hz).toBeGreaterThan(1);
  });
});
