import { describe, it, expect, afterEach } from 'vitest';
import { buildCsr, buildCsrSteps, SYNAPSES_PER_YIELD, expectedSynapses, ruleProblem, type Csr, type RuleSpec } from './connect.ts';
import { createArena, type Arena } from './arena.ts';
import { Rng } from './rng.ts';
import { referenceDraws, rngState } from '../test-support/test-connect.ts';
import { setWasmKernelsEnabled } from './wasm-kernels.ts';

const base: Omit<RuleSpec, 'rule'> = { samePopulation: false, allowAutapses: true, allowMultapses: false };

function degrees(csr: ReturnType<typeof buildCsr>) {
  const out = new Int32Array(csr.nSource);
  const inn = new Int32Array(csr.nTarget);
  for (let i = 0; i < csr.nSource; i++) {
    out[i] = csr.rowPtr[i + 1] - csr.rowPtr[i];
    for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++) inn[csr.col[k]]++;
  }
  return { out, inn };
}

function pairs(csr: ReturnType<typeof buildCsr>): Set<number> {
  const s = new Set<number>();
  for (let i = 0; i < csr.nSource; i++) for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++) s.add(i * csr.nTarget + csr.col[k]);
  return s;
}

describe('connectivity rules', () => {
  it('all-to-all connects every pair once, and drops autapses when asked', () => {
    const csr = buildCsr({ ...base, rule: 'all-to-all' }, 7, 5, new Rng(1));
    expect(csr.col.length).toBe(35);
    expect(pairs(csr).size).toBe(35);
    const noAuto = buildCsr({ ...base, rule: 'all-to-all', samePopulation: true, allowAutapses: false }, 6, 6, new Rng(1));
    expect(noAuto.col.length).toBe(30);
    for (let i = 0; i < 6; i++) for (let k = noAuto.rowPtr[i]; k < noAuto.rowPtr[i + 1]; k++) expect(noAuto.col[k]).not.toBe(i);
  });

  it('one-to-one pairs i with i and refuses different sizes', () => {
    const csr = buildCsr({ ...base, rule: 'one-to-one' }, 4, 4, new Rng(1));
    expect([...csr.col]).toEqual([0, 1, 2, 3]);
    expect(ruleProblem({ ...base, rule: 'one-to-one' }, 4, 5)?.message).toMatch(/equal sizes.*4.*5/);
  });

  it('Bernoulli p gives a binomial synapse count and in-degree variance', () => {
    const p = 0.02;
    const csr = buildCsr({ ...base, rule: 'bernoulli', p }, 3200, 4000, new Rng(7, 'c'));
    const n = 3200 * 4000;
    const mean = n * p;
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(csr.col.length - mean)).toBeLessThan(4 * sd);
    const { inn } = degrees(csr);
    const m = inn.reduce((a, b) => a + b, 0) / inn.length;
    const v = inn.reduce((a, b) => a + (b - m) ** 2, 0) / inn.length;
    // In-degree ~ Binomial(3200, 0.02): mean 64, variance 62.72.
    expect(m).toBeCloseTo(64, 0);
    expect(v / (3200 * p * (1 - p))).toBeGreaterThan(0.85);
    expect(v / (3200 * p * (1 - p))).toBeLessThan(1.15);
    expect(pairs(csr).size).toBe(csr.col.length); // no multapses
  });

  it('fixed in-degree gives every target exactly n distinct sources', () => {
    const csr = buildCsr({ ...base, rule: 'fixed-in-degree', n: 250, samePopulation: true, allowAutapses: false }, 625, 625, new Rng(3));
    const { inn } = degrees(csr);
    expect(Math.min(...inn)).toBe(250);
    expect(Math.max(...inn)).toBe(250);
    expect(pairs(csr).size).toBe(250 * 625);
    let autapses = 0;
    for (let i = 0; i < 625; i++) for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++) if (csr.col[k] === i) autapses++;
    expect(autapses).toBe(0);
    // Out-degrees are then Binomial-like around 250.
    const { out } = degrees(csr);
    const m = out.reduce((a, b) => a + b, 0) / out.length;
    expect(m).toBe(250);
  });

  it('fixed in-degree draws the synapses of rng.int one target after another, small or large source population', () => {
    // Reference: the rule written plainly (k accepted draws of rng.int per target, rows sorted by target).
    const reference = (k: number, nSource: number, nTarget: number, noAuto: boolean, seed: number) => {
      const rng = new Rng(seed, 'ref');
      const rows: number[][] = Array.from({ length: nSource }, () => []);
      for (let j = 0; j < nTarget; j++) {
        const seen = new Set<number>();
        while (seen.size < k) {
          const r = rng.int(nSource);
          if ((noAuto && r === j) || seen.has(r)) continue;
          seen.add(r);
          rows[r].push(j);
        }
      }
      return rows;
    };
    // 300 sources: the stamped-mark path; 70 000 (> 2^16): the hash set and the two-level sort.
    for (const [nSource, nTarget, k] of [
      [300, 200, 40],
      [400, 400, 50],
      [70_000, 3000, 60],
    ]) {
      const csr = buildCsr({ ...base, rule: 'fixed-in-degree', n: k, samePopulation: nSource === nTarget, allowAutapses: false }, nSource, nTarget, new Rng(9, 'ref'));
      const rows = reference(k, nSource, nTarget, nSource === nTarget, 9);
      expect(csr.rowPtr[nSource]).toBe(k * nTarget);
      const got: number[][] = [];
      for (let i = 0; i < nSource; i++) got.push([...csr.col.subarray(csr.rowPtr[i], csr.rowPtr[i + 1])]);
      expect(got).toEqual(rows);
    }
  });

  it('fixed out-degree gives every source exactly n targets; fixed total gives n synapses', () => {
    const o = buildCsr({ ...base, rule: 'fixed-out-degree', n: 30 }, 100, 80, new Rng(3));
    const { out } = degrees(o);
    expect(new Set(out)).toEqual(new Set([30]));
    expect(pairs(o).size).toBe(3000);
    const t = buildCsr({ ...base, rule: 'fixed-total', n: 1234 }, 50, 60, new Rng(3));
    expect(t.col.length).toBe(1234);
    expect(pairs(t).size).toBe(1234);
  });

  it('refuses degrees larger than the population without multapses, and allows them with', () => {
    expect(ruleProblem({ ...base, rule: 'fixed-in-degree', n: 11 }, 10, 10)?.field).toBe('n');
    expect(ruleProblem({ ...base, rule: 'fixed-in-degree', n: 10, samePopulation: true, allowAutapses: false }, 10, 10)?.message).toMatch(/9 distinct/);
    expect(ruleProblem({ ...base, rule: 'fixed-in-degree', n: 11, allowMultapses: true }, 10, 10)).toBeNull();
    const m = buildCsr({ ...base, rule: 'fixed-in-degree', n: 20, allowMultapses: true }, 10, 3, new Rng(1));
    expect(m.col.length).toBe(60);
    expect(() => buildCsr({ ...base, rule: 'fixed-out-degree', n: 11 }, 5, 10, new Rng(1))).toThrow(/out-degree 11/);
  });

  it('the same seed draws the same synapses; another stream draws others', () => {
    const a = buildCsr({ ...base, rule: 'bernoulli', p: 0.1 }, 100, 100, new Rng(5, 'x'));
    const b = buildCsr({ ...base, rule: 'bernoulli', p: 0.1 }, 100, 100, new Rng(5, 'x'));
    const c = buildCsr({ ...base, rule: 'bernoulli', p: 0.1 }, 100, 100, new Rng(5, 'y'));
    expect([...a.col]).toEqual([...b.col]);
    expect([...a.col]).not.toEqual([...c.col]);
  });

  it('expected counts match the rules', () => {
    expect(expectedSynapses({ ...base, rule: 'bernoulli', p: 0.02 }, 3200, 4000)).toBeCloseTo(256000);
    expect(expectedSynapses({ ...base, rule: 'fixed-in-degree', n: 1000 }, 10000, 12500)).toBe(12_500_000);
  });
});

describe('fixed in-degree with an arena', () => {
  afterEach(() => {
    setWasmKernelsEnabled(true);
  });

  /** The rule written plainly: k accepted rng.int draws per target, rows listing targets ascending. */
  function reference(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): { rowPtr: number[]; col: number[] } {
    const rows: number[][] = Array.from({ length: nSource }, () => []);
    referenceDraws(k, nSource, nTarget, noAuto, multi, rng).forEach((r, s) => rows[r].push(Math.floor(s / k)));
    const rowPtr = [0];
    for (const row of rows) rowPtr.push(rowPtr[rowPtr.length - 1] + row.length);
    return { rowPtr, col: rows.flat() };
  }

  const state = rngState;

  function spec(k: number, same: boolean, multi: boolean): RuleSpec {
    return { rule: 'fixed-in-degree', n: k, samePopulation: same, allowAutapses: false, allowMultapses: multi };
  }

  /** An arena of `bytes` made while wasm is on (createArena refuses otherwise). */
  function arenaOf(bytes: number): Arena {
    setWasmKernelsEnabled(true);
    const arena = createArena(bytes);
    expect(arena).not.toBeNull();
    return arena!;
  }

  // [nSource, nTarget, k, same population (no autapses), multapses]
  const cases: [number, number, number, boolean, boolean][] = [
    [300, 200, 40, true, false],
    [300, 200, 40, false, false],
    [300, 200, 40, true, true],
    [200, 300, 400, false, true],
    [70_000, 40, 3, false, false],
    [70_000, 40, 3, true, true],
    // past 2^16 sources and targets: the hashed draw and the two-level sort into u32 columns
    [70_000, 70_001, 2, false, false],
    // … into more than 2^20 targets (no room to pack a source's low bits above the target)
    [70_000, (1 << 20) + 5, 1, false, false],
    [70_000, 70_000, 0, true, false],
    [50, 0, 10, false, false],
    [50, 30, 0, false, false],
    [50, 30, 50, false, false],
    [50, 50, 49, true, false],
    [1, 6, 4, false, true],
  ];

  it('draws the same synapses and leaves the generator in the same state with or without an arena, wasm on or off', () => {
    for (const [nSource, nTarget, k, same, multi] of cases) {
      const label = `${nSource} sources, ${nTarget} targets, k ${k}, ${same ? 'no autapses' : 'autapses'}, multapses ${multi}`;
      const refRng = new Rng(4, 'arena');
      const want = reference(k, nSource, nTarget, same, multi, refRng);
      for (const wasm of [true, false]) {
        for (const withArena of [true, false]) {
          const arena = withArena ? arenaOf(Math.max(1 << 23, 16 * k * nTarget)) : undefined;
          setWasmKernelsEnabled(wasm);
          const rng = new Rng(4, 'arena');
          const csr = buildCsr(spec(k, same, multi), nSource, nTarget, rng, arena);
          expect([...csr.rowPtr], label).toEqual(want.rowPtr);
          expect([...csr.col], label).toEqual(want.col);
          expect(state(rng), label).toEqual(state(refRng));
          expect(csr.col.buffer === arena?.buffer, label).toBe(withArena);
        }
      }
    }
  });

  it('draws a projection past 2^20 synapses in pieces, yielding between them, and the pieces join into the plain draw of the rule', () => {
    // 300 sources: stamped marks; 70 000: the hash set and the two-level sort (wasm with an arena, JS without).
    for (const [nSource, nTarget, k] of [
      [300, 30_000, 40],
      [70_000, 15_000, 80],
    ]) {
      const refRng = new Rng(6, 'pieces');
      const want = referenceDraws(k, nSource, nTarget, nSource === nTarget, false, refRng);
      const wantRows = new Uint32Array(nSource + 1);
      for (const r of want) wantRows[r + 1]++;
      for (const withArena of [true, false]) {
        const label = `${nSource} sources, ${withArena ? 'arena' : 'no arena'}`;
        const rng = new Rng(6, 'pieces');
        const it = buildCsrSteps(spec(k, nSource === nTarget, false), nSource, nTarget, rng, withArena ? arenaOf(1 << 24) : undefined);
        const yields: number[] = [];
        let r = it.next();
        for (; !r.done; r = it.next()) yields.push(r.value);
        const csr = r.value;
        // 1.2 M synapses: a yield after each ~2^20 drawn, rising, and one at the end of the draw.
        expect(yields.length, label).toBeGreaterThanOrEqual(2);
        expect(yields[0], label).toBeGreaterThanOrEqual(SYNAPSES_PER_YIELD - k);
        expect(yields[0], label).toBeLessThan(SYNAPSES_PER_YIELD + (1 << 16));
        expect(yields.at(-1), label).toBe(k * nTarget);
        for (let q = 1; q < yields.length; q++) expect(yields[q], label).toBeGreaterThan(yields[q - 1]);
        // Row sizes, each row's targets, and the generator afterwards are the plain draw's.
        for (let i = 0; i < nSource; i++) expect(csr.rowPtr[i + 1] - csr.rowPtr[i]).toBe(wantRows[i + 1]);
        const pos = Uint32Array.from(csr.rowPtr.subarray(0, nSource));
        let mismatches = 0;
        want.forEach((src, s) => {
          if (csr.col[pos[src]++] !== Math.floor(s / k)) mismatches++;
        });
        expect(mismatches, label).toBe(0);
        expect(state(rng), label).toEqual(state(refRng));
      }
    }
  });

  it('keeps col and then rowPtr in the arena and gives the scratch back', () => {
    const arena = arenaOf(1 << 22);
    const first = buildCsr(spec(40, true, false), 300, 200, new Rng(1), arena);
    expect(first.col.buffer).toBe(arena.buffer);
    expect(first.rowPtr.buffer).toBe(arena.buffer);
    expect(first.col.byteOffset).toBe(0);
    // 8000 u16 columns (200 targets fit in 16 bits: 16 000 bytes), then 301 row pointers, and nothing after them.
    expect(first.col).toBeInstanceOf(Uint16Array);
    expect(first.rowPtr.byteOffset).toBe(16_000);
    expect(arena.used).toBe(16_000 + 4 * 301);
    // The next projection starts right after (on the scratch pages the first used), 8-byte aligned.
    const second = buildCsr(spec(25, false, false), 70, 90, new Rng(2), arena);
    expect(second.col.byteOffset).toBe(Math.ceil((16_000 + 4 * 301) / 8) * 8);
    expect(arena.used).toBe(second.rowPtr.byteOffset + 4 * 71);
    expect(second.rowPtr.byteOffset).toBe(Math.ceil((second.col.byteOffset + 2 * 25 * 90) / 8) * 8);
  });

  it('draws correctly over scratch memory an earlier build left dirty', () => {
    const arena = arenaOf(1 << 22);
    const mark = arena.mark();
    // Small numbers everywhere look like the marks' stamps and like row counts.
    const dirty = arena.u32(arena.free >>> 2)!;
    for (let i = 0; i < dirty.length; i++) dirty[i] = 1 + (i % 7);
    arena.release(mark);
    for (const wasm of [true, false]) {
      setWasmKernelsEnabled(wasm);
      const at = arena.mark();
      const csr = buildCsr(spec(40, true, false), 300, 200, new Rng(3), arena);
      const want = reference(40, 300, 200, true, false, new Rng(3));
      expect([...csr.rowPtr]).toEqual(want.rowPtr);
      expect([...csr.col]).toEqual(want.col);
      arena.release(at);
    }
  });

  it('falls back to plain arrays when the arena has no room, and to plain scratch when only the result fits', () => {
    const nSource = 1000;
    const nTarget = 500;
    const k = 50;
    // u16 columns (500 targets), then the row pointers.
    const resultBytes = 2 * k * nTarget + 4 * (nSource + 1);
    const want = reference(k, nSource, nTarget, false, false, new Rng(6));
    const check = (csr: Csr) => {
      expect([...csr.rowPtr]).toEqual(want.rowPtr);
      expect([...csr.col]).toEqual(want.col);
    };
    for (const wasm of [true, false]) {
      // 40 000 bytes left, less than the 50 000 bytes of columns: nothing is taken from the arena.
      const tiny = arenaOf(1 << 16);
      tiny.alloc(tiny.free - 40_000, 8);
      const usedBefore = tiny.used;
      setWasmKernelsEnabled(wasm);
      const a = buildCsr(spec(k, false, false), nSource, nTarget, new Rng(6), tiny);
      check(a);
      expect(a.col.buffer).not.toBe(tiny.buffer);
      expect(tiny.used).toBe(usedBefore);
      // Room for the result but not the scratch: the result is in the arena, drawn by the JS loops.
      const snug = arenaOf(1 << 20);
      snug.alloc(snug.free - resultBytes - 100, 8);
      const start = snug.used;
      setWasmKernelsEnabled(wasm);
      const b = buildCsr(spec(k, false, false), nSource, nTarget, new Rng(6), snug);
      check(b);
      expect(b.col.buffer).toBe(snug.buffer);
      expect(b.col.byteOffset).toBe(start);
      expect(snug.used).toBe(start + resultBytes);
    }
  });

  it('builds an empty source population (multapses on) the same with an arena as without, without a wasm trap', () => {
    const multi: RuleSpec = { ...spec(2, false, true), allowAutapses: true };
    const plain = buildCsr(multi, 0, 3, new Rng(1));
    const inArena = buildCsr(multi, 0, 3, new Rng(1), arenaOf(1 << 16));
    expect([...inArena.rowPtr]).toEqual([...plain.rowPtr]);
    expect([...inArena.col]).toEqual([...plain.col]);
  });

  it('ignores the arena for the other rules', () => {
    const arena = arenaOf(1 << 20);
    const csr = buildCsr({ ...base, rule: 'fixed-out-degree', n: 5 }, 20, 30, new Rng(1), arena);
    expect(csr.col.buffer).not.toBe(arena.buffer);
    expect(arena.used).toBe(0);
  });
});
