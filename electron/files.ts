/**
 * File-system logic of the shell: atomic writes and document reads. No Electron
 * imports, so it is tested against a real temporary directory.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { OpenedFile } from './api.ts';

/** The subset of `fs/promises` that {@link writeFileAtomic} uses; injectable for fault tests. */
export interface AtomicFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  unlink: typeof fsp.unlink;
  stat: typeof fsp.stat;
}

const realFs: AtomicFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat };

/** Largest document the shell will read (a guard against opening a huge file by mistake). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * Replace `filePath` with `text` (UTF-8) so that a reader, or a crash, sees either the
 * old content or the new, never a mix: write a temp file in the same directory (same
 * file system, so the rename is atomic), fsync it, rename it over the target, then
 * fsync the directory so the rename itself is durable. On failure the temp file is
 * removed and the target is untouched.
 */
export async function writeFileAtomic(filePath: string, text: string, fs: AtomicFs = realFs): Promise<void> {
  const target = path.resolve(filePath);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // Keep the permissions of a file we replace; a new file gets the usual default.
  const mode = await fs.stat(target).then((s) => s.mode & 0o777, () => 0o666);
  let renamed = false;
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
  }
  await syncDirectory(dir);
}

/** Best effort: directories cannot be opened for fsync on Windows, and some file systems refuse. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // The data is already renamed into place; a failed directory fsync only weakens durability.
  } finally {
    await handle?.close();
  }
}

/** Read a document file as UTF-8, with a clear message when it is missing or too large. */
export async function readDocumentFile(filePath: string): Promise<OpenedFile> {
  const full = path.resolve(filePath);
  let size: number;
  try {
    const st = await fsp.stat(full);
    if (!st.isFile()) throw new Error(`"${full}" is not a file.`);
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`The file "${full}" no longer exists.`);
    throw err;
  }
  if (size > MAX_DOCUMENT_BYTES) {
    throw new Error(`The file "${full}" is ${Math.round(size / 1048576)} MB; documents larger than ${MAX_DOCUMENT_BYTES / 1048576} MB are not opened.`);
  }
  const text = await fsp.readFile(full, 'utf8');
  return { path: full, name: path.basename(full), text };
}

/** Extensions, with the leading dot, of the two kinds of file the dialogs offer. */
export const DOCUMENT_EXTENSION = '.spikeflow.json';
export const EXPORT_EXTENSION = '.json';

/**
 * A safe default file name for a save dialog: path separators and control characters
 * removed, the extension added when missing, `Untitled` when nothing is left.
 */
export function suggestedFileName(suggestedName: string, extension: string): string {
  let base = suggestedName
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
    .split(/\s+/)
    .filter((word) => !/^\.*$/.test(word))
    .join(' ')
    .replace(/^\.+/, '');
  if (base.toLowerCase().endsWith(extension)) base = base.slice(0, -extension.length).trim();
  else if (base.toLowerCase().endsWith('.json')) base = base.slice(0, -'.json'.length).trim();
  if (base === '') base = 'Untitled';
  return `${base.slice(0, 120)}${extension}`;
}
