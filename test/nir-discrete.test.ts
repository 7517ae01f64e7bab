/**
 * An imported NIR graph, run by Spikeflow, against the reference discrete implementation
 * (../shared/oracles/nir-discrete/nir_reference_impl.py: forward Euler, reset by subtracting
 * the threshold), through test/nir/nir_discrete.py. The graph is Input(N) → Linear (a seeded
 * dense matrix) → CubaLIF or LIF → Output, written with writeNir, imported as the CLI and the
 * app import it (importNirGraph: per-step input, so forward Euler, reset by subtraction since
 * every v_reset is 0, same-step delivery), fed the same seeded input spikes. CubaLIF, LIF and
 * IF must match spike for spike in the same step. LIF and IF have no reference class;
 * nir_discrete.py applies the same scheme to them: V sees a step's input in that step, before
 * the threshold, which the import's same-step delivery gives (engine/sim/schedule.ts
 * `stepInGraphOrder`). Without it (Brian2's order) lif-delta in Euler mode adds a step's input
 * in the next update: the reference's spikes, every one, exactly one step later.
 *
 * Python, h5py, numpy or the reference missing: under CI=true this fails; elsewhere it is skipped loudly.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNir } from '../engine/interop/nir/hdf5.ts';
import { filled, ints, nirGraph, nirNode, tensor } from '../engine/interop/nir/model.ts';
import type { NirNode } from '../engine/interop/nir/model.ts';
import { importDefaults, importNirGraph } from '../engine/interop/nir/convert.ts';
import { spikesOf } from './nir/run.ts';
import { hasPythonModules, PYTHON, requireTool } from './require-tool.ts';
import { ROOT } from './helpers.ts';

const SHARED = path.join(ROOT, '..', 'shared', 'oracles');
const NIR_PACKAGE = process.env.SPIKEFLOW_NIR_REFERENCE ?? path.join(SHARED, 'nir');
const DISCRETE = path.join(SHARED, 'nir-discrete');
const run =
  requireTool('Python 3 with h5py and numpy', hasPythonModules('h5py', 'numpy'), 'apt-get install -y python3-h5py python3-numpy') &&
  requireTool(
    `the NIR reference package and discrete implementation (${SHARED})`,
    existsSync(path.join(NIR_PACKAGE, 'nir', 'serialization.py')) && existsSync(path.join(DISCRETE, 'nir_reference_impl.py')),
    'the checkout needs ../shared beside it (as CI has)',
  );

const N_IN = 4;
const N = 5;
const DT_S = 1e-4;
const STEPS = 3000;

/** A seeded LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** Input spikes [step, channel], about 150 Hz per channel, from step 10. */
function inputSpikes(seed: number): [number, number][] {
  const next = lcg(seed);
  const out: [number, number][] = [];
  for (let step = 10; step < STEPS; step++) for (let ch = 0; ch < N_IN; ch++) if (next() < 0.015) out.push([step, ch]);
  return out;
}

async function compare(neuron: NirNode, weightScale: number, seed: number, sameStep = true) {
  const next = lcg(seed + 1);
  // One weight for the whole matrix: today's import needs a uniform Linear (all-to-all).
  const w = weightScale * (0.5 + next());
  const graph = nirGraph(
    [
      ['input', nirNode('Input', { shape: ints([N_IN]) })],
      ['w', nirNode('Linear', { weight: tensor(new Array(N * N_IN).fill(w), [N, N_IN]) })],
      ['pop', neuron],
      ['output', nirNode('Output', { shape: ints([N]) })],
    ],
    [
      ['input', 'w'],
      ['w', 'pop'],
      ['pop', 'output'],
    ],
    { dt: filled([], DT_S) },
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'spikeflow-nir-discrete-'));
  const file = path.join(dir, 'net.nir');
  writeFileSync(file, await writeNir(graph));
  const input = inputSpikes(seed);
  const reference = JSON.parse(
    execFileSync(PYTHON, [path.join(ROOT, 'test', 'nir', 'nir_discrete.py')], {
      env: { ...process.env, PYTHONPATH: `${NIR_PACKAGE}:${DISCRETE}`, PYTHONDONTWRITEBYTECODE: '1' },
      input: JSON.stringify({ file, dt: DT_S, steps: STEPS, input }),
      encoding: 'utf8',
      timeout: 120_000,
    }),
  ) as [number, number][];
  const defaults = importDefaults(graph);
  expect(defaults).toMatchObject({ timeUnit: 's', reset: 'subtract', dtMs: 0.1 });
  const imported = await importNirGraph(graph, defaults);
  expect(imported.notImported).toEqual([]);
  const doc = imported.doc;
  if (!sameStep) delete doc.simulation.same_step_delivery;
  doc.simulation.duration_ms = STEPS * 0.1;
  const gen = doc.nodes.find((n) => n.id === 'input');
  if (!gen) throw new Error('no input');
  gen.params.neurons = input.map(([, ch]) => ch);
  gen.params.times_ms = input.map(([step]) => Number((step * 0.1).toFixed(6)));
  const ours = spikesOf(doc)
    .filter((l) => l.startsWith('pop '))
    .map((l) => l.split(' ').slice(1).map(Number) as [number, number]);
  return { ours, reference, doc };
}

const key = ([n, t]: [number, number]) => `${n}@${t}`;

describe.runIf(run)('an imported NIR graph against the reference discrete implementation', () => {
  it('CubaLIF: the same spikes, spike for spike', async () => {
    const p = (v: number) => filled([N], v);
    const neuron = nirNode('CubaLIF', { tau_syn: p(0.005), tau_mem: p(0.01), r: p(2), v_leak: p(0), v_threshold: p(1), v_reset: p(0), w_in: p(1.5) });
    const { ours, reference } = await compare(neuron, 25, 3);
    expect(reference.length, 'the reference must spike enough to compare').toBeGreaterThanOrEqual(20);
    expect(ours.map(key)).toEqual(reference.map(key));
    process.stdout.write(`NIR discrete reference, CubaLIF: ${ours.length} of ${reference.length} spikes in the identical step\n`);
  });

  it('LIF: the same spikes, spike for spike, in the same step (same-step delivery: the input of a step enters V before its threshold)', async () => {
    const p = (v: number) => filled([N], v);
    const neuron = nirNode('LIF', { tau: p(0.01), r: p(1), v_leak: p(0), v_threshold: p(1), v_reset: p(0) });
    const { ours, reference, doc } = await compare(neuron, 40, 5);
    expect(doc.simulation.same_step_delivery).toBe(true);
    expect(reference.length, 'the reference must spike enough to compare').toBeGreaterThanOrEqual(20);
    expect(ours.map(key)).toEqual(reference.map(key));
    process.stdout.write(`NIR discrete reference, LIF: ${ours.length} of ${reference.length} spikes in the identical step\n`);
  });

  it('LIF without same-step delivery (Brian2 order): the same spikes, each exactly one step after the reference', async () => {
    const p = (v: number) => filled([N], v);
    const neuron = nirNode('LIF', { tau: p(0.01), r: p(1), v_leak: p(0), v_threshold: p(1), v_reset: p(0) });
    const { ours, reference } = await compare(neuron, 40, 5, false);
    expect(reference.length).toBeGreaterThanOrEqual(20);
    expect(ours.map(([n, t]) => key([n, t - 1]))).toEqual(reference.map(key));
  });

  it('IF: the same spikes, spike for spike, in the same step', async () => {
    const p = (v: number) => filled([N], v);
    const neuron = nirNode('IF', { r: p(1.5), v_threshold: p(1), v_reset: p(0) });
    const { ours, reference } = await compare(neuron, 1000, 7);
    expect(reference.length, 'the reference must spike enough to compare').toBeGreaterThanOrEqual(20);
    expect(ours.map(key)).toEqual(reference.map(key));
    process.stdout.write(`NIR discrete reference, IF: ${ours.length} of ${reference.length} spikes in the identical step\n`);
  });
});
