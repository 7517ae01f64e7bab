/**
 * The inspection panels, in Debian Chromium: the raster grows while a run goes on,
 * zooms on time and on the neuron axis, reads out the spike under the cursor, and
 * opens the trace of a clicked neuron (a state monitor, drawn with its threshold);
 * the population-rate strip's bin slider, the ISI/CV histograms, stacked traces,
 * and a windowed monitor that says so. A screenshot of each panel goes to
 * `/tmp/panel-*.png`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';
import { RASTER_MARGIN, rasterBottom } from '../../renderer/results/raster-layout.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

/** The raster's plot area on the page (CSS px), rate strip shown. */
function plotBox(box: { x: number; y: number; width: number; height: number }) {
  const bottom = rasterBottom(box.height, true);
  return { x: box.x + RASTER_MARGIN.left, y: box.y + RASTER_MARGIN.top, width: box.width - RASTER_MARGIN.left - RASTER_MARGIN.right, height: box.height - RASTER_MARGIN.top - bottom };
}
/** Rows: 200 input + 80 exc + 20 inh neurons, with gaps of round(300 · 0.02) = 6 rows. */
const EXC_ROW0 = 206;
const TOTAL_ROWS = 312;

interface Series {
  nodeId: string;
  size: number;
  count: number;
  neuron: Int32Array;
  step: Int32Array;
}
interface Services {
  editor: {
    state: { run: { phase: string; dtMs: number }; doc: { nodes: { id: string; kind: string; params: Record<string, unknown> }[] } };
    setParam(id: string, name: string, value: unknown): void;
    traceNeuron(pop: string, neuron: number): string | null;
  };
  runner: { spikes: { get(id: string): { series: Series[] } | undefined } };
}

const phaseOf = (page: Page) => page.evaluate(() => (window as unknown as { __spikeflow: Services }).__spikeflow.editor.state.run.phase);
const attr = async (page: Page, testId: string, name: string) => (await page.getByTestId(testId).getAttribute(name)) ?? '';
const range = (s: string) => s.split('-').map(Number) as [number, number];

async function waitDone(page: Page, timeout = 60_000): Promise<void> {
  await expect.poll(() => phaseOf(page), { timeout }).toMatch(/^(finished|stopped)$/);
}

describe.runIf(run)('inspection panels', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
    await page.getByTestId('open-file-input').setInputFiles(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'));
    await page.locator('.react-flow__node[data-id="exc"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('grows the raster while the run goes on', async () => {
    const duration = page.getByTestId('sim-duration_ms');
    // Far longer than the test needs: it is stopped once the growth was seen.
    await duration.fill('2000000');
    await duration.press('Enter');
    await page.getByTestId('run').click();
    await expect.poll(async () => Number(await attr(page, 'raster', 'data-spike-count')), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = Number(await attr(page, 'raster', 'data-spike-count'));
    await expect.poll(async () => Number(await attr(page, 'raster', 'data-spike-count')), { timeout: 15_000 }).toBeGreaterThan(first);
    expect(await phaseOf(page)).toBe('running');
    await page.screenshot({ path: '/tmp/panel-raster-live.png' });
    const fullDraws = await attr(page, 'raster', 'data-full-draws');
    await page.getByTestId('stop').click();
    await waitDone(page);
    // The statistics arriving at the end do not resize the plot: its pixels are kept, not redrawn from all spikes.
    await expect.poll(() => page.getByTestId('run-stats').textContent()).toMatch(/spikes/);
    expect(await attr(page, 'raster', 'data-full-draws')).toBe(fullDraws);
    // Shorter runs from here on, so a traced neuron's run ends quickly.
    await duration.fill('1000');
    await duration.press('Enter');
  });

  it('zooms time with the wheel and the neuron axis with Shift+wheel, and resets', async () => {
    const p = plotBox((await page.getByTestId('raster').boundingBox())!);
    const [, t1] = range(await attr(page, 'raster', 'data-time-shown'));
    // Nine wheel steps of exp(−0.8) each: about a 1,400th of the run, anchored at the left edge.
    await page.mouse.move(p.x + 1, p.y + p.height / 3);
    for (let i = 0; i < 9; i++) await page.mouse.wheel(0, -400);
    await expect
      .poll(async () => {
        const [a, b] = range(await attr(page, 'raster', 'data-time-shown'));
        return b - a;
      })
      .toBeLessThan(t1 / 1000);
    const zoomedTime = range(await attr(page, 'raster', 'data-time-shown'));
    expect(await attr(page, 'raster', 'data-rows-shown')).toBe(`0-${TOTAL_ROWS}`);
    // Shift+wheel over the middle of the exc band (rows 206–286): two steps → ~63 rows.
    await page.mouse.move(p.x + p.width / 2, p.y + ((EXC_ROW0 + 40) / TOTAL_ROWS) * p.height);
    await page.keyboard.down('Shift');
    for (let i = 0; i < 2; i++) await page.mouse.wheel(0, -400);
    await page.keyboard.up('Shift');
    await expect
      .poll(async () => {
        const [r0, r1] = range(await attr(page, 'raster', 'data-rows-shown'));
        return r1 - r0;
      })
      .toBeLessThan(70);
    const [r0, r1] = range(await attr(page, 'raster', 'data-rows-shown'));
    // The row under the cursor stays where it was on screen (246 of 312: 79 % down).
    expect((EXC_ROW0 + 40 - r0) / (r1 - r0)).toBeCloseTo((EXC_ROW0 + 40) / TOTAL_ROWS, 1);
    // The time zoom stayed as it was.
    expect(range(await attr(page, 'raster', 'data-time-shown'))).toEqual(zoomedTime);
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-raster-zoomed.png' });
    // Reset shows every neuron and the whole run again.
    await page.getByTestId('raster-reset-zoom').click();
    expect(await attr(page, 'raster', 'data-rows-shown')).toBe(`0-${TOTAL_ROWS}`);
    expect(range(await attr(page, 'raster', 'data-time-shown'))).toEqual([0, t1]);
    expect(await page.getByTestId('raster-reset-zoom').count()).toBe(0);
    // Zoom in again the same way for the next test.
    await page.mouse.move(p.x + 1, p.y + p.height / 3);
    for (let i = 0; i < 9; i++) await page.mouse.wheel(0, -400);
    await page.mouse.move(p.x + p.width / 2, p.y + ((EXC_ROW0 + 40) / TOTAL_ROWS) * p.height);
    await page.keyboard.down('Shift');
    for (let i = 0; i < 2; i++) await page.mouse.wheel(0, -400);
    await page.keyboard.up('Shift');
    await expect
      .poll(async () => {
        const [r0, r1] = range(await attr(page, 'raster', 'data-rows-shown'));
        return r1 - r0;
      })
      .toBeLessThan(70);
  });

  it('reads out the nearest spike on hover and traces a clicked neuron with its threshold', async () => {
    const p = plotBox((await page.getByTestId('raster').boundingBox())!);
    // Widen the time a little (three steps out) so the view holds some exc spikes.
    await page.mouse.move(p.x + p.width / 2, p.y + p.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 400);
    await page.waitForTimeout(100);
    const [t0, t1] = range(await attr(page, 'raster', 'data-time-shown'));
    const [r0, r1] = range(await attr(page, 'raster', 'data-rows-shown'));
    // An exc spike well inside the view, from the buffers; exc is the second band.
    const target = await page.evaluate(
      ({ t0, t1, r0, r1, row0 }) => {
        const sf = (window as unknown as { __spikeflow: Services }).__spikeflow;
        const dt = sf.editor.state.run.dtMs;
        const exc = sf.runner.spikes.get('raster')!.series[1];
        for (let k = 0; k < exc.count; k++) {
          const t = exc.step[k] * dt;
          const row = row0 + exc.neuron[k];
          if (t > t0 + (t1 - t0) * 0.1 && t < t1 - (t1 - t0) * 0.3 && row > r0 + 2 && row < r1 - 2) return { t, row, neuron: exc.neuron[k] };
        }
        return null;
      },
      { t0, t1, r0, r1, row0: EXC_ROW0 },
    );
    expect(target, `an exc spike in ${t0}–${t1} ms, rows ${r0}–${r1}`).not.toBeNull();
    const { t, row, neuron } = target!;
    const x = p.x + ((t - t0) / (t1 - t0)) * p.width;
    const y = p.y + ((row + 0.5 - r0) / (r1 - r0)) * p.height;
    await page.mouse.move(x, y);
    const readout = page.getByTestId('raster-readout');
    await expect.poll(() => readout.getAttribute('data-neuron')).toBe(String(neuron));
    expect(await readout.getAttribute('data-population')).toBe('exc');
    expect(await readout.textContent()).toContain(`neuron ${neuron} · t = ${t.toFixed(1)} ms`);
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-raster-hover.png' });

    // Click pins it and offers the trace.
    await page.mouse.click(x, y);
    const traceButton = page.getByTestId('raster-trace-neuron');
    await traceButton.waitFor();
    expect(await traceButton.textContent()).toBe(`Trace neuron ${neuron}`);
    await traceButton.click();
    // One undoable edit: a state monitor wired to exc recording that neuron; a run starts.
    const mon = await page.evaluate(() => {
      const sf = (window as unknown as { __spikeflow: Services }).__spikeflow;
      return sf.editor.state.doc.nodes.find((n) => n.kind === 'state-monitor') ?? null;
    });
    expect(mon?.params.neurons).toEqual([neuron]);
    await waitDone(page);
    const tab = page.getByTestId(`results-tab-${mon!.id}`);
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    const trace = page.getByTestId('trace-state');
    await expect.poll(async () => Number(await trace.getAttribute('data-sample-count'))).toBeGreaterThan(1000);
    // exc's threshold (v_th_mv = −50) is drawn as a dashed line.
    expect(await trace.getAttribute('data-threshold-mv')).toBe('-50');
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-trace.png' });
    // Undo removes the monitor (and its wire) again.
    const left = await page.evaluate(() => {
      const sf = (window as unknown as { __spikeflow: Services & { editor: { undo(): void } } }).__spikeflow;
      sf.editor.undo();
      return sf.editor.state.doc.nodes.filter((n) => n.kind === 'state-monitor').length;
    });
    expect(left).toBe(0);
  });

  it('stacks several traced neurons in lanes of their own', async () => {
    await page.evaluate(() => {
      const sf = (window as unknown as { __spikeflow: Services }).__spikeflow;
      sf.editor.traceNeuron('exc', 3);
      sf.editor.traceNeuron('exc', 7);
    });
    await page.getByTestId('run').click();
    await waitDone(page);
    const trace = page.getByTestId('trace-state');
    await expect.poll(async () => Number(await trace.getAttribute('data-sample-count'))).toBeGreaterThan(0);
    expect(await trace.getAttribute('data-lanes')).toBe('1');
    await page.getByTestId('trace-stack').click();
    await expect.poll(() => trace.getAttribute('data-lanes')).toBe('2');
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-trace-stacked.png' });
  });

  it('draws the population rate with a bin slider and the ISI and CV histograms', async () => {
    await page.getByTestId('results-tab-raster').click();
    const slider = page.getByTestId('rate-bin');
    expect(await page.getByTestId('rate-bin-ms').textContent()).toBe('5.0 ms');
    await slider.fill('5');
    expect(await page.getByTestId('rate-bin-ms').textContent()).toBe('20 ms');
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-raster-rate.png' });

    await page.getByTestId('raster-view-isi').click();
    const isi = page.getByTestId('isi-cv');
    await expect.poll(async () => Number(await isi.getAttribute('data-intervals'))).toBeGreaterThan(100);
    expect(await isi.getAttribute('data-populations')).toBe('3');
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-isi.png' });
    // The view shown is the one exported: the ISI and CV histograms as vector paths, one per population each.
    await page.getByTestId('export-raster').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const svg = readFileSync(await download.path(), 'utf8');
    expect(svg).toContain('ISI and CV');
    expect(svg.match(/<path class="histogram"/g)?.length).toBe(6);
    expect(svg).toMatch(/Excitatory: mean ISI \d+\.\d+ ms/);
    await page.getByTestId('raster-view-raster').click();
  });

  it('keeps only the last window of a windowed monitor and says so', async () => {
    await page.evaluate(() => {
      const sf = (window as unknown as { __spikeflow: Services }).__spikeflow;
      sf.editor.setParam('raster', 'keep', 'window');
      sf.editor.setParam('raster', 'window_ms', 200);
    });
    await page.getByTestId('run').click();
    await waitDone(page);
    await page.getByTestId('results-tab-raster').click();
    expect(await page.getByTestId('monitor-keep').textContent()).toMatch(/^showing last 200 ms — window; [\d,]+ older spikes dropped$/);
    const oldest = await page.evaluate(() => {
      const sf = (window as unknown as { __spikeflow: Services }).__spikeflow;
      const dt = sf.editor.state.run.dtMs;
      return Math.min(
        ...sf.runner.spikes
          .get('raster')!
          .series.filter((s) => s.count > 0)
          .map((s) => s.step[0] * dt),
      );
    });
    // A 1000 ms run: spikes of the last 200 ms only.
    expect(oldest).toBeGreaterThanOrEqual(800);
    const [t0, t1] = range(await attr(page, 'raster', 'data-time-shown'));
    expect(t0).toBeCloseTo(800, 6);
    expect(t1).toBeCloseTo(1000, 6);
    await page.getByTestId('results').screenshot({ path: '/tmp/panel-raster-window.png' });
    expect(errors).toEqual([]);
  });
});
