/**
 * The security settings of the window, in one place: web preferences, the
 * Content-Security-Policy, navigation and window-open blocking, permission denial,
 * and the check that an IPC message comes from our own page.
 */
import type { Session, WebContents, WebPreferences } from 'electron';

/**
 * The window's web preferences. Context isolation and the sandbox keep page code away
 * from Node and from the preload's privileges; the preload is the only bridge.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // A middle click on a link must not open it in a new window (Electronegativity AUXCLICK_JS_CHECK).
    disableBlinkFeatures: 'Auxclick',
  };
}

/**
 * The Content-Security-Policy of the renderer. Scripts only from our own origin, plus
 * `'wasm-unsafe-eval'`: WebAssembly may be compiled (h5wasm reads and writes `.nir` files, the
 * engine's kernels are wasm) but JavaScript may still not be eval'd; images
 * may also be `data:`/`blob:` (image export); no plugins, frames, forms or base changes.
 * Inline styles are allowed because React Flow positions nodes with style attributes.
 *
 * With a dev server (`devServerUrl`), Vite needs an inline preamble script (React fast
 * refresh) and a WebSocket for hot reload; those relaxations never apply to the build.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  const wsOrigin = dev ? `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : null;
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': dev ? ["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"] : ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': wsOrigin ? ["'self'", wsOrigin] : ["'self'"],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

type ResponseHeaders = Record<string, string[] | string>;

/** `headers` with the CSP set to `csp`, replacing any CSP the server sent (any letter case). */
export function withCspHeader(headers: ResponseHeaders | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/** Put the CSP on every response the session receives (the dev server's included). */
export function installCsp(session: Pick<Session, 'webRequest'>, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
}

/** Refuse every permission request (camera, notifications, …): the app needs none. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Block every navigation away from the loaded page (a dropped file or a link would
 * otherwise replace the app), every `window.open`, and every `<webview>`.
 * Only `pageUrl` itself may be navigated to again (a reload, e.g. by the Vite dev
 * server); `loadURL` from main is not a navigation in this sense.
 */
export function blockNavigation(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, pageUrl?: string): void {
  contents.on('will-navigate', (event, url) => {
    if (pageUrl === undefined || !isSamePage(url, pageUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * `scheme://host[:port]` of a URL. Unlike `URL.origin` this is not `"null"` for custom
 * schemes such as `app:`, so it can compare them.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host === '' ? null : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** Same origin, path and query (the hash may differ). */
export function isSamePage(url: string, pageUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(pageUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname && a.search === b.search;
  } catch {
    return false;
  }
}

/** True when `frameUrl` belongs to the renderer's origin, i.e. the IPC sender is our page. */
export function isTrustedSender(frameUrl: string | undefined, rendererOrigin: string): boolean {
  return frameUrl !== undefined && originOf(frameUrl) === rendererOrigin;
}
