/**
 * engine/interop/nir runs in a browser as it is: bundled for the browser by esbuild (no Node
 * shims) and run in Debian's Chromium, it writes every test graph, reads it back identical,
 * refuses a non-HDF5 file by name, and the bytes it writes read in Node to the same graph.
 *
 * Chromium missing: under CI=true this fails; elsewhere it is skipped loudly.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { readNir } from '../engine/interop/nir/hdf5.ts';
import { describeNode } from './nir/describe.ts';
import { tsGraphs } from './nir/graphs.ts';
import { launchBrowser } from './e2e/browser.ts';
import { hasChromium, requireTool } from './require-tool.ts';
import { ROOT } from './helpers.ts';

const run = requireTool('Chromium', hasChromium(), 'apt-get install -y chromium');

/** Runs in the page: every graph through writeNir and readNir, plus one bad file. */
const ENTRY = `
import { readNir, writeNir } from './engine/interop/nir/index.ts';
import { describeNode } from './test/nir/describe.ts';
import { tsGraphs } from './test/nir/graphs.ts';
const out = { graphs: {}, bytes: {}, badFile: '' };
for (const [name, g] of Object.entries(tsGraphs())) {
  const bytes = await writeNir(g);
  out.graphs[name] = describeNode(await readNir(bytes));
  out.bytes[name] = Array.from(bytes);
}
try { await readNir(new TextEncoder().encode('not a nir file')); } catch (e) { out.badFile = e.message; }
window.__nir = out;
`;

interface PageResult {
  graphs: Record<string, unknown>;
  bytes: Record<string, number[]>;
  badFile: string;
}

describe.runIf(run)('NIR in the browser', () => {
  let browser: Browser;
  let result: PageResult;
  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'nir-browser-entry.ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    browser = await launchBrowser();
    const page = await browser.newPage();
    // Served, not injected: a 6 MB inline script costs seconds over the DevTools protocol.
    await page.route('http://nir.test/**', (r) =>
      r.request().url().endsWith('.js')
        ? r.fulfill({ contentType: 'text/javascript', body: bundle.outputFiles[0].text })
        : r.fulfill({ contentType: 'text/html', body: '<script type="module" src="/nir.js"></script>' }),
    );
    await page.goto('http://nir.test/');
    await page.waitForFunction(() => (window as unknown as { __nir?: unknown }).__nir !== undefined, undefined, { timeout: 60_000 });
    result = await page.evaluate(() => (window as unknown as { __nir: PageResult }).__nir);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(Object.keys(tsGraphs()))('%s: written and read back in the page, identical to the graph', (name) => {
    expect(result.graphs[name]).toEqual(describeNode(tsGraphs()[name]));
  });

  it.each(Object.keys(tsGraphs()))('%s: the bytes the page wrote read in Node to the same graph', async (name) => {
    expect(describeNode(await readNir(Uint8Array.from(result.bytes[name])))).toEqual(describeNode(tsGraphs()[name]));
  });

  it('refuses a file that is not HDF5 with the same message as in Node', () => {
    expect(result.badFile).toBe('/: not an HDF5 file (no HDF5 signature in its 14 bytes); a .nir file is HDF5 as written by nir.write');
  });
});
