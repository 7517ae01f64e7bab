/**
 * Seeded train/test split and mini-batches. Each draw has its own named
 * stream, so the split does not depend on the training seed and the batches
 * of epoch e can be drawn without drawing those before (a resumed run gets
 * the same batches as an uninterrupted one).
 */
import { Rng } from '../sim/rng.ts';

/** Fisher–Yates shuffle of `a` in place with `rng`. */
export function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * Split `count` samples into a test set of round(testFraction · count) and a
 * training set of the rest, at random with `seed`. Both lists are sorted.
 */
export function trainTestSplit(count: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffleInPlace(order, new Rng(seed, 'sg/split'));
  const nTest = Math.min(count, Math.max(0, Math.round(testFraction * count)));
  const test = order.slice(0, nTest).sort();
  const train = order.slice(nTest).sort();
  return { train, test };
}

/**
 * Training, validation and test samples. The test set is the dataset's own
 * (samples from `testFrom` on) when it has one, else a random `testFraction`;
 * the validation set is a random `validationFraction` of the rest. All sorted;
 * the validation draw has its own stream, so adding one leaves the test set as it was.
 */
export function splitSamples(count: number, testFraction: number, validationFraction: number, seed: number, testFrom?: number): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  let pool: Int32Array;
  let test: Int32Array;
  if (testFrom !== undefined) {
    pool = Int32Array.from({ length: testFrom }, (_, i) => i);
    test = Int32Array.from({ length: count - testFrom }, (_, i) => testFrom + i);
  } else ({ train: pool, test } = trainTestSplit(count, testFraction, seed));
  if (!(validationFraction > 0)) return { train: pool, validation: new Int32Array(0), test };
  const order = pool.slice();
  shuffleInPlace(order, new Rng(seed, 'sg/validation'));
  const nVal = Math.min(pool.length, Math.round(validationFraction * pool.length));
  return { train: order.slice(nVal).sort(), validation: order.slice(0, nVal).sort(), test };
}

/** The training samples of epoch `epoch` in the order they are shown, cut into batches of `batchSize` (the last may be short). */
export function epochBatches(train: Int32Array, batchSize: number, seed: number, epoch: number): Int32Array[] {
  const order = train.slice();
  shuffleInPlace(order, new Rng(seed, `sg/batches/${epoch}`));
  const out: Int32Array[] = [];
  for (let k = 0; k < order.length; k += batchSize) out.push(order.subarray(k, Math.min(order.length, k + batchSize)));
  return out;
}
