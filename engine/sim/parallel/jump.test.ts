import { describe, it, expect } from 'vitest';
import { jump, jumpMatrix, transition } from './jump.ts';
import { Rng } from '../rng.ts';

function stepped(s0: Int32Array, k: number): Int32Array {
  const s = s0.slice();
  for (let i = 0; i < k; i++) transition(s);
  return s;
}

describe('xoshiro128** jump-ahead', () => {
  it('advances the state by exactly k transitions, for k = 0, 1 and values that need several squarings', () => {
    const s0 = Int32Array.from([0x12345678, -0x6789abc, 0x0badf00d, 7]);
    for (const k of [0, 1, 2, 31, 1000, 4097]) {
      const s = s0.slice();
      jump(jumpMatrix(k), s);
      expect([...s]).toEqual([...stepped(s0, k)]);
    }
  });

  it('matches the Rng class: jumping k then drawing gives the (k+1)-th number of the stream', () => {
    const a = new Rng(42, 'sim/drive/exc');
    const b = new Rng(42, 'sim/drive/exc');
    const state = new Int32Array(4);
    // The Rng's state is private; recover it by reading the words it is seeded with.
    const words = a as unknown as { a: number; b: number; c: number; d: number };
    state.set([words.a, words.b, words.c, words.d]);
    for (let i = 0; i < 777; i++) b.nextU32();
    jump(jumpMatrix(777), state);
    const x = Math.imul((Math.imul(state[1], 5) << 7) | (Math.imul(state[1], 5) >>> 25), 9) >>> 0;
    expect(x).toBe(b.nextU32());
  });

  it('composes: jumping m then n equals jumping m + n', () => {
    const s0 = Int32Array.from([1, 2, 3, 4]);
    const a = s0.slice();
    jump(jumpMatrix(300), a);
    jump(jumpMatrix(1200), a);
    const b = s0.slice();
    jump(jumpMatrix(1500), b);
    expect([...a]).toEqual([...b]);
  });

  it('jumps by the nibble table exactly as by the matrix columns alone, for any state', () => {
    // Seeded states: every word's bits all over, zero and all-ones words among them.
    const rng = new Rng(7, 'test/jump');
    const states = [Int32Array.from([0, 0, 0, 1]), Int32Array.from([-1, -1, -1, -1]), Int32Array.from([0x80000000, 0, 0x0f0f0f0f, -2])];
    for (let i = 0; i < 50; i++) states.push(Int32Array.from({ length: 4 }, () => rng.nextU32() | 0));
    for (const k of [1, 5000, 12_345]) {
      const m = jumpMatrix(k);
      // The first 512 words are the columns: a matrix of those alone takes the column path.
      const columns = m.slice(0, 512);
      expect(m.length).toBeGreaterThan(512);
      for (const s0 of states) {
        const a = s0.slice();
        const b = s0.slice();
        jump(m, a);
        jump(columns, b);
        expect([...a]).toEqual([...b]);
      }
    }
    const s = Int32Array.from([0x12345678, -0x6789abc, 0x0badf00d, 7]);
    jump(jumpMatrix(3).slice(0, 512), s);
    expect([...s]).toEqual([...stepped(Int32Array.from([0x12345678, -0x6789abc, 0x0badf00d, 7]), 3)]);
  });

  it('refuses a negative or fractional jump', () => {
    expect(() => jumpMatrix(-1)).toThrow(/whole number/);
    expect(() => jumpMatrix(1.5)).toThrow(/whole number/);
  });
});
