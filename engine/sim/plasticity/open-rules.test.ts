import { describe, expect, it } from 'vitest';
import { Network } from '../network.ts';
import { BuildError } from '../build-error.ts';
import { plan, pop, proj } from '../../test-support/test-plans.ts';
import { runtimeOf } from '../../kinds/index.ts';
import type { PlasticityRuntime, RuntimeOf } from '../runtime.ts';
import type { PlasticSynapses } from './types.ts';

/** A pre spike at 1 ms into one neuron; the wire is plastic under `rule`. */
function onePlasticWire(rule: string) {
  return plan({
    durationMs: 5,
    populations: [pop('pre', 'spike-generator', { size: 1, neurons: [0], times_ms: [1] }), pop('post', 'lif-delta', { size: 1 })],
    projections: [proj('w', 0, 1, { weight: 0.5, plasticity: { nodeId: 'rule-node', rule, params: {} } })],
  });
}

describe('plasticity rules are open', () => {
  it('runs a rule that only its own runtime declares: the engine calls its factory and its pathways', () => {
    const calls: string[] = [];
    // A rule that doubles a synapse's weight on every presynaptic spike (after delivering the old one).
    const doubling: PlasticityRuntime = {
      role: 'plasticity',
      bytesPerSynapse: 0,
      bytesPerNeuron: 0,
      create: (_params, csr, w) => {
        calls.push('create');
        const syn: PlasticSynapses = {
          csr,
          w,
          wMax: Infinity,
          learning: true,
          bytes: 0,
          pre: (_n, spikes, count) => {
            calls.push('pre');
            for (let s = 0; s < count; s++) for (let k = csr.rowPtr[spikes[s]]; k < csr.rowPtr[spikes[s] + 1]; k++) w[k] *= 2;
            return count;
          },
          post: () => 0,
        };
        return syn;
      },
    };
    const runtimes: RuntimeOf = (kind) => (kind === 'doubling' ? doubling : runtimeOf(kind));
    const net = new Network(onePlasticWire('doubling'), { runtimes });
    while (net.step < net.nSteps) net.advance();
    expect(calls).toEqual(['create', 'pre']);
    expect(net.plasticWeights()[0].w[0]).toBe(1);
  });

  it('refuses a plastic wire whose rule no kind declares, naming the node, instead of running pair STDP', () => {
    const build = () => new Network(onePlasticWire('no-such-rule'), { runtimes: runtimeOf });
    expect(build).toThrow(BuildError);
    expect(build).toThrow('Node "rule-node": "no-such-rule" is not a plasticity rule');
  });
});
