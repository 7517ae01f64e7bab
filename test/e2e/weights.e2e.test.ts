/**
 * Weight views and learned-weight write-back in Debian Chromium: open a small
 * plastic network (the bundled 8×8 digits → STDP → 10 LIF neurons, with a
 * weight monitor on the STDP node), run it and watch the heatmap, histogram
 * and receptive fields fill while it runs; then keep the learned weights in
 * the document (and in a side file) and run again from them. Screenshots:
 * `/tmp/weights-*.png`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { defaultParams, getKind } from '../../engine/kinds/index.ts';
import { newDocument, serializeDocument } from '../../engine/format/load.ts';
import type { DocEdge, DocNode } from '../../engine/format/document.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

function node(id: string, kind: string, x: number, y: number, params: Record<string, unknown> = {}): DocNode {
  return { id, kind, label: id, position: { x, y }, params: { ...defaultParams(getKind(kind)!.params), ...params } };
}

function wire(id: string, s: string, sp: string, t: string, tp: string): DocEdge {
  return { id, source: { node: s, port: sp }, target: { node: t, port: tp }, params: {} };
}

/** Digits at up to 60 Hz → pair STDP (all-to-all, w in [0, 12] pA·) → 10 LIF neurons; a weight monitor every 50 ms. */
function plasticDigits(durationMs: number): string {
  const d = newDocument('digits stdp');
  d.simulation.duration_ms = durationMs;
  d.nodes = [
    node('digits', 'rate-encoder', 40, 160, { input: 'digits', max_rate_hz: 60 }),
    node('stdp', 'stdp', 300, 160, { rule: 'all-to-all', weight: { dist: 'uniform', low: 0, high: 12 }, w_max: 12, a_pre: 0.6, a_post: -0.66 }),
    node('out', 'lif-curr-exp', 560, 160, { size: 10 }),
    node('weights', 'weight-monitor', 560, 360, { interval_ms: 50 }),
    node('raster', 'spike-monitor', 820, 160),
  ];
  d.edges = [
    wire('pre', 'digits', 'spikes', 'stdp', 'pre'),
    wire('post', 'stdp', 'post', 'out', 'in'),
    wire('wm', 'stdp', 'post', 'weights', 'projection'),
    wire('m', 'out', 'spikes', 'raster', 'spikes'),
  ];
  return serializeDocument(d);
}

interface Learned {
  nodeId?: string;
  edgeId: string;
  w: Float64Array;
}
interface AppWindow {
  __spikeflow: {
    editor: {
      doc: { nodes: { id: string; weights?: unknown }[] };
      state: { run: { phase: string } };
      undo(): string | null;
    };
    runner: { learned: readonly Learned[]; weights: { get(id: string): { means: number[]; snapshots: number } | undefined } };
  };
}

/** Pixels of a canvas that are neither white nor transparent. */
async function inkedPixels(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`);
    if (!c || c.width === 0 || c.height === 0) return 0;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245)) n++;
    return n;
  }, testId);
}

const status = (page: Page) => page.getByTestId('run-status').textContent();

describe.runIf(run)('weight views and write-back', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-weights-'));
  const file = path.join(dir, 'digits.spikeflow.json');

  beforeAll(async () => {
    writeFileSync(file, plasticDigits(40_000));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
    await page.getByTestId('open-file-input').setInputFiles(file);
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 5);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws the heatmap, histogram and receptive fields while the run goes on', async () => {
    // A frame-by-frame log of the run's phase and the snapshots the heatmap last drew.
    await page.evaluate(() => {
      const w = window as unknown as AppWindow & { __weightLog: [string, number][] };
      w.__weightLog = [];
      const tick = () => {
        const drawn = Number(document.querySelector('[data-testid="weight-heatmap"]')?.getAttribute('data-snapshot-count') ?? 0);
        const phase = w.__spikeflow.editor.state.run.phase;
        w.__weightLog.push([phase, drawn]);
        if (phase !== 'finished') requestAnimationFrame(tick);
      };
      tick();
    });
    await page.getByTestId('run').click();
    await page.getByTestId('results-tab-weights').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="weight-heatmap"]')?.getAttribute('data-snapshot-count') ?? 0) > 1, null, { timeout: 60_000 });
    await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/finished/);
    // Snapshots were drawn during the run, not only at its end.
    const log = await page.evaluate(() => (window as unknown as { __weightLog: [string, number][] }).__weightLog);
    expect(log.some(([phase, drawn]) => phase === 'running' && drawn > 1), JSON.stringify(log.slice(-20))).toBe(true);
    const heat = page.getByTestId('weight-heatmap');
    // 0, 50, …, 40 000 ms: 801 snapshots.
    await expect.poll(() => heat.getAttribute('data-snapshot-count')).toBe('801');
    expect(await heat.getAttribute('data-synapses')).toBe('640');
    expect(await page.getByTestId('weight-histogram').getAttribute('data-count')).toBe('640');
    expect(await page.getByTestId('weight-fields').getAttribute('data-field-count')).toBe('10');
    for (const id of ['weight-heatmap', 'weight-histogram', 'weight-fields']) expect(await inkedPixels(page, id), id).toBeGreaterThan(500);
    expect(await page.getByTestId('weight-summary').textContent()).toContain('640 synapses, 64 → 10 neurons');
    await page.screenshot({ path: '/tmp/weights-finished.png' });
    await page.getByTestId('results').screenshot({ path: '/tmp/weights-panel.png' });
    expect(errors).toEqual([]);
  });

  it('keeps the learned weights in the document, undoably, and the next run starts from them', async () => {
    await page.getByTestId('keep-weights-inline').click();
    const stored = await page.evaluate(() => {
      const w = window as unknown as AppWindow;
      const learned = w.__spikeflow.runner.learned[0];
      const weights = w.__spikeflow.editor.doc.nodes.find((n) => n.id === 'stdp')!.weights as { pre: number[]; w: number[] };
      return { learned: Array.from(learned.w), stored: weights.w, pre: weights.pre.length };
    });
    expect(stored.pre).toBe(640);
    expect(stored.stored).toEqual(stored.learned);
    expect(await page.getByTestId('forget-weights').isVisible()).toBe(true);
    const learnedMean = stored.learned.reduce((a, b) => a + b, 0) / stored.learned.length;

    // Undo drops them; redo is the toolbar's business, so keep them again.
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.undo())).toBe('Keep learned weights in the document');
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'stdp')!.weights)).toBeUndefined();
    await page.getByTestId('keep-weights-inline').click();

    await page.getByTestId('run').click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/finished/);
    const startMean = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.runner.weights.get('weights')!.means[0]);
    // Snapshots are float32: the t = 0 mean matches the learned float64 mean to float32 precision.
    expect(Math.abs(startMean - learnedMean) / learnedMean).toBeLessThan(1e-6);
    await page.getByTestId('results').screenshot({ path: '/tmp/weights-rerun.png' });
  });

  it('saves the weights to a side file the document references, and runs from it', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('keep-weights-file').click()]);
    expect(download.suggestedFilename()).toBe('digits.weights.json');
    const saved = path.join(dir, 'side.weights.json');
    await download.saveAs(saved);
    const side = JSON.parse(readFileSync(saved, 'utf8'));
    expect(side.format).toBe('spikeflow-weights');
    expect(side.nodes.stdp.w).toHaveLength(640);
    const ref = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'stdp')!.weights);
    expect(ref).toEqual({ file: 'digits.weights.json' });
    await page.getByTestId('run').click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/finished/);
    const startMean = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.runner.weights.get('weights')!.means[0]);
    const fileMean = (side.nodes.stdp.w as number[]).reduce((a, b) => a + b, 0) / 640;
    expect(Math.abs(startMean - fileMean) / fileMean).toBeLessThan(1e-6);

    await page.getByTestId('forget-weights').click();
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'stdp')!.weights)).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
