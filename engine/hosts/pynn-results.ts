/**
 * Reads what an exported PyNN script wrote (engine/interop/pynn/): `run.json`
 * and `<monitor>.<population>.spikes.csv` (`neuron,t_ms`), the layout of
 * `spikeflow run --out`, and summarises it like a Spikeflow run (Node host code).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';

/** One monitored population's spikes, on Spikeflow's step grid (step = round(t / dt)). */
export interface ImportedSpikes {
  readonly monitorId: string;
  readonly nodeId: string;
  readonly neuron: Int32Array;
  readonly step: Int32Array;
}

/** What the script's run.json says. */
export interface PyNNRunInfo {
  readonly simulator: string;
  readonly processes: number;
  readonly threads: number;
  readonly dt_ms: number;
  readonly duration_ms: number;
  readonly seed: number;
  readonly build_ms: number;
  readonly run_ms: number;
  readonly spike_files: readonly string[];
}

/** A population's figures from imported spikes (spikes, rate, mean CV of the ISIs). */
export interface ImportedPopulationStats {
  readonly nodeId: string;
  readonly kind: string;
  readonly size: number;
  readonly spikes: number;
  readonly rate_hz: number;
  /** Mean over neurons with ≥ 3 spikes of std(ISI)/mean(ISI) (ddof 0), MODELS.md §0; null when none has 3. */
  readonly cv_isi: number | null;
}

/** Parse a `neuron,t_ms` CSV into steps of `dtMs`; throws naming the file and line on a bad row. */
export function parseSpikeCsv(text: string, dtMs: number, file: string): { neuron: Int32Array; step: Int32Array } {
  const lines = text.split('\n');
  if (lines[0].trim() !== 'neuron,t_ms') throw new Error(`${file}: the first line must be "neuron,t_ms" (got ${JSON.stringify(lines[0].slice(0, 40))})`);
  const neuron: number[] = [];
  const step: number[] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k].trim();
    if (!line) continue;
    const [a, b] = line.split(',');
    const i = Number(a);
    const t = Number(b);
    if (!Number.isInteger(i) || i < 0 || !Number.isFinite(t) || t < 0) throw new Error(`${file}: line ${k + 1} is not "neuron,t_ms": ${JSON.stringify(line.slice(0, 60))}`);
    neuron.push(i);
    step.push(Math.round(t / dtMs));
  }
  return { neuron: Int32Array.from(neuron), step: Int32Array.from(step) };
}

/**
 * Read a PyNN run's folder for `plan`: its run.json and every spike file of a
 * spike monitor of the plan. Throws with the file's name when one is missing or bad.
 */
export async function readPyNNResults(dir: string, plan: NetworkPlan): Promise<{ info: PyNNRunInfo; spikes: ImportedSpikes[] }> {
  const runFile = path.join(dir, 'run.json');
  let info: PyNNRunInfo;
  try {
    info = JSON.parse(await readFile(runFile, 'utf8')) as PyNNRunInfo;
  } catch (e) {
    throw new Error(`${runFile}: ${(e as Error).message}`);
  }
  const spikes: ImportedSpikes[] = [];
  for (const m of plan.monitors) {
    if (m.kind !== 'spike-monitor') continue;
    for (const s of m.sources) {
      const nodeId = plan.populations[s].nodeId;
      const name = `${m.nodeId}.${nodeId}.spikes.csv`;
      if (!info.spike_files.includes(name)) continue;
      const file = path.join(dir, name);
      const parsed = parseSpikeCsv(await readFile(file, 'utf8'), plan.dtMs, file);
      spikes.push({ monitorId: m.nodeId, nodeId, ...parsed });
    }
  }
  return { info, spikes };
}

/** Mean CV(ISI) over neurons with at least 3 spikes (MODELS.md §0), or null. */
export function meanCvIsi(neuron: Int32Array, step: Int32Array, size: number): number | null {
  const times: number[][] = Array.from({ length: size }, () => []);
  for (let k = 0; k < neuron.length; k++) if (neuron[k] < size) times[neuron[k]].push(step[k]);
  let sum = 0;
  let count = 0;
  for (const t of times) {
    if (t.length < 3) continue;
    t.sort((a, b) => a - b);
    const isi = t.slice(1).map((x, k) => x - t[k]);
    const mean = isi.reduce((a, b) => a + b, 0) / isi.length;
    const sd = Math.sqrt(isi.reduce((a, b) => a + (b - mean) ** 2, 0) / isi.length);
    if (mean > 0) {
      sum += sd / mean;
      count++;
    }
  }
  return count ? sum / count : null;
}

/** Per recorded neuron population (first monitor that records it), its spikes, rate and CV(ISI). */
export function importedStats(plan: NetworkPlan, spikes: readonly ImportedSpikes[]): ImportedPopulationStats[] {
  const seconds = (plan.nSteps * plan.dtMs) / 1000;
  const seen = new Set<string>();
  const out: ImportedPopulationStats[] = [];
  for (const s of spikes) {
    const pop = plan.populations.find((p) => p.nodeId === s.nodeId);
    if (!pop || seen.has(s.nodeId) || runtimeOf(pop.kind)?.role !== 'neurons') continue;
    seen.add(s.nodeId);
    out.push({ nodeId: s.nodeId, kind: pop.kind, size: pop.size, spikes: s.neuron.length, rate_hz: s.neuron.length / (pop.size * seconds), cv_isi: meanCvIsi(s.neuron, s.step, pop.size) });
  }
  return out;
}
