/**
 * Main-process side of {@link BACKEND_IPC}: runs a document on NEST, NEURON or
 * Brian2 through its PyNN export (engine/hosts/backend-run.ts, the same code as
 * `spikeflow run --backend`), sends progress to the page that asked, cancels on
 * request, and answers the recorded spikes. Every request is checked: from our own
 * page in a window we created, with a valid document and settings.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { BACKEND_IPC, JOB_ID_PATTERN, type BackendProgress, type BackendRunReply, type BackendRunRequest, type ExternalBackend } from './backend-api.ts';
import { isTrustedSender } from './security.ts';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { runBackendJob, type BackendJobHooks, type BackendJobResult } from '../engine/hosts/backend-run.ts';
import { sourceSpikes } from '../engine/hosts/pynn-inputs.ts';
import type { NetworkPlan } from '../engine/core/plan.ts';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const BACKENDS: readonly ExternalBackend[] = ['nest', 'neuron', 'brian2'];
/** More processes or threads than this is a typo, not a request. */
const MAX_WORKERS = 4096;

/** The job runner (the real one unless a test gives another). */
export type BackendJobRunner = (plan: NetworkPlan, title: string, job: { backend: ExternalBackend; mpi?: number; threads?: number }, hooks: BackendJobHooks) => Promise<BackendJobResult>;

export interface BackendIpcDeps {
  /** The origin of our page (`app://spikeflow` or the dev server). */
  readonly rendererOrigin: string;
  /** Whether `sender` is one of our windows. */
  isWindow(sender: WebContents): boolean;
  readonly runJob?: BackendJobRunner;
  /** File › Import results: ask `sender`'s window for a results folder (null when cancelled). */
  pickFolder?(sender: WebContents): Promise<string | null>;
}

/** A results file bigger than this is refused (a whole-run raster of a large network is far smaller). */
const MAX_RESULT_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The results files of folder `dir` (`run.json` and `*.spikes.csv`, not in subfolders): name → text.
 * Throws naming the file when one is too big.
 */
export async function readResultsFolder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile() || !(e.name === 'run.json' || e.name.endsWith('.spikes.csv'))) continue;
    const file = path.join(dir, e.name);
    const size = (await stat(file)).size;
    if (size > MAX_RESULT_FILE_BYTES) throw new Error(`${file} is ${Math.round(size / 1048576)} MB, over the ${MAX_RESULT_FILE_BYTES / 1048576} MB limit for an imported file.`);
    out[e.name] = await readFile(file, 'utf8');
  }
  return out;
}

const realRunner: BackendJobRunner = (plan, title, job, hooks) => runBackendJob(plan, title, job, sourceSpikes, hooks);

function workers(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_WORKERS)
    throw new TypeError(`${name} must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(value)}.`);
  return value;
}

/** The request, checked; throws a TypeError naming the bad field. */
export function parseBackendRequest(value: unknown): BackendRunRequest {
  if (typeof value !== 'object' || value === null) throw new TypeError('The backend run request must be an object.');
  const r = value as Record<string, unknown>;
  if (typeof r.jobId !== 'string' || !JOB_ID_PATTERN.test(r.jobId)) throw new TypeError('jobId must be 1–64 letters, digits or dashes.');
  if (typeof r.documentText !== 'string') throw new TypeError('documentText must be a string.');
  if (!BACKENDS.includes(r.backend as ExternalBackend)) throw new TypeError(`backend must be one of ${BACKENDS.join(', ')}, got ${JSON.stringify(r.backend)}.`);
  const mpi = workers(r.mpi, 'mpi');
  const threads = workers(r.threads, 'threads');
  return { jobId: r.jobId, documentText: r.documentText, backend: r.backend as ExternalBackend, ...(mpi && mpi > 1 ? { mpi } : {}), ...(threads ? { threads } : {}) };
}

/**
 * Run one checked request: parse and compile its document, run the job with
 * progress through `send`, and answer plain arrays (they cross IPC as they are).
 */
export async function runBackendRequest(request: BackendRunRequest, send: (p: BackendProgress) => void, signal: AbortSignal, runJob: BackendJobRunner = realRunner): Promise<BackendRunReply> {
  const loaded = loadDocument(request.documentText);
  if (!loaded.ok) return { ok: false, cancelled: false, message: `The document cannot be read: ${loaded.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ')}` };
  const compiled = compileDocument(loaded.doc);
  if (!compiled.ok) return { ok: false, cancelled: false, message: `The document cannot run: ${compiled.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ')}` };
  let lastPct = -1;
  const onProgress = (doneMs: number, totalMs: number) => {
    // A message per percent at most: the page redraws on each.
    const pct = totalMs > 0 ? Math.floor((100 * doneMs) / totalMs) : 0;
    if (pct === lastPct) return;
    lastPct = pct;
    send({ jobId: request.jobId, doneMs, totalMs });
  };
  const result = await runJob(compiled.plan, loaded.doc.meta.name || 'network', { backend: request.backend, mpi: request.mpi, threads: request.threads }, { onProgress, signal });
  if (!result.ok) return { ok: false, cancelled: result.code === 130, message: result.message };
  await rm(result.dir, { recursive: true, force: true });
  const { simulator, processes, threads, build_ms, run_ms } = result.info;
  return {
    ok: true,
    info: { simulator, processes, threads, build_ms, run_ms },
    spikes: result.spikes.map((s) => ({ monitorId: s.monitorId, nodeId: s.nodeId, neuron: Array.from(s.neuron), step: Array.from(s.step) })),
    notExported: result.notExported,
    approximations: result.approximations,
  };
}

/** Register the handlers; returns a function that removes them (and cancels running jobs). */
export function registerBackendIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, deps: BackendIpcDeps): () => void {
  const jobs = new Map<string, AbortController>();
  const check = (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): void => {
    if (!isTrustedSender(event.senderFrame?.url, deps.rendererOrigin)) throw new Error('IPC refused: the sender is not the Spikeflow page.');
    if (!deps.isWindow(event.sender)) throw new Error('IPC refused: the sender is not a Spikeflow window.');
  };
  ipcMain.handle(BACKEND_IPC.run, async (event, raw) => {
    check(event);
    const request = parseBackendRequest(raw);
    if (jobs.has(request.jobId)) throw new Error(`A backend run with id ${request.jobId} is already running.`);
    const abort = new AbortController();
    jobs.set(request.jobId, abort);
    const send = (p: BackendProgress) => {
      if (!event.sender.isDestroyed()) event.sender.send(BACKEND_IPC.progress, p);
    };
    // A closed window takes its runs with it.
    const onGone = () => abort.abort();
    event.sender.once('destroyed', onGone);
    try {
      return await runBackendRequest(request, send, abort.signal, deps.runJob);
    } finally {
      jobs.delete(request.jobId);
      event.sender.removeListener('destroyed', onGone);
    }
  });
  ipcMain.handle(BACKEND_IPC.cancel, (event, jobId) => {
    check(event);
    if (typeof jobId !== 'string') throw new TypeError('jobId must be a string.');
    jobs.get(jobId)?.abort();
  });
  ipcMain.handle(BACKEND_IPC.pickResults, async (event) => {
    check(event);
    const dir = deps.pickFolder ? await deps.pickFolder(event.sender) : null;
    return dir === null ? null : readResultsFolder(dir);
  });
  return () => {
    for (const j of jobs.values()) j.abort();
    ipcMain.removeHandler(BACKEND_IPC.pickResults);
    ipcMain.removeHandler(BACKEND_IPC.run);
    ipcMain.removeHandler(BACKEND_IPC.cancel);
  };
}
