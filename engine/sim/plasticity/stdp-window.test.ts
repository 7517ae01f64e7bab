/**
 * The STDP window measured in the network: spike-generator pre/post pairs at
 * various Δt through a plasticity node, the post spike forced by a strong
 * non-plastic wire, and the weight change compared with the rule's formula.
 */
import { describe, it, expect } from 'vitest';
import { Network } from '../network.ts';
import { plan, pop, proj } from '../../test-support/test-plans.ts';
import { defaultParams, getKind } from '../../kinds/index.ts';
import { runtimeOf } from '../../kinds/index.ts';

const DT = 0.1;
const W0 = 0.005;
const W_MAX = 0.01;
const A_PRE = 1e-4;
const A_POST = -1.05e-4;
const TAU_PRE = 15;
const TAU_POST = 25;

/** Pre spikes at `preMs`, a post spike forced at `postMs` (the forcing input lands a step earlier). */
function run(preMs: number[], postMs: number, rule: string, params: Record<string, unknown>) {
  const p = plan({
    durationMs: 300,
    populations: [
      pop('pre', 'spike-generator', { size: 1, neurons: preMs.map(() => 0), times_ms: preMs }),
      pop('force', 'spike-generator', { size: 1, neurons: [0], times_ms: [postMs - DT] }),
      pop('post', 'lif-delta', { size: 1, v_init_mv: 0, t_ref_ms: 2 }),
    ],
    projections: [proj('plastic', 0, 2, { weight: W0, plasticity: { nodeId: 'k', rule, params: { ...defaultParams(getKind(rule)!.params), ...params } } }), proj('forcing', 1, 2, { weight: 100 })],
  });
  const net = new Network(p, { runtimes: runtimeOf });
  const preSteps: number[] = [];
  const postSteps: number[] = [];
  while (net.step < net.nSteps) {
    const n = net.step;
    net.advance();
    if (net.pops[0].count > 0) preSteps.push(n);
    if (net.pops[2].count > 0) postSteps.push(n);
  }
  return { dw: net.projections[0].plastic!.w[0] - W0, preSteps, postSteps };
}

const stdp = (over: Record<string, unknown>) => ({ w_max: W_MAX, a_pre: A_PRE, a_post: A_POST, tau_pre_ms: TAU_PRE, tau_post_ms: TAU_POST, ...over });
const LAGS = [0.5, 2, 5, 10, 20, 40, 80];

describe('pair STDP window, measured from spike-generator pairs', () => {
  for (const pairing of ['all-to-all', 'nearest'] as const) {
    for (const mode of ['additive', 'multiplicative'] as const) {
      it.each(LAGS)(`${pairing}, ${mode}: pre %d ms before post potentiates by a_pre·e^(−Δt/τ_pre)`, (lag) => {
        const r = run([50], 50 + lag, 'stdp', stdp({ pairing, mode }));
        expect(r.postSteps).toHaveLength(1);
        const dtMs = (r.postSteps[0] - r.preSteps[0]) * DT;
        expect(dtMs).toBeCloseTo(lag, 9);
        const scale = mode === 'multiplicative' ? 1 - W0 / W_MAX : 1;
        expect(r.dw).toBeCloseTo(A_PRE * Math.exp(-dtMs / TAU_PRE) * scale, 15);
      });
      it.each(LAGS)(`${pairing}, ${mode}: post %d ms before pre depresses by a_post·e^(−Δt/τ_post)`, (lag) => {
        const r = run([150], 150 - lag, 'stdp', stdp({ pairing, mode }));
        const dtMs = (r.preSteps[0] - r.postSteps[0]) * DT;
        expect(dtMs).toBeCloseTo(lag, 9);
        const scale = mode === 'multiplicative' ? W0 / W_MAX : 1;
        expect(r.dw).toBeCloseTo(A_POST * Math.exp(-dtMs / TAU_POST) * scale, 15);
      });
    }
  }

  it('with two pre spikes before one post spike, all-to-all sums both pairs and nearest counts only the later one', () => {
    const all = run([40, 50], 60, 'stdp', stdp({ pairing: 'all-to-all' }));
    const near = run([40, 50], 60, 'stdp', stdp({ pairing: 'nearest' }));
    // The pre spikes also depress against nothing (no earlier post), so only the post spike's potentiation counts.
    expect(all.dw).toBeCloseTo(A_PRE * (Math.exp(-20 / TAU_PRE) + Math.exp(-10 / TAU_PRE)), 15);
    expect(near.dw).toBeCloseTo(A_PRE * Math.exp(-10 / TAU_PRE), 15);
  });

  it('the triplet rule in the network: with A3 = 0 a single pair follows A2+·e^(−Δt/τ+) and −A2−·e^(−Δt/τ−)', () => {
    const tri = { w_max: W_MAX, a2_plus: 2e-4, a3_plus: 0, a2_minus: 3e-4, a3_minus: 0, tau_plus_ms: 16.8, tau_minus_ms: 33.7 };
    for (const lag of [2, 10, 30]) {
      expect(run([50], 50 + lag, 'triplet-stdp', tri).dw).toBeCloseTo(2e-4 * Math.exp(-lag / 16.8), 15);
      expect(run([150], 150 - lag, 'triplet-stdp', tri).dw).toBeCloseTo(-3e-4 * Math.exp(-lag / 33.7), 15);
    }
  });
});

describe('weight normalisation on a plasticity node', () => {
  it.each(['stdp', 'triplet-stdp', 'reward-stdp'] as const)('%s: the weights onto each target sum to the set value after every interval', (rule) => {
    const p = plan({
      durationMs: 100,
      populations: [pop('in', 'poisson-source', { size: 30, rate_hz: 50 }), pop('out', 'lif-curr-exp', { size: 4 })],
      projections: [
        proj('plastic', 0, 1, {
          rule: 'bernoulli',
          p: 0.5,
          weight: { dist: 'uniform', low: 0, high: 1 },
          plasticity: { nodeId: 'k', rule, params: { ...defaultParams(getKind(rule)!.params), w_max: 1, normalise: true, norm_total: 3, norm_interval_ms: 20 } },
        }),
      ],
    });
    const net = new Network(p, { runtimes: runtimeOf });
    const pr = net.projections[0];
    const sums = () => {
      const s = new Array<number>(4).fill(0);
      pr.csr.col.forEach((j, k) => (s[j] += pr.plastic!.w[k]));
      return s;
    };
    const before = sums();
    expect(before.some((x) => Math.abs(x - 3) > 0.1)).toBe(true);
    while (net.step < 200) net.advance();
    for (const x of sums()) expect(x).toBeCloseTo(3, 12);
  });
});
