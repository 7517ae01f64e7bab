/**
 * Image folders for the dataset node (engine/sim/image-folder.ts): the folder the
 * user picked in a native dialog, read in main and handed to the renderer packed
 * (the listing, and every image's bytes end to end in one buffer), which sends it
 * to the engine to decode. Only a folder the user picked is read: its class
 * sub-folders' `.png`/`.pgm` files, no symbolic links, at most
 * {@link MAX_IMAGE_FOLDER_BYTES} in all. No Electron imports, so it is tested
 * against a real temporary directory.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { PickedImageFolder } from './api.ts';
import { isImageName, packImageFolder } from '../engine/sim/image-folder.ts';

/** Largest total of an image folder's images read (as the largest dataset file). */
export const MAX_IMAGE_FOLDER_BYTES = 1024 * 1024 * 1024;

/** Read `dir`'s class sub-folders and their images, packed. Rejects with a message naming the folder or image. */
export async function readImageFolderFiles(dir: string): Promise<PickedImageFolder> {
  const classes: { name: string; files: { name: string; bytes: Uint8Array }[] }[] = [];
  let total = 0;
  for (const d of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const files: { name: string; bytes: Uint8Array }[] = [];
    for (const f of await fsp.readdir(path.join(dir, d.name), { withFileTypes: true })) {
      if (!f.isFile() || !isImageName(f.name)) continue;
      const file = path.join(dir, d.name, f.name);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await fsp.readFile(file));
      } catch (err) {
        throw new Error(`Could not read ${file}: ${(err as Error).message}`);
      }
      total += bytes.length;
      if (total > MAX_IMAGE_FOLDER_BYTES) throw new Error(`${dir} holds more than ${MAX_IMAGE_FOLDER_BYTES / 1048576} MB of images; the app reads at most that (the CLI reads any size).`);
      files.push({ name: f.name, bytes });
    }
    classes.push({ name: d.name, files });
  }
  return { name: path.basename(dir), path: dir, folder: packImageFolder(classes) };
}

/** Ask for a folder (`choose` shows the dialog; null when cancelled) and read it. */
export async function pickImageFolder(choose: () => Promise<string | null>): Promise<PickedImageFolder | null> {
  const dir = await choose();
  return dir === null ? null : readImageFolderFiles(dir);
}
