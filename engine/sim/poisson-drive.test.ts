import { describe, it, expect } from 'vitest';
import { binomialTable, DiscreteTable, PoissonDrive } from './poisson-drive.ts';
import { Rng } from './rng.ts';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { KINDS } from '../kinds/index.ts';
import { runtimeOf } from '../kinds/index.ts';

const TWO32 = 4294967296;

/** Exact Binomial pmf by the product formula (small n only). */
function binomPmf(n: number, p: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c * p ** k * (1 - p) ** (n - k);
}

/** Per-draw mean and variance of a drive's counts over `steps` steps of `size` neurons. */
function sampleCounts(drive: PoissonDrive, size: number, steps: number, weight: number) {
  const out = new Float64Array(size);
  let s1 = 0;
  let s2 = 0;
  let events = 0;
  let offGrid = 0;
  let miscounted = 0;
  for (let t = 0; t < steps; t++) {
    out.fill(0);
    drive.fill(t, out);
    let stepSum = 0;
    for (let j = 0; j < size; j++) {
      const k = Math.round(out[j] / weight);
      if (Math.abs(out[j] - k * weight) > 1e-9) offGrid++;
      s1 += k;
      s2 += k * k;
      stepSum += k;
    }
    if (drive.events !== stepSum) miscounted++;
    events += drive.events;
  }
  // Every neuron's input is a whole number of weights, and `events` counts them.
  expect(offGrid).toBe(0);
  expect(miscounted).toBe(0);
  const m = size * steps;
  const mean = s1 / m;
  return { mean, variance: s2 / m - mean * mean, draws: m, events };
}

describe('the Binomial look-up table', () => {
  it('puts the exact Binomial(1000, 0.002) probabilities on each value, to 2⁻³² resolution', () => {
    const t = binomialTable(1000, 0.002);
    let prev = 0;
    for (let k = t.kMin; k < t.kMin + 12; k++) {
      const thr = t.thresholds[k - t.kMin];
      const mass = (thr - prev) / TWO32;
      expect(Math.abs(mass - binomPmf(1000, 0.002, k))).toBeLessThan(1e-9);
      prev = thr;
    }
    expect(t.kMin).toBe(0);
    expect(t.thresholds[t.thresholds.length - 1]).toBe(TWO32);
  });

  it('inverts the CDF: the guide table never skips past the right value', () => {
    const t = binomialTable(1000, 0.002);
    // Every threshold boundary, and its neighbours, maps to the value whose interval contains it.
    for (let k = 0; k < t.thresholds.length - 1; k++) {
      const b = t.thresholds[k];
      if (b >= TWO32) break;
      expect(t.lookup(b - 1)).toBeLessThanOrEqual(k + t.kMin);
      expect(t.lookup(b)).toBeGreaterThan(k + t.kMin);
    }
    expect(t.lookup(0)).toBe(t.kMin);
    // The largest uniform number lands on the first value whose CDF rounds to 1 (far in the tail).
    expect(t.lookup(TWO32 - 1)).toBe(t.kMin + t.thresholds.indexOf(TWO32));
    expect(t.lookup(TWO32 - 1)).toBeGreaterThan(10);
  });

  it('builds tables for huge means without underflow, centred on n·p', () => {
    const t = binomialTable(10_000_000, 0.002); // mean 20 000, sd ≈ 141
    expect(t.kMin).toBeGreaterThan(20_000 - 15 * 141);
    expect(t.kMin + t.thresholds.length - 1).toBeLessThan(20_000 + 15 * 141);
    expect(t.lookup(TWO32 / 2)).toBeGreaterThan(20_000 - 5);
    expect(t.lookup(TWO32 / 2)).toBeLessThan(20_000 + 5);
  });

  it('handles the degenerate cases p = 0 and p = 1', () => {
    expect(binomialTable(1000, 0).lookup(123456789)).toBe(0);
    expect(binomialTable(7, 1).lookup(123456789)).toBe(7);
    expect(new DiscreteTable([1, 0, 3], 5).lookup(TWO32 / 8)).toBe(5);
  });
});

describe('the Poisson drive', () => {
  it("gives Brunel's per-step count: mean C·ν·dt = 2 and Binomial variance, within 3 standard errors", () => {
    const n = 1000;
    const p = 0.002;
    const drive = new PoissonDrive(n, 20, 0.1, 1, 1000, new Rng(7, 'drive'), 0.1);
    const s = sampleCounts(drive, 1000, 1000, 0.1);
    const mean = n * p;
    const variance = n * p * (1 - p);
    // Fourth central moment of the Binomial, for the standard error of the sample variance.
    const mu4 = n * p * (1 - p) * (1 + 3 * (n - 2) * p * (1 - p));
    expect(Math.abs(s.mean - mean)).toBeLessThan(3 * Math.sqrt(variance / s.draws));
    expect(Math.abs(s.variance - variance)).toBeLessThan(3 * Math.sqrt((mu4 - variance * variance) / s.draws));
    expect(s.events).toBe(Math.round(s.mean * s.draws));
  });

  it('matches the Binomial for a small count where it differs from a Poisson (variance n·p·(1 − p))', () => {
    const n = 4;
    const p = 0.5; // 5000 Hz at 0.1 ms
    const drive = new PoissonDrive(n, 5000, 1, 1, 500, new Rng(3, 'drive'), 0.1);
    const s = sampleCounts(drive, 500, 400, 1);
    const mu4 = n * p * (1 - p) * (1 + 3 * (n - 2) * p * (1 - p));
    expect(Math.abs(s.mean - 2)).toBeLessThan(3 * Math.sqrt(1 / s.draws));
    expect(Math.abs(s.variance - 1)).toBeLessThan(3 * Math.sqrt((mu4 - 1) / s.draws));
  });

  it('subtracts on an inhibitory receptor and counts external events in the run statistics', () => {
    const drive = new PoissonDrive(1000, 20, 0.5, -1, 100, new Rng(1, 'drive'), 0.1);
    const out = new Float64Array(100);
    drive.fill(0, out);
    expect(out.every((x) => x <= 0)).toBe(true);
    expect(-out.reduce((a, b) => a + b, 0) / 0.5).toBeCloseTo(drive.events, 9);

    const net = new Network(
      plan({
        durationMs: 20,
        populations: [pop('n', 'lif-delta', { size: 200, v_th_mv: 1e3 - 1, v_init_mv: 0 })],
        drives: [{ edgeId: 'd', nodeId: 'ext', kind: 'poisson-drive', params: { count: 1000, rate_hz: 20, weight: 0.1, receptor: 'inh' }, target: 0 }],
      }),
      { runtimes: runtimeOf },
    );
    while (net.step < net.nSteps) net.advance();
    const st = net.stats(0, 0);
    // 200 neurons × 200 steps × 2 expected, sd √(40 000·2).
    expect(Math.abs(st.external_events - 80_000)).toBeLessThan(4 * Math.sqrt(80_000));
    expect(Array.from(net.pops[0].group!.stateVar('v')!).every((x) => x < 0)).toBe(true);
  });

  it('is reproducible for a seed and differs between targets', () => {
    const draw = (seed: number, stream: string) => {
      const d = new PoissonDrive(1000, 20, 1, 1, 64, new Rng(seed, stream), 0.1);
      const out = new Float64Array(64);
      d.fill(0, out);
      return Array.from(out);
    };
    expect(draw(1, 'sim/ext/a')).toEqual(draw(1, 'sim/ext/a'));
    expect(draw(1, 'sim/ext/a')).not.toEqual(draw(1, 'sim/ext/b'));
  });

  const driven = KINDS.filter((k) => k.runtime.role === 'neurons' && k.inputs.some((p) => p.id === 'current' && p.role === 'inject')).map((k) => k.id);

  it.each(driven)('drives %s through its current port: whole jumps of the weight, 2 per neuron per step on average', (kind) => {
    const build = (withDrive: boolean) =>
      new Network(
        plan({
          durationMs: 1,
          populations: [pop('n', kind, { size: 400 })],
          drives: withDrive ? [{ edgeId: 'd', nodeId: 'ext', kind: 'poisson-drive', params: { count: 1000, rate_hz: 20, weight: 0.5, receptor: 'exc' }, target: 0 }] : [],
        }),
        { runtimes: runtimeOf },
      );
    const a = build(true);
    const b = build(false);
    a.advance();
    b.advance();
    const exc = a.pops[0].group!.inputs[0];
    const ref = b.pops[0].group!.inputs[0];
    let jumps = 0;
    let offGrid = 0;
    for (let j = 0; j < 400; j++) {
      const k = (exc[j] - ref[j]) / 0.5;
      if (Math.abs(k - Math.round(k)) > 1e-9 || k < 0) offGrid++;
      jumps += Math.round(k);
    }
    expect(offGrid).toBe(0);
    expect(jumps).toBe(a.externalEvents);
    // 400 draws of mean 2, sd √2 each.
    expect(Math.abs(jumps - 800)).toBeLessThan(4 * Math.sqrt(800));
  });
});
