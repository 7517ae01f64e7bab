import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { SideFiles } from './side-files.ts';

let dir: string;
let doc: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sf-side-'));
  doc = path.join(dir, 'net.spikeflow.json');
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('SideFiles', () => {
  it('writes a weights file beside the document and reads the same text back', async () => {
    const side = new SideFiles({ mayAccess: (p) => p === doc });
    const full = await side.write(doc, 'net.weights.json', '{"format":"spikeflow-weights"}');
    expect(full).toBe(path.join(dir, 'net.weights.json'));
    expect(await fsp.readFile(full, 'utf8')).toBe('{"format":"spikeflow-weights"}');
    expect(await side.read(doc, 'net.weights.json')).toBe('{"format":"spikeflow-weights"}');
  });

  it('reads a .npy or .npz matrix beside the document as bytes and a .csv as text, but writes only .json', async () => {
    const side = new SideFiles({ mayAccess: () => true });
    await fsp.writeFile(path.join(dir, 'x.in.npy'), Uint8Array.of(0x93, 78, 85, 77, 80, 89, 1, 0));
    await fsp.writeFile(path.join(dir, 'x.in.csv'), 'pre,post,w\n0,1,2\n');
    const npy = await side.read(doc, 'x.in.npy');
    expect(npy).toBeInstanceOf(Uint8Array);
    expect([...(npy as Uint8Array)]).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    expect(await side.read(doc, 'x.in.csv')).toBe('pre,post,w\n0,1,2\n');
    expect(await side.read(doc, 'gone.npz')).toBeNull();
    await expect(side.write(doc, 'x.in.npy', '[]')).rejects.toThrow(/ends in \.json/);
    await expect(side.read(doc, '../x.npy')).rejects.toThrow(/must stay in the document's folder/);
  });

  it('answers null for a missing file and allows a subfolder that stays beside the document', async () => {
    const side = new SideFiles({ mayAccess: () => true });
    expect(await side.read(doc, 'gone.weights.json')).toBeNull();
    await side.write(doc, 'weights/a.json', '[]');
    expect(await side.read(doc, 'weights/a.json')).toBe('[]');
  });

  it('refuses documents the user did not open or save, paths leaving the folder, and non-JSON names', async () => {
    const closed = new SideFiles({ mayAccess: () => false });
    await expect(closed.read(doc, 'a.json')).rejects.toThrow(/only beside documents you opened or saved/);
    const side = new SideFiles({ mayAccess: () => true });
    await expect(side.read(doc, '../a.json')).rejects.toThrow(/must stay in the document's folder/);
    await expect(side.write(doc, '/etc/a.json', '{}')).rejects.toThrow(/must stay in the document's folder/);
    await expect(side.read(doc, 'a.txt')).rejects.toThrow(/ends in \.json/);
    await expect(side.read('relative/net.json', 'a.json')).rejects.toThrow(/absolute/);
    await expect(side.write(doc, 'a.json', 42)).rejects.toThrow(/must be text/);
  });

  it("refuses a weights file that is a symbolic link, and a subfolder that is a link out of the document's folder", async () => {
    const outside = await fsp.mkdtemp(path.join(os.tmpdir(), 'sf-outside-'));
    try {
      await fsp.writeFile(path.join(outside, 'secret.json'), '{"secret":1}');
      await fsp.symlink(path.join(outside, 'secret.json'), path.join(dir, 'net.weights.json'));
      await fsp.symlink(outside, path.join(dir, 'linked'));
      const side = new SideFiles({ mayAccess: () => true });
      await expect(side.read(doc, 'net.weights.json')).rejects.toThrow(/is a symbolic link/);
      await expect(side.write(doc, 'net.weights.json', '{}')).rejects.toThrow(/is a symbolic link/);
      await expect(side.read(doc, 'linked/secret.json')).rejects.toThrow(/outside the document's folder/);
      await expect(side.write(doc, 'linked/new.json', '{}')).rejects.toThrow(/outside the document's folder/);
      expect(await fsp.readFile(path.join(outside, 'secret.json'), 'utf8')).toBe('{"secret":1}');
      expect(await fsp.readdir(outside)).toEqual(['secret.json']);
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });
});

describe('SideFiles: dataset files', () => {
  it('reads a dataset file of any name beside the document (or below it) as bytes, and answers null for a missing one', async () => {
    const side = new SideFiles({ mayAccess: (p) => p === doc });
    await fsp.mkdir(path.join(dir, 'data'));
    await fsp.writeFile(path.join(dir, 'data', 'train-labels-idx1-ubyte'), Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 1, 7));
    const bytes = await side.readDataset(doc, 'data/train-labels-idx1-ubyte');
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([0, 0, 8, 1, 0, 0, 0, 1, 7]);
    expect(await side.readDataset(doc, 'gone.npz')).toBeNull();
  });

  it('reads a folder beside the document as an image folder, packed (class sub-folders of PNG/PGM images)', async () => {
    const side = new SideFiles({ mayAccess: (p) => p === doc });
    await fsp.mkdir(path.join(dir, 'shapes', 'dot'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'shapes', 'dot', '1.pgm'), Buffer.concat([Buffer.from('P5\n1 1\n255\n'), Buffer.from([9])]));
    const folder = await side.readDataset(doc, 'shapes');
    expect(folder).toMatchObject({ name: 'shapes', path: path.join(dir, 'shapes'), folder: { classes: [{ name: 'dot', files: [{ name: '1.pgm', size: 12 }] }] } });
  });

  it('refuses dataset paths outside the document folder, and documents the user did not open', async () => {
    const side = new SideFiles({ mayAccess: () => true });
    await expect(side.readDataset(doc, '../x.npz')).rejects.toThrow(/in the document's folder \(or below it\); "\.\.\/x\.npz" is not/);
    await expect(side.readDataset(doc, '/usr/share/datasets/x.gz')).rejects.toThrow(/Choose file/);
    await expect(new SideFiles({ mayAccess: () => false }).readDataset(doc, 'a.npz')).rejects.toThrow(/only beside documents you opened or saved/);
  });
});
