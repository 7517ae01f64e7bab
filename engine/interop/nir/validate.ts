/**
 * Checks a NIR graph model: every field present with the right kind of value, neuron
 * parameters of one shape, weights of the right rank, finite numbers, edges between nodes
 * that exist and whose sizes agree. The reader runs it before returning a graph and the
 * writer before writing one, so neither hands out half a graph.
 */
import { NIR_PRIMITIVES, neuronShape, tensorSize } from './model.ts';
import type { NirFieldSpec, NirGraph, NirNode, NirPrimitive, NirTensor } from './model.ts';

/** One problem: where (`node/nodes/lif1`, an HDF5-style path), which field, and what is wrong. */
export interface NirProblem {
  readonly path: string;
  readonly nodeType?: string;
  readonly field?: string;
  readonly message: string;
}

/** Thrown by `readNir` / `writeNir`: all problems found, each naming its node and field. */
export class NirFormatError extends Error {
  readonly problems: readonly NirProblem[];
  constructor(problems: readonly NirProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'NirFormatError';
    this.problems = problems;
  }
}

export function formatProblem(p: NirProblem): string {
  const where = p.nodeType ? `${p.path} (${p.nodeType})` : p.path;
  return p.field ? `${where}, field ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

export const showShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Every problem of `graph` (empty when it is valid); `path` is where the graph lives in the file. */
export function validateNirGraph(graph: NirGraph, path = 'node'): NirProblem[] {
  const problems: NirProblem[] = [];
  checkGraph(graph, path, problems);
  return problems;
}

function checkGraph(graph: NirGraph, path: string, out: NirProblem[]): void {
  for (const [name, node] of graph.nodes) {
    const nodePath = `${path}/nodes/${name}`;
    if (name === '' || name.includes('/') || name === '.' || name === '..') {
      out.push({ path: nodePath, nodeType: node.type, message: `"${name}" is not a usable node name (empty, ".", ".." or containing "/")` });
    }
    if (node.type === 'NIRGraph') checkGraph(node, nodePath, out);
    else checkPrimitive(node, nodePath, out);
  }
  graph.edges.forEach(([a, b], i) => {
    for (const end of [a, b]) {
      if (!graph.nodes.has(end)) {
        out.push({ path: `${path}/edges`, nodeType: 'NIRGraph', field: `edges[${i}]`, message: `edge ${a} → ${b} names a node "${end}" that is not in this graph` });
      }
    }
  });
  if (!out.some((p) => p.path === path || p.path.startsWith(`${path}/`))) checkEdgeSizes(graph, path, out);
}

function checkPrimitive(node: NirPrimitive, path: string, out: NirProblem[]): void {
  const spec: Record<string, NirFieldSpec> = NIR_PRIMITIVES[node.type];
  const params = node.params as Record<string, NirTensor | string | undefined>;
  const bad = (field: string | undefined, message: string) => out.push({ path, nodeType: node.type, field, message });
  const before = out.length;
  for (const field of Object.keys(params)) {
    if (!Object.hasOwn(spec, field)) bad(field, `is not a parameter of ${node.type} (extra values belong under metadata/)`);
  }
  let neuron: { field: string; shape: readonly number[] } | undefined;
  for (const [field, s] of Object.entries(spec)) {
    const v = params[field];
    if (v === undefined) {
      if (s.missing !== 'absent') bad(field, 'is missing');
      continue;
    }
    if (typeof v === 'string') {
      if (s.role !== 'padding' || (v !== 'same' && v !== 'valid')) bad(field, `must be ${s.role === 'padding' ? 'numbers or "same" / "valid"' : 'numbers'} (got the string "${v}")`);
      continue;
    }
    if (tensorSize(v.shape) !== v.data.length || v.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      bad(field, `has shape ${showShape(v.shape)} but ${v.data.length} values`);
      continue;
    }
    const nonFinite = v.data.findIndex((x) => !Number.isFinite(x));
    if (nonFinite >= 0) {
      bad(field, `element ${nonFinite} is ${v.data[nonFinite]}; every value must be a finite number`);
      continue;
    }
    if (s.role === 'int' || s.role === 'padding') {
      if (!v.data.every(Number.isInteger)) bad(field, `must hold integers (got ${Array.from(v.data).join(', ')})`);
    }
    if (s.role === 'neuron') {
      if (!neuron) neuron = { field, shape: v.shape };
      else if (showShape(v.shape) !== showShape(neuron.shape)) {
        bad(field, `has shape ${showShape(v.shape)} but ${neuron.field} has shape ${showShape(neuron.shape)}; every neuron parameter of a ${node.type} needs the same shape (one value per neuron)`);
      }
    }
  }
  if (out.length === before) checkPrimitiveRules(node, bad);
}

type Bad = (field: string | undefined, message: string) => void;

const ints = (t: NirTensor): number[] => Array.from(t.data);
/** A scalar or a vector of `n` (a 0-d or one-element value stands for every dimension). */
function checkPerDim(t: NirTensor | string, n: number, field: string, min: number, bad: Bad): void {
  if (typeof t === 'string') return;
  if (!(t.shape.length === 0 || (t.shape.length === 1 && (t.data.length === 1 || t.data.length === n)))) {
    bad(field, `must be one number or ${n} (got shape ${showShape(t.shape)})`);
  } else if (ints(t).some((x) => x < min)) {
    bad(field, `must be ≥ ${min} (got ${ints(t).join(', ')})`);
  }
}

function checkPrimitiveRules(node: NirPrimitive, bad: Bad): void {
  switch (node.type) {
    case 'Affine':
    case 'Linear': {
      const w = node.params.weight;
      if (w.shape.length < 2) {
        bad('weight', `must be a matrix (at least 2-D: [outputs, inputs]), got shape ${showShape(w.shape)}`);
        return;
      }
      if (node.type === 'Affine') {
        const b = node.params.bias;
        const outShape = [...w.shape.slice(0, -2), w.shape[w.shape.length - 2]];
        const ok = b.shape.length === 0 || showShape(b.shape) === showShape(outShape) || showShape(b.shape) === showShape(outShape.slice(-1));
        if (!ok) bad('bias', `has shape ${showShape(b.shape)}; with weight ${showShape(w.shape)} it must be one value or shape ${showShape(outShape)}`);
      }
      return;
    }
    case 'Delay':
      if (node.params.delay.data.some((x) => x < 0)) bad('delay', 'must be ≥ 0');
      return;
    case 'Input':
    case 'Output': {
      const s = node.params.shape;
      if (s.shape.length !== 1 || ints(s).some((x) => x < 1)) bad('shape', `must be a list of positive sizes (got ${showShape(ints(s))} with shape ${showShape(s.shape)})`);
      return;
    }
    case 'Flatten': {
      for (const f of ['start_dim', 'end_dim'] as const) {
        if (node.params[f].data.length !== 1) bad(f, `must be one integer (got shape ${showShape(node.params[f].shape)})`);
      }
      const it = node.params.input_type;
      if (it && (it.shape.length !== 1 || ints(it).some((x) => x < 1))) bad('input_type', 'must be a list of positive sizes');
      return;
    }
    case 'Conv1d':
    case 'Conv2d': {
      const dims = node.type === 'Conv1d' ? 1 : 2;
      const w = node.params.weight;
      if (w.shape.length !== dims + 2) {
        bad('weight', `must be ${dims + 2}-D ([out channels, in channels, ${dims === 1 ? 'width' : 'height, width'}]), got shape ${showShape(w.shape)}`);
        return;
      }
      const b = node.params.bias;
      if (b.data.length !== w.shape[0] && b.data.length !== 1) bad('bias', `needs ${w.shape[0]} values (one per output channel), got ${b.data.length}`);
      checkPerDim(node.params.stride, dims, 'stride', 1, bad);
      checkPerDim(node.params.dilation, dims, 'dilation', 1, bad);
      checkPerDim(node.params.padding, dims, 'padding', 0, bad);
      const g = node.params.groups;
      if (g.data.length !== 1 || g.data[0] < 1 || w.shape[0] % g.data[0] !== 0) bad('groups', `must be one positive integer dividing the ${w.shape[0]} output channels`);
      const is = node.params.input_shape;
      if (is && (is.data.length !== dims || ints(is).some((x) => x < 1))) bad('input_shape', `must be ${dims} positive size${dims === 1 ? '' : 's'} (got ${showShape(ints(is))})`);
      return;
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      checkPerDim(node.params.kernel_size, 2, 'kernel_size', 1, bad);
      checkPerDim(node.params.stride, 2, 'stride', 1, bad);
      checkPerDim(node.params.padding, 2, 'padding', 0, bad);
      return;
    default:
      return;
  }
}

// ---- shapes along edges ----------------------------------------------------

interface Io {
  in?: readonly number[];
  out?: readonly number[];
}

const perDim = (t: NirTensor, i: number): number => (t.data.length === 1 ? t.data[0] : t.data[i]);

/** PyTorch's output size of a convolution or pooling along each spatial dimension. */
export function convOutput(input: readonly number[], kernel: readonly number[], stride: NirTensor, padding: NirTensor | 'same' | 'valid', dilation: NirTensor | undefined): number[] {
  return input.map((n, i) => {
    if (padding === 'same') return n;
    const p = padding === 'valid' ? 0 : perDim(padding, i);
    const d = dilation ? perDim(dilation, i) : 1;
    return Math.floor((n + 2 * p - d * (kernel[i] - 1) - 1) / perDim(stride, i) + 1);
  });
}

function flattenOutput(input: readonly number[], start: number, end: number): number[] {
  const s = start < 0 ? input.length + start : start;
  const e = end < 0 ? input.length + end : end;
  return [...input.slice(0, s), tensorSize(input.slice(s, e + 1)), ...input.slice(e + 1)];
}

/** The input and output shape a node declares on its own (undefined where it depends on its input). */
export function ownShapes(node: NirNode): Io {
  switch (node.type) {
    case 'NIRGraph': {
      const ins = [...node.nodes.values()].filter((n) => n.type === 'Input');
      const outs = [...node.nodes.values()].filter((n) => n.type === 'Output');
      return {
        in: ins.length === 1 && ins[0].type === 'Input' ? ints(ins[0].params.shape) : undefined,
        out: outs.length === 1 && outs[0].type === 'Output' ? ints(outs[0].params.shape) : undefined,
      };
    }
    case 'Affine':
    case 'Linear': {
      const s = node.params.weight.shape;
      return { in: [...s.slice(0, -2), s[s.length - 1]], out: [...s.slice(0, -2), s[s.length - 2]] };
    }
    case 'Input':
    case 'Output':
      return { in: ints(node.params.shape), out: ints(node.params.shape) };
    case 'Scale':
      return { in: node.params.scale.shape, out: node.params.scale.shape };
    case 'Threshold':
      return { in: node.params.threshold.shape, out: node.params.threshold.shape };
    case 'Delay':
      return { in: node.params.delay.shape, out: node.params.delay.shape };
    case 'Flatten':
    case 'Conv1d':
    case 'Conv2d':
    case 'SumPool2d':
    case 'AvgPool2d': {
      const input = node.type === 'Flatten' ? node.params.input_type : node.type === 'Conv1d' || node.type === 'Conv2d' ? node.params.input_shape : undefined;
      if (!input) return {};
      if (node.type === 'Flatten') return { in: ints(input), out: inferOutput(node, ints(input)) };
      const w = (node as Extract<NirNode, { type: 'Conv1d' | 'Conv2d' }>).params.weight.shape;
      const full = [w[1] * perDim((node as Extract<NirNode, { type: 'Conv1d' }>).params.groups, 0), ...ints(input)];
      return { in: full, out: inferOutput(node, full) };
    }
    default: {
      const s = neuronShape(node);
      return { in: s, out: s };
    }
  }
}

/** The output shape of a shape-dependent node given its full input shape (channels first). */
function inferOutput(node: NirNode, input: readonly number[]): readonly number[] | undefined {
  switch (node.type) {
    case 'Flatten':
      return flattenOutput(input, node.params.start_dim.data[0], node.params.end_dim.data[0]);
    case 'Conv1d':
    case 'Conv2d': {
      const w = node.params.weight.shape;
      return [w[0], ...convOutput(input.slice(1), w.slice(2), node.params.stride, node.params.padding, node.params.dilation)];
    }
    case 'SumPool2d':
    case 'AvgPool2d': {
      const k = node.params.kernel_size;
      return [input[0], ...convOutput(input.slice(1), [perDim(k, 0), perDim(k, 1)], node.params.stride, node.params.padding, undefined)];
    }
    default:
      return ownShapes(node).out;
  }
}

/**
 * Every node's input and output shape, where known: declared shapes, then shapes carried
 * forward along edges into nodes whose output depends on their input (pooling, flatten, a
 * convolution without `input_shape`), as the reference package's type inference does.
 */
export function inferShapes(graph: NirGraph): Map<string, Io> {
  const io = new Map<string, Io>();
  for (const [name, node] of graph.nodes) io.set(name, ownShapes(node));
  for (let changed = true; changed;) {
    changed = false;
    for (const [a, b] of graph.edges) {
      const pre = io.get(a)?.out;
      const post = io.get(b);
      if (!pre || !post || post.in) continue;
      const out = post.out ?? inferOutput(graph.nodes.get(b) as NirNode, pre);
      io.set(b, { in: pre, out });
      changed = true;
    }
  }
  return io;
}

function checkEdgeSizes(graph: NirGraph, path: string, out: NirProblem[]): void {
  const io = inferShapes(graph);
  graph.edges.forEach(([a, b], i) => {
    const pre = io.get(a)?.out;
    const post = io.get(b)?.in;
    if (pre && post && tensorSize(pre) !== tensorSize(post)) {
      out.push({
        path: `${path}/edges`,
        nodeType: 'NIRGraph',
        field: `edges[${i}]`,
        message: `edge ${a} → ${b}: ${a} gives ${tensorSize(pre)} values (shape ${showShape(pre)}) but ${b} takes ${tensorSize(post)} (shape ${showShape(post)})`,
      });
    }
  });
}
