/**
 * The criticality view in Debian Chromium: a spike monitor with Criticality on
 * shows, after a run, the avalanche distributions on log-log axes with their
 * fitted lines and the branching-ratio fit, with the same figures the engine
 * reported. Screenshot: `/tmp/panel-criticality.png`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface Services {
  editor: {
    state: { run: { phase: string; stats: { monitors?: { nodeId: string; criticality?: { avalanches: number; branching: { m: number } | null } }[] } | null } };
    setParam(id: string, name: string, value: unknown): void;
  };
}
const phaseOf = (page: Page) => page.evaluate(() => (window as unknown as { __spikeflow: Services }).__spikeflow.editor.state.run.phase);

describe.runIf(run)('criticality view', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/cuba.spikeflow.json'));
    await page.locator('.react-flow__node[data-id="exc"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('offers no Criticality view until the monitor asks for the analysis', async () => {
    await page.getByTestId('run').click();
    await expect.poll(() => phaseOf(page), { timeout: 60_000 }).toBe('finished');
    await page.getByTestId('results-tab-raster').click();
    expect(await page.getByTestId('raster-view-criticality').count()).toBe(0);
  });

  it('after a run with Criticality on, draws the distributions and the r_k fit with the engine’s figures', async () => {
    // The inspector's checkbox: the monitor's params show Criticality and, once on, its dependent fields.
    await page.locator('.react-flow__node[data-id="raster"]').click();
    await page.getByTestId('param-criticality').check();
    await page.getByTestId('param-bootstrap').fill('20');
    await page.getByTestId('param-bootstrap').press('Enter');
    await page.getByTestId('run').click();
    await expect.poll(() => phaseOf(page), { timeout: 60_000 }).toBe('finished');
    await page.getByTestId('results-tab-raster').click();
    await page.getByTestId('raster-view-criticality').click();
    const engine = await page.evaluate(() => (window as unknown as { __spikeflow: Services }).__spikeflow.editor.state.run.stats!.monitors!.find((m) => m.nodeId === 'raster')!.criticality!);
    expect(engine.avalanches).toBeGreaterThan(50);
    const canvas = page.getByTestId('criticality');
    await expect.poll(async () => Number(await canvas.getAttribute('data-avalanches'))).toBe(engine.avalanches);
    expect(Number(await canvas.getAttribute('data-m'))).toBe(engine.branching!.m);
    const summary = (await page.getByTestId('criticality-summary').textContent()) ?? '';
    expect(summary).toContain(`${engine.avalanches} avalanches`);
    expect(summary).toContain(`m = ${engine.branching!.m.toFixed(4)}`);
    expect(summary).toMatch(/sizes τ = \d\.\d\d ± /);
    expect(summary).toContain('crackling noise');
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-criticality.png' });
    // The view shown is the one exported: the SVG holds the plots (as an image) and the summary.
    await page.getByTestId('export-raster').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const svg = readFileSync(await download.path(), 'utf8');
    expect(svg).toContain(': criticality</title>');
    expect(svg).toContain(`${engine.avalanches} avalanches`);
    expect(svg).toContain('href="data:image/png;base64,');
    expect(errors).toEqual([]);
  });
});
