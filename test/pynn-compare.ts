/**
 * Spike-for-spike comparison of a PyNN script's run with Spikeflow's engine,
 * shared by test/pynn-spikes.test.ts and test/pynn-per-neuron.test.ts: run a
 * command, read a results folder per node and neuron, and match spikes.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { NetworkPlan } from '../engine/core/plan.ts';
import { readPyNNResults } from '../engine/hosts/pynn-results.ts';

/** Runs `cmd` (in the temp folder); rejects with its error output. */
export function run(cmd: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd[0], cmd.slice(1), { cwd: tmpdir(), maxBuffer: 64e6, timeout: timeoutMs }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${cmd.join(' ')} failed: ${stderr || err.message}`)) : resolve(),
    );
  });
}

/**
 * Per population: spikes of each side, how many of Spikeflow's match a PyNN
 * spike of the same neuron at the same step, within one step, and the largest
 * shift of a match within `window` steps (each PyNN spike matched once).
 */
export function compare(ours: number[][], theirs: number[][], window = 10): { spikeflow: number; pynn: number; exact: number; withinOne: number; unmatched: number; maxShift: number } {
  let exact = 0;
  let withinOne = 0;
  let unmatched = 0;
  let maxShift = 0;
  ours.forEach((steps, i) => {
    const left = [...(theirs[i] ?? [])];
    for (const s of steps) {
      let best = -1;
      for (let k = 0; k < left.length; k++) if (Math.abs(left[k] - s) <= window && (best < 0 || Math.abs(left[k] - s) < Math.abs(left[best] - s))) best = k;
      if (best < 0) {
        unmatched++;
        continue;
      }
      const d = Math.abs(left[best] - s);
      if (d === 0) exact++;
      if (d <= 1) withinOne++;
      maxShift = Math.max(maxShift, d);
      left.splice(best, 1);
    }
  });
  return { spikeflow: ours.flat().length, pynn: theirs.flat().length, exact, withinOne, unmatched, maxShift };
}

/** Spikes per node and neuron (steps), read from a results folder: `spikeflow run --out`'s or the PyNN script's (one layout). */
export async function spikesByNode(out: string, plan: NetworkPlan): Promise<Record<string, number[][]>> {
  const r = await readPyNNResults(out, plan);
  const res: Record<string, number[][]> = {};
  for (const s of r.spikes) {
    res[s.nodeId] = Array.from({ length: plan.populations.find((p) => p.nodeId === s.nodeId)!.size }, () => []);
    s.neuron.forEach((n, k) => res[s.nodeId][n].push(s.step[k]));
  }
  return res;
}
