import { describe, it, expect } from 'vitest';
import { parsePointer, pointer, resolvePointer } from './pointer.ts';

describe('JSON pointers', () => {
  it('escapes ~ and / in segments (RFC 6901)', () => {
    expect(pointer('nodes', 3, 'params', 'a/b~c')).toBe('/nodes/3/params/a~1b~0c');
    expect(parsePointer('/nodes/3/params/a~1b~0c')).toEqual(['nodes', '3', 'params', 'a/b~c']);
  });

  it('treats the empty pointer as the whole document and rejects malformed ones', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('nodes')).toBeNull();
    expect(parsePointer('/a~2')).toBeNull();
  });

  it('resolves into objects and lists, and reports what is not there', () => {
    const doc = { nodes: [{ id: 'a', params: { 'x/y': 0 } }], '': { deep: true } };
    expect(resolvePointer(doc, '/nodes/0/params/x~1y')).toEqual({ found: true, value: 0 });
    expect(resolvePointer(doc, '/')).toEqual({ found: true, value: { deep: true } });
    expect(resolvePointer(doc, '/nodes/1')).toEqual({ found: false });
    expect(resolvePointer(doc, '/nodes/01')).toEqual({ found: false });
    expect(resolvePointer(doc, '/nodes/0/id/length')).toEqual({ found: false });
    expect(resolvePointer({}, '/toString')).toEqual({ found: false });
  });
});
