/**
 * JSON parsing with a useful error: the line and column of the first problem.
 *
 * `JSON.parse` builds the value (its semantics, e.g. a repeated key keeps the
 * last value, are the ones every other tool uses). Its error messages differ
 * between engines and often carry no position, so on failure a small scanner
 * walks the text to find where, and what, the problem is.
 */

export type JsonParseResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number; readonly offset: number };

/** Parse JSON text; a leading byte-order mark is ignored (some editors write one). */
export function parseJson(text: string): JsonParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = body.length === text.length ? 0 : 1;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (e) {
    const found = locateJsonError(body);
    if (found) {
      const { line, column } = lineColumn(text, found.offset + shift);
      return { ok: false, message: found.problem, line, column, offset: found.offset + shift };
    }
    // The scanner found no syntax error, so the engine gave up for another reason (e.g. nesting depth).
    return { ok: false, message: e instanceof Error ? e.message : String(e), line: 1, column: 1, offset: 0 };
  }
}

/** 1-based line and column (in UTF-16 code units) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describeChar(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file';
  const c = text.charCodeAt(i);
  if (c === 34) return 'a double quote';
  if (c < 0x20) return `a control character (U+${c.toString(16).padStart(4, '0').toUpperCase()})`;
  return `"${String.fromCodePoint(text.codePointAt(i) ?? c)}"`;
}

/**
 * Find the first JSON syntax error in `text`: its offset and a phrase saying
 * what was expected. Null when the text is valid JSON. Iterative (an explicit
 * stack), so deeply nested input cannot overflow the call stack.
 */
export function locateJsonError(text: string): { offset: number; problem: string } | null {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 123 `{` or 91 `[`
  const fail = (at: number, expected: string) => ({ offset: at, problem: `expected ${expected} but found ${describeChar(text, at)}` });
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const isDigit = (c: number) => c >= 48 && c <= 57;
  const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
  // Returns an error or null; on success `i` is just past the string.
  const scanString = (): { offset: number; problem: string } | null => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 0x20) return { offset: i, problem: `found ${describeChar(text, i)} inside a string (write it as an escape such as \\n)` };
      if (c === 92) {
        const e = text.charCodeAt(i + 1);
        if (e === 117) {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(i + k))) return { offset: i, problem: 'found a \\u escape without four hex digits' };
          }
          i += 6;
        } else if ([34, 92, 47, 98, 102, 110, 114, 116].includes(e)) {
          i += 2;
        } else {
          return { offset: i, problem: `found an invalid escape \\${i + 1 < n ? text[i + 1] : ''} in a string` };
        }
        continue;
      }
      i++;
    }
    return { offset: n, problem: 'found the end of the file inside a string (a closing " is missing)' };
  };
  const scanNumber = (): { offset: number; problem: string } | null => {
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) {
      i++;
    } else if (isDigit(text.charCodeAt(i))) {
      while (isDigit(text.charCodeAt(i))) i++;
    } else {
      return fail(i, 'a digit');
    }
    if (text.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(text.charCodeAt(i))) return fail(i, 'a digit after the decimal point');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69) {
      i++;
      if (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) i++;
      if (!isDigit(text.charCodeAt(i))) return fail(i, 'a digit in the exponent');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    return null;
  };
  // Parse an object key and its colon; leaves `i` at the value.
  const scanKey = (): { offset: number; problem: string } | null => {
    ws();
    if (text.charCodeAt(i) !== 34) return fail(i, 'a property name in double quotes');
    const e = scanString();
    if (e) return e;
    ws();
    if (text.charCodeAt(i) !== 58) return fail(i, '":" after the property name');
    i++;
    return null;
  };

  for (;;) {
    // Expect a value at i.
    ws();
    const c = text.charCodeAt(i);
    if (c === 123) {
      stack.push(123);
      i++;
      ws();
      if (text.charCodeAt(i) === 125) {
        stack.pop();
        i++;
      } else {
        const e = scanKey();
        if (e) return e;
        continue;
      }
    } else if (c === 91) {
      stack.push(91);
      i++;
      ws();
      if (text.charCodeAt(i) === 93) {
        stack.pop();
        i++;
      } else {
        continue;
      }
    } else if (c === 34) {
      const e = scanString();
      if (e) return e;
    } else if (c === 45 || isDigit(c)) {
      const e = scanNumber();
      if (e) return e;
    } else {
      let lit = '';
      for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) lit = word;
      if (!lit) return fail(i, 'a value (a number, string, true, false, null, an object or a list)');
      i += lit.length;
    }
    // After a value: close containers or move to the next item.
    for (;;) {
      ws();
      if (stack.length === 0) {
        return i < n ? fail(i, 'the end of the file after the top-level value') : null;
      }
      const top = stack[stack.length - 1];
      const d = text.charCodeAt(i);
      if (d === 44) {
        const comma = i;
        i++;
        ws();
        const after = text.charCodeAt(i);
        if (after === 125 || after === 93) {
          return { offset: comma, problem: `found a comma before ${describeChar(text, i)} (a trailing comma is not allowed in JSON)` };
        }
        if (top === 123) {
          const e = scanKey();
          if (e) return e;
        }
        break; // next value
      }
      if (top === 123 && d === 125) {
        stack.pop();
        i++;
        continue;
      }
      if (top === 91 && d === 93) {
        stack.pop();
        i++;
        continue;
      }
      return fail(i, top === 123 ? '"," or "}"' : '"," or "]"');
    }
  }
}
