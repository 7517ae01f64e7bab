/**
 * Per-neuron parameter values (issue 14): a population whose params hold one
 * value per neuron runs each neuron with its own constants, exactly as
 * one-neuron populations with those scalar values would.
 */
import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';
import type { NetworkPlan, PopulationPlan } from '../core/plan.ts';

const per = (values: number[]) => ({ perNeuron: values });

/** Spikes ("neuron@step") and the final V of every neuron of the populations from index `first` on. */
function run(p: NetworkPlan, first: number): { spikes: string[]; v: number[] } {
  const net = new Network(p, { runtimes: runtimeOf });
  const spikes: string[] = [];
  let offset = 0;
  const offsets = net.pops.map((x) => {
    const o = offset;
    if (net.pops.indexOf(x) >= first) offset += x.size;
    return o;
  });
  while (net.step < net.nSteps) {
    net.advance();
    net.pops.forEach((x, k) => {
      if (k < first) return;
      for (let s = 0; s < x.count; s++) spikes.push(`${offsets[k] + x.spikes[s]}@${net.step - 1}`);
    });
  }
  const v = net.pops.slice(first).flatMap((x) => Array.from(x.group!.stateVar('v')!));
  return { spikes: spikes.sort(), v };
}

/** One population of three with per-neuron `values`, or three one-neuron populations with the scalars. */
function pair(kind: string, common: Record<string, unknown>, values: Record<string, number[]>): [PopulationPlan[], PopulationPlan[]] {
  const perPop = pop('p', kind, { ...common, size: 3, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, per(v)])) });
  const singles = [0, 1, 2].map((i) => pop(`p${i}`, kind, { ...common, size: 1, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[i]])) }));
  return [[perPop], singles];
}

describe('per-neuron parameter values in the engine', () => {
  it('lif-delta: each neuron decays with its own τ from its own initial V', () => {
    const r = run(plan({ durationMs: 10, populations: [pop('p', 'lif-delta', { size: 3, v_rest_mv: 0, v_th_mv: 50, tau_m_ms: per([5, 10, 20]), v_init_mv: per([10, 20, 30]) })] }), 0);
    expect(r.v[0]).toBeCloseTo(10 * Math.exp(-10 / 5), 12);
    expect(r.v[1]).toBeCloseTo(20 * Math.exp(-10 / 10), 12);
    expect(r.v[2]).toBeCloseTo(30 * Math.exp(-10 / 20), 12);
  });

  for (const [kind, common, values] of [
    ['lif-delta', { v_rest_mv: 0, v_reset_mv: 0, t_ref_ms: 1, i_bias_pa: 300 }, { v_th_mv: [10, 15, 20], tau_m_ms: [10, 20, 30], v_reset_mv: [0, 2, 5] }],
    [
      'lif-curr-exp',
      { v_rest_mv: -65, v_reset_mv: -70, reset: 'subtract', integration: 'euler' },
      { v_th_mv: [-55, -50, -52], tau_syn_exc_ms: [2, 5, 8], tau_m_ms: [10, 15, 20], i_bias_pa: [100, 200, 150], r_m_mohm: [90, 100, 110] },
    ],
    ['if-delta', { v_th_mv: 1, t_ref_ms: 0, reset: 'subtract' }, { c_m_pf: [100, 250, 400], i_bias_pa: [50, 60, 70], v_th_mv: [1, 2, 0.5] }],
  ] as const) {
    it(`${kind}: three neurons with per-neuron values spike and move exactly as three one-neuron populations`, () => {
      const [one, three] = pair(kind, common, values as unknown as Record<string, number[]>);
      const src = pop('src', 'poisson-source', { size: 20, rate_hz: 200 });
      const wires = (targets: number[]) => targets.map((t, k) => proj(`w${k}`, 0, t, { weight: 0.8, rule: 'all-to-all' }));
      // A drive the same for each neuron in both forms: every source neuron into every target.
      const a = run(plan({ durationMs: 200, populations: [src, ...one], projections: wires([1]) }), 1);
      const b = run(plan({ durationMs: 200, populations: [src, ...three], projections: wires([1, 2, 3]) }), 1);
      expect(a.spikes.length).toBeGreaterThan(10);
      expect(a.spikes).toEqual(b.spikes);
      expect(a.v).toEqual(b.v);
    });
  }
});
