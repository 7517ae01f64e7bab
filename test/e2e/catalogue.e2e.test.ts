/**
 * Every node kind in the registry, in Debian Chromium: dragged from the palette,
 * wired into a small runnable graph, one parameter edited in the inspector, run
 * for 200 ms, and its results checked (spikes in the raster, samples in the
 * state and rate traces, a row in the statistics table).
 *
 * The graph around each kind is derived from its declaration — its runtime role,
 * ports and their roles, its state variables — so a new kind is covered by
 * adding it to `KINDS`; a kind with a runtime role no recipe knows fails here,
 * loudly, until a recipe is added. Helper nodes (the LIF a source feeds, the
 * monitors) are added through the editor, but every wire into or out of the
 * kind under test is drawn with the mouse.
 *
 * Screenshots of every run go to $TMPDIR/spikeflow-catalogue/ (not the repo).
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { KINDS, paramActive } from '../../engine/kinds/index.ts';
import type { NodeKind, NumberParam } from '../../engine/kinds/index.ts';
import { MOTIFS } from '../../renderer/groups/motifs.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(tmpdir(), 'spikeflow-catalogue');

/** The helper population every recipe drives or observes through. */
const LIF = 'lif-curr-exp';
/** A DC current strong enough to make every neuron kind fire (50 mV through 100 MΩ; AdEx's tonic preset uses 500 pA). */
const DRIVE_PA = 500;
const DURATION_MS = 200;

/** 'K' is the kind under test; other keys name helper nodes. */
type Key = string;
interface Helper {
  readonly key: Key;
  readonly kind: string;
  readonly col: number;
  readonly row: number;
  readonly params?: Readonly<Record<string, unknown>>;
}
interface Wire {
  readonly from: Key;
  readonly fromPort: string;
  readonly to: Key;
  readonly toPort: string;
}
/** What a monitor must show after the run: spikes in its raster, or samples in its traces. */
interface Expectation {
  readonly monitor: Key;
  readonly records: 'spikes' | 'state' | 'rate' | 'weights' | 'learning';
}
interface Recipe {
  readonly col: number;
  readonly row: number;
  readonly helpers: readonly Helper[];
  readonly wires: readonly Wire[];
  readonly expect: readonly Expectation[];
}

function port(kind: NodeKind, dir: 'in' | 'out', pick: (p: NodeKind['inputs'][number]) => boolean): string {
  const p = (dir === 'in' ? kind.inputs : kind.outputs).find(pick);
  if (!p) throw new Error(`kind ${kind.id} has no ${dir}put port of the shape this recipe needs`);
  return p.id;
}

/** The graph that exercises `kind`, from its runtime role and ports. */
function recipeFor(kind: NodeKind): Recipe {
  const rt = kind.runtime;
  switch (rt.role) {
    case 'spike-source': {
      const out = port(kind, 'out', (p) => p.type === 'spikes');
      return {
        col: 0,
        row: 0,
        helpers: [
          { key: 'lif', kind: LIF, col: 1, row: 0, params: { size: 20 } },
          { key: 'raster', kind: 'spike-monitor', col: 2, row: 0 },
        ],
        wires: [
          { from: 'K', fromPort: out, to: 'lif', toPort: 'in' },
          { from: 'K', fromPort: out, to: 'raster', toPort: 'spikes' },
          { from: 'lif', fromPort: 'spikes', to: 'raster', toPort: 'spikes' },
        ],
        // Whatever the LIF does with them, the source's own spikes are in the raster.
        expect: [{ monitor: 'raster', records: 'spikes' }],
      };
    }
    case 'current-source':
    case 'drive': {
      const out = port(kind, 'out', (p) => p.type === 'current');
      return {
        col: 0,
        row: 0,
        helpers: [
          { key: 'lif', kind: LIF, col: 1, row: 0, params: { size: 20 } },
          { key: 'raster', kind: 'spike-monitor', col: 2, row: 0 },
          { key: 'v', kind: 'state-monitor', col: 2, row: 1, params: { variable: 'v' } },
        ],
        wires: [
          { from: 'K', fromPort: out, to: 'lif', toPort: 'current' },
          { from: 'lif', fromPort: 'spikes', to: 'raster', toPort: 'spikes' },
          { from: 'lif', fromPort: 'spikes', to: 'v', toPort: 'spikes' },
        ],
        expect: [
          { monitor: 'raster', records: 'spikes' },
          { monitor: 'v', records: 'state' },
        ],
      };
    }
    case 'neurons': {
      const inject = port(kind, 'in', (p) => p.role === 'inject' && p.type === 'current');
      const projection = port(kind, 'in', (p) => p.role === 'projection' && p.type === 'spikes');
      const out = port(kind, 'out', (p) => p.type === 'spikes');
      const variable = kind.state?.[0]?.id;
      const helpers: Helper[] = [
        { key: 'dc', kind: 'dc-current', col: 0, row: 0, params: { amplitude_pa: DRIVE_PA } },
        { key: 'poisson', kind: 'poisson-source', col: 0, row: 1, params: { size: 20 } },
        { key: 'raster', kind: 'spike-monitor', col: 2, row: 0 },
        { key: 'rate', kind: 'rate-monitor', col: 2, row: 2 },
      ];
      const wires: Wire[] = [
        { from: 'dc', fromPort: 'current', to: 'K', toPort: inject },
        { from: 'poisson', fromPort: 'spikes', to: 'K', toPort: projection },
        { from: 'K', fromPort: out, to: 'raster', toPort: 'spikes' },
        { from: 'K', fromPort: out, to: 'rate', toPort: 'spikes' },
      ];
      const expectations: Expectation[] = [
        { monitor: 'raster', records: 'spikes' },
        { monitor: 'rate', records: 'rate' },
      ];
      if (variable) {
        helpers.push({ key: 'state', kind: 'state-monitor', col: 2, row: 1, params: { variable } });
        wires.push({ from: 'K', fromPort: out, to: 'state', toPort: 'spikes' });
        expectations.push({ monitor: 'state', records: 'state' });
      }
      if (kind.spiking === false) {
        // A non-spiking readout (LI, CubaLI, I): what it gives is its state; its spike and rate
        // monitors would rightly stay empty, so only the state trace is expected.
        return {
          col: 1,
          row: 0,
          helpers: helpers.filter((h) => h.key !== 'raster' && h.key !== 'rate'),
          wires: wires.filter((w) => w.to !== 'raster' && w.to !== 'rate'),
          expect: expectations.filter((e) => e.records === 'state'),
        };
      }
      return { col: 1, row: 0, helpers, wires, expect: expectations };
    }
    case 'monitor': {
      const observe = port(kind, 'in', (p) => p.role === 'observe');
      if (rt.records === 'weights') {
        // A weight monitor watches a plastic projection: poisson → STDP → lif, and STDP → K.
        return {
          col: 2,
          row: 1,
          helpers: [
            { key: 'dc', kind: 'dc-current', col: 0, row: 0, params: { amplitude_pa: DRIVE_PA } },
            { key: 'poisson', kind: 'poisson-source', col: 0, row: 1, params: { size: 20, rate_hz: 20 } },
            { key: 'stdp', kind: 'stdp', col: 1, row: 1 },
            { key: 'lif', kind: LIF, col: 2, row: 0, params: { size: 20 } },
          ],
          wires: [
            { from: 'poisson', fromPort: 'spikes', to: 'stdp', toPort: 'pre' },
            { from: 'stdp', fromPort: 'post', to: 'lif', toPort: 'in' },
            { from: 'dc', fromPort: 'current', to: 'lif', toPort: 'current' },
            { from: 'stdp', fromPort: 'post', to: 'K', toPort: observe },
          ],
          expect: [{ monitor: 'K', records: 'weights' }],
        };
      }
      return {
        col: 2,
        row: 0,
        helpers: [
          { key: 'dc', kind: 'dc-current', col: 0, row: 0, params: { amplitude_pa: DRIVE_PA } },
          { key: 'lif', kind: LIF, col: 1, row: 0, params: { size: 20 } },
        ],
        wires: [
          { from: 'dc', fromPort: 'current', to: 'lif', toPort: 'current' },
          { from: 'lif', fromPort: 'spikes', to: 'K', toPort: observe },
        ],
        expect: [{ monitor: 'K', records: rt.records }],
      };
    }
    case 'plasticity': {
      // pre → K → target's synapses: the projection passes through the node, which learns on it.
      const pre = port(kind, 'in', (p) => p.role === 'plastic');
      const out = port(kind, 'out', (p) => p.type === 'spikes');
      return {
        col: 1,
        row: 1,
        helpers: [
          { key: 'dc', kind: 'dc-current', col: 0, row: 0, params: { amplitude_pa: DRIVE_PA } },
          { key: 'poisson', kind: 'poisson-source', col: 0, row: 1, params: { size: 20, rate_hz: 20 } },
          { key: 'lif', kind: LIF, col: 2, row: 0, params: { size: 20 } },
          { key: 'raster', kind: 'spike-monitor', col: 2, row: 2 },
        ],
        wires: [
          { from: 'poisson', fromPort: 'spikes', to: 'K', toPort: pre },
          { from: 'K', fromPort: out, to: 'lif', toPort: 'in' },
          { from: 'dc', fromPort: 'current', to: 'lif', toPort: 'current' },
          { from: 'lif', fromPort: 'spikes', to: 'raster', toPort: 'spikes' },
        ],
        expect: [{ monitor: 'raster', records: 'spikes' }],
      };
    }
    case 'trainer': {
      // A few digits → 10 readout neurons, trained towards by K; the Learning tab draws the curve.
      const readout = port(kind, 'in', (p) => p.role === 'observe');
      return {
        col: 2,
        row: 0,
        helpers: [
          { key: 'digits', kind: 'rate-encoder', col: 0, row: 0, params: { input: 'digits', sample_count: 20, presentation_ms: 20, rest_ms: 10, max_rate_hz: 200 } },
          { key: 'lif', kind: LIF, col: 1, row: 0, params: { size: 10 } },
        ],
        wires: [
          { from: 'digits', fromPort: 'spikes', to: 'lif', toPort: 'in' },
          { from: 'lif', fromPort: 'spikes', to: 'K', toPort: readout },
        ],
        expect: [{ monitor: 'K', records: 'learning' }],
      };
    }
    case 'readout': {
      // Digits → LIF (raster) → K, the digits' labels into K: it scores the LIF's answers (issue 5).
      return {
        col: 2,
        row: 1,
        helpers: [
          { key: 'digits', kind: 'rate-encoder', col: 0, row: 0, params: { input: 'digits', presentation_ms: 20, rest_ms: 0, max_rate_hz: 200 } },
          { key: 'dc', kind: 'dc-current', col: 0, row: 1, params: { amplitude_pa: DRIVE_PA } },
          { key: 'lif', kind: LIF, col: 1, row: 0, params: { size: 20 } },
          { key: 'raster', kind: 'spike-monitor', col: 2, row: 0 },
        ],
        wires: [
          { from: 'digits', fromPort: 'spikes', to: 'lif', toPort: 'in' },
          { from: 'dc', fromPort: 'current', to: 'lif', toPort: 'current' },
          { from: 'lif', fromPort: 'spikes', to: 'K', toPort: 'spikes' },
          { from: 'digits', fromPort: 'label', to: 'K', toPort: 'label' },
          { from: 'lif', fromPort: 'spikes', to: 'raster', toPort: 'spikes' },
        ],
        expect: [{ monitor: 'raster', records: 'spikes' }],
      };
    }
    case 'modulator': {
      // K's signal modulates a reward-STDP projection poisson → lif (issue 5).
      return {
        col: 0,
        row: 2,
        helpers: [
          { key: 'dc', kind: 'dc-current', col: 0, row: 0, params: { amplitude_pa: DRIVE_PA } },
          { key: 'poisson', kind: 'poisson-source', col: 0, row: 1, params: { size: 20, rate_hz: 20 } },
          { key: 'rstdp', kind: 'reward-stdp', col: 1, row: 1 },
          { key: 'lif', kind: LIF, col: 2, row: 0, params: { size: 20 } },
          { key: 'raster', kind: 'spike-monitor', col: 2, row: 2 },
        ],
        wires: [
          { from: 'poisson', fromPort: 'spikes', to: 'rstdp', toPort: 'pre' },
          { from: 'rstdp', fromPort: 'post', to: 'lif', toPort: 'in' },
          { from: 'K', fromPort: 'modulator', to: 'rstdp', toPort: 'modulator' },
          { from: 'dc', fromPort: 'current', to: 'lif', toPort: 'current' },
          { from: 'lif', fromPort: 'spikes', to: 'raster', toPort: 'spikes' },
        ],
        expect: [{ monitor: 'raster', records: 'spikes' }],
      };
    }
    default:
      throw new Error(`no recipe for the runtime role "${(rt as { role: string }).role}" of ${kind.id}: add one to test/e2e/catalogue.e2e.test.ts`);
  }
}

/**
 * The parameter to edit in the inspector, and its new value: `size` becomes 20
 * (a quicker run); otherwise the first active number doubles (1 when it is 0),
 * kept inside its bounds. A kind without a number param gets a new label.
 */
function editFor(kind: NodeKind, params: Readonly<Record<string, unknown>>): { name: string; value: number } | null {
  const numbers = Object.entries(kind.params).filter(([, s]) => s.type === 'number' && paramActive(s, params)) as [string, NumberParam][];
  const size = numbers.find(([n]) => n === 'size');
  const [name, spec] = size ?? numbers[0] ?? [];
  if (!name || !spec) return null;
  let value = name === 'size' ? 20 : spec.default === 0 ? 1 : spec.default * 2;
  if (spec.max !== undefined) value = Math.min(value, spec.max);
  if (spec.min !== undefined) value = Math.max(value, spec.min);
  if (spec.integer) value = Math.round(value);
  if (value === spec.default) throw new Error(`${kind.id}.${name}: the edit rule gives back the default; choose another rule`);
  return { name, value };
}

interface AppWindow {
  __spikeflow: {
    editor: {
      doc: {
        nodes: { id: string; kind: string; label: string; position: { x: number; y: number }; params: Record<string, unknown> }[];
        edges: { id: string; source: { node: string; port: string }; target: { node: string; port: string } }[];
      };
      addNode(kind: string, p: { x: number; y: number }): string;
      setParam(id: string, name: string, v: unknown): void;
      connect(s: { node: string; port: string }, t: { node: string; port: string }): { ok: boolean };
    };
  };
}

const docOf = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc);

/** Screen positions (relative to the pane) of the layout grid's cells: a node's centre top. */
const cell = (col: number, row: number) => ({ x: 110 + col * 310, y: 60 + row * 165 });

async function connect(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  const src = page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${fromPort}"]`);
  const dst = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target[data-handleid="${toPort}"]`);
  const a = (await src.boundingBox())!;
  const b = (await dst.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function newDocument(page: Page): Promise<void> {
  await page.getByTestId('file-menu').click();
  await page.getByTestId('menu-new').click();
  const ok = page.getByTestId('confirm-ok');
  await ok.or(page.locator('.sf-canvas-empty')).first().waitFor();
  if (await ok.isVisible()) await ok.click();
  await expect.poll(async () => (await docOf(page)).nodes.length).toBe(0);
}

/** Descendants of a node view that stick out of its box (text must wrap or be cut with an ellipsis). */
function overflowOf(page: Page, nodeId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const node = document.querySelector(`.react-flow__node[data-id="${id}"] .sf-node`);
    if (!node) return ['the node view is missing'];
    const box = node.getBoundingClientRect();
    const out: string[] = [];
    for (const el of node.querySelectorAll('*')) {
      if (el.classList.contains('react-flow__handle')) continue; // handles sit on the border by design
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1) out.push(`${el.className}: "${el.textContent?.slice(0, 40)}"`);
      // Text that does not fit must be cut with an ellipsis (containers may hold handles that stick out on purpose).
      if (el.children.length === 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis') out.push(`${el.className} overflows: "${el.textContent?.slice(0, 40)}"`);
    }
    return out;
  }, nodeId);
}

describe.runIf(run)('every node kind in the app', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await page.getByTestId('palette-poisson-source').waitFor();
    await page.getByTestId('engine-status').filter({ hasText: /ready/ }).waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists every kind in the palette under its category, motifs in their own section, and the filter box narrows both', async () => {
    for (const k of KINDS) {
      const section = page.getByTestId(`palette-category-${k.category}`).locator('xpath=ancestor::section');
      await expect.poll(() => section.getByTestId(`palette-${k.id}`).count(), { timeout: 5000 }).toBe(1);
    }
    // The draggable items are exactly the registered kinds (by test id) plus the shipped motifs,
    // which sit in their own section and are not kinds.
    const kindIds = KINDS.map((k) => `palette-${k.id}`).sort();
    const motifIds = MOTIFS.map((m) => `group-item-${m.key.replace(':', '-')}`).sort();
    const shownKinds = () => page.locator('.sf-palette-item[draggable]:not(.is-group)').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? '').sort());
    const shownMotifs = () =>
      page
        .getByTestId('palette-motifs')
        .locator('[draggable]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? '').sort());
    await expect.poll(shownKinds).toEqual(kindIds);
    await expect.poll(shownMotifs).toEqual(motifIds);
    const filter = page.getByTestId('palette-filter');
    await filter.fill('izhikevich');
    await expect.poll(shownKinds).toEqual(['palette-izhikevich']);
    await expect.poll(shownMotifs).toEqual([]);
    // Enter adds the first match; Escape clears the filter.
    await filter.press('Enter');
    await expect.poll(async () => (await docOf(page)).nodes.map((n) => n.kind)).toEqual(['izhikevich']);
    await filter.press('Escape');
    await expect.poll(shownKinds).toEqual(kindIds);
    await expect.poll(shownMotifs).toEqual(motifIds);
    // A folded category hides its kinds (and only those), and unfolds again.
    const unmonitored = KINDS.filter((k) => k.category !== 'monitor')
      .map((k) => `palette-${k.id}`)
      .sort();
    await page.getByTestId('palette-category-monitor').click();
    await expect.poll(shownKinds).toEqual(unmonitored);
    await expect.poll(shownMotifs).toEqual(motifIds);
    await page.getByTestId('palette-category-monitor').click();
    await expect.poll(shownKinds).toEqual(kindIds);
    expect(errors).toEqual([]);
  });

  for (const kind of KINDS) {
    it(`${kind.label} (${kind.id}): drag from the palette, wire, edit a parameter, run 200 ms, see its results`, async () => {
      const recipe = recipeFor(kind);
      await newDocument(page);
      await page.getByTestId('palette-filter').fill('');

      // Drag the kind from the palette into its cell of the grid.
      const pane = page.locator('.react-flow__pane');
      const at = cell(recipe.col, recipe.row);
      await page.getByTestId(`palette-${kind.id}`).dragTo(pane, { targetPosition: at });
      await expect.poll(async () => (await docOf(page)).nodes.map((n) => n.kind)).toEqual([kind.id]);
      const dropped = (await docOf(page)).nodes[0];
      expect(await overflowOf(page, dropped.id)).toEqual([]);

      // Helpers go into their cells relative to it (the view is not zoomed, so screen offsets are flow offsets).
      const ids: Record<Key, string> = await page.evaluate(
        ({ helpers, origin, at }) => {
          const ed = (window as unknown as AppWindow).__spikeflow.editor;
          const out: Record<string, string> = {};
          for (const h of helpers) {
            out[h.key] = ed.addNode(h.kind, { x: origin.x + h.x - at.x, y: origin.y + h.y - at.y });
            for (const [name, v] of Object.entries(h.params ?? {})) ed.setParam(out[h.key], name, v);
          }
          return out;
        },
        { helpers: recipe.helpers.map((h) => ({ ...h, ...cell(h.col, h.row) })), origin: dropped.position, at },
      );
      ids.K = dropped.id;

      // Wires touching the kind are drawn with the mouse; the others through the editor.
      for (const w of recipe.wires) {
        const before = (await docOf(page)).edges.length;
        if (w.from === 'K' || w.to === 'K') await connect(page, ids[w.from], w.fromPort, ids[w.to], w.toPort);
        else {
          const ok = await page.evaluate(({ s, t }) => (window as unknown as AppWindow).__spikeflow.editor.connect(s, t).ok, {
            s: { node: ids[w.from], port: w.fromPort },
            t: { node: ids[w.to], port: w.toPort },
          });
          expect(ok).toBe(true);
        }
        await expect.poll(async () => (await docOf(page)).edges.length, { message: `wire ${w.from}.${w.fromPort} → ${w.to}.${w.toPort}` }).toBe(before + 1);
      }

      // Edit one parameter (or the label) in the inspector.
      await page.locator(`.react-flow__node[data-id="${dropped.id}"] .sf-node-head`).click();
      await expect.poll(() => page.getByTestId('node-id').textContent()).toBe(dropped.id);
      const help = await page.getByTestId('kind-help').evaluate((el) => ({ text: el.textContent ?? '', overflow: el.scrollWidth > el.clientWidth + 1 }));
      expect(help.overflow, 'the help text fits the inspector').toBe(false);
      expect(help.text.length).toBeGreaterThan(40);
      const edit = editFor(kind, dropped.params);
      if (edit) {
        const field = page.getByTestId(`param-${edit.name}`);
        await field.fill(String(edit.value));
        await field.press('Enter');
        await expect.poll(async () => (await docOf(page)).nodes.find((n) => n.id === dropped.id)?.params[edit.name]).toBe(edit.value);
      } else {
        const label = page.getByTestId('node-label');
        await label.fill('Under test');
        await label.press('Enter');
        await expect.poll(async () => (await docOf(page)).nodes.find((n) => n.id === dropped.id)?.label).toBe('Under test');
      }
      expect(await overflowOf(page, dropped.id)).toEqual([]);

      // Run 200 ms.
      const duration = page.getByTestId('sim-duration_ms');
      await duration.fill(String(DURATION_MS));
      await duration.press('Enter');
      await page.getByTestId('run').click();
      await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/finished|failed|refused/);
      const status = await page.getByTestId('run-status').textContent();
      const problems = (await page.getByTestId('run-errors').isVisible()) ? await page.getByTestId('run-errors').textContent() : '';
      expect(status, problems ?? '').toMatch(/finished/);

      // Each monitor shows what it recorded.
      for (const [i, e] of recipe.expect.entries()) {
        await page.getByTestId(e.records === 'learning' ? 'results-tab-learning' : `results-tab-${ids[e.monitor]}`).click();
        const plot = page.getByTestId(e.records === 'spikes' ? 'raster' : e.records === 'weights' ? 'weight-heatmap' : e.records === 'learning' ? 'learning-panel' : `trace-${e.records}`);
        const attr = e.records === 'spikes' ? 'data-spike-count' : e.records === 'weights' ? 'data-snapshot-count' : e.records === 'learning' ? 'data-epoch-count' : 'data-sample-count';
        await expect.poll(async () => Number(await plot.getAttribute(attr)), { message: `${e.monitor} (${e.records})` }).toBeGreaterThan(0);
        const shot = path.join(SHOTS, `${kind.id}-${i}-${e.records}.png`);
        if (i === 0) await page.screenshot({ path: shot });
        else await page.getByTestId('results').screenshot({ path: shot });
      }

      // The statistics table has a row per population, with the kind's own when it is one.
      await page.getByTestId('results-tab-stats').click();
      const table = page.getByTestId('run-stats-table');
      await table.waitFor();
      const rt = kind.runtime.role;
      const population = rt === 'neurons' || rt === 'spike-source' ? dropped.id : ids.lif;
      const spikes = await page.getByTestId(`run-stats-spikes-${population}`).textContent();
      // A non-spiking readout has a row too, and its count is honestly zero.
      if (kind.spiking === false) expect(Number(spikes?.replace(/,/g, ''))).toBe(0);
      else expect(Number(spikes?.replace(/,/g, ''))).toBeGreaterThan(0);
      // A plasticity node reports the final weights of the projection it learned on.
      if (rt === 'plasticity') expect(await page.getByTestId(`run-stats-plastic-${dropped.id}`).count()).toBe(1);
      await page.getByTestId('results').screenshot({ path: path.join(SHOTS, `${kind.id}-stats.png`) });

      expect(errors).toEqual([]);
    });
  }
});
