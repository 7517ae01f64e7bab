/**
 * The desktop app's autosave journal (`renderer/recovery/journal.ts` decides what and
 * when): one JSON file, `<userData>/recovery/journal.json`, replaced atomically on every
 * write, so a crash or a killed process leaves either the previous journal or the new
 * one, never half of one. Main does not interpret the record beyond checking that it is
 * a small JSON object with a `text` string; the renderer validates the rest when it
 * reads it back. No Electron imports, so it is tested against a real temporary directory.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_DOCUMENT_BYTES, writeFileAtomic } from './files.ts';

export const JOURNAL_FILE = 'journal.json';

export class Journal {
  /** `dir` is the folder the journal lives in (created on the first write). */
  constructor(private readonly dir: string) {}

  get file(): string {
    return path.join(this.dir, JOURNAL_FILE);
  }

  /** The journaled record, or null when there is none or it is unreadable (a journal never blocks the start). */
  async read(): Promise<unknown> {
    try {
      const text = await fsp.readFile(this.file, 'utf8');
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  async write(record: unknown): Promise<void> {
    if (typeof record !== 'object' || record === null || typeof (record as { text?: unknown }).text !== 'string') {
      throw new TypeError('A journal record is an object with the document text.');
    }
    const text = JSON.stringify(record);
    if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`The document is too large to journal (${Math.round(text.length / 1048576)} MB).`);
    try {
      await fsp.mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.file, text);
    } catch (err) {
      throw new Error(`Could not write the autosave journal ${this.file}: ${(err as Error).message}`);
    }
  }

  async clear(): Promise<void> {
    await fsp.rm(this.file, { force: true });
  }
}
