import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';
import { SpikeRecorder } from './monitors.ts';

describe('state and rate monitors', () => {
  it('a state monitor samples v of chosen neurons every interval, showing the reset after a spike', () => {
    const net = new Network(
      plan({
        durationMs: 10,
        populations: [pop('dc', 'dc-current', { amplitude_pa: 400 }), pop('lif', 'lif-curr-exp', { size: 3, v_init_mv: -65 })],
        injections: [{ edgeId: 'w', source: 0, target: 1, targetPort: 'current' }],
        monitors: [{ nodeId: 'sm', kind: 'state-monitor', sources: [1], params: { variable: 'v', neurons: [2, 0], interval_ms: 0.5 } }],
      }),
      { runtimes: runtimeOf },
    );
    const rec = net.stateRecorders[0];
    const v = net.pops[1].group!.stateVar('v')!;
    const expected: number[] = [];
    while (net.step < net.nSteps) {
      net.advance();
      if ((net.step - 1) % 5 === 0) expected.push(v[2], v[0]);
    }
    const { step0, values } = rec.drain();
    expect(step0).toBe(0);
    expect(values.length).toBe(40); // 20 samples × 2 neurons
    expect([...values]).toEqual(expected.map((x) => Math.fround(x)));
    // V rises from rest toward 400 pA·100 MΩ = 40 mV above rest.
    expect(values[2]).toBeGreaterThan(values[0]);
  });

  it('a rate monitor counts spikes per bin, bins adding up to all spikes', () => {
    const net = new Network(
      plan({
        durationMs: 100,
        populations: [pop('src', 'poisson-source', { size: 200, rate_hz: 50 })],
        monitors: [
          { nodeId: 'rm', kind: 'rate-monitor', sources: [0], params: { bin_ms: 2 } },
          { nodeId: 'sp', kind: 'spike-monitor', sources: [0], params: {} },
        ],
      }),
      { runtimes: runtimeOf },
    );
    while (net.step < net.nSteps) net.advance();
    const { bin0, counts } = net.rateRecorders[0].drain();
    const { step } = net.recorders[0].drain();
    expect(bin0).toBe(0);
    expect(counts.length).toBe(50);
    const perBin = new Array(50).fill(0);
    for (const s of step) perBin[Math.floor(s / 20)]++;
    expect([...counts]).toEqual(perBin);
  });
});

describe('spike recorder', () => {
  it('keeps every step’s spikes in order as counts vary, past its first capacity, past the kept views, and when the spike array changes', () => {
    const rec = new SpikeRecorder('m', 0, 0, 4);
    const a = new Int32Array(1000);
    const b = new Int32Array(1000);
    const expectedNeuron: number[] = [];
    const expectedStep: number[] = [];
    // Counts go up and down, below and above the loop's 8 (kept views are reused), past 512 (a fresh view), and the source array
    // alternates between a and b with different contents, so a view kept for the wrong array shows.
    const counts = [3, 1, 0, 7, 3, 600, 2, 9, 40, 7, 9, 1, 513, 0, 40, 5, 12];
    counts.forEach((count, step) => {
      const spikes = step % 3 === 2 ? b : a;
      for (let k = 0; k < spikes.length; k++) spikes[k] = step * 10_000 + k * (spikes === a ? 1 : 3);
      rec.record(spikes, count, step);
      for (let k = 0; k < count; k++) {
        expectedNeuron.push(spikes[k]);
        expectedStep.push(step);
      }
    });
    expect(rec.pending).toBe(expectedNeuron.length);
    expect(rec.total).toBe(expectedNeuron.length);
    const { neuron, step } = rec.drain();
    expect([...neuron]).toEqual(expectedNeuron);
    expect([...step]).toEqual(expectedStep);
    expect(rec.pending).toBe(0);
    // After a drain it starts again from empty, and the kept views still read the current contents.
    a.fill(42);
    rec.record(a, 2, 99);
    const again = rec.drain();
    expect([...again.neuron]).toEqual([42, 42]);
    expect([...again.step]).toEqual([99, 99]);
  });
});
