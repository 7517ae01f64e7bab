#!/usr/bin/env node
// `npm start`'s last step: launch Electron on this folder. Electron's binary is
// downloaded when it is installed; when that failed (offline, a proxy), say so
// plainly and offer the browser build instead of Electron's generic error.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Electron's binary, or why it is missing (a sentence with what to do).
 * @param {(id: string) => unknown} req the module loader (injectable for tests)
 * @param {(p: string) => boolean} exists
 * @returns {{ ok: true, path: string } | { ok: false, message: string }}
 */
export function findElectron(req = createRequire(import.meta.url), exists = existsSync) {
  let binary;
  try {
    binary = req('electron');
  } catch (e) {
    return { ok: false, message: missing(`the electron package could not be loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`) };
  }
  if (typeof binary !== 'string' || !exists(binary)) return { ok: false, message: missing(`its binary is not at ${String(binary)}`) };
  return { ok: true, path: binary };
}

function missing(why) {
  return (
    `Spikeflow: Electron is not installed correctly: ${why}.\n` +
    'Its binary is downloaded when the electron package is installed, and that download failed (no network, a proxy or a firewall?).\n' +
    'To retry once the network is there:   node node_modules/electron/install.js   (or: rm -rf node_modules/electron && npm install)\n' +
    'To use Spikeflow now, in a browser:   npm run web   (then open the printed http://localhost:5173)'
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const found = findElectron();
  if (!found.ok) {
    console.error(found.message);
    process.exit(1);
  }
  const child = spawn(found.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
