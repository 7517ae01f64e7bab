import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { getKind } from '../kinds/index.ts';
import { intervals } from './spike-stats.ts';
import { runtimeOf } from '../kinds/index.ts';

function preset(name: string): Record<string, unknown> {
  const p = getKind('adex')!.presets!.find((x) => x.name.startsWith(name));
  if (!p) throw new Error(`no preset ${name}`);
  return { ...p.values };
}

function run(params: Record<string, unknown>, currentPa: number, durationMs: number) {
  const net = new Network(
    plan({
      durationMs,
      populations: [pop('dc', 'dc-current', { amplitude_pa: currentPa }), pop('n', 'adex', { size: 1, ...params })],
      injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
    }),
    { runtimes: runtimeOf },
  );
  const times: number[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    if (net.pops[1].count > 0) times.push((net.step - 1) * net.dtMs);
  }
  return { times, group: net.pops[1].group! };
}

describe('AdEx neurons: the Naud et al. (2008) presets under their currents', () => {
  it('tonic (500 pA): a regular train with constant intervals', () => {
    const isi = intervals(run(preset('Tonic'), 500, 1000).times);
    expect(isi.length).toBeGreaterThan(50);
    expect(Math.max(...isi) / Math.min(...isi)).toBeLessThan(1.1);
    const late = isi.slice(10);
    expect(Math.max(...late) - Math.min(...late)).toBeLessThanOrEqual(0.1 + 1e-9); // within one step
  });

  it('adapting (500 pA): intervals lengthen towards a much slower steady rate', () => {
    const isi = intervals(run(preset('Adapting'), 500, 1000).times);
    for (let k = 1; k < 6; k++) expect(isi[k]).toBeGreaterThan(isi[k - 1]);
    expect(isi[isi.length - 1]).toBeGreaterThan(4 * isi[0]);
  });

  it('initial burst (400 pA): a fast burst at onset, then a slow regular train', () => {
    const isi = intervals(run(preset('Initial burst'), 400, 1000).times);
    expect(isi[0]).toBeLessThan(10);
    expect(isi[1]).toBeLessThan(10);
    for (const x of isi.slice(2)) expect(x).toBeGreaterThan(40);
  });

  it('bursting (210 pA): a bimodal interval distribution, short within bursts and long between them', () => {
    const isi = intervals(run(preset('Bursting'), 210, 1000).times);
    const short = isi.filter((x) => x < 15);
    const long = isi.filter((x) => x > 80);
    expect(short.length).toBeGreaterThanOrEqual(5);
    expect(long.length).toBeGreaterThanOrEqual(5);
    // Nothing in between: the two modes are separated.
    expect(short.length + long.length).toBe(isi.length);
  });
});

describe('AdEx integration', () => {
  it('settles below rheobase on the fixed point of both equations', () => {
    const p = preset('Tonic');
    const { times, group } = run(p, 100, 2000);
    expect(times).toEqual([]);
    const v = group.stateVar('v')![0];
    const w = group.stateVar('w')![0];
    // w* = a(V* − E_L) and 0 = −g_L(V* − E_L) + g_L Δ_T e^{(V*−V_T)/Δ_T} − w* + I
    expect(w).toBeCloseTo(2 * (v + 70), 6);
    const drift = -10 * (v + 70) + 10 * 2 * Math.exp((v + 50) / 2) - w + 100;
    expect(Math.abs(drift)).toBeLessThan(1e-6);
  });

  it('takes one forward Euler step for V and w from the values at the start of the step', () => {
    const { group } = run({ ...preset('Adapting'), v_init_mv: -55, w_init_pa: 20 }, 300, 0.1);
    // C 200, g_L 12, E_L −70, V_T −50, Δ_T 2, a 2, τ_w 300:
    const dv = (-12 * 15 + 12 * 2 * Math.exp(-5 / 2) - 20 + 300) / 200;
    const dw = (2 * 15 - 20) / 300;
    expect(group.stateVar('v')![0]).toBeCloseTo(-55 + 0.1 * dv, 12);
    expect(group.stateVar('w')![0]).toBeCloseTo(20 + 0.1 * dw, 12);
  });

  it('never overflows: the capped exponent keeps V a number even where e^x would be infinite', () => {
    // g_L = 0 with a sharp onset far above V_T: uncapped, 0·e^{1000} is NaN and V would never spike again.
    const sharp = { ...preset('Tonic'), g_l_ns: 0, delta_t_mv: 0.01, v_init_mv: -40 };
    // Then V just integrates I − w (a spike every ~25 ms).
    const a = run(sharp, 500, 200);
    expect(a.times.length).toBeGreaterThan(4);
    expect(Number.isFinite(a.group.stateVar('v')![0])).toBe(true);
    // A huge current: every state stays finite and the neuron keeps spiking.
    const b = run(preset('Tonic'), 1e7, 50);
    expect(b.times.length).toBeGreaterThan(10);
    expect(Number.isFinite(b.group.stateVar('v')![0])).toBe(true);
    expect(Number.isFinite(b.group.stateVar('w')![0])).toBe(true);
  });
});
