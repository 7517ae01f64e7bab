import { describe, expect, it, vi } from 'vitest';
import type { DesktopApi } from '../../electron/api.ts';
import { desktopHistoryStore, historyFolderOf } from '../platform/platform.ts';
import { blobInSlices, idsBeyond, indexedDbHistoryStore, memoryHistoryStore } from './stores.ts';

const entry = (id: string, minute: number) => ({ id, createdAt: `2026-11-29T04:${String(minute).padStart(2, '0')}:00.000Z` });
const doc = { path: null, key: 'doc:net' };

describe('idsBeyond', () => {
  it('names the runs past the newest N, and always keeps one', () => {
    const entries = [entry('a', 1), entry('c', 3), entry('b', 2)];
    expect(idsBeyond(entries, 2)).toEqual(['a']);
    expect(idsBeyond(entries, 0)).toEqual(['b', 'a']);
    expect(idsBeyond(entries, 5)).toEqual([]);
  });
});

describe('memoryHistoryStore', () => {
  it('lists newest first per document, prunes past keep, loads and removes', async () => {
    const store = memoryHistoryStore();
    await store.save(doc, entry('a', 1), new Uint8Array([1]), 2);
    await store.save(doc, entry('b', 2), new Uint8Array([2]), 2);
    expect(await store.save(doc, entry('c', 3), new Uint8Array([3]), 2)).toEqual(['a']);
    await store.save({ path: null, key: 'doc:other' }, entry('z', 9), new Uint8Array([9]), 2);
    expect((await store.list(doc)).map((e) => e.id)).toEqual(['c', 'b']);
    expect([...(await store.load(doc, 'b'))]).toEqual([2]);
    await store.remove(doc, 'b');
    await expect(store.load(doc, 'b')).rejects.toThrow('Run b is not in the history any more.');
  });
});

describe('indexedDbHistoryStore', () => {
  it('explains that there is no IndexedDB instead of throwing at construction', async () => {
    const store = indexedDbHistoryStore(undefined);
    await expect(store.list(doc)).rejects.toThrow('Reading the run history failed: this browser has no IndexedDB');
  });
});

describe('desktopHistoryStore', () => {
  it('uses the folder beside a saved document through the shell, and the fallback store for an unsaved one', async () => {
    const api = {
      historyList: vi.fn(async () => [entry('disk', 1)]),
      historyLoad: vi.fn(async () => new Uint8Array([7])),
      historySave: vi.fn(async () => []),
      historyRemove: vi.fn(async () => undefined),
    } as unknown as DesktopApi;
    const fallback = memoryHistoryStore();
    const store = desktopHistoryStore(api, fallback);
    const saved = { path: '/home/u/net.spikeflow.json', key: '/home/u/net.spikeflow.json' };
    expect((await store.list(saved)).map((e) => e.id)).toEqual(['disk']);
    expect(store.describe(saved)).toBe('in /home/u/net.spikeflow-runs');
    await store.save(saved, entry('r', 1), new Uint8Array([1]), 20);
    expect(api.historySave).toHaveBeenCalledWith('/home/u/net.spikeflow.json', entry('r', 1), new Uint8Array([1]), 20);
    await store.save(doc, entry('mem', 2), new Uint8Array([2]), 20);
    expect((await store.list(doc)).map((e) => e.id)).toEqual(['mem']);
    expect(api.historyList).toHaveBeenCalledTimes(1);
  });

  it('puts the folder beside the document, named after it', () => {
    expect(historyFolderOf('/a/b/net.spikeflow.json')).toBe('/a/b/net.spikeflow-runs');
    expect(historyFolderOf('C:\\docs\\net.json')).toBe('C:\\docs\\net.spikeflow-runs');
  });
});

describe('blobInSlices', () => {
  it('gives a Blob of the same bytes, built with a yield between slices', async () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31) & 255);
    let yields = 0;
    const blob = await blobInSlices(bytes, 4096, async () => {
      yields++;
    });
    expect(yields).toBe(2);
    expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });
});
