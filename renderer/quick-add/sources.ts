/**
 * What quick-add can place: a list of sources, each a function that lists entries.
 * Node kinds are the built-in source; saved groups and motifs register their own
 * (`registerQuickAddSource`) and appear in the same search, ranked by the same fuzzy
 * match. An entry places itself and answers the node a wire should attach to.
 */
import { KINDS, getKind } from '../../engine/kinds/index.ts';
import type { PortSpec } from '../../engine/kinds/index.ts';
import type { DocNode, GraphDocument, PortRef } from '../../engine/format/document.ts';
import { connectionProblem } from '../../engine/format/connect.ts';
import { defaultParams } from '../../engine/kinds/index.ts';
import type { Editor, XY } from '../store/editor.ts';

export interface QuickAddEntry {
  /** Unique across sources, e.g. `kind:lif-curr-exp`. */
  readonly key: string;
  readonly label: string;
  /** One line under the label. */
  readonly detail: string;
  /** The section it is listed under (`Neurons`, `Motifs`, …). */
  readonly section: string;
  /** More words the search matches (ids, synonyms), after the label. */
  readonly keywords?: string;
  /** The node kind it adds, when it is one: the wire filter checks this kind's ports. */
  readonly kindId?: string;
  /** Add it with its top left at `at`; answers the id of the node wires attach to, or null. */
  place(editor: Editor, at: XY): string | null;
}

export interface QuickAddSource {
  readonly id: string;
  entries(): readonly QuickAddEntry[];
}

const SECTION: Record<string, string> = { input: 'Inputs', neuron: 'Neurons', plasticity: 'Plasticity', monitor: 'Monitors' };

function firstSentence(help: string): string {
  const m = /^[^.\n]*[.]?/.exec(help);
  return (m ? m[0] : help).trim();
}

/** Every registered node kind. */
export const KIND_SOURCE: QuickAddSource = {
  id: 'kinds',
  entries: () =>
    KINDS.map((k) => ({
      key: `kind:${k.id}`,
      label: k.label,
      detail: firstSentence(k.help),
      section: SECTION[k.category] ?? k.category,
      keywords: `${k.id} ${k.category}`,
      kindId: k.id,
      place: (editor, at) => editor.addNode(k.id, at),
    })),
};

const sources: QuickAddSource[] = [KIND_SOURCE];

/** Add a source (saved groups, motifs); returns a function that removes it again. */
export function registerQuickAddSource(source: QuickAddSource): () => void {
  const i = sources.findIndex((s) => s.id === source.id);
  if (i >= 0) sources.splice(i, 1, source);
  else sources.push(source);
  return () => {
    const j = sources.indexOf(source);
    if (j >= 0) sources.splice(j, 1);
  };
}

export function allEntries(): QuickAddEntry[] {
  return sources.flatMap((s) => s.entries());
}

/**
 * How well `query` matches `text` (higher is better; null = no match). Each query word
 * must match: as a word start (best), inside a word, or as letters in order
 * (`lce` → "LIF (conductance, exp…)"), the closer together the better.
 */
export function fuzzyScore(query: string, text: string, lettersInOrder = true): number | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const t = text.toLowerCase();
  let score = 0;
  for (const w of words) {
    const at = t.indexOf(w);
    if (at >= 0) {
      const wordStart = at === 0 || /[^a-z0-9]/.test(t[at - 1]);
      score += (wordStart ? 100 : 60) - Math.min(at, 30);
      continue;
    }
    if (!lettersInOrder) return null;
    // Letters in order.
    let pos = -1;
    let first = -1;
    for (const ch of w) {
      pos = t.indexOf(ch, pos + 1);
      if (pos < 0) return null;
      if (first < 0) first = pos;
    }
    score += Math.max(1, 40 - (pos - first - w.length) - Math.min(first, 20));
  }
  return score;
}

/** The entries matching `query`, best first (ties keep the list order); all of them for an empty query. */
export function searchEntries(entries: readonly QuickAddEntry[], query: string): QuickAddEntry[] {
  if (query.trim() === '') return [...entries];
  const scored: { e: QuickAddEntry; s: number; i: number }[] = [];
  entries.forEach((e, i) => {
    // The label counts most; the keywords and detail help when it does not match, by
    // whole words only (letters in order across a sentence would match almost anything).
    const label = fuzzyScore(query, e.label);
    const other = label === null ? fuzzyScore(query, `${e.keywords ?? ''} ${e.detail}`, false) : null;
    const s = label !== null ? label + 1000 : other;
    if (s !== null) scored.push({ e, s, i });
  });
  return scored.sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.e);
}

/** The end of a wire dragged onto empty canvas: its node and port, and which side it is. */
export interface WireEnd {
  readonly node: string;
  readonly port: string;
  /** `source`: the drag began at an output, so the new node needs an input. */
  readonly side: 'source' | 'target';
}

const PROBE = '__quick_add_probe__';

/** The port of `kindId` that accepts a wire from (or to) `end`, or null. */
export function portFor(doc: GraphDocument, kindId: string, end: WireEnd): PortSpec | null {
  const kind = getKind(kindId);
  if (!kind) return null;
  const probe: DocNode = { id: PROBE, kind: kind.id, label: PROBE, position: { x: 0, y: 0 }, params: defaultParams(kind.params) };
  const withProbe: GraphDocument = { ...doc, nodes: [...doc.nodes, probe] };
  const from: PortRef = { node: end.node, port: end.port };
  if (end.side === 'source') return kind.inputs.find((p) => connectionProblem(withProbe, from, { node: PROBE, port: p.id }) === null) ?? null;
  return kind.outputs.find((p) => connectionProblem(withProbe, { node: PROBE, port: p.id }, from) === null) ?? null;
}

/** Entries whose kind has a port that accepts the wire (entries that are not kinds are left out). */
export function entriesForWire(entries: readonly QuickAddEntry[], doc: GraphDocument, end: WireEnd): QuickAddEntry[] {
  return entries.filter((e) => e.kindId !== undefined && portFor(doc, e.kindId, end) !== null);
}

/** Entries that can sit on a wire (take its source in and feed its target). */
export function entriesForInsert(entries: readonly QuickAddEntry[], doc: GraphDocument, edgeId: string): QuickAddEntry[] {
  const e = doc.edges.find((x) => x.id === edgeId);
  if (!e) return [];
  // The wire goes away, so its ports count as free.
  const without: GraphDocument = { ...doc, edges: doc.edges.filter((x) => x.id !== edgeId) };
  return entries.filter(
    (x) =>
      x.kindId !== undefined &&
      portFor(without, x.kindId, { node: e.source.node, port: e.source.port, side: 'source' }) !== null &&
      portFor(without, x.kindId, { node: e.target.node, port: e.target.port, side: 'target' }) !== null,
  );
}
