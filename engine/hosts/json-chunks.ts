/**
 * Documents and weights files as text chunks (Node host code): a document with
 * millions of stored synapses, or its side file, is more text than one
 * JavaScript string can hold. The small rest of the document is serialized as
 * usual with each long number list replaced by a placeholder, and the lists are
 * spliced in piece by piece, so the bytes are exactly `serializeDocument`'s
 * (and `weightsFileText`'s) without ever building the whole string.
 */
import type { GraphDocument } from '../format/document.ts';
import { serializeDocument } from '../format/serialize.ts';
import { weightsFileText, type WeightsFile } from '../format/weights.ts';

/** Numbers per piece of a list (a few hundred kB of text). */
const LIST_PIECE = 1 << 15;
const PLACEHOLDER = /"\\u0000list(\d+)\\u0000"/g;

type Obj = Record<string, unknown>;

function placeholders(weights: unknown, lists: ArrayLike<number>[]): unknown {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) return weights;
  const out: Obj = { ...(weights as Obj) };
  for (const k of ['pre', 'post', 'w']) {
    const a = out[k];
    // Only lists the serializer writes on one line (all numbers); anything else stays as it is.
    if (Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'number')) {
      out[k] = `\u0000list${lists.length}\u0000`;
      lists.push(a);
    }
  }
  return out;
}

/** A list's JSON text (as `JSON.stringify(list)`), piece by piece. */
function* listText(list: ArrayLike<number>): Generator<string> {
  yield '[';
  for (let i = 0; i < list.length; i += LIST_PIECE) {
    const piece = JSON.stringify(Array.prototype.slice.call(list, i, i + LIST_PIECE));
    yield (i ? ',' : '') + piece.slice(1, -1);
  }
  yield ']';
}

/** `text` with each placeholder replaced by its list's text; newlines re-indented by `indent`. */
function* spliced(text: string, lists: readonly ArrayLike<number>[], indent: string): Generator<string> {
  const re = new RegExp(PLACEHOLDER.source, 'g');
  const ind = (t: string) => (indent ? t.replace(/\n/g, `\n${indent}`) : t);
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    yield ind(text.slice(at, m.index));
    yield* listText(lists[Number(m[1])]);
    at = m.index + m[0].length;
  }
  yield ind(text.slice(at));
}

/**
 * `serializeDocument(doc)` in chunks (stored weights' lists streamed). With
 * `indent`, every line after the first is indented by it and the trailing
 * newline is left off, for nesting the document in another JSON file.
 */
export function* documentChunks(doc: GraphDocument, indent = ''): Generator<string> {
  const lists: ArrayLike<number>[] = [];
  const withWeights = <T extends { weights?: unknown }>(items: readonly T[]) =>
    items.map((x) => (x && typeof x === 'object' && Object.hasOwn(x, 'weights') ? { ...x, weights: placeholders(x.weights, lists) } : x));
  const light = {
    ...doc,
    nodes: Array.isArray(doc.nodes) ? withWeights(doc.nodes as readonly { weights?: unknown }[]) : doc.nodes,
    edges: Array.isArray(doc.edges) ? withWeights(doc.edges as readonly { weights?: unknown }[]) : doc.edges,
  } as GraphDocument;
  const text = serializeDocument(light);
  yield* spliced(indent ? text.slice(0, -1) : text, lists, indent);
}

/** `weightsFileText(file)` in chunks (the lists streamed). */
export function* weightsFileChunks(file: WeightsFile): Generator<string> {
  const lists: ArrayLike<number>[] = [];
  const group = (g: Readonly<Record<string, unknown>>) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, placeholders(v, lists)]));
  const light = { ...file, nodes: group(file.nodes), edges: group(file.edges) } as WeightsFile;
  yield* spliced(weightsFileText(light), lists, '');
}

/**
 * `JSON.stringify({ ...head, [key]: doc }, null, 2)`-like text in chunks, with
 * the document nested in the serializer's own layout (run.json's `graph`).
 */
export function* jsonWithDocument(head: Obj, key: string, doc: GraphDocument): Generator<string> {
  const marker = '"\\u0000document\\u0000"';
  const text = JSON.stringify({ ...head, [key]: '\u0000document\u0000' }, null, 2) + '\n';
  const at = text.indexOf(marker);
  yield text.slice(0, at);
  yield* documentChunks(doc, '  ');
  yield text.slice(at + marker.length);
}
