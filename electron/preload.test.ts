import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINE_PORT_MESSAGE, IPC, type DesktopApi } from './api.ts';
import { ALLOWED_CHANNELS, createDesktopApi, guardIpc, isMenuCommand, type IpcLike } from './desktop-api.ts';
import type * as FakeElectron from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

/** Exactly the members of DesktopApi: the compiler rejects a missing or an extra key. */
const API_KEYS: Record<keyof DesktopApi, true> = {
  platform: true,
  openFile: true,
  openRecent: true,
  saveFile: true,
  exportJson: true,
  exportBytes: true,
  recentFiles: true,
  historyList: true,
  historyLoad: true,
  historySave: true,
  historyRemove: true,
  sideFileRead: true,
  sideFileWrite: true,
  datasetFileRead: true,
  pickImageFolder: true,
  journalRead: true,
  journalWrite: true,
  journalClear: true,
  setDocumentState: true,
  onMenuCommand: true,
  onOpenRecent: true,
  requestEnginePort: true,
};

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A fake ipcRenderer that keeps listeners so tests can deliver messages from main. */
function fakeIpc() {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => null),
    send: vi.fn(),
    on: vi.fn((channel: string, l: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l))),
    removeListener: vi.fn((channel: string, l: Listener) => listeners.get(channel)?.delete(l)),
  };
  const deliver = (channel: string, event: object, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l(event, ...args);
  };
  return { ipc: ipc as IpcLike & typeof ipc, deliver, listeners };
}

describe('preload.ts', () => {
  let postMessage: ReturnType<typeof vi.fn>;

  /** Load the preload fresh, with the fake electron module instance it sees. */
  const loadPreload = async (): Promise<typeof FakeElectron> => {
    await import('./preload.ts');
    return (await import('electron')) as unknown as typeof FakeElectron;
  };

  beforeEach(() => {
    vi.resetModules();
    postMessage = vi.fn();
    vi.stubGlobal('window', { postMessage });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('exposes exactly the DesktopApi as window.spikeflow, and never ipcRenderer', async () => {
    const { contextBridge, ipcRenderer } = await loadPreload();
    // The second is the backend host (backend-desktop-api.ts, tested in backend-run-ipc.test.ts).
    expect(contextBridge.exposeInMainWorld.mock.calls.map(([k]) => k)).toEqual(['spikeflow', 'spikeflowBackends']);
    const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(key).toBe('spikeflow');
    expect(Object.keys(api).sort()).toEqual(Object.keys(API_KEYS).sort());
    expect(api.platform).toBe('electron');
    for (const [name, value] of Object.entries(api)) {
      if (name !== 'platform') expect(typeof value, name).toBe('function');
      expect(value).not.toBe(ipcRenderer);
    }
  });

  it('forwards an engine port from main into the page with window.postMessage', async () => {
    const { ipcRenderer } = await loadPreload();
    const call = ipcRenderer.on.mock.calls.find(([channel]) => channel === IPC.enginePort);
    expect(call).toBeDefined();
    const port = { fake: 'MessagePort' };
    (call![1] as Listener)({ ports: [port], sender: ipcRenderer });
    expect(postMessage).toHaveBeenCalledWith({ type: ENGINE_PORT_MESSAGE }, '*', [port]);
  });
});

describe('guardIpc', () => {
  it('allows exactly the channels of api.ts', () => {
    expect([...ALLOWED_CHANNELS].sort()).toEqual(Object.values(IPC).sort());
  });

  it('rejects unknown channels on every operation and never reaches ipcRenderer', async () => {
    const { ipc } = fakeIpc();
    const guarded = guardIpc(ipc);
    await expect(guarded.invoke('spikeflow:delete-everything')).rejects.toThrow('Unknown IPC channel "spikeflow:delete-everything".');
    expect(() => guarded.send('ELECTRON_BROWSER_REQUIRE', 'fs')).toThrow(/Unknown IPC channel/);
    expect(() => guarded.on('other', () => undefined)).toThrow(/Unknown IPC channel/);
    expect(ipc.invoke).not.toHaveBeenCalled();
    expect(ipc.send).not.toHaveBeenCalled();
    expect(ipc.on).not.toHaveBeenCalled();
  });

  it('lets known channels through', async () => {
    const { ipc } = fakeIpc();
    await guardIpc(ipc).invoke(IPC.recentFiles);
    expect(ipc.invoke).toHaveBeenCalledWith(IPC.recentFiles);
  });
});

describe('createDesktopApi', () => {
  it('invokes the matching channel for each request with its arguments', async () => {
    const { ipc } = fakeIpc();
    const api = createDesktopApi(ipc, vi.fn());
    await api.openFile();
    await api.openRecent('/a.json');
    await api.saveFile(null, '{}', 'net');
    await api.exportJson('{}', 'net');
    await api.recentFiles();
    expect(ipc.invoke.mock.calls).toEqual([[IPC.openFile], [IPC.openRecent, '/a.json'], [IPC.saveFile, null, '{}', 'net'], [IPC.exportJson, '{}', 'net'], [IPC.recentFiles]]);
  });

  it('passes binary exports and run history requests to their channels with the bytes intact', async () => {
    const { ipc } = fakeIpc();
    ipc.invoke.mockResolvedValueOnce({ path: '/out/raster.npz', name: 'raster.npz' });
    const api = createDesktopApi(ipc, vi.fn());
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);
    expect(await api.exportBytes(bytes, 'raster.npz')).toEqual({ path: '/out/raster.npz', name: 'raster.npz' });
    const entry = { id: 'r1', createdAt: '2026-01-01T00:00:00.000Z', seed: 3 };
    await api.historyList('/d/net.spikeflow.json');
    await api.historyLoad('/d/net.spikeflow.json', 'r1');
    await api.historySave('/d/net.spikeflow.json', entry, bytes, 20);
    await api.historyRemove('/d/net.spikeflow.json', 'r1');
    await api.sideFileRead('/d/net.spikeflow.json', 'net.weights.json');
    await api.sideFileWrite('/d/net.spikeflow.json', 'net.weights.json', '{}');
    expect(ipc.invoke.mock.calls).toEqual([
      [IPC.exportBytes, bytes, 'raster.npz'],
      [IPC.historyList, '/d/net.spikeflow.json'],
      [IPC.historyLoad, '/d/net.spikeflow.json', 'r1'],
      [IPC.historySave, '/d/net.spikeflow.json', entry, bytes, 20],
      [IPC.historyRemove, '/d/net.spikeflow.json', 'r1'],
      [IPC.sideFileRead, '/d/net.spikeflow.json', 'net.weights.json'],
      [IPC.sideFileWrite, '/d/net.spikeflow.json', 'net.weights.json', '{}'],
    ]);
    expect([...(ipc.invoke.mock.calls[0][1] as Uint8Array)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('reads, writes and clears the autosave journal through its channels', async () => {
    const { ipc } = fakeIpc();
    const api = createDesktopApi(ipc, vi.fn());
    const record = { version: 1, text: '{}' };
    await api.journalRead();
    await api.journalWrite(record);
    await api.journalClear();
    expect(ipc.invoke.mock.calls).toEqual([[IPC.journalRead], [IPC.journalWrite, record], [IPC.journalClear]]);
  });

  it('sends the document state as a plain name and boolean', () => {
    const { ipc } = fakeIpc();
    const api = createDesktopApi(ipc, vi.fn());
    api.setDocumentState({ name: 'net', dirty: 1 as unknown as boolean, extra: 'x' } as never);
    expect(ipc.send).toHaveBeenCalledWith(IPC.documentState, { name: 'net', dirty: true });
  });

  it('asks main for an engine port', () => {
    const { ipc } = fakeIpc();
    createDesktopApi(ipc, vi.fn()).requestEnginePort();
    expect(ipc.send).toHaveBeenCalledWith(IPC.requestEnginePort);
  });

  it('gives menu listeners only valid commands, without the IPC event', () => {
    const { ipc, deliver } = fakeIpc();
    const api = createDesktopApi(ipc, vi.fn());
    const listener = vi.fn();
    api.onMenuCommand(listener);
    deliver(IPC.menuCommand, { sender: ipc }, 'save');
    deliver(IPC.menuCommand, { sender: ipc }, 'format-disk');
    deliver(IPC.menuCommand, { sender: ipc }, { command: 'save' });
    expect(listener.mock.calls).toEqual([['save']]);
  });

  it('stops calling a listener after it unsubscribes', () => {
    const { ipc, deliver } = fakeIpc();
    const api = createDesktopApi(ipc, vi.fn());
    const listener = vi.fn();
    const off = api.onOpenRecent(listener);
    deliver(IPC.menuOpenRecent, {}, '/a.json');
    off();
    deliver(IPC.menuOpenRecent, {}, '/b.json');
    deliver(IPC.menuOpenRecent, {}, 42);
    expect(listener.mock.calls).toEqual([['/a.json']]);
  });

  it('forwards an engine port, and ignores a message that carries none', () => {
    const { ipc, deliver } = fakeIpc();
    const forward = vi.fn();
    createDesktopApi(ipc, forward);
    deliver(IPC.enginePort, { ports: [] });
    const port = { p: 1 };
    deliver(IPC.enginePort, { ports: [port] });
    expect(forward.mock.calls).toEqual([[port]]);
  });
});

describe('isMenuCommand', () => {
  it('accepts the menu commands and nothing else', () => {
    for (const c of ['new', 'open', 'save', 'save-as', 'export-json', 'undo', 'redo', 'select-all']) expect(isMenuCommand(c)).toBe(true);
    for (const c of ['', 'quit', null, 1]) expect(isMenuCommand(c)).toBe(false);
  });
});
