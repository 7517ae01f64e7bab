/**
 * The Sweep panel in Debian Chromium, on the Poisson E/I example: a one-parameter
 * sweep started from the inspector ("Sweep this parameter" on τm), its line plot,
 * a point opened as a run (the same spikes as the sweep's run of that point); a
 * two-parameter sweep and its heatmap; Cancel; saving the set-up into the document
 * (undoable). Screenshots: `/tmp/sweep-line.png`, `/tmp/sweep-heatmap.png`.
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

interface Row {
  point: number;
  seed: number;
  values: Record<string, number>;
  metrics: Record<string, number | null> | null;
}
interface Win {
  __spikeflow: {
    editor: {
      state: { doc: { sweep?: unknown; nodes: { id: string; params: Record<string, unknown> }[] }; run: { phase: string; stats: { spikes: number } | null } };
      undo(): void;
    };
  };
  __spikeflowHistory: { state: { entries: unknown[] } };
}

const phaseOf = (page: Page) => page.evaluate(() => (window as unknown as Win).__spikeflow.editor.state.run.phase);
const sweepPhase = (page: Page) => page.getByTestId('sweep-progress').getAttribute('data-phase');
const tauOf = (page: Page) => page.evaluate(() => (window as unknown as Win).__spikeflow.editor.state.doc.nodes.find((n) => n.id === 'exc')!.params.tau_m_ms);

async function fill(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).fill(text);
}

/** The sweep's rows, read back from the panel's JSON export text. */
async function rowsOf(page: Page): Promise<Row[]> {
  const download = page.waitForEvent('download');
  await page.getByTestId('sweep-export-json').click();
  const file = await (await download).path();
  return (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] }).rows;
}

describe.runIf(run)('sweep panel', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await openApp(inject('baseUrl'));
    page = app.page;
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'));
    await page.locator('.react-flow__node[data-id="exc"]').waitFor();
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  it('sweeps τm from the inspector: one line plot with a dot per seed and the mean, then opens a point as a run with the same spikes', async () => {
    await page.locator('.react-flow__node[data-id="exc"]').click();
    await page.getByTestId('param-tau_m_ms').click({ button: 'right' });
    await page.getByTestId('sweep-this-parameter').click();
    await page.getByTestId('sweep-panel').waitFor();
    expect(await page.getByTestId('sweep-target-0').inputValue()).toBe('exc.tau_m_ms');
    // A range around the current value (20 ms) to start from.
    expect(await page.getByTestId('sweep-values-0').inputValue()).toBe('10:30:5');
    expect(await page.getByTestId('sweep-count-0').textContent()).toBe('5 values');
    await fill(page, 'sweep-seeds', '2');
    await fill(page, 'sweep-duration', '200');
    await fill(page, 'sweep-jobs', '2');
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => sweepPhase(page), { timeout: 120_000 }).toBe('done');
    expect(await page.getByTestId('sweep-progress-text').textContent()).toMatch(/^Done: 10 of 10 runs/);
    await page.getByTestId('sweep-plot-metric').selectOption('spikes');
    await expect.poll(() => page.getByTestId('sweep-dot').count()).toBe(10);
    const meanPoints = (await page.getByTestId('sweep-mean-line').getAttribute('points'))!.trim().split(' ');
    expect(meanPoints).toHaveLength(5);
    const rows = await rowsOf(page);
    expect(rows.map((r) => [r.point, r.values['exc.tau_m_ms'], r.seed])).toEqual([
      [0, 10, 1],
      [0, 10, 2],
      [1, 15, 1],
      [1, 15, 2],
      [2, 20, 1],
      [2, 20, 2],
      [3, 25, 1],
      [3, 25, 2],
      [4, 30, 1],
      [4, 30, 2],
    ]);
    // The mean line's y at each point is the mean of its two dots' ys.
    for (let p = 0; p < 5; p++) {
      const ys = await page.locator(`[data-testid="sweep-dot"][data-point="${p}"]`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
      expect(Number(meanPoints[p].split(',')[1])).toBeCloseTo((ys[0] + ys[1]) / 2, 6);
    }
    // Hovering a dot shows its values.
    await page.locator('[data-testid="sweep-dot"][data-point="3"][data-seed="2"]').hover();
    const tip = await page.getByTestId('sweep-tip').textContent();
    expect(tip).toContain('exc.tau_m_ms = 25');
    expect(tip).toContain(`seed 2: spikes = ${rows[7].metrics!.spikes}`);
    await page.getByTestId('sweep-line-plot').screenshot({ path: '/tmp/sweep-line.png' });
    await page.screenshot({ path: '/tmp/sweep-line-window.png' });

    // A click opens point 3 with seed 2 as an ordinary run: same spikes, kept in the history, the document unchanged.
    const kept = await page.evaluate(() => (window as unknown as Win).__spikeflowHistory.state.entries.length);
    await page.locator('[data-testid="sweep-dot"][data-point="3"][data-seed="2"]').click();
    await expect.poll(() => phaseOf(page), { timeout: 60_000 }).toBe('finished');
    expect(await page.evaluate(() => (window as unknown as Win).__spikeflow.editor.state.run.stats!.spikes)).toBe(rows[7].metrics!.spikes);
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).__spikeflowHistory.state.entries.length)).toBe(kept + 1);
    await page.getByTestId('sweep-opened').waitFor();
    expect(await tauOf(page)).toBe(20);
  });

  it('sweeps two parameters into a heatmap with a colour scale, one cell per point, and values on hover', async () => {
    await page.getByTestId('sweep-add').click();
    await fill(page, 'sweep-target-1', 'input.rate_hz');
    await fill(page, 'sweep-values-1', '5,10,20');
    await fill(page, 'sweep-values-0', '10:30:10');
    await fill(page, 'sweep-seeds', '1');
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => sweepPhase(page), { timeout: 120_000 }).toBe('done');
    await page.getByTestId('sweep-plot-metric').selectOption('synaptic_events');
    await page.getByTestId('sweep-heatmap').waitFor();
    expect(await page.getByTestId('sweep-cell').count()).toBe(9);
    expect(await page.locator('[data-testid="sweep-cell"].is-empty').count()).toBe(0);
    await page.getByTestId('sweep-scale').waitFor();
    const rows = await rowsOf(page);
    // Point 7 is τm = 30 (third x), rate 10 Hz (second y); more input, more synaptic events.
    expect(rows[7].values).toEqual({ 'exc.tau_m_ms': 30, 'input.rate_hz': 10 });
    const events = (p: number) => rows[p].metrics!.synaptic_events!;
    expect(events(8)).toBeGreaterThan(events(6));
    // The brightest cell is the largest value: its fill is the scale's top colour.
    const top = rows.reduce((a, r) => (r.metrics!.synaptic_events! > a.metrics!.synaptic_events! ? r : a));
    expect(await page.locator(`[data-testid="sweep-cell"][data-point="${top.point}"]`).evaluate((e) => (e as SVGElement).style.fill)).toBe('rgb(253, 231, 37)');
    await page.locator('[data-testid="sweep-cell"][data-point="7"]').hover();
    const tip = await page.getByTestId('sweep-tip').textContent();
    expect(tip).toContain('exc.tau_m_ms = 30');
    expect(tip).toContain('input.rate_hz = 10');
    expect(tip).toContain(`synaptic_events = ${events(7)}`);
    await page.locator('.sf-sweep-plot').screenshot({ path: '/tmp/sweep-heatmap.png' });
    await page.mouse.move(5, 5);
    await page.getByTestId('sweep-panel').screenshot({ path: '/tmp/sweep-panel-heatmap.png' });
  });

  it('cancels a sweep under way: no run starts after Cancel, and the finished runs stay', async () => {
    await page.getByTestId('sweep-target-1').fill('');
    await page.getByTestId('sweep-values-1').fill('');
    await page.locator('[aria-label="Remove parameter 2"]').click();
    await fill(page, 'sweep-values-0', '5:50:1');
    await fill(page, 'sweep-duration', '2000');
    await page.getByTestId('sweep-run').click();
    await expect.poll(async () => Number(await page.getByTestId('sweep-progress').getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThan(0);
    await page.getByTestId('sweep-cancel').click();
    await expect.poll(() => sweepPhase(page), { timeout: 10_000 }).toBe('cancelled');
    const done = Number(await page.getByTestId('sweep-progress').getAttribute('data-done'));
    expect(done).toBeLessThan(46);
    expect(await page.getByTestId('sweep-progress-text').textContent()).toMatch(new RegExp(`^Cancelled: ${done} of 46 runs`));
    await page.waitForTimeout(1500);
    expect(Number(await page.getByTestId('sweep-progress').getAttribute('data-done'))).toBe(done);
    expect(await page.getByTestId('sweep-run').isVisible()).toBe(true);
  });

  it('saves the set-up into the document as its sweep field, and Undo takes it back', async () => {
    await fill(page, 'sweep-values-0', '10,20');
    await page.getByTestId('sweep-save').click();
    const saved = () => page.evaluate(() => (window as unknown as Win).__spikeflow.editor.state.doc.sweep);
    expect(await saved()).toEqual({ sets: ['exc.tau_m_ms=10,20'], seeds: 1, duration_ms: 2000 });
    await page.evaluate(() => (window as unknown as Win).__spikeflow.editor.undo());
    expect(await saved()).toBeUndefined();
    expect(app.errors).toEqual([]);
  });

  it('opens a document’s saved sweep from File › Sweep parameters…, ready to run, and runs it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-sweep-e2e-'));
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), 'utf8'));
    doc.meta.name = 'E/I with a saved sweep';
    doc.sweep = { sets: ['input.rate_hz=5,10', 'exc.tau_m_ms=10,20'], seeds: 1, metrics: ['spikes', 'exc.rate_hz'], duration_ms: 100, label: 'Rate and τm' };
    const file = path.join(dir, 'saved-sweep.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    await page.getByTestId('open-file-input').setInputFiles(file);
    await answerDiscardUntil(page, async () => (await page.getByTestId('doc-title').textContent())?.includes('E/I with a saved sweep') ?? false);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('menu-sweep').click();
    await page.getByTestId('sweep-panel').waitFor();
    expect(await page.getByTestId('sweep-panel').locator('header strong').textContent()).toBe('Rate and τm');
    expect([await page.getByTestId('sweep-target-0').inputValue(), await page.getByTestId('sweep-values-0').inputValue()]).toEqual(['input.rate_hz', '5,10']);
    expect([await page.getByTestId('sweep-target-1').inputValue(), await page.getByTestId('sweep-values-1').inputValue()]).toEqual(['exc.tau_m_ms', '10,20']);
    expect(await page.getByTestId('sweep-duration').inputValue()).toBe('100');
    expect(await page.getByTestId('sweep-metrics').locator('summary').textContent()).toMatch(/^Metrics: 2 of \d+/);
    await page.getByTestId('sweep-run').click();
    await expect.poll(() => sweepPhase(page), { timeout: 120_000 }).toBe('done');
    expect((await rowsOf(page)).map((r) => Object.keys(r.metrics!))).toEqual(Array(4).fill(['spikes', 'exc.rate_hz']));
    expect(await page.getByTestId('sweep-cell').count()).toBe(4);
    expect(app.errors).toEqual([]);
  });
});
