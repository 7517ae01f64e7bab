/**
 * Memory capacity of a reservoir (Jaeger 2001, "Short term memory in echo state
 * networks"): how much of its past input a linear readout of its present state
 * recovers,
 *
 *   MC = Σ_{k=0…K} r²(u(t − k), y_k(t)),
 *
 * where u is a scalar input signal, y_k a linear readout of the state trained to
 * output u(t − k), and r² the squared correlation coefficient between the two on
 * held-out time steps. For an i.i.d. input MC ≤ the number of state variables;
 * a shift register of D cells, whose state is (u(t − 1), …, u(t − D)), has MC = D.
 * Jaeger's sum starts at k = 1; this one also counts k = 0, the input of the
 * same bin, because a spiking network answers its input within milliseconds, well
 * inside a bin (a shift register's r²_0 is 0, so its MC is still D). The report
 * lists r²_k for every k, so either sum is at hand.
 *
 * Here the state is a matrix of binned spike counts (one row per time bin, one
 * column per neuron) and u the binned spike count of an input population. Each
 * readout is a ridge regression on the features standardised with the training
 * bins' mean and standard deviation (an unpenalised intercept), fitted on the
 * first `trainFraction` of the usable bins and scored on the rest: a contiguous
 * split, so nothing random enters and the same data give the same report.
 */

/** How to measure the memory capacity. */
export interface MemoryCapacityOptions {
  /** The largest delay K, in bins (delays 0 … K are summed). */
  readonly maxDelay: number;
  /** The ridge penalty λ on standardised features: minimise mean((y − Xw)²) + λ|w|². Default 1e-3. */
  readonly ridge?: number;
  /** The share of usable bins (the first ones) the readouts are trained on; the rest test them. Default 0.75. */
  readonly trainFraction?: number;
}

/** The memory capacity and the r² at each delay. JSON-safe. */
export interface MemoryCapacityReport {
  /** Σ_k r²_k over delays 0 … K, on the test bins. */
  readonly capacity: number;
  /** r²_k for k = 0 … K (index k is delay k). */
  readonly r2: number[];
  /** State columns used (those that vary over the training bins). */
  readonly features: number;
  readonly train_bins: number;
  readonly test_bins: number;
}

/**
 * The memory capacity of `states` (row-major, `bins` rows × `features` columns)
 * for the input `input` (one value per bin), or null when there are too few
 * bins (fewer than 4 training and 4 test rows after dropping the first K).
 */
export function memoryCapacity(input: ArrayLike<number>, states: ArrayLike<number>, features: number, options: MemoryCapacityOptions): MemoryCapacityReport | null {
  const K = Math.floor(options.maxDelay);
  if (!(K >= 1)) throw new RangeError(`memoryCapacity: maxDelay must be a whole number ≥ 1 (got ${options.maxDelay})`);
  const lambda = options.ridge ?? 1e-3;
  const share = options.trainFraction ?? 0.75;
  const bins = input.length;
  if (states.length !== bins * features) throw new RangeError(`memoryCapacity: ${states.length} state values are not ${bins} bins × ${features} features`);
  const rows = bins - K; // rows t = K … bins − 1, so every u(t − k) exists
  const nTrain = Math.floor(rows * share);
  const nTest = rows - nTrain;
  if (nTrain < 4 || nTest < 4) return null;

  // Standardise each column over the training rows; keep the columns that vary.
  const cols: number[] = [];
  const mean: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < features; j++) {
    let s = 0;
    let q = 0;
    for (let r = 0; r < nTrain; r++) {
      const x = states[(K + r) * features + j];
      s += x;
      q += x * x;
    }
    const m = s / nTrain;
    const v = q / nTrain - m * m;
    if (v > 1e-12 * Math.max(1, m * m)) {
      cols.push(j);
      mean.push(m);
      scale.push(1 / Math.sqrt(v));
    }
  }
  const p = cols.length;
  const z = (row: number, c: number) => (states[row * features + cols[c]] - mean[c]) * scale[c];

  // Z: the standardised rows (training then test), so each is computed once.
  const Z = new Float64Array(rows * p);
  for (let r = 0; r < rows; r++) for (let c = 0; c < p; c++) Z[r * p + c] = z(K + r, c);

  // A = ZᵀZ / n + λI over the training rows; B = Zᵀ(y_k − ȳ_k) / n for every delay.
  const A = new Float64Array(p * p);
  for (let r = 0; r < nTrain; r++) {
    const o = r * p;
    for (let a = 0; a < p; a++) {
      const za = Z[o + a];
      if (za === 0) continue;
      const ra = a * p;
      for (let b = a; b < p; b++) A[ra + b] += za * Z[o + b];
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      A[a * p + b] /= nTrain;
      A[b * p + a] = A[a * p + b];
    }
    A[a * p + a] += lambda;
  }
  const target = (r: number, k: number) => input[K + r - k];
  const m = K + 1; // delays 0 … K; column k holds delay k's weights
  const yMean = new Float64Array(m);
  for (let k = 0; k <= K; k++) {
    let s = 0;
    for (let r = 0; r < nTrain; r++) s += target(r, k);
    yMean[k] = s / nTrain;
  }
  const W = new Float64Array(p * m);
  for (let r = 0; r < nTrain; r++) {
    const o = r * p;
    for (let k = 0; k <= K; k++) {
      const y = (target(r, k) - yMean[k]) / nTrain;
      if (y === 0) continue;
      for (let a = 0; a < p; a++) W[a * m + k] += Z[o + a] * y;
    }
  }
  choleskySolve(A, p, W, m);

  const r2: number[] = [];
  for (let k = 0; k <= K; k++) {
    let sy = 0;
    let sp = 0;
    let syy = 0;
    let spp = 0;
    let syp = 0;
    for (let r = nTrain; r < rows; r++) {
      let pred = yMean[k];
      const o = r * p;
      for (let a = 0; a < p; a++) pred += Z[o + a] * W[a * m + k];
      const y = target(r, k);
      sy += y;
      sp += pred;
      syy += y * y;
      spp += pred * pred;
      syp += y * pred;
    }
    const cov = syp / nTest - (sy / nTest) * (sp / nTest);
    const vy = syy / nTest - (sy / nTest) ** 2;
    const vp = spp / nTest - (sp / nTest) ** 2;
    r2.push(vy > 0 && vp > 1e-15 * Math.max(1, (sp / nTest) ** 2) ? Math.min(1, (cov * cov) / (vy * vp)) : 0);
  }
  return { capacity: r2.reduce((s, x) => s + x, 0), r2, features: p, train_bins: nTrain, test_bins: nTest };
}

/** Solve A X = B in place (A symmetric positive definite p × p, overwritten by its Cholesky factor; B p × m, overwritten by X). */
function choleskySolve(A: Float64Array, p: number, B: Float64Array, m: number): void {
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j];
    for (let k = 0; k < j; k++) d -= A[j * p + k] ** 2;
    const l = Math.sqrt(Math.max(d, 1e-300));
    A[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= A[i * p + k] * A[j * p + k];
      A[i * p + j] = s / l;
    }
  }
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < p; i++) {
      let s = B[i * m + c];
      for (let k = 0; k < i; k++) s -= A[i * p + k] * B[k * m + c];
      B[i * m + c] = s / A[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = B[i * m + c];
      for (let k = i + 1; k < p; k++) s -= A[k * p + i] * B[k * m + c];
      B[i * m + c] = s / A[i * p + i];
    }
  }
}
