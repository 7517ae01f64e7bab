/**
 * The linear part of a NIR graph as synapses: what reaches each neuron of a population from
 * each neuron of a spike source, through any chain of Linear, Affine, Scale, Delay, Flatten,
 * Conv1d, Conv2d, SumPool2d and AvgPool2d nodes with no neuron between them. Every one of
 * these is a linear map (plus a bias and a per-channel delay), so a chain composes into one
 * sparse matrix whose entries carry their delay: one projection in the document. Convolutions
 * and pooling are expanded with `expand.ts` (weight sharing written out).
 */
import { expandToSynapses } from './expand.ts';
import type { NirNode, NirNodeOf } from './model.ts';

/** One entry of a composed map: input `pre` reaches output channel `post` with weight `w` after `delay` (file time units). */
export interface Synapse {
  readonly pre: number;
  readonly post: number;
  readonly w: number;
  readonly delay: number;
}

/** One linear node as a map of synapse lists, or why it cannot be one. */
export type LinearStep = (input: readonly Synapse[]) => Synapse[];

/** The node types `linearStep` composes. */
export const LINEAR_TYPES: ReadonlySet<string> = new Set(['Linear', 'Affine', 'Scale', 'Delay', 'Flatten', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d']);
/** The types among them that hold weights (a wire through only Delay and Flatten is an identity). */
export const WEIGHT_TYPES: ReadonlySet<string> = new Set(['Linear', 'Affine', 'Scale', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d']);
/** Convolution and pooling: their wires are flagged as expanded. */
export const EXPANDED_TYPES: ReadonlySet<string> = new Set(['Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d']);

/** Sums entries with the same (pre, post, delay); drops zeros. Order: first appearance. */
export function merge(entries: readonly Synapse[]): Synapse[] {
  const at = new Map<string, number>();
  const out: { pre: number; post: number; w: number; delay: number }[] = [];
  for (const s of entries) {
    const key = `${s.pre},${s.post},${s.delay}`;
    const k = at.get(key);
    if (k === undefined) {
      at.set(key, out.length);
      out.push({ ...s });
    } else out[k].w += s.w;
  }
  return out.filter((s) => s.w !== 0);
}

/** Applies a sparse map given as, per input channel, its (output, weight) pairs. */
function through(byInput: ReadonlyMap<number, readonly (readonly [number, number])[]>): LinearStep {
  return (input) => {
    const out: Synapse[] = [];
    for (const s of input) for (const [post, w] of byInput.get(s.post) ?? []) out.push({ pre: s.pre, post, w: s.w * w, delay: s.delay });
    return merge(out);
  };
}

/**
 * The map a linear node applies, given its input shape (channels first, as `inferShapes`
 * gives it); a string says why not. Biases are not part of it (see {@link biasOf}).
 */
export function linearStep(node: NirNode, inShape: readonly number[] | undefined): LinearStep | string {
  switch (node.type) {
    case 'Flatten':
      return (input) => input.map((s) => ({ ...s }));
    case 'Delay': {
      const d = node.params.delay.data;
      return (input) => input.map((s) => ({ ...s, delay: s.delay + (d.length === 1 ? d[0] : d[s.post]) }));
    }
    case 'Scale': {
      const f = node.params.scale.data;
      return (input) => merge(input.map((s) => ({ ...s, w: s.w * (f.length === 1 ? f[0] : f[s.post]) })));
    }
    case 'Linear':
    case 'Affine': {
      const w = node.params.weight;
      if (w.shape.length !== 2) return `its weight has shape [${w.shape.join(', ')}]; only matrices map to projections`;
      const [rows, cols] = w.shape;
      const byInput = new Map<number, [number, number][]>();
      for (let c = 0; c < cols; c++) {
        const list: [number, number][] = [];
        for (let r = 0; r < rows; r++) if (w.data[r * cols + c] !== 0) list.push([r, w.data[r * cols + c]]);
        byInput.set(c, list);
      }
      return through(byInput);
    }
    case 'Conv1d':
    case 'Conv2d':
    case 'SumPool2d':
    case 'AvgPool2d': {
      if (!inShape) return 'its input shape is unknown (no Input upstream gives it)';
      let syn;
      try {
        syn = expandToSynapses(node as NirNodeOf<'Conv2d'>, inShape);
      } catch (e) {
        return (e as Error).message;
      }
      const byInput = new Map<number, [number, number][]>();
      for (let k = 0; k < syn.pre.length; k++) {
        const list = byInput.get(syn.pre[k]) ?? [];
        list.push([syn.post[k], syn.weight[k]]);
        byInput.set(syn.pre[k], list);
      }
      return through(byInput);
    }
    default:
      return `${node.type} is not a linear node`;
  }
}

/** The constant a node adds to each of its outputs (Affine's bias, a convolution's per channel), when any is not 0. */
export function biasOf(node: NirNode, inShape: readonly number[] | undefined): Float64Array | undefined {
  let b: Float64Array | undefined;
  if (node.type === 'Affine') b = Float64Array.from(node.params.bias.data);
  else if ((node.type === 'Conv1d' || node.type === 'Conv2d') && inShape) {
    try {
      b = expandToSynapses(node, inShape).bias;
    } catch {
      return undefined;
    }
  }
  return b && b.some((x) => x !== 0) ? b : undefined;
}

/** The identity on `n` channels: each source neuron to itself, weight 1, no delay. */
export function identity(n: number): Synapse[] {
  return Array.from({ length: n }, (_, i) => ({ pre: i, post: i, w: 1, delay: 0 }));
}
