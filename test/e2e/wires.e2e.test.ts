/**
 * Wires routed round nodes and labels kept clear of them (issue 11, item 5), in Debian
 * Chromium, measured on the drawn page: every wire's SVG path is sampled every few
 * pixels and no sample may fall inside a node's box, and no label's box may overlap a
 * node's. Checked with a node dropped onto a wire, on an example as it opens, after
 * auto-layout (elk's routes drawn: `data-route="kept"`), after moving a node (its wires
 * leave the kept route) and after undo (they return). Screenshots go to
 * $TMPDIR/spikeflow-wires/.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerDiscardUntil, dragFromPalette, dragWire, openApp } from './browser.ts';
import { hasChromium, requireTool } from '../require-tool.ts';

const run = requireTool('Debian Chromium (/usr/bin/chromium)', hasChromium(), 'apt-get install -y chromium');
const SHOTS = path.join(process.env.TMPDIR ?? os.tmpdir(), 'spikeflow-wires');

interface AppWindow {
  __spikeflow: { editor: { doc: { nodes: { id: string; position: { x: number; y: number } }[]; edges: { id: string; source: { node: string }; target: { node: string } }[] } } };
}

interface Overlap {
  readonly what: string;
  readonly node: string;
}

/** In the page: wires whose drawn path runs inside a node's box (ends excepted: they sit on the node's edge), and labels over a node. */
function overlapsOnPage(): Overlap[] {
  const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((el) => ({ id: el.dataset.id ?? '?', r: el.getBoundingClientRect() }));
  const inside = (x: number, y: number, r: DOMRect, pad: number) => x > r.left + pad && x < r.right - pad && y > r.top + pad && y < r.bottom - pad;
  const out: { what: string; node: string }[] = [];
  for (const g of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
    const p = g.querySelector<SVGPathElement>('path.react-flow__edge-path');
    const m = p?.getScreenCTM();
    if (!p || !m) continue;
    const len = p.getTotalLength();
    const id = (g.dataset.id ?? g.getAttribute('data-testid') ?? '?').replace('rf__edge-', '');
    for (let s = 8; s < len - 8; s += 3) {
      const q = new DOMPoint(p.getPointAtLength(s).x, p.getPointAtLength(s).y).matrixTransform(m);
      const hit = nodes.find((n) => inside(q.x, q.y, n.r, 2));
      if (hit) {
        out.push({ what: `wire ${id}`, node: hit.id });
        break;
      }
    }
  }
  for (const l of document.querySelectorAll<HTMLElement>('.sf-wire-label')) {
    const r = l.getBoundingClientRect();
    const hit = nodes.find((n) => r.left < n.r.right && n.r.left < r.right && r.top < n.r.bottom && n.r.top < r.bottom);
    if (hit) out.push({ what: `label ${l.dataset.testid ?? '?'}`, node: hit.id });
  }
  return out;
}

describe.runIf(run)('wires round nodes', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  const routes = (): Promise<Record<string, string>> =>
    page.evaluate(() => {
      const out: Record<string, string> = {};
      for (const g of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
        const id = (g.getAttribute('data-testid') ?? '').replace('rf__edge-', '');
        out[id] = g.querySelector('path.react-flow__edge-path')?.getAttribute('data-route') ?? '';
      }
      return out;
    });
  /** Let React Flow measure and the wires re-draw. */
  const settle = () => page.waitForTimeout(400);
  const overlaps = () => page.evaluate(overlapsOnPage);

  beforeAll(async () => {
    ({ browser, page, errors } = await openApp(inject('baseUrl')));
    await page.getByTestId('start-blank').click();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('routes a wire round a node dropped onto it, at once', async () => {
    await dragFromPalette(page, 'palette-poisson-source', 420, 250);
    await dragFromPalette(page, 'palette-lif-curr-exp', 980, 250);
    await dragWire(page, 'poisson1', 'spikes', 'lif1', 'in');
    await settle();
    const [wireId] = Object.keys(await routes());
    expect((await routes())[wireId]).toBe('bezier');
    // The middle of the wire on screen; a monitor dropped so that its box covers it.
    const mid = await page.evaluate((id) => {
      const p = document.querySelector<SVGPathElement>(`[data-testid="rf__edge-${id}"] path.react-flow__edge-path`)!;
      const at = p.getPointAtLength(p.getTotalLength() / 2);
      const q = new DOMPoint(at.x, at.y).matrixTransform(p.getScreenCTM()!);
      return { x: q.x, y: q.y };
    }, wireId);
    await dragFromPalette(page, 'palette-spike-monitor', mid.x, mid.y - 30);
    await settle();
    await shot('node-on-wire');
    const monitor = (await page.locator('.react-flow__node[data-id="mon1"]').boundingBox())!;
    expect(mid.y).toBeGreaterThan(monitor.y);
    expect(mid.y).toBeLessThan(monitor.y + monitor.height);
    expect((await routes())[wireId]).toBe('routed');
    expect(await overlaps()).toEqual([]);
  });

  it('draws no wire and no label under a node as the example opens; the wires that run back go round', async () => {
    await page.getByTestId('examples').click();
    await page.getByTestId('example-poisson-ei').click();
    await answerDiscardUntil(page, () => page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.length === 4));
    await settle();
    await shot('opened');
    expect(await overlaps()).toEqual([]);
    const r = await routes();
    expect(Object.keys(r).sort()).toEqual(['e_i', 'i_e', 'in_e', 'in_i', 'm_e', 'm_i', 'm_in']);
    // Excitatory → inhibitory and back both run from a right-side output to a left-side input to the left of it.
    expect(r.e_i).toBe('routed');
    expect(r.i_e).toBe('routed');
    expect(r.in_e).toBe('bezier');
  });

  it("auto-layout draws elk's routes for every wire, none under a node, labels clear", async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction(() => document.querySelectorAll('path.react-flow__edge-path[data-route="kept"]').length === 7);
    await page.locator('.react-flow__controls-fitview').click();
    await settle();
    await shot('laid-out');
    expect(Object.values(await routes())).toEqual(Array(7).fill('kept'));
    expect(await overlaps()).toEqual([]);
  });

  it('a moved node takes its wires off the kept routes (the others keep theirs), and undo brings them back', async () => {
    // The monitor, last on the right: moving it down blocks no other wire.
    const before = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'raster')!.position);
    const header = (await page.locator('.react-flow__node[data-id="raster"] .sf-node-label').boundingBox())!;
    await page.mouse.move(header.x + 10, header.y + 5);
    await page.mouse.down();
    await page.mouse.move(header.x + 10, header.y + 45, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((b) => (window as unknown as AppWindow).__spikeflow.editor.doc.nodes.find((n) => n.id === 'raster')!.position.y > b.y, before);
    await settle();
    await shot('moved');
    const r = await routes();
    const edges = await page.evaluate(() => (window as unknown as AppWindow).__spikeflow.editor.doc.edges);
    for (const e of edges) {
      const touches = e.source.node === 'raster' || e.target.node === 'raster';
      expect(r[e.id] === 'kept', e.id).toBe(!touches);
    }
    expect(await overlaps()).toEqual([]);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelectorAll('path.react-flow__edge-path[data-route="kept"]').length === 7);
    expect(errors).toEqual([]);
  });
});
