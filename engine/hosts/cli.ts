/**
 * The `spikeflow` command line: runs a graph document headless with the same
 * engine and protocol as the app.
 *
 *   spikeflow run FILE [--duration-ms N] [--seed N] [--out DIR] [--json] [--worker]
 *   spikeflow validate FILE
 *
 * Exit codes: 0 ok, 1 the run failed, 2 bad usage or an invalid document.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDocument, serializeDocument } from '../format/load.ts';
import { compileDocument } from '../compile/compile.ts';
import { EngineClient, EngineRequestError } from '../protocol/client.ts';
import type { EngineEvent } from '../protocol/messages.ts';
import type { NetworkPlan } from '../compile/plan.ts';
import type { MonitorData } from '../format/monitor-export.ts';
import { monitorNpz, populationCsv, populationCsvName } from '../format/monitor-export.ts';
import type { RunStats } from '../sim/stats.ts';
import { createInProcessEngine } from './in-process.ts';
import { createNodeWorkerEngine } from './node-worker.ts';
import { ENGINE_VERSION } from '../protocol/server.ts';

const USAGE = `Usage:
  spikeflow run FILE [--duration-ms N] [--seed N] [--out DIR] [--json] [--worker]
  spikeflow validate FILE
  spikeflow --version

run       simulate a graph document (*.spikeflow.json) headless
  --duration-ms N  override the document's simulation duration
  --seed N         override the document's seed
  --out DIR        write into DIR: run.json (stats and the graph that ran);
                   per monitor and observed population a CSV
                   (<monitor>.<pop>.spikes.csv: neuron,t_ms;
                   .state.csv: t_ms,neuron,value; .rate.csv: t_ms,rate_hz);
                   per monitor <monitor>.npz (numpy.load); and each
                   plasticity node's final weights as CSV (pre,post,w)
  --json           print one JSON object with the run statistics (plastic
                   projections: a summary of the final weights)
  --worker         run the engine on a worker thread instead of in-process
validate  check a document and print its problems`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Where the worker-thread host boots from (the source tree's, when the CLI runs bundled). */
  workerBootUrl?: URL;
}

interface RunArgs {
  file: string;
  durationMs?: number;
  seed?: number;
  out?: string;
  json: boolean;
  worker: boolean;
}

class UsageError extends Error {}

function parseNumber(flag: string, v: string | undefined, integer: boolean): number {
  const x = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new UsageError(`${flag} needs a ${integer ? 'whole ' : ''}number (got ${v === undefined ? 'nothing' : JSON.stringify(v)})`);
  }
  return x;
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const args: RunArgs = { file: '', json: false, worker: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--duration-ms': {
        args.durationMs = parseNumber(a, argv[++i], false);
        if (!(args.durationMs > 0)) throw new UsageError('--duration-ms must be > 0');
        break;
      }
      case '--seed':
        args.seed = parseNumber(a, argv[++i], true);
        break;
      case '--out': {
        const v = argv[++i];
        if (!v) throw new UsageError('--out needs a folder');
        args.out = v;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--worker':
        args.worker = true;
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (args.file) throw new UsageError(`only one FILE, got ${args.file} and ${a}`);
        args.file = a;
    }
  }
  if (!args.file) throw new UsageError('run needs a FILE');
  return args;
}

async function readDocument(file: string, io: CliIo) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(`spikeflow: cannot read ${file}: ${(e as Error).message}`);
    return null;
  }
  const loaded = loadDocument(text);
  if (!loaded.ok) {
    io.err(`spikeflow: ${file} is not a valid Spikeflow document:`);
    for (const i of loaded.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return null;
  }
  for (const w of loaded.warnings) io.err(`spikeflow: warning: ${w.pointer}: ${w.message}`);
  return loaded.doc;
}

/** One monitor source's chunks, in arrival order. */
type Collected =
  | { records: 'spikes'; monitorId: string; source: number; neuron: Int32Array[]; step: Int32Array[] }
  | { records: 'state'; monitorId: string; source: number; variable: string; neurons: Int32Array; everySteps: number; step0: number; values: Float32Array[] }
  | { records: 'rate'; monitorId: string; source: number; size: number; binSteps: number; bin0: number; counts: Float32Array[] };

function concat<T extends Int32Array | Float32Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A monitor's collected chunks as the shared export layout (engine/format/monitor-export.ts). */
function monitorData(parts: readonly Collected[], plan: NetworkPlan): MonitorData | null {
  const monitor = plan.monitors.find((m) => m.nodeId === parts[0].monitorId)!;
  const popOf = (c: Collected) => plan.populations[monitor.sources[c.source]].nodeId;
  const dt = plan.dtMs;
  const first = parts[0];
  if (first.records === 'spikes') {
    return {
      records: 'spikes',
      populations: parts.flatMap((c) => {
        if (c.records !== 'spikes') return [];
        const step = concat(c.step, (n) => new Int32Array(n));
        return [{ population: popOf(c), neuron: concat(c.neuron, (n) => new Int32Array(n)), tMs: Float64Array.from(step, (s) => s * dt) }];
      }),
    };
  }
  if (first.records === 'state') {
    return {
      records: 'state',
      variable: first.variable,
      populations: parts.flatMap((c) => {
        if (c.records !== 'state') return [];
        const values = concat(c.values, (n) => new Float32Array(n));
        const rows = c.neurons.length ? Math.floor(values.length / c.neurons.length) : 0;
        const tMs = Float64Array.from({ length: rows }, (_, r) => (c.step0 + r * c.everySteps) * dt);
        return [{ population: popOf(c), neurons: c.neurons, tMs, values: values.subarray(0, rows * c.neurons.length) }];
      }),
    };
  }
  return {
    records: 'rate',
    populations: parts.flatMap((c) => {
      if (c.records !== 'rate') return [];
      const counts = concat(c.counts, (n) => new Float32Array(n));
      // counts / (neurons · bin seconds) = Hz per neuron.
      const scale = 1000 / (Math.max(1, c.size) * c.binSteps * dt);
      return [
        {
          population: popOf(c),
          tMs: Float64Array.from(counts, (_, b) => (c.bin0 + b) * c.binSteps * dt),
          rateHz: Float64Array.from(counts, (x) => x * scale),
        },
      ];
    }),
  };
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const tLoad = performance.now();
  const args = parseRunArgs(argv);
  const doc = await readDocument(args.file, io);
  if (!doc) return 2;
  const compiled = compileDocument(doc, { durationMs: args.durationMs, seed: args.seed });
  if (!compiled.ok) {
    io.err(`spikeflow: ${args.file} cannot run:`);
    for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return 2;
  }
  const plan = compiled.plan;
  const loadMs = performance.now() - tLoad;

  const engine = args.worker ? createNodeWorkerEngine(io.workerBootUrl) : createInProcessEngine({ memoryLimitBytes: Math.floor(os.totalmem() * 0.8) });
  const client = new EngineClient(engine.endpoint);
  const collected = new Map<string, Collected>();
  const keep = !!args.out;
  let resolveDone!: (e: Extract<EngineEvent, { type: 'finished' | 'failed' }>) => void;
  const done = new Promise<Extract<EngineEvent, { type: 'finished' | 'failed' }>>((r) => (resolveDone = r));
  client.onEvent((e) => {
    if ((e.type === 'spikes' || e.type === 'state' || e.type === 'rate') && keep) {
      const key = `${e.monitorId}/${e.source}`;
      let c = collected.get(key);
      if (!c) {
        c =
          e.type === 'spikes'
            ? { records: 'spikes', monitorId: e.monitorId, source: e.source, neuron: [], step: [] }
            : e.type === 'state'
              ? { records: 'state', monitorId: e.monitorId, source: e.source, variable: e.variable, neurons: e.neurons, everySteps: e.everySteps, step0: e.step0, values: [] }
              : { records: 'rate', monitorId: e.monitorId, source: e.source, size: e.size, binSteps: e.binSteps, bin0: e.bin0, counts: [] };
        collected.set(key, c);
      }
      if (e.type === 'spikes' && c.records === 'spikes') {
        c.neuron.push(e.neuron);
        c.step.push(e.step);
      } else if (e.type === 'state' && c.records === 'state') c.values.push(e.values);
      else if (e.type === 'rate' && c.records === 'rate') c.counts.push(e.counts);
    } else if (e.type === 'finished' || e.type === 'failed') resolveDone(e);
  });

  try {
    await client.hello();
    await client.run(plan, { noYield: true, chunkSteps: 1000 });
  } catch (e) {
    await engine.close();
    if (e instanceof EngineRequestError) {
      io.err(`spikeflow: ${e.error.nodeId ? `"${e.error.nodeId}": ` : ''}${e.message}`);
      return e.error.code === 'too-big' || e.error.code === 'build-failed' ? 2 : 1;
    }
    throw e;
  }
  const end = await done;
  await engine.close();
  if (end.type === 'failed') {
    io.err(`spikeflow: run failed: ${end.error.message}`);
    return 1;
  }
  const stats: RunStats = end.stats;
  const totalMs = performance.now() - tLoad;
  const summary = {
    file: args.file,
    engine_version: ENGINE_VERSION,
    seed: plan.seed,
    duration_ms: plan.durationMs,
    ...stats,
    load_ms: loadMs,
    total_ms: totalMs,
  };

  if (args.out) {
    await mkdir(args.out, { recursive: true });
    const files: string[] = [];
    for (const x of end.weights ?? []) {
      const name = `${x.nodeId}.weights.csv`;
      const lines = ['pre,post,w'];
      for (let k = 0; k < x.w.length; k++) lines.push(`${x.pre[k]},${x.post[k]},${x.w[k]}`);
      await writeFile(path.join(args.out, name), lines.join('\n') + '\n');
      files.push(name);
    }
    // Group by monitor, sources in the monitor's order.
    const byMonitor = new Map<string, Collected[]>();
    for (const c of collected.values()) byMonitor.set(c.monitorId, [...(byMonitor.get(c.monitorId) ?? []), c]);
    const npzFiles: string[] = [];
    for (const [monitorId, parts] of byMonitor) {
      parts.sort((a, b) => a.source - b.source);
      const data = monitorData(parts, plan);
      if (!data) continue;
      for (let i = 0; i < data.populations.length; i++) {
        const name = populationCsvName(monitorId, data, i);
        await writeFile(path.join(args.out, name), populationCsv(data, i));
        files.push(name);
      }
      const npz = `${monitorId}.npz`;
      await writeFile(path.join(args.out, npz), monitorNpz(data));
      npzFiles.push(npz);
    }
    const ranDoc = { ...doc, simulation: { ...doc.simulation, duration_ms: plan.durationMs, seed: plan.seed } };
    const spikeFiles = files.filter((f) => f.endsWith('.spikes.csv'));
    const weightFiles = files.filter((f) => f.endsWith('.weights.csv'));
    const traceFiles = files.filter((f) => f.endsWith('.state.csv') || f.endsWith('.rate.csv'));
    await writeFile(
      path.join(args.out, 'run.json'),
      JSON.stringify({ stats: summary, spike_files: spikeFiles, ...(traceFiles.length ? { trace_files: traceFiles } : {}), npz_files: npzFiles, ...(weightFiles.length ? { weight_files: weightFiles } : {}), graph: JSON.parse(serializeDocument(ranDoc)) }, null, 2) + '\n',
    );
  }

  if (args.json) io.out(JSON.stringify(summary));
  else {
    io.out(
      `${stats.neurons} neurons, ${stats.synapses} synapses, ${stats.steps} steps of ${stats.dt_ms} ms\n` +
        `${stats.spikes} spikes, mean rate ${stats.mean_rate_hz.toFixed(3)} Hz, ${stats.synaptic_events} synaptic events\n` +
        stats.populations.map((p) => `  ${p.nodeId}: ${p.spikes} spikes, ${p.rate_hz.toFixed(3)} Hz`).join('\n') +
        (stats.plastic ?? [])
          .map((p) => `\n  ${p.nodeId} (plastic, ${p.synapses} synapses): mean w/w_max ${p.w_mean_over_wmax.toFixed(3)}, ` +
            `${(100 * p.frac_low).toFixed(1)} % below 0.1·w_max, ${(100 * p.frac_high).toFixed(1)} % above 0.9·w_max`)
          .join('') +
        `\nbuild ${stats.build_ms.toFixed(1)} ms, run ${stats.run_ms.toFixed(1)} ms (${stats.realtime_factor.toFixed(2)}× real time)` +
        (args.out ? `\nwrote ${args.out}` : ''),
    );
  }
  return 0;
}

async function validateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length !== 1) throw new UsageError('validate needs exactly one FILE');
  const doc = await readDocument(argv[0], io);
  if (!doc) return 2;
  const compiled = compileDocument(doc);
  if (!compiled.ok) {
    for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return 2;
  }
  io.out(`${argv[0]}: valid (${doc.nodes.length} nodes, ${doc.edges.length} wires)`);
  return 0;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await runCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case '--version':
      case '-v':
        io.out(ENGINE_VERSION);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${cmd}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`spikeflow: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
