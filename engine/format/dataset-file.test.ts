import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { parseDatasetFile } from './dataset-file.ts';
import { encodeNpy, encodeNpz } from './npz.ts';
import { clearDatasetFiles, datasetFromFiles, provideDatasetFile } from '../sim/dataset-files.ts';
import { sampleValues } from '../sim/dataset.ts';

describe('dataset files: bytes to arrays', () => {
  it('reads an IDX file, gzipped or not, by its bytes rather than its name', async () => {
    const idx = Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 7, 9);
    for (const bytes of [idx, new Uint8Array(gzipSync(idx))]) {
      const r = await parseDatasetFile(bytes);
      expect(r.ok && [r.arrays.get('')!.shape, [...r.arrays.get('')!.data]]).toEqual([
        [2, 1],
        [7, 9],
      ]);
    }
  });

  it('reads a .npy array and a .npz archive with its arrays by name', async () => {
    const npy = await parseDatasetFile(encodeNpy(Float32Array.of(0, 0.5, 1, 0.25), [2, 2]));
    expect(npy.ok && npy.arrays.get('')!.shape).toEqual([2, 2]);
    const npz = await parseDatasetFile(
      encodeNpz([
        { name: 'x_train', data: Float32Array.of(0, 1, 1, 0), shape: [2, 2] },
        { name: 'y_train', data: Int32Array.of(3, 4) },
      ]),
    );
    expect(npz.ok && [...npz.arrays.keys()]).toEqual(['x_train', 'y_train']);
  });

  it('gives an encoder a dataset from a .npz archive of samples and labels', async () => {
    clearDatasetFiles();
    provideDatasetFile(
      'd.npz',
      await parseDatasetFile(
        encodeNpz([
          { name: 'x', data: Float64Array.of(0, 2, 4, 1), shape: [2, 2] },
          { name: 'y', data: Int32Array.of(1, 0) },
        ]),
      ),
    );
    const r = datasetFromFiles({ file: 'd.npz', labelsFile: '', testFile: '', testLabelsFile: '', maxValue: 4 });
    expect(r.ok && [r.dataset.count, [...r.dataset.labels], [...sampleValues(r.dataset, 0)]]).toEqual([2, [1, 0], [0, 0.5]]);
  });

  it('says what is wrong with a file it cannot read, never throwing', async () => {
    expect(await parseDatasetFile(Uint8Array.of(1, 2, 3, 4, 5))).toEqual({ ok: false, error: expect.stringMatching(/starts with bytes 01 02 03 04 \(expected an IDX file/) });
    const npy = encodeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]);
    expect(await parseDatasetFile(npy.subarray(0, npy.length - 3))).toEqual({ ok: false, error: expect.stringMatching(/^is not a readable NumPy file: /) });
  });
});
