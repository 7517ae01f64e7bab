/**
 * The contract between the preload script and the renderer: the only things the
 * window can ask of the desktop shell. Types only; the renderer imports it with
 * `import type`, never the `electron` module.
 */

/** A document read from disk. `path` is absolute. */
export interface OpenedFile {
  readonly path: string;
  readonly name: string;
  readonly text: string;
}

/** An image folder the user picked (engine/sim/image-folder.ts `PackedImageFolder`, spelt out: this file holds types only). */
export interface PickedImageFolder {
  /** The folder's own name (what the dataset field records). */
  readonly name: string;
  readonly path: string;
  readonly folder: {
    readonly classes: readonly { readonly name: string; readonly files: readonly { readonly name: string; readonly size: number }[] }[];
    readonly bytes: Uint8Array;
  };
}

export interface SaveResult {
  readonly path: string;
  readonly name: string;
}

/**
 * A kept run as the shell stores it in a history folder's index. Main reads only `id`
 * (a file name: letters, digits, dashes) and `createdAt` (ISO 8601, for ordering);
 * the rest belongs to the renderer (`renderer/history/run-record.ts`).
 */
export interface RunHistoryEntry {
  readonly id: string;
  readonly createdAt: string;
  readonly [field: string]: unknown;
}

/** Commands the File menu sends to the window. */
export type MenuCommand = 'new' | 'open' | 'save' | 'save-as' | 'export-json' | 'undo' | 'redo' | 'select-all' | 'import-nir' | 'export-nir' | 'export-brian2';

/**
 * Exposed on `window.spikeflow` by the preload through `contextBridge`.
 * Every call is answered exactly once; a cancelled dialog answers `null`.
 */
export interface DesktopApi {
  readonly platform: 'electron';
  /** Show the open dialog and read the chosen file. */
  openFile(): Promise<OpenedFile | null>;
  /** Read a file from the recent list by path. */
  openRecent(path: string): Promise<OpenedFile | null>;
  /** Save atomically to `path`, or ask for a path when it is null (Save As). */
  saveFile(path: string | null, text: string, suggestedName: string): Promise<SaveResult | null>;
  /** Export a copy through a save dialog; the document's own path does not change. */
  exportJson(text: string, suggestedName: string): Promise<SaveResult | null>;
  /** Save binary data (PNG, NPZ, CSV, SVG export) through a save dialog. */
  exportBytes(bytes: Uint8Array, suggestedName: string): Promise<SaveResult | null>;
  recentFiles(): Promise<readonly string[]>;
  /**
   * Run history, kept in `<name>.spikeflow-runs/` beside a document the user opened or
   * saved (`documentPath`). Entries come newest first.
   */
  historyList(documentPath: string): Promise<readonly RunHistoryEntry[]>;
  /** One run's stored bytes. */
  historyLoad(documentPath: string, id: string): Promise<Uint8Array>;
  /** Store a run, then remove the oldest beyond the newest `keep`; answers the removed ids. */
  historySave(documentPath: string, entry: RunHistoryEntry, bytes: Uint8Array, keep: number): Promise<readonly string[]>;
  historyRemove(documentPath: string, id: string): Promise<void>;
  /**
   * A side weights file (`{"weights": {"file": name}}`) beside a document the user opened
   * or saved: its text, or null when it does not exist. `name` is relative to the document.
   */
  sideFileRead(documentPath: string, name: string): Promise<string | Uint8Array | null>;
  /** Write a side weights file beside the document (atomically); answers its full path. */
  sideFileWrite(documentPath: string, name: string, text: string): Promise<string>;
  /**
   * A dataset file an encoder names (IDX, .npy, .npz), relative to the document and inside its folder: its bytes,
   * an image folder's images packed when it names a folder, or null when it does not exist.
   */
  datasetFileRead(documentPath: string, name: string): Promise<Uint8Array | PickedImageFolder | null>;
  /**
   * Ask for an image folder (one sub-folder per class of PNG/PGM images) in a native
   * dialog and read its images: the folder packed for the engine, or null when cancelled.
   */
  pickImageFolder(): Promise<PickedImageFolder | null>;
  /**
   * The autosave journal in the app's data folder (`electron/journal.ts`): the last
   * unsaved document, or null. The renderer checks the record's shape.
   */
  journalRead(): Promise<unknown>;
  /** Replace the journal atomically with `record` (an object with the document `text`). */
  journalWrite(record: unknown): Promise<void>;
  journalClear(): Promise<void>;
  /** Tell main the title state, so it can set the title and guard closing. */
  setDocumentState(state: { readonly name: string; readonly dirty: boolean }): void;
  /** Menu commands; returns an unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /**
   * File › Open Recent › <path> was chosen. The renderer decides (unsaved changes?) and
   * then calls `openRecent(path)`. Returns an unsubscribe function.
   */
  onOpenRecent(listener: (path: string) => void): () => void;
  /**
   * Ask main for a fresh engine connection. The MessagePort arrives through
   * `window.postMessage` with data `{ type: 'spikeflow-engine-port' }`, since a
   * port cannot cross `contextBridge` as a return value.
   */
  requestEnginePort(): void;
}

/** The message data that carries the engine port into the window. */
export const ENGINE_PORT_MESSAGE = 'spikeflow-engine-port';

/** IPC channel names shared by main and preload; the preload accepts no others. */
export const IPC = {
  openFile: 'spikeflow:open-file',
  openRecent: 'spikeflow:open-recent',
  saveFile: 'spikeflow:save-file',
  exportJson: 'spikeflow:export-json',
  exportBytes: 'spikeflow:export-bytes',
  historyList: 'spikeflow:history-list',
  historyLoad: 'spikeflow:history-load',
  historySave: 'spikeflow:history-save',
  historyRemove: 'spikeflow:history-remove',
  sideFileRead: 'spikeflow:side-file-read',
  sideFileWrite: 'spikeflow:side-file-write',
  datasetFileRead: 'spikeflow:dataset-file-read',
  pickImageFolder: 'spikeflow:pick-image-folder',
  recentFiles: 'spikeflow:recent-files',
  journalRead: 'spikeflow:journal-read',
  journalWrite: 'spikeflow:journal-write',
  journalClear: 'spikeflow:journal-clear',
  documentState: 'spikeflow:document-state',
  menuCommand: 'spikeflow:menu-command',
  menuOpenRecent: 'spikeflow:menu-open-recent',
  enginePort: 'spikeflow:engine-port',
  requestEnginePort: 'spikeflow:request-engine-port',
} as const;
