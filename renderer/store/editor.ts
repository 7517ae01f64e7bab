/**
 * The editor: the one place the open document changes.
 *
 * A plain TypeScript object around a zustand vanilla store, so it can be driven
 * headless (tests, scripts) exactly as the UI drives it — like tldraw's
 * `TestEditor`. React reads it through `useEditorState` (EditorContext.tsx).
 *
 * Undo capture policy (after Excalidraw's, made explicit):
 * - **record**: every named command (`addNode`, `connect`, `setParam`, …) runs as an
 *   immer `produceWithPatches` recipe; history keeps `{label, patches, inversePatches}`.
 *   Consecutive edits of one field in one focus session share a `mergeKey` and
 *   collapse into one entry (typing "250" is one undo step, not three).
 * - **eventually**: a node drag updates positions live without history
 *   (`dragNodes`) and records one entry when it ends (`endDrag`).
 * - **never**: loading a file (`load`) and updates from the engine (`applyUnrecorded`).
 *
 * Session state (selection, file, run state, notices) sits beside the document in
 * the same store but is never part of it and never recorded.
 */
import { applyPatches, enablePatches, produce, produceWithPatches } from 'immer';
import type { Draft, Patch } from 'immer';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { DocEdge, DocNode, GraphDocument, PortRef } from '../../engine/format/document.ts';
import { newDocument } from '../../engine/format/load.ts';
import { connectionProblem, defaultEdgeParams, secondReceptor } from '../../engine/format/connect.ts';
import { defaultParams, getKind } from '../../engine/kinds/index.ts';
import type { PortRole } from '../../engine/kinds/index.ts';
import { clearWeights, storeWeights } from '../../engine/format/weights.ts';
import type { ProjectionWeights } from '../../engine/format/weights.ts';
import { kindPrefix, nextId } from './ids.ts';
import { freshGroupContents, levelWithAllIds, rootDraft, idSpace, levelConnectionProblem, levelView, scopedDraft, validPath, wiringOf } from '../groups/level.ts';
import { copyFragment, placeFragment } from './clipboard.ts';
import type { Fragment } from './clipboard.ts';
import { alignPositions, distributePositions, estimateSize, freeOffset, rectOf } from '../layout/placement.ts';
import type { Align, SizeOf } from '../layout/placement.ts';
import { INITIAL_RUN_STATE } from './run-state.ts';
import type { RunState } from './run-state.ts';

enablePatches();

/** One undoable step. `token` identifies the document state it leads to (for the dirty flag). */
export interface HistoryEntry {
  readonly label: string;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly token: number;
  readonly mergeKey?: string;
}

export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

export const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

/** Where the document lives: `path` in Electron, null when never saved or in a browser. */
export interface FileInfo {
  readonly path: string | null;
  readonly fileName: string | null;
}

/** A one-line message for the status bar. */
export interface Notice {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** Why a file could not be opened: shown as a banner; the open document is untouched. */
export interface LoadErrorReport {
  readonly source: string;
  readonly messages: readonly string[];
  /** The file's document when only values are wrong: it can be opened with them marked. */
  readonly recoverable?: { readonly doc: GraphDocument; readonly as: FileInfo };
}

export interface EditorState {
  readonly doc: GraphDocument;
  readonly past: readonly HistoryEntry[];
  readonly future: readonly HistoryEntry[];
  /** Token of the top history entry when last saved or loaded; 0 is the empty history. */
  readonly savedToken: number;
  /** Bumps whenever a different document is loaded or created (results then belong to an old graph). */
  readonly docEpoch: number;
  readonly file: FileInfo;
  readonly selection: Selection;
  readonly notice: Notice | null;
  readonly loadErrors: LoadErrorReport | null;
  readonly run: RunState;
  /** The groups entered, outermost first (renderer/groups): commands act on that level. Session state. */
  readonly groupPath: readonly string[];
}

export interface EditOptions {
  /** Edits with the same key, one right after the other, become one history entry. */
  readonly mergeKey?: string;
}

export type ConnectResult = { readonly ok: true; readonly edgeId: string } | { readonly ok: false; readonly problem: string };

export type XY = { readonly x: number; readonly y: number };

/** Past this many steps the oldest ones are forgotten. */
export const HISTORY_LIMIT = 500;

/** Whether the document differs from what was last saved or loaded. */
export function selectDirty(s: EditorState): boolean {
  return topToken(s) !== s.savedToken;
}

export function selectCanUndo(s: EditorState): boolean {
  return s.past.length > 0;
}

export function selectCanRedo(s: EditorState): boolean {
  return s.future.length > 0;
}

function topToken(s: Pick<EditorState, 'past'>): number {
  return s.past.length ? s.past[s.past.length - 1].token : 0;
}

/** The role of the input port a wire would enter, or undefined when the port is unknown. */
export function targetRole(doc: GraphDocument, target: PortRef): PortRole | undefined {
  const node = doc.nodes.find((n) => n.id === target.node);
  const kind = node && getKind(node.kind);
  return kind?.inputs.find((p) => p.id === target.port)?.role;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class Editor {
  readonly store: StoreApi<EditorState>;
  private tokens = 0;
  /** Positions of the nodes being dragged, as they were when the drag began. */
  private dragOrigin: Map<string, XY> | null = null;
  /** A node's size on the canvas (the canvas sets this to its measured sizes). */
  sizeOf: SizeOf = estimateSize;

  constructor(doc: GraphDocument = newDocument()) {
    this.store = createStore<EditorState>()(() => ({
      doc,
      past: [],
      future: [],
      savedToken: 0,
      docEpoch: 0,
      file: { path: null, fileName: null },
      selection: EMPTY_SELECTION,
      notice: null,
      loadErrors: null,
      run: INITIAL_RUN_STATE,
      groupPath: [],
    }));
  }

  get state(): EditorState {
    return this.store.getState();
  }

  get doc(): GraphDocument {
    return this.store.getState().doc;
  }

  /** The level commands act on: the document, or the inside of the group entered (renderer/groups). */
  get view(): GraphDocument {
    return levelView(this.doc, this.state.groupPath);
  }

  get dirty(): boolean {
    return selectDirty(this.state);
  }

  private set(partial: Partial<EditorState>): void {
    this.store.setState(partial);
  }

  // ---------------------------------------------------------------- history core

  /**
   * Run a named, recorded edit. Returns false when the recipe changed nothing (no
   * history entry is made then).
   */
  edit(label: string, recipe: (draft: Draft<GraphDocument>) => void, options: EditOptions = {}): boolean {
    const s = this.state;
    // A recipe must not return a value: immer would take it as the new document.
    const [next, patches, inversePatches] = produceWithPatches(s.doc, (d) => {
      recipe(scopedDraft(d, s.groupPath));
    });
    if (patches.length === 0) return false;
    const token = ++this.tokens;
    const top = s.past[s.past.length - 1];
    let past: HistoryEntry[];
    if (options.mergeKey !== undefined && top?.mergeKey === options.mergeKey && s.future.length === 0) {
      // A fresh token: if the document was saved between the two edits, it is dirty again.
      const same = sameReplacements(top.patches, patches);
      const merged: HistoryEntry = {
        label: top.label,
        // Typing into one field replaces the same value again and again: keep only the
        // last value and the first inverse, so a long text typed key by key is not
        // stored once per key.
        patches: same ? patches : [...top.patches, ...patches],
        inversePatches: same ? top.inversePatches : [...inversePatches, ...top.inversePatches],
        token,
        mergeKey: options.mergeKey,
      };
      past = [...s.past.slice(0, -1), merged];
    } else {
      past = [...s.past, { label, patches, inversePatches, token, mergeKey: options.mergeKey }];
    }
    if (past.length > HISTORY_LIMIT) past = past.slice(past.length - HISTORY_LIMIT);
    // A new edit makes an old status message (e.g. a refused wire) stale.
    const groupPath = validPath(next, s.groupPath);
    this.set({ doc: next, past, future: [], selection: pruneSelection(s.selection, levelView(next, groupPath)), notice: null, groupPath });
    return true;
  }

  /** Change the document without recording it (engine updates, e.g. learned weights). */
  applyUnrecorded(recipe: (draft: Draft<GraphDocument>) => void): void {
    this.set({
      doc: produce(this.doc, (d) => {
        recipe(d);
      }),
    });
  }

  /** Stop merging further edits into the last history entry (e.g. when a field loses focus). */
  sealHistory(): void {
    const s = this.state;
    const top = s.past[s.past.length - 1];
    if (top?.mergeKey === undefined) return;
    const { mergeKey: _drop, ...sealed } = top;
    this.set({ past: [...s.past.slice(0, -1), sealed] });
  }

  undo(): string | null {
    this.endDrag();
    const s = this.state;
    const entry = s.past[s.past.length - 1];
    if (!entry) return null;
    const doc = applyPatches(s.doc, entry.inversePatches);
    const groupPath = validPath(doc, s.groupPath);
    this.set({
      doc,
      groupPath,
      past: s.past.slice(0, -1),
      future: [...s.future, entry],
      selection: pruneSelection(s.selection, levelView(doc, groupPath)),
      notice: { level: 'info', text: `Undid: ${entry.label}` },
    });
    return entry.label;
  }

  redo(): string | null {
    this.endDrag();
    const s = this.state;
    const entry = s.future[s.future.length - 1];
    if (!entry) return null;
    const doc = applyPatches(s.doc, entry.patches);
    const groupPath = validPath(doc, s.groupPath);
    this.set({
      doc,
      groupPath,
      past: [...s.past, entry],
      future: s.future.slice(0, -1),
      selection: pruneSelection(s.selection, levelView(doc, groupPath)),
      notice: { level: 'info', text: `Redid: ${entry.label}` },
    });
    return entry.label;
  }

  // ---------------------------------------------------------------- documents and files

  /** Replace the document (open a file, an example, or New). Not recorded; history restarts. */
  load(doc: GraphDocument, file: FileInfo = { path: null, fileName: null }): void {
    this.dragOrigin = null;
    const s = this.state;
    this.set({
      doc,
      past: [],
      future: [],
      savedToken: 0,
      docEpoch: s.docEpoch + 1,
      file,
      selection: EMPTY_SELECTION,
      loadErrors: null,
      notice: null,
      run: { ...INITIAL_RUN_STATE, engine: s.run.engine },
      groupPath: [],
    });
  }

  /**
   * Load a document recovered from the autosave journal: like `load`, but marked
   * unsaved (it was never saved in this form), so Save and the close guard apply.
   */
  restore(doc: GraphDocument, file: FileInfo): void {
    this.load(doc, file);
    this.set({ savedToken: -1 });
  }

  /** Start a new, empty document. */
  newDocument(name?: string): void {
    this.load(newDocument(name));
  }

  /** The document was written: it is clean now, and lives at `file`. */
  markSaved(file?: FileInfo): void {
    const s = this.state;
    this.set({ savedToken: topToken(s), file: file ?? s.file });
  }

  showLoadErrors(report: LoadErrorReport | null): void {
    this.set({ loadErrors: report });
  }

  /** Show the inside of a group (a path of group ids, outermost first; [] is the top). Not recorded. */
  setGroupPath(path: readonly string[]): void {
    const groupPath = validPath(this.doc, path);
    this.endDrag();
    this.set({ groupPath, selection: EMPTY_SELECTION });
  }

  setNotice(notice: Notice | null): void {
    this.set({ notice });
  }

  setSelection(selection: Selection): void {
    const s = this.state;
    if (sameIds(s.selection.nodes, selection.nodes) && sameIds(s.selection.edges, selection.edges)) return;
    this.set({ selection });
  }

  /** Update run state (the run controller's only way in). */
  setRun(update: Partial<RunState> | ((run: RunState) => Partial<RunState>)): void {
    const run = this.state.run;
    const patch = typeof update === 'function' ? update(run) : update;
    this.set({ run: { ...run, ...patch } });
  }

  // ---------------------------------------------------------------- commands

  /**
   * The shift that keeps `added` (nodes about to be added, or moved as a block) off
   * every other node, so a new node never lands on top of an existing one.
   */
  private clearOf(added: readonly DocNode[]): XY {
    const ids = new Set(added.map((n) => n.id));
    const others = this.view.nodes.filter((n) => !ids.has(n.id)).map((n) => rectOf(n, this.sizeOf));
    return freeOffset(
      others,
      added.map((n) => rectOf(n, this.sizeOf)),
    );
  }

  /** Add a node of `kindId` at `position` (flow coordinates), select it, and return its id. */
  addNode(kindId: string, position: XY): string {
    const kind = getKind(kindId);
    if (!kind) throw new Error(`Unknown node kind "${kindId}"`);
    const id = nextId(idSpace(this.doc), kindPrefix(kind));
    const node: DocNode = {
      id,
      kind: kind.id,
      label: id,
      position: { x: Math.round(position.x), y: Math.round(position.y) },
      params: defaultParams(kind.params),
    };
    const shift = this.clearOf([node]);
    node.position = { x: node.position.x + shift.x, y: node.position.y + shift.y };
    this.edit(`Add ${kind.label}`, (d) => {
      d.nodes.push(node);
    });
    this.set({ selection: { nodes: [id], edges: [] } });
    return id;
  }

  /**
   * Wire `source` (an output port) to `target` (an input port). A wire that makes no
   * sense is refused with the reason; a new projection gets the default params.
   */
  connect(source: PortRef, target: PortRef): ConnectResult {
    const doc = this.view;
    const problem = levelConnectionProblem(doc, source, target);
    if (problem !== null) {
      this.setNotice({ level: 'error', text: `Cannot connect: ${problem}` });
      return { ok: false, problem };
    }
    // Group ports stand for inner ports: roles and defaults come from those (renderer/groups).
    const w = wiringOf(doc, source, target);
    const role = targetRole(w.doc, w.target);
    const id = nextId(idSpace(this.doc), 'e');
    const edge: DocEdge = {
      id,
      source: { node: source.node, port: source.port },
      target: { node: target.node, port: target.port },
      // A wire out of a plasticity node carries no params: the node holds them.
      params: role ? defaultEdgeParams(role, w.doc.nodes.find((n) => n.id === w.source.node)?.kind) : {},
    };
    // A second projection between the same ports takes the receptor the first leaves free.
    const same = doc.edges.some((e) => e.source.node === source.node && e.source.port === source.port && e.target.node === target.node && e.target.port === target.port);
    const free = same ? secondReceptor(w.doc, w.source, w.target) : null;
    if (free !== null) edge.params.receptor = free;
    this.edit(role === 'projection' ? 'Add projection' : 'Connect', (d) => {
      d.edges.push(edge);
    });
    this.set({ selection: { nodes: [], edges: [id] }, notice: null });
    return { ok: true, edgeId: id };
  }

  setParam(nodeId: string, name: string, value: unknown, options?: EditOptions): void {
    const node = this.view.nodes.find((n) => n.id === nodeId);
    if (!node) return;
    const spec = getKind(node.kind)?.params[name];
    this.edit(
      `Edit ${node.label} ${spec?.label ?? name}`,
      (d) => {
        const dn = d.nodes.find((n) => n.id === nodeId);
        if (dn) dn.params[name] = structuredClone(value);
      },
      options,
    );
  }

  /**
   * Set several params of one node as one history entry (a preset, an import).
   * `label` names the entry, e.g. `Apply preset Bursting to adex1`.
   */
  setParams(nodeId: string, values: Readonly<Record<string, unknown>>, label: string, options?: EditOptions): boolean {
    if (!this.view.nodes.some((n) => n.id === nodeId)) return false;
    return this.edit(
      label,
      (d) => {
        const dn = d.nodes.find((n) => n.id === nodeId);
        if (!dn) return;
        for (const [name, value] of Object.entries(values)) dn.params[name] = structuredClone(value);
      },
      options,
    );
  }

  setNodeLabel(nodeId: string, label: string, options?: EditOptions): void {
    this.edit(
      `Rename ${nodeId}`,
      (d) => {
        const dn = d.nodes.find((n) => n.id === nodeId);
        if (dn) dn.label = label;
      },
      options,
    );
  }

  setEdgeParam(edgeId: string, name: string, value: unknown, options?: EditOptions): void {
    this.edit(
      `Edit wire ${edgeId} ${name}`,
      (d) => {
        const de = d.edges.find((e) => e.id === edgeId);
        if (de) de.params[name] = structuredClone(value);
      },
      options,
    );
  }

  setMeta(field: 'name' | 'description', value: string, options?: EditOptions): void {
    this.edit(
      field === 'name' ? 'Rename document' : 'Edit description',
      (d) => {
        d.meta[field] = value;
      },
      options,
    );
  }

  setSimulation(field: 'dt_ms' | 'duration_ms' | 'seed', value: number, options?: EditOptions): void {
    this.edit(
      `Edit simulation ${field}`,
      (d) => {
        d.simulation[field] = value;
      },
      options,
    );
  }

  /** Turn same-step delivery (the document's step order, engine/sim/schedule.ts) on or off; off removes the field. */
  setSameStepDelivery(on: boolean): void {
    this.edit(on ? 'Turn on same-step delivery' : 'Turn off same-step delivery', (d) => {
      if (on) d.simulation.same_step_delivery = true;
      else delete d.simulation.same_step_delivery;
    });
  }

  /**
   * Keep a run's learned weights in the document (engine/format/weights.ts): inline in
   * each projection's `weights` field, or as references to the side file `form.file`
   * (the caller writes that file). One undo step. Returns the node and wire ids stored,
   * and those no longer in the document.
   */
  storeLearnedWeights(weights: readonly ProjectionWeights[], form: 'inline' | { readonly file: string }): { stored: string[]; missing: string[] } {
    let result: { stored: string[]; missing: string[] } = { stored: [], missing: [] };
    this.edit(form === 'inline' ? 'Keep learned weights in the document' : `Save learned weights to ${form.file}`, (d) => {
      // Stored weights belong to their owners wherever they sit, not only in the group shown.
      const r = storeWeights(rootDraft(d) as GraphDocument, weights, form);
      result = { stored: r.stored, missing: r.missing };
    });
    return result;
  }

  /** Drop stored weights (all, or of the given node and wire ids), so connectivity is drawn again. One undo step. */
  forgetStoredWeights(ids?: readonly string[]): string[] {
    let cleared: string[] = [];
    this.edit('Forget stored weights', (d) => {
      cleared = clearWeights(rootDraft(d) as GraphDocument, ids);
    });
    return cleared;
  }

  /** Move nodes as one recorded step (keyboard nudges, layout, scripts). */
  moveNodes(positions: Readonly<Record<string, XY>>, label?: string): boolean {
    const n = Object.keys(positions).length;
    return this.edit(label ?? (n === 1 ? 'Move node' : `Move ${plural(n, 'node')}`), (d) => setPositions(d, positions));
  }

  /**
   * Apply laid-out positions (auto-layout) as one history entry. When only some nodes
   * were laid out, the block moves clear of the others.
   */
  applyLayout(positions: Readonly<Record<string, XY>>, label = 'Auto-layout'): boolean {
    const ids = new Set(Object.keys(positions));
    if (ids.size === 0) return false;
    const moved = this.view.nodes.filter((n) => ids.has(n.id)).map((n) => ({ ...n, position: positions[n.id] }));
    const shift = ids.size < this.view.nodes.length ? this.clearOf(moved) : { x: 0, y: 0 };
    const final: Record<string, XY> = {};
    for (const n of moved) final[n.id] = { x: n.position.x + shift.x, y: n.position.y + shift.y };
    return this.moveNodes(final, label);
  }

  /** Line the selected nodes up (two or more), as one history entry. */
  alignSelection(how: Align): boolean {
    const nodes = this.view.nodes.filter((n) => this.state.selection.nodes.includes(n.id));
    if (nodes.length < 2) return false;
    return this.moveNodes(alignPositions(nodes, how, this.sizeOf), `Align ${plural(nodes.length, 'node')} ${how}`);
  }

  /** Equal gaps between the selected nodes (three or more), as one history entry. */
  distributeSelection(axis: 'horizontal' | 'vertical'): boolean {
    const nodes = this.view.nodes.filter((n) => this.state.selection.nodes.includes(n.id));
    if (nodes.length < 3) return false;
    return this.moveNodes(distributePositions(nodes, axis, this.sizeOf), `Distribute ${plural(nodes.length, 'node')} ${axis}ly`);
  }

  /** Live positions during a drag: shown at once, recorded only by `endDrag`. */
  dragNodes(positions: Readonly<Record<string, XY>>): void {
    const origin = (this.dragOrigin ??= new Map());
    for (const node of this.view.nodes) {
      if (positions[node.id] && !origin.has(node.id)) origin.set(node.id, node.position);
    }
    this.applyUnrecorded((d) => setPositions(scopedDraft(d, this.state.groupPath), positions));
  }

  /** The drag is over: record the whole move as one history entry (none if nothing moved). */
  endDrag(): void {
    const origin = this.dragOrigin;
    if (!origin) return;
    this.dragOrigin = null;
    const finals: Record<string, XY> = {};
    for (const node of this.view.nodes) if (origin.has(node.id)) finals[node.id] = node.position;
    // Put the nodes back where they started, unrecorded, then record the move from there,
    // so the entry's inverse patches restore the start positions exactly.
    this.applyUnrecorded((d) => setPositions(scopedDraft(d, this.state.groupPath), Object.fromEntries(origin)));
    this.moveNodes(finals);
  }

  /** Delete nodes and edges; wires attached to a deleted node go too. One history entry. */
  deleteElements(nodeIds: readonly string[], edgeIds: readonly string[] = []): void {
    const nodes = new Set(nodeIds.filter((id) => this.view.nodes.some((n) => n.id === id)));
    const edges = new Set(edgeIds);
    for (const e of this.view.edges) if (nodes.has(e.source.node) || nodes.has(e.target.node)) edges.add(e.id);
    const nEdges = this.view.edges.filter((e) => edges.has(e.id)).length;
    if (nodes.size === 0 && nEdges === 0) return;
    const what = [nodes.size ? plural(nodes.size, 'node') : '', nEdges ? plural(nEdges, 'wire') : ''].filter(Boolean).join(' and ');
    this.edit(`Delete ${what}`, (d) => {
      d.nodes = d.nodes.filter((n) => !nodes.has(n.id));
      d.edges = d.edges.filter((e) => !edges.has(e.id));
    });
  }

  deleteSelection(): void {
    const { nodes, edges } = this.state.selection;
    this.deleteElements(nodes, edges);
  }

  /** Remove every wire into or out of these nodes, as one history entry. */
  disconnect(nodeIds: readonly string[]): number {
    const ids = new Set(nodeIds);
    const gone = this.doc.edges.filter((e) => ids.has(e.source.node) || ids.has(e.target.node)).map((e) => e.id);
    if (gone.length === 0) return 0;
    const set = new Set(gone);
    this.edit(`Disconnect ${plural(gone.length, 'wire')}`, (d) => {
      d.edges = d.edges.filter((e) => !set.has(e.id));
    });
    return gone.length;
  }

  /** Put every parameter of these nodes back to its kind's default, as one history entry. */
  resetParams(nodeIds: readonly string[]): boolean {
    const ids = new Set(nodeIds);
    return this.edit(ids.size === 1 ? `Reset ${[...ids][0]} to defaults` : `Reset ${plural(ids.size, 'node')} to defaults`, (d) => {
      for (const dn of d.nodes) {
        const kind = ids.has(dn.id) ? getKind(dn.kind) : undefined;
        if (!kind) continue;
        const defaults = defaultParams(kind.params);
        for (const [name, value] of Object.entries(defaults)) {
          if (JSON.stringify(dn.params[name]) !== JSON.stringify(value)) dn.params[name] = structuredClone(value);
        }
      }
    });
  }

  /** Why a wire cannot run the other way (same port names, ends swapped), or null when it can. */
  reverseProblem(edgeId: string): string | null {
    const e = this.view.edges.find((x) => x.id === edgeId);
    if (!e) return 'There is no such wire.';
    const source = { node: e.target.node, port: e.source.port };
    const target = { node: e.source.node, port: e.target.port };
    return connectionProblem(this.view, source, target, { ignoreEdge: edgeId });
  }

  /** Swap a wire's ends, keeping its params (a projection stays a projection). One history entry. */
  reverseWire(edgeId: string): boolean {
    const problem = this.reverseProblem(edgeId);
    if (problem !== null) {
      this.setNotice({ level: 'error', text: `Cannot reverse ${edgeId}: ${problem}` });
      return false;
    }
    return this.edit(`Reverse wire ${edgeId}`, (d) => {
      const de = d.edges.find((x) => x.id === edgeId);
      if (!de) return;
      const from = de.source.node;
      de.source.node = de.target.node;
      de.target.node = from;
    });
  }

  /**
   * Put a new node of `kindId` on a wire: the wire is replaced by source → new node →
   * target, through the first ports that accept each half. One history entry. Returns
   * the node id, or null (and a notice) when the kind cannot sit there.
   */
  insertOnWire(edgeId: string, kindId: string, position: XY): string | null {
    const doc = this.view;
    const e = doc.edges.find((x) => x.id === edgeId);
    const kind = getKind(kindId);
    if (!e || !kind) return null;
    const id = nextId(doc, kindPrefix(kind));
    const node: DocNode = { id, kind: kind.id, label: id, position: { x: Math.round(position.x), y: Math.round(position.y) }, params: defaultParams(kind.params) };
    const shift = this.clearOf([node]);
    node.position = { x: node.position.x + shift.x, y: node.position.y + shift.y };
    const without = { ...doc, nodes: [...doc.nodes, node], edges: doc.edges.filter((x) => x.id !== edgeId) };
    const inPort = kind.inputs.find((p) => connectionProblem(without, e.source, { node: id, port: p.id }) === null);
    const outPort = kind.outputs.find((p) => connectionProblem(without, { node: id, port: p.id }, e.target) === null);
    if (!inPort || !outPort) {
      this.setNotice({ level: 'error', text: `A ${kind.label} cannot go on wire ${edgeId}: its ports do not accept both halves.` });
      return null;
    }
    const firstId = nextId(without, 'e');
    const first: DocEdge = {
      id: firstId,
      source: { ...e.source },
      target: { node: id, port: inPort.id },
      params: inPort.role ? defaultEdgeParams(inPort.role, doc.nodes.find((n) => n.id === e.source.node)?.kind) : {},
    };
    const second: DocEdge = {
      id: nextId({ nodes: without.nodes, edges: [...without.edges, first] }, 'e'),
      source: { node: id, port: outPort.id },
      target: { ...e.target },
      // The downstream half keeps the old wire's params (its weight, rule, delay), unless
      // it now leaves a plasticity node, which holds them itself.
      params: kind.runtime.role === 'plasticity' ? {} : structuredClone(e.params),
    };
    this.edit(`Insert ${kind.label} on ${edgeId}`, (d) => {
      d.nodes.push(node);
      d.edges = d.edges.filter((x) => x.id !== edgeId);
      d.edges.push(first, second);
    });
    this.set({ selection: { nodes: [id], edges: [] } });
    return id;
  }

  /** Select every node and wire (session state). */
  selectAll(): void {
    this.setSelection({ nodes: this.view.nodes.map((n) => n.id), edges: this.view.edges.map((e) => e.id) });
  }

  /** The selected nodes and the wires between them, for the clipboard (null when no node is selected). */
  copySelection(): Fragment | null {
    const { nodes } = this.state.selection;
    return nodes.length ? copyFragment(this.view, nodes) : null;
  }

  /**
   * Paste a fragment (renderer/store/clipboard.ts) with its top left corner at `at`:
   * fresh ids, wires inside the fragment kept, one history entry; the pasted nodes
   * become the selection. Returns the new node ids.
   */
  paste(fragment: Fragment, at: XY, label = 'Paste'): string[] {
    if (fragment.nodes.length === 0) return [];
    const base = levelWithAllIds(this.doc, this.state.groupPath);
    const first = placeFragment(base, fragment, at);
    // The pasted block moves as one until it covers no existing node.
    const shift = this.clearOf(first.nodes);
    const fragmentPlaced = shift.x === 0 && shift.y === 0 ? first : placeFragment(base, fragment, { x: at.x + shift.x, y: at.y + shift.y });
    // A pasted group's contents get fresh ids too: ids are unique document-wide (renderer/groups).
    const placed = { ...fragmentPlaced, nodes: freshGroupContents(fragmentPlaced.nodes, this.doc) };
    this.edit(`${label} ${plural(placed.nodes.length, 'node')}`, (d) => {
      d.nodes.push(...placed.nodes);
      d.edges.push(...placed.edges);
    });
    this.set({ selection: { nodes: placed.nodes.map((n) => n.id), edges: placed.edges.map((e) => e.id) } });
    if (placed.refused > 0)
      this.setNotice({
        level: 'warning',
        text: `Pasted ${plural(placed.nodes.length, 'node')}; ${plural(placed.refused, 'wire')} left out (the ports here refuse ${placed.refused === 1 ? 'it' : 'them'}).`,
      });
    return placed.nodes.map((n) => n.id);
  }

  /** Copy the selected nodes beside themselves (offset by `offset`), as one history entry. */
  duplicateSelection(offset: XY = { x: 40, y: 40 }): string[] {
    const fragment = this.copySelection();
    if (!fragment) return [];
    const minX = Math.min(...fragment.nodes.map((n) => n.position.x));
    const minY = Math.min(...fragment.nodes.map((n) => n.position.y));
    return this.paste(fragment, { x: minX + offset.x, y: minY + offset.y }, 'Duplicate');
  }

  /**
   * Record neuron `neuron` of population `popId` with a state monitor (its `v`, or
   * the kind's first state variable), as one history entry: a state monitor already
   * wired to the population and recording that variable gets the neuron added to its
   * list; otherwise a new one is placed under the population and wired to it.
   * Selects the monitor and returns its id; null (and a notice) when the population
   * has no state to record.
   */
  traceNeuron(popId: string, neuron: number): string | null {
    const doc = this.view;
    const pop = doc.nodes.find((n) => n.id === popId);
    const states = pop ? getKind(pop.kind)?.state : undefined;
    if (!pop || !states || states.length === 0 || !Number.isInteger(neuron) || neuron < 0) {
      this.setNotice({ level: 'error', text: `Cannot trace neuron ${neuron} of "${popId}": it has no state variable to record.` });
      return null;
    }
    const variable = states.some((v) => v.id === 'v') ? 'v' : states[0].id;
    // Prefer a monitor that observes this population alone.
    const candidates = doc.edges
      .filter((e) => e.source.node === popId)
      .map((e) => doc.nodes.find((n) => n.id === e.target.node))
      .filter((n): n is DocNode => n !== undefined && n.kind === 'state-monitor' && (n.params.variable ?? 'v') === variable);
    const observed = (id: string) => doc.edges.filter((e) => e.target.node === id).length;
    const existing = [...candidates].sort((a, b) => observed(a.id) - observed(b.id))[0];
    if (existing) {
      const list = Array.isArray(existing.params.neurons) ? (existing.params.neurons as number[]) : [];
      if (!list.includes(neuron)) {
        this.edit(`Trace neuron ${neuron} of ${pop.label || pop.id}`, (d) => {
          const dn = d.nodes.find((n) => n.id === existing.id);
          // The monitor records at most 1000 neurons: the oldest choice gives way.
          if (dn) dn.params.neurons = [...list, neuron].slice(-1000);
        });
      }
      this.set({ selection: { nodes: [existing.id], edges: [] } });
      return existing.id;
    }
    const kind = getKind('state-monitor')!;
    const id = nextId(idSpace(this.doc), kindPrefix(kind));
    const node: DocNode = {
      id,
      kind: kind.id,
      label: id,
      position: { x: Math.round(pop.position.x), y: Math.round(pop.position.y + 160) },
      params: { ...defaultParams(kind.params), variable, neurons: [neuron] },
    };
    const shift = this.clearOf([node]);
    node.position = { x: node.position.x + shift.x, y: node.position.y + shift.y };
    const source: PortRef = { node: popId, port: 'spikes' };
    const target: PortRef = { node: id, port: 'spikes' };
    const withNode = { ...doc, nodes: [...doc.nodes, node] };
    const problem = connectionProblem(withNode, source, target);
    if (problem !== null) {
      this.setNotice({ level: 'error', text: `Cannot trace neuron ${neuron} of "${popId}": ${problem}` });
      return null;
    }
    const edge: DocEdge = { id: nextId(idSpace({ ...this.doc, nodes: [...this.doc.nodes, node] }), 'e'), source, target, params: {} };
    this.edit(`Trace neuron ${neuron} of ${pop.label || pop.id}`, (d) => {
      d.nodes.push(node);
      d.edges.push(edge);
    });
    this.set({ selection: { nodes: [id], edges: [] } });
    return id;
  }
}

/**
 * Write positions field by field: assigning a new `{x, y}` object would count as a
 * change (and a history entry) even when the node did not move.
 */
function setPositions(d: Draft<GraphDocument>, positions: Readonly<Record<string, XY>>): void {
  for (const dn of d.nodes) {
    const p = positions[dn.id];
    if (!p) continue;
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (dn.position.x !== x) dn.position.x = x;
    if (dn.position.y !== y) dn.position.y = y;
  }
}

/** Whether two patch lists replace exactly the same paths, in the same order. */
function sameReplacements(a: readonly Patch[], b: readonly Patch[]): boolean {
  return a.length === b.length && a.every((p, i) => p.op === 'replace' && b[i].op === 'replace' && p.path.length === b[i].path.length && p.path.every((k, j) => k === b[i].path[j]));
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Drop selected ids that no longer exist (after delete or undo). */
function pruneSelection(sel: Selection, doc: GraphDocument): Selection {
  if (sel.nodes.length === 0 && sel.edges.length === 0) return sel;
  const nodes = sel.nodes.filter((id) => doc.nodes.some((n) => n.id === id));
  const edges = sel.edges.filter((id) => doc.edges.some((e) => e.id === id));
  return nodes.length === sel.nodes.length && edges.length === sel.edges.length ? sel : { nodes, edges };
}
