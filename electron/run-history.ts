/**
 * Run history on disk, beside the document: `<dir>/<name>.spikeflow-runs/` for
 * `<dir>/<name>.spikeflow.json`, holding `index.json` (the list entries, newest first)
 * and one `<id>.sfrun` per run (the renderer's binary encoding; opaque here).
 * No Electron imports, so it is tested against a real temporary directory.
 *
 * Writes are atomic (temp file, fsync, rename, folder fsync) and serialised per folder. A run's
 * data is written before the index names it and the index drops a run before its
 * file goes, so the index never points at a missing file. The renderer is not trusted
 * with paths: only a document main already lets it write (opened, saved or recent)
 * gets a history folder, and run ids are plain file names.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { RunHistoryEntry } from './api.ts';
import { writeFileAtomic } from '../engine/hosts/atomic-write.ts';

export const HISTORY_FOLDER_SUFFIX = '.spikeflow-runs';
export const HISTORY_INDEX = 'index.json';
export const RUN_FILE_EXTENSION = '.sfrun';
const INDEX_FORMAT = 'spikeflow-run-history';
/** Largest run main will store (the renderer bounds runs lower; this guards the disk). */
export const MAX_RUN_FILE_BYTES = 512 * 1024 * 1024;
/** Largest list entry: entries are small summaries, not data. */
export const MAX_ENTRY_BYTES = 64 * 1024;
export const MAX_KEEP = 10_000;
const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The history folder of a document file. */
export function historyFolder(documentPath: string): string {
  const full = path.resolve(documentPath);
  const base = path.basename(full).replace(/\.spikeflow\.json$|\.json$/i, '');
  return path.join(path.dirname(full), `${base}${HISTORY_FOLDER_SUFFIX}`);
}

/** Replace `filePath` with `bytes` atomically (the shared writer, engine/hosts/atomic-write.ts). */
export function writeBytesAtomic(filePath: string, bytes: Uint8Array): Promise<void> {
  return writeFileAtomic(filePath, bytes);
}

function newestFirst(a: RunHistoryEntry, b: RunHistoryEntry): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A run id from the renderer: a plain file name, or an error. */
export function checkRunId(id: unknown): string {
  if (typeof id !== 'string' || !RUN_ID.test(id)) throw new TypeError(`A run id is letters, digits and dashes (at most 64); got ${JSON.stringify(id)}.`);
  return id;
}

/** A list entry from the renderer, checked: an object with a valid id and an ISO date, small. */
export function parseEntry(value: unknown): RunHistoryEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('A run entry must be an object.');
  const e = value as Record<string, unknown>;
  checkRunId(e.id);
  if (typeof e.createdAt !== 'string' || Number.isNaN(Date.parse(e.createdAt))) throw new TypeError('A run entry needs createdAt, an ISO 8601 date.');
  const text = JSON.stringify(e);
  if (text.length > MAX_ENTRY_BYTES) throw new TypeError(`A run entry is ${text.length} bytes; at most ${MAX_ENTRY_BYTES} are accepted.`);
  return JSON.parse(text) as RunHistoryEntry;
}

export interface RunHistoryDeps {
  /** Whether the renderer may keep a history beside this document (one it opened or saved). */
  mayAccess(documentPath: string): boolean;
}

export class RunHistoryFolders {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: RunHistoryDeps) {}

  /** Entries, newest first; none when the folder does not exist yet. */
  async list(documentPath: string): Promise<RunHistoryEntry[]> {
    const folder = this.folderOf(documentPath);
    return this.locked(folder, () => this.readIndex(folder, false));
  }

  async load(documentPath: string, id: string): Promise<Uint8Array> {
    const folder = this.folderOf(documentPath);
    const file = path.join(folder, `${checkRunId(id)}${RUN_FILE_EXTENSION}`);
    try {
      return new Uint8Array(await fsp.readFile(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`Run ${id} is not in ${folder} any more.`);
      throw new Error(`Could not read ${file}: ${(err as Error).message}`);
    }
  }

  /** Store a run, then delete the oldest beyond the newest `keep`. Answers the deleted ids. */
  async save(documentPath: string, entryValue: unknown, bytes: unknown, keepValue: unknown): Promise<string[]> {
    const folder = this.folderOf(documentPath);
    const entry = parseEntry(entryValue);
    if (!(bytes instanceof Uint8Array)) throw new TypeError('Run data must be bytes.');
    if (bytes.length > MAX_RUN_FILE_BYTES) throw new Error(`The run is ${Math.round(bytes.length / 1048576)} MB; at most ${MAX_RUN_FILE_BYTES / 1048576} MB are kept.`);
    const keep = typeof keepValue === 'number' && Number.isFinite(keepValue) ? Math.min(MAX_KEEP, Math.max(1, Math.floor(keepValue))) : 1;
    return this.locked(folder, async () => {
      try {
        await fsp.mkdir(folder, { recursive: true });
        const entries = (await this.readIndex(folder, true)).filter((e) => e.id !== entry.id);
        await writeBytesAtomic(path.join(folder, `${entry.id}${RUN_FILE_EXTENSION}`), bytes);
        entries.push(entry);
        entries.sort(newestFirst);
        const dropped = entries.splice(keep);
        await this.writeIndex(folder, entries);
        for (const e of dropped) await fsp.unlink(path.join(folder, `${e.id}${RUN_FILE_EXTENSION}`)).catch(() => undefined);
        return dropped.map((e) => e.id);
      } catch (err) {
        throw new Error(`Could not write the run history in ${folder}: ${diskMessage(err)}`);
      }
    });
  }

  async remove(documentPath: string, id: string): Promise<void> {
    const folder = this.folderOf(documentPath);
    checkRunId(id);
    await this.locked(folder, async () => {
      const entries = await this.readIndex(folder, false);
      const kept = entries.filter((e) => e.id !== id);
      if (kept.length !== entries.length) await this.writeIndex(folder, kept);
      await fsp.unlink(path.join(folder, `${id}${RUN_FILE_EXTENSION}`)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    });
  }

  private folderOf(documentPath: unknown): string {
    if (typeof documentPath !== 'string' || !path.isAbsolute(documentPath)) throw new TypeError('The document path must be absolute.');
    if (!this.deps.mayAccess(path.resolve(documentPath))) {
      throw new Error(`Spikeflow keeps run history only beside documents you opened or saved; "${documentPath}" is neither.`);
    }
    return historyFolder(documentPath);
  }

  /**
   * The index's entries. A damaged index is an error when listing; when saving
   * (`repair`), it is set aside as `index.json.damaged-<time>` and a fresh one begins,
   * so a bad file never stops new runs from being kept.
   */
  private async readIndex(folder: string, repair: boolean): Promise<RunHistoryEntry[]> {
    const file = path.join(folder, HISTORY_INDEX);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { format?: unknown; runs?: unknown };
      if (parsed.format !== INDEX_FORMAT || !Array.isArray(parsed.runs)) throw new Error('it is not a Spikeflow run index');
      const out: RunHistoryEntry[] = [];
      for (const r of parsed.runs) {
        try {
          out.push(parseEntry(r));
        } catch {
          // One bad entry does not hide the others.
        }
      }
      return out.sort(newestFirst);
    } catch (err) {
      if (!repair) throw new Error(`The run history index ${file} is damaged (${(err as Error).message}); the next run starts a new one.`);
      await fsp.rename(file, `${file}.damaged-${Date.now()}`).catch(() => undefined);
      return [];
    }
  }

  private writeIndex(folder: string, entries: readonly RunHistoryEntry[]): Promise<void> {
    const text = `${JSON.stringify({ format: INDEX_FORMAT, version: 1, runs: entries }, null, 1)}\n`;
    return writeBytesAtomic(path.join(folder, HISTORY_INDEX), new TextEncoder().encode(text));
  }

  /** Run `f` after every earlier operation on `folder`. */
  private locked<T>(folder: string, f: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(folder) ?? Promise.resolve();
    const next = prev.then(f, f);
    const settled = next.catch(() => undefined);
    this.locks.set(folder, settled);
    void settled.then(() => {
      if (this.locks.get(folder) === settled) this.locks.delete(folder);
    });
    return next;
  }
}

/** A file-system error in words (a full disk says so). */
function diskMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC') return 'the disk is full.';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'the folder is not writable.';
  return err instanceof Error ? err.message : String(err);
}
