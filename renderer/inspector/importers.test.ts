import { describe, expect, it } from 'vitest';
import { defaultParams, getKind, KINDS } from '../../engine/kinds/index.ts';
import type { NodeKind } from '../../engine/kinds/index.ts';
import { describeDataset, importersFor, locatedError } from './importers.ts';
import type { Importer } from './importers.ts';

function kind(id: string): NodeKind {
  const k = getKind(id);
  if (!k) throw new Error(`no kind ${id}`);
  return k;
}

function importer(kindId: string, id: Importer['id']): Importer {
  const imp = importersFor(kind(kindId)).find((i) => i.id === id);
  if (!imp) throw new Error(`${kindId} offers no ${id} import`);
  return imp;
}

describe('which imports a kind offers', () => {
  it('offers the spike CSV to the spike generator and the dataset import to every encoder, by their params', () => {
    const offered = Object.fromEntries(KINDS.map((k) => [k.id, importersFor(k).map((i) => i.id)]));
    expect(offered['spike-generator']).toEqual(['spike-csv']);
    for (const id of ['rate-encoder', 'latency-encoder', 'delta-encoder', 'gaussian-encoder']) expect(offered[id]).toEqual(['dataset']);
    expect(offered['poisson-source']).toEqual([]);
    expect(offered['lif-curr-exp']).toEqual([]);
  });

  it('puts each import under a param the kind really has', () => {
    for (const k of KINDS) for (const imp of importersFor(k)) expect(k.params).toHaveProperty(imp.field);
  });
});

describe('spike CSV import', () => {
  const csv = importer('spike-generator', 'spike-csv');
  const params = defaultParams(kind('spike-generator').params);

  it('replaces neurons and times and raises the channel count to what the file needs', () => {
    const r = csv.run('neuron,t_ms\n0,5\n4,12.5\n2,7\n', 'spikes.csv', params);
    expect(r).toEqual({
      ok: true,
      values: { neurons: [0, 4, 2], times_ms: [5, 12.5, 7], size: 5 },
      summary: '3 spikes, 5–12.5 ms, on 5 channels (from spikes.csv)',
    });
  });

  it('never lowers the channel count', () => {
    const r = csv.run('0,1\n', 'one.csv', { ...params, size: 10 });
    expect(r.ok && r.values).toEqual({ neurons: [0], times_ms: [1] });
    expect(r.ok && r.summary).toBe('1 spike, at 1 ms, on 10 channels (from one.csv)');
  });

  it('reads seconds when the header says t_s', () => {
    const r = csv.run('t_s,neuron\n0.25,1\n', 's.csv', params);
    expect(r.ok && r.values.times_ms).toEqual([250]);
  });

  it('names the file, the line and the field of a bad value', () => {
    const r = csv.run('neuron,t_ms\n0,5\n1,soon\n', 'bad.csv', params);
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^bad\.csv: line 3, field t_ms: "soon" is not a time/) as unknown });
  });

  it('refuses a file with no spikes', () => {
    const r = csv.run('# nothing\n\n', 'empty.csv', params);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^empty\.csv: .*no spikes/);
  });
});

describe('dataset import', () => {
  const ds = importer('rate-encoder', 'dataset');
  const params = defaultParams(kind('rate-encoder').params);

  it('stores the file text as the custom dataset and switches the input to it', () => {
    const text = 'label,a,b\n1,0,0.5\n0,1,0.25\n';
    const r = ds.run(text, 'tiny.csv', params);
    expect(r).toEqual({ ok: true, values: { input: 'custom', custom_data: text }, summary: '2 samples × 2 values, labels 0–1 (from tiny.csv)' });
  });

  it('reads JSON with an image shape', () => {
    const text = JSON.stringify({ samples: [[0, 1, 1, 0]], labels: [7], width: 2, height: 2 });
    const r = ds.run(text, 'img.json', params);
    expect(r.ok && r.summary).toBe('1 sample × 4 values (2×2), label 7 (from img.json)');
  });

  it('brings a subset that no longer fits back inside the new dataset', () => {
    const r = ds.run('0,0.5\n1,0.5\n', 'two.csv', { ...params, first_sample: 5, sample_count: 3 });
    expect(r.ok && r.values).toMatchObject({ first_sample: 0, sample_count: 0 });
    const fits = ds.run('0,0.5\n1,0.5\n', 'two.csv', { ...params, first_sample: 1, sample_count: 1 });
    expect(fits.ok && fits.values).not.toHaveProperty('first_sample');
    expect(fits.ok && fits.values).not.toHaveProperty('sample_count');
  });

  it('names line and field of a bad CSV value, and suggests the maximum when pixels exceed it', () => {
    const bad = ds.run('label,x,y\n1,0.5,oops\n', 'd.csv', params);
    expect(bad).toEqual({ ok: false, message: expect.stringMatching(/^d\.csv: line 2, field y: "oops" is not a number/) as unknown });
    const pixels = ds.run('3,0,255\n', 'p.csv', params);
    expect(pixels.ok).toBe(false);
    if (!pixels.ok) expect(pixels.message).toMatch(/line 1, field v1: 255 is above the maximum value 1.*Set “Value of 1” \(now 1\).*255/);
    expect(ds.run('3,0,255\n', 'p.csv', { ...params, custom_max: 255 }).ok).toBe(true);
  });

  it('names the field of a JSON dataset error', () => {
    const r = ds.run('{"samples": [[0.1], [2]], "labels": [0, 1]}', 'd.json', params);
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^d\.json: field samples\[1\]\[0\]: 2 is above/) as unknown });
  });

  it('describes what the field holds, or nothing when it is empty or does not parse', () => {
    expect(ds.describe?.({ ...params, custom_data: '0,0.5,1\n2,1,0\n' })).toBe('2 samples × 2 values, labels 0–2');
    expect(ds.describe?.({ ...params, custom_data: '' })).toBeNull();
    expect(ds.describe?.({ ...params, custom_data: 'x' })).toBeNull();
  });
});

describe('located errors', () => {
  it('adds line and field when the message lacks them, and always the file name', () => {
    expect(locatedError('f.csv', 'is empty', 4, 't_ms')).toBe('f.csv: line 4, field t_ms: is empty');
    expect(locatedError('f.csv', 'line 4, field t_ms: is empty', 4, 't_ms')).toBe('f.csv: line 4, field t_ms: is empty');
    expect(locatedError('f.json', 'must be a list', undefined, 'labels')).toBe('f.json: field labels: must be a list');
  });

  it('describes a dataset by count, length and label range', () => {
    expect(describeDataset({ name: 'x', count: 1797, length: 64, values: new Float64Array(0), labels: Int32Array.from([0, 9, 3]), width: 8, height: 8 })).toBe(
      '1,797 samples × 64 values (8×8), labels 0–9',
    );
  });
});
