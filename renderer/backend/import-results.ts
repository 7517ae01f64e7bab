/**
 * File › Import results: recorded data from a script run elsewhere (a cluster) in
 * the `spikeflow run --out` layout the exported PyNN script writes: `run.json` and
 * `<monitor>.<population>.spikes.csv` (`neuron,t_ms`). Read for the open document,
 * whose monitors and populations the file names must match.
 */
import type { NetworkPlan } from '../../engine/core/plan.ts';
import { parseSpikeCsv } from '../../engine/sim/csv.ts';
import type { ExternalRunInfo, ExternalSpikes } from '../../electron/backend-api.ts';
import { externalLabel, type ExternalRun } from './external-run.ts';

/** File name (no folder) → text. */
export type ResultFiles = ReadonlyMap<string, string>;

const num = (...xs: unknown[]): number => {
  const x = xs.find((v) => typeof v === 'number' && Number.isFinite(v));
  return typeof x === 'number' ? x : 0;
};

/**
 * The run in `files` for `plan`. Throws, naming the file (and line), when run.json
 * is missing or unreadable, its time step is not the document's, a spike file it
 * lists is missing or bad, or none of the files belongs to the document's monitors.
 */
export function importedRun(plan: NetworkPlan, files: ResultFiles): ExternalRun {
  const runText = files.get('run.json');
  if (runText === undefined) throw new Error('run.json is missing: choose the run.json and the .spikes.csv files of one results folder');
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(runText) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`run.json: ${(e as Error).message}`);
  }
  if (typeof j !== 'object' || j === null) throw new Error('run.json: not a JSON object');
  const stats = (typeof j.stats === 'object' && j.stats !== null ? j.stats : {}) as Record<string, unknown>;
  const dt = num(j.dt_ms, stats.dt_ms);
  if (dt > 0 && Math.abs(dt - plan.dtMs) > 1e-9 * plan.dtMs) throw new Error(`run.json: its time step (${dt} ms) is not the document's (${plan.dtMs} ms)`);
  const simulator = [j.simulator, stats.simulator, stats.backend, j.backend].find((s): s is string => typeof s === 'string' && s !== '') ?? '';
  const info: ExternalRunInfo = {
    simulator,
    processes: num(j.processes, stats.processes) || 1,
    threads: num(j.threads, stats.threads) || 1,
    build_ms: num(j.build_ms, stats.build_ms),
    run_ms: num(j.run_ms, stats.run_ms),
  };
  const listed = Array.isArray(j.spike_files) ? j.spike_files.filter((f): f is string => typeof f === 'string') : [];
  for (const f of listed) if (!files.has(f)) throw new Error(`${f} is missing: run.json lists it`);
  const spikes: ExternalSpikes[] = [];
  for (const m of plan.monitors)
    for (const s of m.sources) {
      const nodeId = plan.populations[s].nodeId;
      const name = `${m.nodeId}.${nodeId}.spikes.csv`;
      const text = files.get(name);
      if (text === undefined) continue;
      // A header alone: a population that did not spike.
      if (text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).length <= 1 && /neuron/i.test(text)) {
        spikes.push({ monitorId: m.nodeId, nodeId, neuron: [], step: [] });
        continue;
      }
      const r = parseSpikeCsv(text);
      if (!r.ok) throw new Error(`${name}: line ${r.line}: ${r.error}`);
      spikes.push({ monitorId: m.nodeId, nodeId, neuron: r.neurons, step: r.times_ms.map((t) => Math.round(t / plan.dtMs)) });
    }
  const strays = [...files.keys()].filter((f) => f.endsWith('.spikes.csv') && !spikes.some((s) => `${s.monitorId}.${s.nodeId}.spikes.csv` === f));
  if (strays.length) throw new Error(`${strays[0]} belongs to no spike monitor of this document (expected <monitor>.<population>.spikes.csv)`);
  if (!spikes.length) throw new Error("none of the files is a spike file of this document's monitors (<monitor>.<population>.spikes.csv)");
  const label = simulator ? `${externalLabel(info)}, imported` : 'imported';
  return { label, info, spikes };
}
