import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal, JOURNAL_FILE } from './journal.ts';

describe('the desktop autosave journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sf-journal-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('reads back exactly the record it wrote, creating its folder', async () => {
    const journal = new Journal(path.join(dir, 'recovery'));
    const record = { version: 1, text: '{"format":"spikeflow-graph"}', name: 'Net', file: { path: null, fileName: null }, savedAt: '2026-01-01T00:00:00.000Z' };
    await journal.write(record);
    expect(await journal.read()).toEqual(record);
    expect(await fsp.readdir(path.join(dir, 'recovery'))).toEqual([JOURNAL_FILE]);
  });

  it('answers null when there is no journal, or when the file is not JSON', async () => {
    const journal = new Journal(dir);
    expect(await journal.read()).toBeNull();
    await fsp.writeFile(path.join(dir, JOURNAL_FILE), '{"text": "half a wri');
    expect(await journal.read()).toBeNull();
  });

  it('replaces the previous record and leaves no temporary files', async () => {
    const journal = new Journal(dir);
    await journal.write({ text: 'one' });
    await journal.write({ text: 'two' });
    expect(await journal.read()).toEqual({ text: 'two' });
    expect(await fsp.readdir(dir)).toEqual([JOURNAL_FILE]);
  });

  it('refuses a record without document text, keeping the old one', async () => {
    const journal = new Journal(dir);
    await journal.write({ text: 'kept' });
    await expect(journal.write({ nope: 1 })).rejects.toThrow(/document text/);
    await expect(journal.write('text')).rejects.toThrow(/document text/);
    expect(await journal.read()).toEqual({ text: 'kept' });
  });

  it('clears the journal, and clearing twice is fine', async () => {
    const journal = new Journal(dir);
    await journal.write({ text: 'x' });
    await journal.clear();
    await journal.clear();
    expect(await journal.read()).toBeNull();
  });
});
