/**
 * Opening files through the File System Access API where the browser has it
 * (`window.showOpenFilePicker`, Chromium): the picked file's handle is kept in IndexedDB
 * (database `spikeflow-file-handles`), keyed by file name, so a recent file reopens from
 * disk, as it is now, rather than from the copy the browser kept. Elsewhere
 * {@link fileSystemAccess} returns null and the caller keeps its fallback (the hidden file
 * input, and the recent documents' stored text).
 */
import type { KeyValueStore } from '../recovery/idb-kv.ts';
import { indexedDbKeyValue } from '../recovery/idb-kv.ts';
import type { PickedFile } from './platform.ts';

/** The part of a `FileSystemFileHandle` used here. */
export interface FileHandleLike {
  readonly name: string;
  getFile(): Promise<{ text(): Promise<string> }>;
  queryPermission?(desc: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(desc: { mode: 'read' }): Promise<PermissionState>;
}

/** The part of `window` used here. */
export interface PickerWindow {
  showOpenFilePicker?(options: unknown): Promise<FileHandleLike[]>;
}

export interface FileSystemAccess {
  /** Ask for a file; null when the user cancels. Remembers its handle. */
  pick(): Promise<PickedFile | null>;
  /** Reopen a remembered file from disk; null when no handle is kept or it cannot be read. */
  reopen(name: string): Promise<PickedFile | null>;
}

const PICKER_OPTIONS = {
  types: [{ description: 'Spikeflow graph', accept: { 'application/json': ['.json'] } }],
  excludeAcceptAllOption: false,
  multiple: false,
};

async function read(handle: FileHandleLike): Promise<PickedFile> {
  return { path: null, name: handle.name, text: await (await handle.getFile()).text() };
}

/** The File System Access opener when `win` has the API; null otherwise. */
export function fileSystemAccess(win: PickerWindow, handles: KeyValueStore<FileHandleLike> = indexedDbKeyValue('spikeflow-file-handles', 'handles')): FileSystemAccess | null {
  const picker = win.showOpenFilePicker;
  if (typeof picker !== 'function') return null;
  return {
    pick: async () => {
      let picked: FileHandleLike[];
      try {
        picked = await picker.call(win, PICKER_OPTIONS);
      } catch (e) {
        if ((e as { name?: unknown } | null)?.name === 'AbortError') return null;
        throw e;
      }
      const handle = picked[0];
      if (!handle) return null;
      await handles.put(handle.name, handle).catch(() => undefined);
      return read(handle);
    },
    reopen: async (name) => {
      const handle = await handles.get(name).catch(() => undefined);
      if (!handle) return null;
      try {
        const state = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
        if (state !== 'granted' && (await handle.requestPermission?.({ mode: 'read' })) !== 'granted') return null;
        return await read(handle);
      } catch {
        // Moved, deleted or refused: the caller falls back to the copy it kept.
        return null;
      }
    },
  };
}
