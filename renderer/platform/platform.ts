/**
 * What the renderer needs from where it runs: files, recent files, the window
 * title, and menu commands. Two implementations: the Electron shell
 * (`window.spikeflow`, typed by `electron/api.ts`) and a plain browser tab.
 */
import type { DesktopApi, MenuCommand } from '../../electron/api.ts';

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
  /** Save to `path`, or ask for one when null (Save As). Null when cancelled. */
  saveFile(path: string | null, text: string, suggestedName: string): Promise<WrittenFile | null>;
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
}

declare global {
  interface Window {
    /** Present only inside the Electron shell (the preload exposes it). */
    spikeflow?: DesktopApi;
  }
}

/** `<name>.spikeflow.json`, with characters file systems refuse replaced. */
export function suggestedFileName(docName: string): string {
  const base = docName.trim().replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').replace(/\.spikeflow\.json$/i, '') || 'untitled';
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
    // The preload has no binary save yet: a download, which Electron turns into its save dialog.
    exportBlob: async (blob, name) => {
      download(blob, name);
      return { path: null, name };
    },
    recentFiles: () => api.recentFiles(),
    openRecent: (path) => api.openRecent(path),
    setDocumentState: (state) => {
      document.title = windowTitle(state.name, state.dirty);
      api.setDocumentState(state);
    },
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    onOpenRecent: (listener) => api.onOpenRecent(listener),
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
export function browserPlatform(pickFile: () => void): Platform {
  return {
    kind: 'browser',
    openFile: async () => {
      pickFile();
      return null;
    },
    saveFile: async (_path, text, name) => {
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
    recentFiles: async () => [],
    openRecent: async () => null,
    setDocumentState: (state) => {
      document.title = windowTitle(state.name, state.dirty);
    },
    onMenuCommand: () => () => undefined,
    onOpenRecent: () => () => undefined,
  };
}
