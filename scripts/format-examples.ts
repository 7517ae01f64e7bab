/**
 * Re-save every example through the loader and serializer, so examples are in
 * canonical form (tests check it): `npx tsx scripts/format-examples.ts`. It covers
 * `examples/*.json` and the example folders (`criticality/`, `datasets/`, …).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import { provideDocumentDatasets } from '../engine/hosts/dataset-files-node.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');
let failed = false;
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((x) => x.endsWith('.spikeflow.json') || (!x.includes(path.sep) && x.endsWith('.json')))
  .sort();
for (const f of files) {
  const file = path.join(dir, f);
  const text = readFileSync(file, 'utf8');
  // Dataset examples load only with their files read (datasets/ needs dataset-fashion-mnist).
  await provideDocumentDatasets(JSON.parse(text), file);
  const r = loadDocument(text);
  if (!r.ok) {
    failed = true;
    console.error(`${f}:\n  ${r.issues.map((i) => i.message).join('\n  ')}`);
    continue;
  }
  writeFileSync(file, serializeDocument(r.doc));
  console.log(`formatted ${f}`);
}
process.exitCode = failed ? 1 : 0;
