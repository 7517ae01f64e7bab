/**
 * Re-save every example through the loader and serializer, so examples are in
 * canonical form (a test checks it): `npx tsx scripts/format-examples.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');
let failed = false;
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.json'))
  .sort()) {
  const file = path.join(dir, f);
  const r = loadDocument(readFileSync(file, 'utf8'));
  if (!r.ok) {
    failed = true;
    console.error(`${f}:\n  ${r.issues.map((i) => i.message).join('\n  ')}`);
    continue;
  }
  writeFileSync(file, serializeDocument(r.doc));
  console.log(`formatted ${f}`);
}
process.exitCode = failed ? 1 : 0;
