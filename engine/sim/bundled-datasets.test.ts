import { describe, it, expect } from 'vitest';
import { statSync } from 'node:fs';
import { BUNDLED_DATASETS, bundledDataset, bundledDatasetInfo, decodePackedImages } from './bundled-datasets.ts';
import { sampleValues } from './dataset.ts';

describe('bundled digits (UCI optdigits test set)', () => {
  const d = bundledDataset('digits');

  it('holds 1797 images of 8×8 values in [0, 1] with labels 0–9, about 180 of each', () => {
    expect(BUNDLED_DATASETS).toEqual(['digits']);
    expect([d.count, d.length, d.width, d.height]).toEqual([1797, 64, 8, 8]);
    expect(bundledDatasetInfo('digits')).toEqual({ count: 1797, length: 64, width: 8, height: 8, classes: 10 });
    expect(d.values.every((x) => x >= 0 && x <= 1 && Number.isInteger(x * 16))).toBe(true);
    const perClass = new Array<number>(10).fill(0);
    for (const l of d.labels) perClass[l]++;
    expect(Math.min(...perClass)).toBeGreaterThanOrEqual(170);
    expect(Math.max(...perClass)).toBeLessThanOrEqual(190);
  });

  it('decodes the first image as in the source file (a 0) and its label', () => {
    // Row 1 of sklearn's digits.csv.gz.
    const row = [
      0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13,
      10, 0, 0, 0,
    ];
    expect([...sampleValues(d, 0)].map((x) => x * 16)).toEqual(row);
    expect([...d.labels.subarray(0, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is decoded once and shared', () => {
    expect(bundledDataset('digits')).toBe(d);
  });

  it('ships as a file of at most 250 kB', () => {
    expect(statSync(new URL('../../data/digits/digits.json', import.meta.url)).size).toBeLessThanOrEqual(250_000);
  });

  it('refuses a packed file whose pixels or labels are malformed', () => {
    const base = { name: 't', width: 2, height: 1, count: 1, max_value: 16, labels: '3', images: ['0g'] };
    expect([...decodePackedImages(base).values]).toEqual([0, 1]);
    expect(() => decodePackedImages({ ...base, images: ['0h'] })).toThrow('dataset t: image 0, pixel 1 is "h"');
    expect(() => decodePackedImages({ ...base, images: ['0'] })).toThrow('image 0 has 1 pixels, not 2');
    expect(() => decodePackedImages({ ...base, labels: 'x' })).toThrow('label 0 is "x"');
  });
});
