import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecentFiles, samePath, withRecent } from './recent-files.ts';

let dir: string;
let store: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-recent-'));
  store = path.join(dir, 'user-data', 'recent-files.json');
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const p = (name: string): string => path.join(dir, name);

describe('withRecent', () => {
  it('puts the new path first', () => {
    expect(withRecent(['/a', '/b'], '/c', 10, 'linux')).toEqual(['/c', '/a', '/b']);
  });

  it('moves an existing path to the front instead of duplicating it', () => {
    expect(withRecent(['/a', '/b', '/c'], '/b', 10, 'linux')).toEqual(['/b', '/a', '/c']);
  });

  it('drops the oldest paths beyond the cap', () => {
    expect(withRecent(['/a', '/b', '/c'], '/d', 3, 'linux')).toEqual(['/d', '/a', '/b']);
  });

  it('treats paths differing only in case as one on Windows and macOS, as two on Linux', () => {
    expect(withRecent(['C:\\Nets\\A.json'], 'c:\\nets\\a.json', 10, 'win32')).toEqual(['c:\\nets\\a.json']);
    expect(samePath('/Users/x/A.json', '/users/x/a.json', 'darwin')).toBe(true);
    expect(withRecent(['/a.json'], '/A.json', 10, 'linux')).toEqual(['/A.json', '/a.json']);
  });
});

describe('RecentFiles', () => {
  it('starts empty when there is no store yet', async () => {
    expect(await new RecentFiles(store).load()).toEqual([]);
  });

  it('persists the list so a new instance reads it back in order', async () => {
    const recent = new RecentFiles(store, 10, 'linux');
    await recent.load();
    await recent.add(p('one.json'));
    await recent.add(p('two.json'));
    await recent.add(p('one.json'));
    const again = new RecentFiles(store, 10, 'linux');
    expect(await again.load()).toEqual([p('one.json'), p('two.json')]);
    expect(JSON.parse(await fsp.readFile(store, 'utf8'))).toEqual({ version: 1, files: [p('one.json'), p('two.json')] });
  });

  it('keeps at most the cap, newest first', async () => {
    const recent = new RecentFiles(store, 3, 'linux');
    for (const n of ['1', '2', '3', '4', '5']) await recent.add(p(`${n}.json`));
    expect(recent.list()).toEqual([p('5.json'), p('4.json'), p('3.json')]);
    expect(await new RecentFiles(store, 3, 'linux').load()).toEqual([p('5.json'), p('4.json'), p('3.json')]);
  });

  it('removes and clears, and persists both', async () => {
    const recent = new RecentFiles(store, 10, 'linux');
    await recent.add(p('a.json'));
    await recent.add(p('b.json'));
    await recent.remove(p('a.json'));
    expect(await new RecentFiles(store).load()).toEqual([p('b.json')]);
    await recent.clear();
    expect(await new RecentFiles(store).load()).toEqual([]);
  });

  it('keeps the last of several quick additions when they are not awaited one by one', async () => {
    const recent = new RecentFiles(store, 10, 'linux');
    await Promise.all([recent.add(p('a.json')), recent.add(p('b.json')), recent.add(p('c.json'))]);
    expect(await new RecentFiles(store, 10, 'linux').load()).toEqual([p('c.json'), p('b.json'), p('a.json')]);
  });

  it('ignores a corrupt store, and entries that are not absolute path strings', async () => {
    await fsp.mkdir(path.dirname(store), { recursive: true });
    await fsp.writeFile(store, '{ not json');
    expect(await new RecentFiles(store).load()).toEqual([]);
    await fsp.writeFile(store, JSON.stringify({ version: 1, files: [p('ok.json'), 42, 'relative.json', null, p('ok.json')] }));
    expect(await new RecentFiles(store, 10, 'linux').load()).toEqual([p('ok.json')]);
  });

  it('answers whether a path is on the list', async () => {
    const recent = new RecentFiles(store, 10, 'linux');
    await recent.add(p('a.json'));
    expect(recent.has(p('a.json'))).toBe(true);
    expect(recent.has(p('b.json'))).toBe(false);
  });
});
