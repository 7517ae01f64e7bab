/**
 * Image folders chosen in a browser (`<input type=file webkitdirectory>`): the
 * input lists every file under the folder with its `webkitRelativePath`
 * (`shapes/circle/001.png`). The class sub-folders are the second path part;
 * files directly in the folder or deeper than a class folder are not samples
 * (as the CLI, engine/hosts/dataset-files-node.ts). The images' bytes are read
 * here, a slice at a time, and packed (engine/sim/image-folder.ts) for the
 * engine, which decodes them off this thread.
 */
import { isImageName, type PackedImageFolder } from '../../engine/sim/image-folder.ts';
import { readBlob } from './dataset-session.ts';

/** A folder's class sub-folders and their image files, as a folder input listed them. */
export interface FolderFiles {
  /** The folder's own name. */
  readonly name: string;
  readonly classes: readonly { readonly name: string; readonly files: readonly File[] }[];
}

/** The folder a folder input's files came from, or null when it listed none. */
export function folderFromFiles(files: readonly File[]): FolderFiles | null {
  if (files.length === 0) return null;
  let name = '';
  const classes = new Map<string, File[]>();
  for (const f of files) {
    const parts = (f.webkitRelativePath || f.name).split('/');
    name ||= parts.length > 1 ? parts[0] : '';
    if (parts.length !== 3 || !isImageName(parts[2])) continue;
    let list = classes.get(parts[1]);
    if (!list) classes.set(parts[1], (list = []));
    list.push(f);
  }
  return { name: name || 'folder', classes: [...classes].map(([n, fs]) => ({ name: n, files: fs })) };
}

/** Bytes read between two yields to the event loop, also after this many files (many small images). */
const YIELD_BYTES = 1 << 20;
const YIELD_FILES = 256;

/** Read every image (yielding to the event loop between slices) into one buffer with the listing. */
export async function packFolderFiles(folder: FolderFiles): Promise<PackedImageFolder> {
  const total = folder.classes.reduce((a, c) => a + c.files.reduce((b, f) => b + f.size, 0), 0);
  const bytes = new Uint8Array(total);
  const classes: { name: string; files: { name: string; size: number }[] }[] = [];
  let at = 0;
  let bytesSinceYield = 0;
  let filesSinceYield = 0;
  for (const c of folder.classes) {
    const files: { name: string; size: number }[] = [];
    for (const f of c.files) {
      const b = await readBlob(f);
      if (at + b.length > total) throw new Error(`${c.name}/${f.name} grew while the folder was read`);
      bytes.set(b, at);
      at += b.length;
      files.push({ name: f.name, size: b.length });
      bytesSinceYield += b.length;
      if (++filesSinceYield >= YIELD_FILES || bytesSinceYield >= YIELD_BYTES) {
        filesSinceYield = bytesSinceYield = 0;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    classes.push({ name: c.name, files });
  }
  if (at !== total) throw new Error('an image shrank while the folder was read');
  return { classes, bytes };
}
