import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { lineColumn, locateJsonError, parseJson } from './parse-json.ts';

function failure(text: string) {
  const r = parseJson(text);
  if (r.ok) throw new Error(`expected a syntax error in ${JSON.stringify(text)}`);
  return r;
}

describe('parseJson', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJson('{"a": [1, 2.5e3, "x\\n", true, null]}')).toEqual({ ok: true, value: { a: [1, 2500, 'x\n', true, null] } });
  });

  it('ignores a leading byte-order mark', () => {
    expect(parseJson('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('points at a missing comma by line and column', () => {
    const r = failure('{\n  "a": 1\n  "b": 2\n}');
    expect([r.line, r.column]).toEqual([3, 3]);
    expect(r.message).toBe('expected "," or "}" but found a double quote');
  });

  it('names a trailing comma at the comma', () => {
    const r = failure('[1, 2,\n]');
    expect([r.line, r.column]).toEqual([1, 6]);
    expect(r.message).toContain('trailing comma');
  });

  it('reports an unterminated string at the end of the file', () => {
    const r = failure('{"name": "abc');
    expect([r.line, r.column]).toEqual([1, 14]);
    expect(r.message).toContain('closing " is missing');
  });

  it('reports a raw newline inside a string', () => {
    const r = failure('{"a": "x\ny"}');
    expect([r.line, r.column]).toEqual([1, 9]);
    expect(r.message).toContain('control character (U+000A)');
  });

  it('rejects single quotes, comments, NaN and leading zeros with the place', () => {
    expect(failure("{'a': 1}").column).toBe(2);
    expect(failure('{"a": 1 // note\n}').column).toBe(9);
    expect(failure('[NaN]').column).toBe(2);
    expect(failure('[01]').column).toBe(3);
  });

  it('reports text after the top-level value', () => {
    const r = failure('{} {}');
    expect(r.column).toBe(4);
    expect(r.message).toContain('end of the file');
  });

  it('counts the byte-order mark as a column, as editors do', () => {
    expect(failure('\uFEFF[1,]').column).toBe(4);
  });

  it('handles 100 000 nested lists without overflowing the stack', () => {
    expect(locateJsonError('['.repeat(100_000) + ']'.repeat(99_999))).not.toBeNull();
    expect(locateJsonError('['.repeat(100_000) + ']'.repeat(100_000))).toBeNull();
  });

  it('agrees with JSON.parse on which texts are valid (random texts and mangled JSON)', () => {
    const mangled = fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 })).map(([j, at, ins, del]) => {
      const i = at % (j.length + 1);
      return j.slice(0, i) + ins + j.slice(i + del);
    });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mangled, fc.string()), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(locateJsonError(text) === null).toBe(valid);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('lineColumn', () => {
  it('is 1-based and counts from the last newline', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 8)).toEqual({ line: 3, column: 3 });
  });
});
