/**
 * `spikeflow run FILE --backend nest|neuron|brian2 [--mpi N] [--threads N]`:
 * the document exported as a PyNN script (engine/interop/pynn/) into a temp
 * folder, run on that simulator in a child process (through `mpirun` when
 * asked), its progress streamed, Ctrl+C cancelling it; then its recorded spikes
 * are read back (pynn-results.ts) and reported like a Spikeflow run — stats,
 * `--json`, `--out` in the same layout — labelled with the backend.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.ts';
import os from 'node:os';
import path from 'node:path';
import type { GraphDocument } from '../format/document.ts';
import type { NetworkPlan } from '../core/plan.ts';
import { runtimeOf } from '../kinds/index.ts';
import { PYNN_SIMULATORS } from '../interop/pynn/index.ts';
import type { CliIo } from './cli-common.ts';
import { importedStats, readPyNNResults, type ImportedSpikes, type PyNNRunInfo } from './pynn-results.ts';
import { writePyNNScript, type SourceSpikes } from './pynn-script.ts';
import { RunRecorder, writeRunOutput } from './run-output.ts';
import { jsonWithDocument } from './json-chunks.ts';

/** The engines `--backend` takes: Spikeflow's own, and PyNN's simulators. */
export const BACKENDS = ['spikeflow', 'nest', 'neuron', 'brian2'] as const;
export type Backend = (typeof BACKENDS)[number];
export type PyNNBackend = Exclude<Backend, 'spikeflow'>;

/** The Python that runs the scripts: SPIKEFLOW_PYTHON, else Debian's (the PyNN packages install there). */
export const backendPython = (): string => process.env.SPIKEFLOW_PYTHON ?? '/usr/bin/python3';

/** The exact command that installs each backend (and MPI). */
export const INSTALL: Readonly<Record<PyNNBackend | 'mpi', string>> = {
  brian2: 'apt-get install -y python3-pynn python3-brian g++',
  neuron:
    'apt-get install -y python3-pynn python3-neuron neuron-dev g++ && ln -sf /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile && ' +
    'cd /usr/lib/python3/dist-packages/pyNN/neuron/nmodl && nrnivmodl -loadflags "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn"',
  nest: 'NEST is not packaged in Debian: conda install -c conda-forge nest-simulator=3.3 pynn=0.10 (or the NEST PPA, or the nestsim/nest Docker image), then run spikeflow with SPIKEFLOW_PYTHON set to that python',
  mpi: 'apt-get install -y openmpi-bin python3-mpi4py',
};

/** What a backend run is asked for (the rest of `spikeflow run`'s options apply as usual). */
export interface BackendRunArgs {
  readonly file: string;
  readonly backend: PyNNBackend;
  readonly mpi?: number;
  readonly threads?: number;
  readonly out?: string;
  readonly json: boolean;
  /** Keep the temp folder with the script and its raw output (default: removed after a successful run). */
  readonly keep?: boolean;
}

/** Whether `backend` imports in the backend's Python; null when it does, else the reason (its error's last line). */
export function backendMissing(backend: PyNNBackend, python = backendPython()): string | null {
  // Importing pyNN.brian2 takes seconds (minutes on a loaded machine).
  const r = spawnSync(python, ['-c', `import ${PYNN_SIMULATORS[backend]} as s`], { encoding: 'utf8', timeout: 600_000, cwd: os.tmpdir() });
  if (r.error) return `${python}: ${r.error.message}`;
  if (r.status === 0) return null;
  const lines = `${r.stderr}`.trim().split('\n');
  return lines[lines.length - 1] || `exit code ${r.status}`;
}

/** Whether `mpirun` runs; null when it does. */
export function mpiMissing(): string | null {
  const r = spawnSync('mpirun', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.error ? r.error.message : r.status === 0 ? null : `mpirun --version: exit code ${r.status}`;
}

/** The command line that runs `script` on `backend` (through mpirun for `mpi` > 1 processes). */
export function backendCommand(script: string, outDir: string, args: Pick<BackendRunArgs, 'backend' | 'mpi' | 'threads'>, python = backendPython()): string[] {
  // SPIKEFLOW_BRIAN2_CODEGEN=numpy skips Brian2's Cython compilation (minutes on a first run).
  const codegen = args.backend === 'brian2' && process.env.SPIKEFLOW_BRIAN2_CODEGEN ? ['--codegen', process.env.SPIKEFLOW_BRIAN2_CODEGEN] : [];
  const run = [python, script, '--simulator', args.backend, '--out', outDir, ...(args.threads ? ['--threads', String(args.threads)] : []), ...codegen];
  if (!args.mpi) return run;
  // Open MPI refuses root without --allow-run-as-root, and more processes than cores without --oversubscribe.
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return ['mpirun', ...(root ? ['--allow-run-as-root'] : []), '--oversubscribe', '-np', String(args.mpi), ...run];
}

/** How a backend run is named to people: `neuron`, `neuron (mpirun -np 2)`. */
export const backendLabel = (backend: PyNNBackend, mpi?: number): string => `${backend}${mpi ? ` (mpirun -np ${mpi})` : ''}`;

/** What a backend job reports while it runs, and how it is cancelled. */
export interface BackendJobHooks {
  /** The script's progress: simulated ms done of the total. */
  readonly onProgress?: (doneMs: number, totalMs: number) => void;
  /** Aborting stops the child process (its whole process group). */
  readonly signal?: AbortSignal;
  /** The child process started (its id is also its process group's). */
  readonly onStart?: (pid: number) => void;
}

/** How a backend job ended: its results, or why not (with `spikeflow run`'s exit code). */
export type BackendJobResult =
  | {
      readonly ok: true;
      readonly info: PyNNRunInfo;
      readonly spikes: ImportedSpikes[];
      readonly notExported: readonly string[];
      readonly approximations: readonly string[];
      /** The temp folder with the script and its raw output. */
      readonly dir: string;
    }
  | { readonly ok: false; readonly code: 1 | 2 | 130; readonly message: string; readonly notExported?: readonly string[]; readonly approximations?: readonly string[] };

/**
 * Export `plan` as a PyNN script into a temp folder, run it on a backend in a
 * child process (through mpirun when asked) and read its recorded spikes back.
 * Shared by `spikeflow run --backend` and the desktop app (electron/backend-run-ipc.ts).
 * A missing backend or mpirun is reported with its install command; a failing
 * script with its error output. The temp folder stays on failure (its path is in
 * the message) and is the caller's to remove on success.
 */
export async function runBackendJob(
  plan: NetworkPlan,
  title: string,
  job: Pick<BackendRunArgs, 'backend' | 'mpi' | 'threads'>,
  sourceSpikes: SourceSpikes,
  hooks: BackendJobHooks = {},
): Promise<BackendJobResult> {
  const missing = backendMissing(job.backend);
  if (missing?.includes('ETIMEDOUT'))
    return { ok: false, code: 2, message: `backend "${job.backend}" did not answer: importing ${PYNN_SIMULATORS[job.backend]} took over 10 minutes (is the machine overloaded?)` };
  if (missing) return { ok: false, code: 2, message: `backend "${job.backend}" is not installed (${missing}).\nInstall it with:\n  ${INSTALL[job.backend]}` };
  if (job.mpi) {
    const noMpi = mpiMissing();
    if (noMpi) return { ok: false, code: 2, message: `--mpi needs mpirun, which does not run here (${noMpi}).\nInstall it with:\n  ${INSTALL.mpi}` };
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'spikeflow-pynn-'));
  const script = path.join(tmp, 'net.py');
  const rawOut = path.join(tmp, 'results');
  let exported: Awaited<ReturnType<typeof writePyNNScript>>;
  try {
    exported = await writePyNNScript(plan, script, title, sourceSpikes);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    return { ok: false, code: 2, message: `the document cannot be exported as a PyNN script: ${(e as Error).message}` };
  }
  const notes = { notExported: exported.notExported, approximations: exported.approximations };
  const label = backendLabel(job.backend, job.mpi);
  const ended = await runChild(backendCommand(script, rawOut, job), hooks);
  if (ended.cancelled) return { ok: false, code: 130, message: `the ${label} run was cancelled; its script is in ${tmp}`, ...notes };
  if (ended.signal) {
    // Killed from outside (the user, the system running out of memory): no results, and it says so.
    const tail = ended.stderr.trim() ? ` Its error output:\n${ended.stderr.trimEnd()}` : '';
    return { ok: false, code: 1, message: `the ${label} run was killed (${ended.signal}) before it finished, so it has no results; its script is in ${tmp}.${tail}`, ...notes };
  }
  if (ended.code !== 0) {
    const missingNote = /spikeflow-backend-missing/.test(ended.stderr) ? `backend "${job.backend}" is not installed.\nInstall it with:\n  ${INSTALL[job.backend]}\n` : '';
    return { ok: false, code: 1, message: `${missingNote}the ${label} run failed (exit code ${ended.code}); its script is in ${tmp}. Its error output:\n${ended.stderr.trimEnd()}`, ...notes };
  }
  try {
    const results = await readPyNNResults(rawOut, plan);
    return { ok: true, ...results, ...notes, dir: tmp };
  } catch (e) {
    return { ok: false, code: 1, message: `the ${label} run finished but its results cannot be read: ${(e as Error).message}`, ...notes };
  }
}

/**
 * Run `plan` on a PyNN backend and report it as `spikeflow run` reports a run.
 * Exit codes as `spikeflow run`: 0 ok, 1 the run failed, 2 the backend is not
 * installed or the document cannot be exported; 130 cancelled.
 */
export async function runOnBackend(args: BackendRunArgs, plan: NetworkPlan, doc: GraphDocument, io: CliIo, sourceSpikes: SourceSpikes): Promise<number> {
  const t0 = performance.now();
  const label = backendLabel(args.backend, args.mpi);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  let lastPct = -1;
  const onProgress = (done: number, total: number) => {
    const pct = Math.floor((100 * done) / total);
    if (pct !== lastPct) io.err(`${label}: ${pct} % (${done} of ${total} ms)`);
    lastPct = pct;
  };
  let results: BackendJobResult;
  try {
    results = await runBackendJob(plan, doc.meta.name || path.basename(args.file), args, sourceSpikes, { onProgress, signal: abort.signal });
  } finally {
    process.off('SIGINT', onSigint);
  }
  for (const line of [...(results.notExported ?? []), ...(results.approximations ?? [])]) io.err(`spikeflow: ${line}`);
  if (!results.ok) {
    io.err(`spikeflow: ${results.message}`);
    return results.code;
  }
  const exported = results;
  const tmp = results.dir;
  const pops = importedStats(plan, results.spikes);
  const neurons = plan.populations.filter((p) => runtimeOf(p.kind)?.role === 'neurons').reduce((a, p) => a + p.size, 0);
  const recordedNeurons = pops.reduce((a, p) => a + p.size, 0);
  const spikes = pops.reduce((a, p) => a + p.spikes, 0);
  const cvNeurons = pops.reduce((a, p) => a + p.cv_neurons, 0);
  const seconds = (plan.nSteps * plan.dtMs) / 1000;
  const summary = {
    file: args.file,
    backend: args.backend,
    simulator: PYNN_SIMULATORS[args.backend],
    processes: results.info.processes,
    threads: results.info.threads,
    seed: plan.seed,
    duration_ms: plan.durationMs,
    dt_ms: plan.dtMs,
    steps: plan.nSteps,
    neurons,
    recorded_neurons: recordedNeurons,
    spikes,
    mean_rate_hz: recordedNeurons ? spikes / (recordedNeurons * seconds) : 0,
    // MODELS.md §0: the mean over every recorded neuron with ≥ 3 spikes.
    cv_isi: cvNeurons ? pops.reduce((a, p) => a + (p.cv_isi ?? 0) * p.cv_neurons, 0) / cvNeurons : null,
    populations: pops,
    build_ms: results.info.build_ms,
    run_ms: results.info.run_ms,
    realtime_factor: results.info.run_ms > 0 ? (1000 * seconds) / results.info.run_ms : 0,
    total_ms: performance.now() - t0,
    not_exported: exported.notExported,
    approximations: exported.approximations,
  };

  let code = 0;
  if (args.out) {
    try {
      await writeOutputs(args.out, plan, results.spikes, summary, doc);
    } catch (e) {
      io.err(`spikeflow: could not write the results into ${args.out}: ${(e as Error).message}`);
      code = 1;
    }
  }
  if (!args.keep) await rm(tmp, { recursive: true, force: true });

  if (args.json) io.out(JSON.stringify(summary));
  else
    io.out(
      `backend ${label}: ${neurons} neurons, ${plan.nSteps} steps of ${plan.dtMs} ms\n` +
        `${spikes} spikes of ${recordedNeurons} recorded neurons, mean rate ${summary.mean_rate_hz.toFixed(3)} Hz${summary.cv_isi === null ? '' : `, CV(ISI) ${summary.cv_isi.toFixed(3)}`}\n` +
        pops.map((p) => `  ${p.nodeId}: ${p.spikes} spikes, ${p.rate_hz.toFixed(3)} Hz${p.cv_isi === null ? '' : `, CV(ISI) ${p.cv_isi.toFixed(3)}`}`).join('\n') +
        `\nbuild ${results.info.build_ms.toFixed(0)} ms, run ${results.info.run_ms.toFixed(0)} ms (${summary.realtime_factor.toFixed(2)}× real time), ${results.info.processes} process${results.info.processes === 1 ? '' : 'es'}` +
        (args.out ? `\nwrote ${args.out}` : ''),
    );
  return code;
}

/** The `--out` folder, as a Spikeflow run writes it (run-output.ts), with run.json naming the backend. */
async function writeOutputs(dir: string, plan: NetworkPlan, spikes: readonly ImportedSpikes[], summary: Record<string, unknown>, doc: GraphDocument): Promise<void> {
  const recorder = new RunRecorder(plan);
  for (const s of spikes) {
    const m = plan.monitors.find((x) => x.nodeId === s.monitorId);
    const source = m ? m.sources.findIndex((p) => plan.populations[p].nodeId === s.nodeId) : -1;
    if (source >= 0) recorder.accept({ type: 'spikes', runId: 0, monitorId: s.monitorId, source, neuron: s.neuron, step: s.step });
  }
  recorder.finish(plan.nSteps);
  await mkdir(dir, { recursive: true });
  const written = await writeRunOutput(dir, recorder, plan, []);
  const ranDoc = { ...doc, simulation: { ...doc.simulation, duration_ms: plan.durationMs, seed: plan.seed } };
  await writeFileAtomic(path.join(dir, 'run.json'), jsonWithDocument({ stats: summary, backend: summary.backend, spike_files: written.spike_files, npz_files: written.npz_files }, 'graph', ranDoc));
}

/** Run `cmd` as its own process group, passing on its progress; aborting `signal` stops it. */
function runChild(cmd: readonly string[], hooks: BackendJobHooks): Promise<{ code: number; signal: NodeJS.Signals | null; stderr: string; cancelled: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: os.tmpdir(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) hooks.onStart?.(child.pid);
    let stderr = '';
    let cancelled = false;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^spikeflow-progress (\S+) (\S+)/.exec(line);
        if (m) hooks.onProgress?.(Number(m[1]), Number(m[2]));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // The last 64 kB are enough to show why a script failed.
      stderr = (stderr + chunk).slice(-65_536);
    });
    const onAbort = () => {
      cancelled = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    if (hooks.signal?.aborted) onAbort();
    else hooks.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      stderr += `\n${cmd[0]}: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      hooks.signal?.removeEventListener('abort', onAbort);
      resolve({ code: code ?? (signal ? 128 : 1), signal, stderr, cancelled });
    });
  });
}
