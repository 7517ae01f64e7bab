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
import { describePoint, parseSet, prepareSweep, savedSweepOf, SweepSpecError, type SweepRow, type SweepSet, type SweepSetup } from '../compile/sweep.ts';
import { runSweepTasks, SweepLane } from '../protocol/sweep-lane.ts';
import { createInProcessEngine } from './in-process.ts';
import { createNodeWorkerEngine } from './node-worker.ts';
import { UsageError, readDocument, withSideFiles, type CliIo } from './cli-common.ts';
import { appendRow, openSweepDir, specOf, sweepCsv, writeSweepTables } from './sweep-output.ts';
import { formatSeconds } from './time-estimate.ts';
import { SWEEP_ENGINE_MARK } from './sweep-worker-entry.ts';

export const SWEEP_USAGE = `  spikeflow sweep FILE [--set NODE.FIELD=VALUES [--set ...]] [--seeds N] [--metrics LIST]
                       [--jobs N] [--out DIR] [--duration-ms N]
  spikeflow sweep --help`;

export const SWEEP_HELP = `sweep     run FILE over a grid of parameter values (VALUES: 1,2,3 | FROM:TO:STEP | log:FROM:TO:N),
          N seeds each (the document's seed and the next ones), on --jobs engines (default: every core);
          a table of every metric per point and seed: CSV on stdout, or results.csv/.json in --out DIR,
          which also makes the sweep resumable (a rerun skips the runs already in DIR/points.jsonl);
          without --set, the sweep saved in FILE (its "sweep" field; --seeds, --metrics and
          --duration-ms given replace the saved ones); with --set, a new grid on ONE seed a point
          (the document's), not the saved sweep's seeds, unless --seeds N is given (the saved
          metrics and duration still apply)`;

interface SweepArgs {
  file: string;
  sets: SweepSet[];
  seeds?: number;
  metrics?: string;
  jobs?: number;
  out?: string;
  durationMs?: number;
  /** `--help` or `-h`: print the sweep's usage and run nothing. */
  help?: boolean;
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
    else if (a === '--help' || a === '-h') return { file: '', sets: [], help: true };
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} for sweep`);
    else if (args.file === undefined) args.file = a;
    else throw new UsageError(`sweep takes one FILE (got ${args.file} and ${a})`);
  }
  if (!args.file) throw new UsageError('sweep needs a FILE');
  return args as SweepArgs;
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
  if (args.help) {
    io.out(`Usage:\n${SWEEP_USAGE}\n\n${SWEEP_HELP}`);
    return 0;
  }
  const doc = await readDocument(args.file, io);
  if (!doc) return 2;
  const resolved = await withSideFiles(doc, args.file, io);
  if (!resolved) return 2;
  // Without --set, the sweep saved in the document; what the command line gives replaces the saved settings.
  // --set makes a new grid, run on one seed unless --seeds is given (SWEEP_HELP says so).
  let saved: SweepSetup | null = null;
  try {
    saved = savedSweepOf(resolved.doc);
  } catch (e) {
    if (!(e instanceof SweepSpecError)) throw e;
    io.err(`spikeflow: ${args.file}: ${e.message}`);
    return 2;
  }
  const sets = args.sets.length ? args.sets : (saved?.sets ?? []);
  if (sets.length === 0) throw new UsageError(`sweep needs at least one --set NODE.FIELD=VALUES (${args.file} has no saved sweep)`);
  const seedCount = args.seeds ?? (args.sets.length ? 1 : (saved?.seeds ?? 1));
  const durationMs = args.durationMs ?? saved?.durationMs;
  const prepared = prepareSweep(resolved.doc, sets, { durationMs, metrics: args.metrics ?? saved?.metrics, source: args.file });
  if ('messages' in prepared) {
    io.err(`spikeflow: ${prepared.messages[0]}`);
    for (const m of prepared.messages.slice(1)) io.err(m);
    return 2;
  }
  const { points, plans, metrics } = prepared;
  // Each point runs with its document's seed and the next ones (a swept simulation.seed stays the point's own).
  const seedsOf = (p: number) => Array.from({ length: seedCount }, (_, k) => plans[p].seed + k);
  const spec = specOf(args.file, sets, seedCount, durationMs ?? resolved.doc.simulation.duration_ms);

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
    if (rows.length) io.err(`spikeflow: resuming: ${rows.length} of ${points.length * seedCount} runs already done in ${args.out}`);
  }
  const done = new Set(rows.map((r) => `${r.point}/${r.seed}`));
  const tasks = points.flatMap((p) =>
    seedsOf(p.index)
      .filter((s) => !done.has(`${p.index}/${s}`))
      .map((seed) => ({ point: p, seed })),
  );
  const total = points.length * seedCount;
  const jobs = Math.max(1, Math.min(args.jobs ?? os.availableParallelism(), tasks.length));

  const t0 = performance.now();
  let finishedHere = 0;
  let lastPrint = 0;
  let printedDone = -1;
  const tty = !!process.stderr.isTTY;
  const report = (final = false) => {
    const now = performance.now();
    const line = progressLine(rows.length, total, now - t0, finishedHere);
    if (tty) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else if ((final && printedDone !== rows.length) || now - lastPrint > 2000) {
      // Without a terminal, a line every 2 s at most, and the last state once.
      io.err(line);
      lastPrint = now;
      printedDone = rows.length;
    }
  };
  let failures = 0;
  if (tasks.length > 0) {
    if (tty) report();
    // Workers start from the bundled CLI when there is one (milliseconds), else from the sources through tsx.
    const worker =
      jobs <= 1 ? null : io.threadEntryUrl ? { url: io.threadEntryUrl, data: { [SWEEP_ENGINE_MARK]: true } } : { url: io.workerBootUrl ?? new URL('./node-worker-boot.mjs', import.meta.url) };
    await runSweepTasks({
      tasks,
      plans,
      jobs,
      newLane: () => (worker ? new SweepLane(createNodeWorkerEngine(worker.url, worker.data)) : new SweepLane(createInProcessEngine({}))),
      onRow: async (row) => {
        if (row.error) {
          failures++;
          io.err(`${tty ? '\n' : ''}spikeflow: point ${row.point} (${describePoint(row.values)}), seed ${row.seed} failed: ${row.error}`);
        }
        rows.push(row);
        finishedHere++;
        if (args.out && !row.error) await appendRow(args.out, row);
        report();
      },
    });
    report(true);
  }
  rows.sort((a, b) => a.point - b.point || a.seed - b.seed);
  if (args.out) {
    await writeSweepTables(args.out, spec, rows, metrics);
    io.err(`spikeflow: ${rows.length} runs (${points.length} points × ${seedCount} seeds) in ${args.out}/results.csv and results.json`);
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
