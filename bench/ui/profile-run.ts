/**
 * Where the main thread's time goes during a live run (a helper for the UI bench):
 * a CPU profile over a short run of the bench's 100,000-neuron / 125 M-synapse network, self time
 * summed per function, top 25 printed.   npx tsx bench/ui/profile-run.ts [sim ms]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { launchBrowser } from '../../test/e2e/browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

async function main(): Promise<void> {
  const simMs = Number(process.argv[2] ?? 300);
  const { ISSUE_13, brunelScaled } = await import('./networks.ts');
  const outDir = mkdtempSync(path.join(tmpdir(), 'spikeflow-profile-ui-'));
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: false } });
  const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, open: false } });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.resolvedUrls!.local[0]);
    await page.getByTestId('palette-poisson-source').waitFor();
    await page.getByTestId('open-file-input').setInputFiles({ name: 'b.json', mimeType: 'application/json', buffer: Buffer.from(brunelScaled(ISSUE_13, simMs)) });
    await page.locator('.react-flow__node[data-id="raster"]').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await page.getByTestId('run').click();
    for (;;) {
      const phase = await page.evaluate(() => (window as unknown as { __spikeflow: { editor: { state: { run: { phase: string } } } } }).__spikeflow.editor.state.run.phase);
      if (phase === 'running') break;
      await page.waitForTimeout(100);
    }
    await cdp.send('Profiler.start');
    for (;;) {
      const phase = await page.evaluate(() => (window as unknown as { __spikeflow: { editor: { state: { run: { phase: string } } } } }).__spikeflow.editor.state.run.phase);
      if (!/^(running|stopping|paused)$/.test(phase)) break;
      await page.waitForTimeout(200);
    }
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const key = `${n.callFrame.functionName || '(anon)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`total sampled ${total.toFixed(0)} ms`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
