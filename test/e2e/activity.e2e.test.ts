/**
 * Activity on the canvas, in Debian Chromium: while a run goes on each population
 * node shows its firing rate (badge + sparkline) and each busy projection wire its
 * traffic; after the run the badge shows the run's mean rate, which is the run
 * statistics' rate. The toolbar toggle hides it all. Screenshots (mid-run and
 * after) go to `$TMPDIR/spikeflow-activity/`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface AppWindow {
  __spikeflow: { editor: { state: { run: { phase: string; stats: { populations: { nodeId: string; rate_hz: number }[] } | null } } } };
}

const POPULATIONS = ['input', 'exc', 'inh'];
const PROJECTIONS = ['in_e', 'in_i', 'e_i', 'i_e'];

function runOf(page: Page) {
  return page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run);
}

async function rateOf(page: Page, nodeId: string): Promise<{ rate: number; basis: string | null }> {
  const badge = page.getByTestId(`rate-badge-${nodeId}`);
  return { rate: Number(await badge.getAttribute('data-rate-hz')), basis: await badge.getAttribute('data-basis') };
}

describe.runIf(run)('activity on the canvas', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shots = path.join(tmpdir(), 'spikeflow-activity');
  mkdirSync(shots, { recursive: true });

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows a live rate on every population while running and the run mean (= the stats rate) after', async () => {
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'));
    await page.locator('.react-flow__node[data-id="exc"]').waitFor();
    // Before any run there is nothing to show.
    expect(await page.locator('[data-testid^="rate-badge-"]').count()).toBe(0);
    // Long enough to look at it while it runs.
    const duration = page.getByTestId('sim-duration_ms');
    await duration.fill('200000');
    await duration.press('Enter');

    await page.getByTestId('run').click();
    // Mid-run: every population has a live (windowed) rate; the Poisson input's is
    // 200 neurons × 200 ms of 20 Hz (≈ 800 spikes), well within 20 % of 20 Hz.
    await expect.poll(() => rateOf(page, 'input'), { timeout: 15_000 }).toMatchObject({ basis: 'window' });
    await expect.poll(async () => (await runOf(page)).phase).toBe('running');
    for (const id of POPULATIONS) await page.getByTestId(`rate-badge-${id}`).waitFor();
    const live = await rateOf(page, 'input');
    expect(live.rate).toBeGreaterThan(16);
    expect(live.rate).toBeLessThan(24);
    expect(await page.getByTestId('rate-badge-input').textContent()).toMatch(/\d+(\.\d)? Hz/);
    // The sparkline has a line once there is data.
    await expect.poll(() => page.locator('[data-testid="rate-badge-input"] .sf-node-spark path').getAttribute('d')).toMatch(/^M/);
    // Busy projections carry the traffic style.
    for (const id of PROJECTIONS) await page.getByTestId(`wire-traffic-${id}`).waitFor();
    expect(Number(await page.getByTestId('wire-traffic-in_e').getAttribute('data-events-per-s'))).toBeGreaterThan(0);
    // Observe wires (into the monitor) carry no traffic.
    expect(await page.getByTestId('wire-traffic-m_in').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'poisson-ei-running.png') });
    await page.locator('.react-flow__node[data-id="exc"]').screenshot({ path: path.join(shots, 'poisson-ei-exc-running.png') });

    // Stop it if it still runs (a fast machine may finish 20 s first): either way the
    // stats cover exactly the steps the badges saw.
    if (await page.getByTestId('stop').isEnabled())
      await page
        .getByTestId('stop')
        .click()
        .catch(() => undefined);
    await expect.poll(async () => (await runOf(page)).phase, { timeout: 30_000 }).toMatch(/^(stopped|finished)$/);
    const stats = (await runOf(page)).stats!;
    for (const id of POPULATIONS) {
      const want = stats.populations.find((p) => p.nodeId === id)!.rate_hz;
      expect(want).toBeGreaterThan(0);
      await expect.poll(async () => (await rateOf(page, id)).basis).toBe('mean');
      const got = (await rateOf(page, id)).rate;
      // The mean over the run is exactly the statistics' rate (same spikes, same time).
      expect(Math.abs(got - want) / want).toBeLessThan(0.2);
      expect(got).toBeCloseTo(want, 6);
    }
    await page.screenshot({ path: path.join(shots, 'poisson-ei-stopped.png') });
  });

  it('hides badges and traffic with the toolbar toggle, and shows them again', async () => {
    const toggle = page.getByTestId('activity-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => page.locator('[data-testid^="rate-badge-"]').count()).toBe(0);
    expect(await page.locator('.sf-wire-traffic').count()).toBe(0);
    // Session state: the choice survives a reload of the page.
    await page.reload();
    await page.getByTestId('palette-poisson-source').waitFor();
    expect(await page.getByTestId('activity-toggle').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('activity-toggle').click();
    expect(await page.getByTestId('activity-toggle').getAttribute('aria-pressed')).toBe('true');
  });

  it('shows where activity flows in a big network (Brunel) mid-run', async () => {
    await page.getByTestId('examples').click();
    await page.getByTestId('example-brunel').click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByTestId('run').click();
    await expect.poll(async () => page.locator('[data-testid^="rate-badge-"][data-basis="window"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(shots, 'brunel-running.png') });
    await page
      .locator('.react-flow__node')
      .nth(1)
      .screenshot({ path: path.join(shots, 'brunel-node-running.png') });
    await expect.poll(async () => (await runOf(page)).phase, { timeout: 60_000 }).toMatch(/finished|stopped/);
    await page.screenshot({ path: path.join(shots, 'brunel-finished.png') });
    expect(await page.locator('.sf-wire-traffic').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
