import { describe, expect, it } from 'vitest';
import { checkedSetup, loadSavedSetup, pointDocument, rangeAround, sweepStore, tableText, type SweepRun } from './sweep-runner.ts';
import { parseSet, sweepPoints } from '../../engine/compile/sweep.ts';
import { loadDocument } from '../../engine/format/load.ts';
import eiText from '../../examples/poisson-ei.spikeflow.json?raw';

const ei = () => {
  const r = loadDocument(eiText);
  if (!r.ok) throw new Error('example does not load');
  return r.doc;
};

describe('sweep panel set-up', () => {
  it('starts a field’s range at half to one and a half times its value, in five steps', () => {
    expect(rangeAround(20)).toBe('10:30:5');
    expect(rangeAround(0.3)).toBe('0.15:0.45:0.075');
    expect(rangeAround(-70)).toBe('-105:-35:17.5');
  });

  it('checks every row and number of the set-up, naming each problem', () => {
    const base = sweepStore.getState();
    expect(checkedSetup({ ...base, rows: [{ target: 'exc.tau_m_ms', values: '1,2' }], seeds: '2', jobs: '3', durationMs: '' })).toEqual({
      sets: [parseSet('exc.tau_m_ms=1,2')],
      seeds: 2,
      jobs: 3,
      durationMs: undefined,
    });
    const bad = checkedSetup({ ...base, rows: [{ target: 'exc', values: '1' }], seeds: '0', jobs: 'x', durationMs: '-5' });
    expect('problems' in bad && bad.problems).toEqual([
      'exc=1: expected NODE.FIELD=VALUES (the target "exc" has no NODE.FIELD)',
      'Seeds must be a whole number ≥ 1 (got "0")',
      'Jobs must be a whole number ≥ 1 (got "x")',
      `Duration must be a number > 0 ms, or blank for the document's (got "-5")`,
    ]);
    expect('problems' in checkedSetup({ ...base, rows: [] }) && checkedSetup({ ...base, rows: [] })).toEqual({ problems: ['Add a parameter to sweep (NODE.FIELD and its values).'] });
  });

  it('makes a point’s document with its values, seed and the sweep’s duration, leaving the open document as it was', () => {
    const doc = ei();
    const sets = [parseSet('exc.tau_m_ms=10,30')];
    const d = pointDocument(doc, { sets, durationMs: 250 }, sweepPoints(sets)[1], 7);
    expect(d.nodes.find((n) => n.id === 'exc')!.params.tau_m_ms).toBe(30);
    expect([d.simulation.seed, d.simulation.duration_ms]).toEqual([7, 250]);
    expect(doc.nodes.find((n) => n.id === 'exc')!.params.tau_m_ms).toBe(20);
  });

  it('exports the table as the CLI writes it: CSV columns, JSON rows with the chosen metrics only', () => {
    const sets = [parseSet('exc.tau_m_ms=10,30')];
    const run: SweepRun = {
      doc: ei(),
      sets,
      points: sweepPoints(sets),
      seeds: 1,
      metrics: ['spikes'],
      durationMs: undefined,
      total: 2,
      startedAt: 0,
      endedAt: 1,
      rows: [
        { point: 0, seed: 1, values: { 'exc.tau_m_ms': 10 }, metrics: { spikes: 12, sparsity: 0.5 } },
        { point: 1, seed: 1, values: { 'exc.tau_m_ms': 30 }, metrics: null, error: 'boom, "quoted"' },
      ],
    };
    expect(tableText(run, 'csv', 'x')).toBe('point,exc.tau_m_ms,seed,status,spikes\n0,10,1,ok,12\n1,30,1,"failed: boom, ""quoted""",\n');
    const json = JSON.parse(tableText(run, 'json', 'net'));
    expect(json.rows[0].metrics).toEqual({ spikes: 12 });
    expect(json.rows[1].metrics).toBeNull();
    expect([json.file, json.seeds, json.metrics]).toEqual(['net', 1, ['spikes']]);
  });

  it('fills the set-up from a saved sweep, a bare metric name ticking every monitor’s', () => {
    loadSavedSetup({ ...ei(), sweep: { sets: ['exc.tau_m_ms=10,20', 'input.rate_hz=log:1:100:3'], seeds: 3, metrics: ['spikes', 'cv_isi_mean'], duration_ms: 300, label: 'L' } });
    const s = sweepStore.getState();
    expect(s.rows).toEqual([
      { target: 'exc.tau_m_ms', values: '10,20' },
      { target: 'input.rate_hz', values: 'log:1:100:3' },
    ]);
    expect([s.seeds, s.durationMs, s.label, s.metrics]).toEqual(['3', '300', 'L', ['spikes', 'raster.cv_isi_mean']]);
  });
});
