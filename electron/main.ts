/**
 * Electron main process: wiring only. The logic lives in small modules
 * (security, renderer-protocol, window, menu, ipc, file-service, files, recent-files,
 * document-state, engine-host) that are tested without launching Electron.
 *
 * Main owns the window, menus, dialogs and the file system. It forks the engine and
 * hands the window a MessagePort to it, and never relays engine traffic.
 */
import * as path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, type WebContents } from 'electron';
import { APP_NAME } from './document-state.ts';
import { createEngineSupervisor } from './engine-electron.ts';
import { FileService } from './file-service.ts';
import { BinaryExports } from './binary-export.ts';
import { RunHistoryFolders } from './run-history.ts';
import { SideFiles } from './side-files.ts';
import { pickImageFolder } from './image-folders.ts';
import { Journal } from './journal.ts';
import { registerIpc } from './ipc.ts';
import { registerBackendIpc } from './backend-run-ipc.ts';
import { buildMenuTemplate } from './menu.ts';
import { RecentFiles, RECENT_FILES_STORE } from './recent-files.ts';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAssetHandler } from './renderer-protocol.ts';
import { contentSecurityPolicy, denyAllPermissions, installCsp, originOf } from './security.ts';
import { createMainWindow, type ShellWindow } from './window.ts';

/** Where the build puts things, relative to the app root (the folder of package.json). */
export const BUILD_PATHS = {
  renderer: 'dist',
  preload: path.join('dist-electron', 'preload.cjs'),
  engine: path.join('dist-electron', 'engine-host.cjs'),
} as const;

const log = (message: string): void => console.error(`[spikeflow] ${message}`);

/** Start the shell once `app` is ready. Exported for the wiring test. */
export async function start(): Promise<void> {
  const appRoot = app.getAppPath();
  // The dev server (relaxed CSP, trusted for IPC) only for a development checkout, never a packaged app.
  const devUrl = app.isPackaged ? undefined : process.env.SPIKEFLOW_DEV_URL || undefined;
  if (app.isPackaged && process.env.SPIKEFLOW_DEV_URL) log('SPIKEFLOW_DEV_URL is ignored: this is a packaged build');
  const rendererUrl = devUrl ? new URL(devUrl).toString() : APP_INDEX_URL;
  const rendererOrigin = originOf(rendererUrl);
  if (!rendererOrigin) throw new Error(`SPIKEFLOW_DEV_URL must be an http(s) URL, got "${devUrl}".`);

  const csp = contentSecurityPolicy(devUrl);
  protocol.handle(APP_SCHEME, createAssetHandler(path.join(appRoot, BUILD_PATHS.renderer), csp));
  // The app scheme sets its own header; this covers the dev server.
  installCsp(session.defaultSession, csp);
  denyAllPermissions(session.defaultSession);

  const recent = new RecentFiles(path.join(app.getPath('userData'), RECENT_FILES_STORE));
  await recent.load();
  const engine = createEngineSupervisor(path.join(appRoot, BUILD_PATHS.engine), log);
  const windows = new Map<number, ShellWindow>();
  let mainWindow: ShellWindow | null = null;
  let quitting = false;

  const target = (): ShellWindow | null => {
    const focused = BrowserWindow.getFocusedWindow();
    return (focused && windows.get(focused.webContents.id)) || mainWindow;
  };

  const showAbout = (): void => {
    const options = {
      type: 'info' as const,
      title: `About ${APP_NAME}`,
      message: `${APP_NAME} ${app.getVersion()}`,
      detail: `A workbench for spiking neural networks.\n\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    };
    const win = target()?.window;
    void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  };

  const files = new FileService({
    recent,
    defaultDir: () => app.getPath('documents'),
    onRecentChanged: () => refreshMenu(),
  });

  const refreshMenu = (): void => {
    const template = buildMenuTemplate({
      platform: process.platform,
      recentFiles: recent.list(),
      send: (command) => target()?.sendMenuCommand(command),
      openRecent: (filePath) => target()?.sendOpenRecent(filePath),
      clearRecent: () => void files.clearRecent().catch((err: unknown) => log(`could not clear recent files: ${String(err)}`)),
      showAbout,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  // Run history only beside documents the user opened or saved (both put them on the recent list).
  const history = new RunHistoryFolders({ mayAccess: (filePath) => recent.has(filePath) });
  const exports = new BinaryExports({ defaultDir: () => app.getPath('documents') });
  const sideFiles = new SideFiles({ mayAccess: (filePath) => recent.has(filePath) });
  const journal = new Journal(path.join(app.getPath('userData'), 'recovery'));
  /** A folder dialog parented to `sender`'s window: the chosen folder, or null when cancelled. */
  const chooseFolder = async (sender: WebContents, title: string): Promise<string | null> => {
    const win = windows.get(sender.id)?.window;
    const options = { title, properties: ['openDirectory' as const] };
    const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  const imageFolders = { pick: (sender: WebContents) => pickImageFolder(() => chooseFolder(sender, 'Choose an image folder: one sub-folder per class, of PNG or PGM images')) };
  registerIpc(ipcMain, { files, exports, history, sideFiles, imageFolders, journal, rendererOrigin, contextFor: (sender) => windows.get(sender.id) ?? null });
  registerBackendIpc(ipcMain, {
    rendererOrigin,
    isWindow: (sender) => windows.has(sender.id),
    pickFolder: (sender) => chooseFolder(sender, 'Import results: the folder a script run wrote (run.json and .spikes.csv files)'),
  });

  const createWindow = (): ShellWindow => {
    const shell = createMainWindow({
      preloadPath: path.join(appRoot, BUILD_PATHS.preload),
      url: rendererUrl,
      connectEngine: (receiver) => engine.connect(receiver),
      onCloseCancelled: () => {
        quitting = false;
      },
      onClosed: (closed) => {
        engine.disconnect(closed.enginePort);
        windows.delete(id);
        if (mainWindow === closed) mainWindow = null;
        // A quit that waited for this window's unsaved-changes prompt carries on.
        if (quitting) app.quit();
      },
      log,
    });
    const id = shell.window.webContents.id;
    windows.set(id, shell);
    mainWindow = shell;
    return shell;
  };

  app.on('second-instance', () => {
    const win = mainWindow?.window;
    if (!win) return void createWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', () => engine.dispose());

  refreshMenu();
  createWindow();
}

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
app.setAppUserModelId('org.spikeflow.app');
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      app.exit(1);
    });
}
