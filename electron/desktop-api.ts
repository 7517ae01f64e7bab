/**
 * Builds the {@link DesktopApi} object the preload exposes. Separate from `preload.ts`
 * (which only binds it to `ipcRenderer`, `contextBridge` and `window`) so it is tested
 * with a fake IPC.
 *
 * Invariants: the page never receives `ipcRenderer`, an IPC event or its `sender`;
 * only the channels in {@link IPC} can be used; incoming values are checked.
 */
import type { IpcRendererEvent } from 'electron';
import { IPC, type DesktopApi, type MenuCommand, type OpenedFile, type PickedImageFolder, type RunHistoryEntry, type SaveResult } from './api.ts';

/** The channels of `api.ts`; {@link guardIpc} refuses any other. */
export const ALLOWED_CHANNELS: ReadonlySet<string> = new Set<string>(Object.values(IPC));

/** Every {@link MenuCommand}; the compile-time check below fails when the union grows. */
export const MENU_COMMANDS = ['new', 'open', 'save', 'save-as', 'export-json', 'undo', 'redo', 'select-all', 'import-nir', 'export-nir', 'export-brian2'] as const satisfies readonly MenuCommand[];
type MissingCommand = Exclude<MenuCommand, (typeof MENU_COMMANDS)[number]>;
const _allCommandsListed: [MissingCommand] extends [never] ? true : MissingCommand = true;
void _allCommandsListed;

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

/** The part of `ipcRenderer` the preload uses. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

/** `ipc` restricted to {@link ALLOWED_CHANNELS}: any other channel throws. */
export function guardIpc(ipc: IpcLike): IpcLike {
  const check = (channel: string): string => {
    if (!ALLOWED_CHANNELS.has(channel)) throw new Error(`Unknown IPC channel "${channel}".`);
    return channel;
  };
  return {
    invoke: (channel, ...args) => {
      try {
        return ipc.invoke(check(channel), ...args);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    send: (channel, ...args) => ipc.send(check(channel), ...args),
    on: (channel, listener) => ipc.on(check(channel), listener),
    removeListener: (channel, listener) => ipc.removeListener(check(channel), listener),
  };
}

/**
 * The API for `contextBridge.exposeInMainWorld('spikeflow', …)`.
 * `forwardPort` delivers an engine `MessagePort` to the page (through `window.postMessage`).
 */
export function createDesktopApi(rawIpc: IpcLike, forwardPort: (port: MessagePort) => void): DesktopApi {
  const ipc = guardIpc(rawIpc);

  ipc.on(IPC.enginePort, (event) => {
    const port = event.ports?.[0];
    if (port) forwardPort(port);
  });

  /** Subscribe to a main → page channel, passing on only validated values, never the event. */
  const subscribe = <T>(channel: string, accept: (value: unknown) => value is T, listener: (value: T) => void): (() => void) => {
    const wrapped: Listener = (_event, value) => {
      if (accept(value)) listener(value);
    };
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  };

  const api: DesktopApi = {
    platform: 'electron',
    openFile: () => ipc.invoke(IPC.openFile) as Promise<OpenedFile | null>,
    openRecent: (path) => ipc.invoke(IPC.openRecent, path) as Promise<OpenedFile | null>,
    saveFile: (path, text, suggestedName) => ipc.invoke(IPC.saveFile, path, text, suggestedName) as Promise<SaveResult | null>,
    exportJson: (text, suggestedName) => ipc.invoke(IPC.exportJson, text, suggestedName) as Promise<SaveResult | null>,
    exportBytes: (bytes, suggestedName) => ipc.invoke(IPC.exportBytes, bytes, suggestedName) as Promise<SaveResult | null>,
    recentFiles: () => ipc.invoke(IPC.recentFiles) as Promise<readonly string[]>,
    historyList: (documentPath) => ipc.invoke(IPC.historyList, documentPath) as Promise<readonly RunHistoryEntry[]>,
    historyLoad: (documentPath, id) => ipc.invoke(IPC.historyLoad, documentPath, id) as Promise<Uint8Array>,
    historySave: (documentPath, entry, bytes, keep) => ipc.invoke(IPC.historySave, documentPath, entry, bytes, keep) as Promise<readonly string[]>,
    historyRemove: (documentPath, id) => ipc.invoke(IPC.historyRemove, documentPath, id) as Promise<void>,
    sideFileRead: (documentPath, name) => ipc.invoke(IPC.sideFileRead, documentPath, name) as Promise<string | Uint8Array | null>,
    datasetFileRead: (documentPath, name) => ipc.invoke(IPC.datasetFileRead, documentPath, name) as Promise<Uint8Array | PickedImageFolder | null>,
    pickImageFolder: () => ipc.invoke(IPC.pickImageFolder) as Promise<PickedImageFolder | null>,
    sideFileWrite: (documentPath, name, text) => ipc.invoke(IPC.sideFileWrite, documentPath, name, text) as Promise<string>,
    journalRead: () => ipc.invoke(IPC.journalRead),
    journalWrite: (record) => ipc.invoke(IPC.journalWrite, record) as Promise<void>,
    journalClear: () => ipc.invoke(IPC.journalClear) as Promise<void>,
    setDocumentState: (state) => {
      ipc.send(IPC.documentState, { name: String(state.name), dirty: Boolean(state.dirty) });
    },
    onMenuCommand: (listener) => subscribe(IPC.menuCommand, isMenuCommand, listener),
    onOpenRecent: (listener) => subscribe(IPC.menuOpenRecent, (v): v is string => typeof v === 'string', listener),
    requestEnginePort: () => {
      ipc.send(IPC.requestEnginePort);
    },
  };
  return api;
}
