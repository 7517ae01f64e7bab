/**
 * Loading a graph document: parse → check format and version → migrate → fill
 * defaults → validate. Like Excalidraw's `restore()`, loading fills what is
 * missing and keeps every field it does not know, so a file from a tool that
 * adds fields survives a load → save round trip.
 *
 * Defaults are filled before the per-field checks so that a kind's cross-field
 * `check` always sees complete params; filling never overwrites a value, and a
 * wrongly typed value is reported, not replaced.
 */
import { PROJECTION_PARAMS, getKind } from '../kinds/index.ts';
import type { ParamSpecs } from '../kinds/index.ts';
import { CURRENT_VERSION, FORMAT_ID } from './document.ts';
import type { DocIssue, GraphDocument } from './document.ts';
import { pointer } from './pointer.ts';
import { migrate } from './migrate.ts';
import { fillGroupDefaults } from './groups.ts';
import type { MigrationSet } from './migrate.ts';
import { parseJson } from '../core/parse-json.ts';
import { setOwn } from './serialize.ts';
import { checkDocument, showValue } from './validate.ts';

export { validateDocument, checkDocument, simulationSteps } from './validate.ts';
export type { DocCheck } from './validate.ts';
export { serializeDocument, canonicalDocument } from './serialize.ts';

/** Supplies "now" for `meta.created` / `meta.modified`; injectable for tests. */
export type Clock = () => Date;

const systemClock: Clock = () => new Date();

export interface LoadOptions {
  /** Used to fill a missing `meta.created` / `meta.modified`. */
  readonly clock?: Clock;
  /** Migrations to apply (tests only; defaults to the shipped list). */
  readonly migrations?: MigrationSet;
}

export type LoadResult =
  | { readonly ok: true; readonly doc: GraphDocument; readonly warnings: DocIssue[] }
  | {
      readonly ok: false;
      readonly issues: DocIssue[];
      /**
       * When every issue is a bad value (a param or a simulation setting) in an
       * otherwise sound document: that document, with defaults filled, for an
       * editor to open with the problems marked. Absent for broken structure.
       */
      readonly recoverable?: GraphDocument;
    };

/** Pointers of issues that are bad values, not broken structure. */
// Stored weights count as values: resizing a population can put them out of range, and the
// graph must still open (the editor can forget them).
const RECOVERABLE_POINTER = /^(\/nodes\/\d+)*\/(nodes|edges)\/\d+\/(params\/[^/]+|weights)|^\/simulation\/(dt_ms|duration_ms|seed)$/;

/** Simulation settings of a new document. */
export const DEFAULT_SIMULATION = { dt_ms: 0.1, duration_ms: 1000, seed: 1 } as const;

/** Where a node without a position goes: a grid, in document order, so nodes do not pile up. */
export function defaultPosition(index: number): { x: number; y: number } {
  return { x: 240 * (index % 4), y: 160 * Math.floor(index / 4) };
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function fillMissing(obj: Obj, key: string, value: () => unknown): void {
  if (!Object.hasOwn(obj, key)) setOwn(obj, key, value());
}

function fillParams(params: unknown, specs: ParamSpecs): void {
  if (!isObj(params)) return;
  for (const [name, spec] of Object.entries(specs)) {
    fillMissing(params, name, () => structuredCloneJson(spec.default));
  }
}

function structuredCloneJson<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Fill what a document may leave out: `meta` and its fields, `view`, each
 * node's `label`, `position` and missing params, each edge's `params`
 * (projection defaults on projection wires). Mutates `doc`; changes nothing
 * that is present, and skips whatever is too malformed to fill (the validator
 * reports it).
 */
export function fillDefaults(doc: Obj, clock: Clock = systemClock): void {
  let nowIso: string | undefined;
  const now = () => (nowIso ??= clock().toISOString());
  fillMissing(doc, 'meta', () => ({}));
  if (isObj(doc.meta)) {
    const meta = doc.meta;
    fillMissing(meta, 'name', () => 'Untitled');
    fillMissing(meta, 'description', () => '');
    fillMissing(meta, 'created', now);
    fillMissing(meta, 'modified', () => (typeof meta.created === 'string' ? meta.created : now()));
  }
  fillMissing(doc, 'view', () => ({}));
  if (Array.isArray(doc.nodes)) {
    doc.nodes.forEach((node: unknown, i) => {
      if (!isObj(node)) return;
      fillMissing(node, 'label', () => (typeof node.id === 'string' ? node.id : ''));
      fillMissing(node, 'position', () => defaultPosition(i));
      fillMissing(node, 'params', () => ({}));
      const kind = typeof node.kind === 'string' ? getKind(node.kind) : undefined;
      if (kind) fillParams(node.params, kind.params);
    });
  }
  if (Array.isArray(doc.edges)) {
    // The first node with an id wins, as in validation.
    const kindOf = new Map<string, string>();
    for (const n of Array.isArray(doc.nodes) ? doc.nodes : []) {
      if (isObj(n) && typeof n.id === 'string' && typeof n.kind === 'string' && !kindOf.has(n.id)) kindOf.set(n.id, n.kind);
    }
    for (const edge of doc.edges as unknown[]) {
      if (!isObj(edge)) continue;
      fillMissing(edge, 'params', () => ({}));
      const target = edge.target;
      if (isObj(target) && typeof target.node === 'string' && typeof target.port === 'string') {
        const port = getKind(kindOf.get(target.node) ?? '')?.inputs.find((p) => p.id === target.port);
        const source = edge.source;
        // A wire out of a plasticity node takes its projection params from the node.
        const fromPlasticity = isObj(source) && typeof source.node === 'string' && getKind(kindOf.get(source.node) ?? '')?.runtime.role === 'plasticity';
        if (port?.role === 'projection' && !fromPlasticity) fillParams(edge.params, PROJECTION_PARAMS);
      }
    }
  }
  // Inside groups (format v2): the same filling, over the flat graph of the group nodes' contents.
  fillGroupDefaults(doc, (flat) => fillDefaults(flat, clock));
}

/** Deepest nesting of objects and lists in a document (its own structure needs 6; the rest is room for unknown fields). */
export const MAX_DEPTH = 100;
/** Most nodes, and most edges, in a document. */
export const MAX_NODES = 10_000;
export const MAX_EDGES = 100_000;
/** Longest document text (a side file holds larger weights). */
export const MAX_DOCUMENT_CHARS = 256 * 2 ** 20;

/**
 * The first way `raw` passes the size limits (depth, node and edge counts),
 * or null. Iterative, so a hostile depth cannot overflow the stack here, and
 * nothing after loading (compile, save) ever meets one.
 */
function sizeProblem(raw: unknown): DocIssue | null {
  if (isObj(raw)) {
    for (const [key, max] of [
      ['nodes', MAX_NODES],
      ['edges', MAX_EDGES],
    ] as const) {
      const list = raw[key];
      if (Array.isArray(list) && list.length > max) {
        return { pointer: `/${key}`, field: key, message: `The document has ${list.length} ${key}; at most ${max} are allowed.` };
      }
    }
  }
  const stack: { value: unknown; path: string[] }[] = [{ value: raw, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) {
      const at = pointer(...path);
      return {
        pointer: at,
        message: `The document nests objects and lists more than ${MAX_DEPTH} levels deep (at ${at.length > 120 ? `${at.slice(0, 117)}…` : at}); a Spikeflow document never needs that.`,
      };
    }
    if (Array.isArray(value)) {
      // Lists of numbers (stored weights) are the large ones: nothing nested to walk.
      for (let i = value.length - 1; i >= 0; i--) if (value[i] !== null && typeof value[i] === 'object') stack.push({ value: value[i], path: [...path, String(i)] });
    } else for (const k of Object.keys(value)) stack.push({ value: (value as Obj)[k], path: [...path, k] });
  }
  return null;
}

/**
 * Read a document from file text. On success the document is complete
 * (defaults filled, unknown fields kept) and valid; warnings list what was
 * kept but ignored. On failure, the issues say what and where, one per
 * problem; syntax errors give a line and column.
 */
export function loadDocument(text: string, options: LoadOptions = {}): LoadResult {
  if (typeof text !== 'string') {
    return { ok: false, issues: [{ pointer: '', message: 'The file could not be read as text.' }] };
  }
  if (text.length > MAX_DOCUMENT_CHARS) {
    return {
      ok: false,
      issues: [
        {
          pointer: '',
          message: `The file is ${Math.round(text.length / 2 ** 20)} M characters long; a document has at most ${MAX_DOCUMENT_CHARS / 2 ** 20} M (keep large stored weights in a side file).`,
        },
      ],
    };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const message = text.trim() === '' ? 'The file is empty; a Spikeflow graph is a JSON object.' : `The file is not valid JSON: at line ${parsed.line}, column ${parsed.column}, ${parsed.message}.`;
    return { ok: false, issues: [{ pointer: '', message }] };
  }
  const raw = parsed.value;
  const tooBig = sizeProblem(raw);
  if (tooBig) return { ok: false, issues: [tooBig] };
  if (!isObj(raw)) {
    return { ok: false, issues: [{ pointer: '', message: `The file is not a Spikeflow graph: it holds ${showValue(raw)} where a JSON object is expected.` }] };
  }
  if (raw.format !== FORMAT_ID) {
    const got = raw.format === undefined ? 'it has no "format" field' : `its "format" is ${showValue(raw.format)}`;
    return { ok: false, issues: [{ pointer: '/format', field: 'format', message: `The file is not a Spikeflow graph: ${got}, not "${FORMAT_ID}".` }] };
  }
  const migrated = migrate(raw, options.migrations);
  if (!migrated.ok) return { ok: false, issues: [migrated.issue] };
  const doc = migrated.doc;
  fillDefaults(doc, options.clock);
  const { errors, warnings } = checkDocument(doc);
  if (errors.length > 0) {
    // Bad values in a sound structure (what Save writes when a field is invalid) can still be
    // opened, with the problems marked, so the user can fix them; a broken structure cannot.
    const valuesOnly = errors.every((e) => RECOVERABLE_POINTER.test(e.pointer));
    return valuesOnly ? { ok: false, issues: errors, recoverable: doc as GraphDocument } : { ok: false, issues: errors };
  }
  return { ok: true, doc: doc as GraphDocument, warnings };
}

export interface NewDocumentOptions {
  readonly clock?: Clock;
}

/** A valid, empty document: no nodes, dt 0.1 ms, 1000 ms, seed 1. */
export function newDocument(name = 'Untitled', options: NewDocumentOptions = {}): GraphDocument {
  const now = (options.clock ?? systemClock)().toISOString();
  return {
    format: FORMAT_ID,
    version: CURRENT_VERSION,
    meta: { name, description: '', created: now, modified: now },
    simulation: { ...DEFAULT_SIMULATION },
    nodes: [],
    edges: [],
    view: {},
  };
}
