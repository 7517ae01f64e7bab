import { describe, it, expect } from 'vitest';
import { buildCsr, expectedSynapses, ruleProblem, type RuleSpec } from './connect.ts';
import { Rng } from './rng.ts';

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
    for (const [nSource, nTarget, k] of [[300, 200, 40], [400, 400, 50], [70_000, 3000, 60]]) {
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
