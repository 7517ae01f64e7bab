/**
 * `spikeflow sweep FILE --set NODE.FIELD=VALUES [--set ...] [--seeds N]
 *  [--metrics LIST] [--jobs N] [--out DIR] [--duration-ms N]` (issue 16): run a
 * document over the grid of the swept values, each point with N seeds, on
 * `--jobs` engines at once (worker threads; default: every core), with a
 * progress bar and the time left on stderr, and a table of every metric per
 * point and seed (CSV and JSON; engine/compile/sweep.ts says what the values
 * and metrics are, sweep-output.ts what DIR holds).
 *
 * Every point is compiled before any run, so a bad NODE.FIELD or value stops
 * the sweep at once, naming the node, the field and the point.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { compileDocument } from '../compile/compile.ts';
import { applyPoint, checkSets, metricNames, metricsOf, parseSet, selectMetrics, sweepPoints, SweepSpecError, type SweepSet, type SweepValue } from '../compile/sweep.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { EngineClient, EngineRequestError } from '../protocol/client.ts';
import type { EngineError, EngineEvent } from '../protocol/messages.ts';
import { createInProcessEngine } from './in-process.ts';
import { createNodeWorkerEngine } from './node-worker.ts';
import { UsageError, readDocument, withSideFiles, type CliIo } from './cli-common.ts';
import { appendRow, openSweepDir, specOf, sweepCsv, writeSweepTables, type SweepRow } from './sweep-output.ts';
import { formatSeconds } from './time-estimate.ts';
import { SWEEP_ENGINE_MARK } from './sweep-worker-entry.ts';

export const SWEEP_USAGE = `  spikeflow sweep FILE --set NODE.FIELD=VALUES [--set ...] [--seeds N] [--metrics LIST]
                       [--jobs N] [--out DIR] [--duration-ms N]`;

export const SWEEP_HELP = `sweep     run FILE over a grid of parameter values (VALUES: 1,2,3 | FROM:TO:STEP | log:FROM:TO:N),
          N seeds each (the document's seed and the next ones), on --jobs engines (default: every core);
          a table of every metric per point and seed: CSV on stdout, or results.csv/.json in --out DIR,
          which also makes the sweep resumable (a rerun skips the runs already in DIR/points.jsonl)`;

interface SweepArgs {
  file: string;
  sets: SweepSet[];
  seeds: number;
  metrics?: string;
  jobs?: number;
  out?: string;
  durationMs?: number;
}

function parseSweepArgs(argv: readonly string[]): SweepArgs {
  const args: Partial<SweepArgs> & { sets: SweepSet[] } = { sets: [] };
  const positive = (flag: string, v: string | undefined, integer: boolean) => {
    const x = Number(v);
    if (v === undefined || !Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) throw new UsageError(`${flag} needs a ${integer ? 'whole ' : ''}number > 0 (got ${v ?? 'nothing'})`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--set') {
      try {
        args.sets.push(parseSet(next()));
      } catch (e) {
        if (e instanceof SweepSpecError) throw new UsageError(e.message);
        throw e;
      }
    } else if (a === '--seeds') args.seeds = positive(a, next(), true);
    else if (a === '--metrics') args.metrics = next();
    else if (a === '--jobs') args.jobs = positive(a, next(), true);
    else if (a === '--out') args.out = next();
    else if (a === '--duration-ms') args.durationMs = positive(a, next(), false);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} for sweep`);
    else if (args.file === undefined) args.file = a;
    else throw new UsageError(`sweep takes one FILE (got ${args.file} and ${a})`);
  }
  if (!args.file) throw new UsageError('sweep needs a FILE');
  if (args.sets.length === 0) throw new UsageError('sweep needs at least one --set NODE.FIELD=VALUES');
  return { seeds: 1, ...args } as SweepArgs;
}

type Ended = Extract<EngineEvent, { type: 'finished' | 'failed' }>;

/** One engine of the pool: runs one plan at a time. */
class SweepEngine {
  private waiting: ((e: Ended) => void) | null = null;
  private readonly client: EngineClient;
  private readonly closeEngine: () => unknown;
  dead: EngineError | null = null;

  constructor(worker: { url: URL; data?: unknown } | null) {
    if (worker) {
      const engine = createNodeWorkerEngine(worker.url, worker.data);
      this.client = new EngineClient(engine.endpoint);
      this.closeEngine = engine.close;
      engine.onCrash((error) => {
        this.dead = error;
        this.client.dispose(error);
        this.waiting?.({ type: 'failed', runId: 0, error });
      });
    } else {
      const engine = createInProcessEngine({});
      this.client = new EngineClient(engine.endpoint);
      this.closeEngine = engine.close;
    }
    this.client.onEvent((e) => {
      if (e.type === 'finished' || e.type === 'failed') this.waiting?.(e);
    });
  }

  async start(): Promise<void> {
    await this.client.hello();
  }

  async run(plan: NetworkPlan): Promise<Ended> {
    const ended = new Promise<Ended>((resolve) => (this.waiting = resolve));
    try {
      await this.client.run(plan, { noYield: true, chunkSteps: 1000 });
    } catch (e) {
      this.waiting = null;
      if (e instanceof EngineRequestError) return { type: 'failed', runId: 0, error: e.error };
      throw e;
    }
    const end = await ended;
    this.waiting = null;
    return end;
  }

  close(): unknown {
    return this.closeEngine();
  }
}

/** A one-line progress bar with the time left. */
function progressLine(done: number, total: number, elapsedMs: number, doneHere: number): string {
  const width = 24;
  const filled = total > 0 ? Math.round((width * done) / total) : width;
  const left = doneHere > 0 ? ((total - done) * elapsedMs) / doneHere / 1000 : null;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs, ${formatSeconds(elapsedMs / 1000)} elapsed${left !== null && done < total ? `, about ${formatSeconds(left)} left` : ''}`;
}

export async function sweepCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseSweepArgs(argv);
  const doc = await readDocument(args.file, io);
  if (!doc) return 2;
  const resolved = await withSideFiles(doc, args.file, io);
  if (!resolved) return 2;
  try {
    checkSets(resolved.doc, args.sets);
  } catch (e) {
    if (!(e instanceof SweepSpecError)) throw e;
    io.err(`spikeflow: ${e.message}`);
    return 2;
  }
  // Every point compiles before any run: a bad value stops the sweep now, naming the point, node and field.
  const points = sweepPoints(args.sets);
  const plans: NetworkPlan[] = [];
  for (const p of points) {
    const compiled = compileDocument(applyPoint(resolved.doc, args.sets, p), { durationMs: args.durationMs });
    if (!compiled.ok) {
      io.err(`spikeflow: point ${p.index} (${describe(p.values)}) of ${args.file} cannot run:`);
      for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
      return 2;
    }
    if (compiled.plan.trainers?.length) {
      io.err(`spikeflow: ${args.file} trains a network (sg-trainer "${compiled.plan.trainers[0].nodeId}"); sweep runs simulations only`);
      return 2;
    }
    plans.push(compiled.plan);
  }
  let metrics: string[];
  try {
    metrics = selectMetrics(args.metrics, metricNames(plans[0]));
  } catch (e) {
    if (!(e instanceof SweepSpecError)) throw e;
    io.err(`spikeflow: ${e.message}`);
    return 2;
  }
  // Each point runs with its document's seed and the next ones (a swept simulation.seed stays the point's own).
  const seedsOf = (p: number) => Array.from({ length: args.seeds }, (_, k) => plans[p].seed + k);
  const spec = specOf(args.file, args.sets, args.seeds, args.durationMs ?? resolved.doc.simulation.duration_ms);

  const rows: SweepRow[] = [];
  if (args.out) {
    await mkdir(args.out, { recursive: true });
    const opened = await openSweepDir(args.out, spec);
    if (typeof opened === 'string') {
      io.err(`spikeflow: ${opened}`);
      return 2;
    }
    rows.push(...opened.rows.filter((r) => r.point < points.length && seedsOf(r.point).includes(r.seed)));
    if (opened.skippedLines) io.err(`spikeflow: ${opened.skippedLines} unreadable or failed line(s) in ${args.out}/points.jsonl: those runs are done again`);
    if (rows.length) io.err(`spikeflow: resuming: ${rows.length} of ${points.length * args.seeds} runs already done in ${args.out}`);
  }
  const done = new Set(rows.map((r) => `${r.point}/${r.seed}`));
  const tasks = points.flatMap((p) =>
    seedsOf(p.index)
      .filter((s) => !done.has(`${p.index}/${s}`))
      .map((seed) => ({ point: p, seed })),
  );
  const total = points.length * args.seeds;
  const jobs = Math.max(1, Math.min(args.jobs ?? os.availableParallelism(), tasks.length));

  const t0 = performance.now();
  let finishedHere = 0;
  let lastPrint = 0;
  const tty = !!process.stderr.isTTY;
  const report = (final = false) => {
    const now = performance.now();
    const line = progressLine(rows.length, total, now - t0, finishedHere);
    if (tty) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else if (final || now - lastPrint > 2000) {
      io.err(line);
      lastPrint = now;
    }
  };
  let failures = 0;
  if (tasks.length > 0) {
    report();
    let next = 0;
    // Workers start from the bundled CLI when there is one (milliseconds), else from the sources through tsx.
    const worker =
      jobs <= 1 ? null : io.threadEntryUrl ? { url: io.threadEntryUrl, data: { [SWEEP_ENGINE_MARK]: true } } : { url: io.workerBootUrl ?? new URL('./node-worker-boot.mjs', import.meta.url) };
    const lane = async () => {
      let engine = new SweepEngine(worker);
      await engine.start();
      try {
        while (next < tasks.length) {
          const { point, seed } = tasks[next++];
          const end = await engine.run({ ...plans[point.index], seed });
          const row: SweepRow =
            end.type === 'finished'
              ? { point: point.index, seed, values: point.values, metrics: metricsOf(end.stats) }
              : { point: point.index, seed, values: point.values, metrics: null, error: end.error.message };
          if (row.error) {
            failures++;
            io.err(`${tty ? '\n' : ''}spikeflow: point ${point.index} (${describe(point.values)}), seed ${seed} failed: ${row.error}`);
          }
          rows.push(row);
          finishedHere++;
          if (args.out && !row.error) await appendRow(args.out, row);
          report();
          if (engine.dead) {
            // A worker that died takes its engine with it: start another for the rest.
            await engine.close();
            engine = new SweepEngine(worker);
            await engine.start();
          }
        }
      } finally {
        await engine.close();
      }
    };
    await Promise.all(Array.from({ length: jobs }, lane));
    report(true);
  }
  rows.sort((a, b) => a.point - b.point || a.seed - b.seed);
  if (args.out) {
    await writeSweepTables(args.out, spec, rows, metrics);
    io.err(`spikeflow: ${rows.length} runs (${points.length} points × ${args.seeds} seeds) in ${args.out}/results.csv and results.json`);
  } else
    io.out(
      sweepCsv(
        rows,
        spec.sets.map((s) => s.target),
        metrics,
      ).trimEnd(),
    );
  return failures > 0 ? 1 : 0;
}

const describe = (values: Readonly<Record<string, SweepValue>>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
