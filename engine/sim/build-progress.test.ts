import { describe, it, expect } from 'vitest';
import { Network, BuildCancelled } from './network.ts';
import { plan, pop, proj } from '../test-support/test-plans.ts';
import { runtimeOf } from '../kinds/index.ts';
import { SYNAPSES_PER_YIELD } from './connect.ts';

/** 30 000 lif-delta neurons, one fixed-in-degree projection of 100 per neuron: 3 M synapses. */
function bigPlan() {
  return plan({
    durationMs: 1,
    populations: [pop('a', 'lif-delta', { size: 30_000 })],
    projections: [proj('e', 0, 0, { rule: 'fixed-in-degree', n: 100, weight: 0.1, delayMs: 1.5 })],
  });
}

describe('building a large projection', () => {
  it('reports progress and lets the host in about every 2^20 synapses within the projection', async () => {
    const reports: { done: number; total: number; phase: string }[] = [];
    let pauses = 0;
    const net = await Network.build(
      bigPlan(),
      { runtimes: runtimeOf, progress: (done, total, phase) => reports.push({ done, total, phase }) },
      async () => {
        pauses++;
      },
      () => false,
    );
    expect(net.synapses).toBe(3_000_000);
    const total = 30_000 + 3_000_000;
    expect(reports.every((r) => r.total === total)).toBe(true);
    // Inside the projection: between its start (30 000 neurons done) and its end.
    const inside = reports.filter((r) => r.phase === 'synapses' && r.done > 30_000 && r.done < total);
    expect(inside.length).toBeGreaterThanOrEqual(Math.floor(3_000_000 / SYNAPSES_PER_YIELD));
    for (let q = 1; q < inside.length; q++) expect(inside[q].done).toBeGreaterThan(inside[q - 1].done);
    // A pause after the populations, after each report inside the projection, and after the projection.
    expect(pauses).toBeGreaterThanOrEqual(inside.length + 2);
    expect(pauses).toBeLessThanOrEqual(inside.length + 3);
    expect(reports.at(-1)).toEqual({ done: total, total, phase: 'done' });
  });

  it('stops within the projection when the host cancels there, and a build drawn in pieces is the one drawn straight', async () => {
    let pauses = 0;
    let lastDone = 0;
    const build = Network.build(
      bigPlan(),
      { runtimes: runtimeOf, progress: (done) => (lastDone = done) },
      async () => {
        pauses++;
      },
      // Cancel at the second pause: the first piece of the projection is drawn, not the rest.
      () => pauses === 2,
    );
    await expect(build).rejects.toBeInstanceOf(BuildCancelled);
    expect(lastDone).toBeGreaterThan(30_000);
    expect(lastDone).toBeLessThan(30_000 + 3_000_000);

    const pieces = await Network.build(
      bigPlan(),
      { runtimes: runtimeOf },
      async () => {},
      () => false,
    );
    const straight = new Network(bigPlan(), { runtimes: runtimeOf });
    expect(
      Buffer.from(pieces.projections[0].csr!.col.buffer, pieces.projections[0].csr!.col.byteOffset, pieces.projections[0].csr!.col.byteLength).equals(
        Buffer.from(straight.projections[0].csr!.col.buffer, straight.projections[0].csr!.col.byteOffset, straight.projections[0].csr!.col.byteLength),
      ),
    ).toBe(true);
    expect([...pieces.projections[0].csr!.rowPtr]).toEqual([...straight.projections[0].csr!.rowPtr]);
  });
});
