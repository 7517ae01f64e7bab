import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dialog, preventable, resetFakeElectron, type BrowserWindow } from './fake-electron.ts';
import { createMainWindow, windowDialogs, type MainWindowOptions } from './window.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

beforeEach(() => resetFakeElectron());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function open(overrides: Partial<MainWindowOptions> = {}) {
  const options: MainWindowOptions = {
    preloadPath: '/app/dist-electron/preload.cjs',
    url: 'app://spikeflow/index.html',
    connectEngine: vi.fn(),
    onCloseCancelled: vi.fn(),
    onClosed: vi.fn(),
    platform: 'linux',
    ...overrides,
  };
  const shell = createMainWindow(options);
  const win = shell.window as unknown as BrowserWindow;
  return { shell, win, options };
}

describe('createMainWindow', () => {
  it('creates the window isolated and sandboxed, without Node integration, with our preload', () => {
    const { win } = open();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
    });
  });

  it('loads the renderer URL and shows the window when it is ready', () => {
    const { win } = open();
    expect(win.loadedUrl).toBe('app://spikeflow/index.html');
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('blocks navigation and denies new windows', () => {
    const { win } = open();
    const nav = preventable();
    win.webContents.emit('will-navigate', nav, 'https://example.com/');
    expect(nav.defaultPrevented).toBe(true);
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it("titles the window from the document state, not from the page's <title>", () => {
    const { shell, win } = open();
    expect(win.title).toBe('Untitled — Spikeflow');
    const pageTitle = preventable();
    win.emit('page-title-updated', pageTitle, 'Vite App');
    expect(pageTitle.defaultPrevented).toBe(true);
    shell.setDocumentState({ name: 'net.spikeflow.json', dirty: true });
    expect(win.title).toBe('net.spikeflow.json • — Spikeflow');
    shell.setDocumentState({ name: 'net.spikeflow.json', dirty: false });
    expect(win.title).toBe('net.spikeflow.json — Spikeflow');
  });

  it('marks the document edited on macOS', () => {
    const { shell, win } = open({ platform: 'darwin' });
    shell.setDocumentState({ name: 'net', dirty: true });
    expect(win.documentEdited).toBe(true);
  });

  it('closes a clean window without asking', () => {
    const { win, options } = open();
    win.close();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(win.destroyed).toBe(true);
    expect(options.onClosed).toHaveBeenCalled();
  });

  it('asks Save / Don’t Save / Cancel before closing with unsaved changes, and Cancel keeps it open', async () => {
    const { shell, win, options } = open();
    shell.setDocumentState({ name: 'net.spikeflow.json', dirty: true });
    dialog.showMessageBox.mockResolvedValueOnce({ response: 2, checkboxChecked: false });
    win.close();
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const [parent, box] = dialog.showMessageBox.mock.calls[0] as [unknown, { buttons: string[]; cancelId: number; message: string }];
    expect(parent).toBe(win);
    expect(box.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(box.cancelId).toBe(2);
    expect(box.message).toContain('net.spikeflow.json');
    expect(win.destroyed).toBe(false);
    expect(options.onCloseCancelled).toHaveBeenCalled();
  });

  it("closes without saving on Don't Save", async () => {
    const { shell, win } = open();
    shell.setDocumentState({ name: 'net', dirty: true });
    dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    win.close();
    await settle();
    expect(win.destroyed).toBe(true);
    expect(win.webContents.sent).toEqual([]);
  });

  it('on Save sends the save command and closes once the renderer reports a clean document', async () => {
    const { shell, win } = open();
    shell.setDocumentState({ name: 'net', dirty: true });
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    win.close();
    await settle();
    expect(win.webContents.sent).toEqual([['spikeflow:menu-command', 'save']]);
    expect(win.destroyed).toBe(false);
    shell.saveFinished(true);
    shell.setDocumentState({ name: 'net', dirty: false });
    expect(win.destroyed).toBe(true);
  });

  it('stays open when the save asked for by closing is cancelled', async () => {
    const { shell, win } = open();
    shell.setDocumentState({ name: 'net', dirty: true });
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    win.close();
    await settle();
    shell.saveFinished(false);
    shell.setDocumentState({ name: 'net', dirty: false });
    expect(win.destroyed).toBe(false);
  });

  it('hands engine ports to the page with webContents.postMessage on the engine-port channel', () => {
    const { shell, win, options } = open();
    shell.requestEnginePort();
    expect(options.connectEngine).toHaveBeenCalledWith(shell.enginePort);
    const port = { name: 'p' };
    shell.enginePort.receivePort(port as never);
    expect(win.webContents.posted).toEqual([{ channel: 'spikeflow:engine-port', message: null, ports: [port] }]);
    expect(shell.enginePort.isDestroyed()).toBe(false);
    win.close();
    expect(shell.enginePort.isDestroyed()).toBe(true);
  });

  it('sends menu commands and open-recent requests to the page', () => {
    const { shell, win } = open();
    shell.sendMenuCommand('export-json');
    shell.sendOpenRecent('/home/u/net.spikeflow.json');
    expect(win.webContents.sent).toEqual([
      ['spikeflow:menu-command', 'export-json'],
      ['spikeflow:menu-open-recent', '/home/u/net.spikeflow.json'],
    ]);
  });
});

describe('windowDialogs', () => {
  it('opens a modal open dialog with the graph filters and returns the chosen path', async () => {
    const { win } = open();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/u/net.spikeflow.json'] });
    const chosen = await windowDialogs(win as never).showOpen('/home/u');
    expect(chosen).toBe('/home/u/net.spikeflow.json');
    const [parent, options] = dialog.showOpenDialog.mock.calls[0] as [unknown, { defaultPath: string; filters: { extensions: string[] }[] }];
    expect(parent).toBe(win);
    expect(options.defaultPath).toBe('/home/u');
    expect(options.filters[0].extensions).toEqual(['spikeflow.json', 'json']);
  });

  it('answers null when a dialog is cancelled', async () => {
    const { win } = open();
    const dialogs = windowDialogs(win as never);
    expect(await dialogs.showOpen('/tmp')).toBeNull();
    expect(await dialogs.showSave('document', '/tmp/x.spikeflow.json')).toBeNull();
  });

  it('saves documents as *.spikeflow.json and exports as *.json, asking before overwriting', async () => {
    const { win } = open();
    const dialogs = windowDialogs(win as never);
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/tmp/out.json' });
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/tmp/out.json' });
    expect(await dialogs.showSave('document', '/tmp/net.spikeflow.json')).toBe('/tmp/out.json');
    await dialogs.showSave('export', '/tmp/net.json');
    const [, doc] = dialog.showSaveDialog.mock.calls[0] as [unknown, { filters: { extensions: string[] }[]; properties: string[]; defaultPath: string }];
    const [, exp] = dialog.showSaveDialog.mock.calls[1] as [unknown, { filters: { extensions: string[] }[] }];
    expect(doc.defaultPath).toBe('/tmp/net.spikeflow.json');
    expect(doc.filters.map((f) => f.extensions)).toEqual([['spikeflow.json'], ['json']]);
    expect(doc.properties).toContain('showOverwriteConfirmation');
    expect(exp.filters.map((f) => f.extensions)).toEqual([['json']]);
  });

  it('offers a results export under its own extension first, then any file', async () => {
    const { win } = open();
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/tmp/raster.npz' });
    expect(await windowDialogs(win as never).showSave('binary', '/tmp/raster.npz')).toBe('/tmp/raster.npz');
    const [, options] = dialog.showSaveDialog.mock.calls[0] as [unknown, { title: string; filters: { name: string; extensions: string[] }[] }];
    expect(options.filters).toEqual([
      { name: 'NPZ', extensions: ['npz'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect(options.title).toBe('Export Results');
  });

  it('offers to reload a crashed page, and reloads it on Reload', async () => {
    const { win, options } = open();
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledWith(win, expect.objectContaining({ buttons: ['Reload', 'Close window'], message: "Spikeflow's window stopped unexpectedly (crashed)." }));
    expect(win.loads).toBe(2);
    expect(win.loadedUrl).toBe(options.url);
    expect(win.destroyed).toBe(false);
  });

  it('closes a crashed window on Close window, and asks nothing after a clean exit', async () => {
    const { win } = open();
    dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    win.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    await settle();
    expect(win.destroyed).toBe(true);
    expect(win.loads).toBe(1);
    const other = open();
    dialog.showMessageBox.mockClear();
    other.win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });
});
