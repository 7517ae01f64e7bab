/**
 * Writes engine/analysis/stats-kernels-wasm.ts, the assembled module of the
 * spike monitors' statistics kernels (engine/analysis/stats-kernels.ts
 * `statsKernelDefs`), so a run loads 1.4 kB instead of building them
 * (engine/analysis/stats-kernels.test.ts checks the file against the builders).
 *   npx tsx scripts/gen-stats-kernels.ts           # write the file
 *   npx tsx scripts/gen-stats-kernels.ts --check   # exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { assemble } from '../engine/core/wasm.ts';
import { statsKernelDefs } from '../engine/analysis/stats-kernels.ts';

const PATH = 'engine/analysis/stats-kernels-wasm.ts';
const file = fileURLToPath(new URL(`../${PATH}`, import.meta.url));
const source = `/**
 * The module of the spike monitors' statistics kernels, assembled from
 * stats-kernels.ts \`statsKernelDefs\`. Generated: do not edit; after changing the
 * kernels run \`npx tsx scripts/gen-stats-kernels.ts\` (stats-kernels.test.ts checks it).
 */
export const STATS_KERNELS_WASM: readonly number[] = [${Array.from(assemble(statsKernelDefs())).join(', ')}];
`;
const text = await prettier.format(source, { ...(await prettier.resolveConfig(file)), filepath: file });
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // A missing file is simply out of date.
  }
  if (current !== text) {
    console.error(`${PATH} is out of date: run npx tsx scripts/gen-stats-kernels.ts`);
    process.exit(1);
  }
  console.log(`${PATH} is up to date.`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${PATH}`);
}
