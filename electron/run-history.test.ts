import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { HISTORY_INDEX, RunHistoryFolders, historyFolder, parseEntry, writeBytesAtomic } from './run-history.ts';

let dir: string;
let doc: string;
let allowed: Set<string>;
let history: RunHistoryFolders;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-runs-'));
  doc = path.join(dir, 'net.spikeflow.json');
  await fsp.writeFile(doc, '{}');
  allowed = new Set([doc]);
  history = new RunHistoryFolders({ mayAccess: (p) => allowed.has(p) });
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const entry = (id: string, minute: number, extra: Record<string, unknown> = {}) => ({ id, createdAt: `2026-11-29T04:${String(minute).padStart(2, '0')}:00.000Z`, ...extra });

describe('historyFolder', () => {
  it('is <name>.spikeflow-runs beside the document', () => {
    expect(historyFolder('/a/b/net.spikeflow.json')).toBe(path.resolve('/a/b/net.spikeflow-runs'));
    expect(historyFolder('/a/b/other.json')).toBe(path.resolve('/a/b/other.spikeflow-runs'));
  });
});

describe('RunHistoryFolders', () => {
  it('lists nothing before the first run and creates no folder for it', async () => {
    expect(await history.list(doc)).toEqual([]);
    await expect(fsp.stat(historyFolder(doc))).rejects.toThrow();
  });

  it('keeps each run as one file plus an index entry, newest first, and reads the bytes back unchanged', async () => {
    const a = new Uint8Array([1, 2, 3, 250]);
    const b = new Uint8Array(1000).map((_, i) => i % 256);
    expect(await history.save(doc, entry('run-a', 1, { seed: 1 }), a, 10)).toEqual([]);
    expect(await history.save(doc, entry('run-b', 2, { seed: 2 }), b, 10)).toEqual([]);
    expect((await history.list(doc)).map((e) => [e.id, e.seed])).toEqual([
      ['run-b', 2],
      ['run-a', 1],
    ]);
    expect([...(await history.load(doc, 'run-a'))]).toEqual([...a]);
    expect([...(await history.load(doc, 'run-b'))]).toEqual([...b]);
    const files = (await fsp.readdir(historyFolder(doc))).sort();
    expect(files).toEqual([HISTORY_INDEX, 'run-a.sfrun', 'run-b.sfrun']);
  });

  it('survives a restart: a new instance reads the same history from disk', async () => {
    await history.save(doc, entry('run-a', 1), new Uint8Array([9]), 10);
    const again = new RunHistoryFolders({ mayAccess: () => true });
    expect((await again.list(doc)).map((e) => e.id)).toEqual(['run-a']);
    expect([...(await again.load(doc, 'run-a'))]).toEqual([9]);
  });

  it('keeps only the newest `keep` runs and deletes the files of the others', async () => {
    for (let i = 1; i <= 4; i++) await history.save(doc, entry(`r${i}`, i), new Uint8Array([i]), 10);
    expect(await history.save(doc, entry('r5', 5), new Uint8Array([5]), 2)).toEqual(['r3', 'r2', 'r1']);
    expect((await history.list(doc)).map((e) => e.id)).toEqual(['r5', 'r4']);
    expect((await fsp.readdir(historyFolder(doc))).filter((f) => f.endsWith('.sfrun')).sort()).toEqual(['r4.sfrun', 'r5.sfrun']);
  });

  it('deletes a run: gone from the index and from the disk', async () => {
    await history.save(doc, entry('r1', 1), new Uint8Array([1]), 10);
    await history.save(doc, entry('r2', 2), new Uint8Array([2]), 10);
    await history.remove(doc, 'r1');
    expect((await history.list(doc)).map((e) => e.id)).toEqual(['r2']);
    await expect(history.load(doc, 'r1')).rejects.toThrow(/Run r1 is not in .* any more/);
  });

  it('serialises concurrent saves, so none is lost from the index', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((i) => history.save(doc, entry(`c${i}`, i), new Uint8Array([i]), 10)));
    expect((await history.list(doc)).map((e) => e.id)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
  });

  it('refuses a document the user never opened or saved, and ids that are not plain file names', async () => {
    const other = path.join(dir, 'secret.spikeflow.json');
    await expect(history.list(other)).rejects.toThrow(/only beside documents you opened or saved/);
    await expect(history.save(other, entry('x', 1), new Uint8Array(1), 1)).rejects.toThrow(/only beside documents/);
    await expect(history.list('relative/net.spikeflow.json')).rejects.toThrow('The document path must be absolute.');
    await expect(history.load(doc, '../../etc/passwd')).rejects.toThrow(/A run id is letters, digits and dashes/);
    await expect(history.save(doc, entry('../x', 1), new Uint8Array(1), 1)).rejects.toThrow(/A run id is letters/);
    await expect(history.save(doc, entry('ok', 1), 'text' as never, 1)).rejects.toThrow('Run data must be bytes.');
    await expect(fsp.stat(historyFolder(other))).rejects.toThrow();
  });

  it('reports a damaged index when listing, and sets it aside on the next save instead of failing', async () => {
    await fsp.mkdir(historyFolder(doc));
    await fsp.writeFile(path.join(historyFolder(doc), HISTORY_INDEX), '{ not json');
    await expect(history.list(doc)).rejects.toThrow(/index .* is damaged/);
    await history.save(doc, entry('r1', 1), new Uint8Array([1]), 10);
    expect((await history.list(doc)).map((e) => e.id)).toEqual(['r1']);
    expect((await fsp.readdir(historyFolder(doc))).some((f) => f.startsWith(`${HISTORY_INDEX}.damaged-`))).toBe(true);
  });

  it('says what went wrong when the folder cannot be written, and leaves the document alone', async () => {
    // A file where the folder should be: mkdir fails.
    await fsp.writeFile(historyFolder(doc), 'in the way');
    await expect(history.save(doc, entry('r1', 1), new Uint8Array([1]), 10)).rejects.toThrow(/Could not write the run history in .*net\.spikeflow-runs/);
    expect(await fsp.readFile(doc, 'utf8')).toBe('{}');
  });
});

describe('parseEntry', () => {
  it('accepts a small entry with an id and an ISO date, and refuses anything else', () => {
    expect(parseEntry(entry('a-1', 3, { seed: 4 }))).toEqual({ id: 'a-1', createdAt: '2026-11-29T04:03:00.000Z', seed: 4 });
    expect(() => parseEntry(null)).toThrow('A run entry must be an object.');
    expect(() => parseEntry({ id: 'a', createdAt: 'yesterday' })).toThrow(/createdAt/);
    expect(() => parseEntry({ id: 'a', createdAt: '2026-01-01', big: 'x'.repeat(70_000) })).toThrow(/at most 65536/);
  });
});

describe('writeBytesAtomic', () => {
  it('replaces a file with the new bytes and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'x.bin');
    await fsp.writeFile(file, 'old');
    await writeBytesAtomic(file, new Uint8Array([0, 1, 2]));
    expect([...(await fsp.readFile(file))]).toEqual([0, 1, 2]);
    expect((await fsp.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
