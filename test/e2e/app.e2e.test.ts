/**
 * The first complete path through the product, in Debian Chromium: build
 * Poisson → LIF → spike monitor by drag and drop, wire it, edit a parameter,
 * run it in the Web Worker engine, see the raster, save, reopen, and survive a
 * broken file. It also takes the README's screenshot.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, answerDiscardUntil } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT, loadExample, planOf, runThrough } from '../helpers.ts';
import { createInProcessEngine } from '../../engine/hosts/in-process.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface AppWindow {
  __spikeflow: {
    editor: {
      doc: { meta: { name: string }; nodes: { id: string; kind: string; params: Record<string, unknown> }[]; edges: { id: string; source: { node: string }; target: { node: string } }[] };
      state: { run: { phase: string; stats: { spikes: number; synaptic_events: number } | null } };
    };
  };
}

async function dragFromPalette(page: Page, kind: string, x: number, y: number): Promise<void> {
  const pane = page.locator('.react-flow__pane');
  await page.getByTestId(`palette-${kind}`).dragTo(pane, { targetPosition: { x, y } });
}

async function connect(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  const src = page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${fromPort}"]`);
  const dst = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target[data-handleid="${toPort}"]`);
  const a = (await src.boundingBox())!;
  const b = (await dst.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

function docOf(page: Page) {
  return page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc);
}

describe.runIf(run)('Spikeflow in the browser', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-e2e-'));

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    // These tests cover the fallback every browser has (a download, a file input), as in
    // Firefox and Safari: without the File System Access API, which files.e2e covers.
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      delete w.showOpenFilePicker;
      delete w.showSaveFilePicker;
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('builds Poisson → LIF → monitor by drag and drop, edits a parameter, runs, and shows spikes in the raster', async () => {
    await dragFromPalette(page, 'poisson-source', 120, 200);
    await dragFromPalette(page, 'lif-curr-exp', 420, 200);
    await dragFromPalette(page, 'spike-monitor', 720, 200);
    let doc = await docOf(page);
    expect(doc.nodes.map((n) => n.kind)).toEqual(['poisson-source', 'lif-curr-exp', 'spike-monitor']);
    const [poisson, lif, mon] = doc.nodes.map((n) => n.id);

    // A wire that makes no sense is refused while dragging: spikes cannot feed a current input.
    await connect(page, poisson, 'spikes', lif, 'current');
    expect((await docOf(page)).edges).toHaveLength(0);
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/cannot/i);

    await connect(page, poisson, 'spikes', lif, 'in');
    await connect(page, lif, 'spikes', mon, 'spikes');
    doc = await docOf(page);
    expect(doc.edges.map((e) => [e.source.node, e.target.node])).toEqual([
      [poisson, lif],
      [lif, mon],
    ]);

    // Edit a parameter in the inspector: the Poisson rate.
    await page.locator(`.react-flow__node[data-id="${poisson}"]`).click();
    const rate = page.getByTestId('param-rate_hz');
    await rate.fill('40');
    await rate.press('Enter');
    await expect.poll(async () => (await docOf(page)).nodes[0].params.rate_hz).toBe(40);

    // An invalid value is shown on the field, and the run is refused with that message.
    const size = page.getByTestId('param-size');
    await page.locator(`.react-flow__node[data-id="${lif}"]`).click();
    await size.fill('-3');
    await size.press('Enter');
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-errors').textContent()).toMatch(new RegExp(`${lif}.*size`));
    await size.fill('100');
    await size.press('Enter');

    // Now the projection: random connectivity, and a weight strong enough to make the LIF fire.
    await page.getByTestId(`wire-label-${doc.edges[0].id}`).click();
    await page.getByTestId('param-rule').selectOption('bernoulli');
    const p = page.getByTestId('param-p');
    await p.fill('0.1');
    await p.press('Enter');
    const weight = page.getByTestId('param-weight');
    await weight.fill('9');
    await weight.press('Enter');
    await expect.poll(async () => (await docOf(page)).edges[0] as unknown).toMatchObject({ params: { rule: 'bernoulli', p: 0.1, weight: 9 } });

    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/finished/);
    const drawn = Number(await page.getByTestId('raster').getAttribute('data-spike-count'));
    expect(drawn).toBeGreaterThan(100);
    await page.getByTestId('palette-poisson-source').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshot.png') });
    expect(errors).toEqual([]);
  });

  it('saves as a download, reopens that file, and gets the identical document back', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save').click()]);
    const saved = path.join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/\.spikeflow\.json$/);
    const text = readFileSync(saved, 'utf8');
    expect(JSON.parse(text).nodes).toHaveLength(3);
    // What was saved is the document in the editor (with the save time stamped).
    const before = await docOf(page);
    expect(JSON.parse(text)).toEqual(before);

    await page.reload();
    await page.getByTestId('palette-poisson-source').waitFor();
    expect((await docOf(page)).nodes).toHaveLength(0);
    await page.getByTestId('open-file-input').setInputFiles(saved);
    await expect.poll(async () => (await docOf(page)).nodes.length).toBe(3);
    expect(await docOf(page)).toEqual(before);

    // Save again: the same bytes.
    const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save').click()]);
    const saved2 = path.join(dir, 'again.json');
    await again.saveAs(saved2);
    expect(readFileSync(saved2, 'utf8')).toBe(text);
  });

  it('shows the errors of a broken file and keeps the current graph', async () => {
    const before = await docOf(page);
    const broken = path.join(dir, 'broken.spikeflow.json');
    writeFileSync(broken, '{"format": "spikeflow-graph", "version": 1, "nodes": [ {"id": "x", ');
    await page.getByTestId('open-file-input').setInputFiles(broken);
    await expect.poll(() => page.getByTestId('load-errors').textContent()).toMatch(/line \d+/i);
    expect(await docOf(page)).toEqual(before);

    const invalid = path.join(dir, 'invalid.spikeflow.json');
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), 'utf8'));
    doc.nodes[1].params.tau_m_ms = 'fast';
    writeFileSync(invalid, JSON.stringify(doc));
    await page.getByTestId('open-file-input').setInputFiles(invalid);
    await expect.poll(() => page.getByTestId('load-errors').textContent()).toMatch(/exc.*tau_m_ms/);
    expect(await docOf(page)).toEqual(before);

    // Only a value is wrong, so it can be opened anyway, with the problem marked and the run refused.
    await page.getByTestId('load-open-anyway').click();
    await expect.poll(async () => (await docOf(page)).nodes.length).toBe(4);
    expect((await docOf(page)).nodes[1].params.tau_m_ms).toBe('fast');
    await expect.poll(() => page.getByTestId('load-errors').count()).toBe(0);
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-errors').textContent()).toMatch(/exc.*tau_m_ms/);
  });

  it('the Web Worker engine gives the same spikes as the in-process engine for the same document and seed', async () => {
    const file = path.join(ROOT, 'examples/poisson-ei.spikeflow.json');
    await page.getByTestId('open-file-input').setInputFiles(file);
    await answerDiscardUntil(page, async () => (await docOf(page)).nodes.length === 4);
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/finished/);
    const browserStats = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats);

    const engine = createInProcessEngine();
    const node = await runThrough(engine.endpoint, planOf(loadExample('poisson-ei.spikeflow.json')));
    engine.close();
    expect(browserStats!.spikes).toBe(node.stats.spikes);
    expect(browserStats!.synaptic_events).toBe(node.stats.synaptic_events);
  });

  it('takes the README screenshot of the results workspace during a live run (Brunel, raster growing, activity on the canvas)', async () => {
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/brunel.spikeflow.json'));
    await answerDiscardUntil(page, async () => /Brunel/i.test((await docOf(page)).meta.name ?? ''));
    const duration = page.getByTestId('sim-duration_ms');
    // Long enough that the run cannot end while the shot is taken (~3 s of 8 s simulated then).
    await duration.fill('8000');
    await duration.press('Enter');
    // A taller results area, as someone watching a run would have it, and the graph fitted above it.
    const sp = (await page.locator('.sf-splitter').boundingBox())!;
    await page.mouse.move(sp.x + sp.width / 2, sp.y + sp.height / 2);
    await page.mouse.down();
    await page.mouse.move(sp.x + sp.width / 2, 470, { steps: 5 });
    await page.mouse.up();
    await page.locator('.react-flow__controls-fitview').click();
    await page.getByTestId('run').click();
    const count = async () => Number(await page.getByTestId('raster').getAttribute('data-spike-count'));
    await expect.poll(count, { timeout: 120_000 }).toBeGreaterThan(350_000);
    const phase = () => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.phase);
    expect(await phase()).toBe('running');
    await page.screenshot({ path: path.join(ROOT, 'docs/live-run.png') });
    // Still running after the shot: it shows a live run, not a finished one.
    expect(await phase()).toBe('running');
    await page.getByTestId('stop').click();
    await expect.poll(phase, { timeout: 30_000 }).toMatch(/^(stopped|finished)$/);
  });
});
