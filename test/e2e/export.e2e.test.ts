/**
 * Results exports in Debian Chromium: open the E/I example, run it, and export
 * the raster as CSV (checked against the run's statistics), NPZ (loaded with
 * numpy), PNG and SVG; then the link between results tabs and monitor nodes.
 * Screenshots go to `$TMPDIR/spikeflow-export/`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, answerDiscardUntil } from './browser.ts';
import { PYTHON, hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

function hasNumpy(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium') && requireTool('python3 with numpy', hasNumpy(), 'apt-get install -y python3-numpy');

interface PopStats {
  nodeId: string;
  size: number;
  spikes: number;
}
interface AppWindow {
  __spikeflow: {
    editor: {
      doc: { nodes: { id: string }[] };
      state: { run: { stats: { populations: PopStats[]; spikes: number } | null }; selection: { nodes: string[] } };
    };
  };
}

const SHOTS = path.join(tmpdir(), 'spikeflow-export');

describe.runIf(run)('exporting results', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-export-'));
  let pops: PopStats[] = [];

  async function exportAs(menu: string, format: 'png' | 'svg' | 'csv' | 'npz'): Promise<string> {
    await page.getByTestId(`export-${menu}`).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
    expect(download.suggestedFilename()).toBe(`${menu}.${format}`);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    return file;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'));
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 4);
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /finished/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
    pops = (await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats!.populations)).filter((p) => p.spikes > 0);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens an export menu with PNG, SVG, CSV and NPZ on the raster', async () => {
    await page.getByTestId('export-raster').click();
    for (const f of ['png', 'svg', 'csv', 'npz']) await expect.poll(() => page.getByTestId(`export-${f}`).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'export-menu.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('export-csv').count()).toBe(0);
  });

  it('exports the raster as CSV with one row per recorded spike of each population', async () => {
    expect(pops.map((p) => p.nodeId).sort()).toEqual(['exc', 'inh', 'input']);
    const lines = readFileSync(await exportAs('raster', 'csv'), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('population,neuron,t_ms');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(pops.reduce((a, p) => a + p.spikes, 0));
    for (const p of pops) {
      const mine = rows.filter((r) => r[0] === p.nodeId);
      expect(mine.length).toBe(p.spikes);
      for (const [, n, t] of mine) {
        expect(Number(n)).toBeGreaterThanOrEqual(0);
        expect(Number(n)).toBeLessThan(p.size);
        expect(Number.isInteger(Number(n))).toBe(true);
        expect(Number(t)).toBeGreaterThanOrEqual(0);
        expect(Number(t)).toBeLessThan(1000);
      }
    }
  });

  it('exports the raster as NPZ that numpy loads, with the same spike counts and matching times', async () => {
    const file = await exportAs('raster', 'npz');
    const script = [
      'import json, sys, numpy',
      'd = numpy.load(sys.argv[1])',
      'print(json.dumps({k: [d[k].dtype.str, list(d[k].shape), float(d[k].min()) if d[k].size else 0, float(d[k].max()) if d[k].size else 0] for k in d.files}))',
    ].join('\n');
    const got = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }));
    expect(Object.keys(got).sort()).toEqual(['exc_neuron', 'exc_t_ms', 'inh_neuron', 'inh_t_ms', 'input_neuron', 'input_t_ms']);
    for (const p of pops) {
      expect(got[`${p.nodeId}_neuron`].slice(0, 2)).toEqual(['<i4', [p.spikes]]);
      expect(got[`${p.nodeId}_t_ms`].slice(0, 2)).toEqual(['<f8', [p.spikes]]);
      expect(got[`${p.nodeId}_neuron`][2]).toBeGreaterThanOrEqual(0);
      expect(got[`${p.nodeId}_neuron`][3]).toBeLessThan(p.size);
      expect(got[`${p.nodeId}_t_ms`][3]).toBeLessThan(1000);
    }
  });

  it('exports the raster as a PNG at device pixel ratio and as an SVG with one spike path per population', async () => {
    const png = readFileSync(await exportAs('raster', 'png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const canvasWidth = await page.getByTestId('raster').evaluate((c) => (c as HTMLCanvasElement).width);
    expect(png.readUInt32BE(16)).toBe(canvasWidth);

    const svg = readFileSync(await exportAs('raster', 'svg'), 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        paths: [...doc.querySelectorAll('path.spikes')].map((p) => [p.getAttribute('data-population'), (p.getAttribute('d')!.match(/M/g) ?? []).length]),
      };
    }, svg);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    // Below the 200k-point cap nothing is thinned: one tick per spike.
    expect(Object.fromEntries(parsed.paths)).toEqual(Object.fromEntries(pops.map((p) => [p.nodeId, p.spikes])));
  });

  it('exports the statistics as CSV and PNG', async () => {
    await page.getByTestId('results-tab-stats').click();
    const lines = readFileSync(await exportAs('stats', 'csv'), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('population,kind,size,spikes,rate_hz');
    const spikes = Object.fromEntries(
      lines
        .slice(1)
        .map((l) => l.split(','))
        .map((r) => [r[0], Number(r[3])]),
    );
    for (const p of pops) expect(spikes[p.nodeId]).toBe(p.spikes);
    const png = readFileSync(await exportAs('stats', 'png'));
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('exports state traces and population rates as NPZ in the CLI layout, and as SVG', async () => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), 'utf8'));
    doc.nodes.push(
      { id: 'volt', kind: 'state-monitor', label: 'Voltage', position: { x: 660, y: 380 }, params: { variable: 'v', neurons: [0, 5, 9], interval_ms: 1 } },
      { id: 'pop_rate', kind: 'rate-monitor', label: 'Rate', position: { x: 660, y: 40 }, params: { bin_ms: 10 } },
    );
    doc.edges.push(
      { id: 'w_v', source: { node: 'exc', port: 'spikes' }, target: { node: 'volt', port: 'spikes' }, params: {} },
      { id: 'w_r', source: { node: 'exc', port: 'spikes' }, target: { node: 'pop_rate', port: 'spikes' }, params: {} },
    );
    const file = path.join(dir, 'monitors.spikeflow.json');
    writeFileSync(file, JSON.stringify(doc));
    await page.getByTestId('open-file-input').setInputFiles(file);
    await answerDiscardUntil(page, async () => (await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length)) === 6);
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/finished/);
    const exc = (await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats!.populations)).find((p) => p.nodeId === 'exc')!;

    await page.getByTestId('results-tab-volt').click();
    const script = [
      'import json, sys, numpy',
      'd = numpy.load(sys.argv[1])',
      'print(json.dumps({k: [d[k].dtype.str, list(d[k].shape), d[k].ravel()[:3].tolist(), float(d[k].sum())] for k in d.files}))',
    ].join('\n');
    const state = JSON.parse(execFileSync(PYTHON, ['-c', script, await exportAs('volt', 'npz')], { encoding: 'utf8' }));
    expect(Object.keys(state).sort()).toEqual(['exc_neurons', 'exc_t_ms', 'exc_v']);
    expect(state.exc_v.slice(0, 2)).toEqual(['<f4', [1000, 3]]);
    expect(state.exc_neurons.slice(0, 3)).toEqual(['<i4', [3], [0, 5, 9]]);
    expect(state.exc_t_ms[2]).toEqual([0, 1, 2]);
    for (const v of state.exc_v[2]) {
      expect(v).toBeGreaterThanOrEqual(-80);
      expect(v).toBeLessThanOrEqual(-50);
    }
    const stateSvg = readFileSync(await exportAs('volt', 'svg'), 'utf8');
    expect(stateSvg.match(/<polyline/g)).toHaveLength(3);

    await page.getByTestId('results-tab-pop_rate').click();
    const rate = JSON.parse(execFileSync(PYTHON, ['-c', script, await exportAs('pop_rate', 'npz')], { encoding: 'utf8' }));
    expect(rate.exc_rate_hz[1]).toEqual([100]);
    expect(rate.exc_t_ms[2]).toEqual([0, 10, 20]);
    // Σ rate · neurons · bin seconds = the population's spikes.
    expect(rate.exc_rate_hz[3] * 80 * 0.01).toBeCloseTo(exc.spikes, 3);
    await page.screenshot({ path: path.join(SHOTS, 'rate-tab.png') });
  });

  it('links results tabs and monitor nodes both ways', async () => {
    // The Statistics tab is open; selecting the monitor node switches to its tab.
    await page.locator('.react-flow__node[data-id="raster"]').click();
    await expect.poll(() => page.getByTestId('results-tab-raster').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('results-tab-raster').getAttribute('class')).toMatch(/is-linked/);

    // Clicking away and then the tab selects the node again.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.selection.nodes)).toEqual([]);
    await page.getByTestId('results-tab-raster').hover();
    await expect.poll(() => page.locator('.react-flow__node[data-id="raster"]').getAttribute('class')).toMatch(/sf-linked-hover/);
    await page.getByTestId('results-tab-raster').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.selection.nodes)).toEqual(['raster']);
    await expect.poll(() => page.locator('.react-flow__node[data-id="raster"]').getAttribute('class')).toMatch(/selected/);
    await page.screenshot({ path: path.join(SHOTS, 'linked.png') });
    expect(errors).toEqual([]);
  });
});
