/**
 * Multi-core runs in the browser: the page is cross-origin isolated (COOP/COEP
 * from vite.config.ts), so the engine's Web Worker starts simulation threads
 * that share memory, and a large network runs on every core with the same
 * spikes as one thread.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { loadExample, planOf, runThrough } from '../helpers.ts';
import { createInProcessEngine } from '../../engine/hosts/in-process.ts';
import type { GraphDocument } from '../../engine/format/document.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface RunState {
  phase: string;
  stats: { spikes: number; synaptic_events: number; threads?: number; threads_note?: string } | null;
}
interface AppWindow {
  __spikeflow: { runner: { run(doc: GraphDocument): Promise<boolean> }; editor: { state: { run: RunState } } };
}

describe.runIf(run)('multi-core runs in the browser', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("runs Brunel on every core of the page, cross-origin isolated, with the thread count in the stats and one thread's spikes", async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const doc = loadExample('brunel.spikeflow.json');
    const short: GraphDocument = { ...doc, simulation: { ...doc.simulation, duration_ms: 100 } };
    // Asked for every core: the automatic choice splits only on machines with 4 or more.
    await page.evaluate((n) => {
      (window as unknown as { __spikeflow: { runner: { threads?: number } } }).__spikeflow.runner.threads = n;
    }, cores);
    await page.evaluate((d) => (window as unknown as AppWindow).__spikeflow.runner.run(d), short);
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats !== null, undefined, { timeout: 120_000 });
    const stats = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats!);
    expect(stats.threads).toBe(Math.min(cores, 64));
    expect(stats.threads_note).toBeUndefined();
    expect(stats.spikes).toBeGreaterThan(100);
    // The same run on one thread, in Node.
    const engine = createInProcessEngine();
    const one = await runThrough(engine.endpoint, planOf(short));
    engine.close();
    expect(one.stats.threads).toBe(1);
    expect(stats.spikes).toBe(one.stats.spikes);
    expect(stats.synaptic_events).toBe(one.stats.synaptic_events);
    expect(errors).toEqual([]);
  }, 180_000);
});
