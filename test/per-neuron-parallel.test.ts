/** Per-neuron parameter values are cut to each thread's neurons: 2 and 3 threads give the spikes of 1. */
import { describe, it, expect, afterAll } from 'vitest';
import { Network } from '../engine/sim/network.ts';
import { ParallelNetwork } from '../engine/sim/parallel/parallel-network.ts';
import { nodeThreadSupport } from '../engine/hosts/node-threads.ts';
import { plan, pop, proj } from '../engine/test-support/test-plans.ts';
import { runtimeOf } from '../engine/kinds/index.ts';

const support = nodeThreadSupport(new URL('../engine/hosts/sim-thread-node-boot.mjs', import.meta.url));
const started: ParallelNetwork[] = [];
afterAll(() => started.forEach((n) => n.dispose()));

function spikesOf(net: Network | ParallelNetwork): string[] {
  const out: string[] = [];
  while (net.step < net.nSteps) {
    net.advance();
    const { neuron, step } = net.recorders[0].drain();
    for (let i = 0; i < neuron.length; i++) out.push(`${neuron[i]}@${step[i]}`);
  }
  return out;
}

describe('per-neuron values on several threads', () => {
  it('a lif-curr-exp population with per-neuron thresholds, time constants and initial V spikes the same on 1, 2 and 3 threads', async () => {
    const n = 301;
    const ramp = (lo: number, hi: number) => ({ perNeuron: Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1)) });
    const p = plan({
      durationMs: 100,
      populations: [
        pop('src', 'poisson-source', { size: 50, rate_hz: 40 }),
        pop('lif', 'lif-curr-exp', { size: n, v_th_mv: ramp(-55, -48), tau_m_ms: ramp(8, 30), v_init_mv: ramp(-65, -50), i_bias_pa: ramp(80, 160) }),
      ],
      projections: [proj('w', 0, 1, { rule: 'bernoulli', p: 0.3, weight: 1.5 })],
      monitors: [{ nodeId: 'm', kind: 'spike-monitor', sources: [1], params: {} }],
    });
    const one = spikesOf(new Network(p, { runtimes: runtimeOf }));
    expect(one.length).toBeGreaterThan(100);
    for (const threads of [2, 3]) {
      const net = await ParallelNetwork.start(p, runtimeOf, { threads }, support);
      started.push(net);
      expect(spikesOf(net)).toEqual(one);
      net.dispose();
    }
  });
});
