/**
 * Explicit weights in the wire inspector, in Debian Chromium (the plain browser build):
 * "Load weights…" reads a `.npy` matrix and a `.csv` synapse list into a wire, the wire's
 * label says what it holds, and the run's spikes follow the loaded weights (only the
 * targets the file connects fire); a file of the wrong shape is refused by wire, field and
 * file and changes nothing; undo and "Clear explicit weights" go back. A document whose wire
 * names a side `.npy` asks for it when opened and at Run (a browser cannot read beside the
 * document), checks the picked file's name, and runs with it; cancelled, the run is refused
 * as before. Screenshots go to `$TMPDIR/spikeflow-wire-weights/`.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp, answerDiscardUntil } from './browser.ts';
import type { AppSession } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { encodeNpy } from '../../engine/format/npz.ts';
import { main } from '../../engine/hosts/cli.ts';

/** `spikeflow run FILE --json` in this process: its spike and synapse counts. */
async function cliRun(file: string): Promise<{ spikes: number; synapses: number }> {
  let out = '';
  let err = '';
  const code = await main(['run', file, '--json'], { out: (s) => void (out += `${s}\n`), err: (s) => void (err += `${s}\n`) });
  if (code !== 0) throw new Error(`spikeflow run ${file} failed (${code}): ${err}`);
  const r = JSON.parse(out) as { spikes: number; synapses: number };
  return { spikes: r.spikes, synapses: r.synapses };
}

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(tmpdir(), 'spikeflow-wire-weights');

interface AppWindow {
  __spikeflow: {
    editor: {
      doc: { edges: { id: string; weights?: unknown }[] };
      setSelection(s: { nodes: string[]; edges: string[] }): void;
      undo(): string | null;
      state: { run: { phase: string; issues: { message: string; edgeId?: string }[] } };
    };
    runner: { spikes: { get(id: string): { series: { neuron: Int32Array; count: number }[] } | undefined } };
  };
}

/** 4 generator channels, each spiking every 10 ms → 3 `lif-delta` neurons (θ = 20 mV), all-to-all at 1 mV: silent under the rule. */
function documentText(weights?: unknown): string {
  const times: number[] = [];
  const neurons: number[] = [];
  for (let t = 5; t < 100; t += 10) {
    for (let c = 0; c < 4; c++) {
      neurons.push(c);
      times.push(t);
    }
  }
  return JSON.stringify({
    format: 'spikeflow-graph',
    version: 2,
    meta: { name: 'Wire weights', description: '', created: '2026-12-07T00:00:00.000Z', modified: '2026-12-07T00:00:00.000Z' },
    simulation: { dt_ms: 0.1, duration_ms: 100, seed: 1 },
    nodes: [
      { id: 'gen', kind: 'spike-generator', label: 'Input', position: { x: 60, y: 200 }, params: { size: 4, neurons, times_ms: times } },
      { id: 'lif', kind: 'lif-delta', label: 'LIF', position: { x: 460, y: 200 }, params: { size: 3 } },
      { id: 'mon', kind: 'spike-monitor', label: 'Raster', position: { x: 820, y: 200 }, params: {} },
    ],
    edges: [
      {
        id: 'w_in',
        source: { node: 'gen', port: 'spikes' },
        target: { node: 'lif', port: 'in' },
        params: { rule: 'all-to-all', weight: 1, delay_ms: 1, receptor: 'exc' },
        ...(weights ? { weights } : {}),
      },
      { id: 'w_mon', source: { node: 'lif', port: 'spikes' }, target: { node: 'mon', port: 'spikes' }, params: {} },
    ],
  });
}

describe.runIf(run)('explicit weights from a file in the wire inspector', () => {
  let app: AppSession;
  let page: Page;
  let errors: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-wire-weights-'));
  const weights = () => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.edges.find((e) => e.id === 'w_in')?.weights);
  /** The neurons of the LIF population that fired in the last run, with their spike counts. */
  const firing = () =>
    page.evaluate(() => {
      const s = (window as unknown as AppWindow).__spikeflow.runner.spikes.get('mon')?.series[0];
      const out: Record<number, number> = {};
      for (let k = 0; k < (s?.count ?? 0); k++) out[s!.neuron[k]] = (out[s!.neuron[k]] ?? 0) + 1;
      return out;
    });
  const runToEnd = async () => {
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/finished/);
  };
  // Opened = the editor holds another document than before (every document here has two wires, so their
  // count alone is true at once, before the discard question is even asked and answered).
  const open = async (file: string) => {
    type Marked = AppWindow & { __before?: unknown };
    await page.evaluate(() => {
      const w = window as unknown as Marked;
      w.__before = w.__spikeflow.editor.doc;
    });
    await page.getByTestId('open-file-input').setInputFiles(file);
    await answerDiscardUntil(page, () =>
      page.evaluate(() => {
        const w = window as unknown as Marked;
        return w.__spikeflow.editor.doc !== w.__before && w.__spikeflow.editor.doc.edges.length === 2;
      }),
    );
  };
  const pick = async (file: string) => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('wire-weights-load').click()]);
    await chooser.setFiles(path.join(dir, file));
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(path.join(dir, 'net.spikeflow.json'), documentText());
    writeFileSync(path.join(dir, 'side.spikeflow.json'), documentText({ file: 'side.npy' }));
    // One row per target neuron: only target 1 gets input, 25 mV from each of the 4 sources.
    writeFileSync(path.join(dir, 'to-1.npy'), encodeNpy(Float64Array.from([0, 0, 0, 0, 25, 25, 25, 25, 0, 0, 0, 0]), [3, 4]));
    // The side file of side.spikeflow.json: only target 0.
    writeFileSync(path.join(dir, 'side.npy'), encodeNpy(Float64Array.from([25, 25, 25, 25, 0, 0, 0, 0, 0, 0, 0, 0]), [3, 4]));
    writeFileSync(path.join(dir, 'wrong.npy'), encodeNpy(new Float64Array(16).fill(25), [4, 4]));
    writeFileSync(path.join(dir, 'to-2.csv'), 'pre,post,w\n0,2,25\n3,2,25\n');
    app = await openApp(inject('baseUrl'));
    ({ page, errors } = app);
  });

  afterAll(async () => {
    await app?.browser.close();
  });

  it('loads a .npy matrix into the wire: the label says so, and only the connected target fires', async () => {
    await open(path.join(dir, 'net.spikeflow.json'));
    await runToEnd();
    expect(await firing()).toEqual({});
    await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.setSelection({ nodes: [], edges: ['w_in'] }));
    const status = page.getByTestId('wire-weights-status');
    expect(await status.textContent()).toBe('none: the rule and weight draw the synapses');
    await page.getByTestId('wire-weights-help').locator('summary').click();
    expect(await page.getByTestId('wire-weights-help').textContent()).toContain('Numbers are weights in mV (negative ones inhibit)');
    await page.screenshot({ path: path.join(SHOTS, 'inspector-control.png') });
    await page.getByTestId('wire-weights-help').locator('summary').click();

    await pick('to-1.npy');
    await expect.poll(weights).toEqual({
      dense: [
        [0, 0, 0, 0],
        [25, 25, 25, 25],
        [0, 0, 0, 0],
      ],
    });
    expect(await page.getByTestId('wire-weights-loaded').textContent()).toBe('Loaded a 3×4 matrix from to-1.npy');
    expect(await status.textContent()).toBe('matrix 3×4 · 0…25 mV (in the document; rule and weight unused)');
    expect(await page.getByTestId('wire-label-w_in').textContent()).toBe('matrix 3×4 · 0…25 mV · exc');
    await page.screenshot({ path: path.join(SHOTS, 'label-after-npy.png') });
    await runToEnd();
    const fired = await firing();
    expect(Object.keys(fired)).toEqual(['1']);
    // 10 volleys of 4 × 25 mV, each far above θ = 20 mV: one spike per volley.
    expect(fired[1]).toBe(10);
    // The document as the app holds it (weights inline) runs the same in the CLI.
    const saved = path.join(dir, 'loaded.spikeflow.json');
    writeFileSync(saved, JSON.stringify(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc)));
    expect(await cliRun(saved)).toEqual({ spikes: 10, synapses: 4 });
  });

  it('refuses a matrix of the wrong shape by wire, field and file, and keeps the loaded weights', async () => {
    const before = await weights();
    await pick('wrong.npy');
    const error = page.getByTestId('wire-weights-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Wire "w_in" (gen → lif), field weights.dense: has 4 rows, but the target "lif" has 3 neurons (one row per target neuron) (in the file "wrong.npy").');
    expect(await weights()).toEqual(before);
    await page.screenshot({ path: path.join(SHOTS, 'error-wrong-shape.png') });
  });

  it('loads a .csv synapse list, then undo and Clear explicit weights go back', async () => {
    await pick('to-2.csv');
    await expect.poll(weights).toEqual({ pre: [0, 3], post: [2, 2], w: [25, 25] });
    expect(await page.getByTestId('wire-label-w_in').textContent()).toBe('list 2 syn · 25 mV · exc');
    await page.screenshot({ path: path.join(SHOTS, 'label-after-csv.png') });
    await runToEnd();
    const fired = await firing();
    expect(Object.keys(fired)).toEqual(['2']);
    expect(fired[2]).toBe(10);
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.undo())).toBe('Load weights from to-2.csv into w_in');
    expect(await weights()).toMatchObject({
      dense: [
        [0, 0, 0, 0],
        [25, 25, 25, 25],
        [0, 0, 0, 0],
      ],
    });
    await page.getByTestId('wire-weights-clear').click();
    expect(await weights()).toBeUndefined();
    expect(await page.getByTestId('wire-label-w_in').textContent()).not.toContain('matrix');
    await runToEnd();
    expect(await firing()).toEqual({});
    expect(errors).toEqual([]);
  });

  it('asks for the side file a document names when it is opened, checks its name, and runs with it', async () => {
    await open(path.join(dir, 'side.spikeflow.json'));
    const prompt = page.getByTestId('side-file-prompt');
    await prompt.waitFor();
    expect(await page.getByTestId('side-file-row-0').textContent()).toBe('side.npy — Wire "w_in", field weights.file not picked');
    // A file of another name is refused in the dialog.
    const [wrong] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('side-file-choose').click()]);
    await wrong.setFiles(path.join(dir, 'to-1.npy'));
    expect(await page.getByTestId('side-file-problem').textContent()).toContain('"to-1.npy" is not among the files this document names ("side.npy")');
    expect(await page.getByTestId('side-file-use').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'side-file-prompt.png') });
    const [right] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('side-file-choose').click()]);
    await right.setFiles(path.join(dir, 'side.npy'));
    expect(await page.getByTestId('side-file-row-0').textContent()).toContain('✓ picked');
    await page.getByTestId('side-file-use').click();
    await prompt.waitFor({ state: 'detached' });
    await runToEnd();
    const fired = await firing();
    expect(Object.keys(fired)).toEqual(['0']);
    // The CLI reads the same side file beside the document, and fires the same spikes.
    expect(await cliRun(path.join(dir, 'side.spikeflow.json'))).toEqual({ spikes: fired[0], synapses: 4 });
    // The document still names the file: its numbers were not copied into it.
    expect(await weights()).toEqual({ file: 'side.npy' });
    await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.setSelection({ nodes: [], edges: ['w_in'] }));
    expect(await page.getByTestId('wire-weights-status').textContent()).toBe('weights from side.npy (a file beside the document; rule and weight unused)');
  });

  it('refuses the run as before, naming the wire and weights.file, when the user cancels', async () => {
    await open(path.join(dir, 'side.spikeflow.json'));
    await page.getByTestId('side-file-prompt').waitFor();
    await page.getByTestId('side-file-cancel').click();
    await page.getByTestId('run').click();
    // Run asks again; cancelled again, the run is refused.
    await page.getByTestId('side-file-prompt').waitFor();
    await page.getByTestId('side-file-cancel').click();
    const banner = page.getByTestId('run-errors');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Wire "w_in", field weights.file: the weights file "side.npy" was not found among the files this window wrote');
    await page.screenshot({ path: path.join(SHOTS, 'side-file-refused.png') });
    expect(errors).toEqual([]);
  });
});
