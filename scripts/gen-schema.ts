/**
 * Writes engine/format/spikeflow-graph.schema.json from the kind registry.
 *   npx tsx scripts/gen-schema.ts           # write the file
 *   npx tsx scripts/gen-schema.ts --check   # exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_PATH, schemaText } from '../engine/format/schema.ts';

const file = fileURLToPath(new URL(`../${SCHEMA_PATH}`, import.meta.url));
const text = schemaText();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // A missing file is simply out of date.
  }
  if (current !== text) {
    console.error(`${SCHEMA_PATH} is out of date: run npx tsx scripts/gen-schema.ts`);
    process.exit(1);
  }
  console.log(`${SCHEMA_PATH} is up to date.`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${SCHEMA_PATH}`);
}
