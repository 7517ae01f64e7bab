import { describe, it, expect } from 'vitest';
import { DeltaEncoder, GaussianEncoder, LatencyEncoder, RateEncoder } from './encoders.ts';
import { InputStream } from './input-stream.ts';
import { Rng } from './rng.ts';
import type { SpikeSource } from './runtime.ts';
import { bundledDataset } from './bundled-datasets.ts';
import { parseDataset, sampleValues } from './dataset.ts';

const DT = 0.1;
const ctx = (seed = 1) => ({ dtMs: DT, nSteps: 0, rng: new Rng(seed, 'enc') });
const fixed = (values: number[], presentationMs = 100, restMs = 0) => new InputStream(values, { dtMs: DT, presentationMs, restMs });

/** All (step, channel) spikes of a source over `steps` steps. */
function run(src: SpikeSource, steps: number): [number, number][] {
  const out = new Int32Array(src.size);
  const got: [number, number][] = [];
  for (let s = 0; s < steps; s++) {
    const c = src.emit(s, out);
    for (let k = 0; k < c; k++) got.push([s, out[k]]);
  }
  return got;
}

function countsPerChannel(spikes: [number, number][], size: number): number[] {
  const c = new Array<number>(size).fill(0);
  for (const [, ch] of spikes) c[ch]++;
  return c;
}

describe('rate encoder', () => {
  it('Poisson: fires at value × max rate, within 3 standard errors for every value', () => {
    const levels = [0, 0.1, 0.25, 0.5, 1];
    const per = 200;
    const values = levels.flatMap((x) => new Array<number>(per).fill(x));
    const steps = 10_000; // 1 s
    const enc = new RateEncoder(fixed(values, 1000), 80, false, ctx());
    const counts = countsPerChannel(run(enc, steps), values.length);
    levels.forEach((x, g) => {
      const total = counts.slice(g * per, (g + 1) * per).reduce((a, b) => a + b, 0);
      const p = (x * 80 * DT) / 1000;
      const n = per * steps;
      if (x === 0) expect(total).toBe(0);
      else expect(Math.abs(total - n * p)).toBeLessThan(3 * Math.sqrt(n * p * (1 - p)));
    });
  });

  it('regular: fires floor(n·p) evenly spaced spikes in a presentation of n steps', () => {
    // p = x·100 Hz·0.1 ms: 0.0025, 0.005, 0.01 per step over 1000 steps.
    const enc = new RateEncoder(fixed([0.25, 0.5, 1], 100), 100, true, ctx());
    const spikes = run(enc, 1000);
    expect(countsPerChannel(spikes, 3)).toEqual([2, 5, 10]);
    expect(spikes.filter(([, c]) => c === 1).map(([s]) => s)).toEqual([199, 399, 599, 799, 999]);
  });

  it('is silent during rests and for zero pixels of a digit, and fires for the lit ones', () => {
    const digits = bundledDataset('digits');
    const stream = new InputStream(digits, { dtMs: DT, presentationMs: 50, restMs: 50 }, { first: 0, count: 1, shuffle: false, seed: 1 });
    const spikes = run(new RateEncoder(stream, 1000, false, ctx()), 1000);
    const x = sampleValues(digits, 0);
    expect(spikes.every(([s]) => s < 500)).toBe(true);
    expect(spikes.every(([, c]) => x[c] > 0)).toBe(true);
    const lit = new Set(spikes.map(([, c]) => c));
    // Each lit pixel (≥ 1/16) fires about 3 spikes or more in 50 ms at 1 kHz × value; nearly all show up.
    expect(lit.size).toBeGreaterThan(x.filter((v) => v > 0).length - 3);
  });

  it('draws the same spikes for the same seed and different ones for another', () => {
    const a = run(new RateEncoder(fixed([0.5, 0.5, 0.5]), 200, false, ctx(1)), 2000);
    const b = run(new RateEncoder(fixed([0.5, 0.5, 0.5]), 200, false, ctx(1)), 2000);
    const c = run(new RateEncoder(fixed([0.5, 0.5, 0.5]), 200, false, ctx(2)), 2000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});

describe('latency encoder', () => {
  it('linear: fires once per presentation at t = t_max·(1 − x), and not for x ≤ threshold', () => {
    const values = [0.1, 0.3, 0.5, 0.9, 1, 0];
    const enc = new LatencyEncoder(fixed(values, 100), 'linear', 50, 0, DT);
    const spikes = run(enc, 3000); // three presentations
    const first = spikes.filter(([s]) => s < 1000);
    expect(first.sort((a, b) => a[1] - b[1])).toEqual([
      [450, 0],
      [350, 1],
      [250, 2],
      [50, 3],
      [0, 4],
    ]);
    expect(countsPerChannel(spikes, 6)).toEqual([3, 3, 3, 3, 3, 0]);
    expect(spikes.filter(([s]) => s >= 2000).map(([s, c]) => [s - 2000, c])).toEqual(first.sort((a, b) => a[0] - b[0]));
  });

  it('maps a bigger value to an earlier (or equal) spike, for both mappings', () => {
    const rng = new Rng(4, 'values');
    const values = Array.from({ length: 200 }, () => 0.3 + 0.7 * rng.uniform());
    for (const [form, t] of [
      ['linear', 50],
      ['log', 10],
    ] as const) {
      const spikes = run(new LatencyEncoder(fixed(values, 100), form, t, 0.2, DT), 1000);
      expect(spikes.length).toBe(values.length);
      const at = new Map(spikes.map(([s, c]) => [c, s]));
      const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
      for (let k = 1; k < order.length; k++) expect(at.get(order[k])!).toBeLessThanOrEqual(at.get(order[k - 1])!);
      expect(at.get(order[0])!).toBeGreaterThan(at.get(order[order.length - 1])!);
    }
  });

  it('log: fires at τ·ln(x/(x − θ)) and drops spikes past the end of the presentation', () => {
    // τ = 10 ms, θ = 0.2: x = 0.4 → 10·ln 2 = 6.93 ms (step 69); x = 0.21 → 30.4 ms, past a 20 ms presentation; x = θ → never.
    const spikes = run(new LatencyEncoder(fixed([0.4, 0.21, 0.2], 20), 'log', 10, 0.2, DT), 200);
    expect(spikes).toEqual([[69, 0]]);
    expect(LatencyEncoder.latencyMs(0.21, 'log', 10, 0.2)).toBeCloseTo(10 * Math.log(21), 12);
  });
});

describe('delta encoder', () => {
  it('fires ON once at the start for a constant input above threshold, then never again', () => {
    const enc = new DeltaEncoder(fixed([0.5, 0.05, 0.3], 10), 0.1);
    // Many 10 ms presentations of the same values: nothing changes after the first step.
    expect(run(enc, 2000)).toEqual([
      [0, 0],
      [0, 2],
    ]);
  });

  it('fires ON on a step up and OFF on a step down, not on a change below threshold', () => {
    const data = parseDataset('0,0.2\n0,0.6\n0,0.1\n0,0.15\n');
    if (!data.ok) throw new Error(data.error);
    const stream = new InputStream(data.dataset, { dtMs: DT, presentationMs: 10, restMs: 0 }, { first: 0, count: 0, shuffle: false, seed: 1 });
    // Channel 0 is ON, channel 1 is OFF; 0.15 − 0.1 < θ.
    expect(run(new DeltaEncoder(stream, 0.1), 400)).toEqual([
      [0, 0],
      [100, 0],
      [200, 1],
    ]);
  });

  it('fires OFF when a rest blanks the input and ON when the next sample shows', () => {
    const enc = new DeltaEncoder(fixed([0.7, 0.7], 10, 5), 0.1);
    expect(run(enc, 300)).toEqual([
      [0, 0],
      [0, 1],
      [100, 2],
      [100, 3],
      [150, 0],
      [150, 1],
      [250, 2],
      [250, 3],
    ]);
  });

  it('on digits, fires ON at each onset exactly for the pixels ≥ threshold of the shown sample', () => {
    const digits = bundledDataset('digits');
    const stream = new InputStream(digits, { dtMs: DT, presentationMs: 5, restMs: 5 }, { first: 0, count: 0, shuffle: true, seed: 3 });
    const spikes = run(new DeltaEncoder(stream, 0.25), 300);
    for (const k of [0, 1, 2]) {
      const onset = k * 100;
      const x = sampleValues(digits, stream.sampleOf(k));
      const on = spikes.filter(([s]) => s === onset).map(([, c]) => c);
      expect(on).toEqual(Array.from(x.keys()).filter((i) => x[i] >= 0.25));
      const off = spikes.filter(([s]) => s === onset + 50).map(([, c]) => c - 64);
      expect(off).toEqual(on);
    }
    expect(spikes.every(([s]) => s % 50 === 0)).toBe(true);
  });
});

describe('Gaussian population encoder', () => {
  it.each([0, 0.3, 0.77, 1])('the busiest of 11 fields is the one centred nearest x = %f, at about max_rate', (x) => {
    const n = 11;
    const enc = new GaussianEncoder(fixed([x], 1000), n, 0.1, 200, false, ctx(5));
    const steps = 20_000;
    const counts = countsPerChannel(run(enc, steps), n);
    const peak = counts.indexOf(Math.max(...counts));
    expect(peak).toBe(Math.round(x * (n - 1)));
    const mu = GaussianEncoder.centre(peak, n);
    const p = (200 * Math.exp(-((x - mu) ** 2) / (2 * 0.01)) * DT) / 1000;
    expect(Math.abs(counts[peak] - steps * p)).toBeLessThan(3 * Math.sqrt(steps * p * (1 - p)));
  });

  it("lays out value i's fields as channels i·n … i·n + n − 1, and rests silently", () => {
    const enc = new GaussianEncoder(fixed([0, 1], 10, 10), 3, 0.05, 10_000, true, ctx());
    const spikes = run(enc, 200);
    // Rate 10 kHz at dt 0.1 ms is one spike per step for the matching field; the others are e^−50 or e^−200 away.
    expect(countsPerChannel(spikes, 6)).toEqual([100, 0, 0, 0, 0, 100]);
    expect(spikes.every(([s]) => s < 100)).toBe(true);
  });
});
