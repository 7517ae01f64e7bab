/**
 * Document ids: `<kind-prefix><n>` for nodes (`poisson1`, `lif2`, `mon1`) and
 * `e<n>` for edges. Ids are stored in files and shown to people, so they are
 * short and readable; they are never reused within a document while the old
 * one still exists.
 */
import type { NodeKind } from '../../engine/kinds/index.ts';
import type { GraphDocument } from '../../engine/format/document.ts';

/** The id prefix of a kind: monitors are `mon`, others the first word of the kind id. */
export function kindPrefix(kind: Pick<NodeKind, 'id' | 'category'>): string {
  if (kind.category === 'monitor') return 'mon';
  return kind.id.split('-')[0];
}

/**
 * The next free id with this prefix: one more than the highest `<prefix><n>` in use
 * (so a deleted id is not silently reused by the next node), looking at node and
 * edge ids alike.
 */
export function nextId(doc: Pick<GraphDocument, 'nodes' | 'edges'>, prefix: string): string {
  const used = new Set<string>();
  for (const n of doc.nodes) used.add(n.id);
  for (const e of doc.edges) used.add(e.id);
  let max = 0;
  const re = new RegExp(`^${escapeRegExp(prefix)}(\\d+)$`);
  for (const id of used) {
    const m = re.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  let n = max + 1;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
