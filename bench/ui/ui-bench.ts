/**
 * UI speed benchmark, driven by Playwright in Debian Chromium (not a timed unit
 * test): builds the web app, serves it on a loopback port and measures
 *
 * (a) the raster redraw of 1,000,000 spikes on zoom and pan — the time of the
 *     draw itself, taken in the page with performance.now() around it (the
 *     canvas's `data-draw-ms`), median and max over 20 wheel zooms and 20 drags;
 * (b) the main thread during a run of a 100,000-neuron network with the live
 *     raster and its population-rate strip: the longest long task reported by
 *     PerformanceObserver('longtask'), and how many exceeded 50 ms.
 *
 * Prints the figures and writes them to `bench/results/ui-<UTC stamp>.json` and
 * `bench/results/ui-latest.json`. Targets: (a) < 50 ms, (b) no task > 50 ms. A
 * missed target prints FAIL but does not make the command fail.
 *
 *   npm run bench:ui                 # both
 *   npm run bench:ui -- --only raster|run
 *   npm run bench:ui -- --run-ms 2000 --ext-hz 9     # the run case's length and drive
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../test/e2e/browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET_MS = 50;
const REDRAWS = 20;

interface Services {
  editor: { state: { run: { phase: string; stats: { spikes?: number } | null } } };
  runner: { spikes: { kept(id: string): number } };
}

import { MILLION, brunel100k } from './networks.ts';

const phaseOf = (page: Page) => page.evaluate(() => (window as unknown as { __spikeflow: Services }).__spikeflow.editor.state.run.phase);

async function waitPhase(page: Page, re: RegExp, timeoutMs: number): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const p = await phaseOf(page);
    if (re.test(p)) return p;
    if (Date.now() - t0 > timeoutMs) throw new Error(`run phase stayed "${p}" for ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

async function open(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('open-file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.locator('.react-flow__node[data-id="raster"]').waitFor();
}

/** Two animation frames: whatever a gesture scheduled has been drawn. */
const settle = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Make the results panel tall (drag the splitter), as someone inspecting a raster would. */
async function tallResults(page: Page): Promise<void> {
  const sp = (await page.locator('.sf-splitter').boundingBox())!;
  await page.mouse.move(sp.x + sp.width / 2, sp.y + sp.height / 2);
  await page.mouse.down();
  await page.mouse.move(sp.x + sp.width / 2, 300, { steps: 5 });
  await page.mouse.up();
}

function summary(xs: number[]): { median: number; max: number; n: number; samples: number[] } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median: round(median), max: round(s[s.length - 1] ?? NaN), n: s.length, samples: xs.map(round) };
}
const round = (x: number) => Math.round(x * 100) / 100;

async function benchRaster(page: Page) {
  await open(page, 'million.spikeflow.json', MILLION);
  await page.getByTestId('run').click();
  await waitPhase(page, /^(finished|stopped|failed)$/, 180_000);
  const spikes = await page.evaluate(() => (window as unknown as { __spikeflow: Services }).__spikeflow.runner.spikes.kept('raster'));
  const canvas = page.getByTestId('raster');
  await settle(page);
  const box = (await canvas.boundingBox())!;
  const drawMs = async () => Number(await canvas.getAttribute('data-draw-ms'));
  const full = await drawMs();
  const zoom: number[] = [];
  const pan: number[] = [];
  // Zoom in step by step around the middle (each wheel step is one redraw).
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  for (let i = 0; i < REDRAWS; i++) {
    const before = await canvas.getAttribute('data-time-shown');
    await page.mouse.wheel(0, i < REDRAWS / 2 ? -120 : 100);
    await settle(page);
    if ((await canvas.getAttribute('data-time-shown')) !== before) zoom.push(await drawMs());
  }
  // Pan: drags of 40 px, left and right.
  for (let i = 0; i < REDRAWS; i++) {
    const before = await canvas.getAttribute('data-time-shown');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 3;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (i % 2 ? 40 : -40), y, { steps: 1 });
    await page.mouse.up();
    await settle(page);
    if ((await canvas.getAttribute('data-time-shown')) !== before) pan.push(await drawMs());
  }
  // Neuron-axis zoom (Shift+wheel) on the whole run, all spikes visible.
  await page.getByTestId('raster-reset-zoom').click();
  await settle(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  const rows: number[] = [];
  await page.keyboard.down('Shift');
  for (let i = 0; i < 10; i++) {
    const before = await canvas.getAttribute('data-rows-shown');
    await page.mouse.wheel(0, -120);
    await settle(page);
    if ((await canvas.getAttribute('data-rows-shown')) !== before) rows.push(await drawMs());
  }
  await page.keyboard.up('Shift');
  const size = { width: Math.round(box.width), height: Math.round(box.height) };
  return { spikes, canvas: size, fullViewMs: round(full), zoom: summary(zoom), pan: summary(pan), neuronZoom: summary(rows) };
}

async function benchRun(page: Page, durationMs: number, extHz: number, statsTab = false) {
  await open(page, 'brunel-100k.spikeflow.json', brunel100k(durationMs, extHz));
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
  });
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('run').click();
  await waitPhase(page, /^running$/, 300_000);
  if (statsTab) await page.getByTestId('results-tab-stats').click();
  const tRunning = await page.evaluate(() => performance.now());
  const draws: number[] = [];
  // Sample the live raster's draw time while the run goes on.
  for (;;) {
    const phase = await phaseOf(page);
    if (!/^(running|starting|stopping|paused)$/.test(phase)) break;
    if (!statsTab) draws.push(Number(await page.getByTestId('raster').getAttribute('data-draw-ms')));
    await page.waitForTimeout(250);
  }
  const phase = await phaseOf(page);
  const tEnd = await page.evaluate(() => performance.now());
  await settle(page);
  if (statsTab) await page.getByTestId('results-tab-raster').click();
  const { tasks, spikes } = await page.evaluate(() => ({
    tasks: (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
    spikes: (window as unknown as { __spikeflow: Services }).__spikeflow.runner.spikes.kept('raster'),
  }));
  // Building the network happens before 'running' (compile + plan transfer); count the run itself apart.
  const during = tasks.filter((t) => t.start >= tRunning);
  const longest = (ts: typeof tasks) => round(Math.max(0, ...ts.map((t) => t.duration)));
  return {
    neurons: 100_000,
    extHz,
    simulatedMs: durationMs,
    phase,
    wallMs: round(tEnd - tRunning),
    startMs: round(tRunning - t0),
    spikesShown: spikes,
    liveDrawMs: summary(draws.filter((d) => d > 0)),
    longTasks: {
      duringRun: { count: during.length, over50: during.filter((t) => t.duration > TARGET_MS).length, longestMs: longest(during) },
      includingStart: { count: tasks.length, over50: tasks.filter((t) => t.duration > TARGET_MS).length, longestMs: longest(tasks) },
      top: [...during]
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 5)
        .map((t) => ({ atMs: round(t.start - tRunning), durationMs: round(t.duration) })),
    },
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
  const runMs = args.includes('--run-ms') ? Number(args[args.indexOf('--run-ms') + 1]) : 2000;
  const extHz = args.includes('--ext-hz') ? Number(args[args.indexOf('--ext-hz') + 1]) : 9;
  // Diagnosis: without the canvas's activity badges and wire traffic, or with the results panel on another tab.
  const noActivity = args.includes('--no-activity');
  const statsTab = args.includes('--stats-tab');
  // Diagnosis: without keeping the run in the history (its copy and encoding at the end).
  const noHistory = args.includes('--no-history');
  const outDir = mkdtempSync(path.join(tmpdir(), 'spikeflow-bench-ui-'));
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server did not report a URL');
  const browser = await launchBrowser();
  const result: Record<string, unknown> = { date: new Date().toISOString(), chromium: browser.version(), targetMs: TARGET_MS };
  try {
    const fresh = async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.on('pageerror', (e) => console.error(`page error: ${String(e)}`));
      await page.goto(url);
      await page.getByTestId('palette-poisson-source').waitFor();
      await tallResults(page);
      return page;
    };
    if (only !== 'run') {
      const page = await fresh();
      const r = await benchRaster(page);
      await page.close();
      result.raster = r;
      const worst = Math.max(r.zoom.max, r.pan.max, r.neuronZoom.max);
      console.log(`raster: ${r.spikes.toLocaleString('en-US')} spikes on a ${r.canvas.width}×${r.canvas.height} canvas`);
      console.log(
        `  full view ${r.fullViewMs} ms; zoom median ${r.zoom.median} / max ${r.zoom.max} ms (${r.zoom.n}); pan median ${r.pan.median} / max ${r.pan.max} ms (${r.pan.n}); neuron zoom median ${r.neuronZoom.median} / max ${r.neuronZoom.max} ms (${r.neuronZoom.n})`,
      );
      console.log(`  ${worst < TARGET_MS ? 'PASS' : 'FAIL'} redraw < ${TARGET_MS} ms (worst ${worst} ms)`);
    }
    if (only !== 'raster') {
      const page = await fresh();
      if (noActivity) await page.getByTestId('activity-toggle').click();
      if (noHistory) await page.evaluate(() => (window as unknown as { __spikeflow: { runner: { finishedListeners: Set<unknown> } } }).__spikeflow.runner.finishedListeners.clear());
      result.variant = { noActivity, statsTab, noHistory };
      const r = await benchRun(page, runMs, extHz, statsTab);
      await page.close();
      result.run = r;
      const lt = r.longTasks.duringRun;
      console.log(`run: ${r.neurons.toLocaleString('en-US')} neurons, ${r.simulatedMs} ms simulated in ${r.wallMs} ms wall (${r.phase}), ${r.spikesShown.toLocaleString('en-US')} spikes drawn live`);
      console.log(
        `  live raster draw median ${r.liveDrawMs.median} / max ${r.liveDrawMs.max} ms; long tasks during the run: ${lt.count}, over ${TARGET_MS} ms: ${lt.over50}, longest ${lt.longestMs} ms`,
      );
      console.log(`  (with the start: longest ${r.longTasks.includingStart.longestMs} ms, ${r.longTasks.includingStart.over50} over ${TARGET_MS} ms)`);
      console.log(`  ${lt.over50 === 0 ? 'PASS' : 'FAIL'} no long task > ${TARGET_MS} ms while running`);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const text = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(path.join(dir, `ui-${stamp}.json`), text);
  writeFileSync(path.join(dir, 'ui-latest.json'), text);
  console.log(`wrote bench/results/ui-${stamp}.json`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
