/**
 * The neuron behaviours NIR needs (issue 14): reset by subtraction, forward-Euler
 * integration, a bias current, the non-leaky IF, and the non-spiking readouts
 * (LI, CubaLI, I). Expectations are hand-computed or the NIR discrete reference
 * (../shared/oracles/nir-discrete/nir_reference_impl.py) written out in the test.
 */
import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';
import type { NetworkPlan } from '../core/plan.ts';

/** Run a plan; return, per step, the indices of population `p` that spiked and its state `vars` after the step. */
function run(p: NetworkPlan, popIndex: number, vars: string[] = ['v']) {
  const net = new Network(p, { runtimes: runtimeOf });
  const group = net.pops[popIndex].group!;
  const spikes: number[] = [];
  const trace: Record<string, number[]> = Object.fromEntries(vars.map((v) => [v, []]));
  while (net.step < net.nSteps) {
    net.advance();
    const pp = net.pops[popIndex];
    for (let k = 0; k < pp.count; k++) if (pp.spikes[k] === 0) spikes.push(net.step - 1);
    for (const v of vars) trace[v].push(group.stateVar(v)![0]);
  }
  return { spikes, trace };
}

describe('reset by subtraction (lif-delta, lif-curr-exp, if-delta)', () => {
  it('a LIF neuron that crosses the threshold keeps its overshoot: V ← V − (v_th − v_reset)', () => {
    // V0 = 25 mV above a 20 mV threshold: step 0 decays to 25·a > 20 and spikes; subtracting 20 − 10 leaves 25·a − 10.
    const a = Math.exp(-0.1 / 20);
    const base = { size: 1, tau_m_ms: 20, v_rest_mv: 0, v_reset_mv: 10, v_th_mv: 20, t_ref_ms: 0, v_init_mv: 25 };
    const sub = run(plan({ durationMs: 0.2, populations: [pop('n', 'lif-delta', { ...base, reset: 'subtract' })] }), 0);
    expect(sub.spikes).toEqual([0]);
    expect(sub.trace.v[0]).toBeCloseTo(25 * a - 10, 12);
    expect(sub.trace.v[1]).toBeCloseTo((25 * a - 10) * a, 12);
    const to = run(plan({ durationMs: 0.1, populations: [pop('n', 'lif-delta', base)] }), 0);
    expect(to.trace.v[0]).toBe(10);
  });

  it('an IF neuron charged by a bias current fires every 4 steps with subtraction and every 5 with V ← v_reset', () => {
    // dt = 0.125 ms, C = 256 pF, I = 512 pA: V rises by exactly 0.25 mV a step; threshold 1 mV (strict).
    // Subtract: 0.25 … 1.25 (spike, step 4) → 0.25 → … → 1.25 (step 8): period 4. To v_reset = 0: 1.25 → 0, period 5.
    const base = { size: 1, c_m_pf: 256, i_bias_pa: 512, v_th_mv: 1, v_reset_mv: 0, t_ref_ms: 0, v_init_mv: 0 };
    const p = (reset: string) => plan({ dtMs: 0.125, durationMs: 2.5, populations: [pop('n', 'if-delta', { ...base, reset })] });
    expect(run(p('subtract'), 0).spikes).toEqual([4, 8, 12, 16]);
    expect(run(p('to-v-reset'), 0).spikes).toEqual([4, 9, 14, 19]);
    expect(run(p('subtract'), 0).trace.v.slice(0, 6)).toEqual([0.25, 0.5, 0.75, 1, 0.25, 0.5]);
  });
});

describe('forward Euler and the NIR discrete reference', () => {
  it('lif-delta in Euler mode decays by (1 − dt/τ) a step', () => {
    const r = run(plan({ durationMs: 1, populations: [pop('n', 'lif-delta', { size: 1, tau_m_ms: 2, v_rest_mv: 0, v_init_mv: 8, integration: 'euler' })] }), 0);
    // dt/τ = 0.05: 8·0.95^n.
    for (let n = 0; n < 10; n++) expect(r.trace.v[n]).toBeCloseTo(8 * 0.95 ** (n + 1), 12);
  });

  it('a CubaLIF (lif-curr-exp, Euler, subtract) follows the NIR discrete reference spike for spike', () => {
    // The reference (nir_reference_impl.py, CubaLIFImplementation.forward), written out:
    //   I ← I + (dt/τs)(−I + w_in·x);  v ← v + (dt/τm)(v_leak − v + r·I_last);  z = v > θ;  v ← v − z·θ.
    // Spikeflow's I is R·I in mV, so a spike into I_exc of weight r·w_in·W·dt/τs is the reference's x = W.
    const dt = 0.1;
    const tauS = 2;
    const tauM = 5;
    const theta = 1;
    const r = 1.5;
    const W = 40;
    const inputSteps = [0, 1, 2, 5, 6, 7, 8, 20, 21, 22, 23, 24, 25, 26, 27, 40];
    const nSteps = 60;
    const x = new Array<number>(nSteps).fill(0);
    for (const s of inputSteps) x[s] = W;
    let I = 0;
    let v = 0;
    const refSpikes: number[] = [];
    const refV: number[] = [];
    const refI: number[] = [];
    for (let t = 0; t < nSteps; t++) {
      const iLast = I;
      I = iLast + (dt / tauS) * (-iLast + x[t]);
      v = v + (dt / tauM) * (0 - v + r * iLast);
      if (v > theta) {
        refSpikes.push(t);
        v -= theta;
      }
      refV.push(v);
      refI.push(r * I);
    }
    const p = plan({
      dtMs: dt,
      durationMs: nSteps * dt,
      populations: [
        pop('in', 'spike-generator', { size: 1, neurons: inputSteps.map(() => 0), times_ms: inputSteps.map((s) => s * dt) }),
        pop('n', 'lif-curr-exp', {
          size: 1,
          tau_m_ms: tauM,
          tau_syn_exc_ms: tauS,
          tau_syn_inh_ms: tauS,
          v_rest_mv: 0,
          v_reset_mv: 0,
          v_th_mv: theta,
          t_ref_ms: 0,
          v_init_mv: 0,
          reset: 'subtract',
          integration: 'euler',
        }),
      ],
      projections: [proj('w', 0, 1, { weight: (r * W * dt) / tauS, delayMs: 0 })],
    });
    const got = run(p, 1, ['v', 'i_exc']);
    expect(refSpikes.length).toBeGreaterThan(3);
    expect(got.spikes).toEqual(refSpikes);
    for (let t = 0; t < nSteps; t++) {
      expect(got.trace.v[t]).toBeCloseTo(refV[t], 10);
      expect(got.trace.i_exc[t]).toBeCloseTo(refI[t], 10);
    }
  });
});

describe('bias current (i_bias_pa)', () => {
  it('moves a LIF neuron’s equilibrium to v_rest + R·I_bias: V(t) = E + (V0 − E)·e^{−t/τ}', () => {
    // R = 100 MΩ, I = 150 pA: E = −65 + 15 = −50 mV; below the −40 mV threshold, so no spike.
    const r = run(plan({ durationMs: 5, populations: [pop('n', 'lif-curr-exp', { size: 1, v_rest_mv: -65, v_th_mv: -40, v_init_mv: -65, i_bias_pa: 150 })] }), 0);
    expect(r.spikes).toEqual([]);
    expect(r.trace.v[49]).toBeCloseTo(-50 + (-65 + 50) * Math.exp(-5 / 20), 10);
  });

  it('adds to an injected current on lif-delta', () => {
    // 100 pA injected + 50 pA bias, R = 100 MΩ: E = 15 mV.
    const r = run(
      plan({
        durationMs: 2,
        populations: [pop('dc', 'dc-current', { amplitude_pa: 100 }), pop('n', 'lif-delta', { size: 1, v_rest_mv: 0, v_th_mv: 20, v_init_mv: 0, i_bias_pa: 50 })],
        injections: [{ edgeId: 'i', source: 0, target: 1, targetPort: 'current' }],
      }),
      1,
    );
    expect(r.trace.v[19]).toBeCloseTo(15 * (1 - Math.exp(-2 / 20)), 10);
  });
});

describe('non-spiking readouts (li-delta, li-curr-exp, integrator)', () => {
  const gen = pop('in', 'spike-generator', { size: 1, neurons: [0, 0, 0], times_ms: [0.5, 1, 1.5] });

  it('a leaky integrator sums weighted spikes and decays, and never spikes however high V goes', () => {
    const a = Math.exp(-0.1 / 10);
    const r = run(plan({ durationMs: 3, populations: [gen, pop('li', 'li-delta', { size: 1, tau_m_ms: 10, v_init_mv: 0 })], projections: [proj('w', 0, 1, { weight: 500, delayMs: 0 })] }), 1);
    expect(r.spikes).toEqual([]);
    let x = 0;
    for (let s = 0; s < 30; s++) {
      x *= a;
      if (s === 5 || s === 10 || s === 15) x += 500;
      expect(r.trace.v[s]).toBeCloseTo(x, 9);
    }
    expect(Math.max(...r.trace.v)).toBeGreaterThan(1000);
  });

  it('an integrator (NIR I) adds every input for good: V = Σ w, plus (dt/C)·I_bias per step', () => {
    const r = run(
      plan({
        dtMs: 0.125,
        durationMs: 2.5,
        populations: [gen, pop('i', 'integrator', { size: 1, c_m_pf: 256, i_bias_pa: 512 })],
        projections: [proj('w', 0, 1, { weight: 2, delayMs: 0, receptor: 'inh' })],
      }),
      1,
    );
    // 0.25 mV a step from the bias; −2 at 0.5, 1 and 1.5 ms (steps 4, 8, 12).
    expect(r.trace.v[3]).toBe(1);
    expect(r.trace.v[4]).toBe(1.25 - 2);
    expect(r.trace.v[19]).toBe(20 * 0.25 - 6);
    expect(r.spikes).toEqual([]);
  });

  it('a CubaLI (li-curr-exp) filters spikes through I and a state monitor records v and i_exc', () => {
    const tauM = 10;
    const tauS = 4;
    const dt = 0.1;
    const a = Math.exp(-dt / tauM);
    const b = Math.exp(-dt / tauS);
    const c = (tauS / (tauS - tauM)) * (b - a);
    const net = new Network(
      plan({
        durationMs: 3,
        populations: [gen, pop('cli', 'li-curr-exp', { size: 1, tau_m_ms: tauM, tau_syn_exc_ms: tauS, v_rest_mv: 0, v_init_mv: 0 })],
        projections: [proj('w', 0, 1, { weight: 3, delayMs: 0 })],
        monitors: [
          { nodeId: 'sv', kind: 'state-monitor', sources: [1], params: { variable: 'v', neurons: [0], interval_ms: 0.1 } },
          { nodeId: 'si', kind: 'state-monitor', sources: [1], params: { variable: 'i_exc', neurons: [0], interval_ms: 0.1 } },
        ],
      }),
      { runtimes: runtimeOf },
    );
    while (net.step < net.nSteps) net.advance();
    const v = net.stateRecorders[0].drain().values;
    const i = net.stateRecorders[1].drain().values;
    let V = 0;
    let I = 0;
    for (let s = 0; s < 30; s++) {
      V = V * a + I * c;
      I *= b;
      if (s === 5 || s === 10 || s === 15) I += 3;
      expect(v[s]).toBeCloseTo(Math.fround(V), 6);
      expect(i[s]).toBeCloseTo(Math.fround(I), 6);
    }
    expect(Math.max(...v)).toBeGreaterThan(0.5);
  });
});
