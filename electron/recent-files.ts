/**
 * The recent-files list: most recent first, no duplicates, capped, persisted as JSON
 * (written atomically) in the user-data directory. No Electron imports.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from './files.ts';

/** How many recent files are kept. */
export const RECENT_FILES_MAX = 10;

/** File name of the store inside `app.getPath('userData')`. */
export const RECENT_FILES_STORE = 'recent-files.json';

/**
 * Paths compare case-insensitively where the file system usually does (Windows,
 * macOS), so `C:\A.json` and `c:\a.json` are one entry.
 */
export function samePath(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  const caseInsensitive = platform === 'win32' || platform === 'darwin';
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The list with `filePath` moved (or added) to the front, deduplicated and capped. Pure. */
export function withRecent(list: readonly string[], filePath: string, max = RECENT_FILES_MAX, platform: NodeJS.Platform = process.platform): string[] {
  return [filePath, ...list.filter((p) => !samePath(p, filePath, platform))].slice(0, max);
}

/** A persisted recent-files list. Writes are queued so the file always reflects the latest list. */
export class RecentFiles {
  private files: string[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storePath: string,
    private readonly max = RECENT_FILES_MAX,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Read the store. A missing or corrupt store yields an empty list rather than an error. */
  async load(): Promise<readonly string[]> {
    try {
      const data: unknown = JSON.parse(await fsp.readFile(this.storePath, 'utf8'));
      const raw = (data as { files?: unknown } | null)?.files;
      const valid = Array.isArray(raw) ? raw.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)) : [];
      this.files = valid.reduceRight<string[]>((acc, p) => withRecent(acc, p, this.max, this.platform), []);
    } catch {
      this.files = [];
    }
    return this.list();
  }

  list(): readonly string[] {
    return [...this.files];
  }

  has(filePath: string): boolean {
    return this.files.some((p) => samePath(p, filePath, this.platform));
  }

  /** Put `filePath` at the front and persist. */
  add(filePath: string): Promise<readonly string[]> {
    this.files = withRecent(this.files, path.resolve(filePath), this.max, this.platform);
    return this.persist();
  }

  /** Drop `filePath` (e.g. it no longer exists) and persist. */
  remove(filePath: string): Promise<readonly string[]> {
    this.files = this.files.filter((p) => !samePath(p, filePath, this.platform));
    return this.persist();
  }

  clear(): Promise<readonly string[]> {
    this.files = [];
    return this.persist();
  }

  private persist(): Promise<readonly string[]> {
    const text = `${JSON.stringify({ version: 1, files: this.files }, null, 2)}\n`;
    const next = this.writing.then(async () => {
      await fsp.mkdir(path.dirname(this.storePath), { recursive: true });
      await writeFileAtomic(this.storePath, text);
    });
    // A failed write must not block later ones; the caller still sees this one's error.
    this.writing = next.catch(() => undefined);
    return next.then(() => this.list());
  }
}
