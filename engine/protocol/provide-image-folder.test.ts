import { describe, expect, it } from 'vitest';
import { createInProcessEngine } from '../hosts/in-process.ts';
import { EngineClient } from './client.ts';
import { clearDatasetFiles, datasetFile } from '../sim/dataset-files.ts';
import { packImageFolder } from '../sim/image-folder.ts';

const enc = new TextEncoder();
/** A binary PGM of `w` × `h` pixels. */
const pgm = (w: number, h: number, px: number[]) => {
  const head = enc.encode(`P5\n${w} ${h}\n255\n`);
  const out = new Uint8Array(head.length + px.length);
  out.set(head);
  out.set(px, head.length);
  return out;
};

async function engine() {
  clearDatasetFiles();
  const host = createInProcessEngine();
  const client = new EngineClient(host.endpoint);
  await client.hello();
  return { host, client };
}

describe('provide-image-folder: an image folder decoded by the engine', () => {
  it('answers the images (classes in name order as labels) and keeps them for the runs that name the path', async () => {
    const { host, client } = await engine();
    const folder = packImageFolder([
      { name: 'b-square', files: [{ name: '2.pgm', bytes: pgm(2, 2, [1, 2, 3, 4]) }] },
      {
        name: 'a-circle',
        files: [
          { name: '9.pgm', bytes: pgm(2, 2, [9, 9, 9, 9]) },
          { name: '1.pgm', bytes: pgm(2, 2, [5, 6, 7, 8]) },
          { name: 'notes.txt', bytes: enc.encode('skipped') },
        ],
      },
    ]);
    const entry = await client.provideImageFolder('shapes', folder);
    if (!entry.ok) throw new Error(entry.error);
    expect(entry.arrays.get('images')!.shape).toEqual([3, 2, 2]);
    expect([...entry.arrays.get('images')!.data]).toEqual([5, 6, 7, 8, 9, 9, 9, 9, 1, 2, 3, 4]);
    expect([...entry.arrays.get('labels')!.data]).toEqual([0, 0, 1]);
    // The engine's own registry holds it for its runs.
    expect(datasetFile('shapes')?.ok).toBe(true);
    host.close();
  });

  it('answers an error entry naming the image for mixed sizes, an undecodable image and a folder without class sub-folders', async () => {
    const { host, client } = await engine();
    const mixed = await client.provideImageFolder(
      'mixed',
      packImageFolder([
        {
          name: 'c',
          files: [
            { name: 'a.pgm', bytes: pgm(2, 2, [0, 0, 0, 0]) },
            { name: 'b.pgm', bytes: pgm(1, 1, [0]) },
          ],
        },
      ]),
    );
    expect(mixed).toEqual({ ok: false, error: 'is an image folder whose image "c/b.pgm" is 1×1 pixels but "c/a.pgm" is 2×2; all images need one size' });
    const broken = await client.provideImageFolder('broken', packImageFolder([{ name: 'c', files: [{ name: 'a.png', bytes: enc.encode('not a png') }] }]));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toMatch(/^is an image folder whose image "c\/a\.png" is /);
    const flat = await client.provideImageFolder('flat', packImageFolder([]));
    expect(flat.ok).toBe(false);
    if (!flat.ok) expect(flat.error).toMatch(/without class sub-folders/);
    host.close();
  });

  it('refuses a listing whose sizes do not add up to the bytes sent', async () => {
    const { host, client } = await engine();
    const entry = await client.provideImageFolder('short', { classes: [{ name: 'c', files: [{ name: 'a.pgm', size: 20 }] }], bytes: new Uint8Array(5) });
    expect(entry).toEqual({ ok: false, error: 'is an image folder whose listing names 20 bytes of images but 5 arrived' });
    host.close();
  });
});
