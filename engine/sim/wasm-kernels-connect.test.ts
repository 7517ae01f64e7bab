import { describe, it, expect, afterEach } from 'vitest';
import { createArena, type Arena } from './arena.ts';
import { Rng } from './rng.ts';
import { referenceDraws, rngState } from '../test-support/test-connect.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';
import { connectKernels, type ConnectKernels } from './wasm-kernels-connect.ts';

afterEach(() => {
  setWasmKernelsEnabled(true);
});

const state = rngState;

function setup(): { arena: Arena; kernels: ConnectKernels } {
  const arena = createArena(1 << 22);
  expect(arena).not.toBeNull();
  const kernels = connectKernels(arena!.memory);
  expect(kernels).not.toBeNull();
  return { arena: arena!, kernels: kernels! };
}

/** Run a draw kernel over targets 0 … nTarget−1 in calls of `per` targets; the draws, counts and generator state after. */
function runDraw(kernels: ConnectKernels, arena: Arena, k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, seed: number, per = nTarget) {
  const wide = nSource > 0x10000;
  const pre = wide ? arena.u32(k * nTarget)! : arena.u16(k * nTarget)!;
  const mark = arena.u32(nSource)!;
  const counts = arena.u32(nSource + 1)!;
  // Released arena memory comes back as it was left: marks and counts start at 0.
  mark.fill(0);
  counts.fill(0);
  const st = new Int32Array(arena.buffer, arena.u32(4)!.byteOffset, 4);
  const rng = new Rng(seed, 'draw');
  rng.getState(st);
  const draw = multi ? (wide ? kernels.drawMulti32 : kernels.drawMulti16) : wide ? kernels.draw32 : kernels.draw16;
  const maxAccept = (0x100000000 - (0x100000000 % nSource) - 1) | 0;
  for (let j0 = 0; j0 < nTarget; j0 += Math.max(1, per)) {
    draw(j0, Math.min(nTarget, j0 + per), k, nSource, noAuto ? 1 : 0, st.byteOffset, pre.byteOffset + j0 * k * pre.BYTES_PER_ELEMENT, mark.byteOffset, counts.byteOffset, maxAccept);
  }
  rng.setState(st);
  return { pre: [...pre], counts: [...counts], state: state(rng) };
}

describe('wasm connectivity kernels', () => {
  it('draw the exact rng.int sequence, with and without multapses and autapses, for u16 and u32 sources', () => {
    const { arena, kernels } = setup();
    // 300 and 1000 draw with rejection (neither divides 2³²); 1024 and 65536 (the largest u16 case) never reject; 70 000 stores u32.
    const cases: [number, number, number, boolean, boolean][] = [
      [300, 200, 40, true, false],
      [300, 200, 40, false, true],
      [1000, 50, 1000, false, false],
      [1024, 64, 30, true, true],
      [65536, 40, 25, true, false],
      [70_000, 30, 7, false, true],
      [70_000, 30, 7, true, false],
      [1, 4, 3, false, true],
    ];
    for (const [nSource, nTarget, k, noAuto, multi] of cases) {
      const mark = arena.mark();
      const got = runDraw(kernels, arena, k, nSource, nTarget, noAuto, multi, 11);
      const rng = new Rng(11, 'draw');
      const want = referenceDraws(k, nSource, nTarget, noAuto, multi, rng);
      expect(got.pre, `${nSource} ${nTarget} ${k} ${noAuto} ${multi}`).toEqual(want);
      expect(got.state).toEqual(state(rng));
      const counts = new Array<number>(nSource + 1).fill(0);
      for (const r of want) counts[r + 1]++;
      expect(got.counts).toEqual(counts);
      arena.release(mark);
    }
  });

  it('split into calls over target ranges draws the same as one call', () => {
    const { arena, kernels } = setup();
    const whole = runDraw(kernels, arena, 50, 400, 90, true, false, 5);
    const split = runDraw(kernels, arena, 50, 400, 90, true, false, 5, 7);
    expect(split).toEqual(whole);
  });

  it('draw nothing and leave the generator alone when k or the target range is empty', () => {
    const { arena, kernels } = setup();
    const rng = new Rng(11, 'draw');
    const before = state(rng);
    expect(runDraw(kernels, arena, 0, 10, 5, false, false, 11).state).toEqual(before);
    expect(runDraw(kernels, arena, 4, 10, 0, false, false, 11).state).toEqual(before);
  });

  it('scatter lists each source’s targets in ascending order at its row', () => {
    const { arena, kernels } = setup();
    // Three targets with two sources each: 0 ← {2, 0}, 1 ← {1, 2}, 2 ← {0, 1}; so rows 0: [0, 2], 1: [1, 2], 2: [0, 1].
    for (const wide of [false, true]) {
      const src = [2, 0, 1, 2, 0, 1];
      const pre = wide ? arena.u32(6)! : arena.u16(6)!;
      pre.set(src);
      const fill = arena.u32(3)!;
      fill.set([0, 2, 4]);
      const col = arena.u32(6)!;
      const scatter = wide ? kernels.scatter32 : kernels.scatter16;
      // Two calls (targets 0–1, then 2), as connect.ts makes them.
      scatter(0, 2, 2, pre.byteOffset, fill.byteOffset, col.byteOffset);
      scatter(2, 3, 2, pre.byteOffset + 4 * pre.BYTES_PER_ELEMENT, fill.byteOffset, col.byteOffset);
      expect([...col]).toEqual([0, 2, 1, 2, 0, 1]);
      expect([...fill]).toEqual([2, 4, 6]);
    }
  });

  it('are one cached instance per memory, and none when wasm kernels are turned off', () => {
    const { arena, kernels } = setup();
    expect(connectKernels(arena.memory)).toBe(kernels);
    expect(connectKernels(createArena(1)!.memory)).not.toBe(kernels);
    setWasmKernelsEnabled(false);
    expect(connectKernels(arena.memory)).toBeNull();
  });
});
