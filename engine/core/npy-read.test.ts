import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeNpy, encodeNpz } from '../format/npz.ts';
import { NpyError, readNpy, readNpz } from './npy-read.ts';
import { hasPythonModules, PYTHON, requireTool } from '../../test/require-tool.ts';

describe('npy/npz reader', () => {
  it("reads back Spikeflow's own writer: dtypes, shapes and values", () => {
    const f = readNpy(encodeNpy(new Float64Array([1.5, -2, 3e-9, 4, 5, 6]), [2, 3]));
    expect(f).toEqual({ dtype: 'f8', shape: [2, 3], data: new Float64Array([1.5, -2, 3e-9, 4, 5, 6]) });
    const z = readNpz(
      encodeNpz([
        { name: 'i', data: new Int32Array([7, -8]) },
        { name: 'w', data: new Float32Array([0.25]) },
      ]),
    );
    expect([...z.keys()]).toEqual(['i', 'w']);
    expect(z.get('i')?.data).toEqual(new Int32Array([7, -8]));
    expect(z.get('w')).toEqual({ dtype: 'f4', shape: [1], data: new Float32Array([0.25]) });
    expect([...readNpz(encodeNpz([{ name: 'größe→τ', data: new Float64Array([1]) }])).keys()]).toEqual(['größe→τ']);
  });

  it('refuses what is not an array file, naming the problem', () => {
    expect(() => readNpy(new TextEncoder().encode('pre,post\n1,2\n'))).toThrow(/not a \.npy file/);
    const ok = encodeNpy(new Float64Array(10));
    expect(() => readNpy(ok.subarray(0, ok.length - 8))).toThrow(/truncated \.npy data/);
    expect(() => readNpz(ok)).toThrow(/not an \.npz/);
    const z = encodeNpz([{ name: 'a', data: new Float64Array(4) }]);
    expect(() => readNpz(z.subarray(0, z.length - 30))).toThrow(NpyError);
  });

  const run = requireTool('NumPy (python3-numpy in /usr/bin/python3)', hasPythonModules('numpy'), 'apt-get install -y python3-numpy');
  it.runIf(run)('reads what NumPy writes: save, savez, savez_compressed, Fortran order, big-endian, bool, int64, 0-d and 3-d arrays', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    execFileSync(PYTHON, [
      '-c',
      `
import numpy as np, os
d = ${JSON.stringify(dir)}
a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7
np.save(os.path.join(d, 'c.npy'), a)
np.save(os.path.join(d, 'f.npy'), np.asfortranarray(a))
np.save(os.path.join(d, 'be.npy'), np.array([1.5, -2.25, 1e300], dtype='>f8'))
np.save(os.path.join(d, 'b.npy'), np.array([True, False, True]))
np.save(os.path.join(d, 'scalar.npy'), np.float32(3.5))
np.save(os.path.join(d, 'u8.npy'), np.arange(0, 256, dtype=np.uint8).reshape(16, 16))
rng = np.random.default_rng(1)
w = rng.normal(size=(300, 200))
np.savez(os.path.join(d, 'plain.npz'), w=w, pre=np.arange(5, dtype=np.int64), labels=np.array([3, 1, 2], dtype=np.uint8))
np.savez_compressed(os.path.join(d, 'comp.npz'), w=w, i2=np.array([-3, 4], dtype='<i2'), u4=np.array([2**32 - 1], dtype='<u4'))
np.savetxt(os.path.join(d, 'w.txt'), w.ravel(), fmt='%.17g')
`,
    ]);
    const read = (f: string) => new Uint8Array(readFileSync(path.join(dir, f)));
    const expected3d = Float64Array.from({ length: 24 }, (_, k) => k / 7);
    expect(readNpy(read('c.npy'))).toEqual({ dtype: 'f8', shape: [2, 3, 4], data: expected3d });
    expect(readNpy(read('f.npy'))).toEqual({ dtype: 'f8', shape: [2, 3, 4], data: expected3d });
    expect(readNpy(read('be.npy')).data).toEqual(new Float64Array([1.5, -2.25, 1e300]));
    expect(readNpy(read('b.npy'))).toEqual({ dtype: 'b1', shape: [3], data: new Uint8Array([1, 0, 1]) });
    expect(readNpy(read('scalar.npy'))).toEqual({ dtype: 'f4', shape: [], data: new Float32Array([3.5]) });
    expect(readNpy(read('u8.npy')).data).toEqual(Uint8Array.from({ length: 256 }, (_, k) => k));
    const w = Float64Array.from(readFileSync(path.join(dir, 'w.txt'), 'utf8').trim().split('\n').map(Number));
    const plain = readNpz(read('plain.npz'));
    expect(plain.get('w')).toEqual({ dtype: 'f8', shape: [300, 200], data: w });
    expect(plain.get('pre')).toEqual({ dtype: 'i8', shape: [5], data: new Float64Array([0, 1, 2, 3, 4]) });
    expect(plain.get('labels')?.data).toEqual(new Uint8Array([3, 1, 2]));
    const comp = readNpz(read('comp.npz'));
    expect(comp.get('w')?.data).toEqual(w);
    expect(comp.get('i2')?.data).toEqual(new Int16Array([-3, 4]));
    expect(comp.get('u4')?.data).toEqual(new Uint32Array([2 ** 32 - 1]));
  });
});
