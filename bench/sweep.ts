/**
 * `npm run bench:sweep`: a parameter sweep's throughput (issue 16).
 *
 *   npx tsx bench/sweep.ts [--model cuba] [--points 100] [--duration-ms 1000]
 *                          [--jobs N] [--one-by-one N] [--json]
 *
 * Runs `spikeflow sweep FILE --set simulation.seed=1:P:1` (P points: the same
 * network with P seeds, so every point costs about the same) on --jobs engines
 * (default: every core), then the first --one-by-one of those points (default:
 * all) one at a time as `spikeflow run FILE --seed k --json`, each a fresh
 * process, as a user would without sweeps; prints points per second both ways,
 * the ratio, and whether the sweep finished 100 points of 1 s under a minute
 * (the target; "n/a" for other sizes). It checks that the sweep and the
 * single runs gave the same spikes for the same seeds.
 *
 * Measure on an idle machine: both sides are wall clock.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { childFailure, lastJsonLine, repoRoot, runChild, tailLines } from './child.ts';

const MODELS: Record<string, string> = {
  cuba: 'examples/cuba.spikeflow.json',
  coba: 'examples/coba.spikeflow.json',
  'poisson-ei': 'examples/poisson-ei.spikeflow.json',
};

export interface SweepBenchOptions {
  readonly model: string;
  readonly points: number;
  readonly durationMs: number;
  readonly jobs: number;
  readonly oneByOne: number;
  readonly json: boolean;
}

export function parseSweepBenchArgs(argv: readonly string[]): SweepBenchOptions {
  let model = 'cuba';
  let points = 100;
  let durationMs = 1000;
  let jobs = os.availableParallelism();
  let oneByOne: number | undefined;
  let json = false;
  const whole = (flag: string, v: string | undefined) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new Error(`${flag} needs a whole number ≥ 1 (got ${v ?? 'nothing'})`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--model') model = argv[++i] ?? '';
    else if (a === '--points') points = whole(a, argv[++i]);
    else if (a === '--duration-ms') durationMs = whole(a, argv[++i]);
    else if (a === '--jobs') jobs = whole(a, argv[++i]);
    else if (a === '--one-by-one') oneByOne = whole(a, argv[++i]);
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') throw new Error('usage: npx tsx bench/sweep.ts [--model cuba] [--points 100] [--duration-ms 1000] [--jobs N] [--one-by-one N] [--json]');
    else throw new Error(`unknown option ${a}`);
  }
  if (!MODELS[model]) throw new Error(`unknown model ${model} (known: ${Object.keys(MODELS).join(', ')})`);
  return { model, points, durationMs, jobs, oneByOne: Math.min(oneByOne ?? points, points), json };
}

export interface SweepBenchResult {
  readonly model: string;
  readonly points: number;
  readonly duration_ms: number;
  readonly jobs: number;
  readonly cores: number;
  readonly load_before: number;
  readonly sweep_wall_s: number;
  readonly sweep_points_per_s: number;
  readonly one_by_one_points: number;
  readonly one_by_one_wall_s: number;
  readonly one_by_one_points_per_s: number;
  /** sweep throughput ÷ one-by-one throughput. */
  readonly speedup: number;
  /** The target: 100 points of 1 s in under 60 s (null unless that is the case measured). */
  readonly target_pass: boolean | null;
  /** The sweep's spikes equal the single runs' for the same seeds. */
  readonly identical: boolean;
}

export async function benchSweep(o: SweepBenchOptions, log: (s: string) => void): Promise<SweepBenchResult> {
  const root = repoRoot();
  const file = MODELS[o.model];
  const out = mkdtempSync(path.join(os.tmpdir(), 'sf-bench-sweep-'));
  const loadBefore = os.loadavg()[0];
  log(`sweep bench: ${o.model}, ${o.points} points of ${o.durationMs} ms on ${o.jobs} jobs (${os.cpus().length} cores, load ${loadBefore.toFixed(1)}); measure on an idle machine`);
  try {
    const sweepArgs = [
      'bin/spikeflow.mjs',
      'sweep',
      file,
      '--set',
      `simulation.seed=1:${o.points}:1`,
      '--duration-ms',
      String(o.durationMs),
      '--jobs',
      String(o.jobs),
      '--out',
      out,
      '--metrics',
      'spikes',
    ];
    const s = await runChild(process.execPath, sweepArgs, { cwd: root, timeoutS: 3600 });
    const failure = childFailure(s, 3600);
    if (failure) throw new Error(`the sweep failed: ${failure}\n${tailLines(s.stderr, 6)}`);
    const rows = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')).rows as { seed: number; metrics: { spikes: number } }[];
    log(`  sweep       ${o.points} points in ${s.wallS.toFixed(2)} s: ${(o.points / s.wallS).toFixed(2)} points/s`);
    let oneWall = 0;
    let identical = true;
    for (let k = 1; k <= o.oneByOne; k++) {
      const r = await runChild(process.execPath, ['bin/spikeflow.mjs', 'run', file, '--seed', String(k), '--duration-ms', String(o.durationMs), '--json'], { cwd: root, timeoutS: 3600 });
      const f = childFailure(r, 3600);
      const j = lastJsonLine(r.stdout);
      if (f || !j) throw new Error(`run --seed ${k} failed: ${f ?? tailLines(r.stderr, 4)}`);
      oneWall += r.wallS;
      if (rows.find((x) => x.seed === k)?.metrics.spikes !== Number(j.spikes)) identical = false;
    }
    const sweepRate = o.points / s.wallS;
    const oneRate = o.oneByOne / oneWall;
    log(`  one by one  ${o.oneByOne} points in ${oneWall.toFixed(2)} s: ${oneRate.toFixed(2)} points/s`);
    const target = o.points === 100 && o.durationMs === 1000 && o.model === 'cuba' ? s.wallS < 60 : null;
    log(
      `  sweep / one by one: ${(sweepRate / oneRate).toFixed(2)}×; ${identical ? 'same spikes' : 'SPIKES DIFFER'}; target (100 CUBA points of 1 s < 60 s): ${target === null ? 'n/a' : target ? 'PASS' : 'FAIL'}`,
    );
    return {
      model: o.model,
      points: o.points,
      duration_ms: o.durationMs,
      jobs: o.jobs,
      cores: os.cpus().length,
      load_before: loadBefore,
      sweep_wall_s: s.wallS,
      sweep_points_per_s: sweepRate,
      one_by_one_points: o.oneByOne,
      one_by_one_wall_s: oneWall,
      one_by_one_points_per_s: oneRate,
      speedup: sweepRate / oneRate,
      target_pass: target,
      identical,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const isMain = process.argv[1]?.endsWith('sweep.ts');
if (isMain) {
  try {
    const o = parseSweepBenchArgs(process.argv.slice(2));
    const r = await benchSweep(o, o.json ? () => {} : (s) => process.stdout.write(s + '\n'));
    if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
    process.exitCode = r.identical ? 0 : 1;
  } catch (e) {
    process.stderr.write(`bench/sweep: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
