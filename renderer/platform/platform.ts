/**
 * What the renderer needs from where it runs: files, recent files, the window
 * title, and menu commands. Two implementations: the Electron shell
 * (`window.spikeflow`, typed by `electron/api.ts`) and a plain browser tab.
 */
import type { DesktopApi, MenuCommand, PickedImageFolder, RunHistoryEntry } from '../../electron/api.ts';
import { indexedDbHistoryStore } from '../history/stores.ts';
import { indexedDbJournal, isJournalRecord } from '../recovery/journal.ts';
import type { JournalStore } from '../recovery/journal.ts';
import { indexedDbRecentDocuments } from '../recovery/recent-documents.ts';
import type { RecentDocuments } from '../recovery/recent-documents.ts';
import { fileSystemAccess, type FileSystemAccess } from './file-system-access.ts';

/** A document read from somewhere; `path` is null in a browser. */
export interface PickedFile {
  readonly path: string | null;
  readonly name: string;
  readonly text: string;
}

/** Where a document was written; `path` is null for a browser download. */
export interface WrittenFile {
  readonly path: string | null;
  readonly name: string;
  /** A browser wrote the file itself (File System Access) rather than offering a download. */
  readonly onDisk?: boolean;
}

/** Which document a run history belongs to. */
export interface DocumentIdentity {
  /** The document's file, when it has one (desktop: the history folder goes beside it). */
  readonly path: string | null;
  /** A stable key: the path, else the file name, else the document's name. */
  readonly key: string;
}

/**
 * Where kept runs live (`renderer/history/`). Two implementations: the desktop shell
 * writes a folder beside the document, a browser uses IndexedDB. Every method rejects
 * with an Error whose message can be shown as is.
 */
export interface RunHistoryStore {
  /** Where this document's runs are kept, for people (e.g. the folder). */
  describe(doc: DocumentIdentity): string;
  /** Newest first. */
  list(doc: DocumentIdentity): Promise<readonly RunHistoryEntry[]>;
  load(doc: DocumentIdentity, id: string): Promise<Uint8Array>;
  /** Store a run, then drop the oldest beyond the newest `keep`; answers the dropped ids. */
  save(doc: DocumentIdentity, entry: RunHistoryEntry, bytes: Uint8Array, keep: number): Promise<readonly string[]>;
  remove(doc: DocumentIdentity, id: string): Promise<void>;
}

/** `<dir>/<name>.spikeflow-runs/` for `<dir>/<name>.spikeflow.json` (as `electron/run-history.ts`). */
export function historyFolderOf(documentPath: string): string {
  const cut = Math.max(documentPath.lastIndexOf('/'), documentPath.lastIndexOf('\\'));
  const dir = documentPath.slice(0, cut + 1);
  const base = documentPath.slice(cut + 1).replace(/\.spikeflow\.json$|\.json$/i, '');
  return `${dir}${base}.spikeflow-runs`;
}

/**
 * The desktop store: a folder beside a saved document, through the shell. A document
 * without a file (new, or an example) keeps its runs in IndexedDB until it is saved.
 */
export function desktopHistoryStore(api: DesktopApi, unsaved: RunHistoryStore = indexedDbHistoryStore()): RunHistoryStore {
  return {
    describe: (doc) => (doc.path ? `in ${historyFolderOf(doc.path)}` : `${unsaved.describe(doc)}, until the document is saved`),
    list: (doc) => (doc.path ? api.historyList(doc.path) : unsaved.list(doc)),
    load: (doc, id) => (doc.path ? api.historyLoad(doc.path, id) : unsaved.load(doc, id)),
    save: (doc, entry, bytes, keep) => (doc.path ? api.historySave(doc.path, entry, bytes, keep) : unsaved.save(doc, entry, bytes, keep)),
    remove: (doc, id) => (doc.path ? api.historyRemove(doc.path, id) : unsaved.remove(doc, id)),
  };
}

export interface Platform {
  readonly kind: 'electron' | 'browser';
  /**
   * Let the user pick a document. In Electron this answers with the file (null
   * when cancelled). In a browser it opens the file input and answers null: the
   * chosen file arrives through the input's change event, since a browser never
   * says when its picker was cancelled.
   */
  openFile(): Promise<PickedFile | null>;
  /**
   * Save to `path`, or ask for one when null (Save As). Null when cancelled. A browser
   * has no paths: `fileName` (the open document's file, absent for Save As) lets it
   * write back into the file it opened, where it can.
   */
  saveFile(path: string | null, text: string, suggestedName: string, fileName?: string | null): Promise<WrittenFile | null>;
  /** Write a copy; the document keeps its own path. */
  exportJson(text: string, suggestedName: string): Promise<WrittenFile | null>;
  /** Save exported results (PNG, SVG, CSV, NPZ) under a suggested name. */
  exportBlob(blob: Blob, suggestedName: string): Promise<WrittenFile | null>;
  recentFiles(): Promise<readonly string[]>;
  openRecent(path: string): Promise<PickedFile | null>;
  setDocumentState(state: { readonly name: string; readonly dirty: boolean }): void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** File › Open Recent › a file (desktop menu). */
  onOpenRecent(listener: (path: string) => void): () => void;
  /** Where run history is kept; absent on a test platform (history then stays in memory). */
  readonly runHistory?: RunHistoryStore;
  /** The autosave journal (`renderer/recovery/`); absent on a test platform. */
  readonly journal?: JournalStore;
  /**
   * A browser's own recent list: the documents it opened or saved, kept with their text
   * (a browser cannot reopen a file by path). The desktop shell keeps paths instead.
   */
  readonly recentDocuments?: RecentDocuments;
  /**
   * Side weights files beside a saved document (desktop only: a browser tab cannot
   * read the folder a document came from). `name` is relative to the document.
   */
  readonly sideFiles?: SideFileAccess;
  /** A dataset file's bytes (an image folder's packed images) beside a saved document, or null when there is none (desktop only). */
  readonly readDatasetFile?: (documentPath: string, name: string) => Promise<Uint8Array | PickedImageFolder | null>;
  /** A native folder dialog for an image folder, read and packed for the engine (desktop only; a browser uses a folder input). */
  readonly pickImageFolder?: () => Promise<PickedImageFolder | null>;
}

/** Reading and writing side weights files beside a document (`engine/format/weights.ts`). */
export interface SideFileAccess {
  /** The file's text (bytes for a `.npy`/`.npz` matrix or synapse list), or null when it does not exist. */
  read(documentPath: string, name: string): Promise<string | Uint8Array | null>;
  /** Write it atomically; answers the full path. */
  write(documentPath: string, name: string, text: string): Promise<string>;
}

declare global {
  interface Window {
    /** Present only inside the Electron shell (the preload exposes it). */
    spikeflow?: DesktopApi;
  }
}

/** `<name>.spikeflow.json`, with characters file systems refuse replaced. */
export function suggestedFileName(docName: string): string {
  const base =
    docName
      .trim()
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
      .replace(/\.spikeflow\.json$/i, '') || 'untitled';
  return `${base}.spikeflow.json`;
}

/** The window title: `name • — Spikeflow` while there are unsaved changes. */
export function windowTitle(name: string, dirty: boolean): string {
  return `${name || 'Untitled'}${dirty ? ' •' : ''} — Spikeflow`;
}

export function electronPlatform(api: DesktopApi): Platform {
  return {
    kind: 'electron',
    openFile: () => api.openFile(),
    saveFile: (path, text, name) => api.saveFile(path, text, name),
    exportJson: (text, name) => api.exportJson(text, name),
    exportBlob: async (blob, name) => api.exportBytes(new Uint8Array(await blob.arrayBuffer()), name),
    recentFiles: () => api.recentFiles(),
    openRecent: (path) => api.openRecent(path),
    setDocumentState: (state) => {
      document.title = windowTitle(state.name, state.dirty);
      api.setDocumentState(state);
    },
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    onOpenRecent: (listener) => api.onOpenRecent(listener),
    runHistory: desktopHistoryStore(api),
    journal: {
      read: async () => {
        const v = await api.journalRead();
        return isJournalRecord(v) ? v : null;
      },
      write: (record) => api.journalWrite(record),
      clear: () => api.journalClear(),
    },
    sideFiles: { read: (documentPath, name) => api.sideFileRead(documentPath, name), write: (documentPath, name, text) => api.sideFileWrite(documentPath, name, text) },
    readDatasetFile: (documentPath, name) => api.datasetFileRead(documentPath, name),
    pickImageFolder: () => api.pickImageFolder(),
  };
}

/** Offer `data` (text is JSON) as a download named `name`. */
function download(data: string | Blob, name: string): void {
  const url = URL.createObjectURL(typeof data === 'string' ? new Blob([data], { type: 'application/json' }) : data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The browser platform. `pickFile` opens the page's hidden
 * `<input type=file data-testid="open-file-input">`.
 */
export function browserPlatform(pickFile: () => void, fsa: FileSystemAccess | null = fileSystemAccess(window as never)): Platform {
  const recentDocuments = indexedDbRecentDocuments();
  return {
    kind: 'browser',
    openFile: async () => {
      if (fsa) return fsa.pick();
      pickFile();
      return null;
    },
    saveFile: async (_path, text, name, fileName) => {
      // Where the browser can write files: back into the one opened, else where the user says.
      if (fsa && fileName && (await fsa.write(fileName, text))) return { path: null, name: fileName, onDisk: true };
      const chosen = await fsa?.saveAs(fileName ?? name, text);
      if (chosen === null) return null;
      if (chosen !== undefined) return { path: null, name: chosen, onDisk: true };
      download(text, name);
      return { path: null, name };
    },
    exportJson: async (text, name) => {
      download(text, name);
      return { path: null, name };
    },
    exportBlob: async (blob, name) => {
      download(blob, name);
      return { path: null, name };
    },
    recentFiles: async () => (await recentDocuments.list()).map((d) => d.name),
    openRecent: async (name) => {
      const fromDisk = await fsa?.reopen(name);
      if (fromDisk) return fromDisk;
      const d = await recentDocuments.get(name);
      if (!d) throw new Error(`"${name}" is no longer in this browser's recent documents.`);
      return { path: null, name: d.name, text: d.text };
    },
    setDocumentState: (state) => {
      document.title = windowTitle(state.name, state.dirty);
    },
    onMenuCommand: () => () => undefined,
    onOpenRecent: () => () => undefined,
    runHistory: indexedDbHistoryStore(),
    journal: indexedDbJournal(),
    recentDocuments,
  };
}
