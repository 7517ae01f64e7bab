/**
 * Side weight files beside a document (`engine/format/weights.ts`): a document may
 * keep a projection's learned weights in `{"file": "net.weights.json"}`, a path
 * relative to the document that stays in its folder. Main reads and writes them for
 * the renderer, which is not trusted with paths: only beside a document the user
 * opened or saved (as run history), only relative paths that stay in the document's
 * folder, only `.json` files, and not larger than {@link MAX_SIDE_FILE_BYTES}.
 * No Electron imports, so it is tested against a real temporary directory.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from './files.ts';

/** Largest side file read or written (a JSON list of 100 M synapses would be far larger; such weights belong in the CLI). */
export const MAX_SIDE_FILE_BYTES = 512 * 1024 * 1024;

export interface SideFileDeps {
  /** Whether the renderer may use files beside this document (one it opened or saved). */
  mayAccess(documentPath: string): boolean;
}

export class SideFiles {
  constructor(private readonly deps: SideFileDeps) {}

  /** The file's text, or null when there is no such file. */
  async read(documentPath: unknown, name: unknown): Promise<string | null> {
    const file = this.resolve(documentPath, name);
    await confined(file, documentPath as string);
    try {
      const stat = await fsp.stat(file);
      if (stat.size > MAX_SIDE_FILE_BYTES) throw new Error(`${file} is ${Math.round(stat.size / 1048576)} MB; at most ${MAX_SIDE_FILE_BYTES / 1048576} MB are read.`);
      return await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (err instanceof Error && err.message.startsWith(file)) throw err;
      throw new Error(`Could not read ${file}: ${(err as Error).message}`);
    }
  }

  /** Write the file atomically; answers its full path. */
  async write(documentPath: unknown, name: unknown, text: unknown): Promise<string> {
    const file = this.resolve(documentPath, name);
    if (typeof text !== 'string') throw new TypeError('A side file must be text.');
    if (text.length > MAX_SIDE_FILE_BYTES) throw new Error(`The weights are ${Math.round(text.length / 1048576)} MB of text; at most ${MAX_SIDE_FILE_BYTES / 1048576} MB are written.`);
    try {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await confined(file, documentPath as string);
      await writeFileAtomic(file, text);
    } catch (err) {
      if (err instanceof ConfinementError) throw err;
      throw new Error(`Could not write ${file}: ${(err as Error).message}`);
    }
    return file;
  }

  private resolve(documentPath: unknown, name: unknown): string {
    if (typeof documentPath !== 'string' || !path.isAbsolute(documentPath)) throw new TypeError('The document path must be absolute.');
    const doc = path.resolve(documentPath);
    if (!this.deps.mayAccess(doc)) throw new Error(`Spikeflow reads and writes weights files only beside documents you opened or saved; "${documentPath}" is neither.`);
    if (typeof name !== 'string' || name.trim() === '' || name.includes('\0')) throw new TypeError('A side file needs a name, such as "net.weights.json".');
    if (!/\.json$/i.test(name)) throw new Error(`A weights file ends in .json; got "${name}".`);
    const dir = path.dirname(doc);
    const file = path.resolve(dir, name);
    const rel = path.relative(dir, file);
    if (path.isAbsolute(name) || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new Error(`A weights file must stay in the document's folder; "${name}" does not.`);
    }
    return file;
  }
}

class ConfinementError extends Error {}

/**
 * The file on disk must stay in the document's folder too: no symbolic link at
 * the file itself, and its folder, with every link resolved, inside the
 * document's (resolved) folder. A missing file is fine (it may be written).
 */
async function confined(file: string, documentPath: string): Promise<void> {
  const st = await fsp.lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (st?.isSymbolicLink()) throw new ConfinementError(`${file} is a symbolic link; Spikeflow reads and writes weights files only as plain files in the document's folder.`);
  const fileDir = await fsp.realpath(path.dirname(file)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  // No folder, no file: nothing there to follow.
  if (fileDir === null) return;
  const docDir = await fsp.realpath(path.dirname(path.resolve(documentPath)));
  const rel = path.relative(docDir, fileDir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ConfinementError(`${file} resolves to ${fileDir}, outside the document's folder ${docDir}; a weights file must stay in it.`);
}
