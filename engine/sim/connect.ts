/**
 * Connectivity: draws a projection's synapses and stores them compressed per
 * source neuron (CSR), so a spike walks exactly its own out-synapses.
 *
 *   targets of source i = col[rowPtr[i] .. rowPtr[i+1])
 *
 * Draws come from the projection's own connectivity stream, never from the
 * simulation's streams.
 */
import type { Rng } from './rng.ts';

export interface Csr {
  readonly nSource: number;
  readonly nTarget: number;
  readonly rowPtr: Uint32Array;
  readonly col: Uint32Array;
}

export interface RuleSpec {
  readonly rule: 'all-to-all' | 'one-to-one' | 'bernoulli' | 'fixed-in-degree' | 'fixed-out-degree' | 'fixed-total';
  readonly p?: number;
  readonly n?: number;
  /** Source and target are the same population, so i → i is an autapse. */
  readonly samePopulation: boolean;
  readonly allowAutapses: boolean;
  readonly allowMultapses: boolean;
}

/** Growable Uint32 list, to collect synapses whose count is only known after drawing. */
class U32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(Math.ceil(this.data.length * 1.5));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  trimmed(): Uint32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

/** The number of synapses a rule makes, exactly or in expectation; for estimates before building. */
export function expectedSynapses(spec: RuleSpec, nSource: number, nTarget: number): number {
  const auto = spec.samePopulation && !spec.allowAutapses;
  switch (spec.rule) {
    case 'all-to-all':
      return nSource * nTarget - (auto ? Math.min(nSource, nTarget) : 0);
    case 'one-to-one':
      return auto ? 0 : nSource;
    case 'bernoulli':
      return (spec.p ?? 0) * (nSource * nTarget - (auto ? Math.min(nSource, nTarget) : 0));
    case 'fixed-in-degree':
      return (spec.n ?? 0) * nTarget;
    case 'fixed-out-degree':
      return (spec.n ?? 0) * nSource;
    case 'fixed-total':
      return spec.n ?? 0;
  }
}

/**
 * Why a rule cannot be built for these sizes, as a sentence about the named
 * field; or null when it can.
 */
export function ruleProblem(spec: RuleSpec, nSource: number, nTarget: number): { field: string; message: string } | null {
  const auto = spec.samePopulation && !spec.allowAutapses;
  const n = spec.n ?? 0;
  switch (spec.rule) {
    case 'one-to-one':
      if (nSource !== nTarget) {
        return { field: 'rule', message: `one-to-one needs equal sizes, but the source has ${nSource} and the target ${nTarget} neurons` };
      }
      return null;
    case 'fixed-in-degree': {
      const avail = nSource - (auto ? 1 : 0);
      if (!spec.allowMultapses && n > avail) {
        return { field: 'n', message: `in-degree ${n} is larger than the ${avail} distinct sources available (turn on multapses or lower it)` };
      }
      return null;
    }
    case 'fixed-out-degree': {
      const avail = nTarget - (auto ? 1 : 0);
      if (!spec.allowMultapses && n > avail) {
        return { field: 'n', message: `out-degree ${n} is larger than the ${avail} distinct targets available (turn on multapses or lower it)` };
      }
      return null;
    }
    case 'fixed-total': {
      const avail = nSource * nTarget - (auto ? Math.min(nSource, nTarget) : 0);
      if (!spec.allowMultapses && n > avail) {
        return { field: 'n', message: `${n} synapses is more than the ${avail} distinct pairs available (turn on multapses or lower it)` };
      }
      return null;
    }
    default:
      return null;
  }
}

/** Draw a projection. Throws an Error with the ruleProblem message if it cannot be built. */
export function buildCsr(spec: RuleSpec, nSource: number, nTarget: number, rng: Rng): Csr {
  const problem = ruleProblem(spec, nSource, nTarget);
  if (problem) throw new Error(problem.message);
  const noAuto = spec.samePopulation && !spec.allowAutapses;
  switch (spec.rule) {
    case 'all-to-all': {
      const rowPtr = new Uint32Array(nSource + 1);
      const per = (i: number) => nTarget - (noAuto && i < nTarget ? 1 : 0);
      for (let i = 0; i < nSource; i++) rowPtr[i + 1] = rowPtr[i] + per(i);
      const col = new Uint32Array(rowPtr[nSource]);
      let k = 0;
      for (let i = 0; i < nSource; i++) for (let j = 0; j < nTarget; j++) if (!(noAuto && i === j)) col[k++] = j;
      return { nSource, nTarget, rowPtr, col };
    }
    case 'one-to-one': {
      const rowPtr = new Uint32Array(nSource + 1);
      const col = new Uint32Array(noAuto ? 0 : nSource);
      for (let i = 0; i < nSource; i++) {
        rowPtr[i + 1] = rowPtr[i] + (noAuto ? 0 : 1);
        if (!noAuto) col[i] = i;
      }
      return { nSource, nTarget, rowPtr, col };
    }
    case 'bernoulli':
      return bernoulli(spec.p ?? 0, nSource, nTarget, noAuto, rng);
    case 'fixed-in-degree':
      return fixedInDegree(spec.n ?? 0, nSource, nTarget, noAuto, spec.allowMultapses, rng);
    case 'fixed-out-degree':
      return fixedOutDegree(spec.n ?? 0, nSource, nTarget, noAuto, spec.allowMultapses, rng);
    case 'fixed-total':
      return fixedTotal(spec.n ?? 0, nSource, nTarget, noAuto, spec.allowMultapses, rng);
  }
}

/** Every pair independently with probability p; gaps drawn geometrically, so the cost is O(synapses). */
function bernoulli(p: number, nSource: number, nTarget: number, noAuto: boolean, rng: Rng): Csr {
  const rowPtr = new Uint32Array(nSource + 1);
  const expected = p * nSource * nTarget;
  const list = new U32List(Math.ceil(expected + 6 * Math.sqrt(expected) + 16));
  if (p > 0) {
    for (let i = 0; i < nSource; i++) {
      let j = p >= 1 ? 0 : rng.geometric(p);
      while (j < nTarget) {
        if (!(noAuto && i === j)) list.push(j);
        j += p >= 1 ? 1 : 1 + rng.geometric(p);
      }
      rowPtr[i + 1] = list.length;
    }
  }
  return { nSource, nTarget, rowPtr, col: list.trimmed() };
}

/**
 * Draw `k` of `n` indices into `out` (from `offset`), distinct unless `multi`,
 * skipping `exclude` (−1 for none). `mark`/`stamp` make rejection O(k) without clearing.
 */
function drawK(k: number, n: number, exclude: number, multi: boolean, rng: Rng, out: Uint32Array, offset: number, mark: Uint32Array, stamp: number): void {
  for (let c = 0; c < k; c++) {
    let r: number;
    do {
      r = rng.int(n);
    } while (r === exclude || (!multi && mark[r] === stamp));
    mark[r] = stamp;
    out[offset + c] = r;
  }
}

/** Build CSR (by source) from pairs grouped by target: a counting sort. */
function csrFromPairs(pre: Uint32Array, post: Uint32Array, nSource: number, nTarget: number): Csr {
  const rowPtr = new Uint32Array(nSource + 1);
  for (let s = 0; s < pre.length; s++) rowPtr[pre[s] + 1]++;
  for (let i = 0; i < nSource; i++) rowPtr[i + 1] += rowPtr[i];
  const fillPos = rowPtr.slice(0, nSource);
  const col = new Uint32Array(pre.length);
  for (let s = 0; s < pre.length; s++) col[fillPos[pre[s]]++] = post[s];
  return { nSource, nTarget, rowPtr, col };
}

function fixedInDegree(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): Csr {
  const total = k * nTarget;
  const pre = new Uint32Array(total);
  const mark = new Uint32Array(nSource);
  for (let j = 0; j < nTarget; j++) {
    drawK(k, nSource, noAuto ? j : -1, multi, rng, pre, j * k, mark, j + 1);
  }
  // Targets are implied by position (k per target); expand only for the sort.
  const rowPtr = new Uint32Array(nSource + 1);
  for (let s = 0; s < total; s++) rowPtr[pre[s] + 1]++;
  for (let i = 0; i < nSource; i++) rowPtr[i + 1] += rowPtr[i];
  const fillPos = rowPtr.slice(0, nSource);
  const col = new Uint32Array(total);
  for (let s = 0; s < total; s++) col[fillPos[pre[s]]++] = (s / k) | 0;
  return { nSource, nTarget, rowPtr, col };
}

function fixedOutDegree(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): Csr {
  const rowPtr = new Uint32Array(nSource + 1);
  const col = new Uint32Array(k * nSource);
  const mark = new Uint32Array(nTarget);
  for (let i = 0; i < nSource; i++) {
    drawK(k, nTarget, noAuto ? i : -1, multi, rng, col, i * k, mark, i + 1);
    rowPtr[i + 1] = rowPtr[i] + k;
    // Sorted targets per row make delivery walk memory in order.
    col.subarray(i * k, (i + 1) * k).sort();
  }
  return { nSource, nTarget, rowPtr, col };
}

function fixedTotal(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): Csr {
  const pre = new Uint32Array(k);
  const post = new Uint32Array(k);
  const seen = multi ? null : new Set<number>();
  for (let c = 0; c < k; ) {
    const i = rng.int(nSource);
    const j = rng.int(nTarget);
    if (noAuto && i === j) continue;
    if (seen) {
      const key = i * nTarget + j;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    pre[c] = i;
    post[c] = j;
    c++;
  }
  return csrFromPairs(pre, post, nSource, nTarget);
}
