/**
 * Every example in `examples/` opens from the app's Examples menu in Debian
 * Chromium with all its nodes and wires on the canvas and no load errors, and its
 * run starts in the browser's engine (compile and build succeed there, trainers
 * included); the run is then stopped, since the figures are the CLI's to check
 * (test/examples*.test.ts).
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, answerDiscardUntil } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

const list = (dir: string) =>
  readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.spikeflow.json'))
    .sort();
// The menu also lists examples/criticality/ (the issue-16 experiments), by file name.
const files = [...list('examples'), ...list('examples/criticality').map((f) => `criticality/${f}`)];
const testId = (file: string) => `example-${path.basename(file).replace(/\.spikeflow\.json$/, '')}`;

interface Services {
  editor: { doc: { nodes: unknown[]; edges: unknown[] }; state: { run: { phase: string; error: string | null; issues: { message: string }[] } } };
}
const state = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { __spikeflow: Services }).__spikeflow.editor;
    return { nodes: s.doc.nodes.length, edges: s.doc.edges.length, phase: s.state.run.phase, error: s.state.run.error, issues: s.state.run.issues.map((i) => i.message) };
  });

describe.runIf(run)('the examples in the app', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

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

  it('finds every example file in the menu', async () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    await page.getByTestId('examples').click();
    for (const f of files) await expect.poll(() => page.getByTestId(testId(f)).count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it.each(files)('opens %s with its whole graph, and its run starts', async (file) => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as { nodes: unknown[]; edges: unknown[] };
    await page.getByTestId('examples').click();
    await page.getByTestId(testId(file)).click();
    await answerDiscardUntil(page, async () => (await state(page)).nodes === doc.nodes.length);
    expect((await state(page)).edges).toBe(doc.edges.length);
    expect(await page.getByTestId('load-errors').count()).toBe(0);
    await page.getByTestId('run').click();
    await expect.poll(async () => (await state(page)).phase, { timeout: 120_000 }).toMatch(/^(running|paused|finished)$/);
    const s = await state(page);
    expect(s.error).toBeNull();
    expect(s.issues).toEqual([]);
    // A short run may finish before Stop is pressed (Stop is then disabled): either way it ends.
    if (s.phase !== 'finished')
      await page
        .getByTestId('stop')
        .click({ timeout: 2_000 })
        .catch(() => undefined);
    await expect.poll(async () => (await state(page)).phase, { timeout: 60_000 }).toMatch(/^(stopped|finished)$/);
    expect(errors).toEqual([]);
  });
});
