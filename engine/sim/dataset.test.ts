import { describe, it, expect } from 'vitest';
import { parseDataset, parseDatasetCsv, parseDatasetJson } from './dataset.ts';

describe('dataset parsers', () => {
  it('read CSV rows label,v0,v1,… with or without a header, scaled by the maximum value', () => {
    const a = parseDatasetCsv('label,p0,p1\n3,0,255\n# comment\n\n7,51,102\n', { maxValue: 255 });
    const b = parseDatasetCsv('3,0,1\r\n7,0.2,0.4\r\n');
    for (const r of [a, b]) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.dataset.count).toBe(2);
      expect(r.dataset.length).toBe(2);
      expect([...r.dataset.labels]).toEqual([3, 7]);
      expect([...r.dataset.values]).toEqual([0, 1, 0.2, 0.4]);
    }
  });

  it('read JSON {samples, labels} with an image shape', () => {
    const r = parseDatasetJson('{"name": "tiny", "samples": [[0, 0.5, 1, 0.25]], "labels": [2], "width": 2, "height": 2}');
    expect(r).toMatchObject({ ok: true, dataset: { name: 'tiny', count: 1, length: 4, width: 2, height: 2 } });
    if (r.ok) expect([...r.dataset.values]).toEqual([0, 0.5, 1, 0.25]);
  });

  it('pick JSON or CSV by the first character', () => {
    expect(parseDataset('  {"samples": [[1]], "labels": [0]}')).toMatchObject({ ok: true, dataset: { count: 1, length: 1 } });
    expect(parseDataset('0,1\n')).toMatchObject({ ok: true, dataset: { count: 1, length: 1 } });
  });

  it.each([
    ['1,0.5,0.2\n2,0.5,x\n', 2, 'v1', 'line 2, field v1: "x" is not a number'],
    ['label,a,b\n1,0.5,0.2\n2,0.5,1.5\n', 3, 'b', 'line 3, field b: 1.5 is above the maximum value 1; values must lie in [0, 1]'],
    ['1,0.5,0.2\n2,-0.1,0.3\n', 2, 'v0', 'line 2, field v0: -0.1 is below 0'],
    ['1,0.5,0.2\n2.5,0.1,0.3\n', 2, 'label', 'line 2, field label: the label must be a whole number ≥ 0 (got 2.5)'],
    ['1,0.5,0.2\n\n2,0.1\n', 3, undefined, 'line 3: has 2 fields, but line 1 has 3; every row needs the same number of values'],
    ['label,a,b\n1,0.5\n', 2, undefined, 'line 2: has 2 fields, but the header has 3'],
    ['1,0.5,,0.2\n', 1, 'v1', 'line 1, field v1: is empty'],
    ['x,0.5,0.2\n', 1, 'label', 'line 1, field label: "x" is not a number'],
    ['5\n', 1, undefined, 'line 1: a row needs a label and at least one value'],
  ])('reject CSV %j naming line %i and field %s', (text, line, field, message) => {
    const r = parseDatasetCsv(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.line).toBe(line);
    expect(r.field).toBe(field);
    expect(r.error.startsWith(message)).toBe(true);
  });

  it('reject a CSV with no samples', () => {
    expect(parseDatasetCsv('label,v0\n')).toMatchObject({ ok: false, error: 'the file has a header but no samples' });
    expect(parseDatasetCsv('\n\n')).toMatchObject({ ok: false, error: 'the file has no samples (expected rows label,v0,v1,…)' });
  });

  it.each([
    ['{"samples": [[0.1, 0.2]], "labels": [1]', undefined, 'line 1, column 40: not valid JSON, expected "," or "}" but found the end of the file'],
    ['{\n  "samples": [[0.1, 0.2],\n  [0.3 0.4]]}', undefined, 'line 3, column 8: not valid JSON'],
    ['[1, 2]', undefined, 'the JSON must be an object'],
    ['{"samples": [[0.1, 0.2]]}', 'labels', 'field labels: must be a list of whole numbers, one per sample'],
    ['{"samples": [[0.1, 0.2], [0.3]], "labels": [0, 1]}', 'samples[1]', 'field samples[1]: has 1 values, but samples[0] has 2'],
    ['{"samples": [[0.1, "a"]], "labels": [0]}', 'samples[0][1]', 'field samples[0][1]: must be a finite number (got "a")'],
    ['{"samples": [[0.1, 2]], "labels": [0]}', 'samples[0][1]', 'field samples[0][1]: 2 is above the maximum value 1'],
    ['{"samples": [[0.1], [0.2]], "labels": [0, -3]}', 'labels[1]', 'field labels[1]: must be a whole number ≥ 0 (got -3)'],
    ['{"samples": [[0.1], [0.2]], "labels": [0]}', 'labels', 'field labels: has 1 labels for 2 samples'],
    ['{"samples": [[0.1, 0.2, 0.3]], "labels": [0], "width": 2, "height": 2}', 'width', 'fields width and height: must be whole numbers whose product is the sample length 3'],
  ])('reject JSON %j naming the field %s', (text, field, message) => {
    const r = parseDatasetJson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.error.startsWith(message)).toBe(true);
  });

  it('give the line of a JSON syntax error', () => {
    const r = parseDatasetJson('{\n  "samples": [[0.1, 0.2],\n  [0.3 0.4]]}');
    expect(r.ok ? 0 : r.line).toBe(3);
  });
});
