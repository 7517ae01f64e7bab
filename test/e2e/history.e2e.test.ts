/**
 * Run history in Debian Chromium: run the E/I example twice with different seeds,
 * reload (the runs survive in IndexedDB), compare them (the seed is in the parameter
 * diff, both rasters draw), re-run one exactly (same spike count as stored), delete
 * one after confirming. Screenshots go to /tmp/hist-*.png.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface AppWindow {
  __spikeflow: { editor: { doc: { nodes: unknown[]; simulation: { seed: number } }; state: { run: { phase: string; stats: { spikes: number } | null } } } };
}

const EXAMPLE = path.join(ROOT, 'examples/poisson-ei.spikeflow.json');

interface Row {
  id: string;
  number: number;
  seed: number;
  spikes: number;
}

describe.runIf(run)('run history', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const rows = (): Promise<Row[]> =>
    page.getByTestId('history-row').evaluateAll((els) =>
      els.map((el) => {
        const d = (el as HTMLElement).dataset;
        return { id: d.runId!, number: Number(d.number), seed: Number(d.seed), spikes: Number(d.spikes) };
      }),
    );

  async function openExample(): Promise<void> {
    await page.getByTestId('open-file-input').setInputFiles(EXAMPLE);
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 4);
  }

  async function setSeed(seed: number): Promise<void> {
    const input = page.getByTestId('sim-seed');
    await input.fill(String(seed));
    await input.press('Enter');
    await page.waitForFunction((s) => (window as unknown as AppWindow).__spikeflow.editor.doc.simulation.seed === s, seed);
  }

  async function runToEnd(): Promise<void> {
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /finished/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
  }

  beforeAll(async () => {
    // Reloading with unsaved changes asks; the test means it (openApp accepts dialogs).
    ({ browser, page, errors } = await openApp(inject('baseUrl')));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps each run with its seed and spike count', async () => {
    await openExample();
    await setSeed(1);
    await runToEnd();
    const first = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats!.spikes);
    await setSeed(2);
    await runToEnd();
    const second = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats!.spikes);
    await page.getByTestId('results-tab-history').click();
    await expect.poll(async () => (await rows()).length).toBe(2);
    const [b, a] = await rows();
    expect([a.number, a.seed, a.spikes]).toEqual([1, 1, first]);
    expect([b.number, b.seed, b.spikes]).toEqual([2, 2, second]);
    expect(first).not.toBe(second);
    await page.screenshot({ path: '/tmp/hist-list.png' });
  });

  it('still has both runs after a reload, once the same document is open again', async () => {
    await page.reload();
    await page.getByTestId('palette-poisson-source').waitFor();
    await openExample();
    await page.getByTestId('results-tab-history').click();
    await expect.poll(async () => (await rows()).map((r) => r.seed)).toEqual([2, 1]);
    expect(await page.getByTestId('history-count').textContent()).toBe('2');
  });

  it('opens a stored run in the usual raster panel', async () => {
    const [, a] = await rows();
    await page.locator(`[data-testid="history-row"][data-run-id="${a.id}"] [data-testid="history-open"]`).click();
    // The list fits the default results height; a run's panels get more.
    await expect.poll(() => page.locator('.sf-results-wrap').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThanOrEqual(400);
    const raster = page.locator('[data-testid="history-run"] [data-testid="raster"]');
    await expect.poll(() => raster.getAttribute('data-spike-count')).not.toBe('0');
    expect(await page.getByTestId('history-open-title').textContent()).toMatch(/^Run 1 · .* · seed 1/);
    await page.screenshot({ path: '/tmp/hist-open.png' });
    await page.getByTestId('history-back').click();
  });

  it('compares two runs: the seed change is in the parameter diff and both rasters are drawn', async () => {
    const checks = page.getByTestId('history-select');
    await checks.nth(0).check();
    await checks.nth(1).check();
    await page.getByTestId('history-compare').click();
    // Side by side needs room: the results area grows to 480 px (the window has room for it).
    await expect.poll(() => page.locator('.sf-results-wrap').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThanOrEqual(480);
    const diff = page.getByTestId('history-diff-row');
    await expect.poll(() => diff.count()).toBe(1);
    expect(await diff.getAttribute('data-field')).toBe('seed');
    expect((await diff.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['1', '2']);
    for (const side of ['compare-run-a', 'compare-run-b']) {
      const raster = page.locator(`[data-testid="${side}"] [data-testid="raster"]`);
      await expect.poll(() => raster.getAttribute('data-spike-count')).not.toBe('0');
      // Pixels, too: the plot area holds spike marks, not just the background.
      const inked = await raster.evaluate((c) => {
        const canvas = c as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) {
          const [r, g, b, alpha] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
          // Saturated colour (a series colour), not the grey background or text.
          if (alpha > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
        }
        return n;
      });
      expect(inked).toBeGreaterThan(100);
    }
    const [a, b] = await Promise.all(['compare-run-a', 'compare-run-b'].map((s) => page.getByTestId(s).getAttribute('data-spikes')));
    expect(a).not.toBe(b);
    await page.screenshot({ path: '/tmp/hist-compare.png' });
    // The statistics side by side, through the shared tab row.
    await page.getByTestId('compare-tab-stats').click();
    await expect.poll(() => page.locator('[data-testid="compare-run-b"] [data-testid="run-stats-table"]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/hist-compare-stats.png' });
    await page.getByTestId('history-back').click();
  });

  it('re-runs a stored run exactly: the same spike count as stored, while the open document keeps its seed', async () => {
    const before = await rows();
    const first = before.find((r) => r.number === 1)!;
    const openSeed = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.simulation.seed);
    await page.locator(`[data-testid="history-row"][data-run-id="${first.id}"] [data-testid="history-rerun"]`).click();
    await page.waitForFunction(() => /finished/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
    await expect.poll(async () => (await rows()).length).toBe(3);
    const newest = (await rows())[0];
    expect(newest.number).toBe(3);
    expect(newest.seed).toBe(first.seed);
    expect(newest.spikes).toBe(first.spikes);
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats!.spikes)).toBe(first.spikes);
    expect(await page.getByTestId('history-rerun-check').getAttribute('data-same')).toBe('true');
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.simulation.seed)).toBe(openSeed);
    await page.screenshot({ path: '/tmp/hist-rerun.png' });
  });

  it('asks before deleting a run, keeps it on Cancel, and removes it on Delete (also after a reload)', async () => {
    const target = (await rows()).find((r) => r.number === 2)!;
    const del = page.locator(`[data-testid="history-row"][data-run-id="${target.id}"] [data-testid="history-delete"]`);
    await del.click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toMatch(/Delete run 2/);
    await page.screenshot({ path: '/tmp/hist-delete-confirm.png' });
    await page.getByTestId('confirm-cancel').click();
    expect((await rows()).map((r) => r.id)).toContain(target.id);
    await del.click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await rows()).map((r) => r.number)).toEqual([3, 1]);
    await page.reload();
    await page.getByTestId('palette-poisson-source').waitFor();
    await openExample();
    await page.getByTestId('results-tab-history').click();
    await expect.poll(async () => (await rows()).map((r) => r.number)).toEqual([3, 1]);
    expect(errors).toEqual([]);
  });
});
