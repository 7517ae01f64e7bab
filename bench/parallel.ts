/**
 * `npm run bench:parallel`: the multi-core speed-up (engine/sim/parallel).
 *
 *   npx tsx bench/parallel.ts [--models brunel,brunel-x4,scale] [--threads 1,2]
 *                             [--duration-ms 1000] [--repeats 3] [--profile [--no-read-ahead] [--no-window]] [--json]
 *
 * Runs our CLI in a fresh process per measurement, `--threads N` for each N,
 * alternating the thread counts within each repeat so machine noise hits all
 * of them; reports the median run time per count and the speed-up over the
 * first count, and checks that every count gave the same spikes and events.
 * `scale` is the bench's 1 M-neuron / 100 M-synapse case (variants.ts `SCALE_SPEC`).
 *
 * `--profile` runs in this process instead (./parallel-profile.ts): every
 * thread times each step, and the report gives the critical path — what the
 * split predicts on an idle machine — beside the measured times.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { childFailure, lastJsonLine, repoRoot, runChild, tailLines } from './child.ts';
import { brunelScaleDocument, SCALE_SPEC } from './variants.ts';
import { serializeDocument } from '../engine/format/load.ts';
import { profileParallel } from './parallel-profile.ts';

/** The models: an example file, or `scale`, the bench's 1 M-neuron case (written to a temporary file). */
export const MODELS: Record<string, string> = {
  brunel: 'examples/brunel.spikeflow.json',
  'brunel-x4': 'examples/brunel-x4.spikeflow.json',
  cuba: 'examples/cuba.spikeflow.json',
  coba: 'examples/coba.spikeflow.json',
  scale: '',
};

/** The file of `model` (the scale case is written to a temporary folder first). */
export async function modelFile(model: string): Promise<string> {
  if (MODELS[model]) return MODELS[model];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spikeflow-parallel-'));
  const file = path.join(dir, 'scale.spikeflow.json');
  await writeFile(file, serializeDocument(brunelScaleDocument(SCALE_SPEC)));
  return file;
}

export interface ParallelOptions {
  readonly models: readonly string[];
  readonly threads: readonly number[];
  readonly durationMs: number;
  readonly repeats: number;
  readonly json: boolean;
  /** Time every thread's steps in this process and report the critical path (./parallel-profile.ts). */
  readonly profile?: boolean;
  /** With `profile`: the shards deliver without reading their rows ahead (`Shard.deliverSpikes`), to compare. */
  readonly noReadAhead?: boolean;
  /** With `profile`: a barrier per step even where the run could be windowed (`ParallelNetwork.lag`), to compare. */
  readonly noWindow?: boolean;
}

export function parseParallelArgs(argv: readonly string[]): ParallelOptions {
  let models = ['brunel', 'brunel-x4'];
  let threads = [1, 2];
  let durationMs = 1000;
  let repeats = 3;
  let json = false;
  let profile = false;
  let noReadAhead = false;
  let noWindow = false;
  const list = (flag: string, v: string | undefined) => {
    if (!v) throw new Error(`${flag} needs a comma-separated list`);
    return v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  };
  const whole = (flag: string, v: string | undefined, min: number) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new Error(`${flag} needs a whole number ≥ ${min} (got ${v ?? 'nothing'})`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--models') models = list(a, argv[++i]);
    else if (a === '--threads') threads = list(a, argv[++i]).map((x) => whole(a, x, 1));
    else if (a === '--duration-ms') durationMs = whole(a, argv[++i], 1);
    else if (a === '--repeats') repeats = whole(a, argv[++i], 1);
    else if (a === '--json') json = true;
    else if (a === '--profile') profile = true;
    else if (a === '--no-read-ahead') noReadAhead = true;
    else if (a === '--no-window') noWindow = true;
    else throw new Error(`unknown option ${a}`);
  }
  for (const m of models) if (!(m in MODELS)) throw new Error(`unknown model ${m} (known: ${Object.keys(MODELS).join(', ')})`);
  if ((noReadAhead || noWindow) && !profile) throw new Error('--no-read-ahead and --no-window need --profile (the CLI runs read ahead and windowed)');
  return { models, threads, durationMs, repeats, json, profile, noReadAhead, noWindow };
}

interface Measured {
  readonly threads: number;
  readonly runMs: number;
  readonly buildMs: number;
  readonly spikes: number;
  readonly events: number;
  readonly threadsUsed: number;
}

export interface ParallelRow {
  readonly model: string;
  readonly threads: number;
  /** Biological time simulated per run, ms (results before session 14 lack it: 1000). */
  readonly duration_ms?: number;
  readonly runs: number;
  readonly median_run_s: number;
  readonly median_build_s: number;
  readonly speedup: number;
  /** Same spikes and synaptic events as the first thread count, in every run. */
  readonly identical: boolean;
  /** With `--profile` (./parallel-profile.ts): the first count's critical path over this one's. */
  readonly predicted_speedup?: number;
  /** With `--profile`: Σ over steps of the slowest thread's busy time, seconds. */
  readonly critical_path_s?: number;
  /** With `--profile`: Σ over steps and threads of the busy time, seconds. */
  readonly work_s?: number;
  /** With `--profile`: the busiest thread's busy time, Σ over blocks of steps of the least over repeats, seconds (./parallel-profile.ts `blockBusy`). */
  readonly busiest_thread_s?: number;
  /** With `--profile`: the first count's busiest thread over this one's: the speed-up with free synchronisation, for windowed runs too. */
  readonly predicted_whole_run_speedup?: number;
  /** With `--profile`: the run's window in steps (`ParallelNetwork.lag`; 0: a barrier per step). */
  readonly lag?: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function measure(root: string, file: string, threads: number, durationMs: number): Promise<Measured> {
  const r = await runChild(process.execPath, ['bin/spikeflow.mjs', 'run', file, '--duration-ms', String(durationMs), '--threads', String(threads), '--json'], { cwd: root, timeoutS: 1800 });
  const failure = childFailure(r, 1800);
  const j = lastJsonLine(r.stdout);
  if (failure || !j) throw new Error(`${file} --threads ${threads}: ${failure ?? tailLines(r.stderr || r.stdout, 4)}`);
  return {
    threads,
    runMs: Number(j.run_ms),
    buildMs: Number(j.build_ms),
    spikes: Number(j.spikes),
    events: Number(j.synaptic_events),
    threadsUsed: Number(j.threads ?? 1),
  };
}

export async function benchParallel(o: ParallelOptions, log: (s: string) => void): Promise<ParallelRow[]> {
  const root = repoRoot();
  const rows: ParallelRow[] = [];
  log(`parallel: ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; ${o.durationMs} ms simulated, ${o.repeats} repeats, threads ${o.threads.join(' vs ')}`);
  for (const model of o.models) {
    const file = await modelFile(model);
    const runs = new Map<number, Measured[]>(o.threads.map((t) => [t, []]));
    for (let r = 0; r < o.repeats; r++) {
      // Alternate the order, so neither count always runs first.
      const order = r % 2 ? [...o.threads].reverse() : o.threads;
      for (const t of order) runs.get(t)!.push(await measure(root, file, t, o.durationMs));
    }
    const first = runs.get(o.threads[0])!;
    const base = median(first.map((m) => m.runMs));
    for (const t of o.threads) {
      const ms = runs.get(t)!;
      if (ms.some((m) => m.threadsUsed !== t)) log(`  ${model}: asked for ${t} threads, the engine used ${ms[0].threadsUsed}`);
      const row: ParallelRow = {
        model,
        threads: t,
        duration_ms: o.durationMs,
        runs: ms.length,
        median_run_s: median(ms.map((m) => m.runMs)) / 1000,
        median_build_s: median(ms.map((m) => m.buildMs)) / 1000,
        speedup: base / median(ms.map((m) => m.runMs)),
        identical: ms.every((m) => m.spikes === first[0].spikes && m.events === first[0].events),
      };
      rows.push(row);
      log(
        `  ${model.padEnd(10)} threads ${String(t).padStart(2)}  run ${row.median_run_s.toFixed(3)} s  build ${row.median_build_s.toFixed(3)} s  ` +
          `speed-up ${row.speedup.toFixed(2)}×  ${row.identical ? 'same spikes' : 'SPIKES DIFFER'}`,
      );
    }
  }
  log(`parallel: load at the end ${os.loadavg()[0].toFixed(1)}`);
  return rows;
}

const isMain = process.argv[1]?.endsWith('parallel.ts');
if (isMain) {
  try {
    const o = parseParallelArgs(process.argv.slice(2));
    const log = o.json ? () => {} : (s: string) => process.stdout.write(s + '\n');
    const rows = o.profile ? await profileParallel(o, log) : await benchParallel(o, log);
    if (o.json) process.stdout.write(JSON.stringify({ cores: os.cpus().length, rows }) + '\n');
    process.exitCode = rows.every((r) => r.identical) ? 0 : 1;
  } catch (e) {
    process.stderr.write(`bench/parallel: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
