/**
 * Image folders as datasets: a folder holding one sub-folder per class, each
 * with PNG or PGM images (`shirts/001.png`, …). The classes are the
 * sub-folders in name order (label 0 is the first); the samples are every
 * class's images in name order, as 8-bit grey (engine/sim/image-decode.ts),
 * all of one size. The result is a dataset file's arrays, `images`
 * (n × height × width) and `labels` (n), so an encoder's `file` (or
 * `test_file`) may name the folder and leave its labels file empty.
 *
 * The host lists the folder and reads each image's bytes when asked; images
 * are read and decoded one at a time and only their pixels are kept, so a
 * large folder never holds all its files' bytes at once.
 */
import type { DatasetFileEntry, NdArray } from './dataset-files.ts';
import { decodeImage, ImageError } from './image-decode.ts';

/** File names an image folder reads (case-insensitive); anything else in a class folder is skipped. */
export const IMAGE_EXTENSIONS = ['.png', '.pgm'] as const;

export function isImageName(name: string): boolean {
  const n = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => n.endsWith(e));
}

/** A folder's classes (sub-folders) and the image files in each. */
export interface ImageFolderListing {
  readonly classes: readonly { readonly name: string; readonly files: readonly string[] }[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Decode an image folder into a dataset file's arrays. `read(className, file)`
 * gives one image's bytes. Never throws for bad content: the entry's error
 * says what is wrong and names the image (it follows the folder's name: "is …").
 */
export async function readImageFolder(listing: ImageFolderListing, read: (className: string, file: string) => Promise<Uint8Array>): Promise<DatasetFileEntry> {
  const classes = listing.classes
    .map((c) => ({ name: c.name, files: c.files.filter(isImageName).sort(byName) }))
    .filter((c) => c.files.length > 0)
    .sort((a, b) => byName(a.name, b.name));
  if (classes.length === 0) {
    return { ok: false, error: `is a folder without class sub-folders holding images (${IMAGE_EXTENSIONS.join(' or ')}); an image folder holds one sub-folder per class` };
  }
  const n = classes.reduce((a, c) => a + c.files.length, 0);
  let width = 0;
  let height = 0;
  let first = '';
  let pixels: Uint8Array | null = null;
  const labels = new Int32Array(n);
  let k = 0;
  for (let label = 0; label < classes.length; label++) {
    const c = classes[label];
    for (const f of c.files) {
      const name = `${c.name}/${f}`;
      let bytes: Uint8Array;
      try {
        bytes = await read(c.name, f);
      } catch (e) {
        return { ok: false, error: `is an image folder whose image "${name}" cannot be read (${(e as Error).message})` };
      }
      let img;
      try {
        img = decodeImage(bytes);
      } catch (e) {
        if (e instanceof ImageError) return { ok: false, error: `is an image folder whose image "${name}" is ${e.message}` };
        throw e;
      }
      if (pixels === null) {
        width = img.width;
        height = img.height;
        first = name;
        pixels = new Uint8Array(n * width * height);
      } else if (img.width !== width || img.height !== height) {
        return { ok: false, error: `is an image folder whose image "${name}" is ${img.width}×${img.height} pixels but "${first}" is ${width}×${height}; all images need one size` };
      }
      pixels.set(img.data, k * width * height);
      labels[k++] = label;
    }
  }
  const arrays = new Map<string, NdArray>([
    ['images', { shape: [n, height, width], data: pixels! }],
    ['labels', { shape: [n], data: labels }],
  ]);
  return { ok: true, arrays };
}

/**
 * An image folder packed for sending to an engine in another thread or process
 * (the app's folder pickers): the listing, with each image's size, and every
 * image's bytes end to end in one buffer (in listing order), so one transfer
 * carries them and the engine decodes them ({@link readPackedImageFolder}).
 */
export interface PackedImageFolder {
  readonly classes: readonly { readonly name: string; readonly files: readonly { readonly name: string; readonly size: number }[] }[];
  readonly bytes: Uint8Array;
}

/** Pack a folder's images (their bytes, in listing order); files whose names are not images are left out. */
export function packImageFolder(classes: readonly { readonly name: string; readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[] }[]): PackedImageFolder {
  const kept = classes.map((c) => ({ name: c.name, files: c.files.filter((f) => isImageName(f.name)) }));
  const bytes = new Uint8Array(kept.reduce((a, c) => a + c.files.reduce((b, f) => b + f.bytes.length, 0), 0));
  let at = 0;
  for (const c of kept) {
    for (const f of c.files) {
      bytes.set(f.bytes, at);
      at += f.bytes.length;
    }
  }
  return { classes: kept.map((c) => ({ name: c.name, files: c.files.map((f) => ({ name: f.name, size: f.bytes.length })) })), bytes };
}

/** Decode a packed image folder (as {@link readImageFolder}); a listing whose sizes overrun its bytes is an error entry. */
export function readPackedImageFolder(folder: PackedImageFolder): Promise<DatasetFileEntry> {
  const at = new Map<string, [number, number]>();
  let end = 0;
  for (const c of folder.classes) {
    for (const f of c.files) {
      at.set(`${c.name}/${f.name}`, [end, end + f.size]);
      end += f.size;
    }
  }
  if (end !== folder.bytes.length) return Promise.resolve({ ok: false, error: `is an image folder whose listing names ${end} bytes of images but ${folder.bytes.length} arrived` });
  const listing: ImageFolderListing = { classes: folder.classes.map((c) => ({ name: c.name, files: c.files.map((f) => f.name) })) };
  return readImageFolder(listing, async (c, f) => {
    const [from, to] = at.get(`${c}/${f}`)!;
    return folder.bytes.subarray(from, to);
  });
}
