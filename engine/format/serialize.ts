/**
 * Stable serialization: the same document always gives the same bytes, so a
 * save → load → save round trip is byte-identical and diffs stay small.
 *
 * Known keys come in a fixed order (params in their kind's declaration order),
 * then unknown keys in the order they had. JavaScript objects list
 * integer-like keys (such as "7") first whatever their insertion order, so the
 * key order is kept beside each object and a small writer (otherwise the same
 * as `JSON.stringify(x, null, 2)`) follows it: `format` always comes first.
 */
import { PROJECTION_PARAMS, getKind } from '../kinds/index.ts';
import type { ParamSpecs } from '../kinds/index.ts';
import type { GraphDocument } from './document.ts';
import { isGroupNode } from './groups.ts';

type Obj = Record<string, unknown>;

const TOP_KEYS = ['format', 'version', 'meta', 'simulation', 'nodes', 'edges', 'view'];
const META_KEYS = ['name', 'description', 'created', 'modified'];
const SIM_KEYS = ['dt_ms', 'duration_ms', 'seed'];
const NODE_KEYS = ['id', 'kind', 'label', 'position', 'params'];
const XY_KEYS = ['x', 'y'];
const EDGE_KEYS = ['id', 'source', 'target', 'params'];
const REF_KEYS = ['node', 'port'];
const DIST_KEYS = ['dist', 'low', 'high', 'mean', 'sd', 'mu', 'sigma', 'min', 'max'];
const WEIGHTS_KEYS = ['pre', 'post', 'w', 'delay_ms', 'shape', 'dense', 'file', 'key'];

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Set an own property, even one named `__proto__` (which plain assignment would not create). */
export function setOwn(obj: Obj, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Key orders that `Object.keys` would not reproduce (integer-like keys), and
 * the objects and lists that contain such an object somewhere: only those need
 * the slow writer; everything else goes through `JSON.stringify`.
 */
const keyOrder = new WeakMap<object, readonly string[]>();
const needsWriter = new WeakSet<object>();
/** Number lists written on one line (stored weights: one line per array, not one per synapse). */
const oneLine = new WeakSet<object>();

/** A copy of `obj` with `known` keys first (in that order), then the rest; `child` maps each value. */
function ordered(obj: unknown, known: readonly string[], child: (key: string, value: unknown) => unknown = (_k, v) => v): unknown {
  if (!isObj(obj)) return obj;
  const out: Obj = {};
  const keys = [...known.filter((k) => Object.hasOwn(obj, k)), ...Object.keys(obj).filter((k) => !known.includes(k))];
  let dirty = false;
  for (const k of keys) {
    const v = child(k, obj[k]);
    if (typeof v === 'object' && v !== null && needsWriter.has(v)) dirty = true;
    setOwn(out, k, v);
  }
  const actual = Object.keys(out);
  if (actual.some((k, i) => k !== keys[i])) {
    keyOrder.set(out, keys);
    dirty = true;
  }
  if (dirty) needsWriter.add(out);
  return out;
}

function orderedList(list: unknown, each: (v: unknown) => unknown): unknown {
  if (!Array.isArray(list)) return list;
  const out = list.map(each);
  if (out.some((v) => typeof v === 'object' && v !== null && needsWriter.has(v))) needsWriter.add(out);
  return out;
}

/** `JSON.stringify(value, null, 2)`, but objects made by {@link ordered} keep their key order. */
export function writeJson(value: unknown, indent = ''): string {
  const parts: string[] = [];
  write(value, indent, parts);
  return parts.join('');
}

function write(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value) && oneLine.has(value)) {
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (typeof value !== 'object' || value === null || !needsWriter.has(value)) {
    // JSON strings hold no raw newlines, so re-indenting the lines is safe.
    const text = JSON.stringify(value, null, 2) ?? 'null';
    out.push(indent ? text.replace(/\n/g, `\n${indent}`) : text);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v: unknown, i) => {
      out.push(i ? ',\n' : '\n', inner);
      write(v, inner, out);
    });
    out.push(`\n${indent}]`);
    return;
  }
  const obj = value as Obj;
  const skip = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  const keys = (keyOrder.get(obj) ?? Object.keys(obj)).filter((k) => !skip(obj[k]));
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  keys.forEach((k, i) => {
    out.push(i ? ',\n' : '\n', inner, JSON.stringify(k), ': ');
    write(obj[k], inner, out);
  });
  out.push(`\n${indent}}`);
}

function orderedParams(params: unknown, specs: ParamSpecs | undefined): unknown {
  if (!specs) return params;
  return ordered(params, Object.keys(specs), (k, v) => (Object.hasOwn(specs, k) && specs[k].type === 'dist' ? ordered(v, DIST_KEYS) : v));
}

/** Stored weights (weights.ts): `pre`, `post`, `w`, `delay_ms`, `shape`, `dense`, `file`, `key` in that order, each list (each matrix row) on one line. */
function orderedWeights(v: unknown): unknown {
  if (!isObj(v)) return v;
  const out = ordered(v, WEIGHTS_KEYS) as Obj;
  let lists = false;
  const isNumbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number');
  for (const k of ['pre', 'post', 'w', 'delay_ms', 'shape']) {
    const a = out[k];
    if (isNumbers(a)) {
      oneLine.add(a);
      lists = true;
    }
  }
  // A dense matrix: one line per row.
  const dense = out.dense;
  if (Array.isArray(dense) && dense.every(isNumbers)) {
    for (const row of dense) oneLine.add(row);
    needsWriter.add(dense);
    lists = true;
  }
  if (lists) needsWriter.add(out);
  return out;
}

function orderedNode(node: unknown): unknown {
  const kind = isObj(node) && typeof node.kind === 'string' ? getKind(node.kind) : undefined;
  return ordered(node, NODE_KEYS, (k, v) =>
    k === 'position'
      ? ordered(v, XY_KEYS)
      : k === 'params'
        ? orderedParams(v, kind?.params)
        : k === 'weights'
          ? orderedWeights(v)
          : // A group's contents (format v2) are written like the top level's.
            isGroupNode(node) && k === 'nodes'
            ? orderedList(v, orderedNode)
            : isGroupNode(node) && k === 'edges'
              ? orderedList(v, orderedEdge)
              : v,
  );
}

function orderedEdge(edge: unknown): unknown {
  return ordered(edge, EDGE_KEYS, (k, v) => (k === 'source' || k === 'target' ? ordered(v, REF_KEYS) : k === 'params' ? orderedParams(v, PROJECTION_PARAMS) : k === 'weights' ? orderedWeights(v) : v));
}

/** The document in its canonical key order (a new object; `doc` is not changed). */
export function canonicalDocument(doc: GraphDocument): GraphDocument {
  return ordered(doc, TOP_KEYS, (k, v) => {
    switch (k) {
      case 'meta':
        return ordered(v, META_KEYS);
      case 'simulation':
        return ordered(v, SIM_KEYS);
      case 'nodes':
        return orderedList(v, orderedNode);
      case 'edges':
        return orderedList(v, orderedEdge);
      default:
        return v;
    }
  }) as GraphDocument;
}

/** The file text of a document: canonical key order, 2-space indent, a trailing newline. */
export function serializeDocument(doc: GraphDocument): string {
  return `${writeJson(canonicalDocument(doc))}\n`;
}
