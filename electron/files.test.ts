import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDocumentFile, suggestedFileName } from './files.ts';

let dir: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-files-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
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
