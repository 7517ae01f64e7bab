/**
 * Groups (issue 11, item 4) in Debian Chromium, as a user works: select two nodes and
 * press Ctrl+G, rename a port, open the group and come back by the breadcrumbs,
 * ungroup (and undo it), save the group to the library, drag a motif in, wire it to a
 * monitor, run, and see spikes. Screenshots go to $TMPDIR/spikeflow-groups/.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dragFromPalette as dragFromPaletteTo, dragWire, openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(process.env.TMPDIR ?? os.tmpdir(), 'spikeflow-groups');

interface Port {
  id: string;
  label: string;
  direction: string;
  node: string;
  port: string;
}
interface Node {
  id: string;
  kind: string;
  label: string;
  nodes?: Node[];
  ports?: Port[];
  collapsed?: boolean;
}
interface Doc {
  nodes: Node[];
  edges: { id: string; source: { node: string; port: string }; target: { node: string; port: string } }[];
}
interface AppWindow {
  __spikeflow: { editor: { doc: Doc; view: Doc; state: { past: unknown[]; groupPath: string[]; selection: { nodes: string[] } } } };
}

describe.runIf(run)('groups, through the UI', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const doc = (): Promise<Doc> => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc);
  const state = () =>
    page.evaluate(() => {
      const s = (window as unknown as AppWindow).__spikeflow.editor.state;
      return { past: s.past.length, groupPath: s.groupPath, selection: s.selection.nodes };
    });
  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

  const dragFromPalette = (testId: string, x: number, y: number) => dragFromPaletteTo(page, testId, x, y);
  const wire = (from: string, fromPort: string, to: string, toPort: string) => dragWire(page, from, fromPort, to, toPort);

  beforeAll(async () => {
    ({ browser, page, errors } = await openApp(inject('baseUrl')));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('groups two selected nodes with Ctrl+G into one node whose ports are the crossing wires, as one undo step', async () => {
    await dragFromPalette('palette-poisson-source', 420, 200);
    await dragFromPalette('palette-lif-curr-exp', 680, 200);
    await dragFromPalette('palette-lif-curr-exp', 680, 420);
    await dragFromPalette('palette-spike-monitor', 960, 300);
    await wire('poisson1', 'spikes', 'lif1', 'in');
    await wire('lif1', 'spikes', 'lif2', 'in');
    await wire('lif2', 'spikes', 'mon1', 'spikes');
    await node('lif1').locator('.sf-node-label').click();
    await node('lif2')
      .locator('.sf-node-label')
      .click({ modifiers: ['Control'] });
    await expect.poll(async () => (await state()).selection).toEqual(['lif1', 'lif2']);
    const past = (await state()).past;
    await page.keyboard.press('Control+g');
    await page.waitForFunction(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.some((n) => n.kind === 'group'));
    const d = await doc();
    expect(d.nodes.map((n) => n.id)).toEqual(['poisson1', 'group1', 'mon1']);
    const g = d.nodes[1];
    expect(g.nodes!.map((n) => n.id)).toEqual(['lif1', 'lif2']);
    expect(g.ports!.map((p) => `${p.direction} ${p.label} = ${p.node}.${p.port}`)).toEqual(['in lif1 = lif1.in', 'out lif2 = lif2.spikes']);
    expect(d.edges.map((e) => `${e.source.node}.${e.source.port} → ${e.target.node}.${e.target.port}`)).toEqual(['poisson1.spikes → group1.lif1-in', 'group1.lif2-spikes → mon1.spikes']);
    expect((await state()).past).toBe(past + 1);
    // The group node shows its ports as handles, wired.
    await expect.poll(() => node('group1').locator('.react-flow__handle').count()).toBe(2);
    await shot('1-grouped');
  });

  it('renames a port in the inspector, and the group node shows the new name', async () => {
    await page.getByTestId('port-name-lif1-in').fill('drive');
    await page.getByTestId('port-name-lif1-in').blur();
    await expect.poll(async () => (await doc()).nodes[1].ports![0].label).toBe('drive');
    await expect.poll(() => node('group1').locator('.sf-port-label').first().textContent()).toBe('drive');
    // The wire still ends at the port's id.
    expect((await doc()).edges[0].target).toEqual({ node: 'group1', port: 'lif1-in' });
    await shot('2-port-renamed');
  });

  it('collapses and expands the group, each one undo step', async () => {
    const past = (await state()).past;
    await page.getByTestId('group-collapse-group1').click();
    await expect.poll(async () => (await doc()).nodes[1].collapsed).toBe(true);
    expect(await page.getByTestId('group-contents-group1').count()).toBe(0);
    await shot('3-collapsed');
    await page.getByTestId('group-collapse-group1').click();
    await expect.poll(async () => (await doc()).nodes[1].collapsed).toBe(false);
    expect((await state()).past).toBe(past + 2);
  });

  it('opens the group by double-click, shows its boundary, adds a port from inside, and goes back by the breadcrumbs', async () => {
    await node('group1').locator('.sf-node-label').dblclick();
    await expect.poll(async () => (await state()).groupPath).toEqual(['group1']);
    await page.getByTestId('group-breadcrumbs').waitFor();
    // The two inner nodes, and the group's inputs and outputs beside them.
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
    expect(await node('lif1').isVisible()).toBe(true);
    expect(await page.getByTestId('group-boundary-in').locator('.sf-port-label').first().textContent()).toBe('drive');
    expect(await page.locator('.react-flow__edge.sf-boundary-wire').count()).toBe(2);
    expect(await page.getByTestId('breadcrumb-1').textContent()).toBe('Group 1');
    // Wire from the inputs' "+" to lif1's current input: a new port of the group.
    await page.getByTestId('group-boundary-in').locator('.sf-handle-new').dragTo(node('lif1').locator('.react-flow__handle.target[data-handleid="current"]'));
    await expect.poll(async () => (await doc()).nodes[1].ports!.map((p) => p.id)).toEqual(['lif1-in', 'lif2-spikes', 'lif1-current']);
    await expect.poll(() => page.locator('.react-flow__edge.sf-boundary-wire').count()).toBe(3);
    // An edit inside: select lif2 and change its size in the inspector.
    await node('lif2').locator('.sf-node-label').click();
    await page.getByTestId('node-inspector').waitFor();
    await shot('4-inside-group');
    await page.getByTestId('breadcrumb-0').click();
    await expect.poll(async () => (await state()).groupPath).toEqual([]);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    expect(await page.getByTestId('group-breadcrumbs').count()).toBe(0);
    // ⤢ opens it too, and Escape leaves it.
    await page.getByTestId('group-enter-group1').click();
    await expect.poll(async () => (await state()).groupPath).toEqual(['group1']);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await state()).groupPath).toEqual([]);
    // Outside, the new port is a third handle on the group; remove it again in the inspector.
    await expect.poll(() => node('group1').locator('.react-flow__handle').count()).toBe(3);
    await node('group1').locator('.sf-node-label').click();
    await page.getByTestId('port-remove-lif1-current').click();
    await expect.poll(() => node('group1').locator('.react-flow__handle').count()).toBe(2);
  });

  it('ungroups with Ctrl+Shift+G as one undo step, and Ctrl+Z puts the group back', async () => {
    await node('group1').locator('.sf-node-label').click();
    await expect.poll(async () => (await state()).selection).toEqual(['group1']);
    const grouped = JSON.stringify(await doc());
    await page.keyboard.press('Control+Shift+G');
    await expect.poll(async () => (await doc()).nodes.map((n) => n.id)).toEqual(['poisson1', 'lif1', 'lif2', 'mon1']);
    expect((await doc()).edges.map((e) => `${e.source.node} → ${e.target.node}`).sort()).toEqual(['lif1 → lif2', 'lif2 → mon1', 'poisson1 → lif1']);
    await shot('5-ungrouped');
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => JSON.stringify(await doc())).toBe(grouped);
  });

  it('saves the group to the library, and the palette offers it', async () => {
    await node('group1').locator('.sf-node-label').click();
    await page.getByTestId('group-save-library').click();
    const item = page.getByTestId('palette-library').locator('.sf-palette-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.first().locator('.sf-palette-label').textContent()).toBe('Group 1');
    await page.getByTestId('palette-library').scrollIntoViewIfNeeded();
    await shot('6-library');
  });

  it('drags a motif from the palette, wires it to the monitor, runs, and gets spikes', async () => {
    await dragFromPalette('group-item-motif-ei', 480, 430);
    const d = await doc();
    const motif = d.nodes[d.nodes.length - 1];
    expect(motif.kind).toBe('group');
    expect(motif.label).toBe('Balanced E/I network');
    // Its inner ids were fresh: none collides with what the document already had.
    const ids = new Set<string>();
    const walk = (list: Node[]) =>
      list.forEach((n) => {
        expect(ids.has(n.id)).toBe(false);
        ids.add(n.id);
        if (n.nodes) walk(n.nodes);
      });
    walk(d.nodes);
    // Placed with every param filled in: no issue badge.
    expect(await node(motif.id).locator('.sf-node-badge').count()).toBe(0);
    await wire(motif.id, 'exc', 'mon1', 'spikes');
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000 }).toMatch(/finished/);
    const drawn = Number(await page.getByTestId('raster').getAttribute('data-spike-count'));
    expect(drawn).toBeGreaterThan(1000);
    await shot('7-motif-run');
    // The README's picture of groups.
    await page.screenshot({ path: fileURLToPath(new URL('../../docs/groups.png', import.meta.url)) });
    expect(errors).toEqual([]);
  });
});
