/**
 * A browser's recent documents. A browser tab cannot reopen a file by its path, so it
 * keeps the documents it opened or saved, with their text, in IndexedDB (database
 * `spikeflow-recent`), newest first, at most {@link RECENT_LIMIT}, keyed by file name
 * (opening `net.spikeflow.json` again replaces the older copy).
 */
import type { KeyValueStore } from './idb-kv.ts';
import { indexedDbKeyValue, memoryKeyValue } from './idb-kv.ts';

export const RECENT_LIMIT = 10;

export interface RecentDocument {
  readonly name: string;
  readonly text: string;
  /** ISO 8601. */
  readonly openedAt: string;
}

export interface RecentDocuments {
  /** Newest first. */
  list(): Promise<readonly RecentDocument[]>;
  get(name: string): Promise<RecentDocument | null>;
  remember(name: string, text: string, now?: Date): Promise<void>;
}

function isRecent(v: unknown): v is RecentDocument {
  const r = v as Partial<RecentDocument> | null;
  return typeof r === 'object' && r !== null && typeof r.name === 'string' && typeof r.text === 'string' && typeof r.openedAt === 'string';
}

export function keyValueRecentDocuments(kv: KeyValueStore<unknown>, limit = RECENT_LIMIT): RecentDocuments {
  const list = async () => (await kv.all()).filter(isRecent).sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : a.name.localeCompare(b.name)));
  return {
    list,
    get: async (name) => {
      const v = await kv.get(name);
      return isRecent(v) ? v : null;
    },
    remember: async (name, text, now = new Date()) => {
      await kv.put(name, { name, text, openedAt: now.toISOString() } satisfies RecentDocument);
      for (const old of (await list()).slice(limit)) await kv.delete(old.name);
    },
  };
}

export function indexedDbRecentDocuments(factory?: IDBFactory): RecentDocuments {
  return keyValueRecentDocuments(indexedDbKeyValue('spikeflow-recent', 'documents', factory));
}

export function memoryRecentDocuments(limit?: number): RecentDocuments {
  return keyValueRecentDocuments(memoryKeyValue(), limit);
}
