/**
 * Files through the File System Access API (issue 11, item 6), in Debian Chromium.
 * Playwright cannot drive the native pickers, so an init script replaces
 * `showOpenFilePicker` / `showSaveFilePicker` with pickers that answer real
 * `FileSystemFileHandle`s from the origin-private file system (a real disk for the
 * browser: the handles are stored in IndexedDB, read with getFile and written with
 * createWritable exactly as picked files are). Everything else is the app's own path:
 * File › Open, an edit, Ctrl+S back into the same file, the recent list, a reload, and
 * the start screen reopening the file from disk as it is then. Screenshots go to
 * $TMPDIR/spikeflow-files/.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(process.env.TMPDIR ?? os.tmpdir(), 'spikeflow-files');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples/poisson-ei.spikeflow.json'), 'utf8');
const NAME = 'my-net.spikeflow.json';

interface AppWindow {
  __spikeflow: {
    editor: { doc: { nodes: unknown[]; simulation: { seed: number } }; dirty: boolean; state: { file: { path: string | null; fileName: string | null }; notice: { text: string } | null } };
  };
}

/**
 * Runs in the page before the app, on every load: pickers over the origin-private file
 * system. The open picker answers the file named in localStorage `fake-open` (a cancel
 * when none); the save picker the one in `fake-save`, created when missing. Each call is
 * counted in localStorage `fake-calls`.
 */
function fakePickers(): void {
  const count = (what: string) => {
    const calls = JSON.parse(localStorage.getItem('fake-calls') ?? '{}') as Record<string, number>;
    calls[what] = (calls[what] ?? 0) + 1;
    localStorage.setItem('fake-calls', JSON.stringify(calls));
  };
  const w = window as unknown as Record<string, unknown>;
  w.showOpenFilePicker = async () => {
    count('open');
    const name = localStorage.getItem('fake-open');
    if (!name) throw new DOMException('The user aborted a request.', 'AbortError');
    return [await (await navigator.storage.getDirectory()).getFileHandle(name)];
  };
  w.showSaveFilePicker = async () => {
    count('save');
    const name = localStorage.getItem('fake-save');
    if (!name) throw new DOMException('The user aborted a request.', 'AbortError');
    return (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
  };
}

describe.runIf(run)('files through the File System Access API', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  /** A file's text on the origin-private "disk", or null when there is none. */
  const disk = (name: string): Promise<string | null> =>
    page.evaluate(async (n) => {
      try {
        return await (await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile()).text();
      } catch {
        return null;
      }
    }, name);
  /** Another program writes the file. */
  const writeDisk = (name: string, text: string): Promise<void> =>
    page.evaluate(
      async ([n, t]) => {
        const out = await (await (await navigator.storage.getDirectory()).getFileHandle(n, { create: true })).createWritable();
        await out.write(t);
        await out.close();
      },
      [name, text] as const,
    );
  const calls = async (): Promise<Record<string, number>> => JSON.parse((await page.evaluate(() => localStorage.getItem('fake-calls'))) ?? '{}') as Record<string, number>;
  const state = () =>
    page.evaluate(() => {
      const e = (window as unknown as AppWindow).__spikeflow.editor;
      return { nodes: e.doc.nodes.length, seed: e.doc.simulation.seed, dirty: e.dirty, file: e.state.file, notice: e.state.notice?.text ?? null };
    });

  beforeAll(async () => {
    ({ browser, page, errors } = await openApp(inject('baseUrl'), { initScript: fakePickers }));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens a file through File › Open with the picker, and saves an edit back into the same file with Ctrl+S', async () => {
    await writeDisk(NAME, EXAMPLE);
    await page.evaluate((n) => localStorage.setItem('fake-open', n), NAME);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('menu-open').click();
    await page.waitForFunction((n) => (window as unknown as AppWindow).__spikeflow.editor.state.file.fileName === n, NAME);
    expect(await state()).toMatchObject({ nodes: 4, seed: 1, dirty: false, file: { path: null, fileName: NAME } });

    const seed = page.getByTestId('sim-seed');
    await seed.fill('7');
    await seed.press('Enter');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.dirty);
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Control+s');
    await page.waitForFunction(() => !(window as unknown as AppWindow).__spikeflow.editor.dirty);
    expect((await state()).notice).toBe(`Saved ${NAME}`);
    // Written into the file that was opened: no save picker, no download.
    expect(await calls()).toEqual({ open: 1 });
    const saved = JSON.parse((await disk(NAME))!) as { simulation: { seed: number }; nodes: unknown[] };
    expect(saved.simulation.seed).toBe(7);
    expect(saved.nodes).toHaveLength(4);
  });

  it('lists the file among the recent files of the File menu', async () => {
    await page.getByTestId('file-menu').click();
    await expect.poll(() => page.getByTestId('menu-recent-item').allTextContents()).toContain(NAME);
    await shot('file-menu-recent');
    await page.keyboard.press('Escape');
  });

  it('after a reload, reopens the file from the start screen as it is on disk now', async () => {
    // Another program changes the file after it was saved here.
    const text = (await disk(NAME))!.replace(/"seed": 7/, '"seed": 11');
    expect(text).toContain('"seed": 11');
    await writeDisk(NAME, text);
    await page.reload();
    await page.getByTestId('start-screen').waitFor();
    const item = page.getByTestId('start-recent-item').filter({ hasText: NAME });
    await item.waitFor();
    await shot('start-recent');
    await item.click();
    await page.waitForFunction((n) => (window as unknown as AppWindow).__spikeflow.editor.state.file.fileName === n, NAME);
    // The disk's version (seed 11), not the copy the browser kept when it saved (seed 7).
    expect(await state()).toMatchObject({ nodes: 4, seed: 11, dirty: false });
  });

  it('Save as asks where with the save picker, writes there, and lists the new file too', async () => {
    await page.evaluate(() => localStorage.setItem('fake-save', 'copy.spikeflow.json'));
    const before = await calls();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('menu-save-as').click();
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.state.file.fileName === 'copy.spikeflow.json');
    expect((await calls()).save).toBe((before.save ?? 0) + 1);
    expect((JSON.parse((await disk('copy.spikeflow.json'))!) as { simulation: { seed: number } }).simulation.seed).toBe(11);
    await page.getByTestId('file-menu').click();
    await expect.poll(() => page.getByTestId('menu-recent-item').allTextContents()).toEqual(expect.arrayContaining([NAME, 'copy.spikeflow.json']));
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});
