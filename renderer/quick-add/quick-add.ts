/**
 * Quick-add as session state: where it was opened (screen and flow position), and for
 * what: the empty canvas, a wire dropped on empty canvas (only kinds whose ports accept
 * it, and the new node gets wired), or a wire to put a node on. Choosing an entry
 * places it and closes the search.
 */
import { createStore } from 'zustand/vanilla';
import type { Editor, XY } from '../store/editor.ts';
import { NODE_WIDTH } from '../canvas/constants.ts';
import { allEntries, entriesForInsert, entriesForWire, portFor } from './sources.ts';
import type { QuickAddEntry, WireEnd } from './sources.ts';

export interface QuickAddRequest {
  /** Client pixels where the search box opens. */
  readonly screen: XY;
  /** Flow position where the choice is placed. */
  readonly at: XY;
  readonly wire?: WireEnd;
  /** A wire to insert the choice on. */
  readonly insertOn?: string;
}

export const quickAddStore = createStore<{ request: QuickAddRequest | null }>()(() => ({ request: null }));

export function openQuickAdd(request: QuickAddRequest): void {
  quickAddStore.setState({ request });
}

export function closeQuickAdd(): void {
  quickAddStore.setState({ request: null });
}

/** What the search offers for this request. */
export function entriesFor(editor: Editor, request: QuickAddRequest): QuickAddEntry[] {
  const all = allEntries();
  if (request.wire) return entriesForWire(all, editor.doc, request.wire);
  if (request.insertOn) return entriesForInsert(all, editor.doc, request.insertOn);
  return all;
}

/** Place `entry` for `request` (wired, or on the wire); answers the new node's id. */
export function chooseEntry(editor: Editor, entry: QuickAddEntry, request: QuickAddRequest): string | null {
  closeQuickAdd();
  // The pointer marks the node's left edge for a wire from an output, its right edge for one into an input.
  const at = request.wire?.side === 'target' ? { x: request.at.x - NODE_WIDTH, y: request.at.y - 20 } : { x: request.at.x, y: request.at.y - 20 };
  if (request.insertOn && entry.kindId) return editor.insertOnWire(request.insertOn, entry.kindId, { x: request.at.x - NODE_WIDTH / 2, y: request.at.y - 20 });
  const wire = request.wire;
  const port = wire && entry.kindId ? portFor(editor.doc, entry.kindId, wire) : null;
  const id = entry.place(editor, wire ? at : { x: request.at.x - NODE_WIDTH / 2, y: request.at.y - 20 });
  if (id && wire && port) {
    if (wire.side === 'source') editor.connect({ node: wire.node, port: wire.port }, { node: id, port: port.id });
    else editor.connect({ node: id, port: port.id }, { node: wire.node, port: wire.port });
    editor.setSelection({ nodes: [id], edges: [] });
  }
  return id;
}
