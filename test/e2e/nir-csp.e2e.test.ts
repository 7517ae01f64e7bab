/**
 * The desktop window's Content-Security-Policy (electron/security.ts) lets h5wasm read `.nir`
 * files: the built app, served with exactly that policy on every response, opens a NIR file
 * through File › Import › NIR… . The control: the same policy without 'wasm-unsafe-eval' (what
 * the window had before) refuses WebAssembly, and the app says what to use instead.
 */
import { describe, it, expect, afterEach, inject } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp } from './browser.ts';
import type { AppSession } from './browser.ts';
import { contentSecurityPolicy } from '../../electron/security.ts';
import { writeNir } from '../../engine/interop/nir/hdf5.ts';
import { filled, ints, nirGraph, nirNode } from '../../engine/interop/nir/model.ts';
import { hasChromium, requireTool } from '../require-tool.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

async function appUnder(csp: string): Promise<AppSession> {
  const app = await openApp(inject('baseUrl'), {});
  await app.context.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
  });
  await app.page.reload();
  await app.page.getByTestId('palette-poisson-source').waitFor();
  return app;
}

async function nirFile(): Promise<string> {
  const graph = nirGraph(
    [
      ['input', nirNode('Input', { shape: ints([2]) })],
      ['lif', nirNode('LIF', { tau: filled([2], 0.02), r: filled([2], 1), v_leak: filled([2], 0), v_threshold: filled([2], 1), v_reset: filled([2], 0) })],
      ['output', nirNode('Output', { shape: ints([2]) })],
    ],
    [
      ['input', 'lif'],
      ['lif', 'output'],
    ],
  );
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sf-nir-csp-')), 'two.nir');
  writeFileSync(file, await writeNir(graph));
  return file;
}

async function importThroughMenu(app: AppSession, file: string): Promise<void> {
  await app.page.getByTestId('file-menu').click();
  const [chooser] = await Promise.all([app.page.waitForEvent('filechooser'), app.page.getByTestId('menu-importNir').click()]);
  await chooser.setFiles(file);
}

describe.runIf(run)('NIR under the desktop window’s security policy', () => {
  let app: AppSession | undefined;
  afterEach(async () => {
    await app?.browser.close();
    app = undefined;
  });

  it('reads a .nir file with the policy the window sends (script-src with wasm-unsafe-eval)', async () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    app = await appUnder(csp);
    await importThroughMenu(app, await nirFile());
    await app.page.getByTestId('nir-import-dialog').waitFor({ timeout: 30_000 });
    expect(await app.page.getByTestId('nir-import-summary').textContent()).toContain('3 nodes and 2 wires will be imported; 0 NIR node(s) will not');
    expect(app.errors).toEqual([]);
  });

  it('without wasm-unsafe-eval (the window before) refuses WebAssembly, and the app says what works instead', async () => {
    app = await appUnder(contentSecurityPolicy().replace(" 'wasm-unsafe-eval'", ''));
    await importThroughMenu(app, await nirFile());
    await expect.poll(() => app?.page.locator('body').textContent(), { timeout: 30_000 }).toContain("this page's security policy does not allow");
    expect(await app.page.getByTestId('nir-import-dialog').count()).toBe(0);
  });
});
