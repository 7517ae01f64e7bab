import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { traceRun } from '../test-support/test-trace.ts';
import { setWasmKernelsEnabled, wasmKernels } from './wasm-kernels.ts';
import { loadDocument } from '../format/load.ts';
import { compileDocument } from '../compile/compile.ts';
import type { NetworkPlan } from '../core/plan.ts';

afterEach(() => {
  setWasmKernelsEnabled(true);
});

function trace(p: NetworkPlan, wasm: boolean, vars: readonly string[]): ReturnType<typeof traceRun> {
  return traceRun(p, wasm, vars);
}

function example(file: string, durationMs: number): NetworkPlan {
  const loaded = loadDocument(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error(`cannot load ${file}`);
  const compiled = compileDocument(loaded.doc, { durationMs });
  if (!compiled.ok) throw new Error(`cannot compile ${file}`);
  return compiled.plan;
}

/** Poisson input on both receptors and a DC step current that starts and stops mid-run. */
function driven(kind: string, extra: Record<string, unknown>): NetworkPlan {
  return plan({
    durationMs: 200,
    populations: [pop('in', 'poisson-source', { size: 40 }), pop('n', kind, { size: 61, ...extra }), pop('dc', 'dc-current', { amplitude_pa: 300, start_ms: 50, stop_ms: 120 })],
    projections: [
      proj('e', 0, 1, { rule: 'bernoulli', p: 0.3, weight: kind === 'lif-curr-exp' ? 2 : 0.5, receptor: 'exc' }),
      proj('i', 0, 1, { rule: 'bernoulli', p: 0.2, weight: kind === 'lif-curr-exp' ? 3 : 2, receptor: 'inh' }),
    ],
    injections: [{ edgeId: 'c', source: 2, target: 1, targetPort: 'current' }],
  });
}

describe('wasm LIF kernels', () => {
  it('are available in Node, so the comparisons below exercise them', () => {
    expect(wasmKernels(1000)).not.toBeNull();
  });

  it('give CUBA the same spikes and the same state bits as the JS loops', () => {
    const p = example('cuba.spikeflow.json', 300);
    const js = trace(p, false, ['v', 'i_exc', 'i_inh']);
    const wasm = trace(p, true, ['v', 'i_exc', 'i_inh']);
    expect(js.spikes.flat().length).toBeGreaterThan(2 * 300 * 10);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.state).toEqual(js.state);
  });

  it("deliver CUBA's and COBA's zero-delay projections in wasm, into the currents and conductances the groups keep in the network's memory", () => {
    for (const [file, vars] of [
      ['cuba.spikeflow.json', ['i_exc', 'i_inh']],
      ['coba.spikeflow.json', ['g_exc', 'g_inh']],
    ] as const) {
      const { net } = trace(example(file, 1), true, ['v']);
      // Four static projections (exc/inh onto exc/inh), every one through the wasm kernels.
      expect(net.fastPaths().wasmProjections).toBe(4);
      // The rings are the groups' own variables, all in the one memory of the delivery kernels.
      expect(net.rings.map((r) => r.alias)).toEqual([true, true, true, true]);
      for (const { group } of net.groups) for (const id of ['v', ...vars]) expect(group.stateVar(id)!.buffer).toBe(net.rings[0].buf.buffer);
    }
  });

  it.each([
    ['lif-curr-exp', 62, ['v', 'i_exc', 'i_inh']],
    ['lif-curr-exp', 63, ['v', 'i_exc', 'i_inh']],
    ['lif-curr-exp', 2, ['v', 'i_exc', 'i_inh']],
    ['lif-cond-exp', 62, ['v', 'g_exc', 'g_inh']],
    ['lif-cond-exp', 3, ['v', 'g_exc', 'g_inh']],
  ] as const)('match the JS loop for a %s group of %i neurons (a last pair or a last odd neuron after the turns of four)', (kind, size, vars) => {
    const p = driven(kind, { v_init_mv: { dist: 'uniform', low: -60, high: -50 } });
    const sized = { ...p, populations: p.populations.map((q, k) => (k === 1 ? { ...q, size } : q)) };
    const js = trace(sized, false, vars);
    const wasm = trace(sized, true, vars);
    expect(js.spikes.filter((s) => s.length > 1).length).toBeGreaterThan(0);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.state).toEqual(js.state);
  });

  it('give COBA the same spikes and the same state bits as the JS loops', () => {
    const p = example('coba.spikeflow.json', 300);
    const js = trace(p, false, ['v', 'g_exc', 'g_inh']);
    const wasm = trace(p, true, ['v', 'g_exc', 'g_inh']);
    expect(js.spikes.flat().length).toBeGreaterThan(2 * 300 * 10);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.state).toEqual(js.state);
  });

  it.each([
    ['lif-curr-exp', { v_init_mv: { dist: 'uniform', low: -60, high: -50 } }, ['v', 'i_exc', 'i_inh']],
    ['lif-cond-exp', { v_init_mv: { dist: 'uniform', low: -60, high: -50 } }, ['v', 'g_exc', 'g_inh']],
  ] as const)('match the JS loop for %s with an injected current switching on and off, odd group size included', (kind, extra, vars) => {
    const p = driven(kind, extra);
    const js = trace(p, false, vars);
    const wasm = trace(p, true, vars);
    // The current must make the group fire, or the injected branch would go untested.
    const during = js.spikes.filter((s) => s[0] >= 500 && s[0] < 1200 && s.length > 1).length;
    expect(during).toBeGreaterThan(0);
    expect(wasm.spikes).toEqual(js.spikes);
    expect(wasm.state).toEqual(js.state);
  });
});
