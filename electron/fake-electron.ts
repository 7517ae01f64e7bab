/**
 * A small stand-in for the `electron` module, for tests only:
 * `vi.mock('electron', () => import('./fake-electron.ts'))`.
 * It models just the behaviour the shell relies on (events, preventable close,
 * webContents messaging, utility processes, message channels).
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** An event whose default can be prevented, like Electron's. */
export function preventable(): { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: unknown[][] = [];
  readonly posted: { channel: string; message: unknown; ports: unknown[] }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  postMessage(channel: string, message: unknown, ports: unknown[] = []): void {
    this.posted.push({ channel, message, ports });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.focused;
  }
  readonly webContents = new FakeWebContents();
  title: string;
  documentEdited = false;
  destroyed = false;
  visible = false;
  loadedUrl: string | null = null;
  constructor(readonly options: { title?: string; webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    this.title = options.title ?? '';
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.loads++;
    return Promise.resolve();
  }
  /** How many times a page was loaded. */
  loads = 0;
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setDocumentEdited(edited: boolean): void {
    this.documentEdited = edited;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  show(): void {
    this.visible = true;
  }
  /** Like Electron: `close` may be prevented; otherwise the window is destroyed and `closed` follows. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 2, checkboxChecked: false })),
};

export class FakeUtilityProcess extends EventEmitter {
  readonly postMessage = vi.fn((_message: unknown, _transfer?: unknown[]) => undefined);
  readonly kill = vi.fn(() => {
    this.emit('exit', 0);
    return true;
  });
}

export const utilityProcess = {
  fork: vi.fn((..._args: unknown[]) => new FakeUtilityProcess()),
};

let nextChannel = 1;
export class MessageChannelMain {
  readonly n = nextChannel++;
  readonly port1 = { name: `engine-end-${this.n}` };
  readonly port2 = { name: `window-end-${this.n}` };
}

export const ipcRenderer = {
  invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => null),
  send: vi.fn((..._args: unknown[]) => undefined),
  on: vi.fn((..._args: unknown[]) => ipcRenderer),
  removeListener: vi.fn((..._args: unknown[]) => ipcRenderer),
};

export const contextBridge = {
  exposeInMainWorld: vi.fn((_key: string, _api: unknown) => undefined),
};

class FakeApp extends EventEmitter {
  appPath = '/app';
  isPackaged = false;
  readonly paths: Record<string, string> = { userData: '/tmp/spikeflow-user-data', documents: '/tmp/documents' };
  readonly quit = vi.fn(() => {
    this.emit('before-quit');
  });
  readonly exit = vi.fn((_code?: number) => undefined);
  readonly enableSandbox = vi.fn();
  readonly setAppUserModelId = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => true);
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`no fake path for ${name}`);
    return p;
  }
  getVersion(): string {
    return '0.1.0';
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

export const app = new FakeApp();

export const protocol = {
  registerSchemesAsPrivileged: vi.fn((_schemes: unknown[]) => undefined),
  handle: vi.fn((_scheme: string, _handler: (request: Request) => Promise<Response>) => undefined),
};

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: vi.fn((_listener: unknown) => undefined) },
    setPermissionRequestHandler: vi.fn((_handler: unknown) => undefined),
    setPermissionCheckHandler: vi.fn((_handler: unknown) => undefined),
  },
};

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn((_menu: unknown) => undefined),
};

export const ipcMain = {
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  listeners: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    ipcMain.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcMain.handlers.delete(channel);
  },
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    ipcMain.listeners.set(channel, listener);
  },
  removeListener(channel: string): void {
    ipcMain.listeners.delete(channel);
  },
};

/** Forget all windows, listeners and calls between tests. */
export function resetFakeElectron(): void {
  BrowserWindow.instances.length = 0;
  BrowserWindow.focused = null;
  app.removeAllListeners();
  app.appPath = '/app';
  app.isPackaged = false;
  ipcMain.handlers.clear();
  ipcMain.listeners.clear();
  const mocks = [
    dialog.showOpenDialog,
    dialog.showSaveDialog,
    dialog.showMessageBox,
    utilityProcess.fork,
    ipcRenderer.invoke,
    ipcRenderer.send,
    ipcRenderer.on,
    ipcRenderer.removeListener,
    contextBridge.exposeInMainWorld,
    app.quit,
    app.exit,
    app.enableSandbox,
    app.setAppUserModelId,
    protocol.registerSchemesAsPrivileged,
    protocol.handle,
    session.defaultSession.webRequest.onHeadersReceived,
    session.defaultSession.setPermissionRequestHandler,
    session.defaultSession.setPermissionCheckHandler,
    Menu.buildFromTemplate,
    Menu.setApplicationMenu,
  ];
  for (const fn of mocks) fn.mockClear();
}
