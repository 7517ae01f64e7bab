import { describe, it, expect } from 'vitest';
import { TripletSynapses, type TripletParams } from './triplet.ts';
import type { Delivery } from './types.ts';

const DT = 0.1;
/** Pfister & Gerstner 2006, Table 4: minimal all-to-all model, visual cortex (Sjöström et al. 2001). */
const VISUAL: TripletParams = {
  a2Plus: 0,
  a3Plus: 6.5e-3,
  a2Minus: 7.1e-3,
  a3Minus: 0,
  tauPlusMs: 16.8,
  tauMinusMs: 33.7,
  tauXMs: 101,
  tauYMs: 114,
  wMax: 100,
  interaction: 'all-to-all',
};
const W0 = 10;

function oneSynapse(p: TripletParams): { syn: TripletSynapses; out: Delivery } {
  const csr = { nSource: 1, nTarget: 1, rowPtr: Uint32Array.from([0, 1]), col: Uint32Array.from([0]) };
  const syn = new TripletSynapses(csr, Float64Array.from([W0]), p, DT);
  return { syn, out: { buf: new Float64Array(1), size: 1, slots: 1, dConst: 0, d: null, sign: 1 } };
}

/** The pairing protocol: `pairs` pre spikes at `rateHz`, each with a post spike `lagMs` later (negative: before). */
function protocol(rateHz: number, lagMs: number, pairs = 60): { pre: number[]; post: number[] } {
  const periodSteps = Math.round(1000 / rateHz / DT);
  const lag = Math.round(lagMs / DT);
  const t0 = 1000;
  const pre = Array.from({ length: pairs }, (_, k) => t0 + k * periodSteps);
  return { pre, post: pre.map((s) => s + lag) };
}

/** Run the rule event by event (pre before post within a step), as the network does. */
function simulate(p: TripletParams, pre: number[], post: number[]): number {
  const { syn, out } = oneSynapse(p);
  const one = Int32Array.from([0]);
  const steps = [...new Set([...pre, ...post])].sort((a, b) => a - b);
  const preSet = new Set(pre);
  const postSet = new Set(post);
  for (const n of steps) {
    if (preSet.has(n)) syn.pre(n, one, 1, out);
    if (postSet.has(n)) syn.post(n, one, 1);
  }
  return syn.w[0] - W0;
}

/**
 * The rule written as sums over the spike trains (Pfister & Gerstner 2006, eqs. 2–3),
 * independently of the event-driven traces: all-to-all sums every earlier spike,
 * nearest-spike takes only the latest one.
 */
function closedForm(p: TripletParams, pre: number[], post: number[]): number {
  const trace = (spikes: number[], t: number, tau: number, inclusive: boolean) => {
    const earlier = spikes.filter((s) => (inclusive ? s <= t : s < t));
    if (earlier.length === 0) return 0;
    if (p.interaction === 'nearest') return Math.exp(-((t - earlier[earlier.length - 1]) * DT) / tau);
    return earlier.reduce((a, s) => a + Math.exp(-((t - s) * DT) / tau), 0);
  };
  let dw = 0;
  for (const t of post) dw += trace(pre, t, p.tauPlusMs, true) * (p.a2Plus + p.a3Plus * trace(post, t, p.tauYMs, false));
  for (const t of pre) dw -= trace(post, t, p.tauMinusMs, false) * (p.a2Minus + p.a3Minus * trace(pre, t, p.tauXMs, false));
  return dw;
}

const RATES = [1, 5, 10, 20, 30, 40, 50];

describe('triplet STDP (Pfister & Gerstner 2006), pairing protocol: 60 pairs at Δt = ±10 ms', () => {
  for (const interaction of ['all-to-all', 'nearest'] as const) {
    const p = { ...VISUAL, interaction };
    it.each(RATES)(`${interaction}: at %d Hz the weight change equals the sum over the spike trains`, (rate) => {
      for (const lag of [10, -10]) {
        const { pre, post } = protocol(rate, lag);
        const expected = closedForm(p, pre, post);
        expect(expected).not.toBe(0);
        expect(simulate(p, pre, post)).toBeCloseTo(expected, 12);
      }
    });
  }

  it('with the visual-cortex minimal model, potentiation of pre-before-post pairs grows with pairing frequency', () => {
    const dw = RATES.map((r) => simulate(VISUAL, ...(Object.values(protocol(r, 10)) as [number[], number[]])));
    for (let k = 1; k < dw.length; k++) expect(dw[k]).toBeGreaterThan(dw[k - 1]);
    // At 1 Hz the slow postsynaptic trace o2 has decayed between pairs (τy = 114 ms ≪ 1 s), so barely any potentiation.
    expect(Math.abs(dw[0])).toBeLessThan(0.01 * dw[dw.length - 1]);
  });

  it('post-before-pre pairs depress at low frequency and potentiate at high frequency, as in the paper (Fig. 4)', () => {
    const dw = (rate: number) => simulate(VISUAL, ...(Object.values(protocol(rate, -10)) as [number[], number[]]));
    expect(dw(1)).toBeLessThan(0);
    expect(dw(10)).toBeLessThan(0);
    expect(dw(40)).toBeGreaterThan(0);
    expect(dw(50)).toBeGreaterThan(0);
    // Depression at 1 Hz: each pre spike sees one post spike 10 ms earlier: 60 · A2− · e^(−10/τ−).
    expect(dw(1)).toBeCloseTo(-60 * 7.1e-3 * Math.exp(-10 / 33.7), 6);
  });

  it('with A3+ = A3− = 0 it is the pair rule: one pre→post pair at lag Δt changes w by A2+·e^(−Δt/τ+)', () => {
    const pair = { ...VISUAL, a2Plus: 5e-3, a3Plus: 0, a2Minus: 7e-3, a3Minus: 0 };
    expect(simulate(pair, [100], [150])).toBeCloseTo(5e-3 * Math.exp(-5 / 16.8), 14);
    expect(simulate(pair, [150], [100])).toBeCloseTo(-7e-3 * Math.exp(-5 / 33.7), 14);
  });

  it('keeps weights within [0, w_max]', () => {
    const tight = { ...VISUAL, wMax: W0 + 0.05 };
    const { pre, post } = protocol(50, 10);
    expect(simulate(tight, pre, post)).toBeCloseTo(0.05, 12);
    const dep = { ...VISUAL, a2Minus: 100 };
    const p2 = protocol(1, -10);
    expect(simulate(dep, p2.pre, p2.post)).toBe(-W0);
  });
});
