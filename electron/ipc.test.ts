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
  const ctx: WindowContext = {
    dialogs: { showOpen: vi.fn(), showSave: vi.fn() },
    setDocumentState: vi.fn(),
    saveFinished: vi.fn(),
    requestEnginePort: vi.fn(),
  };
  const ourSender = { id: 1 };
  const dispose = registerIpc(ipcMain as never, {
    files: files as unknown as FileService,
    rendererOrigin: 'app://spikeflow',
    contextFor: (sender) => (sender === (ourSender as unknown) ? ctx : null),
  });
  const fromPage = { sender: ourSender, senderFrame: { url: 'app://spikeflow/index.html' } };
  const invoke = async (channel: string, event: unknown, ...args: unknown[]) => handlers.get(channel)!(event, ...args);
  const emit = (channel: string, event: unknown, ...args: unknown[]) => listeners.get(channel)!(event, ...args);
  return { handlers, listeners, files, ctx, fromPage, ourSender, invoke, emit, dispose };
}

describe('registerIpc', () => {
  it('answers the request channels and listens on the one-way channels of api.ts', () => {
    const { handlers, listeners } = setup();
    expect([...handlers.keys()].sort()).toEqual([IPC.exportJson, IPC.openFile, IPC.openRecent, IPC.recentFiles, IPC.saveFile].sort());
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
