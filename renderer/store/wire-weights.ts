/**
 * Explicit weights loaded into a projection wire from a file ("Load weights…" in the
 * wire inspector), and taken out again ("Clear explicit weights"). Headless: the
 * inspector reads the file and hands in its name and content (text for `.csv`, bytes
 * for `.npy` / `.npz`); these functions parse it with the engine's reader
 * (engine/format/weights-files.ts), check it against the real sizes of the wire's two
 * ends (through groups too: the flat graph, engine/format/groups.ts) and store it
 * inline in the wire's `weights` field as one undoable edit. A file that fails changes
 * nothing; its message names the wire, the field and the file.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { flattenDocument } from '../../engine/format/groups.ts';
import { resolvePointer } from '../../engine/format/pointer.ts';
import { WEIGHTS_FIELD, checkWeightsField, projectionOwners } from '../../engine/format/weights.ts';
import { weightsFromTable } from '../../engine/format/weights-files.ts';
import type { TableWeights } from '../../engine/format/weights-files.ts';
import { getKind } from '../../engine/kinds/index.ts';
import { readNpz } from '../../engine/core/npy-read.ts';
import type { NpyRead } from '../../engine/core/npy-read.ts';
import { rootDraft } from '../groups/level.ts';
import type { Editor } from './editor.ts';

/** The file kinds "Load weights…" reads (for the file picker's `accept`). */
export const WIRE_WEIGHTS_ACCEPT = '.csv,.npy,.npz,text/csv';

/** A projection wire's two ends as the engine sees them: ids, sizes, whether weights may be negative, the weight unit. */
export interface WireEnds {
  readonly edgeId: string;
  readonly sourceId: string | undefined;
  readonly targetId: string | undefined;
  readonly sourceSize: number | undefined;
  readonly targetSize: number | undefined;
  readonly signed: boolean;
  readonly unit: string | undefined;
  /** Where the wire sits in the document (inside groups too). */
  readonly pointer: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The ends of the static projection wire `edgeId` (anywhere in the document), or
 * undefined when it is no such wire (absent, an observe wire, or a plastic projection,
 * whose weights live on its plasticity node).
 */
export function wireEnds(doc: GraphDocument, edgeId: string): WireEnds | undefined {
  const flat = flattenDocument(doc);
  const owner = projectionOwners(flat.doc).find((o) => o.where === 'edges' && o.id === edgeId);
  if (!owner) return undefined;
  const nodeOf = (id: string | undefined) => (id === undefined ? undefined : flat.doc.nodes.find((n) => n.id === id));
  const sizeOf = (id: string | undefined) => {
    const n = nodeOf(id);
    const s = n ? getKind(n.kind)?.size?.(n.params as never) : undefined;
    return typeof s === 'number' && Number.isInteger(s) && s >= 0 ? s : undefined;
  };
  const edge = flat.doc.edges[owner.index];
  const target = nodeOf(owner.targetNode);
  const port = target ? getKind(target.kind)?.inputs.find((p) => p.id === edge.target.port) : undefined;
  return {
    edgeId,
    sourceId: owner.sourceNode,
    targetId: owner.targetNode,
    sourceSize: sizeOf(owner.sourceNode),
    targetSize: sizeOf(owner.targetNode),
    signed: port?.signedWeights === true,
    unit: port?.weightUnit,
    pointer: flat.edgeOrigins[owner.index]?.pointer ?? `/edges/${owner.index}`,
  };
}

export type WireWeightsRead = { readonly ok: true; readonly weights: TableWeights; readonly ends: WireEnds; readonly summary: string } | { readonly ok: false; readonly message: string };

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What a loaded file holds, in a few words: `a 3×4 matrix` or `12 synapses (with delays)`. */
function describe(w: TableWeights): string {
  if ('dense' in w) return `a ${w.dense.length}×${w.dense[0]?.length ?? 0} matrix`;
  return `${count(w.w.length, 'synapse')}${w.delay_ms ? ' with delays' : ''}`;
}

/**
 * Parse and check a weights file for the wire `edgeId` without changing anything.
 * `content` is the file's text (`.csv`) or bytes (`.npy`, `.npz`; a `.csv` read as
 * bytes is decoded). On failure, one sentence naming the wire, the field and the file.
 */
export function readWireWeights(doc: GraphDocument, edgeId: string, fileName: string, content: string | Uint8Array): WireWeightsRead {
  const ends = wireEnds(doc, edgeId);
  const wire = ends ? `Wire "${edgeId}" (${ends.sourceId ?? '?'} → ${ends.targetId ?? '?'})` : `Wire "${edgeId}"`;
  if (!ends) return { ok: false, message: `${wire}: only a static projection wire holds explicit weights (a plastic projection's live on its plasticity node); "${fileName}" was not loaded.` };
  if (!/\.(csv|npy|npz)$/i.test(fileName)) return { ok: false, message: `${wire}, field ${WEIGHTS_FIELD}: "${fileName}" is not a .csv, .npy or .npz file.` };
  const key = typeof content === 'string' ? undefined : onlyMatrixOf(fileName, content);
  const table = weightsFromTable(fileName, content, key);
  if (!table.ok) {
    // The inspector has no "key" to name: say what the file may hold instead.
    const problem = table.problem.replace(/: name the matrix with "key", or store "pre", "post" and "w"$/, ': keep one 2-D matrix in it, or the arrays "pre", "post" and "w"');
    return { ok: false, message: `${wire}, field ${WEIGHTS_FIELD}: the file "${fileName}" ${problem}.` };
  }
  const problems = checkWeightsField(table.weights, ends.pointer, {
    sourceId: ends.sourceId,
    sourceSize: ends.sourceSize,
    targetId: ends.targetId,
    targetSize: ends.targetSize,
    signed: ends.signed,
  });
  if (problems.length > 0) {
    const p = problems[0];
    const more = problems.length > 1 ? ` (and ${count(problems.length - 1, 'other problem')})` : '';
    return { ok: false, message: `${wire}, field ${p.field}: ${p.problem} (in the file "${fileName}")${more}.` };
  }
  return { ok: true, weights: table.weights, ends, summary: `${describe(table.weights)}${key !== undefined ? ` (array "${key}")` : ''} from ${fileName}` };
}

/**
 * The name of the one 2-D array of an `.npz` that holds several arrays and neither a
 * synapse list nor a scipy.sparse matrix (e.g. a layer's `weight` beside its 1-D `bias`);
 * undefined otherwise, when the reader decides alone.
 */
function onlyMatrixOf(fileName: string, bytes: Uint8Array): string | undefined {
  if (!/\.npz$/i.test(fileName)) return undefined;
  let arrays: Map<string, NpyRead>;
  const strings = new Map<string, string>();
  try {
    arrays = readNpz(bytes, strings);
  } catch {
    return undefined;
  }
  if (arrays.size < 2 || strings.has('format') || (arrays.has('pre') && arrays.has('post') && arrays.has('w'))) return undefined;
  const matrices = [...arrays].filter(([, a]) => a.shape.length === 2);
  return matrices.length === 1 ? matrices[0][0] : undefined;
}

export type WireWeightsLoad = { readonly ok: true; readonly summary: string } | { readonly ok: false; readonly message: string };

/**
 * Load a weights file into the wire `edgeId`: checked as {@link readWireWeights}, then
 * stored inline in the wire's `weights` field (replacing a rule's drawn synapses, or a
 * side-file reference) as one undo step labelled `Load weights from <file> into <wire>`.
 * Nothing changes on failure.
 */
export function loadWireWeights(editor: Editor, edgeId: string, fileName: string, content: string | Uint8Array): WireWeightsLoad {
  const read = readWireWeights(editor.doc, edgeId, fileName, content);
  if (!read.ok) return read;
  const at = read.ends.pointer;
  const weights = read.weights;
  editor.edit(`Load weights from ${fileName} into ${edgeId}`, (d) => {
    const found = resolvePointer(rootDraft(d), at);
    if (found.found && isObj(found.value)) found.value[WEIGHTS_FIELD] = structuredClone(weights) as unknown as Obj;
  });
  return { ok: true, summary: `Loaded ${read.summary}` };
}

/** Return the wire `edgeId` to its connectivity rule (drop its `weights` field). One undo step; false when it held none. */
export function clearWireWeights(editor: Editor, edgeId: string): boolean {
  const ends = wireEnds(editor.doc, edgeId);
  if (!ends) return false;
  return editor.edit(`Clear explicit weights of ${edgeId}`, (d) => {
    const found = resolvePointer(rootDraft(d), ends.pointer);
    if (found.found && isObj(found.value) && Object.hasOwn(found.value, WEIGHTS_FIELD)) delete found.value[WEIGHTS_FIELD];
  });
}
