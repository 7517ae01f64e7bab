import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileService, type Dialogs } from './file-service.ts';
import { RecentFiles } from './recent-files.ts';

let dir: string;
let recent: RecentFiles;
let onRecentChanged: ReturnType<typeof vi.fn<(files: readonly string[]) => void>>;
let files: FileService;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-service-'));
  recent = new RecentFiles(path.join(dir, 'user-data', 'recent-files.json'));
  await recent.load();
  onRecentChanged = vi.fn();
  files = new FileService({ recent, defaultDir: () => path.join(dir, 'Documents'), onRecentChanged });
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const p = (name: string): string => path.join(dir, name);

/** Dialogs that answer with the queued paths (null = cancelled) and record what they were asked. */
function dialogs(...answers: (string | null)[]) {
  const d = {
    showOpen: vi.fn(async (_defaultDir: string) => answers.shift() ?? null),
    showSave: vi.fn(async (_kind: string, _defaultPath: string) => answers.shift() ?? null),
  };
  return d satisfies Dialogs;
}

describe('FileService', () => {
  it('opens the file chosen in the dialog and puts it on the recent list', async () => {
    await fsp.writeFile(p('net.spikeflow.json'), '{"a":1}');
    const opened = await files.openFile(dialogs(p('net.spikeflow.json')));
    expect(opened).toEqual({ path: p('net.spikeflow.json'), name: 'net.spikeflow.json', text: '{"a":1}' });
    expect(files.recentFiles()).toEqual([p('net.spikeflow.json')]);
    expect(onRecentChanged).toHaveBeenCalledWith([p('net.spikeflow.json')]);
  });

  it('answers null when the open dialog is cancelled', async () => {
    expect(await files.openFile(dialogs(null))).toBeNull();
    expect(files.recentFiles()).toEqual([]);
  });

  it('starts the first dialog in the default folder and later ones where the user last was', async () => {
    await fsp.writeFile(p('a.json'), '{}');
    const d = dialogs(p('a.json'), null);
    await files.openFile(d);
    await files.openFile(d);
    expect(d.showOpen.mock.calls.map((c) => c[0])).toEqual([path.join(dir, 'Documents'), dir]);
  });

  it('saves atomically to a file it opened, without a dialog', async () => {
    await fsp.writeFile(p('net.json'), 'old');
    await files.openFile(dialogs(p('net.json')));
    const d = dialogs();
    expect(await files.saveFile(d, p('net.json'), 'new', 'net')).toEqual({ path: p('net.json'), name: 'net.json' });
    expect(d.showSave).not.toHaveBeenCalled();
    expect(await fsp.readFile(p('net.json'), 'utf8')).toBe('new');
  });

  it('asks where to save when there is no path (Save As), suggesting a .spikeflow.json name', async () => {
    const d = dialogs(p('chosen.spikeflow.json'));
    const saved = await files.saveFile(d, null, '{"x":1}', 'My net');
    expect(saved).toEqual({ path: p('chosen.spikeflow.json'), name: 'chosen.spikeflow.json' });
    expect(d.showSave).toHaveBeenCalledWith('document', path.join(dir, 'Documents', 'My net.spikeflow.json'));
    expect(await fsp.readFile(p('chosen.spikeflow.json'), 'utf8')).toBe('{"x":1}');
    expect(files.recentFiles()).toEqual([p('chosen.spikeflow.json')]);
  });

  it('answers null and writes nothing when the save dialog is cancelled', async () => {
    expect(await files.saveFile(dialogs(null), null, 'x', 'net')).toBeNull();
    expect(await fsp.readdir(dir)).toEqual([]);
  });

  it('refuses to write a path the user never chose, so a compromised page cannot overwrite files', async () => {
    await fsp.writeFile(p('victim.txt'), 'precious');
    await expect(files.saveFile(dialogs(), p('victim.txt'), 'pwned', 'x')).rejects.toThrow(/only saves to files you opened or chose/);
    expect(await fsp.readFile(p('victim.txt'), 'utf8')).toBe('precious');
  });

  it('may write a path from the recent list (a document reopened after a restart)', async () => {
    await recent.add(p('known.json'));
    expect(await files.saveFile(dialogs(), p('known.json'), 'ok', 'known')).toEqual({ path: p('known.json'), name: 'known.json' });
  });

  it('exports a copy through a dialog without making it the document or a recent file', async () => {
    const d = dialogs(p('copy.json'));
    expect(await files.exportJson(d, '{"copy":true}', 'net.spikeflow.json')).toEqual({ path: p('copy.json'), name: 'copy.json' });
    expect(d.showSave).toHaveBeenCalledWith('export', path.join(dir, 'Documents', 'net.spikeflow.json'));
    expect(await fsp.readFile(p('copy.json'), 'utf8')).toBe('{"copy":true}');
    expect(files.recentFiles()).toEqual([]);
    await expect(files.saveFile(dialogs(), p('copy.json'), 'x', 'x')).rejects.toThrow();
  });

  it('opens a recent file by path, but only one that is on the list', async () => {
    await fsp.writeFile(p('r.json'), 'R');
    await recent.add(p('r.json'));
    expect((await files.openRecent(p('r.json')))?.text).toBe('R');
    await fsp.writeFile(p('other.json'), 'O');
    await expect(files.openRecent(p('other.json'))).rejects.toThrow(/not in the recent files list/);
  });

  it('drops a recent file that no longer exists, with a clear error', async () => {
    await recent.add(p('gone.json'));
    await expect(files.openRecent(p('gone.json'))).rejects.toThrow(/no longer exists/);
    expect(files.recentFiles()).toEqual([]);
    expect(onRecentChanged).toHaveBeenLastCalledWith([]);
  });

  it('reports a failed write and leaves the recent list alone', async () => {
    const d = dialogs(path.join(dir, 'no-such-dir', 'net.json'));
    await expect(files.saveFile(d, null, 'x', 'net')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(files.recentFiles()).toEqual([]);
  });

  it('clears the recent list', async () => {
    await recent.add(p('a.json'));
    await files.clearRecent();
    expect(files.recentFiles()).toEqual([]);
    expect(onRecentChanged).toHaveBeenLastCalledWith([]);
  });
});
