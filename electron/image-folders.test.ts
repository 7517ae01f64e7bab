import { describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pickImageFolder, readImageFolderFiles } from './image-folders.ts';
import { readPackedImageFolder } from '../engine/sim/image-folder.ts';

/** A binary PGM of 2 × 1 pixels. */
const pgm = (a: number, b: number) => Buffer.concat([Buffer.from('P5\n2 1\n255\n'), Buffer.from([a, b])]);

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-image-folders-'));
  mkdirSync(path.join(dir, 'shapes', 'square'), { recursive: true });
  mkdirSync(path.join(dir, 'shapes', 'circle'));
  writeFileSync(path.join(dir, 'shapes', 'square', 'b.pgm'), pgm(3, 4));
  writeFileSync(path.join(dir, 'shapes', 'square', 'a.PGM'), pgm(1, 2));
  writeFileSync(path.join(dir, 'shapes', 'circle', 'x.pgm'), pgm(9, 9));
  writeFileSync(path.join(dir, 'shapes', 'circle', 'notes.txt'), 'not an image');
  writeFileSync(path.join(dir, 'shapes', 'README.pgm'), pgm(0, 0));
  return path.join(dir, 'shapes');
}

describe('image folders picked on the desktop', () => {
  it("reads the class sub-folders' images packed, leaving out other files and images outside a class folder", async () => {
    const picked = await readImageFolderFiles(folder());
    expect(picked.name).toBe('shapes');
    const sizes = Object.fromEntries(picked.folder.classes.map((c) => [c.name, c.files.map((f) => f.name).sort()]));
    expect(sizes).toEqual({ circle: ['x.pgm'], square: ['a.PGM', 'b.pgm'] });
    expect(picked.folder.bytes.length).toBe(3 * pgm(0, 0).length);
    // What the engine decodes from it: circle is class 0, square class 1, images in name order.
    const entry = await readPackedImageFolder(picked.folder);
    if (!entry.ok) throw new Error(entry.error);
    expect([...entry.arrays.get('labels')!.data]).toEqual([0, 1, 1]);
    expect([...entry.arrays.get('images')!.data]).toEqual([9, 9, 1, 2, 3, 4]);
  });

  it('skips a class folder reached through a symbolic link (only real sub-folders are read)', async () => {
    const dir = folder();
    const outside = mkdtempSync(path.join(tmpdir(), 'sf-outside-'));
    writeFileSync(path.join(outside, 'secret.pgm'), pgm(7, 7));
    symlinkSync(outside, path.join(dir, 'linked'));
    const picked = await readImageFolderFiles(dir);
    expect(picked.folder.classes.map((c) => c.name).sort()).toEqual(['circle', 'square']);
  });

  it('answers null without reading anything when the dialog was cancelled, and reads the chosen folder otherwise', async () => {
    expect(await pickImageFolder(async () => null)).toBeNull();
    const dir = folder();
    const choose = vi.fn(async () => dir);
    expect((await pickImageFolder(choose))?.path).toBe(dir);
    expect(choose).toHaveBeenCalledTimes(1);
  });

  it('rejects naming the folder when it does not exist', async () => {
    await expect(readImageFolderFiles('/nonexistent/sf-shapes')).rejects.toThrow(/sf-shapes/);
  });
});
