/**
 * Run history: every run that ends with results (finished or stopped) is kept with its
 * inputs (document snapshot, seed, engine version, date) and its results (statistics
 * and monitor data), in the platform's {@link RunHistoryStore}: a folder beside the
 * document in the desktop app, IndexedDB in a browser.
 *
 * Bounded: the newest `keep` runs of each document (default 20, the user can change
 * it; remembered in localStorage), and a run whose data would exceed
 * {@link MAX_RUN_BYTES} is not kept (the notice says why). A store that fails (full,
 * unwritable folder) shows a message; the graph and the results on screen are never
 * affected.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { RunHistoryEntry } from '../../electron/api.ts';
import type { RunController } from '../engine/run-controller.ts';
import type { Editor, EditorState } from '../store/editor.ts';
import type { DocumentIdentity, RunHistoryStore } from '../platform/platform.ts';
import { captureRun, decodeRun, encodeRunAsync, isRunMeta, newRunId } from './run-record.ts';
import type { FinishedRunData, RunMeta, StoredRun } from './run-record.ts';

/** Runs kept per document unless the user says otherwise. */
export const DEFAULT_KEEP = 20;
export const MAX_KEEP = 500;
/** A run whose stored data would be larger is not kept. */
export const MAX_RUN_BYTES = 64 * 1024 * 1024;
const KEEP_SETTING = 'spikeflow.history.keep';

export type HistoryView = { readonly mode: 'list' } | { readonly mode: 'open'; readonly id: string } | { readonly mode: 'compare'; readonly a: string; readonly b: string };

/** The outcome of the last "Re-run exactly": the same spikes or not. */
export interface RerunCheck {
  readonly of: string;
  readonly number: number;
  readonly storedSpikes: number;
  readonly newSpikes: number;
  readonly same: boolean;
}

export interface HistoryState {
  readonly doc: DocumentIdentity;
  /** Newest first. */
  readonly entries: readonly RunMeta[];
  readonly loading: boolean;
  /** The last problem with the store, shown in the History panel until the next success. */
  readonly error: string | null;
  readonly keep: number;
  /** Where the runs are kept, for people. */
  readonly where: string;
  readonly view: HistoryView;
  /** Runs ticked for comparison (at most two, the latest last). */
  readonly selected: readonly string[];
  readonly rerunCheck: RerunCheck | null;
}

/** The document's identity in a history store: its path, else file name, else name. */
export function documentIdentity(s: Pick<EditorState, 'file' | 'doc'>): DocumentIdentity {
  const key = s.file.path ?? (s.file.fileName ? `file:${s.file.fileName}` : `doc:${s.doc.meta.name || 'Untitled'}`);
  return { path: s.file.path, key };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function readKeep(settings: Pick<Storage, 'getItem'> | null): number {
  const n = Number(settings?.getItem(KEEP_SETTING));
  return Number.isInteger(n) && n >= 1 && n <= MAX_KEEP ? n : DEFAULT_KEEP;
}

/** Bytes the run's arrays take (the header is small beside them). */
function dataBytes(run: FinishedRunData): number {
  let n = 0;
  for (const m of run.spikes) for (const s of m.series) n += s.count * 8;
  for (const t of run.traces) for (const s of t.series) n += s.rows * s.lines * 4;
  return n;
}

export class RunHistory {
  readonly store: StoreApi<HistoryState>;
  private readonly cache = new Map<string, StoredRun>();
  private pendingRerun: { doc: StoredRun['doc']; meta: RunMeta } | null = null;
  private refreshToken = 0;
  /** Saves queue behind each other, so numbering and pruning see every earlier run. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly editor: Editor,
    private readonly runner: Pick<RunController, 'onFinished' | 'run'>,
    private readonly backing: RunHistoryStore,
    private readonly settings: Pick<Storage, 'getItem' | 'setItem'> | null = null,
    private readonly confirm: (title: string, message: string, label: string) => Promise<boolean> = async () => true,
    private readonly now: () => Date = () => new Date(),
  ) {
    const doc = documentIdentity(editor.state);
    this.store = createStore<HistoryState>()(() => ({
      doc,
      entries: [],
      loading: true,
      error: null,
      keep: readKeep(settings),
      where: backing.describe(doc),
      view: { mode: 'list' },
      selected: [],
      rerunCheck: null,
    }));
  }

  get state(): HistoryState {
    return this.store.getState();
  }

  /** Follow finished runs and the open document; returns a function that stops. */
  start(): () => void {
    const offRun = this.runner.onFinished((run) => this.record(run));
    let key = this.state.doc.key;
    let epoch = this.editor.state.docEpoch;
    const offDoc = this.editor.store.subscribe((s) => {
      const doc = documentIdentity(s);
      if (doc.key === key && s.docEpoch === epoch) return;
      const before = this.state.doc;
      // The same document got a new identity without having had a file (saved for the first
      // time, or renamed while unsaved): its runs move with it.
      const savedAs = s.docEpoch === epoch && before.path === null;
      key = doc.key;
      epoch = s.docEpoch;
      if (doc.key === before.key) return;
      this.cache.clear();
      this.store.setState({ doc, entries: [], where: this.backing.describe(doc), view: { mode: 'list' }, selected: [], rerunCheck: null });
      if (savedAs) {
        const job = this.queue.then(() => this.move(before, doc));
        this.queue = job.catch(() => undefined);
      } else {
        void this.refresh();
      }
    });
    void this.refresh();
    return () => {
      offRun();
      offDoc();
    };
  }

  /** Re-read the list from the store. */
  async refresh(): Promise<void> {
    const token = ++this.refreshToken;
    const doc = this.state.doc;
    this.store.setState({ loading: true });
    try {
      const raw = await this.backing.list(doc);
      if (token !== this.refreshToken) return;
      this.store.setState({ entries: (raw as readonly unknown[]).filter(isRunMeta), loading: false, error: null });
    } catch (e) {
      if (token !== this.refreshToken) return;
      this.store.setState({ loading: false, error: `Could not read the run history: ${messageOf(e)}` });
    }
  }

  /** Keep a finished run (queued behind earlier saves). */
  record(run: FinishedRunData): Promise<void> {
    const doc = this.state.doc;
    const pending = this.pendingRerun && this.pendingRerun.doc === run.doc ? this.pendingRerun : null;
    if (pending) this.pendingRerun = null;
    const size = dataBytes(run);
    if (size > MAX_RUN_BYTES) {
      const text = `This run was not kept in the history: its data (${Math.round(size / 1048576)} MB) is over the ${MAX_RUN_BYTES / 1048576} MB limit for a kept run. Its results are still on screen.`;
      this.editor.setNotice({ level: 'warning', text });
      return Promise.resolve();
    }
    // Copy now: the next run reuses the buffers.
    const createdAt = this.now().toISOString();
    const id = newRunId(this.now());
    const draft = captureRun(run, { id, number: 0, createdAt, rerunOf: pending?.meta.id });
    const job = this.queue.then(() => this.save(doc, draft, pending?.meta ?? null));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async save(doc: DocumentIdentity, draft: StoredRun, rerunOf: RunMeta | null): Promise<void> {
    try {
      const existing = doc.key === this.state.doc.key ? this.state.entries : ((await this.backing.list(doc)) as readonly unknown[]).filter(isRunMeta);
      const number = existing.reduce((n, e) => Math.max(n, e.number), 0) + 1;
      const run: StoredRun = { ...draft, meta: { ...draft.meta, number } };
      const bytes = await encodeRunAsync(run);
      const meta: RunMeta = { ...run.meta, bytes: bytes.length };
      await this.backing.save(doc, meta as unknown as RunHistoryEntry, bytes, this.state.keep);
      this.cache.set(meta.id, { ...run, meta });
      if (rerunOf) {
        const check: RerunCheck = {
          of: rerunOf.id,
          number: rerunOf.number,
          storedSpikes: rerunOf.spikes,
          newSpikes: meta.spikes,
          same: rerunOf.spikes === meta.spikes && rerunOf.sourceSpikes === meta.sourceSpikes,
        };
        this.store.setState({ rerunCheck: check });
        this.editor.setNotice(
          check.same
            ? { level: 'info', text: `Re-ran run ${check.number} exactly: ${meta.spikes} spikes, the same as stored (now run ${number}).` }
            : { level: 'warning', text: `Re-ran run ${check.number}: ${meta.spikes} spikes, but ${check.storedSpikes} were stored (now run ${number}).` },
        );
      }
      if (doc.key === this.state.doc.key) await this.refresh();
    } catch (e) {
      const text = `This run was not kept in the history: ${messageOf(e)} Your graph and the results on screen are unaffected.`;
      this.store.setState({ error: text });
      this.editor.setNotice({ level: 'error', text });
    }
  }

  /** Move every run of `from` to `to` (oldest first, so numbering and pruning stay right), then list. */
  private async move(from: DocumentIdentity, to: DocumentIdentity): Promise<void> {
    try {
      const entries = [...(await this.backing.list(from))].reverse();
      for (const e of entries) {
        await this.backing.save(to, e, await this.backing.load(from, e.id), this.state.keep);
        await this.backing.remove(from, e.id);
      }
    } catch (e) {
      this.store.setState({ error: `Could not move the run history beside the saved file: ${messageOf(e)}` });
    }
    await this.refresh();
  }

  /** A stored run with its data (decoded once, then cached). */
  async load(id: string): Promise<StoredRun> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const run = decodeRun(await this.backing.load(this.state.doc, id));
    // A few decoded runs at most: they can be large.
    if (this.cache.size >= 4) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, run);
    return run;
  }

  /** Run a stored run's document snapshot again (same graph, same seed); the open graph is unchanged. */
  async rerun(id: string): Promise<boolean> {
    let run: StoredRun;
    try {
      run = await this.load(id);
    } catch (e) {
      this.editor.setNotice({ level: 'error', text: `Could not re-run: ${messageOf(e)}` });
      return false;
    }
    this.pendingRerun = { doc: run.doc, meta: run.meta };
    this.store.setState({ rerunCheck: null });
    const started = await this.runner.run(run.doc);
    if (!started) {
      this.pendingRerun = null;
      return false;
    }
    this.editor.setNotice({ level: 'info', text: `Re-running run ${run.meta.number} from its stored graph with seed ${run.meta.seed}; the open graph is unchanged.` });
    return true;
  }

  /** Delete a run after the user agrees. Returns true when it was deleted. */
  async remove(id: string): Promise<boolean> {
    const meta = this.state.entries.find((e) => e.id === id);
    const name = meta ? `run ${meta.number} (${new Date(meta.createdAt).toLocaleString()})` : `run ${id}`;
    if (!(await this.confirm('Delete this run?', `Delete ${name} and its results from the history? This cannot be undone.`, 'Delete run'))) return false;
    try {
      await this.backing.remove(this.state.doc, id);
    } catch (e) {
      this.store.setState({ error: `Could not delete ${name}: ${messageOf(e)}` });
      return false;
    }
    this.cache.delete(id);
    const s = this.state;
    const view = s.view.mode === 'open' && s.view.id === id ? { mode: 'list' as const } : s.view.mode === 'compare' && (s.view.a === id || s.view.b === id) ? { mode: 'list' as const } : s.view;
    this.store.setState({ view, selected: s.selected.filter((x) => x !== id), entries: s.entries.filter((e) => e.id !== id) });
    await this.refresh();
    return true;
  }

  /** How many runs to keep per document; applies from the next run. */
  setKeep(n: number): void {
    const keep = Math.min(MAX_KEEP, Math.max(1, Math.round(n)));
    if (!Number.isFinite(keep)) return;
    this.store.setState({ keep });
    try {
      this.settings?.setItem(KEEP_SETTING, String(keep));
    } catch {
      // A browser that refuses localStorage keeps the setting for this session.
    }
  }

  setView(view: HistoryView): void {
    this.store.setState({ view });
  }

  /** Tick or untick a run for comparison; a third tick drops the oldest. */
  toggleSelected(id: string): void {
    const s = this.state.selected;
    this.store.setState({ selected: s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2) });
  }
}
