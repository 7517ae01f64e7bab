import { describe, expect, it } from 'vitest';
import { newDocument } from '../../engine/format/load.ts';
import type { RunStats } from '../../engine/sim/stats.ts';
import { Editor } from '../store/editor.ts';
import { expectedFanIn, silentPopulations } from './silence.ts';

function stats(rates: Record<string, number>): RunStats {
  return { populations: Object.entries(rates).map(([nodeId, rate_hz]) => ({ nodeId, kind: '', size: 100, spikes: Math.round(rate_hz * 100), rate_hz })) } as unknown as RunStats;
}

function walk(rateHz: number) {
  const ed = new Editor(newDocument('N'));
  ed.addNode('poisson-source', { x: 0, y: 0 });
  ed.addNode('lif-curr-exp', { x: 300, y: 0 });
  ed.addNode('spike-monitor', { x: 600, y: 0 });
  ed.setParam('poisson1', 'rate_hz', rateHz);
  ed.connect({ node: 'poisson1', port: 'spikes' }, { node: 'lif1', port: 'in' });
  ed.connect({ node: 'lif1', port: 'spikes' }, { node: 'mon1', port: 'spikes' });
  return ed;
}

describe('why a monitored population is silent', () => {
  it('gives the mean input against the distance from rest to threshold', () => {
    // 100 inputs × 10 Hz × 1 mV × 5 ms = 5 mV; rest −65, threshold −50: 15 mV short.
    const ed = walk(10);
    const silent = silentPopulations(ed.doc, stats({ poisson1: 10, lif1: 0 }), 'mon1');
    expect(silent).toEqual([
      {
        nodeId: 'lif1',
        label: 'lif1',
        reason: 'Its mean synaptic input is about 5 mV, short of the 15 mV from rest (-65 mV) to threshold (-50 mV): raise the weight, the input rate or the number of inputs.',
      },
    ]);
  });

  it('says nothing drives a population with no input, and that silent inputs come first', () => {
    const ed = walk(10);
    ed.deleteElements([], ['e1']);
    expect(silentPopulations(ed.doc, stats({ poisson1: 10, lif1: 0 }), 'mon1')[0].reason).toMatch(/^Nothing drives it/);
    const ed2 = walk(0);
    expect(silentPopulations(ed2.doc, stats({ poisson1: 0, lif1: 0 }), 'mon1')[0].reason).toMatch(/^Its inputs fired no spikes/);
  });

  it('lists no population that fired', () => {
    const ed = walk(40);
    expect(silentPopulations(ed.doc, stats({ poisson1: 40, lif1: 32 }), 'mon1')).toEqual([]);
  });

  it('counts the expected synapses per target neuron for each rule', () => {
    expect(expectedFanIn({ rule: 'all-to-all' }, 100, 50)).toBe(100);
    expect(expectedFanIn({ rule: 'bernoulli', p: 0.1 }, 100, 50)).toBeCloseTo(10);
    expect(expectedFanIn({ rule: 'fixed-in-degree', n: 7 }, 100, 50)).toBe(7);
    expect(expectedFanIn({ rule: 'fixed-out-degree', n: 5 }, 100, 50)).toBe(10);
    expect(expectedFanIn({ rule: 'fixed-total', n: 500 }, 100, 50)).toBe(10);
    expect(expectedFanIn({ rule: 'one-to-one' }, 100, 100)).toBe(1);
  });
});
