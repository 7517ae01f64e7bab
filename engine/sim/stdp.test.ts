import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { StdpSynapses, weightSummary, type Delivery, type StdpParams } from './stdp.ts';
import { buildCsr, type Csr } from './connect.ts';
import { Rng } from './rng.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { defaultParams, getKind } from '../kinds/index.ts';
import { runtimeOf } from '../kinds/index.ts';

const DT = 0.1;
const SMA: StdpParams = { tauPreMs: 20, tauPostMs: 20, aPre: 1e-4, aPost: -1.05e-4, wMax: 0.01, mode: 'additive', pairing: 'all-to-all' };

/** The node's params with Song et al.'s rule values (w_max 0.01, a_pre 1e-4, a_post −1.05e-4) set explicitly, not taken from the defaults. */
function stdpNodeParams(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...defaultParams(getKind('stdp')!.params), w_max: 0.01, a_pre: 1e-4, a_post: -1.05e-4, tau_pre_ms: 20, tau_post_ms: 20, mode: 'additive', pairing: 'all-to-all', ...over };
}

/**
 * One presynaptic generator spike at `preMs` through an STDP synapse (initial
 * weight 0.005) into one delta-synapse LIF neuron, which a second generator
 * forces to spike once through a strong non-plastic wire. Returns the weight
 * change and the measured spike steps.
 */
function pairRun(preMs: number, forceMs: number, rule: Record<string, unknown> = {}) {
  const p = plan({
    durationMs: 200,
    populations: [
      pop('pre', 'spike-generator', { size: 1, neurons: [0], times_ms: [preMs] }),
      pop('force', 'spike-generator', { size: 1, neurons: [0], times_ms: [forceMs] }),
      pop('post', 'lif-delta', { size: 1, v_init_mv: 0, t_ref_ms: 2 }),
    ],
    projections: [proj('plastic', 0, 2, { weight: 0.005, plasticity: { nodeId: 'stdp', rule: 'stdp', params: stdpNodeParams(rule) } }), proj('forcing', 1, 2, { weight: 100 })],
  });
  const net = new Network(p, { runtimes: runtimeOf });
  const postSteps: number[] = [];
  const preSteps: number[] = [];
  while (net.step < net.nSteps) {
    const n = net.step;
    net.advance();
    if (net.pops[2].count > 0) postSteps.push(n);
    if (net.pops[0].count > 0) preSteps.push(n);
  }
  const st = net.projections[0].plastic!;
  return { dw: st.w[0] - 0.005, preSteps, postSteps, net };
}

describe('pair STDP in the network', () => {
  const lags = [1, 2, 5, 10, 20, 35, 50];
  it.each(lags)('a pre spike %d ms before the post spike potentiates by a_pre·e^(−Δt/τ_pre)', (lag) => {
    const r = pairRun(50, 50 + lag);
    expect(r.preSteps).toEqual([500]);
    expect(r.postSteps).toHaveLength(1);
    const dtMs = (r.postSteps[0] - r.preSteps[0]) * DT;
    // The forced spike comes a step after the forcing input (delta synapses act from the next update).
    expect(Math.abs(dtMs - lag)).toBeLessThanOrEqual(DT + 1e-9);
    expect(r.dw).toBeCloseTo(1e-4 * Math.exp(-dtMs / 20), 15);
  });

  it.each(lags)('a post spike %d ms before the pre spike depresses by a_post·e^(−Δt/τ_post)', (lag) => {
    const r = pairRun(100, 100 - lag);
    expect(r.postSteps).toHaveLength(1);
    const dtMs = (r.preSteps[0] - r.postSteps[0]) * DT;
    expect(dtMs).toBeGreaterThan(0);
    expect(Math.abs(dtMs - lag)).toBeLessThanOrEqual(DT + 1e-9);
    expect(r.dw).toBeCloseTo(-1.05e-4 * Math.exp(-dtMs / 20), 15);
  });

  it('in a step with both, the presynaptic update runs first, so the pair counts as pre-before-post', () => {
    // Force the post spike into the step of the pre spike: the forcing input one step earlier.
    const r = pairRun(50, 49.9);
    expect(r.postSteps).toEqual(r.preSteps);
    expect(r.dw).toBeCloseTo(1e-4, 15);
  });

  it("uses each side's own time constant: τ_pre for potentiation, τ_post for depression", () => {
    const pot = pairRun(50, 60, { tau_pre_ms: 5, tau_post_ms: 40 });
    const dep = pairRun(100, 90, { tau_pre_ms: 5, tau_post_ms: 40 });
    const lagPot = (pot.postSteps[0] - pot.preSteps[0]) * DT;
    const lagDep = (dep.preSteps[0] - dep.postSteps[0]) * DT;
    expect(pot.dw).toBeCloseTo(1e-4 * Math.exp(-lagPot / 5), 15);
    expect(dep.dw).toBeCloseTo(-1.05e-4 * Math.exp(-lagDep / 40), 15);
  });

  it('counts input spikes × fan-out plus output spikes × fan-in as synaptic events', () => {
    const r = pairRun(50, 60);
    const stats = r.net.stats(0, 1);
    // Plastic: 1 pre spike × 1 + 1 post spike × 1; forcing: 1 spike × 1.
    expect(stats.synaptic_events).toBe(3);
    expect(stats.plastic).toEqual([expect.objectContaining({ nodeId: 'stdp', edgeId: 'plastic', synapses: 1 })]);
  });
});

function delivery(nTarget: number): Delivery {
  return { buf: new Float64Array(nTarget), size: nTarget, slots: 1, dConst: 0, d: null, sign: 1 };
}

function oneSynapse(): Csr {
  return { nSource: 1, nTarget: 1, rowPtr: Uint32Array.from([0, 1]), col: Uint32Array.from([0]) };
}

describe('StdpSynapses', () => {
  it('clips at w_max when potentiation would pass it, and at 0 when depression would pass it', () => {
    const up = new StdpSynapses(oneSynapse(), Float64Array.from([0.00995]), SMA, DT);
    const one = Int32Array.from([0]);
    up.pre(0, one, 1, delivery(1));
    up.post(1, one, 1);
    expect(up.w[0]).toBe(0.01);
    const down = new StdpSynapses(oneSynapse(), Float64Array.from([0.00005]), SMA, DT);
    down.post(0, one, 1);
    down.pre(1, one, 1, delivery(1));
    expect(down.w[0]).toBe(0);
  });

  it('clips initial weights into [0, w_max]', () => {
    const csr: Csr = { nSource: 3, nTarget: 1, rowPtr: Uint32Array.from([0, 1, 2, 3]), col: Uint32Array.from([0, 0, 0]) };
    const st = new StdpSynapses(csr, Float64Array.from([-1, 0.004, 0.5]), SMA, DT);
    expect(Array.from(st.w)).toEqual([0, 0.004, 0.01]);
  });

  it('delivers the weight a synapse has before its presynaptic spike changes it', () => {
    const st = new StdpSynapses(oneSynapse(), Float64Array.from([0.005]), SMA, DT);
    const one = Int32Array.from([0]);
    st.post(0, one, 1);
    const out = delivery(1);
    st.pre(10, one, 1, out);
    expect(out.buf[0]).toBe(0.005);
    expect(st.w[0]).toBeLessThan(0.005);
  });

  it('multiplicative mode scales potentiation by 1 − w/w_max and depression by w/w_max', () => {
    const one = Int32Array.from([0]);
    const mult = { ...SMA, mode: 'multiplicative' as const };
    const pot = new StdpSynapses(oneSynapse(), Float64Array.from([0.008]), mult, DT);
    pot.pre(0, one, 1, delivery(1));
    pot.post(0, one, 1);
    expect(pot.w[0]).toBeCloseTo(0.008 + 1e-4 * (1 - 0.8), 15);
    const dep = new StdpSynapses(oneSynapse(), Float64Array.from([0.002]), mult, DT);
    dep.post(0, one, 1);
    dep.pre(100, one, 1, delivery(1));
    expect(dep.w[0]).toBeCloseTo(0.002 - 1.05e-4 * Math.exp(-10 / 20) * 0.2, 15);
  });

  it('with nearest-spike pairing only the latest presynaptic spike counts', () => {
    const one = Int32Array.from([0]);
    const near = new StdpSynapses(oneSynapse(), Float64Array.from([0.005]), { ...SMA, pairing: 'nearest' }, DT);
    const all = new StdpSynapses(oneSynapse(), Float64Array.from([0.005]), SMA, DT);
    for (const st of [near, all]) {
      st.pre(0, one, 1, delivery(1));
      st.pre(50, one, 1, delivery(1));
      st.post(100, one, 1);
    }
    expect(near.w[0] - 0.005).toBeCloseTo(1e-4 * Math.exp(-5 / 20), 15);
    expect(all.w[0] - 0.005).toBeCloseTo(1e-4 * (Math.exp(-5 / 20) + Math.exp(-10 / 20)), 15);
  });

  /** MODELS.md §4 literally: traces per synapse, decayed from that synapse's last event. */
  function naive(csr: Csr, w0: Float64Array, p: StdpParams, trains: { pre: number[][]; post: number[][] }, nSteps: number) {
    const nSyn = csr.col.length;
    const w = Float64Array.from(w0, (x) => Math.min(p.wMax, Math.max(0, x)));
    const aPre = new Float64Array(nSyn);
    const aPost = new Float64Array(nSyn);
    const last = new Float64Array(nSyn);
    const g = new Float64Array(csr.nTarget);
    const decay = (k: number, tMs: number) => {
      aPre[k] *= Math.exp(-(tMs - last[k]) / p.tauPreMs);
      aPost[k] *= Math.exp(-(tMs - last[k]) / p.tauPostMs);
      last[k] = tMs;
    };
    const clip = (x: number) => Math.min(p.wMax, Math.max(0, x));
    for (let n = 0; n < nSteps; n++) {
      const t = n * DT;
      for (const i of trains.pre[n]) {
        for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++) {
          decay(k, t);
          g[csr.col[k]] += w[k];
          aPre[k] = p.pairing === 'nearest' ? p.aPre : aPre[k] + p.aPre;
          w[k] = clip(w[k] + (p.mode === 'multiplicative' ? (aPost[k] * w[k]) / p.wMax : aPost[k]));
        }
      }
      for (const j of trains.post[n]) {
        for (let k = 0; k < nSyn; k++) {
          if (csr.col[k] !== j) continue;
          decay(k, t);
          aPost[k] = p.pairing === 'nearest' ? p.aPost : aPost[k] + p.aPost;
          w[k] = clip(w[k] + (p.mode === 'multiplicative' ? aPre[k] * (1 - w[k] / p.wMax) : aPre[k]));
        }
      }
    }
    return { w, g };
  }

  it.each([
    ['additive', 'all-to-all'],
    ['additive', 'nearest'],
    ['multiplicative', 'all-to-all'],
  ] as const)('per-neuron traces give the weights of a naive per-synapse implementation (%s, %s)', (mode, pairing) => {
    const p: StdpParams = { ...SMA, aPre: 4e-4, aPost: -4.2e-4, mode, pairing };
    const nSource = 30;
    const nTarget = 6;
    const rng = new Rng(11, 'test/stdp');
    const csr = buildCsr({ rule: 'bernoulli', p: 0.5, samePopulation: false, allowAutapses: true, allowMultapses: false }, nSource, nTarget, rng);
    const w0 = Float64Array.from({ length: csr.col.length }, () => rng.uniform53() * 0.01);
    const nSteps = 3000;
    const draw = (size: number, prob: number) => Array.from({ length: nSteps }, () => Array.from({ length: size }, (_, i) => i).filter(() => rng.uniform53() < prob));
    const trains = { pre: draw(nSource, 0.004), post: draw(nTarget, 0.003) };
    const ref = naive(csr, w0, p, trains, nSteps);

    const st = new StdpSynapses(csr, w0.slice(), p, DT);
    const out = delivery(nTarget);
    const buf = new Int32Array(Math.max(nSource, nTarget));
    let events = 0;
    for (let n = 0; n < nSteps; n++) {
      buf.set(trains.pre[n]);
      events += st.pre(n, buf, trains.pre[n].length, out);
      buf.set(trains.post[n]);
      events += st.post(n, buf, trains.post[n].length);
    }
    let changed = 0;
    for (let k = 0; k < csr.col.length; k++) {
      expect(st.w[k]).toBeCloseTo(ref.w[k], 13);
      if (Math.abs(st.w[k] - w0[k]) > 1e-6) changed++;
    }
    // The case exercises the rule: most weights moved.
    expect(changed).toBeGreaterThan(csr.col.length / 2);
    for (let j = 0; j < nTarget; j++) expect(out.buf[j]).toBeCloseTo(ref.g[j], 13);
    const fanIn = (j: number) => Array.from(csr.col).filter((c) => c === j).length;
    const fanOut = (i: number) => csr.rowPtr[i + 1] - csr.rowPtr[i];
    const expected = trains.pre.flat().reduce((a, i) => a + fanOut(i), 0) + trains.post.flat().reduce((a, j) => a + fanIn(j), 0);
    expect(events).toBe(expected);
  });
});

describe('weightSummary', () => {
  it('bins over [0, w_max] in 20 bins with the last closed, and counts the tails', () => {
    const s = weightSummary([0, 0.0004, 0.0005, 0.0095, 0.01, 0.005], 0.01);
    expect(s.w_hist_20[0]).toBe(2);
    expect(s.w_hist_20[1]).toBe(1);
    expect(s.w_hist_20[10]).toBe(1);
    expect(s.w_hist_20[19]).toBe(2);
    expect(s.w_hist_20.reduce((a, b) => a + b, 0)).toBe(6);
    expect(s.frac_low).toBeCloseTo(3 / 6, 15);
    expect(s.frac_high).toBeCloseTo(2 / 6, 15);
    expect(s.w_mean_over_wmax).toBeCloseTo((0 + 0.0004 + 0.0005 + 0.0095 + 0.01 + 0.005) / 6 / 0.01, 12);
  });
});
