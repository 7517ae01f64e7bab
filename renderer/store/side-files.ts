/**
 * The side files a document references, with who references each (for the browser's
 * "pick the files this document needs" prompt, renderer/platform/side-file-prompt.ts).
 * Today the only side files are stored weights (`"weights": {"file": …}` on a projection
 * wire or a plasticity node, engine/format/weights.ts); per-neuron parameters are always
 * inline lists, and dataset files are chosen in the dataset node's own field. Pure.
 */
import type { GraphDocument } from '../../engine/format/document.ts';
import { flattenDocument } from '../../engine/format/groups.ts';
import { WEIGHTS_FIELD, projectionOwners, sideWeightFiles, weightsFileOf } from '../../engine/format/weights.ts';

/** One file the document needs, and each owner that names it (`Wire "e3"`, `Node "stdp"`) with the field. */
export interface SideFileNeed {
  readonly file: string;
  readonly users: readonly { readonly who: string; readonly id: string; readonly field: string }[];
}

/** The side files `doc` references (each once, in document order), with who references them. */
export function sideFileNeeds(doc: GraphDocument): SideFileNeed[] {
  const names = sideWeightFiles(doc);
  if (names.length === 0) return [];
  const flat = flattenDocument(doc).doc;
  const out = names.map((file) => ({ file, users: [] as { who: string; id: string; field: string }[] }));
  for (const o of projectionOwners(flat)) {
    const item = (o.where === 'nodes' ? flat.nodes : flat.edges)[o.index] as Record<string, unknown>;
    const file = weightsFileOf(item);
    const need = out.find((n) => n.file === file);
    if (need) need.users.push({ who: o.where === 'nodes' ? `Node "${o.id}"` : `Wire "${o.id}"`, id: o.id, field: `${WEIGHTS_FIELD}.file` });
  }
  return out;
}

/** The last part of a path: what a picked file's name must be (a browser gives names only). */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Match picked files to the needed ones by name (case-sensitive, as the document spells
 * it). Answers which need each picked file fills, and the picked names that match none.
 */
export function matchPicked<F extends { readonly name: string }>(needs: readonly SideFileNeed[], picked: readonly F[]): { matched: Map<string, F>; unmatched: string[] } {
  const matched = new Map<string, F>();
  const unmatched: string[] = [];
  for (const f of picked) {
    const need = needs.find((n) => baseName(n.file) === f.name);
    if (need) matched.set(need.file, f);
    else unmatched.push(f.name);
  }
  return { matched, unmatched };
}
