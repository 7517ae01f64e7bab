import { describe, expect, it } from 'vitest';
import { folderFromFiles, packFolderFiles } from './image-folder-files.ts';

/** A File as a folder input lists it: with its path under the chosen folder. */
function listed(relativePath: string, bytes: number[]): File {
  const f = new File([Uint8Array.from(bytes)], relativePath.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: relativePath });
  return f;
}

describe('image folders chosen through a folder input', () => {
  it('groups the images by class sub-folder, leaving out files directly in the folder, deeper ones and non-images', () => {
    const folder = folderFromFiles([
      listed('shapes/square/1.png', [1]),
      listed('shapes/circle/1.pgm', [2]),
      listed('shapes/square/2.PNG', [3]),
      listed('shapes/README.png', [4]),
      listed('shapes/circle/old/3.png', [5]),
      listed('shapes/circle/notes.txt', [6]),
    ])!;
    expect(folder.name).toBe('shapes');
    expect(folder.classes.map((c) => [c.name, c.files.map((f) => f.name)])).toEqual([
      ['square', ['1.png', '2.PNG']],
      ['circle', ['1.pgm']],
    ]);
  });

  it('names a folder with no class sub-folders but lists no classes (the engine then says what an image folder holds)', () => {
    expect(folderFromFiles([listed('flat/1.png', [1])])).toEqual({ name: 'flat', classes: [] });
    expect(folderFromFiles([])).toBeNull();
  });

  it('packs every image end to end in listing order, with each size', async () => {
    const folder = folderFromFiles([listed('s/a/1.png', [1, 2, 3]), listed('s/b/1.png', [4]), listed('s/a/2.png', [5, 6])])!;
    const packed = await packFolderFiles(folder);
    expect(packed.classes).toEqual([
      {
        name: 'a',
        files: [
          { name: '1.png', size: 3 },
          { name: '2.png', size: 2 },
        ],
      },
      { name: 'b', files: [{ name: '1.png', size: 1 }] },
    ]);
    expect([...packed.bytes]).toEqual([1, 2, 3, 5, 6, 4]);
  });
});
