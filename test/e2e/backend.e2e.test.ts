/**
 * Run on another engine from the app (issue 15): the app's browser build in
 * Debian Chromium, with the desktop shell's backend host provided by the test.
 * `window.spikeflowBackends` calls, through Playwright bindings, the real
 * main-process handler (electron/backend-run-ipc.ts, electron faked as in the
 * electron tests), which exports the document to PyNN and runs it on the real
 * pyNN.neuron; its spikes come back into the raster and the run history,
 * labelled with the simulator. A plain browser tab (no host) gets the choice
 * disabled with the reason. Screenshots: /tmp/backend-*.png.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { deterministicDocument } from '../pynn-cases.ts';
import { BACKEND_IPC, type BackendProgress } from '../../electron/backend-api.ts';
import { registerBackendIpc, type BackendJobRunner } from '../../electron/backend-run-ipc.ts';
import { INSTALL, backendMissing, runBackendJob } from '../../engine/hosts/backend-run.ts';
import { sourceSpikes } from '../../engine/hosts/pynn-inputs.ts';

const chromium = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const neuron = requireTool(
  'pyNN.neuron with compiled mechanisms (python3-pynn, python3-neuron, neuron-dev; nrnivmodl)',
  backendMissing('neuron') === null,
  'see .ci/run: apt-get install -y python3-pynn python3-neuron neuron-dev g++, then nrnivmodl in pyNN/neuron/nmodl',
);

interface AppWindow {
  __spikeflow: { editor: { doc: { nodes: unknown[] } } };
  __sfBackendProgress(p: BackendProgress): void;
}

/** In the page before the app: a backend host whose calls go to the test's bindings. */
function installHost(): void {
  const w = window as unknown as Record<string, unknown>;
  const listeners = new Set<(p: unknown) => void>();
  w.__sfBackendProgress = (p: unknown) => listeners.forEach((l) => l(p));
  const call = (name: string, ...args: unknown[]) => (w[name] as (...a: unknown[]) => Promise<unknown>)(...args);
  w.spikeflowBackends = {
    run: (request: unknown) => call('__sfBackendRun', request),
    pickResults: () => Promise.resolve(null),
    cancel: (jobId: unknown) => call('__sfBackendCancel', jobId),
    onProgress: (l: (p: unknown) => void) => (listeners.add(l), () => listeners.delete(l)),
  };
}

/**
 * Serve the page's host calls with the real main-process handlers: a fake ipcMain
 * and a fake sender whose `send` delivers progress into the page.
 */
async function serveBackends(context: BrowserContext, page: Page, runJob: BackendJobRunner): Promise<BackendProgress[]> {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const sent: BackendProgress[] = [];
  const sender = {
    id: 1,
    isDestroyed: () => false,
    send: (_channel: string, p: BackendProgress) => {
      sent.push(p);
      void page.evaluate((x) => (window as unknown as AppWindow).__sfBackendProgress(x), p).catch(() => undefined);
    },
    once: () => sender,
    removeListener: () => sender,
  };
  registerBackendIpc(
    { handle: (c, h) => void handlers.set(c, h as never), removeHandler: (c) => void handlers.delete(c) },
    { rendererOrigin: new URL(page.url()).origin, isWindow: (s) => s === (sender as unknown), runJob },
  );
  const event = () => ({ sender, senderFrame: { url: page.url() } });
  await context.exposeBinding('__sfBackendRun', (_source, request: unknown) => handlers.get(BACKEND_IPC.run)!(event(), request));
  await context.exposeBinding('__sfBackendCancel', (_source, jobId: unknown) => handlers.get(BACKEND_IPC.cancel)!(event(), jobId));
  return sent;
}

/** Open the deterministic network (spike generators into five kinds, monitor "raster", 300 ms). */
async function openDocument(page: Page): Promise<void> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sf-backend-e2e-')), 'det.spikeflow.json');
  writeFileSync(file, JSON.stringify(deterministicDocument()));
  await page.getByTestId('open-file-input').setInputFiles(file);
  await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length > 0);
}

describe.runIf(chromium)('running on another engine from the app', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  describe('in a plain browser tab', () => {
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      ({ browser, page, errors } = await openApp(inject('baseUrl')));
    });
    afterAll(async () => {
      await browser?.close();
      browser = undefined;
    });

    it('disables the backend choice and says why', async () => {
      expect(await page.getByTestId('backend-select').isDisabled()).toBe(true);
      expect(await page.getByTestId('backend-picker').locator('label').first().getAttribute('title')).toMatch(/needs the desktop app.*spikeflow run FILE --backend neuron/s);
      await page.getByTestId('backend-picker').screenshot({ path: '/tmp/backend-browser.png' });
      expect(errors).toEqual([]);
    });

    it("imports a script's results folder (File › Import results) into the raster and the run history", async () => {
      await openDocument(page);
      // What the PyNN script writes (run.json and a spike file per monitored population), by hand.
      const dir = mkdtempSync(path.join(tmpdir(), 'sf-results-e2e-'));
      writeFileSync(
        path.join(dir, 'run.json'),
        JSON.stringify({
          simulator: 'nest',
          processes: 8,
          threads: 4,
          dt_ms: 0.1,
          duration_ms: 300,
          seed: 1,
          build_ms: 1200,
          run_ms: 3400,
          spike_files: ['raster.adex.spikes.csv', 'raster.lif-curr-exp.spikes.csv'],
        }),
      );
      writeFileSync(path.join(dir, 'raster.adex.spikes.csv'), 'neuron,t_ms\n0,10.0\n3,150.04\n');
      writeFileSync(path.join(dir, 'raster.lif-curr-exp.spikes.csv'), 'neuron,t_ms\n1,20.0\n2,280.0\n2,290.0\n');
      await page.getByTestId('file-menu').click();
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('menu-importResults').click()]);
      expect(chooser.isMultiple()).toBe(true);
      await chooser.setFiles(['run.json', 'raster.adex.spikes.csv', 'raster.lif-curr-exp.spikes.csv'].map((f) => path.join(dir, f)));
      const view = page.getByTestId('history-run');
      await view.waitFor();
      expect(await page.getByTestId('history-open-title').textContent()).toMatch(/engine pyNN\.nest, 8 MPI processes, 4 threads, imported$/);
      expect(await view.getAttribute('data-kept-spikes')).toBe('5');
      expect(await page.getByTestId('status-line').textContent()).toBe('Imported results: 5 spikes, kept as run 1 in History.');
      await page.screenshot({ path: '/tmp/backend-import.png' });
      expect(errors).toEqual([]);
    });
  });

  describe.runIf(neuron)('with the desktop host', () => {
    let page: Page;
    let errors: string[];
    let recorded = -1;
    let progress: BackendProgress[] = [];

    beforeAll(async () => {
      let context: BrowserContext;
      ({ browser, context, page, errors } = await openApp(inject('baseUrl'), { initScript: installHost }));
      // The real runner, counting what the script recorded before the handler answers it.
      progress = await serveBackends(context, page, async (plan, title, job, hooks) => {
        const r = await runBackendJob(plan, title, job, sourceSpikes, hooks);
        if (r.ok) recorded = r.spikes.reduce((a, s) => a + s.neuron.length, 0);
        return r;
      });
      await openDocument(page);
    });

    it("runs the document on pyNN.neuron and shows its spikes in the raster and the run history, labelled 'pyNN.neuron'", async () => {
      await page.getByTestId('backend-select').selectOption('neuron');
      expect(await page.getByTestId('backend-mpi').inputValue()).toBe('1');
      await page.getByTestId('run').click();
      await page.getByTestId('backend-progress').waitFor();
      await page.getByTestId('history-run').waitFor({ timeout: 600_000 });
      expect(recorded).toBeGreaterThan(0);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toMatchObject({ doneMs: 300, totalMs: 300 });
      expect(await page.getByTestId('history-count').textContent()).toBe('1');
      expect(await page.getByTestId('history-open-title').textContent()).toMatch(/^Run 1 · .* · engine pyNN\.neuron$/);
      // The raster of monitor "raster" holds every spike the script recorded.
      const view = page.getByTestId('history-run');
      expect(Number(await view.getAttribute('data-spikes'))).toBe(recorded);
      expect(Number(await view.getAttribute('data-kept-spikes'))).toBe(recorded);
      expect(await page.getByTestId('status-line').textContent()).toMatch(new RegExp(`^Ran on NEURON: ${recorded} spikes, kept as run 1 in History\\. \\d+ parts were not exported or approximated`));
      expect(await page.getByTestId('backend-progress').count()).toBe(0);
      // What the export approximated is listed, not dropped (lif-delta has no NEURON cell type).
      expect(await page.getByTestId('backend-notes').textContent()).toMatch(/approximated: node lif-delta/);
      await page.screenshot({ path: '/tmp/backend-neuron-notes.png' });
      await page.getByTestId('backend-failure-dismiss').click();
      await page.screenshot({ path: '/tmp/backend-neuron.png' });
      expect(errors).toEqual([]);
    }, 900_000);

    it('names a backend that is not installed (NEST) with its exact install command, and keeps the graph', async () => {
      const nodes = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length);
      await page.getByTestId('backend-select').selectOption('nest');
      await page.getByTestId('run').click();
      const failure = page.getByTestId('backend-failure');
      await failure.waitFor({ timeout: 120_000 });
      expect(await failure.textContent()).toContain(INSTALL.nest);
      await page.screenshot({ path: '/tmp/backend-nest-missing.png' });
      expect(await page.getByTestId('history-count').textContent()).toBe('1');
      expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length)).toBe(nodes);
      await page.getByTestId('backend-failure-dismiss').click();
      expect(errors).toEqual([]);
    });
  });
});
