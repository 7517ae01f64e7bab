/**
 * The bench's in-process probe, run in a fresh child by bench/run.ts:
 *
 *   node --expose-gc --import tsx bench/probe.ts memory FILE [--seed N]
 *     Builds FILE's network through the engine protocol (a paused run, so the
 *     network exists but no step ran), and prints one JSON line: the engine's
 *     own `memoryBytes` (RunStarted reply), and RSS / ArrayBuffer bytes before
 *     and after the build, each taken after a full GC.
 *
 *   node --import tsx bench/probe.ts cli RSS_FILE -- CLI-ARGS...
 *     Runs the spikeflow CLI in this process and writes this process's peak
 *     RSS (`process.resourceUsage().maxRSS`, bytes) to RSS_FILE: the fallback
 *     when GNU time is not installed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { loadDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { EngineClient } from '../engine/protocol/client.ts';
import { createInProcessEngine } from '../engine/hosts/in-process.ts';
import { main as cliMain } from '../engine/hosts/cli.ts';

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the memory probe with node --expose-gc');
  // Twice: the first pass can leave weakly held garbage for the second.
  gc();
  gc();
}

async function memoryProbe(file: string, seed: number | undefined): Promise<Record<string, unknown>> {
  const loaded = loadDocument(await readFile(file, 'utf8'));
  if (!loaded.ok) throw new Error(`${file}: ${loaded.issues.map((i) => `${i.pointer}: ${i.message}`).join('; ')}`);
  const compiled = compileDocument(loaded.doc, { seed });
  if (!compiled.ok) throw new Error(`${file}: ${compiled.issues.map((i) => `${i.pointer}: ${i.message}`).join('; ')}`);
  const plan = compiled.plan;
  const engine = createInProcessEngine({ memoryLimitBytes: Math.floor(os.totalmem() * 0.8) });
  const client = new EngineClient(engine.endpoint);
  await client.hello();
  fullGc();
  const before = process.memoryUsage();
  const started = await client.run(plan, { startPaused: true });
  fullGc();
  const after = process.memoryUsage();
  await client.stop();
  client.dispose();
  engine.close();
  return {
    file,
    neurons: started.neurons,
    synapses: started.synapses,
    build_ms: started.buildMs,
    memory_bytes: started.memoryBytes,
    rss_before: before.rss,
    rss_after: after.rss,
    array_buffers_before: before.arrayBuffers,
    array_buffers_after: after.arrayBuffers,
    heap_used_before: before.heapUsed,
    heap_used_after: after.heapUsed,
    max_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

async function probeMain(argv: readonly string[]): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode === 'memory') {
    const file = rest[0];
    const si = rest.indexOf('--seed');
    const seed = si >= 0 ? Number(rest[si + 1]) : undefined;
    if (!file) throw new Error('usage: probe.ts memory FILE [--seed N]');
    process.stdout.write(JSON.stringify(await memoryProbe(file, seed)) + '\n');
    return 0;
  }
  if (mode === 'cli') {
    const [rssFile, dashes, ...cliArgs] = rest;
    if (!rssFile || dashes !== '--') throw new Error('usage: probe.ts cli RSS_FILE -- CLI-ARGS...');
    const code = await cliMain(cliArgs, {
      out: (t) => process.stdout.write(t + '\n'),
      err: (t) => process.stderr.write(t + '\n'),
    });
    await writeFile(rssFile, String(process.resourceUsage().maxRSS * 1024));
    return code;
  }
  throw new Error(`unknown probe mode ${JSON.stringify(mode)} (memory | cli)`);
}

probeMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`probe: ${(e as Error).message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
