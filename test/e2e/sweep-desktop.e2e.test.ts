/**
 * The Sweep panel under the desktop app's page policy: every response carries the
 * Content-Security-Policy the Electron shell sends (electron/security.ts; no
 * 'wasm-unsafe-eval', workers from 'self' only), as the app:// protocol serves it.
 * The panel's Web Worker engines start and run the points there (in JavaScript), and
 * give the same spikes as the page without that policy.
 */
import { describe, it, expect, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';
import { contentSecurityPolicy } from '../../electron/security.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

async function sweepSpikes(browser: Browser, csp: string | null): Promise<{ spikes: number[]; errors: string[]; cspViolations: number; wasmBlocked: boolean }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (csp)
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let cspViolations = 0;
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text()) && !/wasm/i.test(m.text())) cspViolations++;
  });
  await page.goto(inject('baseUrl'));
  await page.getByTestId('palette-poisson-source').waitFor();
  // The policy is in force: the page may not compile WebAssembly.
  const wasmBlocked = await page.evaluate(async () => {
    try {
      await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      return false;
    } catch {
      return true;
    }
  });
  await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'));
  await page.locator('.react-flow__node[data-id="exc"]').waitFor();
  await page.getByTestId('file-menu').click();
  await page.getByTestId('menu-sweep').click();
  await page.getByTestId('sweep-add').click();
  await page.getByTestId('sweep-target-0').fill('exc.tau_m_ms');
  await page.getByTestId('sweep-values-0').fill('10,20');
  await page.getByTestId('sweep-duration').fill('200');
  await page.getByTestId('sweep-jobs').fill('2');
  await page.getByTestId('sweep-run').click();
  await expect.poll(() => page.getByTestId('sweep-progress').getAttribute('data-phase'), { timeout: 120_000 }).toBe('done');
  expect(await page.getByTestId('sweep-progress-text').textContent()).toMatch(/^Done: 2 of 2 runs/);
  await page.getByTestId('sweep-plot-metric').selectOption('spikes');
  const spikes = await page.getByTestId('sweep-dot').evaluateAll((els) => els.map((e) => e.getAttribute('data-point')));
  expect(spikes).toEqual(['0', '1']);
  // The values, from the hover text of each dot.
  const values: number[] = [];
  for (const p of ['0', '1']) {
    await page.locator(`[data-testid="sweep-dot"][data-point="${p}"]`).hover();
    const m = /spikes = (\d+)/.exec((await page.getByTestId('sweep-tip').textContent()) ?? '');
    values.push(Number(m?.[1]));
  }
  await context.close();
  return { spikes: values, errors, cspViolations, wasmBlocked };
}

describe.runIf(run)('sweep panel under the desktop page policy', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('runs the points in Web Workers under the desktop CSP, with the same spikes as without it', async () => {
    browser = await launchBrowser();
    const desktop = await sweepSpikes(browser, contentSecurityPolicy());
    const plain = await sweepSpikes(browser, null);
    expect([desktop.wasmBlocked, plain.wasmBlocked]).toEqual([true, false]);
    expect(desktop.errors).toEqual([]);
    expect(desktop.cspViolations).toBe(0);
    expect(desktop.spikes.every((s) => s > 0)).toBe(true);
    expect(desktop.spikes).toEqual(plain.spikes);
  });
});
