import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { IPC } from './api.ts';
import type * as FakeElectron from './fake-electron.ts';
import type { MenuItemConstructorOptions } from 'electron';

vi.mock('electron', () => import('./fake-electron.ts'));

let userData: string;

beforeEach(async () => {
  // main.ts runs on import: load it afresh each time, against a clean fake.
  vi.resetModules();
  userData = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-main-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fsp.rm(userData, { recursive: true, force: true });
});

/** Import main.ts against a fresh fake Electron and wait until it has opened its window. */
async function startMain(env: { devUrl?: string; packaged?: boolean } = {}) {
  vi.stubEnv('SPIKEFLOW_DEV_URL', env.devUrl ?? '');
  const electron = (await import('electron')) as unknown as typeof FakeElectron;
  electron.resetFakeElectron();
  electron.app.isPackaged = env.packaged ?? false;
  electron.app.appPath = '/opt/spikeflow';
  electron.app.paths.userData = userData;
  await import('./main.ts');
  await vi.waitFor(() => expect(electron.BrowserWindow.instances).toHaveLength(1));
  const win = electron.BrowserWindow.instances[0];
  const fromPage = { sender: win.webContents, senderFrame: { url: env.devUrl ?? 'app://spikeflow/index.html' } };
  const menu = () => electron.Menu.buildFromTemplate.mock.lastCall![0] as MenuItemConstructorOptions[];
  return { electron, win, fromPage, menu };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('main.ts wiring (Electron faked)', () => {
  it('registers app:// as a privileged scheme, enables the sandbox, and opens the window on app://spikeflow/index.html', async () => {
    const { electron, win } = await startMain();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(win.loadedUrl).toBe('app://spikeflow/index.html');
    expect(win.options.webPreferences).toMatchObject({ preload: path.join('/opt/spikeflow', 'dist-electron', 'preload.cjs'), sandbox: true, contextIsolation: true });
  });

  it('serves the renderer from dist/ with the strict CSP on every response', async () => {
    const { electron } = await startMain();
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = electron.protocol.handle.mock.calls[0][1];
    const res = await handler(new Request('app://spikeflow/missing.js'));
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self' 'wasm-unsafe-eval';/);
    expect(electron.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
  });

  it('loads the Vite dev server when SPIKEFLOW_DEV_URL is set, and trusts IPC from it', async () => {
    const { win, electron, fromPage } = await startMain({ devUrl: 'http://localhost:5173/' });
    expect(win.loadedUrl).toBe('http://localhost:5173/');
    expect(await electron.ipcMain.handlers.get(IPC.recentFiles)!(fromPage)).toEqual([]);
  });

  it('ignores SPIKEFLOW_DEV_URL in a packaged build: the page comes from app:// and the dev origin is not trusted', async () => {
    const { win, electron } = await startMain({ devUrl: 'http://localhost:5173/', packaged: true });
    expect(win.loadedUrl).toBe('app://spikeflow/index.html');
    const fromDev = { sender: win.webContents, senderFrame: { url: 'http://localhost:5173/' } };
    await expect(Promise.resolve().then(() => electron.ipcMain.handlers.get(IPC.recentFiles)!(fromDev))).rejects.toThrow();
  });

  it('answers IPC from the window, and refuses it from a foreign page', async () => {
    const { electron, fromPage, win } = await startMain();
    expect(await electron.ipcMain.handlers.get(IPC.recentFiles)!(fromPage)).toEqual([]);
    await expect(electron.ipcMain.handlers.get(IPC.recentFiles)!({ sender: win.webContents, senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow();
  });

  it('sends File menu commands to the window', async () => {
    const { win, menu } = await startMain();
    const file = menu().find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[];
    (file.find((i) => i.id === 'save')!.click as () => void)();
    expect(win.webContents.sent).toContainEqual([IPC.menuCommand, 'save']);
  });

  it('sends Edit → Select All to the window as a command, leaving Ctrl+A to the page', async () => {
    const { win, menu } = await startMain();
    const edit = menu().find((m) => m.label === '&Edit')!.submenu as MenuItemConstructorOptions[];
    const selectAll = edit.find((i) => i.id === 'select-all')!;
    expect(selectAll.role).toBeUndefined();
    expect(selectAll.registerAccelerator).toBe(false);
    (selectAll.click as () => void)();
    expect(win.webContents.sent).toContainEqual([IPC.menuCommand, 'select-all']);
  });

  it('titles the window from the document state the page reports', async () => {
    const { electron, win, fromPage } = await startMain();
    electron.ipcMain.listeners.get(IPC.documentState)!(fromPage, { name: 'net.spikeflow.json', dirty: true });
    expect(win.title).toBe('net.spikeflow.json • — Spikeflow');
  });

  it('forks the engine from dist-electron/engine-host.cjs when the page asks for a port', async () => {
    const { electron, win, fromPage } = await startMain();
    electron.ipcMain.listeners.get(IPC.requestEnginePort)!(fromPage);
    expect(electron.utilityProcess.fork.mock.lastCall![0]).toBe(path.join('/opt/spikeflow', 'dist-electron', 'engine-host.cjs'));
    expect(win.webContents.posted.map((p) => p.channel)).toEqual([IPC.enginePort]);
  });

  it('rebuilds Open Recent after a save', async () => {
    const { electron, fromPage, menu } = await startMain();
    const target = path.join(userData, 'saved.spikeflow.json');
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    await electron.ipcMain.handlers.get(IPC.saveFile)!(fromPage, null, '{}', 'saved');
    const file = menu().find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[];
    const recent = file.find((i) => i.id === 'open-recent')!.submenu as MenuItemConstructorOptions[];
    expect(recent[0].toolTip).toBe(target);
    expect(JSON.parse(await fsp.readFile(path.join(userData, 'recent-files.json'), 'utf8')).files).toEqual([target]);
  });

  it('lets a quit wait for the unsaved-changes prompt, then carries on after Don’t Save', async () => {
    const { electron, win, fromPage } = await startMain();
    electron.ipcMain.listeners.get(IPC.documentState)!(fromPage, { name: 'net', dirty: true });
    electron.app.emit('before-quit');
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    win.close();
    await settle();
    expect(win.destroyed).toBe(true);
    expect(electron.app.quit).toHaveBeenCalled();
  });

  it('forgets a quit that the user cancelled at the prompt', async () => {
    const { electron, win, fromPage } = await startMain();
    electron.ipcMain.listeners.get(IPC.documentState)!(fromPage, { name: 'net', dirty: true });
    electron.app.emit('before-quit');
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 2, checkboxChecked: false });
    win.close();
    await settle();
    expect(win.destroyed).toBe(false);
    // Later the user makes the document clean and closes the window on macOS: no quit.
    electron.ipcMain.listeners.get(IPC.documentState)!(fromPage, { name: 'net', dirty: false });
    win.close();
    expect(win.destroyed).toBe(true);
    expect(electron.app.quit).not.toHaveBeenCalled();
  });
});
