/**
 * Every user command, declared once (after Excalidraw's `register`): the toolbar,
 * the keyboard, and the desktop menu all dispatch through this table.
 */
import type { MenuCommand } from '../../electron/api.ts';
import type { Editor, EditorState } from '../store/editor.ts';
import { selectCanRedo, selectCanUndo } from '../store/editor.ts';
import { isRunActive } from '../store/run-state.ts';
import type { RunController } from '../engine/run-controller.ts';
import type { FileActions } from '../platform/file-actions.ts';
import type { Platform } from '../platform/platform.ts';
import { groupSelection, leaveTo, ungroup } from '../groups/commands.ts';
import { GROUP_SHORTCUT, UNGROUP_SHORTCUT } from '../groups/shortcuts.ts';
import { levelView } from '../groups/level.ts';
import { isGroupNode } from '../../engine/format/groups.ts';
import type { Recovery } from '../recovery/recovery.ts';
import type { DatasetFileSession } from '../learning/dataset-session.ts';
import { copySelection, pasteFromClipboard } from './clipboard-actions.ts';
import { canvasPointer, placeHere } from '../canvas/pointer.ts';
import { openQuickAdd } from '../quick-add/quick-add.ts';
import { connectionProblem } from '../../engine/format/connect.ts';
import { autoLayout } from '../layout/auto-layout.ts';
import { runOnChosenBackend } from '../backend/backend-runs.ts';

/** What actions act on; built once in main.tsx. */
export interface AppServices {
  readonly editor: Editor;
  readonly runner: RunController;
  readonly files: FileActions;
  readonly platform: Platform;
  /** Autosave and start-up recovery; absent when the platform keeps no journal. */
  readonly recovery?: Recovery;
  /** Dataset files chosen or read in this session (renderer/learning/dataset-session.ts). */
  readonly datasets?: DatasetFileSession;
}

export const ACTION_NAMES = [
  'new',
  'open',
  'save',
  'saveAs',
  'export',
  'undo',
  'redo',
  'delete',
  'run',
  'pause',
  'resume',
  'stop',
  'copy',
  'cut',
  'paste',
  'duplicate',
  'selectAll',
  'quickAdd',
  'disconnect',
  'resetParams',
  'help',
  'reverseWire',
  'insertNode',
  'autoLayout',
  'alignLeft',
  'alignRight',
  'alignTop',
  'alignBottom',
  'distributeH',
  'distributeV',
  'group',
  'ungroup',
  'leaveGroup',
  'importNir',
  'exportNir',
  'exportBrian2',
  'sweep',
  'importResults',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export interface Action {
  readonly name: ActionName;
  readonly label: string;
  /** Shown in tooltips, e.g. `Ctrl+S`. */
  readonly shortcut?: string;
  /**
   * The key that performs it. Copy, cut and paste have none: their keys reach them as
   * the browser's clipboard events (app/clipboard-actions.ts), which carry the text.
   */
  readonly keyTest?: (e: KeyboardEvent) => boolean;
  /** Also fires while typing in a field (Save does; Undo and Delete leave the field its own). */
  readonly inFields?: boolean;
  /** In the desktop app the menu owns this shortcut and sends a menu command instead. */
  readonly menuKey?: boolean;
  readonly enabled?: (s: EditorState) => boolean;
  perform(app: AppServices): unknown;
}

const hasNodes = (s: EditorState) => s.selection.nodes.length > 0;
const twoNodes = (s: EditorState) => s.selection.nodes.length >= 2;
const threeNodes = (s: EditorState) => s.selection.nodes.length >= 3;
const oneWire = (s: EditorState) => s.selection.edges.length === 1 && s.selection.nodes.length === 0;
/** Plain keys (Space, Tab) act on the canvas only when nothing else has the focus. */
const canvasHasFocus = () => {
  const el = typeof document === 'undefined' ? null : document.activeElement;
  return !el || el === document.body || el.closest('.sf-canvas') !== null;
};
/** Where quick-add opens: at the pointer, else the middle of the canvas. */
function quickAddAt(extra: { insertOn?: string } = {}) {
  const at = placeHere();
  const r = document.querySelector('.sf-canvas')?.getBoundingClientRect();
  const screen = canvasPointer.screen ?? (r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : { x: 200, y: 200 });
  openQuickAdd({ screen, at, ...extra });
}
const mod = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey;
const key = (e: KeyboardEvent, k: string) => e.key.toLowerCase() === k;
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

export const ACTIONS: Readonly<Record<ActionName, Action>> = {
  new: { name: 'new', label: 'New', perform: (a) => a.files.newDocument() },
  open: {
    name: 'open',
    label: 'Open…',
    shortcut: `${MOD}O`,
    inFields: true,
    menuKey: true,
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'o'),
    perform: (a) => a.files.open(),
  },
  save: {
    name: 'save',
    label: 'Save',
    shortcut: `${MOD}S`,
    inFields: true,
    menuKey: true,
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 's'),
    perform: (a) => a.files.save(false),
  },
  saveAs: {
    name: 'saveAs',
    label: 'Save as…',
    shortcut: `${MOD}Shift+S`,
    inFields: true,
    menuKey: true,
    keyTest: (e) => mod(e) && e.shiftKey && key(e, 's'),
    perform: (a) => a.files.save(true),
  },
  export: { name: 'export', label: 'Export JSON…', perform: (a) => a.files.exportJson() },
  importNir: { name: 'importNir', label: 'Import NIR…', perform: async (a) => (await import('../interop/interop.ts')).importNir(a) },
  exportNir: { name: 'exportNir', label: 'Export NIR…', perform: async (a) => (await import('../interop/interop.ts')).openExport(a, 'nir') },
  exportBrian2: { name: 'exportBrian2', label: 'Export Brian2 script…', perform: async (a) => (await import('../interop/interop.ts')).openExport(a, 'brian2') },
  sweep: { name: 'sweep', label: 'Sweep parameters…', perform: async (a) => (await import('../sweep/mount.tsx')).openSweepPanel(a) },
  // Recorded spikes of a script run elsewhere (renderer/backend/).
  importResults: { name: 'importResults', label: 'Import results…', perform: async (a) => (await import('../backend/pick-results.ts')).importResults(a) },
  undo: {
    name: 'undo',
    label: 'Undo',
    shortcut: `${MOD}Z`,
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'z'),
    enabled: selectCanUndo,
    perform: (a) => a.editor.undo(),
  },
  redo: {
    name: 'redo',
    label: 'Redo',
    shortcut: isMac ? '⇧⌘Z' : 'Ctrl+Y',
    keyTest: (e) => mod(e) && ((e.shiftKey && key(e, 'z')) || (!e.shiftKey && key(e, 'y'))),
    enabled: selectCanRedo,
    perform: (a) => a.editor.redo(),
  },
  delete: {
    name: 'delete',
    label: 'Delete',
    shortcut: 'Del',
    keyTest: (e) => !e.ctrlKey && !e.metaKey && (e.key === 'Delete' || e.key === 'Backspace'),
    enabled: (s) => s.selection.nodes.length + s.selection.edges.length > 0,
    perform: (a) => a.editor.deleteSelection(),
  },
  run: {
    name: 'run',
    label: 'Run',
    shortcut: `${MOD}Enter`,
    inFields: true,
    keyTest: (e) => mod(e) && e.key === 'Enter',
    enabled: (s) => !isRunActive(s.run.phase),
    // With NEST, NEURON or Brian2 chosen next to Run (renderer/backend/), the run goes there.
    perform: (a) => runOnChosenBackend(a.editor) ?? a.runner.run(),
  },
  copy: { name: 'copy', label: 'Copy', shortcut: `${MOD}C`, enabled: hasNodes, perform: (a) => copySelection(a) },
  cut: { name: 'cut', label: 'Cut', shortcut: `${MOD}X`, enabled: hasNodes, perform: (a) => copySelection(a, true) },
  paste: { name: 'paste', label: 'Paste', shortcut: `${MOD}V`, perform: (a) => pasteFromClipboard(a) },
  duplicate: {
    name: 'duplicate',
    label: 'Duplicate',
    shortcut: `${MOD}D`,
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'd'),
    enabled: hasNodes,
    perform: (a) => a.editor.duplicateSelection(),
  },
  selectAll: {
    name: 'selectAll',
    label: 'Select all',
    shortcut: `${MOD}A`,
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'a'),
    enabled: (s) => s.doc.nodes.length > 0,
    perform: (a) => a.editor.selectAll(),
  },
  quickAdd: {
    name: 'quickAdd',
    label: 'Add node here…',
    shortcut: 'Space',
    keyTest: (e) => (e.key === ' ' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && canvasHasFocus(),
    perform: () => quickAddAt(),
  },
  disconnect: {
    name: 'disconnect',
    label: 'Disconnect all',
    enabled: (s) => s.selection.nodes.some((id) => s.doc.edges.some((e) => e.source.node === id || e.target.node === id)),
    perform: (a) => a.editor.disconnect(a.editor.state.selection.nodes),
  },
  resetParams: {
    name: 'resetParams',
    label: 'Reset parameters to defaults',
    enabled: hasNodes,
    perform: (a) => a.editor.resetParams(a.editor.state.selection.nodes),
  },
  help: {
    name: 'help',
    label: 'Help',
    shortcut: 'F1',
    keyTest: (e) => e.key === 'F1',
    enabled: (s) => s.selection.nodes.length === 1,
    perform: () => {
      // The inspector shows the selected node's help: open it and bring it into view.
      const help = document.querySelector<HTMLDetailsElement>('[data-testid="kind-help"]');
      if (help) {
        help.open = true;
        help.scrollIntoView({ block: 'nearest' });
      }
    },
  },
  reverseWire: {
    name: 'reverseWire',
    label: 'Reverse direction',
    // Only where the swapped wire would be accepted (e.g. population → population).
    enabled: (s) => {
      const e = oneWire(s) ? s.doc.edges.find((x) => x.id === s.selection.edges[0]) : undefined;
      return !!e && connectionProblem(s.doc, { node: e.target.node, port: e.source.port }, { node: e.source.node, port: e.target.port }, { ignoreEdge: e.id }) === null;
    },
    perform: (a) => a.editor.reverseWire(a.editor.state.selection.edges[0]),
  },
  insertNode: {
    name: 'insertNode',
    label: 'Insert node on wire…',
    enabled: oneWire,
    perform: (a) => quickAddAt({ insertOn: a.editor.state.selection.edges[0] }),
  },
  autoLayout: {
    name: 'autoLayout',
    label: 'Auto-layout',
    shortcut: `${MOD}Shift+L`,
    keyTest: (e) => mod(e) && e.shiftKey && key(e, 'l'),
    // The level shown: inside a group, its contents.
    enabled: (s) => levelView(s.doc, s.groupPath).nodes.length >= 2,
    perform: async (a) => {
      const sel = a.editor.state.selection.nodes;
      // Two or more selected nodes: lay out just those; otherwise the whole graph.
      const ids = sel.length >= 2 ? sel : null;
      await autoLayout(a.editor, ids);
    },
  },
  alignLeft: { name: 'alignLeft', label: 'Align left', enabled: twoNodes, perform: (a) => a.editor.alignSelection('left') },
  alignRight: { name: 'alignRight', label: 'Align right', enabled: twoNodes, perform: (a) => a.editor.alignSelection('right') },
  alignTop: { name: 'alignTop', label: 'Align top', enabled: twoNodes, perform: (a) => a.editor.alignSelection('top') },
  alignBottom: { name: 'alignBottom', label: 'Align bottom', enabled: twoNodes, perform: (a) => a.editor.alignSelection('bottom') },
  distributeH: { name: 'distributeH', label: 'Distribute horizontally', enabled: threeNodes, perform: (a) => a.editor.distributeSelection('horizontal') },
  distributeV: { name: 'distributeV', label: 'Distribute vertically', enabled: threeNodes, perform: (a) => a.editor.distributeSelection('vertical') },
  pause: { name: 'pause', label: 'Pause', enabled: (s) => s.run.phase === 'running', perform: (a) => a.runner.pause() },
  resume: { name: 'resume', label: 'Resume', enabled: (s) => s.run.phase === 'paused', perform: (a) => a.runner.resume() },
  stop: {
    name: 'stop',
    label: 'Stop',
    enabled: (s) => isRunActive(s.run.phase) && s.run.phase !== 'stopping',
    perform: (a) => a.runner.stop(),
  },
  // Groups (renderer/groups): also exported there for menus to call.
  group: {
    name: 'group',
    label: 'Group',
    shortcut: GROUP_SHORTCUT,
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'g'),
    enabled: (s) => s.selection.nodes.length > 0,
    perform: (a) => groupSelection(a.editor),
  },
  ungroup: {
    name: 'ungroup',
    label: 'Ungroup',
    shortcut: UNGROUP_SHORTCUT,
    keyTest: (e) => mod(e) && e.shiftKey && key(e, 'g'),
    enabled: (s) => s.selection.nodes.length === 1 && isGroupNode(levelView(s.doc, s.groupPath).nodes.find((n) => n.id === s.selection.nodes[0])),
    perform: (a) => ungroup(a.editor),
  },
  leaveGroup: {
    name: 'leaveGroup',
    label: 'Leave group',
    shortcut: 'Esc',
    // Escape first closes whatever is open over the canvas (a menu, quick-add, a dialog).
    keyTest: (e) =>
      e.key === 'Escape' &&
      !e.ctrlKey &&
      !e.metaKey &&
      !e.altKey &&
      !e.shiftKey &&
      !(typeof document !== 'undefined' && document.querySelector('[role="menu"], [role="dialog"], [role="alertdialog"]')),
    enabled: (s) => s.groupPath.length > 0,
    perform: (a) => leaveTo(a.editor, a.editor.state.groupPath.length - 1),
  },
};

export function isEnabled(action: Action, s: EditorState): boolean {
  return action.enabled ? action.enabled(s) : true;
}

/** Perform an action if it is enabled; returns whether it ran. */
export function perform(name: ActionName, app: AppServices): boolean {
  const action = ACTIONS[name];
  if (!isEnabled(action, app.editor.state)) return false;
  void Promise.resolve(action.perform(app)).catch((e: unknown) => {
    app.editor.setNotice({ level: 'error', text: `${action.label} failed: ${e instanceof Error ? e.message : String(e)}` });
  });
  return true;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'range', 'color', 'file'].includes(target.type);
  return false;
}

/** The last action a key ran, so a desktop-menu echo of the same shortcut is not run twice. */
let lastKey: { name: ActionName; at: number } | null = null;

/** Window keydown → action. Returns the action that ran, if any. */
export function handleKeyDown(e: KeyboardEvent, app: AppServices): ActionName | null {
  if (e.defaultPrevented || e.isComposing) return null;
  const editable = isEditable(e.target);
  for (const action of Object.values(ACTIONS)) {
    if (!action.keyTest?.(e)) continue;
    if (editable && !action.inFields) return null;
    if (action.menuKey && app.platform.kind === 'electron') return null;
    e.preventDefault();
    if (perform(action.name, app)) lastKey = { name: action.name, at: Date.now() };
    return action.name;
  }
  return null;
}

const MENU_ACTIONS: Readonly<Record<MenuCommand, ActionName>> = {
  new: 'new',
  open: 'open',
  save: 'save',
  'save-as': 'saveAs',
  'export-json': 'export',
  undo: 'undo',
  redo: 'redo',
  'select-all': 'selectAll',
  'import-nir': 'importNir',
  'export-nir': 'exportNir',
  'export-brian2': 'exportBrian2',
};

/** A desktop-menu command → action (ignored when it echoes a key just handled). */
export function handleMenuCommand(command: MenuCommand, app: AppServices): void {
  const name = MENU_ACTIONS[command];
  if (lastKey && lastKey.name === name && Date.now() - lastKey.at < 300) return;
  // Undo/redo and select all from the menu while a field has focus belong to the field.
  if ((name === 'undo' || name === 'redo' || name === 'selectAll') && isEditable(document.activeElement)) {
    document.execCommand(name);
    return;
  }
  perform(name, app);
}

/** `Save (Ctrl+S)`. */
export function titleOf(action: Action): string {
  return action.shortcut ? `${action.label} (${action.shortcut})` : action.label;
}
