/** Launch Debian Chromium through playwright-core with the flags this machine needs; the app's page set up as the e2e tests use it. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../require-tool.ts';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * After opening a document: answer the "discard unsaved changes?" dialog if and
 * when it comes up (under load it can appear after a first look found none), and
 * resolve once `opened` says the document is in. Polls for up to `timeoutMs`.
 */
export async function answerDiscardUntil(page: Page, opened: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const confirm = page.getByTestId('confirm-ok');
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await confirm.isVisible().catch(() => false)) await confirm.click().catch(() => undefined);
    if (await opened().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`the document did not open within ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

export interface AppSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors of the page, in order (a test ends by expecting none). */
  readonly errors: string[];
}

/**
 * Chromium with the app open at `baseUrl` in a 1440×900 window, the palette drawn.
 * Dialogs ("leave with unsaved changes?") are accepted: the tests reload on purpose.
 * `clipboard` grants clipboard read and write; `initScript` runs in the page before
 * the app on every load (for example a fake File System Access picker).
 */
export async function openApp(baseUrl: string, options: { clipboard?: boolean; initScript?: () => void } = {}): Promise<AppSession> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => void d.accept());
  await page.goto(baseUrl);
  await page.getByTestId('palette-poisson-source').waitFor();
  return { browser, context, page, errors };
}

interface LevelCounts {
  __spikeflow: { editor: { view: { nodes: unknown[]; edges: unknown[] } } };
}

/** Drag a palette entry (test id `testId`) onto the canvas at page point (x, y); resolves once the node is in. */
export async function dragFromPalette(page: Page, testId: string, x: number, y: number): Promise<void> {
  const count = () => page.evaluate(() => (window as unknown as LevelCounts).__spikeflow.editor.view.nodes.length);
  const before = await count();
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.getByTestId(testId).scrollIntoViewIfNeeded();
  await page.getByTestId(testId).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: x - pane.x, y: y - pane.y } });
  await page.waitForFunction((n) => (window as unknown as LevelCounts).__spikeflow.editor.view.nodes.length === n + 1, before);
}

/** Drag a wire from output `fromPort` of `from` to input `toPort` of `to`; resolves once it is in. */
export async function dragWire(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as LevelCounts).__spikeflow.editor.view.edges.length);
  await page
    .locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${fromPort}"]`)
    .dragTo(page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target[data-handleid="${toPort}"]`));
  await page.waitForFunction((n) => (window as unknown as LevelCounts).__spikeflow.editor.view.edges.length === n + 1, before);
}
