/**
 * The main-process side of the {@link IPC} channels. Every message is checked: it must
 * come from our own page, from a window we created, with arguments of the right types.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC, type PickedImageFolder } from './api.ts';
import { parseDocumentState, type DocumentState } from './document-state.ts';
import type { Dialogs, FileService } from './file-service.ts';
import type { BinaryExports } from './binary-export.ts';
import type { RunHistoryFolders } from './run-history.ts';
import type { SideFiles } from './side-files.ts';
import type { Journal } from './journal.ts';
import { isTrustedSender } from './security.ts';

/** What the IPC layer needs of one window. */
export interface WindowContext {
  readonly dialogs: Dialogs;
  setDocumentState(state: DocumentState): void;
  /** A save this window asked for finished; `saved` is false when cancelled or failed. */
  saveFinished(saved: boolean): void;
  requestEnginePort(): void;
}

export interface IpcDeps {
  files: FileService;
  /** Results exports (PNG, SVG, CSV, NPZ) through a save dialog. */
  exports: Pick<BinaryExports, 'exportBytes'>;
  /** Run history folders beside documents. */
  history: Pick<RunHistoryFolders, 'list' | 'load' | 'save' | 'remove'>;
  /** Side weights files beside documents. */
  sideFiles: Pick<SideFiles, 'read' | 'write' | 'readDataset'>;
  /** Image folders for the dataset node: a folder dialog for `sender`'s window, then the folder read (electron/image-folders.ts). */
  imageFolders: { pick(sender: WebContents): Promise<PickedImageFolder | null> };
  /** The autosave journal in the app's data folder. */
  journal: Pick<Journal, 'read' | 'write' | 'clear'>;
  /** The origin of our page (`app://spikeflow` or the dev server). */
  rendererOrigin: string;
  contextFor(sender: WebContents): WindowContext | null;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

function stringArg(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${value === null ? 'null' : typeof value}.`);
  return value;
}

/** Register the handlers; returns a function that removes them. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>, deps: IpcDeps): () => void {
  const contextOf = (event: SenderEvent): WindowContext => {
    // `senderFrame` is null once the frame navigated away or was destroyed.
    if (!isTrustedSender(event.senderFrame?.url, deps.rendererOrigin)) throw new Error('IPC refused: the sender is not the Spikeflow page.');
    const ctx = deps.contextFor(event.sender);
    if (!ctx) throw new Error('IPC refused: the sender is not a Spikeflow window.');
    return ctx;
  };

  const handlers: Record<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown> = {
    [IPC.openFile]: (event) => deps.files.openFile(contextOf(event).dialogs),
    [IPC.openRecent]: (event, filePath) => {
      contextOf(event);
      return deps.files.openRecent(stringArg(filePath, 'path'));
    },
    [IPC.saveFile]: async (event, filePath, text, suggestedName) => {
      const ctx = contextOf(event);
      const target = filePath === null ? null : stringArg(filePath, 'path');
      let saved = false;
      try {
        const result = await deps.files.saveFile(ctx.dialogs, target, stringArg(text, 'text'), stringArg(suggestedName, 'suggestedName'));
        saved = result !== null;
        return result;
      } finally {
        ctx.saveFinished(saved);
      }
    },
    [IPC.exportJson]: (event, text, suggestedName) => deps.files.exportJson(contextOf(event).dialogs, stringArg(text, 'text'), stringArg(suggestedName, 'suggestedName')),
    [IPC.exportBytes]: (event, bytes, suggestedName) => deps.exports.exportBytes(contextOf(event).dialogs, bytes, suggestedName),
    [IPC.historyList]: (event, documentPath) => {
      contextOf(event);
      return deps.history.list(stringArg(documentPath, 'documentPath'));
    },
    [IPC.historyLoad]: (event, documentPath, id) => {
      contextOf(event);
      return deps.history.load(stringArg(documentPath, 'documentPath'), stringArg(id, 'id'));
    },
    [IPC.historySave]: (event, documentPath, entry, bytes, keep) => {
      contextOf(event);
      return deps.history.save(stringArg(documentPath, 'documentPath'), entry, bytes, keep);
    },
    [IPC.historyRemove]: (event, documentPath, id) => {
      contextOf(event);
      return deps.history.remove(stringArg(documentPath, 'documentPath'), stringArg(id, 'id'));
    },
    [IPC.sideFileRead]: (event, documentPath, name) => {
      contextOf(event);
      return deps.sideFiles.read(stringArg(documentPath, 'documentPath'), stringArg(name, 'name'));
    },
    [IPC.datasetFileRead]: (event, documentPath, name) => {
      contextOf(event);
      return deps.sideFiles.readDataset(stringArg(documentPath, 'documentPath'), stringArg(name, 'name'));
    },
    [IPC.pickImageFolder]: (event) => {
      contextOf(event);
      return deps.imageFolders.pick(event.sender);
    },
    [IPC.sideFileWrite]: (event, documentPath, name, text) => {
      contextOf(event);
      return deps.sideFiles.write(stringArg(documentPath, 'documentPath'), stringArg(name, 'name'), stringArg(text, 'text'));
    },
    [IPC.journalRead]: (event) => {
      contextOf(event);
      return deps.journal.read();
    },
    [IPC.journalWrite]: (event, record) => {
      contextOf(event);
      return deps.journal.write(record);
    },
    [IPC.journalClear]: (event) => {
      contextOf(event);
      return deps.journal.clear();
    },
    [IPC.recentFiles]: (event) => {
      contextOf(event);
      return deps.files.recentFiles();
    },
  };

  const listeners: Record<string, (event: IpcMainEvent, ...args: unknown[]) => void> = {
    [IPC.documentState]: (event, state) => {
      const parsed = parseDocumentState(state);
      if (parsed) tryContext(event)?.setDocumentState(parsed);
    },
    [IPC.requestEnginePort]: (event) => tryContext(event)?.requestEnginePort(),
  };

  // One-way messages have nobody to reject to; an untrusted one is simply dropped.
  const tryContext = (event: SenderEvent): WindowContext | null => {
    try {
      return contextOf(event);
    } catch {
      return null;
    }
  };

  // async: a synchronous throw becomes a rejection, like every other failure.
  for (const [channel, handler] of Object.entries(handlers)) ipcMain.handle(channel, async (event, ...args) => handler(event, ...args));
  for (const [channel, listener] of Object.entries(listeners)) ipcMain.on(channel, listener);
  return () => {
    for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel);
    for (const [channel, listener] of Object.entries(listeners)) ipcMain.removeListener(channel, listener);
  };
}
