/**
 * File-system logic of the shell: document reads (atomic writes live in
 * engine/hosts/atomic-write.ts, shared with the CLI). No Electron
 * imports, so it is tested against a real temporary directory.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { OpenedFile } from './api.ts';

// Every file the shell writes goes through the one atomic writer the CLI uses too.
export { writeFileAtomic, type AtomicFs } from '../engine/hosts/atomic-write.ts';

/** Largest document the shell will read (a guard against opening a huge file by mistake). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

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
