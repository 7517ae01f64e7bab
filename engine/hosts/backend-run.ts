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
import { importedStats, readPyNNResults, type ImportedSpikes } from './pynn-results.ts';
import { writePyNNScript, type SourceSpikes } from './pynn-script.ts';
import { RunRecorder, writeRunOutput } from './run-output.ts';
import { jsonWithDocument } from './json-chunks.ts';

/** The engines `--backend` takes: Spikeflow's own, and PyNN's simulators. */
export const BACKENDS = ['spikeflow', 'nest', 'neuron', 'brian2'] as const;
export type Backend = (typeof BACKENDS)[number];
export type PyNNBackend = Exclude<Backend, 'spikeflow'>;

/** Debian's Python (the PyNN packages install there). */
export const BACKEND_PYTHON = process.env.SPIKEFLOW_PYTHON ?? '/usr/bin/python3';

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
export function backendMissing(backend: PyNNBackend, python = BACKEND_PYTHON): string | null {
  const r = spawnSync(python, ['-c', `import ${PYNN_SIMULATORS[backend]} as s`], { encoding: 'utf8', timeout: 120_000, cwd: os.tmpdir() });
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
export function backendCommand(script: string, outDir: string, args: Pick<BackendRunArgs, 'backend' | 'mpi' | 'threads'>, python = BACKEND_PYTHON): string[] {
  const run = [python, script, '--simulator', args.backend, '--out', outDir, ...(args.threads ? ['--threads', String(args.threads)] : [])];
  if (!args.mpi) return run;
  // Open MPI refuses root without --allow-run-as-root, and more processes than cores without --oversubscribe.
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return ['mpirun', ...(root ? ['--allow-run-as-root'] : []), '--oversubscribe', '-np', String(args.mpi), ...run];
}

/**
 * Run `plan` on a PyNN backend and report it as `spikeflow run` reports a run.
 * Exit codes as `spikeflow run`: 0 ok, 1 the run failed, 2 the backend is not
 * installed or the document cannot be exported; 130 cancelled.
 */
export async function runOnBackend(args: BackendRunArgs, plan: NetworkPlan, doc: GraphDocument, io: CliIo, sourceSpikes: SourceSpikes): Promise<number> {
  const t0 = performance.now();
  const missing = backendMissing(args.backend);
  if (missing) {
    io.err(`spikeflow: backend "${args.backend}" is not installed (${missing}).\nInstall it with:\n  ${INSTALL[args.backend]}`);
    return 2;
  }
  if (args.mpi) {
    const noMpi = mpiMissing();
    if (noMpi) {
      io.err(`spikeflow: --mpi needs mpirun, which does not run here (${noMpi}).\nInstall it with:\n  ${INSTALL.mpi}`);
      return 2;
    }
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'spikeflow-pynn-'));
  const script = path.join(tmp, 'net.py');
  const rawOut = path.join(tmp, 'results');
  const exported = await writePyNNScript(plan, script, doc.meta.name || path.basename(args.file), sourceSpikes);
  for (const line of [...exported.notExported, ...exported.approximations]) io.err(`spikeflow: ${line}`);

  const label = `${args.backend}${args.mpi ? ` (mpirun -np ${args.mpi})` : ''}`;
  const cmd = backendCommand(script, rawOut, args);
  const ended = await runChild(cmd, io, label);
  if (ended.cancelled) {
    io.err(`spikeflow: the ${label} run was cancelled; its script is in ${tmp}`);
    return 130;
  }
  if (ended.code !== 0) {
    if (/spikeflow-backend-missing/.test(ended.stderr)) io.err(`spikeflow: backend "${args.backend}" is not installed.\nInstall it with:\n  ${INSTALL[args.backend]}`);
    io.err(`spikeflow: the ${label} run failed (exit code ${ended.code}); its script is in ${tmp}. Its error output:\n${ended.stderr.trimEnd()}`);
    return 1;
  }

  let results: Awaited<ReturnType<typeof readPyNNResults>>;
  try {
    results = await readPyNNResults(rawOut, plan);
  } catch (e) {
    io.err(`spikeflow: the ${label} run finished but its results cannot be read: ${(e as Error).message}`);
    return 1;
  }
  const pops = importedStats(plan, results.spikes);
  const neurons = plan.populations.filter((p) => runtimeOf(p.kind)?.role === 'neurons').reduce((a, p) => a + p.size, 0);
  const recordedNeurons = pops.reduce((a, p) => a + p.size, 0);
  const spikes = pops.reduce((a, p) => a + p.spikes, 0);
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
        `${spikes} spikes of ${recordedNeurons} recorded neurons, mean rate ${summary.mean_rate_hz.toFixed(3)} Hz\n` +
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

/** Run `cmd` as its own process group, streaming progress; SIGINT stops it. */
function runChild(cmd: readonly string[], io: CliIo, label: string): Promise<{ code: number; stderr: string; cancelled: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: os.tmpdir(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let cancelled = false;
    let lastPct = -1;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^spikeflow-progress (\S+) (\S+)/.exec(line);
        if (!m) continue;
        const pct = Math.floor((100 * Number(m[1])) / Number(m[2]));
        if (pct !== lastPct) io.err(`${label}: ${pct} % (${m[1]} of ${m[2]} ms)`);
        lastPct = pct;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // The last 64 kB are enough to show why a script failed.
      stderr = (stderr + chunk).slice(-65_536);
    });
    const onSigint = () => {
      cancelled = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    process.on('SIGINT', onSigint);
    child.on('error', (e) => {
      stderr += `\n${cmd[0]}: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', onSigint);
      resolve({ code: code ?? (signal ? 128 : 1), stderr, cancelled });
    });
  });
}
