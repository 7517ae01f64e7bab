import { describe, expect, it } from 'vitest';
import { applyPoint, checkSets, metricsOf, parseSet, parseValues, prepareSweep, savedSweepOf, savedSweepText, selectMetrics, sweepPoints, SweepSpecError } from './sweep.ts';
import { checkDocument } from '../format/validate.ts';
import { loadDocument } from '../format/load.ts';
import type { RunStats } from '../sim/stats.ts';
import { readFileSync } from 'node:fs';

const ei = () => {
  const r = loadDocument(readFileSync(new URL('../../examples/poisson-ei.spikeflow.json', import.meta.url), 'utf8'));
  if (!r.ok) throw new Error('example does not load');
  return r.doc;
};

describe('sweep values', () => {
  it('reads a list of numbers, words and booleans', () => {
    expect(parseValues('1, 2.5,3')).toEqual([1, 2.5, 3]);
    expect(parseValues('exc,inh')).toEqual(['exc', 'inh']);
    expect(parseValues('true,false')).toEqual([true, false]);
  });
  it('reads a range FROM:TO:STEP with TO included: 0:8:0.5 is 17 values, 0.1 steps print as 0.3, not 0.30000000000000004', () => {
    const v = parseValues('0:8:0.5');
    expect(v).toHaveLength(17);
    expect(v[16]).toBe(8);
    expect(parseValues('0:0.3:0.1')).toEqual([0, 0.1, 0.2, 0.3]);
    expect(parseValues('1:2:0.3')).toEqual([1, 1.3, 1.6, 1.9]);
  });
  it('reads a log range log:FROM:TO:N with both ends', () => {
    expect(parseValues('log:0.1:10:3')).toEqual([0.1, 1, 10]);
    expect(parseValues('log:1:1000:4')).toEqual([1, 10, 100, 1000]);
  });
  it('says what is wrong with a bad range', () => {
    expect(() => parseValues('1:0:1')).toThrow('FROM ≤ TO');
    expect(() => parseValues('0:1:0')).toThrow('STEP > 0');
    expect(() => parseValues('log:0:1:3')).toThrow('FROM and TO > 0');
    expect(() => parseValues('log:1:10:1.5')).toThrow('N ≥ 2');
    expect(() => parseValues('a:1:2')).toThrow('FROM "a" is not a number');
    expect(() => parseSet('exc=1,2')).toThrow('NODE.FIELD');
    expect(() => parseSet('exc.tau_m_ms=1,,2')).toThrow('--set exc.tau_m_ms: an empty value');
  });
});

describe('sweep grid and documents', () => {
  it('makes the grid with the first set varying slowest', () => {
    const pts = sweepPoints([parseSet('a.x=1,2'), parseSet('b.y=7,8,9')]);
    expect(pts.map((p) => [p.values['a.x'], p.values['b.y']])).toEqual([
      [1, 7],
      [1, 8],
      [1, 9],
      [2, 7],
      [2, 8],
      [2, 9],
    ]);
    expect(pts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('names the node and the field of a set the document lacks, and accepts node, wire and simulation fields', () => {
    const doc = ei();
    expect(() => checkSets(doc, [parseSet('exc.tau_mx=1')])).toThrow(/node "exc" \(lif-curr-exp\) has no field "tau_mx"; its fields: size, tau_m_ms/);
    expect(() => checkSets(doc, [parseSet('nope.size=1')])).toThrow('there is no node or wire "nope"');
    expect(() => checkSets(doc, [parseSet('exc.size=1'), parseSet('exc.size=2')])).toThrow('exc.size is swept twice');
    const wire = doc.edges.find((e) => Object.keys(e.params).length > 0)!;
    expect(() => checkSets(doc, [parseSet(`${wire.id}.weight=1`), parseSet('simulation.dt_ms=0.1'), parseSet('exc.tau_m_ms=5')])).not.toThrow();
    expect(() => checkSets(doc, [parseSet(`${wire.id}.tau=1`)])).toThrow(`wire "${wire.id}" (projection) has no field "tau"`);
    expect(SweepSpecError).toBeDefined();
  });
  it('sets a point’s values in a copy of the document, leaving the original as it was', () => {
    const doc = ei();
    const sets = [parseSet('exc.tau_m_ms=5,6'), parseSet('simulation.duration_ms=50')];
    const copy = applyPoint(doc, sets, sweepPoints(sets)[1]);
    expect(copy.nodes.find((n) => n.id === 'exc')!.params.tau_m_ms).toBe(6);
    expect(copy.simulation.duration_ms).toBe(50);
    expect(doc.nodes.find((n) => n.id === 'exc')!.params.tau_m_ms).not.toBe(6);
  });
});

describe('linked sets', () => {
  it('sets every field of A.x+B.y to the same value at each point, and checks each field', () => {
    const doc = ei();
    const set = parseSet('exc.tau_m_ms+inh.tau_m_ms=7,9');
    expect(set.fields).toEqual([
      { node: 'exc', field: 'tau_m_ms' },
      { node: 'inh', field: 'tau_m_ms' },
    ]);
    const copy = applyPoint(doc, [set], sweepPoints([set])[1]);
    expect(copy.nodes.filter((n) => n.id === 'exc' || n.id === 'inh').map((n) => n.params.tau_m_ms)).toEqual([9, 9]);
    expect(() => checkSets(doc, [parseSet('exc.tau_m_ms+inh.tau_x=1')])).toThrow('--set exc.tau_m_ms+inh.tau_x: node "inh" (lif-curr-exp) has no field "tau_x"');
  });
});

describe('sweep metrics', () => {
  const stats = {
    mean_rate_hz: 2,
    sparsity: 0.001,
    spikes: 10,
    synaptic_events: 40,
    run_ms: 5,
    populations: [{ nodeId: 'exc', kind: 'lif-curr-exp', size: 5, spikes: 10, rate_hz: 2 }],
    monitors: [{ nodeId: 'mon', neurons: 5, spikes: 10, cv_isi_mean: 0.5, cv_isi_neurons: 3, pop_count_cv: 1.5 }],
    readouts: [{ nodeId: 'ro', test_accuracy: 0.9, train_accuracy: null }],
  } as unknown as RunStats;
  it('flattens a run’s statistics into named metrics', () => {
    expect(metricsOf(stats)).toEqual({
      mean_rate_hz: 2,
      sparsity: 0.001,
      spikes: 10,
      synaptic_events: 40,
      run_ms: 5,
      'exc.rate_hz': 2,
      'mon.cv_isi_mean': 0.5,
      'mon.synchrony': 1.5,
      'ro.train_accuracy': null,
      'ro.test_accuracy': 0.9,
    });
  });
  it('selects metrics by full name or by a bare field for every monitor, and names an unknown one', () => {
    const known = Object.keys(metricsOf(stats));
    expect(selectMetrics(undefined, known)).toEqual(known);
    expect(selectMetrics('synchrony,mean_rate_hz', known)).toEqual(['mon.synchrony', 'mean_rate_hz']);
    expect(() => selectMetrics('cv', known)).toThrow('--metrics: no metric "cv"; this network reports: mean_rate_hz');
  });
});

describe('the saved sweep', () => {
  it('reads the document’s sweep field, and writes a set-up back to the same field', () => {
    const doc = { ...ei(), sweep: { sets: ['exc.tau_m_ms=10:20:5', 'input.rate_hz=log:1:100:3'], seeds: 2, metrics: ['spikes', 'cv_isi_mean'], duration_ms: 250, label: 'τ and rate' } };
    const s = savedSweepOf(doc)!;
    expect(s.sets.map((x) => [x.target, x.values])).toEqual([
      ['exc.tau_m_ms', [10, 15, 20]],
      ['input.rate_hz', [1, 10, 100]],
    ]);
    expect([s.seeds, s.metrics, s.durationMs, s.label]).toEqual([2, 'spikes,cv_isi_mean', 250, 'τ and rate']);
    expect(savedSweepText({ sets: doc.sweep.sets, seeds: 2, metrics: ['spikes', 'cv_isi_mean'], durationMs: 250, label: 'τ and rate' })).toEqual(doc.sweep);
    expect(savedSweepText({ sets: ['a.b=1'], seeds: 1 })).toEqual({ sets: ['a.b=1'], seeds: 1 });
    expect(savedSweepOf(ei())).toBeNull();
  });

  it('names what is wrong with a saved sweep, and the document still loads with a warning, not an error', () => {
    const bad = (sweep: unknown) => () => savedSweepOf({ ...ei(), sweep });
    expect(bad({ sets: [] })).toThrow('the saved sweep has no sets');
    expect(bad({ sets: ['exc.tau_m_ms'] })).toThrow('--set exc.tau_m_ms: expected NODE.FIELD=VALUES');
    expect(bad({ sets: ['exc.tau_m_ms=1'], seeds: 0 })).toThrow("the saved sweep's seeds must be a whole number ≥ 1 (got 0)");
    const check = checkDocument({ ...ei(), sweep: { sets: ['no equals sign'], seeds: 1.5 } });
    expect(check.errors).toEqual([]);
    expect(check.warnings.map((w) => w.pointer)).toEqual(['/sweep/sets/0', '/sweep/seeds']);
    expect(check.warnings[0].message).toContain('NODE.FIELD=VALUES');
  });

  it('prepares every point before any run, naming the point, node and field of one that cannot run', () => {
    const ok = prepareSweep(ei(), [parseSet('exc.tau_m_ms=10,20')], { metrics: 'spikes' });
    if ('messages' in ok) throw new Error(ok.messages.join('\n'));
    expect(ok.plans).toHaveLength(2);
    expect(ok.metrics).toEqual(['spikes']);
    const bad = prepareSweep(ei(), [parseSet('exc.tau_m_ms=10,-1')]);
    expect('messages' in bad && bad.messages[0]).toBe('point 1 (exc.tau_m_ms=-1) cannot run:');
    expect('messages' in bad && bad.messages.join('\n')).toMatch(/Node "exc".*tau_m_ms/);
  });
});
