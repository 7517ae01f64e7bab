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

export interface SaveResult {
  readonly path: string;
  readonly name: string;
}

/** Commands the File menu sends to the window. */
export type MenuCommand = 'new' | 'open' | 'save' | 'save-as' | 'export-json' | 'undo' | 'redo';

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
  recentFiles(): Promise<readonly string[]>;
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
  recentFiles: 'spikeflow:recent-files',
  documentState: 'spikeflow:document-state',
  menuCommand: 'spikeflow:menu-command',
  menuOpenRecent: 'spikeflow:menu-open-recent',
  enginePort: 'spikeflow:engine-port',
  requestEnginePort: 'spikeflow:request-engine-port',
} as const;
