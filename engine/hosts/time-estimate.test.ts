import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { main } from './cli.ts';
import { estimateMemory } from '../sim/network.ts';
import { runtimeOf } from '../kinds/index.ts';
import { ROOT, loadExample, planOf } from '../../test/helpers.ts';
import { estimateWallSeconds } from './time-estimate.ts';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const brunel = path.join(ROOT, 'examples/brunel.spikeflow.json');
const poissonEi = path.join(ROOT, 'examples/poisson-ei.spikeflow.json');

describe('the wall-time estimate', () => {
  it('is steps × (20 µs + 20 ns per neuron + 0.03 ns per synapse): Brunel, 10 000 steps of 3 125 neurons and 3 906 250 synapses, is 2.0 s', () => {
    const plan = planOf(loadExample('brunel.spikeflow.json'));
    const synapses = estimateMemory(plan, runtimeOf).synapses;
    expect(plan.nSteps).toBe(10_000);
    expect(synapses).toBe(3_906_250);
    // 10 000 × (20 + 62.5 + 117.1875) µs
    expect(estimateWallSeconds(plan, synapses)).toBeCloseTo(1.996875, 9);
  });

  it('validate --json reports it beside the memory estimate', async () => {
    const r = await cli(['validate', '--json', brunel]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ valid: true, nodes: 4, wires: 8 });
    expect(v.estimate.wall_s).toBeCloseTo(1.996875, 9);
    expect(v.estimate.memory_bytes).toBe(estimateMemory(planOf(loadExample('brunel.spikeflow.json')), runtimeOf).bytes);
  });

  it('run refuses only past --max-minutes, naming the estimate, the limit and the fields to change; run --json reports it', async () => {
    const refused = await cli(['run', brunel, '--max-minutes', '0.01']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('would take about 2.0 s (a rough bound), more than --max-minutes 0.01');
    expect(refused.err).toContain('simulation.duration_ms (1000 ms)');
    expect(refused.err).toContain('simulation.dt_ms (0.1 ms)');
    // A shorter run fits the same limit: 50 ms of Brunel is 0.1 s.
    const short = await cli(['run', brunel, '--duration-ms', '50', '--threads', '1', '--max-minutes', '0.01', '--json']);
    expect(short.code).toBe(0);
    expect(JSON.parse(short.out).estimate.wall_s).toBeCloseTo(500 * 199.6875e-6, 9);
    // Without a limit nothing is refused.
    const free = await cli(['run', poissonEi, '--duration-ms', '20', '--json']);
    expect(free.code).toBe(0);
    expect(JSON.parse(free.out).estimate.wall_s).toBeGreaterThan(0);
    expect((await cli(['run', poissonEi, '--max-minutes', '0'])).err).toContain('--max-minutes must be > 0');
  });
});
