/**
 * The issue-16 experiments from the app's Examples menu in Debian Chromium: the
 * Brunel phase diagram opens with its saved (g, η) sweep in the Sweep panel, and a
 * shrunk copy of that sweep (2 × 2, 200 ms) runs into a heatmap of synchrony; the
 * E/I reservoir opens with its saved coupling sweep, and a shrunk copy (3 couplings,
 * 3 s) runs into a line of the rate rising with the coupling. The full-size sweeps are the CLI's
 * (README "Criticality"). Screenshots: `/tmp/criticality-brunel-sweep.png`,
 * `/tmp/criticality-reservoir-sweep.png`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { answerDiscardUntil, openApp, type AppSession } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

const savedSets = (file: string) => (JSON.parse(readFileSync(path.join(ROOT, 'examples/criticality', file), 'utf8')) as { sweep: { sets: string[] } }).sweep.sets;
const sweepPhase = (page: Page) => page.getByTestId('sweep-progress').getAttribute('data-phase');

async function openExample(page: Page, id: string, node: string): Promise<void> {
  await page.getByTestId('examples').click();
  await page.getByTestId(`example-${id}`).click();
  await answerDiscardUntil(page, async () => (await page.locator(`.react-flow__node[data-id="${node}"]`).count()) === 1);
  await page.getByTestId('sweep-panel').waitFor();
}

/** The panel's set `i` as the CLI writes it: TARGET=VALUES. */
async function panelSet(page: Page, i: number): Promise<string> {
  return `${await page.getByTestId(`sweep-target-${i}`).inputValue()}=${await page.getByTestId(`sweep-values-${i}`).inputValue()}`;
}

describe.runIf(run)('the criticality examples in the app', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await openApp(inject('baseUrl'));
    page = app.page;
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  it('opens the Brunel phase diagram with its saved (g, η) sweep, and a 2 × 2 copy of it runs into a synchrony heatmap', async () => {
    await openExample(page, 'brunel-phase', 'exc');
    const sets = savedSets('brunel-phase.spikeflow.json');
    expect([await panelSet(page, 0), await panelSet(page, 1)]).toEqual(sets);
    // Shrink: g ∈ {3, 6} (inhibitory weight 0.75, 1.5 mV), η ∈ {2, 4} (20, 40 Hz), 200 ms each.
    await page.getByTestId('sweep-values-0').fill('0.75,1.5');
    await page.getByTestId('sweep-values-1').fill('20,40');
    await page.getByTestId('sweep-duration').fill('200');
    await page.getByTestId('sweep-jobs').fill('2');
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => sweepPhase(page), { timeout: 300_000 }).toBe('done');
    await page.getByTestId('sweep-plot-metric').selectOption('raster.synchrony');
    await page.getByTestId('sweep-heatmap').waitFor();
    expect(await page.getByTestId('sweep-cell').count()).toBe(4);
    expect(await page.locator('[data-testid="sweep-cell"].is-empty').count()).toBe(0);
    await page.getByTestId('sweep-panel').screenshot({ path: '/tmp/criticality-brunel-sweep.png' });
  }, 360_000);

  it('opens the E/I reservoir with its saved coupling sweep in the Sweep panel, and a short copy of it runs into a line of the rate rising with the coupling', async () => {
    await openExample(page, 'reservoir', 'memory');
    expect(await panelSet(page, 0)).toBe(savedSets('reservoir.spikeflow.json')[0]);
    expect(await page.getByTestId('sweep-count-0').textContent()).toBe('14 values');
    // Shrink: three couplings (designed m = J = 0.3, 0.6, 0.9), one seed, 3 s each.
    await page.getByTestId('sweep-values-0').fill('0.3,0.6,0.9');
    await page.getByTestId('sweep-seeds').fill('1');
    await page.getByTestId('sweep-duration').fill('3000');
    await page.getByTestId('sweep-jobs').fill('2');
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => sweepPhase(page), { timeout: 300_000 }).toBe('done');
    await page.getByTestId('sweep-plot-metric').selectOption('mean_rate_hz');
    await page.getByTestId('sweep-line-plot').waitFor();
    const dots = page.getByTestId('sweep-dot');
    expect(await dots.count()).toBe(3);
    // The dots' heights: the plot's y grows upwards, so a larger rate sits higher (smaller cy).
    const cy = await dots.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
    const cx = await dots.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
    const byX = cx.map((x, i) => [x, cy[i]]).sort((a, b) => a[0] - b[0]);
    expect(byX[2][1]).toBeLessThan(byX[0][1]);
    await page.getByTestId('sweep-panel').screenshot({ path: '/tmp/criticality-reservoir-sweep.png' });
  }, 360_000);
});
