import { describe, expect, it } from 'vitest';
import { getKind } from '../../engine/kinds/index.ts';
import { kindPrefix, nextId } from './ids.ts';

const doc = (nodes: string[], edges: string[] = []) => ({
  nodes: nodes.map((id) => ({ id, kind: 'x', label: id, position: { x: 0, y: 0 }, params: {} })),
  edges: edges.map((id) => ({ id, source: { node: 'a', port: 'p' }, target: { node: 'b', port: 'q' }, params: {} })),
});

describe('kindPrefix', () => {
  it('uses the first word of the kind id, and "mon" for every monitor', () => {
    expect(kindPrefix(getKind('poisson-source')!)).toBe('poisson');
    expect(kindPrefix(getKind('lif-curr-exp')!)).toBe('lif');
    expect(kindPrefix(getKind('dc-current')!)).toBe('dc');
    expect(kindPrefix(getKind('spike-monitor')!)).toBe('mon');
  });
});

describe('nextId', () => {
  it('starts at 1', () => {
    expect(nextId(doc([]), 'lif')).toBe('lif1');
  });

  it('continues after the highest number in use, not the count, so a deleted id is not reused', () => {
    expect(nextId(doc(['lif1', 'lif3']), 'lif')).toBe('lif4');
  });

  it('ignores ids of other prefixes and ids that only start like the prefix', () => {
    expect(nextId(doc(['lif7x', 'lifx2', 'poisson9', 'alif5']), 'lif')).toBe('lif1');
  });

  it('counts edge ids too, so node and edge ids never collide', () => {
    expect(nextId(doc(['e1'], ['e2']), 'e')).toBe('e3');
  });

  it('treats regular-expression characters in a prefix literally', () => {
    expect(nextId(doc(['a.b1', 'axb5']), 'a.b')).toBe('a.b2');
  });
});
