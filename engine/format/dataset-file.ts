/**
 * One dataset file's bytes into arrays, for a host to hand to the engine
 * (`provideDatasetFile`, engine/sim/dataset-files.ts). The format is told by
 * the bytes, not the name: gzip (inflated first), IDX (`00 00 type dims`),
 * `.npy` (`\x93NUMPY`), `.npz` (a zip, `PK`).
 */
import { gunzipIfNeeded, parseIdx, IdxError } from '../sim/idx.ts';
import { isNpy, isZip, NpyError, readNpy, readNpz } from '../core/npy-read.ts';
import type { DatasetFileEntry, NdArray } from '../sim/dataset-files.ts';

/** Parse the bytes of a dataset file; never throws: a malformed file gives `{ ok: false, error }` ("is …", to follow the file's name). */
export async function parseDatasetFile(bytes: Uint8Array): Promise<DatasetFileEntry> {
  let raw: Uint8Array;
  try {
    raw = await gunzipIfNeeded(bytes);
  } catch (e) {
    return { ok: false, error: e instanceof IdxError ? e.message : `could not be inflated: ${(e as Error).message}` };
  }
  try {
    if (raw.length >= 2 && raw[0] === 0 && raw[1] === 0) {
      const a = parseIdx(raw);
      return { ok: true, arrays: new Map<string, NdArray>([['', { shape: a.dims, data: a.data }]]) };
    }
    if (isNpy(raw)) {
      const a = readNpy(raw);
      return { ok: true, arrays: new Map<string, NdArray>([['', { shape: a.shape, data: a.data }]]) };
    }
    if (isZip(raw)) {
      const arrays = new Map<string, NdArray>();
      for (const [name, a] of readNpz(raw)) arrays.set(name, { shape: a.shape, data: a.data });
      // One array in an archive is the samples or labels by itself, like a .npy.
      if (arrays.size === 1) return { ok: true, arrays: new Map([['', [...arrays.values()][0]]]) };
      return { ok: true, arrays };
    }
    return {
      ok: false,
      error: `is not a dataset file Spikeflow reads: it starts with bytes ${[...raw.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')} (expected an IDX file, optionally gzipped, a .npy or a .npz)`,
    };
  } catch (e) {
    if (e instanceof IdxError) return { ok: false, error: e.message };
    if (e instanceof NpyError) return { ok: false, error: `is not a readable NumPy file: ${e.message}` };
    throw e;
  }
}
