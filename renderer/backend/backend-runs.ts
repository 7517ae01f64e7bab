/**
 * The toolbar's backend choice and the run it starts: with NEST, NEURON or Brian2
 * chosen, Run exports the document through the desktop shell's backend host
 * (`window.spikeflowBackends`, electron/backend-run-ipc.ts), follows its progress,
 * lets the user cancel, and keeps the recorded spikes in the run history (opened
 * there, labelled with the simulator). A browser tab has no host: the choice is
 * disabled with a reason.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { BackendHost, ExternalBackend } from '../../electron/backend-api.ts';
import { serializeDocument } from '../../engine/format/load.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import type { Editor } from '../store/editor.ts';
import { isRunActive } from '../store/run-state.ts';
import type { RunHistory } from '../history/run-history.ts';
import { newRunId } from '../history/run-record.ts';
import { externalLabel, externalRunData } from './external-run.ts';
import { importedRun, type ResultFiles } from './import-results.ts';
import type { FinishedRunData } from '../history/run-record.ts';
import { SHOW_HISTORY_EVENT } from '../history/HistoryContext.tsx';

export type BackendChoice = 'spikeflow' | ExternalBackend;

/** The choices, in the order the picker lists them, with what people read. */
export const BACKEND_CHOICES: readonly { readonly id: BackendChoice; readonly label: string; readonly title: string }[] = [
  { id: 'spikeflow', label: 'Spikeflow', title: "Spikeflow's own engine, in this app" },
  { id: 'nest', label: 'NEST', title: 'NEST through PyNN (MPI and threads; the cluster workhorse)' },
  { id: 'neuron', label: 'NEURON', title: 'NEURON through PyNN (MPI)' },
  { id: 'brian2', label: 'Brian2', title: 'Brian2 through PyNN' },
];

/** Why the choice is disabled in a plain browser. */
export const NO_HOST_REASON =
  'Running on NEST, NEURON or Brian2 needs the desktop app, which starts Python for you; a browser tab cannot. ' +
  'From a terminal: spikeflow run FILE --backend neuron. File › Export › PyNN script gives the script to run anywhere.';

export interface BackendJob {
  readonly id: string;
  readonly backend: ExternalBackend;
  /** People's name for it, e.g. `NEURON (mpirun -np 2)`. */
  readonly label: string;
  readonly doneMs: number;
  readonly totalMs: number;
}

export interface BackendRunsState {
  readonly choice: BackendChoice;
  /** MPI processes (1: no mpirun). */
  readonly mpi: number;
  /** Threads per process (NEST uses them). */
  readonly threads: number;
  readonly job: BackendJob | null;
  /** Why the last run or import failed (install command, the script's error output), until dismissed. */
  readonly failure: { readonly title: string; readonly text: string } | null;
  /** What the last finished run's PyNN export did not express or approximated, until dismissed. */
  readonly notes: readonly string[];
}

/** The history calls a backend run uses. */
export type RunKeeper = Pick<RunHistory, 'record' | 'setView' | 'state'>;

const nameOf = (b: ExternalBackend): string => BACKEND_CHOICES.find((c) => c.id === b)!.label;

export class BackendRuns {
  readonly store: StoreApi<BackendRunsState>;
  private keeper: RunKeeper | null = null;
  private offProgress: (() => void) | null = null;

  constructor(
    readonly host: BackendHost | null,
    private readonly showHistory: () => void = () => window.dispatchEvent(new Event(SHOW_HISTORY_EVENT)),
  ) {
    this.store = createStore<BackendRunsState>()(() => ({ choice: 'spikeflow', mpi: 1, threads: 1, job: null, failure: null, notes: [] }));
    this.offProgress =
      host?.onProgress((p) => {
        const job = this.state.job;
        if (job && job.id === p.jobId) this.store.setState({ job: { ...job, doneMs: p.doneMs, totalMs: p.totalMs } });
      }) ?? null;
  }

  get state(): BackendRunsState {
    return this.store.getState();
  }

  /** Where finished runs are kept (the app's run history); set while the picker is mounted. */
  attach(keeper: RunKeeper | null): void {
    this.keeper = keeper;
  }

  dispose(): void {
    this.offProgress?.();
  }

  choose(choice: BackendChoice): void {
    if (choice !== 'spikeflow' && !this.host) return;
    this.store.setState({ choice });
  }

  /** Processes or threads: whole numbers from 1; anything else is ignored. */
  setWorkers(field: 'mpi' | 'threads', n: number): void {
    if (Number.isInteger(n) && n >= 1 && n <= 4096) this.store.setState({ [field]: n } as Pick<BackendRunsState, 'mpi'>);
  }

  /** Close the failure or notes box. */
  dismissFailure(): void {
    this.store.setState({ failure: null, notes: [] });
  }

  /** The external backend Run uses now, or null for Spikeflow's engine. */
  get chosen(): ExternalBackend | null {
    return this.host && this.state.choice !== 'spikeflow' ? this.state.choice : null;
  }

  /**
   * Run the open document on the chosen backend; resolves when it ended (true: its
   * results are in the history). Problems go to the status line or the failure box;
   * the graph is never changed.
   */
  async run(editor: Editor): Promise<boolean> {
    const backend = this.chosen;
    if (!backend || !this.host) return false;
    if (this.state.job) {
      editor.setNotice({ level: 'warning', text: `${this.state.job.label} is still running: cancel it first.` });
      return false;
    }
    if (isRunActive(editor.state.run.phase)) {
      editor.setNotice({ level: 'warning', text: 'A Spikeflow run is going on: stop it first.' });
      return false;
    }
    const doc = editor.state.doc;
    const compiled = compileDocument(doc);
    if (!compiled.ok) {
      const i = compiled.issues[0];
      editor.setNotice({ level: 'error', text: `Cannot run on ${nameOf(backend)}: ${i.pointer || '/'}: ${i.message}` });
      return false;
    }
    const { mpi, threads } = this.state;
    const label = `${nameOf(backend)}${mpi > 1 ? ` (mpirun -np ${mpi})` : ''}`;
    const job: BackendJob = { id: newRunId(new Date()), backend, label, doneMs: 0, totalMs: compiled.plan.durationMs };
    this.store.setState({ job, failure: null, notes: [] });
    editor.setNotice({ level: 'info', text: `Exporting to PyNN and starting ${label}…` });
    try {
      const reply = await this.host.run({ jobId: job.id, documentText: serializeDocument(doc), backend, ...(mpi > 1 ? { mpi } : {}), ...(threads > 1 ? { threads } : {}) });
      if (!reply.ok) {
        if (reply.cancelled) editor.setNotice({ level: 'info', text: `The ${label} run was cancelled.` });
        else {
          this.store.setState({ failure: { title: `The ${label} run did not finish`, text: reply.message } });
          editor.setNotice({ level: 'error', text: `The ${label} run failed: see the message under the backend choice.` });
        }
        return false;
      }
      const data = externalRunData(doc, compiled.plan, { label: externalLabel(reply.info), info: reply.info, spikes: reply.spikes });
      await this.keep(editor, `Ran on ${label}`, data, [...reply.notExported, ...reply.approximations]);
      return true;
    } catch (e) {
      const text = `The ${label} run ended but its results could not be shown: ${e instanceof Error ? e.message : String(e)}`;
      this.store.setState({ failure: { title: `The ${label} run's results could not be shown`, text } });
      editor.setNotice({ level: 'error', text });
      return false;
    } finally {
      this.store.setState({ job: null });
    }
  }

  /** Keep `data` in the history, open it there, and say so (with how many parts the export did not map). */
  private async keep(editor: Editor, what: string, data: FinishedRunData, notes: readonly string[]): Promise<void> {
    const keeper = this.keeper;
    if (!keeper) throw new Error('the run history is not ready');
    await keeper.record(data);
    const kept = keeper.state.entries.find((e) => e.engineVersion === data.engineVersion && e.spikes === data.stats.spikes);
    if (kept) keeper.setView({ mode: 'open', id: kept.id });
    this.showHistory();
    this.store.setState({ notes });
    editor.setNotice({
      level: notes.length ? 'warning' : 'info',
      text: `${what}: ${data.stats.spikes} spikes${kept ? `, kept as run ${kept.number} in History` : ''}.${notes.length ? ` ${notes.length} part${notes.length === 1 ? ' was' : 's were'} not exported or approximated (listed under the backend choice).` : ''}`,
    });
  }

  /**
   * File › Import results: `files` (run.json and spike files of a `run --out`
   * folder, import-results.ts) for the open document, kept in the history. A
   * problem names the file and goes to the failure box; nothing else changes.
   */
  async importResults(editor: Editor, files: ResultFiles): Promise<boolean> {
    const doc = editor.state.doc;
    try {
      const compiled = compileDocument(doc);
      if (!compiled.ok) throw new Error(`the open document cannot run: ${compiled.issues[0].pointer || '/'}: ${compiled.issues[0].message}`);
      const run = importedRun(compiled.plan, files);
      await this.keep(editor, 'Imported results', externalRunData(doc, compiled.plan, run), []);
      return true;
    } catch (e) {
      const text = `Could not import these results: ${e instanceof Error ? e.message : String(e)}`;
      this.store.setState({ failure: { title: 'These results could not be imported', text } });
      editor.setNotice({ level: 'error', text });
      return false;
    }
  }

  /** Stop the running job (its run then reports it was cancelled). */
  async cancel(): Promise<void> {
    const job = this.state.job;
    if (job && this.host) await this.host.cancel(job.id);
  }
}

/** The app's one instance (the desktop shell's host, or none in a browser). */
let shared: BackendRuns | null = null;
export function backendRuns(): BackendRuns {
  shared ??= new BackendRuns((window as { spikeflowBackends?: BackendHost }).spikeflowBackends ?? null);
  return shared;
}

/** Run on the chosen external backend, or null when Spikeflow's engine is chosen (the Run action). */
export function runOnChosenBackend(editor: Editor): Promise<boolean> | null {
  const runs = backendRuns();
  return runs.chosen ? runs.run(editor) : null;
}
