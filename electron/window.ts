/**
 * The main window: secure web preferences, navigation blocked, title from the document
 * state, closing guarded against unsaved changes, native dialogs bound to the window,
 * and the receiving end for engine ports.
 */
import { BrowserWindow, dialog, type MessagePortMain } from 'electron';
import { IPC, type MenuCommand } from './api.ts';
import { choiceFromButton, CloseGuard, CLOSE_BUTTONS, CLOSE_CANCEL_ID, formatTitle, INITIAL_DOCUMENT_STATE, type CloseChoice, type DocumentState } from './document-state.ts';
import type { PortReceiver } from './engine-host.ts';
import type { Dialogs, SaveKind } from './file-service.ts';
import type { WindowContext } from './ipc.ts';
import { blockNavigation, secureWebPreferences } from './security.ts';

export interface MainWindowOptions {
  readonly preloadPath: string;
  /** `app://spikeflow/index.html`, or the Vite dev server. */
  readonly url: string;
  readonly platform?: NodeJS.Platform;
  /** Ask the engine supervisor for a connection for this window. */
  connectEngine(receiver: PortReceiver<MessagePortMain>): void;
  /** The user kept the window open when asked about unsaved changes. */
  onCloseCancelled?(): void;
  /** The window is gone. */
  onClosed?(shell: ShellWindow): void;
  log?(message: string): void;
}

export interface ShellWindow extends WindowContext {
  readonly window: BrowserWindow;
  readonly guard: CloseGuard;
  readonly enginePort: PortReceiver<MessagePortMain>;
  sendMenuCommand(command: MenuCommand): void;
  sendOpenRecent(filePath: string): void;
}

/** Open dialog filters: Spikeflow graphs first; any JSON; anything. */
export const OPEN_FILTERS = [
  { name: 'Spikeflow graphs', extensions: ['spikeflow.json', 'json'] },
  { name: 'All files', extensions: ['*'] },
];

export const SAVE_FILTERS: Record<SaveKind, { name: string; extensions: string[] }[]> = {
  document: [
    { name: 'Spikeflow graph', extensions: ['spikeflow.json'] },
    { name: 'JSON', extensions: ['json'] },
  ],
  export: [{ name: 'JSON', extensions: ['json'] }],
  binary: [{ name: 'All files', extensions: ['*'] }],
};

/** Save filters for `kind`; a binary export's own extension comes first. */
export function saveFilters(kind: SaveKind, defaultPath: string): { name: string; extensions: string[] }[] {
  if (kind !== 'binary') return SAVE_FILTERS[kind];
  const ext = /\.([A-Za-z0-9]+)$/.exec(defaultPath)?.[1]?.toLowerCase();
  return ext ? [{ name: ext.toUpperCase(), extensions: [ext] }, ...SAVE_FILTERS.binary] : SAVE_FILTERS.binary;
}

/** Native dialogs parented to `win` (modal sheets on macOS). */
export function windowDialogs(win: BrowserWindow): Dialogs {
  return {
    async showOpen(defaultDir) {
      const r = await dialog.showOpenDialog(win, { title: 'Open Graph', defaultPath: defaultDir, properties: ['openFile'], filters: OPEN_FILTERS });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
    async showSave(kind, defaultPath) {
      const r = await dialog.showSaveDialog(win, {
        title: kind === 'document' ? 'Save Graph' : kind === 'export' ? 'Export JSON' : 'Export Results',
        buttonLabel: kind === 'document' ? 'Save' : 'Export',
        defaultPath,
        filters: saveFilters(kind, defaultPath),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

/** The Save / Don't Save / Cancel box. */
export async function askToSave(win: BrowserWindow, documentName: string): Promise<CloseChoice> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'warning',
    buttons: [...CLOSE_BUTTONS],
    defaultId: 0,
    cancelId: CLOSE_CANCEL_ID,
    noLink: true,
    message: `Do you want to save the changes you made to ${documentName}?`,
    detail: "Your changes will be lost if you don't save them.",
  });
  return choiceFromButton(response);
}

/** The choices after the page crashed: reload it (the default) or leave the window as it is. */
export const CRASH_BUTTONS = ['Reload', 'Close window'] as const;

/** Ask whether to reload a crashed page; true for Reload. Closing the window is the other answer. */
export async function offerReload(win: BrowserWindow, reason: string): Promise<boolean> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'error',
    buttons: [...CRASH_BUTTONS],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
    message: `Spikeflow's window stopped unexpectedly (${reason}).`,
    detail: 'Reload it to go on working: the document is restored from its last autosave, when there is one. The files on disk are not touched.',
  });
  if (response !== 0 && !win.isDestroyed()) win.destroy();
  return response === 0;
}

export function createMainWindow(options: MainWindowOptions): ShellWindow {
  const platform = options.platform ?? process.platform;
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: formatTitle(INITIAL_DOCUMENT_STATE),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  const contents = win.webContents;
  blockNavigation(contents, options.url);
  // The title comes from the document state, not from the page's <title>.
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());

  const alive = (): boolean => !win.isDestroyed() && !contents.isDestroyed();

  const guard = new CloseGuard({
    ask: (name) => askToSave(win, name),
    requestSave: () => shell.sendMenuCommand('save'),
    close: () => {
      if (!win.isDestroyed()) win.close();
    },
    onCloseCancelled: () => options.onCloseCancelled?.(),
  });

  const enginePort: PortReceiver<MessagePortMain> = {
    isDestroyed: () => !alive(),
    receivePort: (port) => contents.postMessage(IPC.enginePort, null, [port]),
  };

  const shell: ShellWindow = {
    window: win,
    guard,
    enginePort,
    dialogs: windowDialogs(win),
    setDocumentState(state: DocumentState) {
      if (!alive()) return;
      win.setTitle(formatTitle(state));
      if (platform === 'darwin') win.setDocumentEdited(state.dirty);
      // Last: completing a save-then-close destroys the window.
      guard.setState(state);
    },
    saveFinished: (saved) => guard.saveFinished(saved),
    requestEnginePort: () => options.connectEngine(enginePort),
    sendMenuCommand(command) {
      if (alive()) contents.send(IPC.menuCommand, command);
    },
    sendOpenRecent(filePath) {
      if (alive()) contents.send(IPC.menuOpenRecent, filePath);
    },
  };

  win.on('close', (event) => {
    if (!guard.shouldClose()) event.preventDefault();
  });
  win.on('closed', () => options.onClosed?.(shell));
  contents.on('render-process-gone', (_event, details) => {
    options.log?.(`renderer gone: ${details.reason}`);
    if (details.reason === 'clean-exit' || !alive()) return;
    // The page's own startup restores the document from its autosave journal, where there is one.
    void offerReload(win, details.reason).then((reload) => {
      if (!reload || !alive()) return;
      guard.setState(INITIAL_DOCUMENT_STATE);
      win.loadURL(options.url).catch((err: unknown) => options.log?.(`could not reload ${options.url}: ${String(err)}`));
    });
  });

  win.loadURL(options.url).catch((err: unknown) => options.log?.(`could not load ${options.url}: ${String(err)}`));
  return shell;
}
