import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { BinaryExports, exportFileName } from './binary-export.ts';
import type { Dialogs } from './file-service.ts';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-export-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function dialogs(...answers: (string | null)[]) {
  return { showOpen: vi.fn(async () => null), showSave: vi.fn(async (_kind: string, _defaultPath: string) => answers.shift() ?? null) } satisfies Dialogs;
}

describe('exportFileName', () => {
  it('keeps a results extension and strips path separators and control characters', () => {
    expect(exportFileName('raster.npz')).toBe('raster.npz');
    expect(exportFileName('../../etc/passwd.PNG')).toBe('-..-etc-passwd.png');
    expect(exportFileName('a\u0000b.csv')).toBe('a-b.csv');
    expect(exportFileName('run.exe')).toBe('run.bin');
    expect(exportFileName('.npz')).toBe('npz.bin');
  });
});

describe('BinaryExports', () => {
  it('writes the exact bytes to the path chosen in a binary save dialog, suggesting the name in the default folder', async () => {
    const target = path.join(dir, 'out', 'raster.npz');
    await fsp.mkdir(path.dirname(target));
    const d = dialogs(target);
    const exports = new BinaryExports({ defaultDir: () => path.join(dir, 'Documents') });
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 255, 7]);
    expect(await exports.exportBytes(d, bytes, 'raster.npz')).toEqual({ path: target, name: 'raster.npz' });
    expect(d.showSave).toHaveBeenCalledWith('binary', path.join(dir, 'Documents', 'raster.npz'));
    expect([...(await fsp.readFile(target))]).toEqual([...bytes]);
  });

  it('starts the next dialog where the last export went', async () => {
    const first = path.join(dir, 'a.png');
    const d = dialogs(first, null);
    const exports = new BinaryExports({ defaultDir: () => '/nowhere' });
    await exports.exportBytes(d, new Uint8Array([1]), 'a.png');
    expect(await exports.exportBytes(d, new Uint8Array([2]), 'b.svg')).toBeNull();
    expect(d.showSave.mock.calls[1]).toEqual(['binary', path.join(dir, 'b.svg')]);
  });

  it('answers null and writes nothing when the dialog is cancelled', async () => {
    const write = vi.fn(async () => undefined);
    const exports = new BinaryExports({ defaultDir: () => dir, write });
    expect(await exports.exportBytes(dialogs(null), new Uint8Array([1]), 'x.csv')).toBeNull();
    expect(write).not.toHaveBeenCalled();
  });

  it('refuses data that is not bytes before asking anything', async () => {
    const d = dialogs(path.join(dir, 'x.png'));
    const exports = new BinaryExports({ defaultDir: () => dir });
    await expect(exports.exportBytes(d, 'not bytes', 'x.png')).rejects.toThrow('An export must be bytes.');
    await expect(exports.exportBytes(d, new Uint8Array(1), 42)).rejects.toThrow('suggestedName must be a string.');
    expect(d.showSave).not.toHaveBeenCalled();
  });
});
