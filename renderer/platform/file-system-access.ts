/**
 * Opening and saving files through the File System Access API where the browser has it
 * (`window.showOpenFilePicker`, `showSaveFilePicker`, Chromium): the picked file's handle
 * is kept in IndexedDB (database `spikeflow-file-handles`), keyed by file name, so a
 * recent file reopens from disk, as it is now, rather than from the copy the browser
 * kept, and Save writes back into the file that was opened (asking for write permission
 * once) instead of downloading a copy. Elsewhere
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
  createWritable?(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }>;
  queryPermission?(desc: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission?(desc: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

/** The part of `window` used here. */
export interface PickerWindow {
  showOpenFilePicker?(options: unknown): Promise<FileHandleLike[]>;
  showSaveFilePicker?(options: unknown): Promise<FileHandleLike>;
}

export interface FileSystemAccess {
  /** Ask for a file; null when the user cancels. Remembers its handle. */
  pick(): Promise<PickedFile | null>;
  /** Reopen a remembered file from disk; null when no handle is kept or it cannot be read. */
  reopen(name: string): Promise<PickedFile | null>;
  /**
   * Write `text` into the remembered file `name` (Save). False when no handle is kept
   * for it or it cannot be written (the caller then asks where, as Save As does); throws
   * when the user refuses write permission.
   */
  write(name: string, text: string): Promise<boolean>;
  /**
   * Ask where to save (`showSaveFilePicker`) and write there, remembering the handle:
   * the chosen file's name, null when the user cancels, undefined when the browser has
   * no save picker (the caller downloads instead).
   */
  saveAs(suggestedName: string, text: string): Promise<string | null | undefined>;
}

const PICKER_OPTIONS = {
  types: [{ description: 'Spikeflow graph', accept: { 'application/json': ['.json'] } }],
  excludeAcceptAllOption: false,
  multiple: false,
};

async function read(handle: FileHandleLike): Promise<PickedFile> {
  return { path: null, name: handle.name, text: await (await handle.getFile()).text() };
}

async function writeInto(handle: FileHandleLike, text: string): Promise<void> {
  if (!handle.createWritable) throw new Error(`${handle.name} cannot be written by this browser`);
  const state = (await handle.queryPermission?.({ mode: 'readwrite' })) ?? 'granted';
  if (state !== 'granted' && (await handle.requestPermission?.({ mode: 'readwrite' })) !== 'granted') {
    throw new Error(`permission to write ${handle.name} was not given`);
  }
  const out = await handle.createWritable();
  await out.write(text);
  await out.close();
}

const isAbort = (e: unknown) => (e as { name?: unknown } | null)?.name === 'AbortError';

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
        if (isAbort(e)) return null;
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
    write: async (name, text) => {
      const handle = await handles.get(name).catch(() => undefined);
      if (!handle?.createWritable) return false;
      await writeInto(handle, text);
      return true;
    },
    saveAs: async (suggestedName, text) => {
      const savePicker = win.showSaveFilePicker;
      if (typeof savePicker !== 'function') return undefined;
      let handle: FileHandleLike;
      try {
        handle = await savePicker.call(win, { ...PICKER_OPTIONS, suggestedName });
      } catch (e) {
        if (isAbort(e)) return null;
        throw e;
      }
      await writeInto(handle, text);
      await handles.put(handle.name, handle).catch(() => undefined);
      return handle.name;
    },
  };
}
