import { describe, it, expect } from 'vitest';
import { Network } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';

describe('explicit synapses: signed weights and one delay per synapse', () => {
  it('each synapse moves its target by its own signed weight after its own delay', () => {
    // Source neurons 0, 1, 2 spike at 1 ms (step 10). Synapses: 0→0 +0.5 after 0 ms, 1→0 −0.25 after 1 ms,
    // 2→1 +2 after 0.5 ms, 0→1 −1 after 2 ms. Targets: integrators (no leak, no threshold), so V is the running sum.
    const net = new Network(
      plan({
        durationMs: 4,
        populations: [pop('src', 'spike-generator', { size: 3, neurons: [0, 1, 2], times_ms: [1, 1, 1] }), pop('sum', 'integrator', { size: 2 })],
        projections: [proj('w', 0, 1, { synapses: { pre: [0, 1, 2, 0], post: [0, 0, 1, 1], w: [0.5, -0.25, 2, -1], delayMs: [0, 1, 0.5, 2] }, receptor: 'exc' })],
      }),
      { runtimes: runtimeOf },
    );
    const v = net.pops[1].group!.stateVar('v')!;
    const trace: [number, number][] = [];
    while (net.step < net.nSteps) {
      net.advance();
      trace.push([v[0], v[1]]);
    }
    expect(trace[9]).toEqual([0, 0]);
    expect(trace[10]).toEqual([0.5, 0]);
    expect(trace[15]).toEqual([0.5, 2]);
    expect(trace[19]).toEqual([0.5, 2]);
    expect(trace[20]).toEqual([0.25, 2]);
    expect(trace[30]).toEqual([0.25, 1]);
    expect(trace[39]).toEqual([0.25, 1]);
  });

  it('an inh projection turns a negative stored weight into excitation', () => {
    const net = new Network(
      plan({
        durationMs: 2,
        populations: [pop('src', 'spike-generator', { size: 1, neurons: [0], times_ms: [1] }), pop('sum', 'integrator', { size: 1 })],
        projections: [proj('w', 0, 1, { synapses: { pre: [0], post: [0], w: [-0.75] }, receptor: 'inh' })],
      }),
      { runtimes: runtimeOf },
    );
    while (net.step < net.nSteps) net.advance();
    expect(net.pops[1].group!.stateVar('v')![0]).toBe(0.75);
  });
});
