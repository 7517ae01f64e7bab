/**
 * File › Import › NIR… and File › Export in Debian Chromium: a file written by the NIR
 * reference package (nir.write) imports through the dialog, shows on the canvas laid out,
 * and runs; a bad file shows its problems and changes nothing; the export dialog lists what
 * cannot be exported, exports with the user's consent, and the bytes load in the reference
 * reader (nir.read) holding the weights Spikeflow meant; the same dialog writes a Brian2 script.
 * Screenshots go to `$TMPDIR/spikeflow-nir/`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp, answerDiscardUntil } from './browser.ts';
import type { AppSession } from './browser.ts';
import { PYTHON, hasChromium, hasPythonModules, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';
import { readNir, writeNir } from '../../engine/interop/nir/hdf5.ts';
import { drawnDocument } from '../nir/documents.ts';
import { withDrawnSynapses } from '../../engine/hosts/drawn-synapses.ts';

const NIR_PACKAGE = process.env.SPIKEFLOW_NIR_REFERENCE ?? path.join(ROOT, '..', 'shared', 'oracles', 'nir');
const run =
  requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium') &&
  requireTool('Python 3 with h5py and numpy', hasPythonModules('h5py', 'numpy'), 'apt-get install -y python3-h5py python3-numpy') &&
  requireTool(`the NIR reference package (${NIR_PACKAGE})`, existsSync(path.join(NIR_PACKAGE, 'nir', 'serialization.py')), 'the checkout needs ../shared beside it, or set SPIKEFLOW_NIR_REFERENCE');

function python(args: string[], input?: string): string {
  return execFileSync(PYTHON, args, { env: { ...process.env, PYTHONPATH: NIR_PACKAGE, PYTHONDONTWRITEBYTECODE: '1' }, input, encoding: 'utf8', timeout: 120_000 });
}

interface AppWindow {
  __spikeflow: {
    editor: {
      doc: { meta: { name: string; description: string }; simulation: { dt_ms: number }; nodes: { id: string; kind: string; position: { x: number; y: number } }[]; edges: { id: string }[] };
      state: { run: { stats: { spikes: number; populations: { nodeId: string; spikes: number }[] } | null }; notice: { text: string } | null };
    };
  };
}

const SHOTS = path.join(tmpdir(), 'spikeflow-nir');

describe.runIf(run)('NIR import and export in the app', () => {
  let app: AppSession;
  let page: Page;
  let errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-nir-e2e-'));

  const doc = () => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc);

  async function chooseFromFileMenu(testId: string, file?: string): Promise<void> {
    await page.getByTestId('file-menu').click();
    if (!file) {
      await page.getByTestId(testId).click();
      return;
    }
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId(testId).click()]);
    await chooser.setFiles(file);
  }

  /** Presses Export, saves the download as `name` in `dir`, and returns its suggested name and `expr` (Python, over `g = nir.read(file)`) as JSON. */
  async function exportAndRead(name: string, expr: string) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ok').click()]);
    const file = path.join(dir, name);
    await download.saveAs(file);
    const read = JSON.parse(python(['-c', ['import json, sys, nir', 'g = nir.read(sys.argv[1])', `print(json.dumps(${expr}))`].join('\n'), file], undefined));
    return { suggested: download.suggestedFilename(), read };
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    python([path.join(ROOT, 'test', 'nir', 'nir_reference.py'), 'write', dir]);
    app = await openApp(inject('baseUrl'));
    ({ page, errors } = app);
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  it('imports a reference-written recurrent CubaLIF network through the dialog, laid out, and runs it', async () => {
    await chooseFromFileMenu('menu-importNir', path.join(dir, 'uniform-cubalif.nir'));
    const dialog = page.getByTestId('nir-import-dialog');
    await dialog.waitFor();
    // The file's metadata dt (1e-4 s) and the guesses: seconds (τ below 1), subtract (every v_reset is 0).
    expect(await page.getByTestId('nir-dt').inputValue()).toBe('0.1');
    expect(await page.getByTestId('nir-time-unit').inputValue()).toBe('s');
    expect(await page.getByTestId('nir-reset').inputValue()).toBe('subtract');
    expect(await page.getByTestId('nir-import-summary').textContent()).toContain('3 nodes and 3 wires will be imported; 0 NIR node(s) will not');
    // A Poisson generator as the input, so the run has spikes to carry.
    await page.getByTestId('nir-input').selectOption('poisson-source');
    await page.screenshot({ path: path.join(SHOTS, 'import-dialog.png') });
    await page.getByTestId('nir-import-ok').click();
    await answerDiscardUntil(page, async () => (await doc()).nodes.length === 3);
    const d = await doc();
    expect(d.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['input', 'poisson-source'],
      ['lif', 'lif-curr-exp'],
      ['output', 'spike-monitor'],
    ]);
    expect(d.simulation.dt_ms).toBeCloseTo(0.1, 12);
    // Laid out in layers, left to right.
    const x = Object.fromEntries(d.nodes.map((n) => [n.id, n.position.x]));
    expect(x.input).toBeLessThan(x.lif);
    expect(x.lif).toBeLessThan(x.output);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, 'imported.png') });
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /finished/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
    const stats = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.run.stats);
    expect(stats?.populations.find((p) => p.nodeId === 'input')?.spikes).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'imported-run.png') });
  });

  it('shows the imported document with same-step delivery on in its simulation settings, with the help text, and turns it off undoably', async () => {
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    const box = page.getByTestId('settings-same_step_delivery');
    await box.waitFor();
    expect(await box.isChecked()).toBe(true);
    expect(await page.getByTestId('settings-same-step-hint').textContent()).toMatch(/in its own step, as in NIR/);
    expect(await box.getAttribute('title')).toMatch(/zero-delay wire .* before that population's threshold/);
    const sim = () => page.evaluate(() => (window as unknown as { __spikeflow: { editor: { doc: { simulation: Record<string, unknown> } } } }).__spikeflow.editor.doc.simulation);
    expect((await sim()).same_step_delivery).toBe(true);
    await page.getByTestId('document-inspector').screenshot({ path: path.join(SHOTS, 'same-step-setting.png') });
    await box.uncheck();
    expect((await sim()).same_step_delivery).toBeUndefined();
    expect(await page.getByTestId('settings-same-step-hint').textContent()).toMatch(/next step/);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await sim()).same_step_delivery).toBe(true);
  });

  it('lists what a file holds that cannot be imported, with the reason, before importing', async () => {
    // The reference-written Scale → Threshold file, marked as Dirac input: a Threshold holds per-step values only.
    const graph = await readNir(new Uint8Array(readFileSync(path.join(dir, 'scale-threshold.nir'))));
    writeFileSync(path.join(dir, 'threshold-dirac.nir'), await writeNir({ ...graph, metadata: { ...graph.metadata, spike_input: 'dirac' } }));
    await chooseFromFileMenu('menu-importNir', path.join(dir, 'threshold-dirac.nir'));
    await page.getByTestId('nir-import-dialog').waitFor();
    const lines = await page.getByTestId('nir-not-imported').locator('li').allTextContents();
    expect(lines.some((l) => l.startsWith('not importable: node threshold (Threshold) — a Threshold is imported only with per-step input'))).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'import-not-imported.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('nir-import-dialog').count()).toBe(0);
    expect((await doc()).nodes.map((n) => n.id)).toEqual(['input', 'lif', 'output']);
  });

  it('shows the problems of a bad file, naming the node and field, and leaves the document as it was', async () => {
    const bad = path.join(dir, 'bad.nir');
    writeFileSync(bad, 'not an HDF5 file at all');
    await chooseFromFileMenu('menu-importNir', bad);
    await page.getByTestId('nir-import-error').waitFor();
    expect(await page.getByTestId('nir-import-problems').textContent()).toContain('not an HDF5 file');
    await page.getByTestId('nir-import-error').getByRole('button', { name: 'OK' }).click();
    await chooseFromFileMenu('menu-importNir', path.join(dir, 'bad-float16.nir'));
    await page.getByTestId('nir-import-error').waitFor();
    expect(await page.getByTestId('nir-import-problems').textContent()).toContain('node/nodes/lif (LIF), field r');
    await page.screenshot({ path: path.join(SHOTS, 'import-error.png') });
    await page.getByTestId('nir-import-error').getByRole('button', { name: 'OK' }).click();
    expect((await doc()).nodes.map((n) => n.id)).toEqual(['input', 'lif', 'output']);
  });

  it('export lists the Poisson input as not exportable, then with consent writes bytes the reference reader loads', async () => {
    await chooseFromFileMenu('menu-exportNir');
    await page.getByTestId('export-dialog').waitFor();
    expect(await page.getByTestId('export-blocked').textContent()).toContain('not exportable: input (poisson-source) — Poisson input has no NIR form');
    expect(await page.getByTestId('export-ok').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'export-blocked.png') });
    await page.getByTestId('export-consent').check();
    await expect.poll(() => page.getByTestId('export-blocked').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'export-consent.png') });
    const { suggested, read } = await exportAndRead(
      'exported.nir',
      '{"types": {k: type(n).__name__ for k, n in g.nodes.items()}, "edges": [list(e) for e in g.edges], "w_in": g.nodes["w_in"].weight.tolist(), "tau_mem": g.nodes["lif"].tau_mem.tolist(), "dt": float(g.metadata["dt"])}',
    );
    expect(suggested).toBe('uniform-cubalif.nir');
    expect(read.types).toMatchObject({ input: 'Input', lif: 'CubaLIF', output: 'Output', w_in: 'Linear', w_rec: 'Linear' });
    expect(read.edges).toContainEqual(['lif', 'output']);
    // The reference file's weights come back with R (2) and w_in (1.5) folded in: 2 · 1.5 · 0.5 = 1.5 all to all; τ_mem 0.01 s, dt 1e-4 s.
    expect(read.w_in.flat().every((w: number) => Math.abs(w - 1.5) < 1e-12)).toBe(true);
    expect(read.tau_mem).toEqual([0.01, 0.01, 0.01]);
    expect(read.dt).toBeCloseTo(1e-4, 15);
  });

  it('the same dialog, as a table of formats, writes a Brian2 script', async () => {
    await chooseFromFileMenu('menu-exportBrian2');
    await page.getByTestId('export-dialog').waitFor();
    expect(await page.getByTestId('export-format-brian2').isChecked()).toBe(true);
    expect(await page.getByTestId('export-formats').locator('tr').count()).toBe(3); // NIR, Brian2, PyNN
    await page.screenshot({ path: path.join(SHOTS, 'export-brian2.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ok').click()]);
    expect(download.suggestedFilename()).toBe('uniform-cubalif.py');
    const file = path.join(dir, 'exported.py');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).toContain('from brian2 import *');
    expect(errors).toEqual([]);
  });

  it('export refuses drawn connectivity by wire, and with consent writes the synapses drawn under the seed, which the reference reader loads', async () => {
    const drawn = drawnDocument();
    await page.evaluate((d) => (window as unknown as { __spikeflow: { editor: { load(doc: unknown): void } } }).__spikeflow.editor.load(d), drawn as unknown);
    await chooseFromFileMenu('menu-exportNir');
    await page.getByTestId('export-dialog').waitFor();
    const blocked = await page.getByTestId('export-blocked').textContent();
    expect(blocked).toContain('not exportable: g_a (wire gen → a) — its connectivity "bernoulli" is drawn by the engine');
    expect(blocked).toContain('not exportable: a_b (wire a → b) — its weight and delay must each be one number, or be drawn by the engine');
    await page.getByTestId('export-consent').check();
    await expect.poll(() => page.getByTestId('export-blocked').count()).toBe(0);
    const notes = await page.getByTestId('export-notes').textContent();
    expect(notes).toMatch(/g_a: its \d+ drawn synapses are written as the engine draws them under seed 1/);
    await page.screenshot({ path: path.join(SHOTS, 'export-drawn.png') });
    const { read } = await exportAndRead('drawn.nir', '{"g_a": int((g.nodes["g_a"].weight != 0).sum()), "types": {k: type(n).__name__ for k, n in g.nodes.items()}}');
    // The same synapses the engine draws for the document's seed (engine/hosts/drawn-synapses.ts, as the CLI).
    const expected = (withDrawnSynapses(drawn).doc.edges.find((e) => e.id === 'g_a')!.weights as { pre: number[] }).pre.length;
    expect(read.g_a).toBe(expected);
    expect(read.types).toMatchObject({ gen: 'Input', a: 'LIF', b: 'CubaLIF', g_a: 'Linear' });
  });
});
