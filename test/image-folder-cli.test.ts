import { describe, it, expect, beforeEach } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/hosts/cli.ts';
import { clearDatasetFiles, datasetFile } from '../engine/sim/dataset-files.ts';
import { provideDocumentDatasets } from '../engine/hosts/dataset-files-node.ts';
import { serializeDocument } from '../engine/format/load.ts';
import { smallTrainingDocument } from '../engine/test-support/test-docs.ts';
import { Rng } from '../engine/sim/rng.ts';
import { ROOT } from './helpers.ts';

async function runCli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

/** A binary PGM of 4 × 4 pixels. */
const pgm = (pixels: Uint8Array) => Buffer.concat([Buffer.from('P5\n4 4\n255\n'), Buffer.from(pixels)]);

/** 80 images in four class folders (named so their order differs from creation order): class c has a bright pixel 4·c plus noise. */
function imageFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-folder-'));
  const rng = new Rng(3, 'images');
  const names = ['ankle-boot', 'bag', 'coat', 'dress'];
  for (const name of [...names].reverse()) mkdirSync(path.join(dir, 'images', name), { recursive: true });
  for (let k = 0; k < 80; k++) {
    const c = k % 4;
    const px = new Uint8Array(16);
    for (let j = 0; j < 16; j++) px[j] = Math.floor(rng.uniform() * 60);
    px[c * 4] = 255;
    writeFileSync(path.join(dir, 'images', names[c], `${String(k).padStart(3, '0')}.pgm`), pgm(px));
  }
  // Anything that is not a .png or .pgm is skipped.
  writeFileSync(path.join(dir, 'images', 'bag', 'notes.txt'), 'not an image');
  return dir;
}

function documentFor(dir: string): string {
  const doc = smallTrainingDocument({ epochs: 2, trainer: { check_in_simulation: false } });
  Object.assign(doc.nodes[0].params, { input: 'file', file: 'images', labels_file: '', sample_count: 0 });
  const file = path.join(dir, 'small.spikeflow.json');
  writeFileSync(file, serializeDocument(doc));
  return file;
}

describe('image folders as datasets (a folder of class sub-folders of PNG/PGM images)', () => {
  beforeEach(() => clearDatasetFiles());

  it('reads the classes in name order as labels 0, 1, … and the images of each in name order', async () => {
    const dir = imageFolder();
    await provideDocumentDatasets({ nodes: [{ params: { input: 'file', file: 'images' } }] }, path.join(dir, 'x.json'));
    const e = datasetFile('images')!;
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    expect(e.arrays.get('images')!.shape).toEqual([80, 4, 4]);
    const labels = Array.from(e.arrays.get('labels')!.data);
    // ankle-boot (0) holds images 000, 004, …: 20 per class, class by class.
    expect(labels).toEqual([...Array(80)].map((_, k) => Math.floor(k / 20)));
    const images = e.arrays.get('images')!.data;
    for (let k = 0; k < 80; k++) expect(images[k * 16 + labels[k] * 4]).toBe(255);
  });

  it('trains from the CLI on an image folder exactly as on the same images and labels in IDX files', async () => {
    const dir = imageFolder();
    const file = documentFor(dir);
    const r = await runCli(['run', file, '--json']);
    expect(r.err).toBe('');
    const t = JSON.parse(r.out).training;
    expect(t).toMatchObject({ trainSamples: 64, testSamples: 16, epochs: 2 });
    // The same samples in the folder's order (class by class), as IDX files.
    const e = datasetFile('images')!;
    if (!e.ok) throw new Error(e.error);
    const idx = (dims: number[], body: Uint8Array) =>
      Buffer.concat([Buffer.from([0, 0, 8, dims.length]), ...dims.map((d) => Buffer.from([d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])), Buffer.from(body)]);
    writeFileSync(path.join(dir, 'images.idx'), idx([80, 4, 4], e.arrays.get('images')!.data as Uint8Array));
    writeFileSync(path.join(dir, 'labels.idx'), idx([80], Uint8Array.from(e.arrays.get('labels')!.data)));
    const doc = smallTrainingDocument({ epochs: 2, trainer: { check_in_simulation: false } });
    Object.assign(doc.nodes[0].params, { input: 'file', file: 'images.idx', labels_file: 'labels.idx', sample_count: 0 });
    writeFileSync(path.join(dir, 'idx.spikeflow.json'), serializeDocument(doc));
    const viaIdx = await runCli(['run', path.join(dir, 'idx.spikeflow.json'), '--json']);
    expect(JSON.parse(viaIdx.out).training.history).toEqual(t.history);
  }, 120_000);

  it('refuses images of another size, naming the node, the field and both images', async () => {
    const dir = imageFolder();
    copyFileSync(path.join(ROOT, 'test', 'fixtures', 'images', 'gray.png'), path.join(dir, 'images', 'coat', 'zz.png'));
    const r = await runCli(['validate', documentFor(dir)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /\/nodes\/0\/params\/file: .*"enc".*field file: the file "images" is an image folder whose image "coat\/zz.png" is 5×3 pixels but "ankle-boot\/000.pgm" is 4×4; all images need one size/,
    );
  });

  it('refuses a folder without class sub-folders, and an image it cannot decode, naming it', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sf-empty-'));
    mkdirSync(path.join(empty, 'images'));
    await provideDocumentDatasets({ nodes: [{ params: { input: 'file', file: 'images' } }] }, path.join(empty, 'x.json'));
    expect(datasetFile('images')).toEqual({ ok: false, error: expect.stringMatching(/^is a folder without class sub-folders holding images \(\.png or \.pgm\)/) });
    clearDatasetFiles();
    const dir = imageFolder();
    writeFileSync(path.join(dir, 'images', 'bag', 'broken.png'), 'P7 not a picture');
    await provideDocumentDatasets({ nodes: [{ params: { input: 'file', file: 'images' } }] }, path.join(dir, 'x.json'));
    expect(datasetFile('images')).toEqual({ ok: false, error: 'is an image folder whose image "bag/broken.png" is not a PNG or PGM image (its first bytes are neither)' });
  });
});
