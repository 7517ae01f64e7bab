/** The fixed-in-degree rule written plainly, for the tests of connect.ts and its wasm kernels (test-only helper). */
import type { Rng } from '../sim/rng.ts';

/** k accepted `rng.int(nSource)` draws per target, skipping j (noAuto) and, unless multi, repeats; in target order. */
export function referenceDraws(k: number, nSource: number, nTarget: number, noAuto: boolean, multi: boolean, rng: Rng): number[] {
  const out: number[] = [];
  for (let j = 0; j < nTarget; j++) {
    const seen = new Set<number>();
    for (let q = 0; q < k; q++) {
      let r: number;
      do r = rng.int(nSource);
      while ((noAuto && r === j) || (!multi && seen.has(r)));
      seen.add(r);
      out.push(r);
    }
  }
  return out;
}

/** The generator's four state words. */
export function rngState(rng: Rng): number[] {
  const st = new Int32Array(4);
  rng.getState(st);
  return [...st];
}
