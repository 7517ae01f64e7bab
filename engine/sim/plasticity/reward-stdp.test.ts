import { describe, it, expect } from 'vitest';
import { RewardStdpSynapses, type RewardStdpParams } from './reward-stdp.ts';
import { Normaliser } from './normalise.ts';
import type { Delivery } from './types.ts';

const DT = 0.1;
const P: RewardStdpParams = { tauPreMs: 20, tauPostMs: 30, aPre: 1, aPost: -0.5, tauEMs: 200, eta: 0.1, wMax: 10 };
const one = Int32Array.from([0]);

function synapse(p: RewardStdpParams = P, w0 = 5) {
  const csr = { nSource: 1, nTarget: 1, rowPtr: Uint32Array.from([0, 1]), col: Uint32Array.from([0]) };
  const syn = new RewardStdpSynapses(csr, Float64Array.from([w0]), p, DT);
  const out: Delivery = { buf: new Float64Array(1), size: 1, slots: 1, dConst: 0, d: null, sign: 1 };
  return { syn, out };
}

describe('reward-modulated STDP', () => {
  it('a pre→post pair fills the eligibility trace with a_pre·e^(−Δt/τ_pre), and leaves the weight alone', () => {
    const { syn, out } = synapse();
    syn.pre(100, one, 1, out);
    syn.post(150, one, 1);
    expect(syn.w[0]).toBe(5);
    expect(syn.eligibility(0, 150)).toBeCloseTo(Math.exp(-5 / 20), 14);
    // The trace decays with τ_e.
    expect(syn.eligibility(0, 1150)).toBeCloseTo(Math.exp(-5 / 20) * Math.exp(-100 / 200), 14);
  });

  it('a post→pre pair adds a_post·e^(−Δt/τ_post) (negative)', () => {
    const { syn, out } = synapse();
    syn.post(100, one, 1);
    syn.pre(200, one, 1, out);
    expect(syn.eligibility(0, 200)).toBeCloseTo(-0.5 * Math.exp(-10 / 30), 14);
  });

  it('a modulator amount m changes the weight by η·m·e at that moment', () => {
    const { syn, out } = synapse();
    syn.pre(100, one, 1, out);
    syn.post(150, one, 1);
    const e = syn.eligibility(0, 650);
    syn.modulate(650, 2);
    expect(syn.w[0]).toBeCloseTo(5 + 0.1 * 2 * e, 14);
    syn.modulate(650, -4);
    expect(syn.w[0]).toBeCloseTo(5 + 0.1 * 2 * e - 0.1 * 4 * e, 14);
  });

  it('clips weights to [0, w_max], and does nothing while frozen (weights still delivered)', () => {
    const { syn, out } = synapse();
    syn.pre(100, one, 1, out);
    syn.post(101, one, 1);
    syn.modulate(101, 1000);
    expect(syn.w[0]).toBe(10);
    syn.modulate(101, -1e6);
    expect(syn.w[0]).toBe(0);
    const frozen = synapse().syn;
    frozen.learning = false;
    const o: Delivery = { ...out, buf: new Float64Array(1) };
    frozen.pre(100, one, 1, o);
    frozen.post(101, one, 1);
    frozen.modulate(101, 1);
    expect(o.buf[0]).toBe(5);
    expect([frozen.w[0], frozen.e[0]]).toEqual([5, 0]);
  });
});

describe('weight normalisation', () => {
  it('scales the weights onto each target to sum to the total at the end of each interval, clipped to w_max', () => {
    // 3 sources → 2 targets, all-to-all: synapse k = 2·i + j.
    const csr = { nSource: 3, nTarget: 2, rowPtr: Uint32Array.from([0, 2, 4, 6]), col: Uint32Array.from([0, 1, 0, 1, 0, 1]) };
    const w = Float64Array.from([1, 0, 2, 0, 3, 4]);
    const norm = new Normaliser(csr, 3, 1, DT, 3.5);
    expect(norm.intervalSteps).toBe(10);
    norm.tick(8, w);
    expect(Array.from(w)).toEqual([1, 0, 2, 0, 3, 4]);
    norm.tick(9, w);
    expect(w[0] + w[2] + w[4]).toBeCloseTo(3, 14);
    expect(w[0]).toBeCloseTo(0.5, 14);
    // Target 1: one non-zero weight, 4 → 3 (below w_max).
    expect([w[1], w[3], w[5]]).toEqual([0, 0, 3 * 1]);
    const big = new Normaliser(csr, 10, 1, DT, 3.5);
    big.apply(w);
    expect(w[5]).toBe(3.5);
  });
});
