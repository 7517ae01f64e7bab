import { describe, expect, it, vi } from 'vitest';
import { fileSystemAccess, type FileHandleLike, type PickerWindow } from './file-system-access.ts';
import { browserPlatform } from './platform.ts';
import { memoryKeyValue } from '../recovery/idb-kv.ts';

/** A file on a fake disk: its handle reads whatever `disk[name]` holds now, and writes into it. */
function handleOn(disk: Record<string, string>, name: string, permission: PermissionState = 'granted'): FileHandleLike & { requestPermission: ReturnType<typeof vi.fn> } {
  return {
    name,
    getFile: async () => {
      if (!(name in disk)) throw new DOMException('gone', 'NotFoundError');
      return { text: async () => disk[name] };
    },
    createWritable: async () => {
      let buffer = '';
      return {
        write: async (t: string) => void (buffer += t),
        close: async () => void (disk[name] = buffer),
      };
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

describe('saving through the File System Access API', () => {
  it('writes back into the file that was opened, and reports false for a file it holds no handle for', async () => {
    const disk: Record<string, string> = { 'n.json': 'old' };
    const fsa = fileSystemAccess({ showOpenFilePicker: async () => [handleOn(disk, 'n.json')] }, memoryKeyValue())!;
    await fsa.pick();
    expect(await fsa.write('n.json', 'new')).toBe(true);
    expect(disk['n.json']).toBe('new');
    expect(await fsa.write('other.json', 'x')).toBe(false);
    expect(disk).not.toHaveProperty('other.json');
  });

  it('asks for write permission and says so when it is refused, leaving the file as it was', async () => {
    const disk: Record<string, string> = { 'n.json': 'old' };
    const handles = memoryKeyValue<FileHandleLike>();
    const refused = handleOn(disk, 'n.json', 'denied');
    await handles.put('n.json', refused);
    const fsa = fileSystemAccess({ showOpenFilePicker: async () => [] }, handles)!;
    await expect(fsa.write('n.json', 'new')).rejects.toThrow('permission to write n.json was not given');
    expect(refused.requestPermission).toHaveBeenCalledWith({ mode: 'readwrite' });
    expect(disk['n.json']).toBe('old');
  });

  it('Save As asks with showSaveFilePicker and remembers the file; a cancel is null, no save picker is undefined', async () => {
    const disk: Record<string, string> = {};
    const savePicker = vi.fn(async () => handleOn(disk, 'chosen.json'));
    const fsa = fileSystemAccess({ showOpenFilePicker: async () => [], showSaveFilePicker: savePicker }, memoryKeyValue())!;
    expect(await fsa.saveAs('net.spikeflow.json', 'T')).toBe('chosen.json');
    expect(savePicker).toHaveBeenCalledWith(expect.objectContaining({ suggestedName: 'net.spikeflow.json' }));
    expect(disk['chosen.json']).toBe('T');
    expect(await fsa.reopen('chosen.json')).toEqual({ path: null, name: 'chosen.json', text: 'T' });
    const cancel = fileSystemAccess(
      {
        showOpenFilePicker: async () => [],
        showSaveFilePicker: async () => {
          throw new DOMException('cancelled', 'AbortError');
        },
      },
      memoryKeyValue(),
    )!;
    expect(await cancel.saveAs('x.json', 'T')).toBeNull();
    expect(await fileSystemAccess({ showOpenFilePicker: async () => [] }, memoryKeyValue())!.saveAs('x.json', 'T')).toBeUndefined();
  });

  it("the browser platform's Save writes into the opened file and answers it is on disk; Save As (no file name) asks where", async () => {
    const disk: Record<string, string> = { 'n.json': 'old' };
    const savePicker = vi.fn(async () => handleOn(disk, 'copy.json'));
    const fsa = fileSystemAccess({ showOpenFilePicker: async () => [handleOn(disk, 'n.json')], showSaveFilePicker: savePicker }, memoryKeyValue());
    const platform = browserPlatform(() => undefined, fsa);
    await platform.openFile();
    expect(await platform.saveFile(null, 'saved', 'Net.spikeflow.json', 'n.json')).toEqual({ path: null, name: 'n.json', onDisk: true });
    expect(disk['n.json']).toBe('saved');
    expect(savePicker).not.toHaveBeenCalled();
    expect(await platform.saveFile(null, 'copy', 'Net.spikeflow.json', null)).toEqual({ path: null, name: 'copy.json', onDisk: true });
    expect(disk['copy.json']).toBe('copy');
  });
});
