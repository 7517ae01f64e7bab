/**
 * The `spikeflow` command line: runs a graph document headless with the same
 * engine and protocol as the app.
 *
 *   spikeflow run FILE [--duration-ms N] [--seed N] [--out DIR] [--json] [--worker]
 *                 [--save-weights inline|file] [--save-to PATH]
 *   spikeflow validate FILE
 *   spikeflow export FILE --to brian2 [-o net.py]
 *   spikeflow import model.nir -o model.spikeflow.json
 *
 * Exit codes: 0 ok, 1 the run failed, 2 bad usage or an invalid document.
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic as writeFile } from './atomic-write.ts';
import os from 'node:os';
import path from 'node:path';
import { compileDocument } from '../compile/compile.ts';
import { EngineClient, EngineRequestError } from '../protocol/client.ts';
import type { EngineEvent, TrainingSummary } from '../protocol/messages.ts';
import type { GraphDocument } from '../format/document.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';
import { parseWeightsFile, sideFileNameFor, storeTimeConstants, storeWeights, type ProjectionWeights } from '../format/weights.ts';
import type { LearntTimeConstants } from '../learn/trainer.ts';
import { assertSideFileConfined, sideFilePath } from './side-file-path.ts';
import { RunRecorder, estimateOutputs, writeRunOutput } from './run-output.ts';
import { estimateMemory, formatBytes } from '../sim/network.ts';
import { estimateTraining } from '../learn/limits.ts';
import { estimateWallSeconds, formatSeconds } from './time-estimate.ts';
import { documentChunks, jsonWithDocument, weightsFileChunks } from './json-chunks.ts';
import { profileText, type RunStats } from '../sim/stats.ts';
import type { SpikeMonitorStats } from '../analysis/spike-train-stats.ts';
import { createInProcessEngine } from './in-process.ts';
import { createNodeWorkerEngine } from './node-worker.ts';
import { nodeThreadSupport } from './node-threads.ts';
import { ENGINE_VERSION } from '../protocol/server.ts';
import { exportCommand } from './cli-export.ts';
import { SWEEP_HELP, SWEEP_USAGE, sweepCommand } from './cli-sweep.ts';
import { BACKENDS, runOnBackend, type Backend } from './backend-run.ts';
import { sourceSpikes } from './pynn-inputs.ts';
import { importCommand } from './cli-import.ts';
import { UsageError, readDocument, withSideFiles, type CliIo } from './cli-common.ts';
import { checkpointWriter, readCheckpoint, withCheckpoints } from './cli-checkpoint.ts';
import { withAbsoluteDatasetPaths } from './dataset-files-node.ts';

const USAGE = `Usage:
  spikeflow run FILE [--duration-ms N] [--seed N] [--out DIR] [--json] [--worker]
                     [--threads N] [--save-weights inline|file] [--save-to PATH]
                     [--max-minutes N] [--epochs N] [--checkpoint FILE] [--resume FILE]
                     [--profile]
  spikeflow run FILE --backend spikeflow|nest|neuron|brian2 [--mpi N] [--threads N]
  spikeflow validate [--json] FILE
  spikeflow export FILE --to brian2 [-o net.py] [--brian2-device runtime|cpp_standalone]
  spikeflow export FILE --to pynn -o net.py   (and net.inputs.npz: its input spikes)
  spikeflow export FILE --to nir -o model.nir [--static-weights]
  spikeflow import model.nir -o model.spikeflow.json [--dt-ms X] [--time-unit s|ms]
                   [--reset subtract|to-v-reset] [--input spike-file|generator|dataset]
${SWEEP_USAGE}
  spikeflow --version

run       simulate a graph document (*.spikeflow.json) headless
  --duration-ms N  override the document's simulation duration
  --seed N         override the document's seed
  --out DIR        write into DIR: run.json (stats and the graph that ran);
                   per monitor and observed population a CSV
                   (<monitor>.<pop>.spikes.csv: neuron,t_ms;
                   .state.csv: t_ms,neuron,value; .rate.csv: t_ms,rate_hz);
                   per monitor <monitor>.npz (numpy.load; a weight monitor's
                   holds w [snapshots, synapses], t_ms, pre, post); and each
                   plasticity node's final weights as CSV (pre,post,w)
  --json           print one JSON object with the run statistics (plastic
                   projections: a summary of the final weights)
  --worker         run the engine on a worker thread instead of in-process
  --epochs N       a graph with a surrogate-gradient trainer: train for N
                   epochs instead of the trainer's setting
  --checkpoint FILE  training: write the state to resume from (weights,
                   optimiser state, epoch) to FILE after every epoch
  --resume FILE    training: go on from a checkpoint FILE (same network)
  --threads N      simulation threads (default: every core, on machines with 4 or
                   more, for networks of 20,000 neurons or 1 M synapses or more,
                   else 1); results are identical for
                   any N, and the stats report the count used
  --profile        time the build's phases and each phase of the step: --json
                   then has "profile" {build_ms, run_ms, paths}; with --threads
                   N also every thread's busy and barrier-wait time ("threads")
  --save-weights inline|file
                   after the run, write the learned weights of every plastic
                   projection back into the document (FILE, or --save-to):
                   inline in its "weights" field, or into the side file
                   <name>.weights.json next to it, which the document then
                   references; the document then reloads with them
  --save-to PATH   write the updated document to PATH instead of FILE
  --backend B      run on another engine through PyNN (nest, neuron, brian2):
                   the graph is exported as a PyNN script, run in a child
                   process, and its spikes are read back into the same stats,
                   --json and --out (labelled with the backend); Ctrl+C stops it
  --mpi N          with --backend: run the script under mpirun -np N
  --max-minutes N  refuse a simulation whose estimated wall time (a rough
                   bound; --json reports it as estimate.wall_s) is over N
export    the document in another tool's format (what cannot be expressed is
          named on stderr)
  --static-weights  (nir) plasticity's stored weights become static Linear
                    nodes, drawn connectivity the synapses drawn under the
                    seed, and Poisson sources and encoders Input nodes;
                    without it they are refused, by name
import    a NIR graph (.nir, HDF5) as a document, laid out; what is not
          imported is named on stderr with the reason
  --dt-ms X        the step (default: the file's metadata dt, else 0.1)
  --time-unit U    the unit of the file's times (default: its metadata, else
                   ms when every time constant is above 1, else s)
  --reset R        subtract (v − threshold) or to-v-reset (default: the file's
                   metadata, else subtract when every v_reset is 0)
  --input I        an Input becomes a spike-file generator (default), a
                   Poisson generator, or a dataset's rate encoder
validate  check a document and print its problems
  --json           print {file, valid, nodes, wires, estimate} (memory_bytes,
                   wall_s: the estimates a run is checked against)
${SWEEP_HELP}`;

export type { CliIo } from './cli-common.ts';

interface RunArgs {
  file: string;
  durationMs?: number;
  seed?: number;
  out?: string;
  json: boolean;
  worker: boolean;
  threads?: number;
  epochs?: number;
  saveWeights?: 'inline' | 'file';
  saveTo?: string;
  maxMinutes?: number;
  checkpoint?: string;
  resume?: string;
  backend?: Backend;
  mpi?: number;
  profile?: boolean;
}

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
      case '--save-weights': {
        const v = argv[++i];
        if (v !== 'inline' && v !== 'file') throw new UsageError(`--save-weights needs "inline" or "file" (got ${v === undefined ? 'nothing' : JSON.stringify(v)})`);
        args.saveWeights = v;
        break;
      }
      case '--save-to': {
        const v = argv[++i];
        if (!v) throw new UsageError('--save-to needs a file');
        args.saveTo = v;
        break;
      }
      case '--worker':
        args.worker = true;
        break;
      case '--epochs':
        args.epochs = parseNumber(a, argv[++i], true);
        if (args.epochs < 1) throw new UsageError('--epochs must be at least 1');
        break;
      case '--checkpoint':
      case '--resume': {
        const v = argv[++i];
        if (!v) throw new UsageError(`${a} needs a file`);
        args[a === '--checkpoint' ? 'checkpoint' : 'resume'] = v;
        break;
      }
      case '--max-minutes':
        args.maxMinutes = parseNumber(a, argv[++i], false);
        if (!(args.maxMinutes > 0)) throw new UsageError('--max-minutes must be > 0');
        break;
      case '--backend': {
        const v = argv[++i];
        if (!BACKENDS.includes(v as Backend)) throw new UsageError(`--backend needs one of ${BACKENDS.join(', ')} (got ${v === undefined ? 'nothing' : JSON.stringify(v)})`);
        args.backend = v as Backend;
        break;
      }
      case '--mpi':
        args.mpi = parseNumber(a, argv[++i], true);
        if (args.mpi < 1) throw new UsageError('--mpi must be at least 1');
        break;
      case '--profile':
        args.profile = true;
        break;
      case '--threads':
        args.threads = parseNumber(a, argv[++i], true);
        if (args.threads < 1) throw new UsageError('--threads must be at least 1');
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (args.file) throw new UsageError(`only one FILE, got ${args.file} and ${a}`);
        args.file = a;
    }
  }
  if (!args.file) throw new UsageError('run needs a FILE');
  if (args.saveTo && !args.saveWeights) throw new UsageError('--save-to goes with --save-weights');
  if (args.mpi !== undefined && (!args.backend || args.backend === 'spikeflow')) throw new UsageError('--mpi goes with --backend nest|neuron|brian2');
  return args;
}

/** Write a run's learned weights back into the document (and its side file); the paths written. */
async function saveWeights(
  args: RunArgs,
  doc: GraphDocument,
  sideFiles: ReadonlyMap<string, string | null>,
  weights: readonly ProjectionWeights[],
  timeConstants: readonly LearntTimeConstants[] = [],
): Promise<string[]> {
  const target = args.saveTo ?? args.file;
  const updated = structuredClone(doc);
  const written: string[] = [];
  // Learnt time constants go into their populations' params, with the weights they were trained with.
  storeTimeConstants(updated, timeConstants);
  if (args.saveWeights === 'file') {
    const name = sideFileNameFor(path.basename(target), updated.meta.name);
    const previous = sideFiles.get(name);
    const parsed = previous ? parseWeightsFile(previous) : null;
    const { file } = storeWeights(updated, weights, { file: name, base: parsed?.ok ? parsed.file : undefined });
    const sidePath = sideFilePath(target, name);
    await assertSideFileConfined(sidePath, target);
    await writeFile(sidePath, weightsFileChunks(file!));
    written.push(sidePath);
  } else storeWeights(updated, weights, 'inline');
  updated.meta = { ...updated.meta, modified: new Date().toISOString() };
  await writeFile(target, documentChunks(updated));
  written.unshift(target);
  return written;
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const tLoad = performance.now();
  const args = parseRunArgs(argv);
  const doc = await readDocument(args.file, io);
  if (!doc) return 2;
  const resolved = await withSideFiles(doc, args.file, io);
  if (!resolved) return 2;
  const compiled = compileDocument(resolved.doc, { durationMs: args.durationMs, seed: args.seed });
  if (!compiled.ok) {
    io.err(`spikeflow: ${args.file} cannot run:`);
    for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return 2;
  }
  if (args.backend && args.backend !== 'spikeflow') return runOnBackend({ ...args, backend: args.backend }, compiled.plan, resolved.doc, io, sourceSpikes);
  let plan = compiled.plan;
  if (plan.trainers?.length && (args.epochs !== undefined || args.durationMs !== undefined)) {
    // --epochs bounds the epochs; --duration-ms the simulated time trained (samples × presentation window).
    const presentationMs = plan.populations.map((p) => p.params.presentation_ms).find((x): x is number => typeof x === 'number' && x > 0);
    const maxSamples = args.durationMs !== undefined && presentationMs ? Math.max(1, Math.floor(args.durationMs / presentationMs)) : undefined;
    plan = {
      ...plan,
      trainers: plan.trainers.map((t) => ({ ...t, params: { ...t.params, ...(args.epochs !== undefined ? { epochs: args.epochs } : {}), ...(maxSamples ? { max_samples: maxSamples } : {}) } })),
    };
  }
  if (args.checkpoint || args.resume) {
    try {
      plan = withCheckpoints(plan, !!args.checkpoint, args.resume ? await readCheckpoint(args.resume) : undefined);
    } catch (e) {
      io.err(`spikeflow: ${(e as Error).message}`);
      return 2;
    }
  }
  const checkpoints = args.checkpoint ? checkpointWriter(args.checkpoint, (m) => io.err(`spikeflow: ${m}`)) : null;
  const memoryLimitBytes = io.memoryLimitBytes ?? Math.floor(os.totalmem() * 0.8);
  const estimate = estimateOf(plan);
  if (args.maxMinutes !== undefined && estimate.wall_s !== null && estimate.wall_s > args.maxMinutes * 60) {
    io.err(
      `spikeflow: ${args.file} cannot run: the simulation would take about ${formatSeconds(estimate.wall_s)} (a rough bound), more than --max-minutes ${args.maxMinutes}; ` +
        `lower simulation.duration_ms (${plan.durationMs} ms) or raise simulation.dt_ms (${plan.dtMs} ms), or make the network smaller.`,
    );
    return 2;
  }
  if (args.out && !plan.trainers?.length) {
    // The engine refuses a network past the limit; what --out keeps comes on top, in this process.
    const net = estimateMemory(plan, runtimeOf).bytes;
    const outputs = estimateOutputs(plan);
    if (net + outputs.bytes > memoryLimitBytes) {
      io.err(
        `spikeflow: ${args.file} cannot run: the network (about ${formatBytes(net)}) and what --out keeps (about ${formatBytes(outputs.bytes)}) need more than the limit of ${formatBytes(memoryLimitBytes)}` +
          (outputs.monitorId ? `; lower monitor "${outputs.monitorId}"'s ${outputs.field} or the run's duration_ms.` : '.'),
      );
      return 2;
    }
  }
  const loadMs = performance.now() - tLoad;

  const engine: { endpoint: ReturnType<typeof createInProcessEngine>['endpoint']; close: () => unknown; onCrash?: ReturnType<typeof createNodeWorkerEngine>['onCrash'] } = args.worker
    ? createNodeWorkerEngine(io.workerBootUrl)
    : createInProcessEngine({ memoryLimitBytes, threads: nodeThreadSupport(io.threadEntryUrl ?? new URL('./sim-thread-node-boot.mjs', import.meta.url)) });
  const client = new EngineClient(engine.endpoint);
  // Monitor data for --out, within the monitors' caps (run-output.ts).
  const recorder = args.out ? new RunRecorder(plan) : null;
  let resolveDone!: (e: Extract<EngineEvent, { type: 'finished' | 'failed' }>) => void;
  const done = new Promise<Extract<EngineEvent, { type: 'finished' | 'failed' }>>((r) => (resolveDone = r));
  // The last step the engine reported, for keeping a failed run's data.
  let lastStep = 0;
  if (engine.onCrash) {
    // A worker that dies ends the run with its reason, and rejects any request still waiting.
    engine.onCrash((error) => {
      client.dispose(error);
      resolveDone({ type: 'failed', runId: 0, error });
    });
  }
  client.onEvent((e) => {
    if (recorder?.accept(e)) return;
    if (e.type === 'train-progress' && e.checkpoint) checkpoints?.write(e.checkpoint);
    if (e.type === 'progress') lastStep = e.step;
    else if (e.type === 'train-progress' && e.report && !args.json) {
      const r = e.report;
      io.err(
        `epoch ${r.epoch}/${e.epochs}: loss ${r.loss.toFixed(4)}, train ${(100 * r.trainAccuracy).toFixed(1)} %` +
          (r.testAccuracy !== null ? `, test ${(100 * r.testAccuracy).toFixed(1)} %` : '') +
          ` (${(e.wallMs / 1000).toFixed(1)} s)`,
      );
    } else if (e.type === 'finished' || e.type === 'failed') resolveDone(e);
  });

  try {
    await client.hello();
    // An engine on a worker thread reads the dataset files itself, by absolute path.
    await client.run(args.worker ? withAbsoluteDatasetPaths(plan, args.file) : plan, {
      noYield: true,
      chunkSteps: 1000,
      ...(args.threads ? { threads: args.threads } : {}),
      ...(args.profile ? { profile: true } : {}),
    });
  } catch (e) {
    await engine.close();
    if (e instanceof EngineRequestError) {
      io.err(`spikeflow: ${e.error.nodeId ? `"${e.error.nodeId}": ` : ''}${e.message}`);
      return e.error.code === 'too-big' || e.error.code === 'build-failed' ? 2 : 1;
    }
    throw e;
  }
  const end = await done;
  await checkpoints?.flush();
  await engine.close();
  if (end.type === 'failed') {
    io.err(`spikeflow: run failed: ${end.error.message}`);
    if (args.out && recorder) {
      // What arrived before the failure is kept, and run.json says the run failed.
      const kept = await keepOutputs(args.out, recorder, plan, lastStep, [], { failed: end.error.message, steps_received: lastStep }, doc, io);
      if (kept) io.err(`spikeflow: the data received before the failure (${lastStep} steps) is in ${args.out}`);
    }
    return 1;
  }
  if (end.note) io.err(`spikeflow: warning: ${end.note}`);
  if (end.training?.note) io.err(`spikeflow: warning: ${end.training.note}`);
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
    estimate,
    ...(end.training ? { training: end.training } : {}),
  };

  let code = 0;
  if (args.out && recorder) {
    const learned = [...(end.weights ?? []), ...(end.trainedWeights ?? [])];
    if (!(await keepOutputs(args.out, recorder, plan, stats.steps, learned, { stats: summary }, doc, io))) code = 1;
  }

  let savedTo: string[] = [];
  if (args.saveWeights) {
    if (end.stopped) io.err('spikeflow: the run was stopped; its weights are not saved');
    else {
      // Plastic projections' learned weights and a trainer's trained ones are stored alike.
      const learned: ProjectionWeights[] = [...(end.weights ?? []), ...(end.trainedWeights ?? [])];
      if (learned.length === 0) io.err('spikeflow: --save-weights: the graph has no plastic or trained projection, so there are no learned weights to save');
      else {
        try {
          savedTo = await saveWeights(args, doc, resolved.files, learned, end.training?.timeConstants);
        } catch (e) {
          io.err(`spikeflow: could not save the learned weights: ${(e as Error).message ?? String(e)}; the document on disk is unchanged`);
          code = 1;
        }
      }
    }
  }

  if (args.json) io.out(JSON.stringify(summary));
  else {
    io.out(
      `${stats.neurons} neurons, ${stats.synapses} synapses, ${stats.steps} steps of ${stats.dt_ms} ms\n` +
        `${stats.spikes} spikes, mean rate ${stats.mean_rate_hz.toFixed(3)} Hz, ${stats.synaptic_events} synaptic events\n` +
        stats.populations.map((p) => `  ${p.nodeId}: ${p.spikes} spikes, ${p.rate_hz.toFixed(3)} Hz`).join('\n') +
        (stats.plastic ?? [])
          .map(
            (p) =>
              `\n  ${p.nodeId} (plastic, ${p.synapses} synapses): mean w/w_max ${p.w_mean_over_wmax.toFixed(3)}, ` +
              `${(100 * p.frac_low).toFixed(1)} % below 0.1·w_max, ${(100 * p.frac_high).toFixed(1)} % above 0.9·w_max`,
          )
          .join('') +
        (stats.readouts ?? [])
          .map(
            (r) =>
              `\n  ${r.nodeId} (readout, ${r.assignment}): train accuracy ${accuracyText(r.train_accuracy, r.train_presentations)}, ` +
              `test accuracy ${accuracyText(r.test_accuracy, r.test_presentations)}`,
          )
          .join('') +
        (stats.monitors ?? []).map(monitorText).join('') +
        (end.training ? trainingText(end.training) : '') +
        `\nbuild ${stats.build_ms.toFixed(1)} ms, run ${stats.run_ms.toFixed(1)} ms (${stats.realtime_factor.toFixed(2)}× real time)` +
        `, ${stats.threads ?? 1} thread${(stats.threads ?? 1) === 1 ? '' : 's'}${stats.threads_note ? ` (${stats.threads_note})` : ''}` +
        (stats.profile ? `\n${profileText(stats.profile, stats.run_ms)}` : '') +
        (args.out ? `\nwrote ${args.out}` : '') +
        (savedTo.length ? `\nsaved the learned weights: ${savedTo.join(', ')}` : ''),
    );
  }
  return code;
}

/**
 * Write --out (run-output.ts) and run.json; false after reporting a failure
 * (the run's other results, stats and weights, are still reported and saved).
 */
async function keepOutputs(
  dir: string,
  recorder: RunRecorder,
  plan: NetworkPlan,
  steps: number,
  learned: readonly ProjectionWeights[],
  head: Record<string, unknown>,
  doc: GraphDocument,
  io: CliIo,
): Promise<boolean> {
  try {
    recorder.finish(steps);
    await mkdir(dir, { recursive: true });
    const written = await writeRunOutput(dir, recorder, plan, learned);
    const dropped = recorder.dropped();
    const ranDoc = { ...doc, simulation: { ...doc.simulation, duration_ms: plan.durationMs, seed: plan.seed } };
    const runJson = {
      ...head,
      spike_files: written.spike_files,
      ...(written.trace_files.length ? { trace_files: written.trace_files } : {}),
      npz_files: written.npz_files,
      ...(written.weight_files.length ? { weight_files: written.weight_files } : {}),
      // Per monitor, what its caps (max_spikes, max_values, window_ms) dropped.
      ...(Object.keys(dropped).length ? { dropped } : {}),
    };
    await writeFile(path.join(dir, 'run.json'), jsonWithDocument(runJson, 'graph', ranDoc));
    for (const [m, n] of Object.entries(dropped))
      io.err(`spikeflow: monitor "${m}" kept its cap: ${n} ${plan.monitors.find((x) => x.nodeId === m)?.kind === 'state-monitor' ? 'values' : 'spikes'} were not kept (run.json: dropped)`);
    return true;
  } catch (e) {
    io.err(`spikeflow: could not write the results into ${dir}: ${(e as Error).message ?? String(e)}`);
    return false;
  }
}

/** The lines a training run adds to the text report. */
function trainingText(t: TrainingSummary): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  const sim = t.simulated;
  return (
    `\n${t.trainerId}: trained ${t.epochs}/${t.epochsPlanned} epochs${t.stopped ? ' (stopped)' : ''}${t.budgetSpent ? ' (bounded by --duration-ms)' : ''}${t.note ? ` (${t.note})` : ''} in ${(t.trainMs / 1000).toFixed(1)} s ` +
    `on ${t.trainSamples} samples; test accuracy ${pct(t.testAccuracy)} on ${t.testSamples} held-out samples (train ${pct(t.trainAccuracy)})` +
    (sim
      ? `\n  in the event-driven simulation: test accuracy ${pct(sim.testAccuracy)}; per sample ${sim.spikesPerSample.toFixed(1)} spikes, ` +
        `${sim.inputSpikesPerSample.toFixed(1)} input spikes, ${sim.synopsPerSample.toFixed(0)} synaptic operations (dense ANN: ${t.denseMacsPerSample} MACs)`
      : '')
  );
}

/**
 * The estimates a run is checked against: memory (the network's, or training's)
 * and wall time (time-estimate.ts; null for training, which it does not model).
 */
function estimateOf(plan: NetworkPlan): { memory_bytes: number; wall_s: number | null } {
  const trainer = plan.trainers?.[0];
  if (trainer) return { memory_bytes: estimateTraining(plan, trainer).bytes, wall_s: null };
  const net = estimateMemory(plan, runtimeOf);
  return { memory_bytes: net.bytes, wall_s: estimateWallSeconds(plan, net.synapses) };
}

async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const argv = args.filter((a) => a !== '--json');
  if (argv.length !== 1) throw new UsageError('validate needs exactly one FILE');
  const doc = await readDocument(argv[0], io);
  if (!doc) return 2;
  const resolved = await withSideFiles(doc, argv[0], io);
  if (!resolved) return 2;
  const compiled = compileDocument(resolved.doc);
  if (!compiled.ok) {
    for (const i of compiled.issues) io.err(`  ${i.pointer || '/'}: ${i.message}`);
    return 2;
  }
  // The build's memory check too (this machine's limit), so "valid" means it will build here.
  const plan = compiled.plan;
  const limit = io.memoryLimitBytes ?? Math.floor(os.totalmem() * 0.8);
  const trainer = plan.trainers?.[0];
  const need = trainer ? estimateTraining(plan, trainer) : { bytes: estimateMemory(plan, runtimeOf).bytes, nodeId: undefined, field: undefined };
  if (need.bytes > limit) {
    io.err(
      `  ${argv[0]}: the ${trainer ? 'training' : 'network'} needs about ${formatBytes(need.bytes)}, more than this machine's limit of ${formatBytes(limit)}` +
        (need.nodeId ? `; make "${need.nodeId}" smaller (field ${need.field}).` : '.'),
    );
    return 2;
  }
  if (json) io.out(JSON.stringify({ file: argv[0], valid: true, nodes: doc.nodes.length, wires: doc.edges.length, estimate: estimateOf(plan) }));
  else io.out(`${argv[0]}: valid (${doc.nodes.length} nodes, ${doc.edges.length} wires)`);
  return 0;
}

/**
 * The subcommands. A new command is a function in its own file (cli-<name>.ts,
 * taking the arguments after its name) and one line here.
 */
const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  run: runCommand,
  validate: validateCommand,
  export: exportCommand,
  sweep: sweepCommand,
  import: importCommand,
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    const command = cmd === undefined ? undefined : Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
    if (command) return await command(rest, io);
    switch (cmd) {
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
    // Never a bare stack trace: say what failed (SPIKEFLOW_DEBUG=1 adds the stack).
    io.err(`spikeflow: internal error: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.SPIKEFLOW_DEBUG) io.err(String((e as Error)?.stack ?? ''));
    return 1;
  }
}

/** A spike monitor's statistics for the text report (issue 16). */
function monitorText(m: SpikeMonitorStats): string {
  const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
  const c = m.criticality;
  return (
    `\n  ${m.nodeId} (spike monitor): CV(ISI) ${f(m.cv_isi_mean)} over ${m.cv_isi_neurons} neurons, synchrony (CV of the 1 ms count) ${f(m.pop_count_cv)}` +
    (m.spectrum
      ? `\n    population spectrum (1 ms count, against Poisson): Fano ${f(m.spectrum.fano)}, 100–300 Hz power ${f(m.spectrum.band_power)}, peak ${f(m.spectrum.peak_hz, 1)} Hz (${f(m.spectrum.peak_power, 1)})`
      : '') +
    (c
      ? `\n    criticality (bins of ${f(c.bin_ms, 3)} ms): ${c.avalanches} avalanches, size exponent ${f(c.sizes?.exponent)} (x_min ${c.sizes?.xmin ?? '—'}, p ${f(c.sizes?.p_value)}), ` +
        `duration exponent ${f(c.durations?.exponent)} (x_min ${c.durations?.xmin ?? '—'}, p ${f(c.durations?.p_value)}), crackling ${f(c.crackling.predicted)} predicted vs ${f(c.crackling.fitted)} fitted, ` +
        `branching ratio m ${f(c.branching?.m, 4)}`
      : '') +
    (m.memory_capacity ? `\n    ${memoryText(m.memory_capacity)}` : '')
  );
}

/** A spike monitor's memory capacity for the text report (issue 16). */
function memoryText(mc: NonNullable<SpikeMonitorStats['memory_capacity']>): string {
  if (mc.capacity === null) return `memory capacity: not measured (${mc.error ?? 'no result'})`;
  return `memory capacity for ${mc.input} (bins of ${mc.bin_ms} ms, delays 0 … ${mc.r2.length - 1}): ${mc.capacity.toFixed(3)}; r² at delays 0, 1, 2: ${mc.r2
    .slice(0, 3)
    .map((r) => r.toFixed(3))
    .join(', ')}`;
}

/** A readout's accuracy for the text report (issue 5). */
function accuracyText(acc: number | null, presentations: number): string {
  return acc === null ? 'not scored' : `${(100 * acc).toFixed(1)} % of ${presentations}`;
}
