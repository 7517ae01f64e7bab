import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDocument, serializeDocument } from '../engine/format/load.ts';
import { compileDocument } from '../engine/compile/compile.ts';
import { ROOT } from './helpers.ts';

const files = readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('examples', () => {
  it('there are examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s loads, compiles, and is saved in canonical form', (f) => {
    const text = readFileSync(path.join(ROOT, 'examples', f), 'utf8');
    const r = loadDocument(text);
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.doc.meta.description.length).toBeGreaterThan(20);
    const c = compileDocument(r.doc);
    if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('\n'));
    // Run `npx tsx scripts/format-examples.ts` when this fails.
    expect(serializeDocument(r.doc)).toBe(text);
  });
});
