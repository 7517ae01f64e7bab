/**
 * Cross-entropy on logits: L = −log softmax(z)[label], with its gradient
 * dL/dz = softmax(z) − onehot(label). Computed with the max subtracted, so
 * large spike counts do not overflow.
 */
export function softmaxCrossEntropy(logits: ArrayLike<number>, label: number, grad: Float64Array): number {
  const n = logits.length;
  let max = -Infinity;
  for (let c = 0; c < n; c++) if (logits[c] > max) max = logits[c];
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const e = Math.exp(logits[c] - max);
    grad[c] = e;
    sum += e;
  }
  for (let c = 0; c < n; c++) grad[c] /= sum;
  grad[label] -= 1;
  // log Σ e^z − z_label, exact even when the label's share underflows.
  return Math.log(sum) + max - logits[label];
}

/** Index of the largest value; ties go to the lowest index (as the simulated readout decides). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < values.length; c++) if (values[c] > values[best]) best = c;
  return best;
}
