#!/usr/bin/env node
// The spikeflow CLI. The engine is TypeScript: it is bundled with esbuild into
// node_modules/.cache/spikeflow on first use (and again whenever a source file
// is newer than the bundle), so a run starts in tens of milliseconds instead of
// compiling TypeScript on every start.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'engine/hosts/cli.ts');
const bundle = path.join(root, 'node_modules/.cache/spikeflow/cli.mjs');

/** The newest modification time of the sources the bundle is made of. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|json|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

async function load() {
  if (process.env.SPIKEFLOW_NO_BUNDLE) {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(entry).href);
  }
  const stale = !existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(newest(path.join(root, 'engine')), newest(path.join(root, 'data')));
  if (stale) {
    const esbuild = await import('esbuild');
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      packages: 'external',
      logLevel: 'error',
      write: false,
    });
    // Write beside it and rename: another spikeflow starting now sees the old or the new bundle, never half of one.
    mkdirSync(path.dirname(bundle), { recursive: true });
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, out.outputFiles[0].contents);
    renameSync(tmp, bundle);
  }
  return import(pathToFileURL(bundle).href);
}

const { main } = await load();
const code = await main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  workerBootUrl: pathToFileURL(path.join(root, 'engine/hosts/node-worker-boot.mjs')),
  // Simulation threads start from the loaded module itself (the bundle serves them; sim-thread-node-entry.ts).
  threadEntryUrl: process.env.SPIKEFLOW_NO_BUNDLE ? undefined : pathToFileURL(bundle),
});
process.exitCode = code;
