// Bundles the Electron side into dist-electron/ (CommonJS, `electron` left external):
//   electron/main.ts                 → dist-electron/main.cjs        (main process)
//   electron/preload.ts              → dist-electron/preload.cjs     (sandboxed preload)
//   engine/hosts/electron-utility.ts → dist-electron/engine-host.cjs (engine utility process)
// The renderer is built separately by Vite into dist/.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  { ...common, platform: 'node', target: 'node20', entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.cjs' },
  // A sandboxed preload can require only `electron` and a few polyfilled modules, so it is
  // bundled for the browser: an accidental Node import fails the build instead of the window.
  { ...common, platform: 'browser', target: 'chrome120', entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs' },
  { ...common, platform: 'node', target: 'node20', entryPoints: ['engine/hosts/electron-utility.ts'], outfile: 'dist-electron/engine-host.cjs' },
];

if (watch) {
  const esbuild = await import('esbuild');
  for (const options of targets) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(targets.map((options) => build(options)));
}
