/**
 * Image folders in the app, in Debian Chromium: the dataset node's "Choose
 * folder…" (a folder input in a browser) reads a folder of class sub-folders of
 * PNG/PGM images written here; the engine worker decodes it. A folder without
 * class sub-folders, one with an unreadable image and one with mixed sizes are
 * each named on the field, and a run then is refused naming the node and field;
 * a good folder shows its sample count and classes, and the network trains on
 * it. Screenshot: `/tmp/image-folder.png`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Page } from 'playwright-core';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp, answerDiscardUntil, type AppSession } from './browser.ts';
import { ROOT } from '../helpers.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { serializeDocument } from '../../engine/format/load.ts';
import { smallTrainingDocument } from '../../engine/test-support/test-docs.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { Rng } from '../../engine/sim/rng.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
/** 5 × 3 PNGs (test/fixtures/images). */
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'images');

interface AppWindow {
  __spikeflow: {
    editor: { doc: GraphDocument; state: { run: { phase: string; issues: { nodeId?: string; field?: string; message: string }[] } } };
    runner: { learning: { summary: { trainSamples: number; testSamples: number; epochs: number } | null } };
  };
}

const phase = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.phase);

/** A binary PGM of `w` × `h` pixels. */
const pgm = (w: number, h: number, px: Uint8Array) => Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`), Buffer.from(px)]);

/** `root/<name>/<class>/NNN.pgm`: 20 images of 5 × 3 per class, class c lighting row c (plus seeded noise); two fixture PNGs join class "bar". */
function shapes(root: string, name: string): string {
  const dir = path.join(root, name);
  const rng = new Rng(5, name);
  const classes = ['bar', 'dot', 'ring'];
  classes.forEach((c, label) => {
    mkdirSync(path.join(dir, c), { recursive: true });
    for (let k = 0; k < 20; k++) {
      const px = new Uint8Array(15);
      for (let j = 0; j < 15; j++) px[j] = Math.floor(40 * rng.uniform()) + (Math.floor(j / 5) === label ? 200 : 0);
      writeFileSync(path.join(dir, c, `${String(k).padStart(3, '0')}.pgm`), pgm(5, 3, px));
    }
  });
  copyFileSync(path.join(FIXTURES, 'gray.png'), path.join(dir, 'bar', 'zz-gray.png'));
  copyFileSync(path.join(FIXTURES, 'rgb.png'), path.join(dir, 'bar', 'zz-rgb.png'));
  return dir;
}

/** The small training network (engine/test-support) with its encoder naming the image folder `shapes`. */
function folderDocument(): string {
  const doc = smallTrainingDocument({ epochs: 3, trainer: { check_in_simulation: false } });
  Object.assign(doc.nodes[0].params, { input: 'file', file: 'shapes', labels_file: '', sample_count: 0 });
  // Side by side on the canvas, so each node can be clicked.
  const nodes = doc.nodes.map((n, i) => ({ ...n, position: { x: 40 + 300 * i, y: 160 } }));
  return serializeDocument({ ...doc, nodes });
}

describe.runIf(run)('image folders in the app', () => {
  let app: AppSession;
  let page: Page;
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-image-folder-'));

  beforeAll(async () => {
    app = await openApp(inject('baseUrl'));
    page = app.page;
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  it('names a folder without classes, an unreadable image and mixed sizes on the field, then trains on a good folder showing its samples and classes', async () => {
    const good = shapes(dir, 'shapes');
    // Images directly in the folder, no class sub-folders.
    mkdirSync(path.join(dir, 'flat'));
    writeFileSync(path.join(dir, 'flat', '1.pgm'), pgm(5, 3, new Uint8Array(15)));
    const broken = shapes(dir, 'broken');
    writeFileSync(path.join(broken, 'dot', 'zz-broken.png'), 'not a png at all');
    const mixed = shapes(dir, 'mixed');
    writeFileSync(path.join(mixed, 'ring', 'zz-big.pgm'), pgm(4, 4, new Uint8Array(16)));

    writeFileSync(path.join(dir, 'folder.spikeflow.json'), folderDocument());
    await page.getByTestId('open-file-input').setInputFiles(path.join(dir, 'folder.spikeflow.json'));
    // The document names a folder this session has not read: open it anyway.
    await page.getByTestId('load-open-anyway').click({ timeout: 30_000 });
    await answerDiscardUntil(page, async () => (await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length)) === 4);
    await page.locator('.react-flow__node[data-id="enc"] .sf-node-head').click();
    expect(await page.getByTestId('dataset-choose-folder-file').textContent()).toBe('Choose folder…');
    // The labels fields take no folder.
    expect(await page.getByTestId('dataset-choose-folder-labels_file').count()).toBe(0);

    const status = () => page.getByTestId('dataset-status-file').textContent();
    const refusedOn = async (pattern: RegExp) => {
      await page.getByTestId('run').click();
      await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('refused');
      const issues = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.issues);
      expect(issues[0]?.nodeId).toBe('enc');
      expect(issues[0]?.message).toMatch(pattern);
    };
    const folderInput = page.getByTestId('dataset-folder-file');
    await folderInput.setInputFiles(path.join(dir, 'flat'));
    await expect.poll(status, { timeout: 30_000 }).toMatch(/^flat is a folder without class sub-folders holding images/);
    await refusedOn(/file.*flat.*without class sub-folders/);
    await folderInput.setInputFiles(broken);
    await expect.poll(status, { timeout: 30_000 }).toMatch(/^broken is an image folder whose image "dot\/zz-broken\.png" is /);
    await refusedOn(/file.*broken.*"dot\/zz-broken\.png"/);
    await folderInput.setInputFiles(mixed);
    await expect.poll(status, { timeout: 30_000 }).toBe('mixed is an image folder whose image "ring/zz-big.pgm" is 4×4 pixels but "bar/000.pgm" is 5×3; all images need one size');
    await refusedOn(/file.*mixed.*all images need one size/);

    await folderInput.setInputFiles(good);
    await expect.poll(status, { timeout: 30_000 }).toBe('shapes/: 62 images of 5×3 pixels in 3 classes (bar, dot, ring)');
    const params = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'enc')!.params);
    expect(params.file).toBe('shapes');
    expect(params.labels_file).toBe('');
    await page.screenshot({ path: '/tmp/image-folder.png' });
    await page.getByTestId('run').click();
    await expect.poll(() => phase(page), { timeout: 180_000 }).toBe('finished');
    const summary = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.runner.learning.summary);
    expect(summary?.epochs).toBe(3);
    expect((summary?.trainSamples ?? 0) + (summary?.testSamples ?? 0)).toBe(62);
    await page.getByTestId('results-tab-learning').click();
    await page.screenshot({ path: '/tmp/image-folder-trained.png' });
    expect(app.errors).toEqual([]);
  }, 300_000);
});
