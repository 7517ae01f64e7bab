/**
 * Autosave: every change to the open document is journaled within a second, so a
 * crash, a killed process or a reload loses nothing. On the next start the app offers
 * the journaled document back (`RecoveryOffer` in the UI); restoring loads exactly that
 * graph, marked unsaved.
 *
 * Policy: while the document has unsaved changes the journal holds it (written at most
 * every {@link JOURNAL_DELAY_MS} ms, the last change always written); once it is saved,
 * or another document is opened clean, the journal is cleared. A journal found at start
 * is kept until the user restores or discards it, so editing a new graph first never
 * throws the old one away (it is read into memory before anything is written).
 *
 * Stores: a browser keeps the journal in IndexedDB; the desktop app writes it atomically
 * into its data folder through the shell (`electron/journal.ts`).
 */
import { serializeDocument } from '../../engine/format/load.ts';
import type { Editor, EditorState, FileInfo } from '../store/editor.ts';
import { selectDirty } from '../store/editor.ts';
import type { KeyValueStore } from './idb-kv.ts';
import { indexedDbKeyValue, memoryKeyValue } from './idb-kv.ts';

/** How long after a change the journal is written (a burst of edits is one write). */
export const JOURNAL_DELAY_MS = 400;

/** What the journal holds: the unsaved document as its file text, and where it lived. */
export interface JournalRecord {
  readonly version: 1;
  /** The document, serialized as a save would write it. */
  readonly text: string;
  /** The document's name, for the offer. */
  readonly name: string;
  readonly file: FileInfo;
  /** ISO 8601 time of the change. */
  readonly savedAt: string;
}

/** Where the journal lives. Every method rejects with a message that can be shown. */
export interface JournalStore {
  read(): Promise<JournalRecord | null>;
  write(record: JournalRecord): Promise<void>;
  clear(): Promise<void>;
}

/** Whether `value` is a journal record (a store may hold anything after a crash or an old version). */
export function isJournalRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const file = r.file as Record<string, unknown> | null | undefined;
  return (
    r.version === 1 &&
    typeof r.text === 'string' &&
    typeof r.name === 'string' &&
    typeof r.savedAt === 'string' &&
    typeof file === 'object' &&
    file !== null &&
    (file.path === null || typeof file.path === 'string') &&
    (file.fileName === null || typeof file.fileName === 'string')
  );
}

const KEY = 'current';

/** A journal in a key-value store (IndexedDB in a browser, memory in tests). */
export function keyValueJournal(kv: KeyValueStore<unknown>): JournalStore {
  return {
    read: async () => {
      const v = await kv.get(KEY);
      return isJournalRecord(v) ? v : null;
    },
    write: (record) => kv.put(KEY, record),
    clear: () => kv.delete(KEY),
  };
}

/** The browser's journal: IndexedDB database `spikeflow-journal`. */
export function indexedDbJournal(factory?: IDBFactory): JournalStore {
  return keyValueJournal(indexedDbKeyValue('spikeflow-journal', 'journal', factory));
}

export function memoryJournal(): JournalStore {
  return keyValueJournal(memoryKeyValue());
}

/** The record for the editor's current document. */
export function journalRecordOf(s: EditorState, now: Date = new Date()): JournalRecord {
  return { version: 1, text: serializeDocument(s.doc), name: s.doc.meta.name || 'Untitled', file: s.file, savedAt: now.toISOString() };
}

export interface AutosaveOptions {
  readonly delayMs?: number;
  /** A write or clear failed (shown in the status line once, until one succeeds). */
  readonly onError?: (message: string) => void;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/**
 * Follows the editor and keeps the journal current. `start()` begins watching (after
 * the start-up read of the journal); `flush()` writes a pending change at once (tests,
 * page hide). Writes never overlap: a change during a write is written after it.
 */
export class Autosaver {
  private timer: unknown = null;
  private writing: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private failed = false;
  private readonly delayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly editor: Editor,
    private readonly journal: JournalStore,
    private readonly options: AutosaveOptions = {},
  ) {
    this.delayMs = options.delayMs ?? JOURNAL_DELAY_MS;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.editor.store.subscribe((s, prev) => {
      const changed = s.doc !== prev.doc || s.savedToken !== prev.savedToken || s.past !== prev.past || s.file !== prev.file;
      if (changed) this.schedule();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Write (or clear) the journal for the current state now. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    const next = this.writing.then(() => this.persist());
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async persist(): Promise<void> {
    const s = this.editor.state;
    try {
      if (selectDirty(s)) await this.journal.write(journalRecordOf(s));
      else await this.journal.clear();
      this.failed = false;
    } catch (e) {
      if (!this.failed) this.options.onError?.(`Autosave failed: ${e instanceof Error ? e.message : String(e)}. Save your work with Ctrl+S.`);
      this.failed = true;
    }
  }
}
