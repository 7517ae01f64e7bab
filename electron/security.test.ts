import { describe, expect, it, vi } from 'vitest';
import { blockNavigation, contentSecurityPolicy, denyAllPermissions, installCsp, isTrustedSender, originOf, secureWebPreferences, withCspHeader } from './security.ts';

/** The CSP as a map directive → sources. */
const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

describe('secureWebPreferences', () => {
  it('isolates the page: context isolation, sandbox, no Node integration anywhere', () => {
    const prefs = secureWebPreferences('/app/dist-electron/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts only from the app itself (and WebAssembly compiled by them, for .nir files) and nothing by default', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('lets images come from data: and blob: URLs for image export', () => {
    expect(directives(contentSecurityPolicy()).get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('never allows eval of JavaScript or remote scripts (only WebAssembly compilation)', () => {
    const csp = contentSecurityPolicy();
    expect(csp.split(/[ ;]+/).filter((t) => t.includes('eval'))).toEqual(["'wasm-unsafe-eval'"]);
    expect(directives(csp).get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp).not.toMatch(/https?:/);
  });

  it('relaxes only what the Vite dev server needs when one is used', () => {
    const d = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"]);
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(d.get('script-src')).not.toContain("'unsafe-eval'");
  });
});

describe('withCspHeader / installCsp', () => {
  it('sets the policy on a response, replacing one the server sent in any letter case', () => {
    const headers = withCspHeader({ 'content-type': ['text/html'], 'content-security-policy': ['default-src *'] }, "default-src 'none'");
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] });
  });

  it('adds the header to every response of the session', () => {
    let listener: ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: vi.fn((l) => (listener = l)) } };
    installCsp(session as never, "default-src 'none'");
    const callback = vi.fn();
    listener!({ responseHeaders: { Server: ['vite'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { Server: ['vite'], 'Content-Security-Policy': ["default-src 'none'"] } });
  });
});

describe('blockNavigation', () => {
  function fakeContents(pageUrl?: string) {
    const handlers = new Map<string, (event: { preventDefault(): void }, ...args: unknown[]) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: vi.fn((name: string, h: (event: { preventDefault(): void }) => void) => handlers.set(name, h)),
      setWindowOpenHandler: vi.fn((h) => (openHandler = h)),
    };
    blockNavigation(contents as never, pageUrl);
    return { handlers, openWindow: (url: string) => openHandler!({ url }) };
  }

  it('prevents navigation to any URL, including a dropped file', () => {
    const { handlers } = fakeContents();
    for (const url of ['https://example.com/', 'file:///home/u/net.json', 'app://spikeflow/other.html']) {
      const event = { preventDefault: vi.fn() };
      handlers.get('will-navigate')!(event, url);
      expect(event.preventDefault).toHaveBeenCalled();
    }
  });

  it('lets the page reload itself but not go anywhere else', () => {
    const { handlers } = fakeContents('app://spikeflow/index.html');
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      handlers.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length === 0;
    };
    expect(navigate('app://spikeflow/index.html')).toBe(true);
    expect(navigate('app://spikeflow/index.html#graph')).toBe(true);
    expect(navigate('app://spikeflow/other.html')).toBe(false);
    expect(navigate('app://evil/index.html')).toBe(false);
    expect(navigate('file:///home/u/net.json')).toBe(false);
  });

  it('denies window.open and refuses <webview>', () => {
    const { handlers, openWindow } = fakeContents();
    expect(openWindow('https://example.com/')).toEqual({ action: 'deny' });
    const event = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('denyAllPermissions', () => {
  it('refuses permission requests and checks', () => {
    let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({ setPermissionRequestHandler: (h: never) => (request = h), setPermissionCheckHandler: (h: never) => (check = h) } as never);
    const cb = vi.fn();
    request!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts only frames of the renderer origin', () => {
    expect(originOf('app://spikeflow/index.html')).toBe('app://spikeflow');
    expect(isTrustedSender('app://spikeflow/index.html', 'app://spikeflow')).toBe(true);
    expect(isTrustedSender('app://evil/index.html', 'app://spikeflow')).toBe(false);
    expect(isTrustedSender('https://example.com/', 'app://spikeflow')).toBe(false);
    expect(isTrustedSender('file:///index.html', 'app://spikeflow')).toBe(false);
    expect(isTrustedSender(undefined, 'app://spikeflow')).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});
