import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, recentLabel, type MenuDeps } from './menu.ts';

function build(overrides: Partial<MenuDeps> = {}) {
  const deps: MenuDeps = {
    platform: 'linux',
    recentFiles: [],
    send: vi.fn(),
    openRecent: vi.fn(),
    clearRecent: vi.fn(),
    showAbout: vi.fn(),
    ...overrides,
  };
  return { template: buildMenuTemplate(deps), deps };
}

const submenu = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const top = (template: MenuItemConstructorOptions[], label: string) => template.find((m) => m.label?.replace('&', '') === label);
const byId = (items: MenuItemConstructorOptions[], id: string) => items.find((i) => i.id === id);
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Help menus (and the app and Window menus on macOS)', () => {
    expect(build().template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(build({ platform: 'darwin' }).template.map((m) => m.label ?? m.role)).toEqual(['Spikeflow', '&File', '&Edit', '&View', 'windowMenu', '&Help']);
  });

  it('sends each File command to the window rather than acting on the document', () => {
    const { template, deps } = build();
    const file = submenu(top(template, 'File'));
    for (const cmd of ['new', 'open', 'save', 'save-as', 'export-json'] as const) click(byId(file, cmd));
    expect(vi.mocked(deps.send).mock.calls.map((c) => c[0])).toEqual(['new', 'open', 'save', 'save-as', 'export-json']);
    expect(byId(file, 'save')!.accelerator).toBe('CmdOrCtrl+S');
    expect(byId(file, 'save-as')!.accelerator).toBe('CmdOrCtrl+Shift+S');
  });

  it('sends File › Import › NIR… and File › Export › NIR… / Brian2 script… to the window', () => {
    const { template, deps } = build();
    const file = submenu(top(template, 'File'));
    click(byId(submenu(byId(file, 'import')), 'import-nir'));
    for (const cmd of ['export-nir', 'export-brian2'] as const) click(byId(submenu(byId(file, 'export')), cmd));
    expect(vi.mocked(deps.send).mock.calls.map((c) => c[0])).toEqual(['import-nir', 'export-nir', 'export-brian2']);
  });

  it('lists recent files under Open Recent, asks the window to open the one picked, and can clear them', () => {
    const { template, deps } = build({ recentFiles: ['/home/u/a.spikeflow.json', '/work/b.json'] });
    const recent = submenu(byId(submenu(top(template, 'File')), 'open-recent'));
    expect(recent.map((r) => r.label ?? r.type)).toEqual(['a.spikeflow.json — /home/u', 'b.json — /work', 'separator', 'Clear Recently Opened']);
    click(recent[1]);
    expect(deps.openRecent).toHaveBeenCalledWith('/work/b.json');
    expect(deps.send).not.toHaveBeenCalled();
    click(byId(recent, 'clear-recent'));
    expect(deps.clearRecent).toHaveBeenCalled();
  });

  it('shows a disabled placeholder when there are no recent files', () => {
    const recent = submenu(byId(submenu(top(build().template, 'File')), 'open-recent'));
    expect(recent).toEqual([{ id: 'no-recent', label: 'No Recent Files', enabled: false }]);
  });

  it('sends undo, redo and select all as commands and uses the standard roles for the clipboard', () => {
    const { template, deps } = build();
    const edit = submenu(top(template, 'Edit'));
    click(byId(edit, 'undo'));
    click(byId(edit, 'redo'));
    click(byId(edit, 'select-all'));
    expect(vi.mocked(deps.send).mock.calls.map((c) => c[0])).toEqual(['undo', 'redo', 'select-all']);
    expect(edit.filter((i) => i.role).map((i) => i.role)).toEqual(['cut', 'copy', 'paste']);
    // The page handles the keystrokes itself (text fields keep native undo; Ctrl+A reaches the canvas).
    expect(byId(edit, 'undo')!.registerAccelerator).toBe(false);
    expect(byId(edit, 'select-all')!.accelerator).toBe('CmdOrCtrl+A');
    expect(byId(edit, 'select-all')!.registerAccelerator).toBe(false);
  });

  it('offers developer tools and zoom under View, and no Reload (it would drop unsaved work without asking)', () => {
    const roles = submenu(top(build().template, 'View'))
      .map((i) => i.role)
      .filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut']));
    expect(roles).not.toContain('reload');
    expect(roles).not.toContain('forceReload');
  });

  it('opens About from Help', () => {
    const { template, deps } = build();
    click(byId(submenu(top(template, 'Help')), 'about'));
    expect(deps.showAbout).toHaveBeenCalled();
  });
});

describe('recentLabel', () => {
  it('escapes & so menus do not turn it into a mnemonic', () => {
    expect(recentLabel('/data/R&D/net.json')).toBe('net.json — /data/R&&D');
  });
});
