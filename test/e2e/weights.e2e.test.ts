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
import { launchBrowser, answerDiscardUntil } from './browser.ts';
import { ROOT } from '../helpers.ts';
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
    expect(
      log.some(([phase, drawn]) => phase === 'running' && drawn > 1),
      JSON.stringify(log.slice(-20)),
    ).toBe(true);
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

  async function exportAs(menu: string, format: 'png' | 'svg' | 'csv' | 'npz'): Promise<string> {
    await page.getByTestId(`export-${menu}`).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
    const saved = path.join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    return saved;
  }

  it('exports the weight views as PNG (the three canvases side by side), SVG, CSV of the latest snapshot and NPZ', async () => {
    const png = readFileSync(await exportAs('weights', 'png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const widths = await page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="weight-panel"] canvas')].map((c) => c.width));
    expect(png.readUInt32BE(16)).toBe(widths.reduce((a, b) => a + b, 0));
    const svg = readFileSync(await exportAs('weights', 'svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('640 synapses, 64 → 10 neurons');
    expect(svg).toMatch(/<image [^>]*href="data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
    const csv = readFileSync(await exportAs('weights', 'csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('t_ms,pre,post,w');
    expect(csv).toHaveLength(641);
    const w = csv.slice(1).map((r) => Number(r.split(',')[3]));
    expect(w.every((x) => x >= 0 && x <= 12)).toBe(true);
    const npz = readFileSync(await exportAs('weights', 'npz'));
    expect(npz.subarray(0, 2).toString('latin1')).toBe('PK');
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

  it("exports a training run's learning curve as CSV (a row per epoch) and SVG", async () => {
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/sg-encoding-latency.spikeflow.json'));
    await answerDiscardUntil(page, () => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.some((n) => n.id === 'trainer')));
    await page.evaluate(() => (window as unknown as { __spikeflow: { editor: { setParam(id: string, name: string, v: unknown): void } } }).__spikeflow.editor.setParam('trainer', 'epochs', 2));
    await page.getByTestId('run').click();
    await expect.poll(() => status(page), { timeout: 300_000 }).toMatch(/finished/);
    await page.getByTestId('results-tab-learning').click();
    const csv = readFileSync(await exportAs('trainer-learning-curve', 'csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('epoch,loss,train_accuracy,test_accuracy,wall_ms');
    expect(csv.slice(1).map((r) => r.split(',')[0])).toEqual(['1', '2']);
    expect(csv.slice(1).every((r) => Number(r.split(',')[1]) > 0)).toBe(true);
    const svg = readFileSync(await exportAs('trainer-learning-curve', 'svg'), 'utf8');
    expect(svg.match(/<polyline class="curve"/g)?.length).toBe(3);
    expect(errors).toEqual([]);
  });
});
