import { describe, it, expect, beforeEach } from 'vitest';
import { DatasetFileSession, NOT_CHOSEN, datasetPathsOf, describeEntry, readBlob } from './dataset-session.ts';
import { createInProcessEngine } from '../../engine/hosts/in-process.ts';
import { EngineClient } from '../../engine/protocol/client.ts';
import { clearDatasetFiles, datasetFile } from '../../engine/sim/dataset-files.ts';
import { newDocument } from '../../engine/format/load.ts';
import { defaultParams, getKind } from '../../engine/kinds/index.ts';
import { compileDocument } from '../../engine/compile/compile.ts';
import type { GraphDocument } from '../../engine/format/document.ts';
import { packImageFolder } from '../../engine/sim/image-folder.ts';

/** An IDX file of bytes: 00 00 08 ndims, big-endian dimensions, data. */
function idx(dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 8;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setInt32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Gzip through the platform's CompressionStream (the renderer's tests import no Node modules). */
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function encoderDoc(params: Record<string, unknown>): GraphDocument {
  const d = newDocument('files');
  d.nodes.push({ id: 'enc', kind: 'rate-encoder', label: 'enc', position: { x: 0, y: 0 }, params: { ...defaultParams(getKind('rate-encoder')!.params), input: 'file', ...params } });
  return d;
}

function engine() {
  const e = createInProcessEngine({});
  return new EngineClient(e.endpoint);
}

// Three 2×2 images (values 0…11) and their labels 0, 1, 0.
const images = idx([3, 2, 2], [...Array(12).keys()]);
const labels = idx([3], [0, 1, 0]);

describe('dataset files in the app', () => {
  beforeEach(() => clearDatasetFiles());

  it('lists each path the encoders name once, with the first node and field naming it', () => {
    const d = encoderDoc({ file: 'a.gz', labels_file: 'b' });
    d.nodes.push({ ...d.nodes[0], id: 'enc2', params: { ...d.nodes[0].params, file: 'a.gz', labels_file: '' } });
    expect(datasetPathsOf(d)).toEqual([
      { path: 'a.gz', nodeId: 'enc', field: 'file' },
      { path: 'b', nodeId: 'enc', field: 'labels_file' },
    ]);
  });

  it('parses a chosen gzipped IDX file in the engine and provides its arrays to this thread, so the encoder compiles with 4 channels', async () => {
    const client = engine();
    const session = new DatasetFileSession(() => Promise.resolve(client));
    const a = await session.choose('imgs.gz', await gzip(images));
    const b = await session.choose('labels', labels);
    expect(describeEntry('imgs.gz', a)).toBe('imgs.gz: 3×2×2');
    expect(describeEntry('labels', b)).toBe('labels: 3');
    expect(session.entry('imgs.gz')).toBe(a);
    const r = compileDocument(encoderDoc({ file: 'imgs.gz', labels_file: 'labels' }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.plan.populations[0].size).toBe(4);
  });

  it('refuses a run naming a file nobody chose, on the node and field, saying to choose it again', async () => {
    const client = engine();
    const session = new DatasetFileSession(() => Promise.resolve(client));
    const doc = encoderDoc({ file: 'imgs.gz', labels_file: 'labels' });
    await session.prepare(doc, client);
    expect(datasetFile('imgs.gz')).toEqual({ ok: false, error: NOT_CHOSEN });
    const r = compileDocument(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0].nodeId).toBe('enc');
      expect(r.issues[0].message).toContain('imgs.gz');
      expect(r.issues[0].message).toContain('was not chosen in this session');
    }
  });

  it('reads a file of several stream chunks into one buffer, byte for byte', async () => {
    // 3 MB in three parts: more than one chunk and more than one slice between yields.
    const parts = [0, 1, 2].map((p) => Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + p) & 255));
    const bytes = await readBlob(new Blob(parts as BlobPart[]));
    expect(bytes.length).toBe(3 << 20);
    expect([bytes[0], bytes[1], bytes[(1 << 20) + 1], bytes[(3 << 20) - 1]]).toEqual([0, 7, 8, (1048575 * 7 + 2) & 255]);
  });

  it('reports a malformed file as its error, and calls listeners', async () => {
    const client = engine();
    const session = new DatasetFileSession(() => Promise.resolve(client));
    let calls = 0;
    session.subscribe(() => calls++);
    const e = await session.choose('broken', Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 9, 1));
    expect(e.ok).toBe(false);
    expect(describeEntry('broken', e)).toMatch(/^broken /);
    expect(calls).toBe(1);
  });

  it('sends the chosen files again to a new engine (after a restart), and reads beside the document when none was chosen', async () => {
    const first = engine();
    const session = new DatasetFileSession(() => Promise.resolve(first));
    await session.choose('imgs.gz', images);
    const asked: string[] = [];
    session.readBeside = (name) => {
      asked.push(name);
      return Promise.resolve(name === 'labels' ? labels : null);
    };
    clearDatasetFiles();
    const second = engine();
    await session.prepare(encoderDoc({ file: 'imgs.gz', labels_file: 'labels', test_file: 'missing' }), second);
    // The chosen file came from the session, the others from beside the document.
    expect(asked).toEqual(['labels', 'missing']);
    expect(datasetFile('imgs.gz')?.ok).toBe(true);
    expect(datasetFile('labels')?.ok).toBe(true);
    expect(datasetFile('missing')).toMatchObject({ ok: false, error: expect.stringContaining('does not exist beside the document') });
  });

  it('reads an image folder beside the document (desktop) and a picked one, describing their images and classes, and sends them again to a new engine', async () => {
    const pgm = (v: number) => Uint8Array.of(...new TextEncoder().encode('P5\n1 2\n255\n'), v, v);
    const picked = (name: string) => ({
      name,
      path: `/data/${name}`,
      folder: packImageFolder([
        { name: 'b', files: [{ name: '1.pgm', bytes: pgm(1) }] },
        { name: 'a', files: [{ name: '1.pgm', bytes: pgm(2) }] },
      ]),
    });
    const first = engine();
    const session = new DatasetFileSession(() => Promise.resolve(first));
    const chosen = await session.choosePickedFolder(picked('shapes'));
    expect(describeEntry('shapes', chosen, session.folderClasses('shapes'))).toBe('shapes/: 2 images of 1×2 pixels in 2 classes (a, b)');
    session.readBeside = (name) => Promise.resolve(name === 'beside' ? picked('beside') : null);
    const doc = encoderDoc({ file: 'beside', labels_file: '', test_file: 'shapes' });
    await session.prepare(doc, first);
    expect(describeEntry('beside', session.entry('beside')!, session.folderClasses('beside'))).toBe('beside/: 2 images of 1×2 pixels in 2 classes (a, b)');
    // A restarted engine gets both again (their buffers were transferred to the first one).
    clearDatasetFiles();
    const second = engine();
    await session.prepare(doc, second);
    expect(datasetFile('shapes')?.ok).toBe(true);
    expect(datasetFile('beside')?.ok).toBe(true);
    const r = compileDocument(doc);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.plan.populations[0].size).toBe(2);
  });
});
