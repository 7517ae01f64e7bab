/**
 * Side weight files beside a document (`engine/format/weights.ts`): a document may
 * keep a projection's learned weights in `{"file": "net.weights.json"}`, a path
 * relative to the document that stays in its folder. Main reads and writes them for
 * the renderer, which is not trusted with paths: only beside a document the user
 * opened or saved (as run history), only relative paths that stay in the document's
 * folder, only `.json` files written (`.json`, `.csv` read as text and `.npy`, `.npz` as bytes:
 * the matrices and synapse lists the CLI writes beside a document), and not larger than {@link MAX_SIDE_FILE_BYTES}.
 * Dataset files an encoder names (`readDataset`) follow the same confinement, with
 * any name (MNIST's files have none of those extensions), read as bytes; a folder is
 * an image folder, read packed (electron/image-folders.ts).
 * No Electron imports, so it is tested against a real temporary directory.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from './files.ts';
import { readImageFolderFiles } from './image-folders.ts';
import type { PickedImageFolder } from './api.ts';
import { isBinaryWeightsFile } from '../engine/format/weights-files.ts';
import { assertSideFileConfined, sideFilePath, SideFileConfinementError } from '../engine/hosts/side-file-path.ts';

/** Largest side file read or written (a JSON list of 100 M synapses would be far larger; such weights belong in the CLI). */
export const MAX_SIDE_FILE_BYTES = 512 * 1024 * 1024;

/** Largest dataset file read (Fashion-MNIST's images are 47 MB unzipped). */
export const MAX_DATASET_FILE_BYTES = 1024 * 1024 * 1024;

export interface SideFileDeps {
  /** Whether the renderer may use files beside this document (one it opened or saved). */
  mayAccess(documentPath: string): boolean;
}

export class SideFiles {
  constructor(private readonly deps: SideFileDeps) {}

  /**
   * The file's text (`.json`, `.csv`), or its bytes (`.npy`, `.npz`: a matrix or synapse list the
   * CLI wrote beside the document, engine/format/weights-files.ts), or null when there is no such file.
   */
  async read(documentPath: unknown, name: unknown): Promise<string | Uint8Array | null> {
    const file = this.resolve(documentPath, name, true);
    await assertSideFileConfined(file, documentPath as string);
    try {
      const stat = await fsp.stat(file);
      if (stat.size > MAX_SIDE_FILE_BYTES) throw new Error(`${file} is ${Math.round(stat.size / 1048576)} MB; at most ${MAX_SIDE_FILE_BYTES / 1048576} MB are read.`);
      return isBinaryWeightsFile(file) ? new Uint8Array(await fsp.readFile(file)) : await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (err instanceof Error && err.message.startsWith(file)) throw err;
      throw new Error(`Could not read ${file}: ${(err as Error).message}`);
    }
  }

  /**
   * A dataset file's bytes (an encoder's `file`, `labels_file`, …: IDX, .npy, .npz, any
   * name), or null when there is no such file. Relative to the document and confined to
   * its folder like the weights files; at most {@link MAX_DATASET_FILE_BYTES}.
   */
  async readDataset(documentPath: unknown, name: unknown): Promise<Uint8Array | PickedImageFolder | null> {
    if (typeof documentPath !== 'string' || !path.isAbsolute(documentPath)) throw new TypeError('The document path must be absolute.');
    const doc = path.resolve(documentPath);
    if (!this.deps.mayAccess(doc)) throw new Error(`Spikeflow reads dataset files only beside documents you opened or saved; "${documentPath}" is neither.`);
    if (typeof name !== 'string' || name.trim() === '' || name.includes('\0')) throw new TypeError('A dataset file needs a name, such as "train-images-idx3-ubyte.gz".');
    const dir = path.dirname(doc);
    const file = path.resolve(dir, name);
    const rel = path.relative(dir, file);
    if (path.isAbsolute(name) || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new SideFileConfinementError(`The desktop app reads dataset files in the document's folder (or below it); "${name}" is not. Choose it with "Choose file…", or use the spikeflow CLI.`);
    }
    await assertSideFileConfined(file, doc);
    try {
      const stat = await fsp.stat(file);
      // A folder is an image folder (one sub-folder per class), read as when it is picked.
      if (stat.isDirectory()) return await readImageFolderFiles(file);
      if (!stat.isFile()) throw new Error(`${file} is not a file.`);
      if (stat.size > MAX_DATASET_FILE_BYTES) throw new Error(`${file} is ${Math.round(stat.size / 1048576)} MB; at most ${MAX_DATASET_FILE_BYTES / 1048576} MB are read.`);
      return new Uint8Array(await fsp.readFile(file));
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
      await assertSideFileConfined(file, documentPath as string);
      await writeFileAtomic(file, text);
    } catch (err) {
      if (err instanceof SideFileConfinementError) throw err;
      throw new Error(`Could not write ${file}: ${(err as Error).message}`);
    }
    return file;
  }

  private resolve(documentPath: unknown, name: unknown, tables = false): string {
    if (typeof documentPath !== 'string' || !path.isAbsolute(documentPath)) throw new TypeError('The document path must be absolute.');
    const doc = path.resolve(documentPath);
    if (!this.deps.mayAccess(doc)) throw new Error(`Spikeflow reads and writes weights files only beside documents you opened or saved; "${documentPath}" is neither.`);
    return sideFilePath(doc, name, tables);
  }
}
