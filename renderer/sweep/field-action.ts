/**
 * "Sweep this parameter" on a numeric field of the inspector: a one-item menu at
 * the pointer (right-click on the field) that opens the Sweep panel with the field
 * added (renderer/sweep/mount.tsx). Plain DOM, so the inspector loads none of the
 * panel's code until it is chosen.
 */
import type { AppServices } from '../app/actions.ts';
import './sweep.css';

let current: HTMLElement | null = null;

function close(): void {
  current?.remove();
  current = null;
  window.removeEventListener('pointerdown', onOutside, true);
  window.removeEventListener('keydown', onKey, true);
}

function onOutside(e: PointerEvent): void {
  if (current && !current.contains(e.target as Node)) close();
}

function onKey(e: KeyboardEvent): void {
  if (e.key === 'Escape') close();
}

/** Show the menu for `target` (`NODE.FIELD`, its current value) at the pointer of a contextmenu event. */
export function sweepFieldMenu(app: AppServices, e: { clientX: number; clientY: number; preventDefault(): void }, target: string, value: unknown): void {
  e.preventDefault();
  close();
  const menu = document.createElement('div');
  menu.className = 'sf-sweep-field-menu';
  menu.setAttribute('role', 'menu');
  menu.style.left = `${Math.min(e.clientX, window.innerWidth - 220)}px`;
  menu.style.top = `${Math.min(e.clientY, window.innerHeight - 40)}px`;
  const item = document.createElement('button');
  item.type = 'button';
  item.setAttribute('role', 'menuitem');
  item.dataset.testid = 'sweep-this-parameter';
  item.textContent = 'Sweep this parameter…';
  item.title = target;
  item.addEventListener('click', () => {
    close();
    void import('./mount.tsx').then(({ openSweepPanel }) => openSweepPanel(app, { name: target, value }));
  });
  menu.append(item);
  document.body.append(menu);
  current = menu;
  window.addEventListener('pointerdown', onOutside, true);
  window.addEventListener('keydown', onKey, true);
}
