/**
 * Building a big network in Debian Chromium (issue 13 item 6): after a short run of
 * Brunel's network, the same document is scaled to 50,000 neurons (62.5 M synapses)
 * and run. While the engine builds, the toolbar says "Building… N %" with what it
 * builds and offers Cancel; Cancel stops the build and the app is back where it was —
 * the document, the last run's statistics and raster, the history — and the next Run
 * runs. Screenshots of the build and of the state after Cancel go to
 * `$TMPDIR/spikeflow-build-cancel/`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, type AppSession } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { loadExample } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface RunView {
  phase: string;
  build: { phase: string; done: number; total: number } | null;
  stats: { spikes: number; steps: number; synapses: number } | null;
}
interface AppWindow {
  __spikeflow: {
    editor: { doc: unknown; state: { run: RunView }; setParam(nodeId: string, name: string, value: unknown): void };
    runner: { spikes: { kept(id: string): number } };
  };
}

const runOf = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run);
const docText = (page: Page) => page.evaluate(() => JSON.stringify((window as unknown as AppWindow).__spikeflow.editor.doc));
const rasterSpikes = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.runner.spikes.kept('raster'));
const setSize = (page: Page, exc: number, inh: number) =>
  page.evaluate(
    ([e, i]) => {
      const { editor } = (window as unknown as AppWindow).__spikeflow;
      editor.setParam('exc', 'size', e);
      editor.setParam('inh', 'size', i);
    },
    [exc, inh],
  );

describe.runIf(run)('building a big network', () => {
  let app: AppSession;
  const shots = path.join(tmpdir(), 'spikeflow-build-cancel');
  mkdirSync(shots, { recursive: true });

  beforeAll(async () => {
    app = await openApp(inject('baseUrl'));
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  it('shows "Building… N %" with what it builds, and Cancel leaves the document, the last results and the history as they were, ready to run again', async () => {
    const { page } = app;
    const brunel = loadExample('brunel.spikeflow.json');
    const short = { ...brunel, simulation: { ...brunel.simulation, duration_ms: 20 } };
    await page.getByTestId('open-file-input').setInputFiles({ name: 'brunel.spikeflow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(short)) });
    await page.locator('.react-flow__node[data-id="raster"]').waitFor();

    // A first, short run: the results to keep.
    await page.getByTestId('run').click();
    await expect.poll(async () => (await runOf(page)).phase, { timeout: 60_000 }).toBe('finished');
    const before = await runOf(page);
    const spikes = await rasterSpikes(page);
    expect(spikes).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('history-count').textContent(), { timeout: 20_000 }).toBe('1');
    const rasterCount = await page.getByTestId('raster-count').textContent();

    // The same network, 16 times bigger: 50,000 neurons with 1000 + 250 inputs each.
    await setSize(page, 40_000, 10_000);
    const doc = await docText(page);
    await page.getByTestId('run').click();
    // The toolbar says what it builds and how far, and offers Cancel.
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/^Building… \d+ % · (neurons|synapses)/);
    await expect.poll(async () => (await runOf(page)).build?.phase, { timeout: 60_000 }).toBe('synapses');
    const building = await runOf(page);
    expect(building.phase).toBe('starting');
    // The engine counts neurons and synapses: 50,000 + 62.5 M.
    expect(building.build!.total).toBe(50_000 + 62_500_000);
    expect(await page.getByTestId('run-time').textContent()).toMatch(/^[\d.]+[kM]? \/ 62\.[56]M$/);
    expect(await page.getByTestId('run-progress').getAttribute('data-building')).toMatch(/^\d+\/62550000$/);
    // The last run's raster and statistics stay on screen while the engine builds.
    expect(await page.getByTestId('raster-count').textContent()).toBe(rasterCount);
    await page.screenshot({ path: path.join(shots, 'building.png') });
    await page.locator('.sf-toolbar').screenshot({ path: path.join(shots, 'building-toolbar.png') });

    await page.getByTestId('build-cancel').click();
    await expect.poll(async () => (await runOf(page)).phase, { timeout: 30_000 }).toBe('finished');
    const after = await runOf(page);
    expect(after.build).toBeNull();
    expect(after.stats).toEqual(before.stats);
    expect(await rasterSpikes(page)).toBe(spikes);
    expect(await page.getByTestId('raster-count').textContent()).toBe(rasterCount);
    expect(await docText(page)).toBe(doc);
    expect(await page.getByTestId('build-cancel').count()).toBe(0);
    // Nothing of the cancelled run is kept.
    await page.waitForTimeout(500);
    expect(await page.getByTestId('history-count').textContent()).toBe('1');
    await page.screenshot({ path: path.join(shots, 'cancelled.png') });

    // Ready to run again: back to the small network, which runs to its end.
    await setSize(page, 2500, 625);
    await page.getByTestId('run').click();
    await expect.poll(async () => (await runOf(page)).phase, { timeout: 60_000 }).toBe('finished');
    expect((await runOf(page)).stats!.synapses).toBe(before.stats!.synapses);
    await expect.poll(() => page.getByTestId('history-count').textContent(), { timeout: 20_000 }).toBe('2');
    expect(app.errors).toEqual([]);
  });
});
