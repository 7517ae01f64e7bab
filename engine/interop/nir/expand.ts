/**
 * Convolutions and pooling as synapses: weight sharing expanded into an explicit list of
 * (pre, post, weight), the form a projection with explicit connectivity will take once the
 * engine has it (issue 14, item 1). Indices are row-major over channel-first shapes
 * (`[C, W]` or `[C, H, W]`), as NIR and PyTorch lay tensors out; biases are not synapses and
 * are returned apart.
 */
import { convOutput } from './validate.ts';
import { tensorSize } from './model.ts';
import type { NirNodeOf, NirTensor } from './model.ts';

/** A sparse weight matrix: synapse k goes from input `pre[k]` to output `post[k]`. */
export interface Synapses {
  readonly pre: Int32Array;
  readonly post: Int32Array;
  readonly weight: Float64Array;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** Per output element, when the node adds a bias (Conv: one per output channel, repeated). */
  readonly bias?: Float64Array;
}

type Expandable = NirNodeOf<'Conv1d'> | NirNodeOf<'Conv2d'> | NirNodeOf<'SumPool2d'> | NirNodeOf<'AvgPool2d'>;

const per = (t: NirTensor, dims: number): number[] => Array.from({ length: dims }, (_, i) => (t.data.length === 1 ? t.data[0] : t.data[i]));

/** PyTorch's padding before each dimension: `same` splits d·(k−1) with the extra on the far side. */
function padBefore(padding: NirTensor | 'same' | 'valid', kernel: number[], dilation: number[]): number[] {
  if (padding === 'valid') return kernel.map(() => 0);
  if (padding === 'same') return kernel.map((k, i) => Math.floor((dilation[i] * (k - 1)) / 2));
  return per(padding, kernel.length);
}

/**
 * The synapses of a convolution or pooling node for a given input shape (channels first,
 * without batch). Throws when the input does not fit the node (channel count, an empty output).
 */
export function expandToSynapses(node: Expandable, inShape: readonly number[]): Synapses {
  const conv = node.type === 'Conv1d' || node.type === 'Conv2d';
  const dims = node.type === 'Conv1d' ? 1 : 2;
  if (inShape.length !== dims + 1) throw new Error(`${node.type} needs an input of shape [channels, ${dims === 1 ? 'width' : 'height, width'}], got [${inShape.join(', ')}]`);
  const [cIn, ...space] = inShape;
  const kernel = conv ? node.params.weight.shape.slice(2) : per(node.params.kernel_size, 2);
  const stride = per(node.params.stride, dims);
  const dilation = conv ? per(node.params.dilation, dims) : kernel.map(() => 1);
  const padding = node.params.padding;
  const groups = conv ? node.params.groups.data[0] : cIn;
  const cOut = conv ? node.params.weight.shape[0] : cIn;
  const cInPerGroup = conv ? node.params.weight.shape[1] : 1;
  if (cInPerGroup * groups !== cIn) throw new Error(`${node.type}: the input has ${cIn} channels but the weights expect ${cInPerGroup * groups} (${cInPerGroup} per group × ${groups} groups)`);
  const outSpace = convOutput(space, kernel, node.params.stride, padding, conv ? node.params.dilation : undefined);
  if (outSpace.some((n) => n < 1)) throw new Error(`${node.type}: the kernel [${kernel.join(', ')}] does not fit the input [${space.join(', ')}]`);
  const before = padBefore(padding, kernel, dilation);
  const outShape = [cOut, ...outSpace];
  const pre: number[] = [];
  const post: number[] = [];
  const weight: number[] = [];
  const kSize = tensorSize(kernel);
  const outPerGroup = cOut / groups;
  const avg = node.type === 'AvgPool2d' ? 1 / kSize : 1;
  const [inH, inW] = dims === 1 ? [1, space[0]] : space;
  const [outH, outW] = dims === 1 ? [1, outSpace[0]] : outSpace;
  const [kH, kW] = dims === 1 ? [1, kernel[0]] : kernel;
  const [sH, sW] = dims === 1 ? [1, stride[0]] : stride;
  const [dH, dW] = dims === 1 ? [1, dilation[0]] : dilation;
  const [pH, pW] = dims === 1 ? [0, before[0]] : before;
  for (let co = 0; co < cOut; co++) {
    const g = Math.floor(co / outPerGroup);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const out = (co * outH + oy) * outW + ox;
        for (let ci = 0; ci < cInPerGroup; ci++) {
          const cin = conv ? g * cInPerGroup + ci : co;
          for (let ky = 0; ky < kH; ky++) {
            const iy = oy * sH - pH + ky * dH;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ox * sW - pW + kx * dW;
              if (ix < 0 || ix >= inW) continue;
              const w = conv ? node.params.weight.data[((co * cInPerGroup + ci) * kH + ky) * kW + kx] : avg;
              if (w === 0) continue;
              pre.push((cin * inH + iy) * inW + ix);
              post.push(out);
              weight.push(w);
            }
          }
        }
      }
    }
  }
  const bias = conv
    ? Float64Array.from({ length: tensorSize(outShape) }, (_, k) => {
        const b = node.params.bias.data;
        return b.length === 1 ? b[0] : b[Math.floor(k / (outH * outW))];
      })
    : undefined;
  return { pre: Int32Array.from(pre), post: Int32Array.from(post), weight: Float64Array.from(weight), inShape: [...inShape], outShape, bias };
}
