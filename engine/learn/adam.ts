/**
 * Adam (Kingma & Ba 2015) over a list of parameter arrays, with bias
 * correction: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g²,
 * θ ← θ − lr · m̂ / (√v̂ + ε), m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ).
 */
export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

export class Adam {
  readonly m: Float64Array[];
  readonly v: Float64Array[];
  /** Updates done so far. */
  t = 0;
  /** The step size; a learning-rate schedule changes it between epochs. */
  lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(
    private readonly params: readonly Float64Array[],
    options: AdamOptions,
  ) {
    this.lr = options.lr;
    this.b1 = options.beta1 ?? 0.9;
    this.b2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  /** One update with gradients `grads` (same shapes as the params), each multiplied by `scale`. */
  step(grads: readonly Float64Array[], scale = 1): void {
    this.t++;
    const { b1, b2, eps } = this;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    const lr = this.lr;
    for (let p = 0; p < this.params.length; p++) {
      const theta = this.params[p];
      const g = grads[p];
      const m = this.m[p];
      const v = this.v[p];
      for (let k = 0; k < theta.length; k++) {
        const gk = g[k] * scale;
        const mk = b1 * m[k] + (1 - b1) * gk;
        const vk = b2 * v[k] + (1 - b2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        theta[k] -= (lr * (mk / c1)) / (Math.sqrt(vk / c2) + eps);
      }
    }
  }
}
