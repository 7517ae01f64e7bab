/**
 * Copy, cut and paste between the canvas and the system clipboard, as JSON text
 * (renderer/store/clipboard.ts). The keys (Ctrl+C/X/V) go through the browser's own
 * `copy` / `cut` / `paste` events, which need no permission in a browser or in
 * Electron; the menu items use `navigator.clipboard` and, when the page may not read
 * it, the last fragment this window copied.
 */
import { fragmentText, parseFragment } from '../store/clipboard.ts';
import type { AppServices } from './actions.ts';
import { placeHere } from '../canvas/pointer.ts';

/** The last text this window put on the clipboard (the fallback when reading it is refused). */
let lastCopied: string | null = null;

/** The selection as clipboard text, or null (and a notice) when no node is selected. */
function selectionText(app: AppServices): string | null {
  const fragment = app.editor.copySelection();
  if (!fragment) {
    app.editor.setNotice({ level: 'info', text: 'Select nodes to copy first.' });
    return null;
  }
  lastCopied = fragmentText(fragment);
  return lastCopied;
}

function afterCopy(app: AppServices, cut: boolean): void {
  const { nodes } = app.editor.state.selection;
  if (cut) app.editor.deleteElements(nodes);
  app.editor.setNotice({ level: 'info', text: `${cut ? 'Cut' : 'Copied'} ${nodes.length} node${nodes.length === 1 ? '' : 's'} (as JSON text).` });
}

/** Paste clipboard text at the pointer: nodes with fresh ids, or a message and no change. */
export function pasteText(app: AppServices, text: string): boolean {
  const parsed = parseFragment(text);
  if (!parsed.ok) {
    app.editor.setNotice({ level: 'error', text: parsed.message });
    return false;
  }
  app.editor.paste(parsed.fragment, placeHere());
  return true;
}

/** Menu Copy / Cut. */
export async function copySelection(app: AppServices, cut = false): Promise<void> {
  const text = selectionText(app);
  if (text === null) return;
  await navigator.clipboard?.writeText(text).catch(() => undefined);
  afterCopy(app, cut);
}

/** Menu Paste. */
export async function pasteFromClipboard(app: AppServices): Promise<void> {
  let text: string | null = null;
  try {
    text = (await navigator.clipboard?.readText()) ?? null;
  } catch {
    text = null;
  }
  if (text === null || text === '') text = lastCopied;
  if (text === null) {
    app.editor.setNotice({ level: 'info', text: 'The clipboard is empty: copy nodes first (Ctrl+C).' });
    return;
  }
  pasteText(app, text);
}

function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(target.type));
}

/** Ctrl+C / Ctrl+X / Ctrl+V over the window (not in a text field). Returns the remover. */
export function installClipboardEvents(app: AppServices): () => void {
  const onCopy = (e: ClipboardEvent, cut: boolean) => {
    if (inField(e.target) || !e.clipboardData) return;
    // Text selected on the page (e.g. a help paragraph) copies as text, as usual.
    if (window.getSelection()?.toString()) return;
    const text = selectionText(app);
    if (text === null) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', text);
    afterCopy(app, cut);
  };
  const copy = (e: ClipboardEvent) => onCopy(e, false);
  const cut = (e: ClipboardEvent) => onCopy(e, true);
  const paste = (e: ClipboardEvent) => {
    if (inField(e.target) || !e.clipboardData) return;
    e.preventDefault();
    pasteText(app, e.clipboardData.getData('text/plain'));
  };
  document.addEventListener('copy', copy);
  document.addEventListener('cut', cut);
  document.addEventListener('paste', paste);
  return () => {
    document.removeEventListener('copy', copy);
    document.removeEventListener('cut', cut);
    document.removeEventListener('paste', paste);
  };
}
