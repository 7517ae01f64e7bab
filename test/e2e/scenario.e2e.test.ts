/**
 * The issue-11 scenario, as a user works in Debian Chromium: build Brunel's balanced
 * network from an empty canvas with quick-add, copy/paste and a wire dropped on empty
 * canvas, reload the page halfway and recover the graph, group the two populations,
 * auto-lay it out, run it, and get the same spikes as the bundled example with the same
 * parameters and seed. The engine's random streams are keyed by node and wire ids, and
 * the editor names nodes itself (`lif1`, …), so the example is run with its ids mapped to
 * the built graph's: the same network under other names.
 * Screenshots go to $TMPDIR/spikeflow-editor/.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';
import { ROOT } from '../helpers.ts';
import { loadDocument } from '../../engine/format/load.ts';
import { flattenDocument } from '../../engine/format/groups.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(process.env.TMPDIR ?? os.tmpdir(), 'spikeflow-editor');
const DURATION_MS = 200;

interface Doc {
  nodes: { id: string; kind: string; params: Record<string, unknown> }[];
  edges: { id: string; source: { node: string; port: string }; target: { node: string; port: string }; params: Record<string, unknown> }[];
}
interface Services {
  editor: { doc: Doc; state: { run: { phase: string; stats: { spikes: number; populations: { nodeId: string; spikes: number }[] } | null } } };
  runner: { run(doc?: unknown): Promise<boolean> };
}
const sf = () => (window as unknown as { __spikeflow: Services }).__spikeflow;

describe.runIf(run)("building Brunel's network from an empty canvas", () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const doc = (): Promise<Doc> => page.evaluate(`(${sf.toString()})().editor.doc`) as Promise<Doc>;
  const nodeCount = (n: number) => page.waitForFunction(`(${sf.toString()})().editor.doc.nodes.length === ${n}`);
  const edgeCount = (n: number) => page.waitForFunction(`(${sf.toString()})().editor.doc.edges.length === ${n}`);
  const pane = async () => (await page.locator('.react-flow__pane').boundingBox())!;
  const select = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .sf-node-head`).click();

  async function field(name: string, value: string): Promise<void> {
    const input = page.getByTestId(`param-${name}`);
    await input.fill(value);
    await input.press('Enter');
  }

  async function quickAdd(x: number, y: number, query: string, expectKind: string): Promise<void> {
    const before = (await doc()).nodes.length;
    const p = await pane();
    await page.mouse.dblclick(p.x + x, p.y + y);
    await page.getByTestId('quick-add-input').fill(query);
    expect(await page.getByTestId('quick-add-item').first().getAttribute('data-key')).toBe(`kind:${expectKind}`);
    await page.keyboard.press('Enter');
    await nodeCount(before + 1);
  }

  async function wire(from: string, fromPort: string, to: string, toPort: string): Promise<void> {
    const before = (await doc()).edges.length;
    await page
      .locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${fromPort}"]`)
      .dragTo(page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target[data-handleid="${toPort}"]`));
    await edgeCount(before + 1);
  }

  /** Edit the projection just made, through its label on the wire: fixed in-degree n, weight, 1.5 ms, receptor. */
  async function projection(n: number, weight: number, receptor: 'exc' | 'inh'): Promise<void> {
    const last = (await doc()).edges.at(-1)!.id;
    await page.getByTestId(`wire-label-${last}`).click();
    await page.getByTestId('param-rule').selectOption('fixed-in-degree');
    await field('n', String(n));
    await field('weight', String(weight));
    await field('delay_ms', '1.5');
    await page.getByTestId('param-receptor').selectOption(receptor);
  }

  async function runAndCount(snapshot?: unknown): Promise<{ spikes: number; populations: [string, number][] }> {
    if (snapshot) await page.evaluate(`(${sf.toString()})().runner.run(${JSON.stringify(snapshot)})`);
    else await page.getByTestId('run').click();
    await page.waitForFunction(`['finished', 'refused', 'failed'].includes((${sf.toString()})().editor.state.run.phase)`, null, { timeout: 100_000 });
    expect(await page.evaluate(`(${sf.toString()})().editor.state.run.phase`)).toBe('finished');
    return page.evaluate(`(() => { const s = (${sf.toString()})().editor.state.run.stats; return { spikes: s.spikes, populations: s.populations.map((p) => [p.nodeId, p.spikes]) }; })()`) as Promise<{
      spikes: number;
      populations: [string, number][];
    }>;
  }

  beforeAll(async () => {
    ({ browser, page, errors } = await openApp(inject('baseUrl')));
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('start-blank').click();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("gets the example's spikes from a graph built by quick-add, paste, a dropped wire, a group, a reload and auto-layout", async () => {
    // The external drive and the excitatory population, by quick-add.
    await quickAdd(120, 200, 'poisson drive', 'poisson-drive');
    await quickAdd(420, 120, 'lif delta', 'lif-delta');
    await select('lif1');
    await field('size', '2500');
    await page.getByTestId('param-v_init_mv-family').selectOption('uniform');
    await field('v_init_mv-low', '0');
    await field('v_init_mv-high', '20');
    // The inhibitory population: a copy of the excitatory one, pasted at the pointer.
    await select('lif1');
    await page.keyboard.press('Control+c');
    const p = await pane();
    await page.mouse.move(p.x + 420, p.y + 360);
    await page.keyboard.press('Control+v');
    await nodeCount(3);
    expect((await doc()).nodes[2]).toMatchObject({ id: 'lif2', kind: 'lif-delta', params: { v_init_mv: { dist: 'uniform', low: 0, high: 20 } } });
    await select('lif2');
    await field('size', '625');
    await wire('poisson1', 'drive', 'lif1', 'current');
    await wire('poisson1', 'drive', 'lif2', 'current');
    const halfway = JSON.stringify(await doc());
    await fs.promises.mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'scenario-halfway.png') });

    // Reload halfway (the "leave?" prompt is accepted): the graph comes back from the journal.
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByTestId('recovery-restore').click();
    await nodeCount(3);
    expect(JSON.stringify(await doc())).toBe(halfway);
    // The restored graph is fitted to the view; a step back keeps its handles clear of the minimap.
    await page.locator('.react-flow__controls-zoomout').click();
    await page.locator('.react-flow__controls-zoomout').click();

    // The four recurrent projections of Brunel's model A (g = 5: inhibitory weight 0.5 mV).
    await wire('lif1', 'spikes', 'lif1', 'in');
    await projection(1000, 0.1, 'exc');
    await wire('lif1', 'spikes', 'lif2', 'in');
    await projection(1000, 0.1, 'exc');
    await wire('lif2', 'spikes', 'lif1', 'in');
    await projection(250, 0.5, 'inh');
    await wire('lif2', 'spikes', 'lif2', 'in');
    await projection(250, 0.5, 'inh');
    // The monitor: a wire from the excitatory population dropped on empty canvas, then quick-add.
    await page.locator('.react-flow__node[data-id="lif1"] .react-flow__handle.source[data-handleid="spikes"]').hover();
    await page.mouse.down();
    const q = await pane();
    await page.mouse.move(q.x + q.width - 260, q.y + 80, { steps: 10 });
    await page.mouse.up();
    await page.getByTestId('quick-add-input').fill('spike monitor');
    await page.keyboard.press('Enter');
    await nodeCount(4);
    await wire('lif2', 'spikes', 'mon1', 'spikes');
    // The two populations become one group (Ctrl+G); the engine sees the same network.
    await select('lif1');
    await page.locator('.react-flow__node[data-id="lif2"] .sf-node-head').click({ modifiers: ['Control'] });
    await page.keyboard.press('Control+g');
    await page.waitForFunction(`(${sf.toString()})().editor.doc.nodes.some((n) => n.kind === 'group')`);
    // Tidy it: auto-layout, one undo step.
    await page.mouse.click(q.x + 30, q.y + q.height - 30);
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction(`(${sf.toString()})().editor.state.past.at(-1)?.label === 'Auto-layout'`);
    await page.locator('.react-flow__controls-fitview').click();
    const duration = page.getByTestId('sim-duration_ms');
    await duration.fill(String(DURATION_MS));
    await duration.press('Enter');
    await page.screenshot({ path: path.join(SHOTS, 'scenario-built.png') });

    // The built graph is the example's network: same kinds, params and wiring, with the editor's ids.
    const built = flattenDocument((await doc()) as never).doc as unknown as Doc;
    // Loaded as the app opens a file (migrated to the current format version, defaults filled).
    const loaded = loadDocument(fs.readFileSync(path.join(ROOT, 'examples/brunel.spikeflow.json'), 'utf8'));
    if (!loaded.ok) throw new Error(loaded.issues[0].message);
    const example = structuredClone(loaded.doc) as unknown as Doc & { simulation: { duration_ms: number } };
    const ids: Record<string, string> = { ext: 'poisson1', exc: 'lif1', inh: 'lif2', raster: 'mon1' };
    example.simulation.duration_ms = DURATION_MS;
    example.nodes.forEach((n) => (n.id = ids[n.id]));
    example.edges.forEach((e) => {
      e.source.node = ids[e.source.node];
      e.target.node = ids[e.target.node];
    });
    // The same wires (a group lists its inner wires after the outer ones, so compare as sets),
    // then the example's wires in the built order under the built ids: the same network.
    const key = (e: Doc['edges'][number]) => JSON.stringify([e.source, e.target, e.params.receptor ?? null]);
    expect(built.nodes.map((n) => [n.id, n.kind, n.params])).toEqual(example.nodes.map((n) => [n.id, n.kind, n.params]));
    expect(built.edges.map((e) => JSON.stringify([e.source, e.target, e.params])).sort()).toEqual(example.edges.map((e) => JSON.stringify([e.source, e.target, e.params])).sort());
    example.edges = built.edges.map((b) => ({ ...example.edges.find((e) => key(e) === key(b))!, id: b.id }));

    const ours = await runAndCount();
    await page.screenshot({ path: path.join(SHOTS, 'scenario-run.png') });
    const theirs = await runAndCount(example);
    expect(ours.spikes).toBeGreaterThan(1000);
    expect(ours).toEqual(theirs);

    // The README's picture of the editor: the built network, its run, and quick-add open.
    const r = await pane();
    await page.mouse.dblclick(r.x + 160, r.y + r.height - 200);
    await page.getByTestId('quick-add-input').fill('stdp');
    await page.screenshot({ path: path.join(ROOT, 'docs/editor.png') });
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('quick-add').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
