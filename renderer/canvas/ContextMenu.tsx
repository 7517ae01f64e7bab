/**
 * Right-click menus on the canvas, a node, a wire and a selection. Every item is an
 * action from `ACTIONS` (label, shortcut shown at the right, enabled state), so a menu
 * item, its key and the desktop menu do the same thing. Right-clicking a node or wire
 * outside the selection selects it first; actions then act on the selection.
 */
import { useEffect, useRef } from 'react';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { perform } from '../app/actions.ts';
import type { ActionName } from '../app/actions.ts';
import { useAction } from '../app/EditorContext.tsx';
import type { XY } from '../store/editor.ts';
import { canvasPointer } from './pointer.ts';

export type MenuTarget = 'pane' | 'node' | 'edge' | 'selection';

/** The items of each menu, in order; `'-'` is a separator. Other features append to these lists. */
export const CONTEXT_MENUS: Record<MenuTarget, (ActionName | '-')[]> = {
  pane: ['quickAdd', 'paste', '-', 'selectAll', 'autoLayout'],
  node: ['duplicate', 'copy', 'cut', 'delete', '-', 'disconnect', 'resetParams', '-', 'help'],
  edge: ['delete', 'reverseWire', 'insertNode'],
  selection: ['duplicate', 'copy', 'cut', 'delete', '-', 'autoLayout', 'alignLeft', 'alignRight', 'alignTop', 'alignBottom', 'distributeH', 'distributeV', '-', 'disconnect', 'resetParams'],
};

interface OpenMenu {
  readonly target: MenuTarget;
  readonly screen: XY;
}

export const contextMenuStore = createStore<{ menu: OpenMenu | null }>()(() => ({ menu: null }));

export function openContextMenu(target: MenuTarget, screen: XY): void {
  // "Here" (paste, add node) is where the menu was opened, not where the item is.
  canvasPointer.screen = screen;
  contextMenuStore.setState({ menu: { target, screen } });
}

export function closeContextMenu(): void {
  contextMenuStore.setState({ menu: null });
}

function Item({ name, onDone }: { name: ActionName; onDone: () => void }) {
  const { app, action, enabled } = useAction(name);
  return (
    <button
      type="button"
      role="menuitem"
      className="sf-menu-item"
      disabled={!enabled}
      data-testid={`ctx-${name}`}
      onClick={() => {
        const at = contextMenuStore.getState().menu?.screen;
        onDone();
        if (at) canvasPointer.screen = at;
        perform(name, app);
      }}
    >
      <span>{action.label}</span>
      {action.shortcut && <span className="sf-menu-hint">{action.shortcut}</span>}
    </button>
  );
}

export function ContextMenu() {
  const menu = useStore(contextMenuStore, (s) => s.menu);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) closeContextMenu();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeContextMenu();
    };
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('keydown', onKey);
    root.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('keydown', onKey);
    };
  }, [menu]);
  if (!menu) return null;
  const items = CONTEXT_MENUS[menu.target].filter((x, i, all) => x !== '-' || (i > 0 && i < all.length - 1));
  const left = Math.min(menu.screen.x, window.innerWidth - 250);
  const top = Math.min(menu.screen.y, window.innerHeight - items.length * 28 - 16);
  return (
    <div className="sf-menu sf-context-menu" role="menu" ref={root} style={{ left, top }} data-testid={`context-menu-${menu.target}`}>
      {items.map((x, i) => (x === '-' ? <div key={`sep${i}`} className="sf-menu-sep" /> : <Item key={x} name={x} onDone={closeContextMenu} />))}
    </div>
  );
}
