import { describe, it, expect } from 'vitest';
import { wasmHint } from './interop.ts';

describe('wasmHint', () => {
  it("turns the desktop window's refusal to compile WebAssembly into what to do instead", () => {
    const csp = new Error("WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script");
    const hinted = wasmHint(csp) as Error;
    expect(hinted.message).toMatch(
      /^NIR files are read and written with WebAssembly, which this page's security policy does not allow: use the desktop or browser app \(both allow it\), or the command line/,
    );
    expect(hinted.message).toContain(csp.message);
  });

  it('passes every other error through unchanged', () => {
    const other = new Error('disk full');
    expect(wasmHint(other)).toBe(other);
  });
});
