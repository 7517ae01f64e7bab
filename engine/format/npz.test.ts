/**
 * The NPZ writer checked against NumPy itself: archives written here are loaded
 * with `numpy.load` in Python and their dtypes, shapes and values compared.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, encodeNpy, encodeNpz } from './npz.ts';
import { monitorCsv, monitorNpz, populationCsv } from './monitor-export.ts';
import { PYTHON, requireTool } from '../../test/require-tool.ts';

function hasNumpy(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const run = requireTool('python3 with numpy', hasNumpy(), 'apt-get install -y python3-numpy');

/** Load `bytes` with numpy and return {name: {dtype, shape, values}} as JSON. */
function numpyLoad(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; values: number[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sf-npz-'));
  const file = path.join(dir, 'a.npz');
  writeFileSync(file, bytes);
  const script = [
    'import json, sys, numpy',
    'd = numpy.load(sys.argv[1])',
    'print(json.dumps({k: {"dtype": d[k].dtype.str, "shape": list(d[k].shape), "values": d[k].ravel(order="C").tolist()} for k in d.files}))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }));
}

describe('CRC-32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(Uint8Array.from('123456789', (c) => c.charCodeAt(0)))).toBe(0xcbf43926);
  });
});

describe('npy header', () => {
  it('pads the header so the data starts on a 64-byte boundary and ends it with a newline', () => {
    const b = encodeNpy(new Float64Array([1, 2, 3]));
    const headerLen = b[8] | (b[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(b[10 + headerLen - 1]).toBe(0x0a);
    expect(b.length).toBe(10 + headerLen + 24);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Int32Array(5), [2, 3])).toThrow(/holds 6 values, the data has 5/);
  });
});

describe.runIf(run)('NPZ read back by numpy.load', () => {
  it('loads int32, float32 and float64 arrays, 1-D and 2-D, with their exact values', () => {
    const f32 = new Float32Array([0.1, -2.5, 3e-8, 1e30, -0, 7]);
    const got = numpyLoad(
      encodeNpz([
        { name: 'ints', data: new Int32Array([0, -1, 2147483647, -2147483648, 42]) },
        { name: 'f64', data: new Float64Array([Math.PI, -1e-300, 0.1 + 0.2]) },
        { name: 'grid', data: f32, shape: [2, 3] },
        { name: 'empty', data: new Float64Array(0) },
        { name: 'größe', data: new Int32Array([9]) },
      ]),
    );
    expect(Object.keys(got).sort()).toEqual(['empty', 'f64', 'grid', 'größe', 'ints']);
    expect(got['größe'].values).toEqual([9]);
    expect(got.ints).toEqual({ dtype: '<i4', shape: [5], values: [0, -1, 2147483647, -2147483648, 42] });
    expect(got.f64).toEqual({ dtype: '<f8', shape: [3], values: [Math.PI, -1e-300, 0.1 + 0.2] });
    expect(got.grid.dtype).toBe('<f4');
    expect(got.grid.shape).toEqual([2, 3]);
    // numpy widens float32 to double when listing; so does reading a Float32Array.
    expect(got.grid.values).toEqual(Array.from(f32));
    expect(got.empty).toEqual({ dtype: '<f8', shape: [0], values: [] });
  });

  it('writes a monitor in the documented layout, matching its CSV', () => {
    const state = {
      records: 'state' as const,
      variable: 'v',
      populations: [{ population: 'exc', neurons: new Int32Array([3, 7]), tMs: new Float64Array([0, 0.5, 1]), values: new Float32Array([-65, -64, -60.5, -59, -50.25, -70]) }],
    };
    const got = numpyLoad(monitorNpz(state));
    expect(got.exc_v).toEqual({ dtype: '<f4', shape: [3, 2], values: [-65, -64, -60.5, -59, -50.25, -70] });
    expect(got.exc_neurons).toEqual({ dtype: '<i4', shape: [2], values: [3, 7] });
    expect(got.exc_t_ms.values).toEqual([0, 0.5, 1]);
    expect(populationCsv(state, 0)).toBe('t_ms,neuron,value\n0,3,-65\n0,7,-64\n0.5,3,-60.5\n0.5,7,-59\n1,3,-50.25\n1,7,-70\n');

    const spikes = {
      records: 'spikes' as const,
      populations: [
        { population: 'a', neuron: new Int32Array([1, 0]), tMs: new Float64Array([0.1, 0.30000000000000004]) },
        { population: 'b', neuron: new Int32Array([]), tMs: new Float64Array([]) },
      ],
    };
    const s = numpyLoad(monitorNpz(spikes));
    expect(Object.keys(s).sort()).toEqual(['a_neuron', 'a_t_ms', 'b_neuron', 'b_t_ms']);
    expect(s.a_neuron.values).toEqual([1, 0]);
    expect(s.b_t_ms.shape).toEqual([0]);
    expect(monitorCsv(spikes)).toBe('population,neuron,t_ms\na,1,0.1\na,0,0.3\n');

    const rate = { records: 'rate' as const, populations: [{ population: 'p', tMs: new Float64Array([0, 5]), rateHz: new Float64Array([12.5, 0]) }] };
    const r = numpyLoad(monitorNpz(rate));
    expect(r.p_rate_hz).toEqual({ dtype: '<f8', shape: [2], values: [12.5, 0] });
    expect(populationCsv(rate, 0)).toBe('t_ms,rate_hz\n0,12.5\n5,0\n');
  });
});
