import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LONG_FIRST, longRank } from './sequencer.ts';
import { ROOT } from './helpers.ts';

describe('the order npm test starts its files in', () => {
  it('names only files that exist, so a renamed long file is not silently started last', () => {
    for (const f of LONG_FIRST) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
  });

  it('ranks the long files in their listed order and every other file after them', () => {
    expect(longRank('/x/test/pynn-bands-brunel-neuron.test.ts')).toBe(0);
    expect(longRank('/x/test/pynn-bands.test.ts')).toBe(1);
    expect(longRank('/x/test/other.test.ts')).toBe(LONG_FIRST.length);
    // A path ending in a listed name but not that file.
    expect(longRank('/x/test/not-pynn-bands.test.ts')).toBe(LONG_FIRST.length);
  });
});
