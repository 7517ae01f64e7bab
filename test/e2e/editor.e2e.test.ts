/**
 * The editor for real work (issue 11), in Debian Chromium, as a user works: autosave
 * and recovery across a reload, the clipboard, context menus, quick-add, layout.
 * Screenshots go to $TMPDIR/spikeflow-editor/.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerDiscardUntil, dragFromPalette as dragFromPaletteTo, dragWire, openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(process.env.TMPDIR ?? os.tmpdir(), 'spikeflow-editor');

interface Doc {
  nodes: { id: string; kind: string; position: { x: number; y: number }; params: Record<string, unknown> }[];
  edges: { id: string; source: { node: string; port: string }; target: { node: string; port: string } }[];
}
interface AppWindow {
  __spikeflow: { editor: { doc: Doc; dirty: boolean; state: { past: unknown[]; selection: { nodes: string[]; edges: string[] }; notice: { text: string } | null } } };
}

describe.runIf(run)('the editor for real work', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const doc = (): Promise<Doc> => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc);
  const docText = (): Promise<string> => page.evaluate(() => JSON.stringify((window as unknown as AppWindow).__spikeflow.editor.doc));
  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  /** Where a flow position is on screen (the pane's transform). */
  const paneBox = async () => (await page.locator('.react-flow__pane').boundingBox())!;

  const dragFromPalette = (kind: string, x: number, y: number) => dragFromPaletteTo(page, `palette-${kind}`, x, y);
  const wire = (from: string, fromPort: string, to: string, toPort: string) => dragWire(page, from, fromPort, to, toPort);

  /** File › New, answering "discard changes?" when it asks. */
  async function newDocument(): Promise<void> {
    await page.getByTestId('file-menu').click();
    await page.getByTestId('menu-new').click();
    await answerDiscardUntil(page, async () => (await doc()).nodes.length === 0);
  }

  beforeAll(async () => {
    // Reloading with unsaved changes asks "leave?"; the user says yes (openApp accepts dialogs).
    ({ browser, page, errors } = await openApp(inject('baseUrl'), { clipboard: true }));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('journals a graph as it is built, offers it back after a reload, and restores it exactly, unsaved', async () => {
    await dragFromPalette('poisson-source', 500, 250);
    await dragFromPalette('lif-curr-exp', 800, 250);
    await wire('poisson1', 'spikes', 'lif1', 'in');
    const built = await docText();
    // Journaled within a second.
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByTestId('recovery-offer').waitFor();
    expect((await doc()).nodes).toHaveLength(0);
    await shot('recovery-offer');
    await page.getByTestId('recovery-restore').click();
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 2);
    expect(await docText()).toBe(built);
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.dirty)).toBe(true);
    expect(await page.getByTestId('doc-title').textContent()).toContain('•');
    expect(await page.getByTestId('recovery-offer').count()).toBe(0);
    await shot('recovery-restored');
    expect(errors).toEqual([]);
  });

  it('copies, pastes at the pointer, duplicates and selects all through the keyboard and the system clipboard', async () => {
    // Continues from the restored graph: poisson1 → lif1.
    const pane = await paneBox();
    await page.mouse.click(pane.x + 40, pane.y + pane.height - 60);
    await page.keyboard.press('Control+a');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.state.selection.nodes.length === 2);
    await page.keyboard.press('Control+c');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const fragment = JSON.parse(copied) as { format: string; nodes: unknown[]; edges: unknown[] };
    expect(fragment.format).toBe('spikeflow-fragment');
    expect(fragment.nodes).toHaveLength(2);
    expect(fragment.edges).toHaveLength(1);
    // Paste where the pointer is.
    const past = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.past.length);
    await page.mouse.move(pane.x + 300, pane.y + 420);
    await page.keyboard.press('Control+v');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 4);
    let d = await doc();
    expect(d.nodes.map((n) => n.id)).toEqual(['poisson1', 'lif1', 'poisson2', 'lif2']);
    expect(d.edges.map((e) => `${e.source.node}->${e.target.node}`)).toEqual(['poisson1->lif1', 'poisson2->lif2']);
    const pasted = await page.locator('.react-flow__node[data-id="poisson2"]').boundingBox();
    expect(Math.abs(pasted!.x - (pane.x + 300))).toBeLessThan(4);
    expect(Math.abs(pasted!.y - (pane.y + 420))).toBeLessThan(4);
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.past.length)).toBe(past + 1);
    await shot('clipboard-pasted');
    // Ctrl+D duplicates the pasted pair beside itself.
    await page.keyboard.press('Control+d');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 6);
    // One undo takes back one paste.
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 4);
    // A snippet written in a text editor pastes too.
    const snippet = JSON.stringify({ nodes: [{ id: 'mon', kind: 'spike-monitor', position: { x: 0, y: 0 }, params: {} }], edges: [] });
    await page.evaluate((t) => navigator.clipboard.writeText(t), snippet);
    await page.keyboard.press('Control+v');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 5);
    d = await doc();
    expect(d.nodes[4]).toMatchObject({ id: 'mon1', kind: 'spike-monitor' });
    // Text that is not nodes: a clear message, no change.
    const before = await docText();
    await page.evaluate(() => navigator.clipboard.writeText('shopping list: eggs'));
    await page.keyboard.press('Control+v');
    await page.getByTestId('status-line').filter({ hasText: 'not JSON' }).waitFor();
    expect(await docText()).toBe(before);
    await shot('clipboard-invalid');
    expect(errors).toEqual([]);
  });

  it('adds nodes by quick-add (double-click, Space, a wire dropped on empty canvas) and edits through context menus', async () => {
    await newDocument();
    const pane = await paneBox();
    // Double-click on empty canvas, type, Enter: placed at the pointer.
    await page.mouse.dblclick(pane.x + 200, pane.y + 150);
    await page.getByTestId('quick-add-input').fill('poisson');
    await shot('quick-add-search');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 1);
    expect(await page.getByTestId('quick-add').count()).toBe(0);
    const box = (await page.locator('.react-flow__node[data-id="poisson1"]').boundingBox())!;
    expect(box.x).toBeLessThan(pane.x + 200);
    expect(box.x + box.width).toBeGreaterThan(pane.x + 200);
    // Space with the pointer over the canvas.
    await page.mouse.move(pane.x + 560, pane.y + 150);
    await page.keyboard.press('Space');
    await page.getByTestId('quick-add-input').fill('lif cur');
    expect(await page.getByTestId('quick-add-item').first().getAttribute('data-key')).toBe('kind:lif-curr-exp');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 2);
    // A wire from poisson1 dropped on empty canvas: only kinds that take it, and the choice is wired.
    await page.locator('.react-flow__node[data-id="poisson1"] .react-flow__handle.source[data-handleid="spikes"]').hover();
    await page.mouse.down();
    await page.mouse.move(pane.x + 300, pane.y + 360, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('quick-add').waitFor();
    const offered = await page.getByTestId('quick-add-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
    expect(offered).toContain('kind:spike-monitor');
    expect(offered).not.toContain('kind:poisson-source');
    expect(offered).not.toContain('kind:dc-current');
    await page.getByTestId('quick-add-input').fill('spike mon');
    await shot('quick-add-wire');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.edges.length === 1);
    let d = await doc();
    expect(d.nodes.map((n) => n.id)).toEqual(['poisson1', 'lif1', 'mon1']);
    expect(d.edges[0]).toMatchObject({ source: { node: 'poisson1', port: 'spikes' }, target: { node: 'mon1', port: 'spikes' } });
    await wire('poisson1', 'spikes', 'lif1', 'in');
    // Right-click a node: its menu, with shortcuts beside the items.
    await page.locator('.react-flow__node[data-id="lif1"]').click({ button: 'right' });
    await page.getByTestId('context-menu-node').waitFor();
    expect(await page.getByTestId('ctx-duplicate').textContent()).toMatch(/Duplicate.*Ctrl\+D/);
    expect(await page.getByTestId('ctx-delete').textContent()).toMatch(/Delete.*Del/);
    await shot('context-menu-node');
    await page.getByTestId('ctx-duplicate').click();
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 4);
    expect(await page.getByTestId('context-menu-node').count()).toBe(0);
    // Right-click a wire: insert a node on it, chosen by quick-add.
    await page.getByTestId('wire-label-e2').click({ button: 'right' });
    await page.getByTestId('context-menu-edge').waitFor();
    expect(await page.getByTestId('ctx-reverseWire').isDisabled()).toBe(true);
    await shot('context-menu-wire');
    await page.getByTestId('ctx-insertNode').click();
    await page.getByTestId('quick-add-input').fill('stdp');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.some((n) => n.kind === 'stdp'));
    d = await doc();
    const stdp = d.nodes.find((n) => n.kind === 'stdp')!.id;
    expect(
      d.edges
        .filter((e) => e.source.node === stdp || e.target.node === stdp)
        .map((e) => `${e.source.node}->${e.target.node}`)
        .sort(),
    ).toEqual([`poisson1->${stdp}`, `${stdp}->lif1`]);
    // Right-click a node, Disconnect all, then the canvas: Select all.
    await page.locator('.react-flow__node[data-id="mon1"]').click({ button: 'right' });
    await page.getByTestId('ctx-disconnect').click();
    await page.waitForFunction(() => !(window as unknown as AppWindow).__spikeflow.editor.doc.edges.some((e) => e.target.node === 'mon1'));
    await page.mouse.click(pane.x + 40, pane.y + pane.height - 40, { button: 'right' });
    await page.getByTestId('context-menu-pane').waitFor();
    expect(await page.getByTestId('ctx-paste').textContent()).toMatch(/Paste.*Ctrl\+V/);
    await page.getByTestId('ctx-selectAll').click();
    expect(await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.state.selection.nodes.length)).toBe((await doc()).nodes.length);
    expect(errors).toEqual([]);
  });

  it('auto-lays out in one undo step, aligns a selection, never stacks new nodes, pans from the minimap and rounds numbers', async () => {
    await newDocument();
    // Three double-clicks on one palette item: three nodes, none on top of another.
    for (let i = 0; i < 3; i++) await page.getByTestId('palette-lif-curr-exp').dblclick();
    await page.getByTestId('palette-poisson-source').dblclick();
    await page.getByTestId('palette-spike-monitor').dblclick();
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 5);
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height, `nodes ${i} and ${j} overlap`).toBe(false);
      }
    }
    await page.locator('.react-flow__controls-fitview').click();
    await shot('layout-added');
    await wire('poisson1', 'spikes', 'lif1', 'in');
    await wire('lif1', 'spikes', 'lif2', 'in');
    await wire('lif2', 'spikes', 'lif3', 'in');
    await wire('lif3', 'spikes', 'mon1', 'spikes');
    await shot('layout-before');
    // Ctrl+Shift+L over the canvas: layered, left to right, one undo step.
    const before = await doc();
    const pane = await paneBox();
    await page.mouse.click(pane.x + 20, pane.y + pane.height - 20);
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction(
      () =>
        (window as unknown as AppWindow).__spikeflow.editor.state.past.length > 0 &&
        JSON.stringify((window as unknown as { __spikeflow: { editor: { state: { past: { label: string }[] } } } }).__spikeflow.editor.state.past.at(-1)).includes('Auto-layout'),
    );
    const after = await doc();
    const x = (d: Doc, id: string) => d.nodes.find((n) => n.id === id)!.position.x;
    for (const [a, b] of [
      ['poisson1', 'lif1'],
      ['lif1', 'lif2'],
      ['lif2', 'lif3'],
      ['lif3', 'mon1'],
    ])
      expect(x(after, a)).toBeLessThan(x(after, b));
    await page.locator('.react-flow__controls-fitview').click();
    await shot('layout-after');
    await page.keyboard.press('Control+z');
    await page.waitForFunction((t) => JSON.stringify((window as unknown as AppWindow).__spikeflow.editor.doc.nodes.map((n) => n.position)) === t, JSON.stringify(before.nodes.map((n) => n.position)));
    await page.keyboard.press('Control+Shift+z');
    // Select three nodes, right-click: Align top through the selection menu.
    await page.locator('.react-flow__node[data-id="lif1"]').click();
    await page.locator('.react-flow__node[data-id="lif2"]').click({ modifiers: ['Control'] });
    await page.locator('.react-flow__node[data-id="mon1"]').click({ modifiers: ['Control'] });
    await page.locator('.react-flow__node[data-id="lif2"]').click({ button: 'right' });
    await page.getByTestId('context-menu-selection').waitFor();
    await shot('context-menu-selection');
    await page.getByTestId('ctx-alignTop').click();
    await page.waitForFunction(() => {
      const n = (window as unknown as AppWindow).__spikeflow.editor.doc.nodes;
      const y = (id: string) => n.find((m) => m.id === id)!.position.y;
      return y('lif1') === y('lif2') && y('lif2') === y('mon1');
    });
    // A weight with floating-point noise shows rounded on the wire.
    await page.getByTestId('wire-label-e1').click();
    const weight = page.getByTestId('param-weight');
    await weight.fill('0.30000000000000004');
    await weight.press('Enter');
    await page.getByTestId('wire-label-e1').filter({ hasText: '0.3 mV' }).waitFor();
    expect(await page.getByTestId('wire-label-e1').textContent()).not.toContain('0000');
    // The label is on top: the point under its centre is the label.
    const lb = (await page.getByTestId('wire-label-e1').boundingBox())!;
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid^="wire-label-"]')?.getAttribute('data-testid'), [lb.x + lb.width / 2, lb.y + lb.height / 2])).toBe(
      'wire-label-e1',
    );
    // Clicking the minimap centres the view there.
    const transform = () => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
    const t0 = await transform();
    const mm = (await page.locator('.react-flow__minimap').boundingBox())!;
    await page.mouse.click(mm.x + 8, mm.y + 8);
    await page.waitForFunction((t) => (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform !== t, t0);
    await shot('layout-aligned');
    expect(errors).toEqual([]);
  });

  it('opens on a start screen with pictured examples, a search and the recent files', async () => {
    const fresh = await page.context().newPage();
    fresh.on('pageerror', (e) => errors.push(String(e)));
    await fresh.goto(inject('baseUrl'));
    await fresh.getByTestId('start-screen').waitFor();
    // Every example has a card with a drawn picture of its graph.
    const cards = fresh.locator('[data-testid^="start-example-"]');
    expect(await cards.count()).toBeGreaterThan(5);
    expect(await fresh.locator('[data-testid="start-example-cuba"] svg rect').count()).toBeGreaterThan(3);
    expect(await fresh.locator('[data-testid="start-example-cuba"] svg path').count()).toBeGreaterThan(1);
    await fresh.screenshot({ path: path.join(SHOTS, 'start-screen.png') });
    await fresh.getByTestId('start-search').fill('brunel');
    const found = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    expect(found.length).toBeGreaterThan(0);
    expect(found).not.toContain('start-example-cuba');
    await fresh.getByTestId('start-search').fill('zzzz-no-such');
    await fresh.getByTestId('start-no-match').waitFor();
    // A document opened in this browser is listed as recent after a reload, and reopens from there.
    await fresh.getByTestId('open-file-input').setInputFiles(path.join(process.cwd(), 'examples/poisson-ei.spikeflow.json'));
    await fresh.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length > 0);
    expect(await fresh.getByTestId('start-screen').count()).toBe(0);
    await fresh.reload();
    await fresh.getByTestId('start-screen').waitFor();
    await fresh.getByTestId('start-recent-item').filter({ hasText: 'poisson-ei.spikeflow.json' }).click();
    await fresh.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length > 0);
    expect(await fresh.getByTestId('doc-title').getAttribute('title')).toBe('poisson-ei.spikeflow.json');
    // An example card opens the example.
    await fresh.reload();
    await fresh.getByTestId('start-example-cuba').click();
    await fresh.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length > 0);
    expect(await fresh.getByTestId('start-screen').count()).toBe(0);
    // The Examples menu stays.
    await fresh.getByTestId('examples').click();
    await fresh.getByTestId('example-cuba').waitFor();
    await fresh.close();
    expect(errors).toEqual([]);
  });

  it('fires at defaults, explains a silent population, and ties up the loose ends', async () => {
    await newDocument();
    // The README walk-through at default parameters: Poisson source → LIF → spike monitor.
    await dragFromPalette('poisson-source', 420, 200);
    await dragFromPalette('lif-curr-exp', 720, 200);
    await dragFromPalette('spike-monitor', 1000, 200);
    await wire('poisson1', 'spikes', 'lif1', 'in');
    await wire('lif1', 'spikes', 'mon1', 'spikes');
    // No Autapses choice on a wire between two different nodes.
    await page.getByTestId('wire-label-e1').click();
    await page.getByTestId('param-weight').waitFor();
    expect(await page.getByTestId('param-allow_autapses').count()).toBe(0);
    const runToEnd = async () => {
      await page.getByTestId('run').click();
      await page.waitForFunction(() => /finished/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
    };
    const spikesOf = (id: string) =>
      page.evaluate(
        (n) =>
          (window as unknown as { __spikeflow: { editor: { state: { run: { stats: { populations: { nodeId: string; spikes: number }[] } } } } } }).__spikeflow.editor.state.run.stats.populations.find(
            (p) => p.nodeId === n,
          )!.spikes,
        id,
      );
    await runToEnd();
    expect(await spikesOf('lif1')).toBeGreaterThan(0);
    expect(await page.getByTestId('silence-note').count()).toBe(0);
    // Quieter input: the panel says the population is silent, and why.
    await page.locator('.react-flow__node[data-id="poisson1"]').click();
    await page.getByTestId('param-rate_hz').fill('5');
    await page.getByTestId('param-rate_hz').press('Enter');
    await runToEnd();
    expect(await spikesOf('lif1')).toBe(0);
    const note = page.getByTestId('silence-note');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/lif1 fired no spikes\. Its mean synaptic input is about 2\.5 mV, short of the 15 mV from rest \(-65 mV\) to threshold \(-50 mV\)/);
    await shot('silence-explained');
    // A monitor wired after the run: its raster no longer says nothing is wired.
    await dragFromPalette('spike-monitor', 1000, 420);
    await runToEnd();
    await page.getByTestId('results-tab-mon2').click();
    const raster = page.getByTestId('raster');
    await page.waitForFunction(() => document.querySelector('[data-testid="raster"]')?.getAttribute('data-empty') === 'Nothing is wired into this monitor.');
    await wire('lif1', 'spikes', 'mon2', 'spikes');
    await page.waitForFunction(() => /Wired since the last run/.test(document.querySelector('[data-testid="raster"]')?.getAttribute('data-empty') ?? ''));
    expect(await raster.getAttribute('data-empty')).toBe('Wired since the last run: run again to see its spikes.');
    // STDP's ports read "pre" and "post", as its help and errors do.
    await dragFromPalette('stdp', 600, 420);
    const stdpNode = page.locator('.react-flow__node[data-id="stdp1"]');
    expect(await stdpNode.textContent()).toMatch(/pre/);
    expect(await stdpNode.textContent()).not.toMatch(/presynaptic|to target/);
    // A hand-built pre → STDP → post at default parameters fires too.
    await newDocument();
    await dragFromPalette('poisson-source', 420, 200);
    await dragFromPalette('stdp', 720, 200);
    await dragFromPalette('lif-curr-exp', 1000, 200);
    const idOf = async (kind: string) => (await doc()).nodes.find((n) => n.kind === kind)!.id;
    const [pre, plastic, post] = [await idOf('poisson-source'), await idOf('stdp'), await idOf('lif-curr-exp')];
    await wire(pre, 'spikes', plastic, 'pre');
    await wire(plastic, 'post', post, 'in');
    await runToEnd();
    expect(await spikesOf(post)).toBeGreaterThan(0);
    // An empty canvas runs, and the run is kept in the history.
    await newDocument();
    await page.getByTestId('results-tab-history').click();
    const before = Number(await page.getByTestId('history-count').textContent());
    await runToEnd();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="history-count"]')?.textContent) === n + 1, before);
    // The STDP example comes with a weight monitor.
    await page.getByTestId('examples').click();
    await page.getByTestId('example-stdp').click();
    await answerDiscardUntil(page, async () => (await doc()).nodes.some((n) => n.kind === 'stdp'));
    expect((await doc()).nodes.some((n) => n.kind === 'weight-monitor')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows epochs and batches for a training run with its whole time, and toolbar fields wide enough for their values', async () => {
    await page.getByTestId('examples').click();
    await page.getByTestId('example-sg-encoding-rate').click();
    await answerDiscardUntil(page, async () => (await doc()).nodes.some((n) => n.kind === 'sg-trainer'));
    const trainer = (await doc()).nodes.find((n) => n.kind === 'sg-trainer')!.id;
    await page.locator(`.react-flow__node[data-id="${trainer}"]`).click();
    await page.getByTestId('param-epochs').fill('2');
    await page.getByTestId('param-epochs').press('Enter');
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /^epoch \d+ \/ 2 · batch \d+ \/ \d+$/.test(document.querySelector('[data-testid="run-time"]')?.textContent ?? ''), null, { timeout: 60_000 });
    await shot('training-toolbar');
    await page.waitForFunction(() => /finished/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 120_000 });
    expect(await page.getByTestId('run-time').textContent()).toMatch(/^epoch 2 \/ 2 · batch \d+ \/ \d+$/);
    const { wallMs, runMs } = await page.evaluate(() => {
      const r = (window as unknown as { __spikeflow: { editor: { state: { run: { wallMs: number; stats: { run_ms: number } } } } } }).__spikeflow.editor.state.run;
      return { wallMs: r.wallMs, runMs: r.stats.run_ms };
    });
    // "finished in" is the whole run (training and the check), not the simulation alone.
    expect(wallMs).toBeGreaterThan(runMs);
    const status = (await page.getByTestId('run-status').textContent())!;
    const shown = /finished in ([\d.]+) (ms|s)/.exec(status)!;
    const shownMs = Number(shown[1]) * (shown[2] === 's' ? 1000 : 1);
    expect(Math.abs(shownMs - wallMs)).toBeLessThan(Math.max(60, wallMs * 0.01));
    // A long duration shows whole in its toolbar field.
    const duration = page.getByTestId('sim-duration_ms');
    await duration.fill('2000000');
    await duration.press('Enter');
    const fits = await duration.evaluate((el) => (el as HTMLInputElement).scrollWidth <= (el as HTMLInputElement).clientWidth);
    expect(fits).toBe(true);
    await shot('toolbar-wide-duration');
    expect(errors).toEqual([]);
  });
});
