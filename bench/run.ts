/**
 * `npm run bench`: Spikeflow's benchmark harness. See bench/README.md.
 *
 * Every measurement runs in a fresh child process (our CLI, the memory probe,
 * the Brian2 peer), in its own process group, under GNU time for peak RSS.
 * Ours and the peer's runs alternate per seed so machine noise hits both.
 * Results are saved after every run (bench/results/<timestamp>.json and
 * latest.json), so an interrupted bench keeps what it measured.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import type { GraphDocument } from '../engine/format/document.ts';
import { BENCH_MODELS, BENCH_USAGE, BenchUsageError, modelById, parseBenchArgs, peerSkipReason, type BenchModel, type BenchOptions, type PeerDevice } from './options.ts';
import {
  evaluateTargets,
  fmtMiB,
  fmtRate,
  fmtSeconds,
  renderMainTable,
  renderStreamTable,
  renderTargets,
  summarizeCase,
  summarizeStream,
  fmtFixed,
  median,
  type CaseResult,
  type CaseSummary,
  type TargetCheck,
  type MemoryResult,
  type OursRun,
  type PeerRun,
  type StreamSummary,
  parallelDurationMs,
} from './report.ts';
import { childFailure, haveGnuTime, killAllChildren, lastJsonLine, repoRoot, runChild, tailLines } from './child.ts';
import { brunelScaleDocument, SCALE_10M_SPEC, SCALE_SPEC, withoutMonitors, withoutProjections, type BrunelScaleSpec } from './variants.ts';
import { profileText } from '../engine/sim/stats.ts';
import { benchParallel, type ParallelRow } from './parallel.ts';

const PYTHON = '/usr/bin/python3';
const PEER_SCRIPT = 'bench/peers/brian2_models.py';
/** Reused between bench runs so the peer's g++ builds are incremental. */
const PEER_BUILD_ROOT = path.join(os.tmpdir(), 'spikeflow-bench-brian2');

class Interrupted extends Error {}

interface ScaleResult {
  readonly spec: BrunelScaleSpec;
  readonly ok: boolean;
  readonly error?: string;
  readonly neurons?: number;
  readonly synapses?: number;
  readonly build_s?: number;
  readonly run_s?: number;
  readonly wall_s?: number;
  readonly max_rss_bytes?: number | null;
  readonly synaptic_events?: number;
  readonly events_per_s?: number;
  readonly mean_rate_hz?: number;
  readonly stderr_tail?: string;
  /** Build phases and the step's phases (`spikeflow run --profile`). */
  readonly profile?: OursRun['profile'];
}

interface Results {
  schema: 'spikeflow-bench/1';
  started_at: string;
  finished_at: string | null;
  complete: boolean;
  interrupted: boolean;
  machine: Record<string, unknown>;
  options: BenchOptions;
  tools: Record<string, unknown>;
  notes: string[];
  memory: MemoryResult[];
  cases: CaseResult[];
  peer_warmups: PeerRun[];
  scale: ScaleResult | null;
  /** The 10 M-neuron / 10⁹-synapse case (`SCALE_10M_SPEC`, 100 ms). */
  scale_10m: ScaleResult | null;
  /** The multi-core comparison (bench/parallel.ts): cores, and per model and thread count the median run and speed-up. */
  parallel: { cores: number; rows: ParallelRow[] } | null;
  // Derived on every save, for readers of the JSON.
  summaries?: unknown;
  streams?: StreamSummary[];
  targets?: unknown;
}

let stopping = false;
const log = (s = '') => process.stdout.write(s + '\n');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function checkStop(): void {
  if (stopping) throw new Interrupted('interrupted');
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** The figures derived from the runs (medians, streaming cost, targets), set on `results` and returned. */
function derive(results: Results): { summaries: CaseSummary[]; targets: TargetCheck[] } {
  const staticModels = BENCH_MODELS.filter((m) => m.staticSynapses).map((m) => m.id);
  const summaries = results.cases.map(summarizeCase);
  const streams = results.cases.map(summarizeStream).filter((s): s is StreamSummary => s !== null);
  const targets = evaluateTargets({ cases: summaries, memory: results.memory, streams, staticModels, parallel: results.parallel?.rows, scale: results.scale, scale10m: results.scale_10m });
  results.summaries = summaries;
  results.streams = streams;
  results.targets = targets;
  return { summaries, targets };
}

async function save(results: Results, files: readonly string[]): Promise<void> {
  derive(results);
  const text = JSON.stringify(results, null, 2) + '\n';
  for (const f of files) await writeAtomic(f, text);
}

function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    total_mem_bytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadavg_start: os.loadavg(),
  };
}

// ---------------------------------------------------------------------------
// Our runs.

interface Ctx {
  readonly root: string;
  readonly tmp: string;
  readonly options: BenchOptions;
  readonly gnuTime: boolean;
}

/** Run our CLI on FILE in a fresh process: `spikeflow run FILE --duration-ms --seed --json`. */
async function runOurs(ctx: Ctx, file: string, durationS: number, seed: number, extraArgs: readonly string[] = []): Promise<OursRun> {
  const cliArgs = ['run', file, '--duration-ms', String(durationS * 1000), '--seed', String(seed), '--json', '--threads', String(ctx.options.threads), ...extraArgs];
  const rssFile = path.join(ctx.tmp, 'ours.rss');
  const timeFile = path.join(ctx.tmp, 'ours.time');
  const loadavg = os.loadavg()[0];
  const r = ctx.gnuTime
    ? await runChild(process.execPath, ['bin/spikeflow.mjs', ...cliArgs], { cwd: ctx.root, timeoutS: ctx.options.timeoutS, timeFile })
    : await runChild(process.execPath, ['--import', 'tsx', 'bench/probe.ts', 'cli', rssFile, '--', ...cliArgs], { cwd: ctx.root, timeoutS: ctx.options.timeoutS });
  checkStop();
  const failure = childFailure(r, ctx.options.timeoutS);
  const j = lastJsonLine(r.stdout);
  if (failure || !j) return { seed, ok: false, error: failure ?? `no JSON on stdout: ${tailLines(r.stderr || r.stdout, 4)}`, wall_s: r.wallS, loadavg_1m: loadavg };
  let maxRss: number | null = r.time?.maxRssBytes ?? null;
  if (!ctx.gnuTime) {
    const v = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
    maxRss = Number.isFinite(v) ? v : null;
  }
  const runS = (num(j.run_ms) ?? NaN) / 1000;
  const events = num(j.synaptic_events);
  return {
    seed,
    ok: true,
    run_s: runS,
    build_s: (num(j.build_ms) ?? NaN) / 1000,
    load_s: (num(j.load_ms) ?? NaN) / 1000,
    cli_total_s: (num(j.total_ms) ?? NaN) / 1000,
    wall_s: r.wallS,
    max_rss_bytes: maxRss,
    neurons: num(j.neurons),
    synapses: num(j.synapses),
    spikes: num(j.spikes),
    synaptic_events: events,
    events_per_s: events !== undefined && runS > 0 ? events / runS : undefined,
    mean_rate_hz: num(j.mean_rate_hz),
    loadavg_1m: loadavg,
    ...(j.profile ? { profile: j.profile as OursRun['profile'] } : {}),
  };
}

function describeOurs(r: OursRun): string {
  if (!r.ok) return `FAILED: ${r.error}`;
  return (
    `run ${fmtSeconds(r.run_s)} s  build ${fmtSeconds(r.build_s)} s  total ${fmtSeconds(r.wall_s)} s  ` +
    `RSS ${fmtMiB(r.max_rss_bytes)} MB  ${fmtRate(r.events_per_s)} events/s  ${fmtFixed(r.mean_rate_hz, 2)} Hz`
  );
}

// ---------------------------------------------------------------------------
// Memory probe.

async function probeMemory(ctx: Ctx, model: BenchModel, doc: GraphDocument): Promise<MemoryResult> {
  const runProbe = async (name: string, d: GraphDocument) => {
    const file = path.join(ctx.tmp, `${model.id}.${name}.spikeflow.json`);
    await writeFile(file, serializeDocument(d));
    const r = await runChild(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/probe.ts', 'memory', file, '--seed', '1'], {
      cwd: ctx.root,
      timeoutS: ctx.options.timeoutS,
    });
    checkStop();
    const failure = childFailure(r, ctx.options.timeoutS);
    const j = lastJsonLine(r.stdout);
    if (failure || !j) throw new Error(`${name} probe ${failure ?? `printed no JSON: ${tailLines(r.stderr, 4)}`}`);
    return j;
  };
  try {
    // Three probes of each, alternating; the OS figures are the median growth of each side. The
    // engine's own count is the same every time; RSS is not: CUBA's full network grew RSS by
    // 0.7–5.2 MB over probes, for 1.3 MB of synapses, and its zero-synapse copy by −2.2 to +1.4 MB.
    const fulls: Record<string, unknown>[] = [];
    const zeros: Record<string, unknown>[] = [];
    for (let k = 0; k < 3; k++) {
      fulls.push(await runProbe('full', doc));
      zeros.push(await runProbe('zero-synapses', withoutProjections(doc)));
    }
    const [full, zero] = [fulls[0], zeros[0]];
    const synapses = num(full.synapses) ?? 0;
    const growth = (j: Record<string, unknown>, k: string) => (num(j[`${k}_after`]) ?? NaN) - (num(j[`${k}_before`]) ?? NaN);
    const mid = (js: Record<string, unknown>[], k: string) => median(js.map((j) => growth(j, k)));
    const per = (a: number, b: number) => (synapses > 0 ? (a - b) / synapses : undefined);
    const eFull = num(full.memory_bytes) ?? NaN;
    const eZero = num(zero.memory_bytes) ?? NaN;
    const rFull = mid(fulls, 'rss');
    const rZero = mid(zeros, 'rss');
    const aFull = mid(fulls, 'array_buffers');
    const aZero = mid(zeros, 'array_buffers');
    return {
      model: model.id,
      label: model.label,
      ok: true,
      synapses,
      engine_bytes_full: eFull,
      engine_bytes_zero: eZero,
      rss_growth_full: rFull,
      rss_growth_zero: rZero,
      rss_growth_full_runs: fulls.map((j) => growth(j, 'rss')),
      rss_growth_zero_runs: zeros.map((j) => growth(j, 'rss')),
      array_buffers_growth_full: aFull,
      array_buffers_growth_zero: aZero,
      b_per_syn_engine: per(eFull, eZero),
      b_per_syn_rss: per(rFull, rZero),
      b_per_syn_array_buffers: per(aFull, aZero),
    };
  } catch (e) {
    if (e instanceof Interrupted) throw e;
    return { model: model.id, label: model.label, ok: false, error: (e as Error).message };
  }
}

// ---------------------------------------------------------------------------
// Brian2 peer.

async function brianVersion(ctx: Ctx): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  if (!existsSync(PYTHON)) return { ok: false, error: `${PYTHON} does not exist` };
  if (!existsSync(path.join(ctx.root, PEER_SCRIPT))) return { ok: false, error: `${PEER_SCRIPT} does not exist` };
  const r = await runChild(PYTHON, ['-c', 'import brian2; print(brian2.__version__)'], { cwd: ctx.root, timeoutS: 300 });
  checkStop();
  const failure = childFailure(r, 300);
  if (failure) return { ok: false, error: `import brian2 failed: ${failure}` };
  return { ok: true, version: r.stdout.trim().split('\n').pop() ?? '?' };
}

async function runPeer(ctx: Ctx, model: BenchModel, device: PeerDevice, durationS: number, seed: number): Promise<PeerRun> {
  const args = [PEER_SCRIPT, '--model', model.id, '--duration-s', String(durationS), '--seed', String(seed), '--device', device, '--build-dir', path.join(PEER_BUILD_ROOT, model.id), '--json'];
  const loadavg = os.loadavg()[0];
  const r = await runChild(PYTHON, args, {
    cwd: ctx.root,
    timeoutS: ctx.options.timeoutS,
    timeFile: ctx.gnuTime ? path.join(ctx.tmp, 'peer.time') : undefined,
  });
  checkStop();
  const failure = childFailure(r, ctx.options.timeoutS);
  const j = lastJsonLine(r.stdout);
  if (failure || !j) return { seed, device, ok: false, error: failure ?? `no JSON on stdout: ${tailLines(r.stderr, 4)}`, wall_s: r.wallS, loadavg_1m: loadavg };
  const runS = num(j.wall_run_s);
  const events = num(j.synaptic_events);
  return {
    seed,
    device,
    ok: true,
    run_s: runS,
    build_s: num(j.wall_build_s),
    total_s: num(j.wall_total_s),
    wall_s: r.wallS,
    max_rss_bytes: r.time?.maxRssBytes ?? null,
    synapses: num(j.n_synapses),
    synaptic_events: events,
    events_per_s: events !== undefined && runS ? events / runS : undefined,
    mean_rate_hz: num(j.mean_rate_hz),
    ...(typeof j.cpp_build_cold === 'boolean' ? { cpp_build_cold: j.cpp_build_cold } : {}),
    loadavg_1m: loadavg,
  };
}

function describePeer(r: PeerRun): string {
  if (!r.ok) return `FAILED: ${r.error}`;
  return (
    `run ${fmtSeconds(r.run_s)} s  build ${fmtSeconds(r.build_s)} s  total ${fmtSeconds(r.total_s)} s  ` +
    `RSS ${fmtMiB(r.max_rss_bytes)} MB  ${fmtRate(r.events_per_s)} events/s  ${fmtFixed(r.mean_rate_hz, 2)} Hz` +
    (r.cpp_build_cold ? '  (cold g++ build)' : '')
  );
}

// ---------------------------------------------------------------------------
// Scale case.

async function runScale(ctx: Ctx, spec: BrunelScaleSpec): Promise<ScaleResult> {
  const file = path.join(ctx.tmp, `scale-${spec.excitatory + spec.inhibitory}.spikeflow.json`);
  await writeFile(file, serializeDocument(brunelScaleDocument(spec)));
  const neurons = spec.excitatory + spec.inhibitory;
  log(
    `scale case: Brunel-style, ${neurons.toLocaleString('en')} neurons (${spec.excitatory.toLocaleString('en')} E / ${spec.inhibitory.toLocaleString('en')} I), ` +
      `fixed in-degree ${spec.inDegreeExc} + ${spec.inDegreeInh} → ${(neurons * (spec.inDegreeExc + spec.inDegreeInh)).toLocaleString('en')} synapses, ` +
      `${spec.durationMs / 1000} s, no monitor (timeout ${ctx.options.timeoutS} s)…`,
  );
  const r = await runOurs(ctx, file, spec.durationMs / 1000, spec.seed, ['--profile']);
  if (!r.ok) {
    log(`  scale case FAILED after ${fmtSeconds(r.wall_s)} s: ${r.error}`);
    return { spec, ok: false, error: r.error, wall_s: r.wall_s };
  }
  const res: ScaleResult = {
    spec,
    ok: true,
    neurons: r.neurons,
    synapses: r.synapses,
    build_s: r.build_s,
    run_s: r.run_s,
    wall_s: r.wall_s,
    max_rss_bytes: r.max_rss_bytes,
    synaptic_events: r.synaptic_events,
    events_per_s: r.events_per_s,
    mean_rate_hz: r.mean_rate_hz,
    profile: r.profile,
  };
  log(
    `  scale case: build ${fmtSeconds(r.build_s)} s, run ${fmtSeconds(r.run_s)} s, whole job ${fmtSeconds(r.wall_s)} s, ` +
      `peak RSS ${fmtMiB(r.max_rss_bytes)} MB (${fmtFixed(r.max_rss_bytes && r.synapses ? r.max_rss_bytes / r.synapses : null, 1)} B per synapse, whole process), ` +
      `${fmtRate(r.events_per_s)} events/s, ${fmtFixed(r.mean_rate_hz, 2)} Hz`,
  );
  // Where the time went (engine per-phase counters, wall time).
  if (r.profile && r.run_s !== undefined) for (const line of profileText(r.profile, r.run_s * 1000).split('\n')) log(`    ${line}`);
  return res;
}

// ---------------------------------------------------------------------------

function printReport(results: Results): void {
  const { summaries, targets } = derive(results);
  log();
  if (summaries.length > 0) {
    log(renderMainTable(summaries, results.memory));
    log();
    log('run/cpp, job/cpp, run/numpy: ours ÷ theirs (below 1 = Spikeflow faster); medians over seeds.');
    log("total s: our whole CLI process, spawn → exit; cpp total s: the peer's wall_total_s (import, codegen, g++, run).");
    log("B/syn eng: the engine's memoryBytes, full − zero-synapse copy, ÷ synapses; B/syn rss: the same for RSS after GC.");
    log('skip: not run (see notes); ERR: every run failed (see the log above).');
  }
  const streams = results.streams ?? [];
  if (streams.length > 0) {
    log();
    log('Streaming cost (spike monitors streaming to the CLI vs. monitors removed):');
    log(renderStreamTable(streams));
  }
  if (results.parallel) {
    log();
    log(`Multi-core (${results.parallel.cores} cores; medians of one thread vs all cores, alternating; scale: the 10⁶-neuron case):`);
    const rows = results.parallel.rows;
    for (const r of rows) {
      if (r.threads === 1) continue;
      const one = rows.find((x) => x.model === r.model && x.threads === 1 && parallelDurationMs(x) === parallelDurationMs(r));
      log(
        `  ${r.model.padEnd(10)} ${`${parallelDurationMs(r) / 1000} s`.padStart(5)}  ${r.threads} threads: run ${fmtSeconds(r.median_run_s)} s, ${r.speedup.toFixed(2)}× one thread's ` +
          `(${fmtSeconds(one?.median_run_s)} s)${r.identical ? '' : ' — SPIKES DIFFER'}`,
      );
    }
  }
  for (const s of [results.scale, results.scale_10m]) {
    if (!s) continue;
    log();
    log(
      s.ok
        ? `Scale case (${(s.neurons ?? 0).toLocaleString('en')} neurons, ${(s.synapses ?? 0).toLocaleString('en')} synapses, ${s.spec.durationMs / 1000} s): ` +
            `build ${fmtSeconds(s.build_s)} s, run ${fmtSeconds(s.run_s)} s, whole job ${fmtSeconds(s.wall_s)} s, peak RSS ${fmtMiB(s.max_rss_bytes)} MB`
        : `Scale case (${(s.spec.excitatory + s.spec.inhibitory).toLocaleString('en')} neurons) FAILED: ${s.error}`,
    );
  }
  if (results.notes.length > 0) {
    log();
    log('Notes:');
    for (const n of results.notes) log(`  - ${n}`);
  }
  log();
  log(renderTargets(targets));
}

async function bench(options: BenchOptions, results: Results, files: string[], tmp: string): Promise<void> {
  const root = repoRoot();
  const gnuTime = haveGnuTime();
  const ctx: Ctx = { root, tmp, options, gnuTime };
  results.tools.rss_method = gnuTime ? 'GNU time %M (/usr/bin/time)' : 'process.resourceUsage().maxRSS via bench/probe.ts cli';
  if (!gnuTime) results.notes.push('/usr/bin/time is missing (apt-get install -y time); peak RSS comes from the probe runner instead.');

  const m = results.machine;
  log(
    `Spikeflow bench — ${m.cpu} × ${m.cpus}, ${fmtMiB(m.total_mem_bytes as number)} MB RAM, node ${m.node}, load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  log(`ours: the CLI with --threads ${options.threads}${options.threads === 1 ? ' (the single-thread engine)' : ''}`);
  log(`peak RSS: ${results.tools.rss_method}; results: ${path.relative(root, files[0])}`);

  let peers = options.peers && !options.scaleOnly;
  if (peers) {
    const v = await brianVersion(ctx);
    if (v.ok) {
      results.tools.brian2 = { python: PYTHON, version: v.version, peer: PEER_SCRIPT, build_root: PEER_BUILD_ROOT };
      log(`Brian2 ${v.version} (${PYTHON}); devices ${options.devices.join(', ')}; g++ builds in ${PEER_BUILD_ROOT}`);
    } else {
      peers = false;
      const note = `Brian2 peers off: ${v.error}`;
      results.notes.push(note);
      log(note);
    }
  } else if (!options.peers) log('Brian2 peers off (--no-peers)');
  await save(results, files);

  if (!options.scaleOnly) {
    const streamDuration = Math.min(...options.durationsS);
    for (const id of options.models) {
      const model = modelById(id);
      const file = path.join(root, model.file);
      if (!existsSync(file)) {
        const note = id === 'stdp' ? `${model.label}: not yet available (${model.file} is missing)` : `${model.label}: skipped (${model.file} does not exist yet)`;
        results.notes.push(note);
        log(note);
        continue;
      }
      const loaded = loadDocument(await readFile(file, 'utf8'));
      if (!loaded.ok) {
        const note = `${model.label}: skipped, ${model.file} does not load: ${loaded.issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`;
        results.notes.push(note);
        log(note);
        continue;
      }
      const doc = loaded.doc;
      let noMonitorFile: string | null = null;
      if (options.stream) {
        noMonitorFile = path.join(tmp, `${id}.no-monitors.spikeflow.json`);
        await writeFile(noMonitorFile, serializeDocument(withoutMonitors(doc)));
      }
      log();
      log(`== ${model.label} (${model.file})`);
      if (options.memory) {
        const mem = await probeMemory(ctx, model, doc);
        results.memory.push(mem);
        log(
          mem.ok
            ? `  memory: ${mem.synapses?.toLocaleString('en')} synapses; engine ${fmtFixed(mem.b_per_syn_engine, 2)} B/syn, ` +
                `RSS ${fmtFixed(mem.b_per_syn_rss, 2)} B/syn, ArrayBuffers ${fmtFixed(mem.b_per_syn_array_buffers, 2)} B/syn`
            : `  memory probe FAILED: ${mem.error}`,
        );
        await save(results, files);
      }
      for (const durationS of options.durationsS) {
        const withStream = options.stream && durationS === streamDuration;
        const c: CaseResult = {
          model: id,
          label: model.label,
          duration_s: durationS,
          file: model.file,
          ours: [],
          peers: {},
          ...(withStream ? { ours_no_monitors: [], ours_stream_on: [] } : {}),
        };
        const devices = peers ? options.devices : [];
        for (const d of devices) {
          const skipped = peerSkipReason(id, d, durationS);
          c.peers[d] = skipped ? { runs: [], skipped } : { runs: [] };
          if (skipped) {
            const note = `${model.label} ${durationS} s Brian2 ${d}: ${skipped}`;
            results.notes.push(note);
            log(`  ${note}`);
          }
        }
        results.cases.push(c);
        for (let seed = 1; seed <= options.repeats; seed++) {
          const tag = `  ${model.label} ${durationS} s seed ${seed}`;
          const ours = await runOurs(ctx, model.file, durationS, seed);
          c.ours.push(ours);
          log(`${tag}  ours         ${describeOurs(ours)}`);
          await save(results, files);
          if (withStream && noMonitorFile) {
            // On, off, then off, on: each side runs first once per seed (report.ts: summarizeStream);
            // each further round on, off, off, on (--stream-rounds).
            const order = [false, false, true];
            for (let round = 1; round < options.streamRounds; round++) order.push(true, false, false, true);
            for (const monitors of order) {
              const r = await runOurs(ctx, monitors ? model.file : noMonitorFile, durationS, seed);
              (monitors ? c.ours_stream_on! : c.ours_no_monitors!).push(r);
              log(`${tag}  ${monitors ? 'ours, again ' : 'ours, no mon'} ${describeOurs(r)}`);
              await save(results, files);
            }
          }
          for (const d of devices) {
            const pc = c.peers[d]!;
            if (pc.skipped) continue;
            if (d === 'cpp_standalone' && !existsSync(path.join(PEER_BUILD_ROOT, id, 'main'))) {
              log(`${tag}  (first g++ build of ${id} for Brian2: warm-up run, not counted)`);
              const w = await runPeer(ctx, model, d, durationS, seed);
              results.peer_warmups.push(w);
              if (!w.ok) log(`${tag}  warm-up FAILED: ${w.error}`);
            }
            const p = await runPeer(ctx, model, d, durationS, seed);
            pc.runs.push(p);
            log(`${tag}  ${d.padEnd(12)} ${describePeer(p)}`);
            await save(results, files);
          }
        }
      }
    }
  }
  const parallelModels = options.models.filter((m): m is 'brunel' | 'brunel-x4' => m === 'brunel' || m === 'brunel-x4');
  if (options.parallel && parallelModels.length > 0) {
    log();
    const cores = os.cpus().length;
    // One thread against every core, the same seed, alternating: the same spikes, and the speed-up.
    const threads = [1, Math.max(2, cores)];
    const repeats = Math.max(2, options.repeats);
    const rows = await benchParallel({ models: parallelModels, threads, durationMs: 1000, repeats, json: false }, (line) => log(`  ${line}`));
    // Issue 13's speed-up is judged on the longest run of each model (report.ts `SPEEDUP_MODELS`): x4 at 10 s, where
    // each thread's first compile of its step code (~75 ms, bench/README.md) no longer counts as a tenth of the run.
    if (parallelModels.includes('brunel-x4')) rows.push(...(await benchParallel({ models: ['brunel-x4'], threads, durationMs: 10_000, repeats, json: false }, (line) => log(`  ${line}`))));
    // And the 10⁶-neuron case (1 s simulated: ~45 s on one thread), when the scale case runs.
    if (options.scale) rows.push(...(await benchParallel({ models: ['scale'], threads: [1, 2], durationMs: SCALE_SPEC.durationMs, repeats: 2, json: false }, (line) => log(`  ${line}`))));
    results.parallel = { cores, rows };
    await save(results, files);
  }
  if (options.scale) {
    log();
    results.scale = await runScale(ctx, SCALE_SPEC);
    await save(results, files);
    log();
    results.scale_10m = await runScale(ctx, SCALE_10M_SPEC);
    await save(results, files);
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--training')) return (await import('./training.ts')).trainingBench(process.argv.slice(2));
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof BenchUsageError) {
      process.stderr.write(`bench: ${e.message}\n\n${BENCH_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    log(BENCH_USAGE);
    return 0;
  }
  const root = repoRoot();
  if (options.report) {
    // The same measurements, summarised by this version of report.ts.
    const saved = JSON.parse(await readFile(path.resolve(root, options.report), 'utf8')) as Results;
    saved.parallel ??= null;
    printReport(saved);
    return 0;
  }
  const outDir = path.resolve(root, options.outDir);
  await mkdir(outDir, { recursive: true });
  const startedAt = new Date();
  const stamp = startedAt.toISOString().slice(0, 19).replace(/:/g, '-') + 'Z';
  let resultFile = path.join(outDir, `${stamp}.json`);
  for (let k = 2; existsSync(resultFile); k++) resultFile = path.join(outDir, `${stamp}-${k}.json`);
  const files = [resultFile, path.join(outDir, 'latest.json')];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'spikeflow-bench-'));
  const results: Results = {
    schema: 'spikeflow-bench/1',
    started_at: startedAt.toISOString(),
    finished_at: null,
    complete: false,
    interrupted: false,
    machine: machineInfo(),
    options,
    tools: {},
    notes: [],
    memory: [],
    cases: [],
    peer_warmups: [],
    scale: null,
    scale_10m: null,
    parallel: null,
  };

  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nbench: ${sig}, stopping (killing the running measurement)…\n`);
    killAllChildren('SIGTERM');
    setTimeout(() => killAllChildren('SIGKILL'), 1500).unref();
    // Last resort if a child ignores signals and never closes its pipes.
    setTimeout(() => process.exit(130), 15_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let code = 0;
  try {
    await bench(options, results, files, tmp);
    results.complete = true;
  } catch (e) {
    if (!(e instanceof Interrupted)) {
      killAllChildren('SIGKILL');
      results.notes.push(`bench crashed: ${(e as Error).stack ?? String(e)}`);
      process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
      code = 1;
    } else {
      results.interrupted = true;
      code = 130;
    }
  } finally {
    results.finished_at = new Date().toISOString();
    await rm(tmp, { recursive: true, force: true });
  }
  printReport(results);
  await save(results, files);
  log();
  log(`${results.interrupted ? 'interrupted; partial ' : ''}results: ${path.relative(process.cwd(), files[0])} (and latest.json)`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
