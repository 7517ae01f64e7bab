/**
 * Stored synapses and weights of a projection: the `weights` field.
 *
 * A projection's params live on its wire, or on the plasticity node it passes
 * through; so does its optional `weights` field, in one of two forms:
 *
 *   "weights": { "pre": [0, 0, 1, …], "post": [0, 1, 0, …], "w": [0.004, …] }   // inline
 *   "weights": { "file": "net.weights.json" }                                   // side file
 *
 * Synapse k joins source neuron `pre[k]` to target neuron `post[k]` with weight
 * `w[k]` (≥ 0, in the projection's weight unit; the receptor sets the sign, as
 * for the `weight` param). When present, the build uses exactly these synapses
 * and weights instead of drawing them from `rule` and `weight` (delays are
 * still drawn from `delay_ms`). The side file, a path relative to the document,
 * holds the same arrays for any number of projections:
 *
 *   { "format": "spikeflow-weights", "version": 1,
 *     "nodes": { "<plasticity node id>": { "pre", "post", "w" } },
 *     "edges": { "<wire id>": { "pre", "post", "w" } } }
 *
 * The core reads no files: a host reads the side files a document names
 * ({@link sideWeightFiles}) and inlines them before compiling
 * ({@link inlineWeightFiles}); {@link storeWeights} writes a run's weights back.
 */
import { getKind } from '../kinds/index.ts';
import type { DocIssue, GraphDocument } from './document.ts';
import { describeNode } from './connect.ts';
import { pointer, resolvePointer } from './pointer.ts';
import { flattenDocument } from './groups.ts';
import { isTableWeightsFile, weightsFromTable } from './weights-files.ts';

export const WEIGHTS_FIELD = 'weights';
export const WEIGHTS_FILE_FORMAT = 'spikeflow-weights';
export const WEIGHTS_FILE_VERSION = 1;

export type { StoredWeights, DenseWeights } from './weights-files.ts';
import type { StoredWeights, DenseWeights } from './weights-files.ts';

/**
 * A reference to a side file (relative to the document) that holds the weights:
 * a Spikeflow weights file (`.json`), or a matrix or synapse list in `.npy`,
 * `.npz` or `.csv` (weights-files.ts); `key` picks an array of an `.npz`.
 */
export interface WeightsFileRef {
  readonly file: string;
  readonly key?: string;
}

export type WeightsField = StoredWeights | DenseWeights | WeightsFileRef;

/** The side file: stored weights of plasticity nodes (by node id) and wires (by edge id). */
export interface WeightsFile {
  readonly format: typeof WEIGHTS_FILE_FORMAT;
  readonly version: typeof WEIGHTS_FILE_VERSION;
  readonly nodes: Readonly<Record<string, StoredWeights>>;
  readonly edges: Readonly<Record<string, StoredWeights>>;
}

/** One projection's weights as a run reports them (e.g. `PlasticWeights`, or a trainer's). */
export interface ProjectionWeights {
  /** The plasticity node, for a plastic projection. */
  readonly nodeId?: string;
  /** The projection's wire (for a plastic one: the wire out of the node). */
  readonly edgeId: string;
  readonly pre: ArrayLike<number>;
  readonly post: ArrayLike<number>;
  readonly w: ArrayLike<number>;
  /** Each synapse's delay in ms, when the projection's own delay does not give it (stored as `delay_ms`). */
  readonly delayMs?: ArrayLike<number>;
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Where a projection's params (and `weights`) live: a plasticity node or a projection wire. */
export interface ProjectionOwner {
  readonly where: 'nodes' | 'edges';
  readonly index: number;
  readonly id: string;
  /** The node the projection starts at (for a plasticity node: the one wired into its `pre`). */
  readonly sourceNode: string | undefined;
  /** The node the projection ends at. */
  readonly targetNode: string | undefined;
}

/**
 * Every projection owner of a document, read defensively (any JSON may come
 * in): plasticity nodes, and wires into a `projection` input that do not leave
 * a plasticity node.
 */
export function projectionOwners(doc: unknown): ProjectionOwner[] {
  if (!isObj(doc)) return [];
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const edges = (Array.isArray(doc.edges) ? doc.edges : []).filter(isObj);
  const kindOf = new Map<string, string>();
  for (const n of nodes) if (isObj(n) && typeof n.id === 'string' && typeof n.kind === 'string' && !kindOf.has(n.id)) kindOf.set(n.id, n.kind);
  const ref = (e: Obj, end: 'source' | 'target') => {
    const r = e[end];
    return isObj(r) && typeof r.node === 'string' && typeof r.port === 'string' ? { node: r.node, port: r.port } : undefined;
  };
  const roleOf = (nodeId: string, port: string) => getKind(kindOf.get(nodeId) ?? '')?.inputs.find((p) => p.id === port)?.role;
  const isPlastic = (nodeId: string) => getKind(kindOf.get(nodeId) ?? '')?.runtime.role === 'plasticity';
  const out: ProjectionOwner[] = [];
  nodes.forEach((n: unknown, index) => {
    if (!isObj(n) || typeof n.id !== 'string' || !isPlastic(n.id) || kindOf.get(n.id) !== n.kind) return;
    const id = n.id;
    const pre = edges.find((e) => ref(e, 'target')?.node === id && roleOf(id, ref(e, 'target')!.port) === 'plastic');
    const post = edges.find((e) => ref(e, 'source')?.node === id && roleOf(ref(e, 'target')?.node ?? '', ref(e, 'target')?.port ?? '') === 'projection');
    out.push({ where: 'nodes', index, id, sourceNode: pre && ref(pre, 'source')?.node, targetNode: post && ref(post, 'target')?.node });
  });
  (Array.isArray(doc.edges) ? doc.edges : []).forEach((e: unknown, index) => {
    if (!isObj(e) || typeof e.id !== 'string') return;
    const s = ref(e, 'source');
    const t = ref(e, 'target');
    if (!s || !t || isPlastic(s.node) || roleOf(t.node, t.port) !== 'projection') return;
    out.push({ where: 'edges', index, id: e.id, sourceNode: s.node, targetNode: t.node });
  });
  return out;
}

/** A problem with a `weights` field: the field path (e.g. `weights.pre`) and what is wrong. */
export interface WeightsProblem {
  readonly pointer: string;
  readonly field: string;
  readonly problem: string;
}

/** Whether a side-file path is relative and stays beside or below the document. */
function fileProblem(file: unknown): string | null {
  if (typeof file !== 'string' || file.trim() === '') return `must be the name of a file next to the document, such as "net.weights.json" (got ${JSON.stringify(file) ?? 'nothing'})`;
  if (/^([a-zA-Z]:)?[\\/]/.test(file) || file.split(/[\\/]/).includes('..')) {
    return `must be a path relative to the document that stays in its folder (got ${JSON.stringify(file)})`;
  }
  return null;
}

function describeBad(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 30 ? `${s.slice(0, 27)}…` : s;
}

/** The sizes and names of a projection's two ends, and whether its weights may be negative. */
export interface WeightsEnds {
  readonly sourceId?: string;
  readonly sourceSize?: number;
  readonly targetId?: string;
  readonly targetSize?: number;
  /** Negative weights allowed (a static wire into a port with `signedWeights`, engine/kinds). */
  readonly signed?: boolean;
}

/** Find the first bad entry of a list (and how many are bad). */
function firstBad(list: readonly unknown[], ok: (x: unknown) => boolean): { bad: number; count: number } {
  let bad = -1;
  let count = 0;
  for (let k = 0; k < list.length; k++) {
    if (!ok(list[k])) {
      if (bad < 0) bad = k;
      count++;
    }
  }
  return { bad, count };
}

const moreBad = (count: number) => (count > 1 ? ` (${count} entries are bad)` : '');
const isFiniteNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function weightRule(signed: boolean | undefined): { ok: (x: unknown) => boolean; says: string } {
  return signed ? { ok: isFiniteNum, says: 'a finite number' } : { ok: (x) => isFiniteNum(x) && x >= 0, says: 'a finite number ≥ 0' };
}

/**
 * Check a `weights` field against the sizes of the projection's ends (when
 * known). `base` is the pointer of the node or edge; `ends` names them. A
 * side-file reference alone is checked as a path; once a host has resolved it
 * (the numbers beside `file`), the numbers are checked too and the messages
 * name the file.
 */
export function checkWeightsField(value: unknown, base: string, ends: WeightsEnds): WeightsProblem[] {
  const at = `${base}/${WEIGHTS_FIELD}`;
  if (!isObj(value)) {
    return [
      {
        pointer: at,
        field: WEIGHTS_FIELD,
        problem: `must be {"pre": […], "post": […], "w": […]}, {"dense": [[…], …]} or {"file": "…"} (got ${Array.isArray(value) ? 'a list' : describeBad(value)})`,
      },
    ];
  }
  let from = '';
  if (Object.hasOwn(value, 'file')) {
    const p = fileProblem(value.file);
    if (p) return [{ pointer: `${at}/file`, field: `${WEIGHTS_FIELD}.file`, problem: p }];
    if (value.key !== undefined && (typeof value.key !== 'string' || value.key === '')) {
      return [{ pointer: `${at}/key`, field: `${WEIGHTS_FIELD}.key`, problem: `must name an array of the .npz file (got ${describeBad(value.key)})` }];
    }
    if (!Object.hasOwn(value, 'pre') && !Object.hasOwn(value, 'dense')) return [];
    from = ` (read from "${value.file as string}")`;
  }
  const out = Object.hasOwn(value, 'dense') ? checkDense(value.dense, at, ends) : checkList(value, at, ends);
  return from ? out.map((p) => ({ ...p, problem: p.problem + from })) : out;
}

/** A dense matrix: `targetSize` rows of `sourceSize` finite weights. */
function checkDense(dense: unknown, at: string, ends: WeightsEnds): WeightsProblem[] {
  const field = `${WEIGHTS_FIELD}.dense`;
  const who = (id: string | undefined) => (id === undefined ? '' : ` "${id}"`);
  if (!Array.isArray(dense) || dense.some((r) => !Array.isArray(r))) {
    return [{ pointer: `${at}/dense`, field, problem: `must be a list of rows, one per target neuron, each a list of weights, one per source neuron (got ${describeBad(dense)})` }];
  }
  const rows = dense as unknown[][];
  if (ends.targetSize !== undefined && rows.length !== ends.targetSize) {
    return [{ pointer: `${at}/dense`, field, problem: `has ${rows.length} rows, but the target${who(ends.targetId)} has ${ends.targetSize} neurons (one row per target neuron)` }];
  }
  const cols = ends.sourceSize ?? rows[0]?.length ?? 0;
  const short = rows.findIndex((r) => r.length !== cols);
  if (short >= 0) {
    return [
      {
        pointer: `${at}/dense/${short}`,
        field,
        problem: `row ${short} has ${rows[short].length} entries, but ${ends.sourceSize !== undefined ? `the source${who(ends.sourceId)} has ${cols} neurons` : `row 0 has ${cols}`} (one column per source neuron)`,
      },
    ];
  }
  const rule = weightRule(ends.signed);
  for (let j = 0; j < rows.length; j++) {
    const { bad } = firstBad(rows[j], rule.ok);
    if (bad >= 0) {
      const sign = ends.signed ? '' : '; the receptor sets the sign';
      return [{ pointer: `${at}/dense/${j}/${bad}`, field, problem: `row ${j}, column ${bad} must be ${rule.says} (got ${describeBad(rows[j][bad])}${sign})` }];
    }
  }
  return [];
}

/** A synapse list: `pre`, `post`, `w` and optionally `delay_ms`, one entry per synapse. */
function checkList(value: Obj, at: string, ends: WeightsEnds): WeightsProblem[] {
  const out: WeightsProblem[] = [];
  const arrays: Partial<Record<'pre' | 'post' | 'w' | 'delay_ms', unknown[]>> = {};
  for (const name of ['pre', 'post', 'w', 'delay_ms'] as const) {
    const a = value[name];
    if (name === 'delay_ms' && a === undefined) continue;
    if (!Array.isArray(a)) {
      const what = name === 'w' ? 'weights' : name === 'delay_ms' ? 'delays in ms' : 'neuron indices';
      out.push({ pointer: `${at}/${name}`, field: `${WEIGHTS_FIELD}.${name}`, problem: `must be a list of ${what} (got ${describeBad(a)})` });
    } else arrays[name] = a;
  }
  const { pre, post, w, delay_ms: delays } = arrays;
  const lengths = [pre, post, w, delays].filter((a): a is unknown[] => a !== undefined);
  if (lengths.length > 1 && lengths.some((a) => a.length !== lengths[0].length)) {
    const n = (a: unknown[] | undefined) => (a ? `${a.length}` : '?');
    out.push({
      pointer: at,
      field: WEIGHTS_FIELD,
      problem: delays
        ? `pre, post, w and delay_ms must have one entry per synapse, but they have ${n(pre)}, ${n(post)}, ${n(w)} and ${n(delays)} entries`
        : `pre, post and w must have one entry per synapse, but they have ${n(pre)}, ${n(post)} and ${n(w)} entries`,
    });
    return out;
  }
  const indexCheck = (name: 'pre' | 'post', list: unknown[] | undefined, size: number | undefined, who: string | undefined) => {
    if (!list) return;
    const { bad, count } = firstBad(list, (x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && (size === undefined || x < size));
    if (bad < 0) return;
    const x = list[bad];
    const problem =
      typeof x === 'number' && Number.isInteger(x) && x >= 0 && size !== undefined
        ? `entry ${bad} is ${x}, out of range: "${who}" has ${size} ${size === 1 ? 'neuron' : 'neurons'} (indices 0…${size - 1})${moreBad(count)}`
        : `entry ${bad} must be a whole number ≥ 0 (got ${describeBad(x)})${moreBad(count)}`;
    out.push({ pointer: `${at}/${name}/${bad}`, field: `${WEIGHTS_FIELD}.${name}`, problem });
  };
  const shape = value.shape;
  if (shape !== undefined) {
    const ok = Array.isArray(shape) && shape.length === 2 && shape.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0);
    if (!ok) out.push({ pointer: `${at}/shape`, field: `${WEIGHTS_FIELD}.shape`, problem: `must be [target neurons, source neurons] (got ${describeBad(shape)})` });
    else if ((ends.targetSize !== undefined && shape[0] !== ends.targetSize) || (ends.sourceSize !== undefined && shape[1] !== ends.sourceSize)) {
      out.push({
        pointer: `${at}/shape`,
        field: `${WEIGHTS_FIELD}.shape`,
        problem: `is a ${shape[0]} × ${shape[1]} matrix, but the projection needs ${ends.targetSize ?? '?'} × ${ends.sourceSize ?? '?'} (target "${ends.targetId}" × source "${ends.sourceId}")`,
      });
    }
  }
  indexCheck('pre', pre, ends.sourceSize, ends.sourceId);
  indexCheck('post', post, ends.targetSize, ends.targetId);
  if (w) {
    const rule = weightRule(ends.signed);
    const { bad, count } = firstBad(w, rule.ok);
    if (bad >= 0) {
      const sign = ends.signed ? '' : '; the receptor sets the sign';
      out.push({ pointer: `${at}/w/${bad}`, field: `${WEIGHTS_FIELD}.w`, problem: `entry ${bad} must be ${rule.says} (got ${describeBad(w[bad])}${sign})${moreBad(count)}` });
    }
  }
  if (delays) {
    const { bad, count } = firstBad(delays, (x) => isFiniteNum(x) && x >= 0);
    if (bad >= 0)
      out.push({ pointer: `${at}/delay_ms/${bad}`, field: `${WEIGHTS_FIELD}.delay_ms`, problem: `entry ${bad} must be a finite number ≥ 0 ms (got ${describeBad(delays[bad])})${moreBad(count)}` });
  }
  return out;
}

/**
 * Every projection owner with the object that holds its params in `doc` itself and its
 * pointer there: inside groups (format v2) too, found through the flat graph.
 */
function ownedItems(doc: GraphDocument): { o: ProjectionOwner; item: Obj; at: string }[] {
  const f = flattenDocument(doc);
  const out: { o: ProjectionOwner; item: Obj; at: string }[] = [];
  for (const o of projectionOwners(f.doc)) {
    const at = (o.where === 'nodes' ? f.nodeOrigins : f.edgeOrigins)[o.index]?.pointer ?? pointer(o.where, o.index);
    const found = resolvePointer(doc, at);
    if (found.found && isObj(found.value)) out.push({ o, item: found.value, at });
  }
  return out;
}

/** The side files a document refers to, each once, in document order. */
export function sideWeightFiles(doc: GraphDocument): string[] {
  const out: string[] = [];
  for (const { item } of ownedItems(doc)) {
    const v = item[WEIGHTS_FIELD];
    if (isObj(v) && typeof v.file === 'string' && !fileProblem(v.file) && !out.includes(v.file)) out.push(v.file);
  }
  return out;
}

/** Parse a side file's text; a sentence on failure (the caller adds who refers to it). */
export function parseWeightsFile(text: string): { ok: true; file: WeightsFile } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `is not valid JSON (${(e as Error).message})` };
  }
  if (!isObj(raw) || raw.format !== WEIGHTS_FILE_FORMAT) return { ok: false, problem: `is not a Spikeflow weights file (its "format" must be "${WEIGHTS_FILE_FORMAT}")` };
  if (raw.version !== WEIGHTS_FILE_VERSION) {
    return { ok: false, problem: `has version ${describeBad(raw.version)}; this Spikeflow reads version ${WEIGHTS_FILE_VERSION}` };
  }
  const nodes = raw.nodes ?? {};
  const edges = raw.edges ?? {};
  if (!isObj(nodes) || !isObj(edges)) return { ok: false, problem: 'must hold "nodes" and "edges" objects keyed by node and wire id' };
  return { ok: true, file: { format: WEIGHTS_FILE_FORMAT, version: WEIGHTS_FILE_VERSION, nodes: nodes as WeightsFile['nodes'], edges: edges as WeightsFile['edges'] } };
}

/**
 * A copy of `doc` with every side-file reference replaced by the arrays the
 * file holds for that node or wire. `files` maps each name of
 * {@link sideWeightFiles} to its text, or to null when the host could not read
 * it (`where` then says where it looked, e.g. "next to the document").
 * Issues name the node or wire and the field `weights.file`.
 */
export function inlineWeightFiles(doc: GraphDocument, files: ReadonlyMap<string, string | Uint8Array | null>, where = 'next to the document'): { doc: GraphDocument; issues: DocIssue[] } {
  const copy = JSON.parse(JSON.stringify(doc)) as GraphDocument;
  const issues: DocIssue[] = [];
  const parsed = new Map<string, ReturnType<typeof parseWeightsFile>>();
  for (const { o, item, at } of ownedItems(copy)) {
    const v = item[WEIGHTS_FIELD];
    if (!isObj(v) || typeof v.file !== 'string' || fileProblem(v.file)) continue;
    const name = v.file;
    const who = o.where === 'nodes' ? `Node ${describeNode(o.id, getKind(String(item.kind)))}` : `Wire "${o.id}"`;
    const issue = (problem: string) =>
      issues.push({
        pointer: `${at}/${WEIGHTS_FIELD}/file`,
        ...(o.where === 'nodes' ? { nodeId: o.id } : { edgeId: o.id }),
        field: `${WEIGHTS_FIELD}.file`,
        message: `${who}, field ${WEIGHTS_FIELD}.file: ${problem}.`,
      });
    const text = files.get(name);
    if (text === undefined || text === null) {
      issue(`the weights file "${name}" was not found ${where}`);
      continue;
    }
    if (isTableWeightsFile(name)) {
      // A matrix or synapse list: the numbers join the reference (checked with the document's sizes later).
      const key = typeof v.key === 'string' ? v.key : undefined;
      const t = weightsFromTable(name, text, key);
      if (!t.ok) issue(`the weights file "${name}" ${t.problem}`);
      else item[WEIGHTS_FIELD] = { file: name, ...(key !== undefined ? { key } : {}), ...t.weights };
      continue;
    }
    if (typeof text !== 'string') {
      issue(`the weights file "${name}" was read as bytes; a Spikeflow weights file is JSON text`);
      continue;
    }
    let p = parsed.get(name);
    if (!p) parsed.set(name, (p = parseWeightsFile(text)));
    if (!p.ok) {
      issue(`the weights file "${name}" ${p.problem}`);
      continue;
    }
    const stored = (o.where === 'nodes' ? p.file.nodes : p.file.edges)[o.id];
    if (!isObj(stored)) {
      issue(`the weights file "${name}" holds no weights for ${o.where === 'nodes' ? 'node' : 'wire'} "${o.id}"`);
      continue;
    }
    item[WEIGHTS_FIELD] = { pre: stored.pre, post: stored.post, w: stored.w, ...(stored.delay_ms !== undefined ? { delay_ms: stored.delay_ms } : {}) };
  }
  return { doc: copy, issues };
}

/**
 * The synapses an owner's `weights` field holds, as a synapse list, or
 * undefined (absent, or a side file not inlined). A dense matrix becomes the
 * list of its non-zero entries, source by source (the engine's row order).
 */
export function inlineWeightsOf(item: Readonly<Obj>): StoredWeights | undefined {
  const v = item[WEIGHTS_FIELD];
  if (!isObj(v)) return undefined;
  if (Array.isArray(v.dense)) return denseToList(v.dense as readonly (readonly number[])[]);
  return Array.isArray(v.pre) && Array.isArray(v.post) && Array.isArray(v.w) ? (v as unknown as StoredWeights) : undefined;
}

/** A dense `[target][source]` matrix as the list of its non-zero entries, ordered by source then target. */
export function denseToList(dense: readonly (readonly number[])[]): StoredWeights {
  const pre: number[] = [];
  const post: number[] = [];
  const w: number[] = [];
  const cols = dense[0]?.length ?? 0;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < dense.length; j++) {
      const x = dense[j][i];
      if (x !== 0) {
        pre.push(i);
        post.push(j);
        w.push(x);
      }
    }
  }
  return { pre, post, w };
}

/** The side file an owner's `weights` field refers to, if it does. */
export function weightsFileOf(item: Readonly<Obj>): string | undefined {
  const v = item[WEIGHTS_FIELD];
  return isObj(v) && typeof v.file === 'string' ? v.file : undefined;
}

/** Where the weights of a run's projection belong in `doc`: its plasticity node, else its wire (inside groups too). */
function ownedItemOf(doc: GraphDocument, x: Pick<ProjectionWeights, 'nodeId' | 'edgeId'>): { o: ProjectionOwner; item: Obj } | undefined {
  const owners = ownedItems(doc);
  return (x.nodeId !== undefined ? owners.find(({ o }) => o.where === 'nodes' && o.id === x.nodeId) : undefined) ?? owners.find(({ o }) => o.where === 'edges' && o.id === x.edgeId);
}

/** Where the weights of a run's projection belong in `doc`: its plasticity node, else its wire. */
export function ownerOf(doc: GraphDocument, x: Pick<ProjectionWeights, 'nodeId' | 'edgeId'>): ProjectionOwner | undefined {
  return ownedItemOf(doc, x)?.o;
}

function toStored(x: ProjectionWeights): StoredWeights {
  return { pre: Array.from(x.pre), post: Array.from(x.post), w: Array.from(x.w), ...(x.delayMs ? { delay_ms: Array.from(x.delayMs) } : {}) };
}

/**
 * Write a run's weights into `doc` (mutated; an immer draft works): inline,
 * or as references to the side file `form.file`, whose content is returned
 * (starting from `form.base`, the file's previous content, when given).
 * Entries whose node or wire is no longer in the document are skipped and
 * listed in `missing`.
 */
export function storeWeights(
  doc: GraphDocument,
  weights: readonly ProjectionWeights[],
  form: 'inline' | { readonly file: string; readonly base?: WeightsFile },
): { file: WeightsFile | null; stored: string[]; missing: string[] } {
  // Entries of the side file this run did not produce (e.g. a trained static wire's) are kept.
  const base = form === 'inline' ? undefined : form.base;
  const file = {
    format: WEIGHTS_FILE_FORMAT as typeof WEIGHTS_FILE_FORMAT,
    version: WEIGHTS_FILE_VERSION as typeof WEIGHTS_FILE_VERSION,
    nodes: { ...base?.nodes } as Record<string, StoredWeights>,
    edges: { ...base?.edges } as Record<string, StoredWeights>,
  };
  const stored: string[] = [];
  const missing: string[] = [];
  for (const x of weights) {
    const owned = ownedItemOf(doc, x);
    if (!owned) {
      missing.push(x.nodeId ?? x.edgeId);
      continue;
    }
    const { o, item } = owned;
    const data = toStored(x);
    if (form === 'inline') item[WEIGHTS_FIELD] = data;
    else {
      file[o.where][o.id] = data;
      item[WEIGHTS_FIELD] = { file: form.file };
    }
    stored.push(o.id);
  }
  return { file: form === 'inline' ? null : file, stored, missing };
}

/**
 * Write a training run's learnt time constants (`{ nodeId, params }` per trained
 * population, in ms, named as the node's own params) into those nodes' params, wherever
 * the nodes sit (groups included), so that the stored weights run with the time constants
 * they were trained with. Returns the node ids written and those no longer in the document.
 */
export function storeTimeConstants(doc: GraphDocument, taus: readonly { readonly nodeId: string; readonly params: Readonly<Record<string, number>> }[]): { stored: string[]; missing: string[] } {
  const f = flattenDocument(doc);
  const stored: string[] = [];
  const missing: string[] = [];
  for (const t of taus) {
    const i = f.doc.nodes.findIndex((n) => n.id === t.nodeId);
    const found = i < 0 ? undefined : resolvePointer(doc, f.nodeOrigins[i]?.pointer ?? pointer('nodes', i));
    const node = found?.found && isObj(found.value) ? found.value : undefined;
    if (!node || !isObj(node.params)) {
      missing.push(t.nodeId);
      continue;
    }
    for (const [k, v] of Object.entries(t.params)) if (Number.isFinite(v) && Object.hasOwn(node.params, k)) node.params[k] = v;
    stored.push(t.nodeId);
  }
  return { stored, missing };
}

/** Remove stored weights (all, or those of the given node and wire ids); returns the ids cleared. */
export function clearWeights(doc: GraphDocument, ids?: readonly string[]): string[] {
  const out: string[] = [];
  for (const { o, item } of ownedItems(doc)) {
    if (!Object.hasOwn(item, WEIGHTS_FIELD) || (ids && !ids.includes(o.id))) continue;
    delete item[WEIGHTS_FIELD];
    out.push(o.id);
  }
  return out;
}

/** One line per array: a file of a million synapses stays a few lines long and diffs by projection. */
function storedText(s: StoredWeights, indent: string): string {
  const i = `${indent}  `;
  return `{\n${i}"pre": ${JSON.stringify(s.pre)},\n${i}"post": ${JSON.stringify(s.post)},\n${i}"w": ${JSON.stringify(s.w)}\n${indent}}`;
}

/** The text of a side file: stable (same content, same bytes), ids in insertion order. */
export function weightsFileText(file: WeightsFile): string {
  const group = (g: Readonly<Record<string, StoredWeights>>) => {
    const keys = Object.keys(g);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `    ${JSON.stringify(k)}: ${storedText(g[k], '    ')}`).join(',\n')}\n  }`;
  };
  return `{\n  "format": ${JSON.stringify(file.format)},\n  "version": ${file.version},\n  "nodes": ${group(file.nodes)},\n  "edges": ${group(file.edges)}\n}\n`;
}

/** The side file's default name for a document file: `net.spikeflow.json` → `net.weights.json`. */
export function sideFileNameFor(documentFileName: string | null, docName: string): string {
  const base = documentFileName ? documentFileName.replace(/^.*[\\/]/, '').replace(/(\.spikeflow)?\.json$/i, '') : docName.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'network';
  return `${base}.weights.json`;
}
