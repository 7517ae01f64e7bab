/**
 * A careful user reloads the page in the middle of work, in Debian Chromium:
 * during a sweep and during a training run. The page asks first (the work
 * lives in its workers), and after the reload the edited graph comes back
 * from the autosave journal, the status line says the run's or sweep's results
 * were discarded, the app is idle with only its own engine worker (the
 * sweep's and the run's workers ended with the old page), and a new run
 * starts and stops. Screenshot: `/tmp/reload-*.png`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { answerDiscardUntil, openApp, type AppSession } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface Win {
  __spikeflow: {
    editor: {
      doc: { nodes: { id: string; params: Record<string, unknown> }[] };
      dirty: boolean;
      state: { run: { phase: string } };
      setParam(id: string, name: string, v: unknown): void;
    };
    runner: { learning: { batches: number; summary: unknown } };
  };
}

const phase = (page: Page) => page.evaluate(() => (window as unknown as Win).__spikeflow.editor.state.run.phase);
const paramOf = (page: Page, id: string, name: string) => page.evaluate(([i, n]) => (window as unknown as Win).__spikeflow.editor.doc.nodes.find((x) => x.id === i)?.params[n], [id, name]);

describe.runIf(run)('reloading the page in the middle of work', () => {
  let app: AppSession;
  let page: Page;
  const dialogs: string[] = [];
  let shots = 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-reload-'));

  beforeAll(async () => {
    app = await openApp(inject('baseUrl'));
    page = app.page;
    page.on('dialog', (d) => dialogs.push(d.type()));
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  /** Open `file`, then change `id.name` to `value` in the inspector (an unsaved edit the journal keeps). */
  const openAndEdit = async (file: string, id: string, name: string, value: string) => {
    await page.getByTestId('open-file-input').setInputFiles(file);
    await answerDiscardUntil(page, async () => (await page.locator(`.react-flow__node[data-id="${id}"]`).count()) === 1);
    await page.locator(`.react-flow__node[data-id="${id}"] .sf-node-head`).click();
    const field = page.getByTestId(`param-${name}`);
    await field.fill(value);
    await field.press('Enter');
    await expect.poll(() => paramOf(page, id, name)).toBe(Number(value));
    // Journaled within a second.
    await page.waitForTimeout(1000);
  };

  /** Reload (the page asks first when `asks`); answers the status line the new page starts with, then restores the journal's offer. */
  const reloadAndRestore = async (asks = true): Promise<string> => {
    dialogs.length = 0;
    await page.reload();
    expect(dialogs.includes('beforeunload')).toBe(asks);
    const restore = page.getByTestId('recovery-restore');
    await restore.waitFor({ timeout: 60_000 });
    const status = (await page.getByTestId('status-line').textContent()) ?? '';
    await page.screenshot({ path: `/tmp/reload-offer-${shots++}.png` });
    await restore.click();
    return status;
  };

  /** Only the app's own engine worker is alive (the old page's workers ended with it). */
  const onlyTheEngineWorker = async () => {
    await expect.poll(() => page.evaluate(() => (window as unknown as { __spikeflow: { runner: { state?: unknown } } }).__spikeflow !== undefined)).toBe(true);
    await expect.poll(() => page.workers().length, { timeout: 30_000 }).toBe(1);
  };

  it('during a sweep: asks first, keeps the edited graph, says the sweep was discarded, and sweeps again', async () => {
    await openAndEdit(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), 'exc', 'tau_m_ms', '17');
    await page.getByTestId('file-menu').click();
    await page.getByTestId('menu-sweep').click();
    await page.getByTestId('sweep-panel').waitFor();
    if ((await page.getByTestId('sweep-target-0').count()) === 0) await page.getByTestId('sweep-add').click();
    await page.getByTestId('sweep-target-0').fill('input.rate_hz');
    await page.getByTestId('sweep-values-0').fill('5:50:1');
    await page.getByTestId('sweep-duration').fill('2000');
    await page.getByTestId('sweep-run').click();
    await expect.poll(async () => Number(await page.getByTestId('sweep-progress').getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThan(0);
    expect(page.workers().length).toBeGreaterThan(1);
    await page.screenshot({ path: '/tmp/reload-sweep-before.png' });

    const status = await reloadAndRestore();
    expect(status).toMatch(/^The page was left during a sweep \(\d+ of 46 runs done\): its results were discarded \(the document is kept\)\.$/);
    expect(await paramOf(page, 'exc', 'tau_m_ms')).toBe(17);
    expect(await page.evaluate(() => (window as unknown as Win).__spikeflow.editor.dirty)).toBe(true);
    expect(await phase(page)).toBe('idle');
    await onlyTheEngineWorker();
    await page.screenshot({ path: '/tmp/reload-sweep-after.png' });
    // The sweep panel starts idle, with no rows from the old page, and a new sweep runs to the end.
    await page.getByTestId('file-menu').click();
    await page.getByTestId('menu-sweep').click();
    await page.getByTestId('sweep-panel').waitFor();
    expect(await page.getByTestId('sweep-progress').count()).toBe(0);
    if ((await page.getByTestId('sweep-target-0').count()) === 0) await page.getByTestId('sweep-add').click();
    await page.getByTestId('sweep-target-0').fill('input.rate_hz');
    await page.getByTestId('sweep-values-0').fill('5,10');
    await page.getByTestId('sweep-duration').fill('100');
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => page.getByTestId('sweep-progress').getAttribute('data-phase'), { timeout: 120_000 }).toBe('done');
    await page.keyboard.press('Escape');
    expect(app.errors).toEqual([]);
  });

  it('during a training run: asks first, keeps the edited graph, says the training was discarded, and trains again', async () => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples/sg-digits.spikeflow.json'), 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    for (const n of doc.nodes) if (n.id === 'trainer') Object.assign(n.params, { epochs: 50, check_in_simulation: false });
    const file = path.join(dir, 'digits.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    await openAndEdit(file, 'trainer', 'batch_size', '24');
    await page.getByTestId('run').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).__spikeflow.runner.learning.batches), { timeout: 120_000 }).toBeGreaterThan(0);

    const status = await reloadAndRestore();
    expect(status).toMatch(/^The page was left during a training run \(epoch \d+ of 50 done\): its results were discarded \(the document is kept\)\.$/);
    expect(await paramOf(page, 'trainer', 'batch_size')).toBe(24);
    expect(await phase(page)).toBe('idle');
    expect(await page.evaluate(() => (window as unknown as Win).__spikeflow.runner.learning.summary)).toBeNull();
    await onlyTheEngineWorker();
    await page.screenshot({ path: '/tmp/reload-training-after.png' });
    // A new training starts on the restored graph, and stops when asked.
    await page.getByTestId('run').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).__spikeflow.runner.learning.batches), { timeout: 120_000 }).toBeGreaterThan(0);
    await page.getByTestId('stop').dispatchEvent('click');
    await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('stopped');
    // A reload now (nothing under way, the edit journaled) says nothing was discarded.
    const quiet = await reloadAndRestore();
    expect(quiet).not.toMatch(/discarded/);
    expect(app.errors).toEqual([]);
  });
});
