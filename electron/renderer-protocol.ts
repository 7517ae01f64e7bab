/**
 * Serves the Vite build (`dist/`) under `app://spikeflow/`. A custom scheme rather than
 * `file://` gives the page a real origin (module scripts, absolute `/assets/...` URLs,
 * a meaningful IPC sender check) and lets every response carry the CSP header.
 * No Electron imports: `main.ts` registers {@link createAssetHandler} with `protocol.handle`.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'spikeflow';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for `protocol.registerSchemesAsPrivileged` (before `app` is ready). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  // Vite marks its module scripts `crossorigin`; module loading needs CORS support on the scheme.
  corsEnabled: true,
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rootDir` that `url` names, or null when the URL is not ours or
 * escapes the root (`..`, encoded separators, absolute paths).
 */
export function resolveAsset(rootDir: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${pathname}`);
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * A `protocol.handle` handler that answers from `rootDir`, with the CSP and `nosniff`
 * on every response. Unknown or escaping paths get 404.
 */
export function createAssetHandler(rootDir: string, csp: string, readFile: (file: string) => Promise<Uint8Array> = (file) => fsp.readFile(file)): (request: Request) => Promise<Response> {
  const headers = (contentType: string): Record<string, string> => ({
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  return async (request) => {
    const file = resolveAsset(rootDir, request.url);
    if (file === null || request.method !== 'GET') {
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
    try {
      const body = await readFile(file);
      return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers: headers(contentTypeOf(file)) });
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
  };
}
