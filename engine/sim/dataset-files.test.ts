import { describe, it, expect, beforeEach } from 'vitest';
import { clearDatasetFiles, copyEntry, datasetFile, datasetFromFiles, entryBuffers, provideDatasetFile, type DatasetFileSpec, type NdArray } from './dataset-files.ts';
import { sampleValues } from './dataset.ts';
import { smallTrainingDocument } from '../test-support/test-docs.ts';
import { compileDocument } from '../compile/compile.ts';

const arrays = (a: NdArray, name = '') => ({ ok: true as const, arrays: new Map([[name, a]]) });
const spec = (o: Partial<DatasetFileSpec> = {}): DatasetFileSpec => ({ file: 'img', labelsFile: 'lab', testFile: '', testLabelsFile: '', maxValue: 1, ...o });

describe('datasets from files', () => {
  beforeEach(() => {
    clearDatasetFiles();
    // 3 images of 2 × 2 bytes, labels 0, 2, 1.
    provideDatasetFile('img', arrays({ shape: [3, 2, 2], data: Uint8Array.of(0, 255, 51, 102, 255, 255, 0, 0, 1, 2, 3, 4) }));
    provideDatasetFile('lab', arrays({ shape: [3], data: Uint8Array.of(0, 2, 1) }));
  });

  it('makes 8-bit images into samples in [0, 1] (byte / 255), keeping their shape and their bytes', () => {
    const r = datasetFromFiles(spec());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.dataset;
    expect([d.count, d.length, d.width, d.height, d.testFrom]).toEqual([3, 4, 2, 2, undefined]);
    expect(d.values).toBeInstanceOf(Uint8Array);
    expect([...sampleValues(d, 0)]).toEqual([0, 1, 0.2, 0.4]);
    expect([...d.labels]).toEqual([0, 2, 1]);
  });

  it('appends a test file after the training samples and marks where it starts', () => {
    provideDatasetFile('timg', arrays({ shape: [1, 4], data: Uint8Array.of(255, 0, 0, 255) }));
    provideDatasetFile('tlab', arrays({ shape: [1, 1], data: Int32Array.of(5) }));
    const r = datasetFromFiles(spec({ testFile: 'timg', testLabelsFile: 'tlab' }));
    expect(r.ok && [r.dataset.count, r.dataset.testFrom, [...r.dataset.labels], [...sampleValues(r.dataset, 3)]]).toEqual([4, 3, [0, 2, 1, 5], [1, 0, 0, 1]]);
  });

  it('uses a single file of 8-bit images as the samples without copying them, and joins a training and a test file only when the samples are read', () => {
    const one = datasetFromFiles(spec());
    const img = datasetFile('img');
    expect(one.ok && img?.ok && one.dataset.values === img.arrays.get('')!.data).toBe(true);
    provideDatasetFile('timg', arrays({ shape: [1, 4], data: Uint8Array.of(9, 8, 7, 6) }));
    provideDatasetFile('tlab', arrays({ shape: [1], data: Uint8Array.of(3) }));
    const two = datasetFromFiles(spec({ testFile: 'timg', testLabelsFile: 'tlab' }));
    if (!two.ok) throw new Error(two.error);
    const joined = two.dataset.values;
    expect([...joined]).toEqual([0, 255, 51, 102, 255, 255, 0, 0, 1, 2, 3, 4, 9, 8, 7, 6]);
    // Joined once: a second read is the same array.
    expect(two.dataset.values).toBe(joined);
  });

  it('copies an entry into arrays of its own, whose buffers are the ones to transfer', () => {
    const e = datasetFile('img')!;
    const c = copyEntry(e);
    if (!e.ok || !c.ok) throw new Error('not ok');
    const [a, b] = [e.arrays.get('')!, c.arrays.get('')!];
    expect(b.shape).toEqual([3, 2, 2]);
    expect([...b.data]).toEqual([...a.data]);
    expect(b.data.buffer).not.toBe(a.data.buffer);
    expect(entryBuffers(c)).toEqual([b.data.buffer]);
    expect(entryBuffers({ ok: false, error: 'x' })).toEqual([]);
  });

  it('scales float samples by the value of 1 and refuses one outside [0, it], naming the value', () => {
    provideDatasetFile('f', arrays({ shape: [3, 2], data: Float32Array.of(0, 2, 4, 1, 3, 0) }));
    const r = datasetFromFiles(spec({ file: 'f', maxValue: 4 }));
    expect(r.ok && [...sampleValues(r.dataset, 0)]).toEqual([0, 0.5]);
    expect(r.ok && r.dataset.values).toBeInstanceOf(Float32Array);
    expect(datasetFromFiles(spec({ file: 'f', maxValue: 3 }))).toEqual({ ok: false, field: 'file', error: expect.stringMatching(/"f": value 2 is 4; values must lie in \[0, 3\]/) });
  });

  it('reads a .npz-style archive holding x_train, y_train, x_test and y_test from the one file', () => {
    const a = new Map<string, NdArray>([
      ['x_train', { shape: [2, 1], data: Uint8Array.of(0, 255) }],
      ['y_train', { shape: [2], data: Int32Array.of(1, 0) }],
      ['x_test', { shape: [1, 1], data: Uint8Array.of(255) }],
      ['y_test', { shape: [1], data: Int32Array.of(1) }],
    ]);
    provideDatasetFile('z.npz', { ok: true, arrays: a });
    const r = datasetFromFiles(spec({ file: 'z.npz', labelsFile: '' }));
    expect(r.ok && [r.dataset.count, r.dataset.testFrom, [...r.dataset.labels]]).toEqual([3, 2, [1, 0, 1]]);
  });

  it('names the labels field when there are fewer labels than samples', () => {
    provideDatasetFile('lab', arrays({ shape: [2], data: Uint8Array.of(0, 1) }));
    expect(datasetFromFiles(spec())).toEqual({ ok: false, field: 'labels_file', error: '"lab" has 2 labels for the 3 samples of "img"; give one label per sample' });
  });

  it('refuses samples with one dimension, labels with two, and a test set of another shape', () => {
    provideDatasetFile('flat', arrays({ shape: [3], data: Uint8Array.of(1, 2, 3) }));
    expect(datasetFromFiles(spec({ file: 'flat' }))).toMatchObject({ ok: false, field: 'file', error: expect.stringMatching(/shape \[3\]; samples need at least two dimensions/) });
    provideDatasetFile('lab2', arrays({ shape: [3, 2], data: new Uint8Array(6) }));
    expect(datasetFromFiles(spec({ labelsFile: 'lab2' }))).toMatchObject({ ok: false, field: 'labels_file', error: expect.stringMatching(/shape \[3, 2\]; labels need one dimension/) });
    provideDatasetFile('timg', arrays({ shape: [1, 3], data: new Uint8Array(3) }));
    expect(datasetFromFiles(spec({ testFile: 'timg', testLabelsFile: 'lab' }))).toMatchObject({
      ok: false,
      field: 'test_file',
      error: expect.stringMatching(/samples of 3 values .* training samples have 4/),
    });
  });

  it('refuses a negative or fractional label', () => {
    provideDatasetFile('lab', arrays({ shape: [3], data: Float64Array.of(0, 1.5, 2) }));
    expect(datasetFromFiles(spec())).toMatchObject({ field: 'labels_file', error: expect.stringMatching(/label 1 is 1.5/) });
  });

  it('says a file was not read, and passes on why a file could not be read, naming the field', () => {
    expect(datasetFromFiles(spec({ labelsFile: 'nowhere' }))).toMatchObject({ field: 'labels_file', error: expect.stringMatching(/"nowhere" has not been read/) });
    provideDatasetFile('bad', { ok: false, error: 'is truncated: …' });
    expect(datasetFromFiles(spec({ testFile: 'bad', testLabelsFile: 'lab' }))).toMatchObject({ field: 'test_file', error: 'the file "bad" is truncated: …' });
  });

  it('lets an encoder read its samples from files, and the compiler names node and field for a bad one', () => {
    provideDatasetFile('lab', arrays({ shape: [2], data: Uint8Array.of(0, 1) }));
    const doc = smallTrainingDocument();
    doc.nodes[0].params = { ...doc.nodes[0].params, input: 'file', file: 'img', labels_file: 'lab', sample_count: 0 };
    const c = compileDocument(doc);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues[0]).toMatchObject({ nodeId: 'enc', field: 'labels_file', pointer: '/nodes/0/params/labels_file', message: expect.stringMatching(/2 labels for the 3 samples/) });
    provideDatasetFile('lab', arrays({ shape: [3], data: Uint8Array.of(0, 1, 1) }));
    const ok = compileDocument(doc);
    expect(ok.ok && ok.plan.populations.find((p) => p.nodeId === 'enc')!.size).toBe(4);
  });
});
