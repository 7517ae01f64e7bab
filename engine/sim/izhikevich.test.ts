import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { getKind } from '../kinds/index.ts';
import { intervals } from './spike-stats.ts';
import { runtimeOf } from '../kinds/index.ts';

function preset(name: string): Record<string, unknown> {
  const p = getKind('izhikevich')!.presets!.find((x) => x.name.includes(`(${name})`));
  if (!p) throw new Error(`no preset ${name}`);
  return { ...p.values };
}

/** Spike times (ms) of one neuron under a constant current from t = 0. */
function spikeTimes(params: Record<string, unknown>, currentPa: number, durationMs: number): number[] {
  const net = new Network(
    plan({
      durationMs,
      populations: [pop('dc', 'dc-current', { amplitude_pa: currentPa }), pop('n', 'izhikevich', { size: 1, ...params })],
      injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
    }),
    { runtimes: runtimeOf },
  );
  const t: number[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    if (net.pops[1].count > 0) t.push((net.step - 1) * net.dtMs);
  }
  return t;
}

/** Bursts: runs of spikes separated by less than `gapMs`. */
function bursts(times: number[], gapMs: number): number[][] {
  const out: number[][] = [];
  for (const t of times) {
    const last = out[out.length - 1];
    if (last && t - last[last.length - 1] < gapMs) last.push(t);
    else out.push([t]);
  }
  return out;
}

/** Mean of (ISI_{k+1} − ISI_k)/(ISI_{k+1} + ISI_k): 0 for a constant train, > 0 when it slows down. */
function adaptationIndex(isi: number[]): number {
  let s = 0;
  for (let k = 1; k < isi.length; k++) s += (isi[k] - isi[k - 1]) / (isi[k] + isi[k - 1]);
  return s / (isi.length - 1);
}

describe('Izhikevich neurons: the 2003 presets under a constant current of 10 pA', () => {
  it('regular spiking: single spikes whose intervals lengthen (adaptation)', () => {
    const isi = intervals(spikeTimes(preset('RS'), 10, 500));
    expect(isi.length).toBeGreaterThan(5);
    expect(Math.min(...isi)).toBeGreaterThan(15); // no bursts
    expect(isi[isi.length - 1]).toBeGreaterThan(1.5 * isi[0]);
    expect(adaptationIndex(isi)).toBeGreaterThan(0.02);
  });

  it('intrinsically bursting: an initial burst, then single spikes', () => {
    const b = bursts(spikeTimes(preset('IB'), 10, 500), 10);
    expect(b[0].length).toBeGreaterThanOrEqual(3);
    expect(b.length).toBeGreaterThan(5);
    for (const later of b.slice(1)) expect(later.length).toBe(1);
  });

  it('chattering: repeated bursts of several spikes separated by long gaps', () => {
    const b = bursts(spikeTimes(preset('CH'), 10, 500), 10);
    expect(b.length).toBeGreaterThanOrEqual(6);
    for (const burst of b) expect(burst.length).toBeGreaterThanOrEqual(2);
    for (let k = 1; k < b.length; k++) expect(b[k][0] - b[k - 1][b[k - 1].length - 1]).toBeGreaterThan(30);
  });

  it('fast spiking: a high-frequency train with practically no adaptation', () => {
    const isi = intervals(spikeTimes(preset('FS'), 10, 500));
    expect(isi.length).toBeGreaterThan(50); // > 100 Hz
    const steady = isi.slice(3);
    expect(Math.max(...steady) / Math.min(...steady)).toBeLessThan(1.05);
    expect(adaptationIndex(isi)).toBeLessThan(0.01);
    // Much weaker adaptation than regular spiking.
    expect(adaptationIndex(isi)).toBeLessThan(adaptationIndex(intervals(spikeTimes(preset('RS'), 10, 500))) / 3);
  });

  it('low-threshold spiking: fires at a current too weak for regular spiking, with a fast onset that adapts over many spikes', () => {
    expect(spikeTimes(preset('RS'), 2, 500)).toEqual([]);
    expect(spikeTimes(preset('LTS'), 2, 500).length).toBeGreaterThan(3);
    const isi = intervals(spikeTimes(preset('LTS'), 10, 500));
    expect(isi[0]).toBeLessThan(5); // > 200 Hz at onset
    for (let k = 1; k < 5; k++) expect(isi[k]).toBeGreaterThan(isi[k - 1]);
    expect(isi[isi.length - 1]).toBeGreaterThan(3 * isi[0]);
  });
});

describe('Izhikevich integration and inputs', () => {
  it('takes one forward Euler step for v and u from the values at the start of the step', () => {
    const net = new Network(
      plan({
        durationMs: 1,
        populations: [pop('dc', 'dc-current', { amplitude_pa: 10 }), pop('n', 'izhikevich', { size: 1, ...preset('RS'), v_init_mv: -70 })],
        injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
      }),
      { runtimes: runtimeOf },
    );
    net.advance();
    const g = net.pops[1].group!;
    // v0 = −70, u0 = b·v0 = −14: dv/dt = 0.04·4900 − 350 + 140 + 14 + 10 = 10; du/dt = 0.02·(−14 + 14) = 0.
    expect(g.stateVar('v')![0]).toBeCloseTo(-70 + 0.1 * 10, 12);
    expect(g.stateVar('u')![0]).toBeCloseTo(-14, 12);
  });

  it('resets v to c and adds d to u at v ≥ 30 mV', () => {
    const net = new Network(plan({ durationMs: 1, populations: [pop('n', 'izhikevich', { size: 1, ...preset('CH'), v_init_mv: 35 })] }), { runtimes: runtimeOf });
    const g = net.pops[0].group!;
    const u0 = 0.2 * 35;
    net.advance();
    expect(net.pops[0].count).toBe(1);
    expect(g.stateVar('v')![0]).toBe(-50);
    const uEuler = u0 + 0.1 * 0.02 * (0.2 * 35 - u0);
    expect(g.stateVar('u')![0]).toBeCloseTo(uEuler + 2, 12);
  });

  it('receives exponential synaptic currents in pA: excitatory adds, inhibitory subtracts', () => {
    const net = new Network(
      plan({
        durationMs: 2,
        populations: [
          pop('gen', 'spike-generator', { size: 1, neurons: [0], times_ms: [0] }),
          pop('n', 'izhikevich', { size: 1, ...preset('RS'), v_init_mv: -70, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10 }),
        ],
        projections: [proj('e', 0, 1, { weight: 7, receptor: 'exc' }), proj('i', 0, 1, { weight: 3, receptor: 'inh' })],
      }),
      { runtimes: runtimeOf },
    );
    const g = net.pops[1].group!;
    net.advance(); // the spike lands after the update of step 0
    expect(g.stateVar('i_exc')![0]).toBe(7);
    expect(g.stateVar('i_inh')![0]).toBe(-3);
    const v0 = g.stateVar('v')![0];
    const u0 = g.stateVar('u')![0];
    net.advance();
    expect(g.stateVar('v')![0]).toBeCloseTo(v0 + 0.1 * (0.04 * v0 * v0 + 5 * v0 + 140 - u0 + 7 - 3), 12);
    expect(g.stateVar('i_exc')![0]).toBeCloseTo(7 * Math.exp(-0.1 / 5), 12);
    expect(g.stateVar('i_inh')![0]).toBeCloseTo(-3 * Math.exp(-0.1 / 10), 12);
  });
});
