/**
 * The inspector's model-library tools, in Debian Chromium: a spike generator's
 * "Import CSV…", a long spike list shown as a summary and edited as text, an
 * encoder's dataset (typed into its text area, imported from CSV, refused when
 * broken), a plastic projection's wires, and presets applied as one undo step.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { KINDS, getKind } from '../../engine/kinds/index.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');

interface DocNode {
  id: string;
  kind: string;
  label: string;
  params: Record<string, unknown>;
}
interface AppWindow {
  __spikeflow: {
    editor: {
      doc: { nodes: DocNode[]; edges: { id: string }[] };
      state: { past: { label: string }[] };
      addNode(kind: string, p: { x: number; y: number }): string;
      connect(s: { node: string; port: string }, t: { node: string; port: string }): { ok: boolean };
    };
  };
}

const docOf = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc);
const nodeOf = async (page: Page, id: string) => (await docOf(page)).nodes.find((n) => n.id === id)!;
const historyOf = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.past.map((e) => e.label));

async function newDocument(page: Page): Promise<void> {
  await page.getByTestId('file-menu').click();
  await page.getByTestId('menu-new').click();
  const ok = page.getByTestId('confirm-ok');
  await ok.or(page.locator('.sf-canvas-empty')).first().waitFor();
  if (await ok.isVisible()) await ok.click();
  await expect.poll(async () => (await docOf(page)).nodes.length).toBe(0);
}

/** Add a node through the editor and select it by clicking it on the canvas. */
async function addAndSelect(page: Page, kind: string, x = 200, y = 120): Promise<string> {
  const id = await page.evaluate(({ kind, x, y }) => (window as unknown as AppWindow).__spikeflow.editor.addNode(kind, { x, y }), { kind, x, y });
  await page.locator(`.react-flow__node[data-id="${id}"] .sf-node-head`).click();
  await expect.poll(() => page.getByTestId('node-id').textContent()).toBe(id);
  return id;
}

describe.runIf(run)('the inspector', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-inspector-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('imports a spike CSV into a spike generator as one undo step, raising the channel count', async () => {
    await newDocument(page);
    const gen = await addAndSelect(page, 'spike-generator');
    const before = await historyOf(page);
    await page.getByTestId('import-file-times_ms').setInputFiles(file('three.csv', 'neuron,t_ms\n0,5\n4,12.5\n2,7\n'));
    await expect.poll(async () => (await nodeOf(page, gen)).params).toMatchObject({ neurons: [0, 4, 2], times_ms: [5, 12.5, 7], size: 5 });
    expect(await historyOf(page)).toEqual([...before, 'Import three.csv into spike1']);
    await expect.poll(() => page.getByTestId('import-status-times_ms').textContent()).toMatch(/3 spikes, 5–12\.5 ms, on 5 channels/);
    // The node view follows: 5 channels.
    await expect.poll(() => page.locator(`.react-flow__node[data-id="${gen}"] .sf-node-params`).textContent()).toMatch(/Channels\s*5/);
    await page.getByTestId('undo').click();
    await expect.poll(async () => (await nodeOf(page, gen)).params).toMatchObject({ neurons: [0], times_ms: [10], size: 1 });
    expect(errors).toEqual([]);
  });

  it('shows a broken CSV’s line and field on the field and changes nothing', async () => {
    const gen = (await docOf(page)).nodes[0].id;
    const before = await nodeOf(page, gen);
    const history = await historyOf(page);
    await page.getByTestId('import-file-times_ms').setInputFiles(file('bad.csv', 'neuron,t_ms\n0,5\n1,soon\n'));
    await expect.poll(() => page.getByTestId('param-times_ms-error').textContent()).toMatch(/bad\.csv: line 3, field t_ms: "soon" is not a time/);
    expect(await nodeOf(page, gen)).toEqual(before);
    expect(await historyOf(page)).toEqual(history);
  });

  it('summarises thousands of spike times, and edits them as text when asked', async () => {
    const gen = (await docOf(page)).nodes[0].id;
    const rows = ['neuron,t_ms', ...Array.from({ length: 3000 }, (_, i) => `${i % 50},${(i * 0.3).toFixed(1)}`)];
    await page.getByTestId('import-file-times_ms').setInputFiles(file('many.csv', rows.join('\n')));
    await expect.poll(async () => ((await nodeOf(page, gen)).params.times_ms as number[]).length).toBe(3000);
    // A summary, not a text box of 3000 numbers.
    await expect.poll(() => page.getByTestId('param-times_ms-summary').textContent()).toBe('3,000 values, 0–899.7 ms');
    expect(await page.getByTestId('param-times_ms').count()).toBe(0);
    expect(await page.getByTestId('param-neurons-summary').textContent()).toBe('3,000 values, 0–49');

    await page.getByTestId('param-times_ms-edit').click();
    const box = page.getByTestId('param-times_ms');
    expect(await box.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    expect((await box.inputValue()).split(', ')).toHaveLength(3000);
    await box.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(', 950');
    await expect.poll(async () => ((await nodeOf(page, gen)).params.times_ms as number[]).slice(-2)).toEqual([899.7, 950]);
    // One more time than channel entries: the field says so.
    await expect.poll(() => page.getByTestId('param-times_ms-error').textContent()).toMatch(/one time per channel entry \(3000 channels, 3001 times\)/);
    // A typo keeps the text and the document; fixing it commits again.
    await page.keyboard.type('x');
    await expect.poll(() => page.getByTestId('param-times_ms-error').textContent()).toMatch(/item 3001 \("950x"\) is not a number/);
    expect(((await nodeOf(page, gen)).params.times_ms as number[]).at(-1)).toBe(950);
    await page.keyboard.press('Backspace');
    await page.getByTestId('param-times_ms-done').click();
    await expect.poll(() => page.getByTestId('param-times_ms-summary').textContent()).toBe('3,001 values, 0–950 ms');
    // The whole typing session is one undo step.
    await page.getByTestId('undo').click();
    await expect.poll(async () => ((await nodeOf(page, gen)).params.times_ms as number[]).length).toBe(3000);
    expect(errors).toEqual([]);
  });

  it('edits an encoder’s dataset in a text area, imports a CSV, refuses a broken one, and runs on it', async () => {
    await newDocument(page);
    const enc = await addAndSelect(page, 'rate-encoder', 100, 100);
    await page.getByTestId('param-input').selectOption('custom');
    const box = page.getByTestId('param-custom_data');
    expect(await box.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    expect(await box.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i);
    await expect.poll(() => page.getByTestId('param-custom_data-error').textContent()).toMatch(/is empty/);

    await box.fill('1,0.5,1\n0,1,0.25');
    await expect.poll(async () => (await nodeOf(page, enc)).params.custom_data).toBe('1,0.5,1\n0,1,0.25');
    await expect.poll(() => page.getByTestId('import-status-custom_data').textContent()).toBe('2 samples × 2 values, labels 0–1');
    expect(await page.getByTestId('param-custom_data-error').count()).toBe(0);

    const before = await nodeOf(page, enc);
    await page.getByTestId('import-file-custom_data').setInputFiles(file('pixels.csv', 'label,p0,p1\n3,0,200\n'));
    await expect.poll(() => page.getByTestId('param-custom_data-error').textContent()).toMatch(/pixels\.csv: line 2, field p1: 200 is above the maximum value 1.*Value of 1/);
    expect(await nodeOf(page, enc)).toEqual(before);

    const csv = 'label,a,b,c,d\n0,0,0.5,1,0.75\n1,1,0.25,0,0.5\n2,0.5,0.5,0.5,0.5\n';
    await page.getByTestId('import-file-custom_data').setInputFiles(file('four.csv', csv));
    await expect.poll(async () => (await nodeOf(page, enc)).params.custom_data).toBe(csv);
    await expect.poll(() => page.getByTestId('import-status-custom_data').textContent()).toMatch(/Imported 3 samples × 4 values, labels 0–2 \(from four\.csv\)/);
    await expect.poll(() => page.getByTestId('param-custom_data').inputValue()).toBe(csv);

    // It runs: four channels of Poisson spikes, recorded by a monitor.
    const mon = await page.evaluate((enc) => {
      const ed = (window as unknown as AppWindow).__spikeflow.editor;
      const m = ed.addNode('spike-monitor', { x: 450, y: 100 });
      ed.connect({ node: enc, port: 'spikes' }, { node: m, port: 'spikes' });
      return m;
    }, enc);
    const duration = page.getByTestId('sim-duration_ms');
    await duration.fill('300');
    await duration.press('Enter');
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/finished/);
    await page.getByTestId(`results-tab-${mon}`).click();
    await expect.poll(async () => Number(await page.getByTestId('raster').getAttribute('data-spike-count'))).toBeGreaterThan(0);
    await page.getByTestId('results-tab-stats').click();
    const cells = page.getByTestId(`run-stats-row-${enc}`).locator('td');
    await expect.poll(() => cells.allTextContents()).toEqual(['Rate encoder', '4', expect.stringMatching(/^[1-9][\d,]*$/), expect.any(String)]);
    expect(errors).toEqual([]);
  });

  it('sends a plastic projection’s wires to the plasticity node that holds their parameters', async () => {
    for (const kind of KINDS.filter((k) => k.runtime.role === 'plasticity')) {
      await newDocument(page);
      const pre = kind.inputs.find((p) => p.role === 'plastic')!.id;
      const { node, out } = await page.evaluate(
        ({ kindId, pre, post }) => {
          const ed = (window as unknown as AppWindow).__spikeflow.editor;
          const src = ed.addNode('poisson-source', { x: 0, y: 100 });
          const node = ed.addNode(kindId, { x: 300, y: 100 });
          const lif = ed.addNode('lif-curr-exp', { x: 600, y: 100 });
          ed.connect({ node: src, port: 'spikes' }, { node, port: pre });
          ed.connect({ node, port: post }, { node: lif, port: 'in' });
          return { node, out: ed.doc.edges[1].id };
        },
        { kindId: kind.id, pre, post: kind.outputs[0].id },
      );
      // The wire's label shows the node's projection, and its inspector points at the node.
      const label = page.getByTestId(`wire-label-${out}`);
      await expect.poll(() => label.textContent()).toMatch(new RegExp(`^${node} · `));
      await label.click();
      await expect.poll(() => page.getByTestId('edge-held-by').textContent()).toMatch(/plastic projection/i);
      expect(await page.getByTestId('edge-inspector').locator('[data-testid^="param-"]').count()).toBe(0);
      await page.getByTestId('edge-select-holder').click();
      await expect.poll(() => page.getByTestId('node-id').textContent()).toBe(node);
    }
    expect(errors).toEqual([]);
  });

  it('applies a preset in one undo step, shows it as chosen, and the node view follows', async () => {
    for (const [kindId, presetName] of [
      ['izhikevich', 'Fast spiking (FS)'],
      ['adex', 'Initial burst (400 pA)'],
    ] as const) {
      await newDocument(page);
      const id = await addAndSelect(page, kindId);
      const preset = getKind(kindId)!.presets!.find((p) => p.name === presetName)!;
      const before = await nodeOf(page, id);
      const history = await historyOf(page);
      const picker = page.getByTestId('node-preset');
      // The defaults are the first preset.
      expect(await picker.inputValue()).toBe(getKind(kindId)!.presets![0].name);
      await picker.selectOption(presetName);
      await expect.poll(async () => (await nodeOf(page, id)).params).toMatchObject(preset.values);
      expect(await historyOf(page)).toEqual([...history, `Apply preset ${presetName} to ${id}`]);
      expect(await picker.inputValue()).toBe(presetName);
      // The node shows its first params; the preset changed at least one of them.
      const shown = await page.locator(`.react-flow__node[data-id="${id}"] .sf-node-params`).textContent();
      expect(shown).toContain(kindId === 'izhikevich' ? '0.1 1/ms' : '130 pF');
      // An edit away from the preset shows "Custom".
      const first = Object.keys(preset.values)[0];
      const field = page.getByTestId(`param-${first}`);
      await field.fill(String(Number(preset.values[first]) + 1));
      await field.press('Enter');
      await expect.poll(() => picker.inputValue()).toBe('');
      await page.getByTestId('undo').click();
      await page.getByTestId('undo').click();
      await expect.poll(async () => nodeOf(page, id)).toEqual(before);
    }
    expect(errors).toEqual([]);
  });
});
