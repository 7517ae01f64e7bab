/**
 * The application menu as data. Document commands are not performed here: they are
 * sent to the window as {@link MenuCommand}s, because the renderer owns the document
 * (it knows whether there are unsaved changes, what to serialize, …).
 */
import type { MenuItemConstructorOptions } from 'electron';
import * as path from 'node:path';
import type { MenuCommand } from './api.ts';
import { APP_NAME } from './document-state.ts';

export interface MenuDeps {
  readonly platform: NodeJS.Platform;
  readonly recentFiles: readonly string[];
  /** Send a command to the focused window's renderer. */
  send(command: MenuCommand): void;
  /** The user picked a file from Open Recent; the renderer decides whether to open it. */
  openRecent(filePath: string): void;
  clearRecent(): void;
  showAbout(): void;
}

/** The menu template for `Menu.buildFromTemplate`. */
export function buildMenuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const isMac = deps.platform === 'darwin';
  const command = (label: string, cmd: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    id: cmd,
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => deps.send(cmd),
  });

  const recent: MenuItemConstructorOptions[] = deps.recentFiles.length
    ? [
        ...deps.recentFiles.map((file, i): MenuItemConstructorOptions => ({
          id: `recent-${i}`,
          label: recentLabel(file),
          toolTip: file,
          click: () => deps.openRecent(file),
        })),
        { type: 'separator' },
        { id: 'clear-recent', label: 'Clear Recently Opened', click: () => deps.clearRecent() },
      ]
    : [{ id: 'no-recent', label: 'No Recent Files', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('&New', 'new', 'CmdOrCtrl+N'),
      command('&Open…', 'open', 'CmdOrCtrl+O'),
      { id: 'open-recent', label: 'Open &Recent', submenu: recent },
      { type: 'separator' },
      command('&Save', 'save', 'CmdOrCtrl+S'),
      command('Save &As…', 'save-as', 'CmdOrCtrl+Shift+S'),
      command('&Export JSON…', 'export-json', 'CmdOrCtrl+E'),
      { id: 'import', label: '&Import', submenu: [command('&NIR…', 'import-nir')] },
      { id: 'export', label: 'E&xport', submenu: [command('&NIR…', 'export-nir'), command('&Brian2 script…', 'export-brian2')] },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  // Undo/redo and Select All show their shortcuts but, on Windows and Linux, leave the
  // keystrokes to the page: the renderer handles them itself (as in the browser), so text
  // fields keep their native undo and Ctrl+A selects the canvas's nodes rather than the
  // page's text; one keystroke never acts twice. Clicking sends the command.
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { ...command('&Undo', 'undo', 'CmdOrCtrl+Z'), registerAccelerator: false },
      { ...command('&Redo', 'redo', isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y'), registerAccelerator: false },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { ...command('Select &All', 'select-all', 'CmdOrCtrl+A'), registerAccelerator: false },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    // No Reload: it would discard unsaved work without the close guard's question
    // (a crashed page is offered a reload by window.ts instead).
    submenu: [{ role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [{ id: 'about', label: `About ${APP_NAME}`, click: () => deps.showAbout() }],
  };

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: APP_NAME,
          submenu: [
            { id: 'about-app', label: `About ${APP_NAME}`, click: () => deps.showAbout() },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  return [...appMenu, file, edit, view, ...(isMac ? [{ role: 'windowMenu' } as const] : []), help];
}

/** `name — folder` so two files of the same name stay distinguishable. */
export function recentLabel(filePath: string): string {
  // Menus treat `&` as a mnemonic marker; double it so names show as written.
  return `${path.basename(filePath)} — ${path.dirname(filePath)}`.replace(/&/g, '&&');
}
