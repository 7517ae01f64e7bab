import { describe, expect, it, vi } from 'vitest';
import { fileSystemAccess, type FileHandleLike, type PickerWindow } from './file-system-access.ts';
import { browserPlatform } from './platform.ts';
import { memoryKeyValue } from '../recovery/idb-kv.ts';

/** A file on a fake disk: its handle reads whatever `disk[name]` holds now. */
function handleOn(disk: Record<string, string>, name: string, permission: PermissionState = 'granted'): FileHandleLike & { requestPermission: ReturnType<typeof vi.fn> } {
  return {
    name,
    getFile: async () => {
      if (!(name in disk)) throw new DOMException('gone', 'NotFoundError');
      return { text: async () => disk[name] };
    },
    queryPermission: async () => permission,
    requestPermission: vi.fn(async () => permission),
  };
}

describe('fileSystemAccess', () => {
  it('is not offered where the browser has no showOpenFilePicker (the file input and stored copies stay)', () => {
    expect(fileSystemAccess({}, memoryKeyValue())).toBeNull();
  });

  it('picks a file with showOpenFilePicker, and later reopens it from disk as it is then', async () => {
    const disk = { 'net.spikeflow.json': '{"v":1}' };
    const win: PickerWindow = { showOpenFilePicker: vi.fn(async () => [handleOn(disk, 'net.spikeflow.json')]) };
    const fsa = fileSystemAccess(win, memoryKeyValue())!;
    expect(await fsa.pick()).toEqual({ path: null, name: 'net.spikeflow.json', text: '{"v":1}' });
    disk['net.spikeflow.json'] = '{"v":2}';
    expect(await fsa.reopen('net.spikeflow.json')).toEqual({ path: null, name: 'net.spikeflow.json', text: '{"v":2}' });
    expect(await fsa.reopen('other.json')).toBeNull();
  });

  it('treats a cancelled picker as no file, and returns null when the file is gone or read permission is refused', async () => {
    const abort = new DOMException('cancelled', 'AbortError');
    expect(
      await fileSystemAccess(
        {
          showOpenFilePicker: async () => {
            throw abort;
          },
        },
        memoryKeyValue(),
      )!.pick(),
    ).toBeNull();
    const disk: Record<string, string> = { 'a.json': 'A', 'b.json': 'B' };
    const refused = handleOn(disk, 'b.json', 'denied');
    const handles = memoryKeyValue<FileHandleLike>();
    await handles.put('a.json', handleOn(disk, 'a.json'));
    await handles.put('b.json', refused);
    const fsa = fileSystemAccess({ showOpenFilePicker: async () => [] }, handles)!;
    delete disk['a.json'];
    expect(await fsa.reopen('a.json')).toBeNull();
    expect(await fsa.reopen('b.json')).toBeNull();
    expect(refused.requestPermission).toHaveBeenCalledWith({ mode: 'read' });
  });
});

describe("the browser platform's Open", () => {
  it('uses the File System Access picker when there is one, and the file input otherwise', async () => {
    const disk = { 'n.json': 'N' };
    const withApi = vi.fn();
    const fsa = fileSystemAccess({ showOpenFilePicker: async () => [handleOn(disk, 'n.json')] }, memoryKeyValue());
    expect(await browserPlatform(withApi, fsa).openFile()).toEqual({ path: null, name: 'n.json', text: 'N' });
    expect(withApi).not.toHaveBeenCalled();
    const without = vi.fn();
    expect(await browserPlatform(without, null).openFile()).toBeNull();
    expect(without).toHaveBeenCalledOnce();
  });
});
