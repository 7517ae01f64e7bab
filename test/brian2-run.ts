/**
 * Shared by the Brian2 tests that compare an exported script with the engine:
 * the engine's spikes per node, and the script run by /usr/bin/python3 with
 * its side `.npz`, its `--json` spikes parsed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runtimeOf } from '../engine/kinds/index.ts';
import { Network } from '../engine/sim/network.ts';
import type { exportBrian2 } from '../engine/interop/brian2/index.ts';
import { npzChunks } from '../engine/format/npz-stream.ts';
import type { NetworkPlan } from '../engine/core/plan.ts';
import { PYTHON } from './require-tool.ts';

/** Spikeflow's spikes per node id, each as `step:neuron`, in the engine's order. */
export function engineSpikes(p: NetworkPlan): Record<string, string[]> {
  const net = new Network(p, { runtimes: runtimeOf });
  const out: Record<string, string[]> = {};
  for (const x of p.populations) out[x.nodeId] = [];
  while (net.step < net.nSteps) {
    net.advance();
    for (const pop of net.pops) for (let s = 0; s < pop.count; s++) out[pop.nodeId].push(`${net.step - 1}:${pop.spikes[s]}`);
  }
  return out;
}

/** Writes the export (script and `.npz`) into a temp folder, runs it with `--json`, and returns its spikes per node id. */
export async function runBrian2Export(out: ReturnType<typeof exportBrian2>, prefix: string): Promise<Record<string, { i: number[]; step: number[] }>> {
  return (await runBrian2Json(out, prefix)).spikes as Record<string, { i: number[]; step: number[] }>;
}

/** {@link runBrian2Export}'s whole `--json` output (`spikes`, and `states` per `monitor/node`). */
export async function runBrian2Json(out: ReturnType<typeof exportBrian2>, prefix: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(dir, 'net.py'), out.script);
  writeFileSync(path.join(dir, 'net.npz'), Buffer.concat([...npzChunks(out.arrays)]));
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(PYTHON, [path.join(dir, 'net.py'), '--json'], { maxBuffer: 64e6, timeout: 300_000 }, (err, so, se) => (err ? reject(new Error(se || err.message)) : resolve(so))),
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
