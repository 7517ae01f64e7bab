/**
 * The user's group library: groups saved from a document, offered in the palette like
 * any kind. Kept in the renderer's `localStorage` (the browser's, or the desktop app's
 * own), as JSON under one key; a broken or full store is reported, never thrown.
 */
import { isGroupNode } from '../../engine/format/groups.ts';
import type { GroupNode } from '../../engine/format/groups.ts';
import type { GroupDefinition } from './motifs.ts';

export const LIBRARY_KEY = 'spikeflow.group-library.v1';

/** Where the library lives; `localStorage` in the app, a map in tests. */
export interface LibraryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

interface Stored {
  readonly id: string;
  readonly name: string;
  readonly saved: string;
  readonly group: GroupNode;
}

function defaultStorage(): LibraryStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function read(storage: LibraryStorage | null): Stored[] {
  try {
    const raw = storage?.getItem(LIBRARY_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? (list as Stored[]).filter((s) => s && typeof s.id === 'string' && isGroupNode(s.group)) : [];
  } catch {
    return [];
  }
}

const listeners = new Set<() => void>();

/** Be told when the library changes (the palette re-reads it). */
export function onLibraryChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The saved groups, oldest first. */
export function libraryGroups(storage = defaultStorage()): GroupDefinition[] {
  return read(storage).map((s) => ({ key: `library:${s.id}`, name: s.name, description: `Saved ${s.saved.slice(0, 10)}`, group: s.group }));
}

/**
 * Save a copy of a group under `name` (a group saved again under the same name replaces
 * the old one). Returns an error sentence when the store refuses.
 */
export function saveToLibrary(group: GroupNode, name: string, storage = defaultStorage(), now = new Date()): string | null {
  if (!storage) return 'This window has no storage for a group library.';
  const list = read(storage).filter((s) => s.name !== name);
  const id = `${Date.now().toString(36)}-${list.length}`;
  list.push({ id, name, saved: now.toISOString(), group: JSON.parse(JSON.stringify({ ...group, label: name })) as GroupNode });
  try {
    storage.setItem(LIBRARY_KEY, JSON.stringify(list));
  } catch (e) {
    return `The group library could not be written (${e instanceof Error ? e.message : String(e)}).`;
  }
  listeners.forEach((f) => f());
  return null;
}

/** Remove a saved group by its key. */
export function removeFromLibrary(key: string, storage = defaultStorage()): void {
  if (!storage) return;
  const list = read(storage).filter((s) => `library:${s.id}` !== key);
  storage.setItem(LIBRARY_KEY, JSON.stringify(list));
  listeners.forEach((f) => f());
}
