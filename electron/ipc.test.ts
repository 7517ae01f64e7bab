import { describe, expect, it, vi } from 'vitest';
import { IPC } from './api.ts';
import type { FileService } from './file-service.ts';
import { registerIpc, type WindowContext } from './ipc.ts';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function setup() {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, h: Handler) => handlers.set(channel, h)),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    on: vi.fn((channel: string, h: Handler) => listeners.set(channel, h)),
    removeListener: vi.fn((channel: string) => listeners.delete(channel)),
  };
  const files = {
    openFile: vi.fn(async () => ({ path: '/a.json', name: 'a.json', text: '{}' })),
    openRecent: vi.fn(async () => null),
    saveFile: vi.fn(async (): Promise<unknown> => ({ path: '/a.json', name: 'a.json' })),
    exportJson: vi.fn(async () => null),
    recentFiles: vi.fn(() => ['/a.json']),
  };
  const exports = { exportBytes: vi.fn(async (): Promise<unknown> => ({ path: '/out/raster.npz', name: 'raster.npz' })) };
  const history = {
    list: vi.fn(async () => [{ id: 'r1', createdAt: '2026-01-01T00:00:00.000Z' }]),
    load: vi.fn(async () => new Uint8Array([1, 2, 3])),
    save: vi.fn(async () => ['old']),
    remove: vi.fn(async () => undefined),
  };
  const sideFiles = {
    read: vi.fn(async (): Promise<string | null> => '{"format":"spikeflow-weights"}'),
    write: vi.fn(async () => '/docs/net.weights.json'),
  };
  const imageFolders = { pick: vi.fn(async () => ({ name: 'shapes', path: '/data/shapes', folder: { classes: [], bytes: new Uint8Array(0) } })) };
  const journal = {
    read: vi.fn(async (): Promise<unknown> => ({ version: 1, text: '{}' })),
    write: vi.fn(async () => undefined),
    clear: vi.fn(async () => undefined),
  };
  const ctx: WindowContext = {
    dialogs: { showOpen: vi.fn(), showSave: vi.fn() },
    setDocumentState: vi.fn(),
    saveFinished: vi.fn(),
    requestEnginePort: vi.fn(),
  };
  const ourSender = { id: 1 };
  const dispose = registerIpc(ipcMain as never, {
    files: files as unknown as FileService,
    exports: exports as never,
    history: history as never,
    sideFiles: sideFiles as never,
    imageFolders,
    journal,
    rendererOrigin: 'app://spikeflow',
    contextFor: (sender) => (sender === (ourSender as unknown) ? ctx : null),
  });
  const fromPage = { sender: ourSender, senderFrame: { url: 'app://spikeflow/index.html' } };
  const invoke = async (channel: string, event: unknown, ...args: unknown[]) => handlers.get(channel)!(event, ...args);
  const emit = (channel: string, event: unknown, ...args: unknown[]) => listeners.get(channel)!(event, ...args);
  return { handlers, listeners, files, exports, history, sideFiles, imageFolders, journal, ctx, fromPage, ourSender, invoke, emit, dispose };
}

describe('registerIpc', () => {
  it('answers the request channels and listens on the one-way channels of api.ts', () => {
    const { handlers, listeners } = setup();
    expect([...handlers.keys()].sort()).toEqual(
      [
        IPC.exportJson,
        IPC.exportBytes,
        IPC.openFile,
        IPC.openRecent,
        IPC.recentFiles,
        IPC.saveFile,
        IPC.historyList,
        IPC.historyLoad,
        IPC.historySave,
        IPC.historyRemove,
        IPC.sideFileRead,
        IPC.sideFileWrite,
        IPC.datasetFileRead,
        IPC.pickImageFolder,
        IPC.journalRead,
        IPC.journalWrite,
        IPC.journalClear,
      ].sort(),
    );
    expect([...listeners.keys()].sort()).toEqual([IPC.documentState, IPC.requestEnginePort].sort());
  });

  it('serves our page', async () => {
    const { invoke, fromPage, files, ctx } = setup();
    expect(await invoke(IPC.openFile, fromPage)).toEqual({ path: '/a.json', name: 'a.json', text: '{}' });
    expect(files.openFile).toHaveBeenCalledWith(ctx.dialogs);
    expect(await invoke(IPC.recentFiles, fromPage)).toEqual(['/a.json']);
  });

  it('refuses requests from another origin or from a frame that is gone, without touching files', async () => {
    const { invoke, ourSender, files } = setup();
    await expect(invoke(IPC.openFile, { sender: ourSender, senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(/not the Spikeflow page/);
    await expect(invoke(IPC.recentFiles, { sender: ourSender, senderFrame: null })).rejects.toThrow(/not the Spikeflow page/);
    expect(files.openFile).not.toHaveBeenCalled();
    expect(files.recentFiles).not.toHaveBeenCalled();
  });

  it('opens the image-folder dialog for the asking window only, and answers the folder it read', async () => {
    const { invoke, fromPage, ourSender, imageFolders } = setup();
    expect(await invoke(IPC.pickImageFolder, fromPage)).toMatchObject({ name: 'shapes', path: '/data/shapes' });
    expect(imageFolders.pick).toHaveBeenCalledWith(ourSender);
    await expect(invoke(IPC.pickImageFolder, { sender: ourSender, senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(/not the Spikeflow page/);
    expect(imageFolders.pick).toHaveBeenCalledTimes(1);
  });

  it('refuses requests from a web contents that is not one of our windows', async () => {
    const { invoke } = setup();
    await expect(invoke(IPC.openFile, { sender: { id: 99 }, senderFrame: { url: 'app://spikeflow/index.html' } })).rejects.toThrow(/not a Spikeflow window/);
  });

  it('checks argument types and names the bad one', async () => {
    const { invoke, fromPage, files } = setup();
    await expect(invoke(IPC.saveFile, fromPage, '/a.json', 42, 'a')).rejects.toThrow('text must be a string, got number.');
    await expect(invoke(IPC.openRecent, fromPage, { path: '/a' })).rejects.toThrow('path must be a string, got object.');
    await expect(invoke(IPC.exportJson, fromPage, '{}', null)).rejects.toThrow('suggestedName must be a string, got null.');
    expect(files.saveFile).not.toHaveBeenCalled();
  });

  it("saves a binary export through this window's dialogs", async () => {
    const { invoke, fromPage, exports, ctx } = setup();
    const bytes = new Uint8Array([0x50, 0x4b, 3, 4]);
    expect(await invoke(IPC.exportBytes, fromPage, bytes, 'raster.npz')).toEqual({ path: '/out/raster.npz', name: 'raster.npz' });
    expect(exports.exportBytes).toHaveBeenCalledWith(ctx.dialogs, bytes, 'raster.npz');
  });

  it('serves the run history of a document path, and checks the path and id are strings', async () => {
    const { invoke, fromPage, history } = setup();
    expect(await invoke(IPC.historyList, fromPage, '/docs/net.spikeflow.json')).toEqual([{ id: 'r1', createdAt: '2026-01-01T00:00:00.000Z' }]);
    expect([...((await invoke(IPC.historyLoad, fromPage, '/docs/net.spikeflow.json', 'r1')) as Uint8Array)]).toEqual([1, 2, 3]);
    const entry = { id: 'r2', createdAt: '2026-01-02T00:00:00.000Z' };
    expect(await invoke(IPC.historySave, fromPage, '/docs/net.spikeflow.json', entry, new Uint8Array(4), 5)).toEqual(['old']);
    expect(history.save).toHaveBeenCalledWith('/docs/net.spikeflow.json', entry, new Uint8Array(4), 5);
    await invoke(IPC.historyRemove, fromPage, '/docs/net.spikeflow.json', 'r1');
    expect(history.remove).toHaveBeenCalledWith('/docs/net.spikeflow.json', 'r1');
    await expect(invoke(IPC.historyLoad, fromPage, '/docs/net.spikeflow.json', 7)).rejects.toThrow('id must be a string, got number.');
    await expect(invoke(IPC.historyList, fromPage, null)).rejects.toThrow('documentPath must be a string, got null.');
  });

  it('reads and writes side weights files beside a document path, and checks the arguments are strings', async () => {
    const { invoke, fromPage, sideFiles, ourSender } = setup();
    expect(await invoke(IPC.sideFileRead, fromPage, '/docs/net.spikeflow.json', 'net.weights.json')).toBe('{"format":"spikeflow-weights"}');
    expect(sideFiles.read).toHaveBeenCalledWith('/docs/net.spikeflow.json', 'net.weights.json');
    expect(await invoke(IPC.sideFileWrite, fromPage, '/docs/net.spikeflow.json', 'net.weights.json', '{}')).toBe('/docs/net.weights.json');
    expect(sideFiles.write).toHaveBeenCalledWith('/docs/net.spikeflow.json', 'net.weights.json', '{}');
    await expect(invoke(IPC.sideFileWrite, fromPage, '/docs/net.spikeflow.json', 'net.weights.json', 5)).rejects.toThrow('text must be a string, got number.');
    await expect(invoke(IPC.sideFileRead, { sender: ourSender, senderFrame: { url: 'https://evil.example/' } }, '/d.json', 'a.json')).rejects.toThrow(/not the Spikeflow page/);
    expect(sideFiles.write).toHaveBeenCalledTimes(1);
  });

  it('reads, writes and clears the journal for our page only', async () => {
    const { invoke, fromPage, journal, ourSender } = setup();
    expect(await invoke(IPC.journalRead, fromPage)).toEqual({ version: 1, text: '{}' });
    await invoke(IPC.journalWrite, fromPage, { version: 1, text: 'x' });
    expect(journal.write).toHaveBeenCalledWith({ version: 1, text: 'x' });
    await invoke(IPC.journalClear, fromPage);
    expect(journal.clear).toHaveBeenCalledTimes(1);
    await expect(invoke(IPC.journalWrite, { sender: ourSender, senderFrame: { url: 'https://evil.example/' } }, { text: 'y' })).rejects.toThrow(/not the Spikeflow page/);
    expect(journal.write).toHaveBeenCalledTimes(1);
  });

  it('refuses history and export requests from a foreign page without touching the disk', async () => {
    const { invoke, ourSender, history, exports } = setup();
    const evil = { sender: ourSender, senderFrame: { url: 'https://evil.example/' } };
    await expect(invoke(IPC.historySave, evil, '/docs/net.spikeflow.json', { id: 'x', createdAt: '2026-01-01' }, new Uint8Array(1), 1)).rejects.toThrow(/not the Spikeflow page/);
    await expect(invoke(IPC.exportBytes, evil, new Uint8Array(1), 'a.png')).rejects.toThrow(/not the Spikeflow page/);
    expect(history.save).not.toHaveBeenCalled();
    expect(exports.exportBytes).not.toHaveBeenCalled();
  });

  it('passes a null path through to mean Save As', async () => {
    const { invoke, fromPage, files, ctx } = setup();
    await invoke(IPC.saveFile, fromPage, null, '{}', 'net');
    expect(files.saveFile).toHaveBeenCalledWith(ctx.dialogs, null, '{}', 'net');
  });

  it('tells the window whether each save happened (for save-then-close)', async () => {
    const { invoke, fromPage, files, ctx } = setup();
    await invoke(IPC.saveFile, fromPage, null, '{}', 'net');
    files.saveFile.mockResolvedValueOnce(null);
    await invoke(IPC.saveFile, fromPage, null, '{}', 'net');
    files.saveFile.mockRejectedValueOnce(new Error('disk full'));
    await expect(invoke(IPC.saveFile, fromPage, null, '{}', 'net')).rejects.toThrow('disk full');
    expect(vi.mocked(ctx.saveFinished).mock.calls).toEqual([[true], [false], [false]]);
  });

  it('passes a valid document state to the window and drops malformed or foreign ones', () => {
    const { emit, fromPage, ourSender, ctx } = setup();
    emit(IPC.documentState, fromPage, { name: 'net', dirty: true });
    emit(IPC.documentState, fromPage, { name: 'net', dirty: 'yes' });
    emit(IPC.documentState, { sender: ourSender, senderFrame: { url: 'https://evil.example/' } }, { name: 'x', dirty: false });
    expect(vi.mocked(ctx.setDocumentState).mock.calls).toEqual([[{ name: 'net', dirty: true }]]);
  });

  it('forwards engine port requests from our page only', () => {
    const { emit, fromPage, ourSender, ctx } = setup();
    emit(IPC.requestEnginePort, fromPage);
    emit(IPC.requestEnginePort, { sender: ourSender, senderFrame: { url: 'file:///x.html' } });
    expect(ctx.requestEnginePort).toHaveBeenCalledTimes(1);
  });

  it('removes everything it registered', () => {
    const { handlers, listeners, dispose } = setup();
    dispose();
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });
});
