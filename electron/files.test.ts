import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDocumentFile, suggestedFileName, writeFileAtomic, type AtomicFs } from './files.ts';

let dir: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-files-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const listDir = async (): Promise<string[]> => (await fsp.readdir(dir)).sort();

describe('writeFileAtomic', () => {
  it('creates a new file with exactly the given text and leaves no temp file', async () => {
    const target = path.join(dir, 'net.spikeflow.json');
    await writeFileAtomic(target, '{"nodes":[]}\n');
    expect(await fsp.readFile(target, 'utf8')).toBe('{"nodes":[]}\n');
    expect(await listDir()).toEqual(['net.spikeflow.json']);
  });

  it('replaces an existing file and keeps its permissions', async () => {
    const target = path.join(dir, 'net.json');
    await fsp.writeFile(target, 'old');
    await fsp.chmod(target, 0o640);
    await writeFileAtomic(target, 'new content');
    expect(await fsp.readFile(target, 'utf8')).toBe('new content');
    if (process.platform !== 'win32') expect((await fsp.stat(target)).mode & 0o777).toBe(0o640);
    expect(await listDir()).toEqual(['net.json']);
  });

  it('never lets a concurrent reader see anything but the whole old or the whole new content', async () => {
    const target = path.join(dir, 'big.json');
    const a = 'a'.repeat(2_000_000);
    const b = 'b'.repeat(3_000_000);
    await fsp.writeFile(target, a);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) {
        const text = await fsp.readFile(target, 'utf8');
        seen.add(text === a ? 'a' : text === b ? 'b' : `torn:${text.length}`);
      }
    })();
    for (let i = 0; i < 12; i++) await writeFileAtomic(target, i % 2 ? a : b);
    writing = false;
    await reader;
    expect([...seen].filter((s) => s.startsWith('torn'))).toEqual([]);
    expect(await fsp.readFile(target, 'utf8')).toBe(a);
    expect(await listDir()).toEqual(['big.json']);
  });

  it('leaves the original intact and removes the temp file when the write fails', async () => {
    const target = path.join(dir, 'net.json');
    await fsp.writeFile(target, 'original');
    const failingFs: AtomicFs = {
      ...fsp,
      open: (async (...args: Parameters<typeof fsp.open>) => {
        const handle = await fsp.open(...args);
        // The disk fills up half-way through the write.
        return Object.assign(Object.create(handle) as fsp.FileHandle, {
          writeFile: async () => {
            await handle.write('partial');
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        });
      }) as typeof fsp.open,
    };
    await expect(writeFileAtomic(target, 'new', failingFs)).rejects.toThrow(/ENOSPC/);
    expect(await fsp.readFile(target, 'utf8')).toBe('original');
    expect(await listDir()).toEqual(['net.json']);
  });

  it('leaves the target and the directory unchanged when the rename fails', async () => {
    // A directory in the way makes the real rename fail (EISDIR / EPERM).
    const target = path.join(dir, 'taken');
    await fsp.mkdir(target);
    await fsp.writeFile(path.join(target, 'inside.txt'), 'keep');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(await fsp.readFile(path.join(target, 'inside.txt'), 'utf8')).toBe('keep');
    expect(await listDir()).toEqual(['taken']);
  });

  it('fails with the error of a missing directory and creates nothing', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'net.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await listDir()).toEqual([]);
  });
});

describe('readDocumentFile', () => {
  it('returns the absolute path, the file name and the UTF-8 text', async () => {
    const target = path.join(dir, 'Réseau.spikeflow.json');
    await fsp.writeFile(target, '{"meta":{"name":"Réseau ✓"}}', 'utf8');
    expect(await readDocumentFile(target)).toEqual({ path: target, name: 'Réseau.spikeflow.json', text: '{"meta":{"name":"Réseau ✓"}}' });
  });

  it('says clearly that a missing file no longer exists', async () => {
    const target = path.join(dir, 'gone.json');
    await expect(readDocumentFile(target)).rejects.toThrow(`The file "${target}" no longer exists.`);
  });

  it('refuses a directory', async () => {
    await expect(readDocumentFile(dir)).rejects.toThrow(/is not a file/);
  });
});

describe('suggestedFileName', () => {
  it('adds the extension to a plain name', () => {
    expect(suggestedFileName('My network', '.spikeflow.json')).toBe('My network.spikeflow.json');
  });

  it('does not double an extension that is already there', () => {
    expect(suggestedFileName('net.spikeflow.json', '.spikeflow.json')).toBe('net.spikeflow.json');
    expect(suggestedFileName('net.json', '.spikeflow.json')).toBe('net.spikeflow.json');
    expect(suggestedFileName('net.spikeflow.json', '.json')).toBe('net.spikeflow.json');
  });

  it('removes path separators and control characters so the name cannot point elsewhere', () => {
    expect(suggestedFileName('../../etc/passwd', '.json')).toBe('etc passwd.json');
    expect(suggestedFileName('a\\b:c\n', '.json')).toBe('a b c.json');
  });

  it('falls back to Untitled when nothing usable is left', () => {
    expect(suggestedFileName('  /// ', '.spikeflow.json')).toBe('Untitled.spikeflow.json');
  });
});
