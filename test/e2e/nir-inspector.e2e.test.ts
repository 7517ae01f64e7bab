/**
 * The inspector on an imported NIR LIF whose parameters differ per neuron: it says the value
 * is per neuron, summarises it (n, min, mean, max, a histogram), edits it as text, loads it
 * from a .npy and a .csv file (parsed in the page), and turns it into one value.
 * Screenshot: `$TMPDIR/spikeflow-nir/inspector-per-neuron.png`.
 */
import { describe, it, expect, afterAll, inject } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp, answerDiscardUntil } from './browser.ts';
import type { AppSession } from './browser.ts';
import { writeNir } from '../../engine/interop/nir/hdf5.ts';
import { filled, ints, nirGraph, nirNode, tensor } from '../../engine/interop/nir/model.ts';
import { encodeNpy } from '../../engine/format/npz.ts';
import { hasChromium, requireTool } from '../require-tool.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(tmpdir(), 'spikeflow-nir');

interface AppWindow {
  __spikeflow: { editor: { doc: { nodes: { id: string; params: Record<string, unknown> }[] } } };
}

describe.runIf(run)('per-neuron parameters in the inspector', () => {
  let app: AppSession | undefined;
  afterAll(async () => {
    await app?.browser.close();
  });
  const tau = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'lif')?.params.tau_m_ms);

  it('shows a per-neuron array with its summary, edits it, loads it from .npy and .csv, and makes it one value', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-nir-inspector-'));
    const graph = nirGraph(
      [
        ['input', nirNode('Input', { shape: ints([4]) })],
        ['lif', nirNode('LIF', { tau: tensor([0.01, 0.02, 0.02, 0.05]), r: filled([4], 1), v_leak: filled([4], 0), v_threshold: filled([4], 1), v_reset: filled([4], 0) })],
        ['output', nirNode('Output', { shape: ints([4]) })],
      ],
      [
        ['input', 'lif'],
        ['lif', 'output'],
      ],
    );
    writeFileSync(path.join(dir, 'net.nir'), await writeNir(graph));
    writeFileSync(path.join(dir, 'tau.npy'), encodeNpy(Float64Array.from([5, 6, 7, 8]), [4]));
    writeFileSync(path.join(dir, 'tau.csv'), 'tau_m_ms\n11\n12\n13\n14\n');
    writeFileSync(path.join(dir, 'short.csv'), '1,2\n');
    app = await openApp(inject('baseUrl'));
    const { page } = app;
    await page.getByTestId('file-menu').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('menu-importNir').click()]);
    await chooser.setFiles(path.join(dir, 'net.nir'));
    await page.getByTestId('nir-import-ok').click();
    await answerDiscardUntil(page, async () => (await tau(page)) !== undefined);
    await page.locator('.react-flow__node[data-id="lif"]').click();
    const summary = page.getByTestId('param-tau_m_ms-per-neuron');
    await expect.poll(() => summary.textContent()).toBe('per neuron: 4 values, min 10, mean 25, max 50 ms');
    expect(await page.getByTestId('param-tau_m_ms-histogram').locator('rect').count()).toBe(12);
    await page.screenshot({ path: path.join(SHOTS, 'inspector-per-neuron.png') });
    // Edit as text.
    await page.getByTestId('param-tau_m_ms-edit').click();
    await page.getByTestId('param-tau_m_ms').fill('10, 20, 30, 40');
    await page.getByTestId('param-tau_m_ms').press('Tab');
    await expect.poll(() => tau(page)).toEqual([10, 20, 30, 40]);
    await page.getByTestId('param-tau_m_ms-edit').click();
    // Load from a .npy, then a CSV with a header.
    for (const [file, want] of [
      ['tau.npy', [5, 6, 7, 8]],
      ['tau.csv', [11, 12, 13, 14]],
    ] as const) {
      const [pick] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('param-tau_m_ms-load').click()]);
      await pick.setFiles(path.join(dir, file));
      await expect.poll(() => tau(page)).toEqual(want);
    }
    // A file of the wrong length is refused by name, and changes nothing.
    const [pick] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('param-tau_m_ms-load').click()]);
    await pick.setFiles(path.join(dir, 'short.csv'));
    await expect.poll(() => page.getByTestId('param-tau_m_ms-error').textContent()).toBe('short.csv holds 2 values; this node has 4 neurons');
    expect(await tau(page)).toEqual([11, 12, 13, 14]);
    await page.screenshot({ path: path.join(SHOTS, 'inspector-per-neuron-loaded.png') });
    // Back to one value: the mean.
    await page.getByTestId('param-tau_m_ms-one').click();
    await expect.poll(() => tau(page)).toBe(12.5);
    expect(await page.getByTestId('param-tau_m_ms-per-neuron').count()).toBe(0);
    // And per neuron again from one value: n copies, then edited; each an undo step.
    await page.getByTestId('param-tau_m_ms-make-per-neuron').click();
    await expect.poll(() => tau(page)).toEqual([12.5, 12.5, 12.5, 12.5]);
    await expect.poll(() => summary.textContent()).toBe('per neuron: 4 values, min 12.5, mean 12.5, max 12.5 ms');
    await page.getByTestId('param-tau_m_ms-edit').click();
    await page.getByTestId('param-tau_m_ms').fill('12.5, 20, 12.5, 12.5');
    await page.getByTestId('param-tau_m_ms').press('Tab');
    await expect.poll(() => tau(page)).toEqual([12.5, 20, 12.5, 12.5]);
    await page.screenshot({ path: path.join(SHOTS, 'inspector-made-per-neuron.png') });
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => tau(page)).toEqual([12.5, 12.5, 12.5, 12.5]);
    await page.keyboard.press('Control+z');
    await expect.poll(() => tau(page)).toBe(12.5);
    expect(app.errors).toEqual([]);
  });

  it('labels a wire holding an imported weight matrix with its size and weight range, not its unused weight', async () => {
    // A fresh window: nothing of the last test's edits (or an open field) in the way.
    await app?.browser.close();
    app = await openApp(inject('baseUrl'));
    const page = app.page;
    const dir = mkdtempSync(path.join(tmpdir(), 'sf-nir-wire-'));
    const p = (v: number) => filled([2], v);
    const graph = nirGraph(
      [
        ['input', nirNode('Input', { shape: ints([3]) })],
        ['w', nirNode('Linear', { weight: tensor([0.5, -0.25, 0, 1.5, 0, 2], [2, 3]) })],
        ['lif', nirNode('LIF', { tau: p(0.01), r: p(1), v_leak: p(0), v_threshold: p(1), v_reset: p(0) })],
        ['output', nirNode('Output', { shape: ints([2]) })],
      ],
      [
        ['input', 'w'],
        ['w', 'lif'],
        ['lif', 'output'],
      ],
      { dt: filled([], 1e-4) },
    );
    writeFileSync(path.join(dir, 'matrix.nir'), await writeNir(graph));
    await page.getByTestId('file-menu').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('menu-importNir').click()]);
    await chooser.setFiles(path.join(dir, 'matrix.nir'));
    await page.getByTestId('nir-import-ok').click();
    const edges = () => page.evaluate(() => (window as unknown as { __spikeflow: { editor: { doc: { edges: { id: string }[] } } } }).__spikeflow.editor.doc.edges.map((e) => e.id));
    try {
      await answerDiscardUntil(page, async () => (await edges()).includes('w'));
    } finally {
      await page.screenshot({ path: path.join(SHOTS, 'wire-matrix-import.png') });
    }
    await page.screenshot({ path: path.join(SHOTS, 'wire-matrix-imported.png') });
    // W·dt/τ = W·0.01 mV: 4 of 6 set, so a dense [target][source] matrix.
    await expect.poll(() => page.getByTestId('wire-label-w').textContent()).toBe('matrix 2×3 · -0.0025…0.02 mV · exc');
    await page.screenshot({ path: path.join(SHOTS, 'wire-matrix-label.png') });
    expect(app.errors).toEqual([]);
  });
});
