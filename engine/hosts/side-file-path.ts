/**
 * Where a side weights file (`engine/format/weights.ts`) may live, checked the same
 * way by the CLI (`cli.ts`) and the desktop shell (`electron/side-files.ts`): a
 * relative `.json` name that stays in the document's folder, not a symbolic link,
 * and whose folder, with every link resolved, is inside the document's folder.
 * Node only (the second check reads the file system).
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/** A side file that is a symbolic link or resolves outside the document's folder. */
export class SideFileConfinementError extends Error {}

/**
 * The full path of side file `name` beside the document at `documentPath`
 * (absolute); throws with a message naming the file when `name` is empty, not a
 * `.json` file (with `tables`, for reading: also `.npy`, `.npz`, `.csv`),
 * absolute, or leaves the document's folder.
 */
export function sideFilePath(documentPath: string, name: unknown, tables = false): string {
  if (typeof name !== 'string' || name.trim() === '' || name.includes('\0')) throw new TypeError('A side file needs a name, such as "net.weights.json".');
  // `tables`: reading a matrix or synapse list (engine/format/weights-files.ts) is allowed too; writing is JSON only.
  if (tables ? !/\.(json|npy|npz|csv)$/i.test(name) : !/\.json$/i.test(name))
    throw new Error(`A weights file ends in .json${tables ? ' (or .npy, .npz, .csv for a matrix or synapse list)' : ''}; got "${name}".`);
  const dir = path.dirname(path.resolve(documentPath));
  const file = path.resolve(dir, name);
  const rel = path.relative(dir, file);
  if (path.isAbsolute(name) || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new SideFileConfinementError(`A weights file must stay in the document's folder; "${name}" does not.`);
  }
  return file;
}

/**
 * The file on disk must stay in the document's folder too: no symbolic link at
 * the file itself, and its folder, with every link resolved, inside the
 * document's (resolved) folder. A missing file is fine (it may be written).
 */
export async function assertSideFileConfined(file: string, documentPath: string): Promise<void> {
  const st = await fsp.lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (st?.isSymbolicLink()) throw new SideFileConfinementError(`${file} is a symbolic link; Spikeflow reads and writes weights files only as plain files in the document's folder.`);
  const fileDir = await fsp.realpath(path.dirname(file)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  // No folder, no file: nothing there to follow.
  if (fileDir === null) return;
  const docDir = await fsp.realpath(path.dirname(path.resolve(documentPath)));
  const rel = path.relative(docDir, fileDir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new SideFileConfinementError(`${file} resolves to ${fileDir}, outside the document's folder ${docDir}; a weights file must stay in it.`);
}
