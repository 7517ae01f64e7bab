/**
 * Run history stores for the browser: IndexedDB (kept across reloads and restarts,
 * per origin) and an in-memory one (tests, and the fallback when a browser refuses
 * IndexedDB, e.g. some private modes). The Electron store is in `platform/platform.ts`.
 *
 * IndexedDB layout: database `spikeflow-history`, two object stores keyed by
 * `[documentKey, runId]`: `entries` (the small list entries, indexed by document) and
 * `data` (the encoded runs), so listing never reads run data.
 */
import type { RunHistoryEntry } from '../../electron/api.ts';
import type { DocumentIdentity, RunHistoryStore } from '../platform/platform.ts';

/** Newest first; ties by id, so the order is total. */
export function newestFirst(a: RunHistoryEntry, b: RunHistoryEntry): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The ids beyond the newest `keep` (at least one run is always kept). */
export function idsBeyond(entries: readonly RunHistoryEntry[], keep: number): string[] {
  return [...entries]
    .sort(newestFirst)
    .slice(Math.max(1, Math.floor(keep)))
    .map((e) => e.id);
}

/** Runs in memory only (lost on reload). */
export function memoryHistoryStore(): RunHistoryStore {
  const docs = new Map<string, Map<string, { entry: RunHistoryEntry; bytes: Uint8Array }>>();
  const of = (doc: DocumentIdentity) => {
    let m = docs.get(doc.key);
    if (!m) docs.set(doc.key, (m = new Map()));
    return m;
  };
  return {
    describe: () => 'in memory only (lost when the page closes)',
    list: async (doc) => [...of(doc).values()].map((r) => r.entry).sort(newestFirst),
    load: async (doc, id) => {
      const r = of(doc).get(id);
      if (!r) throw new Error(`Run ${id} is not in the history any more.`);
      return r.bytes;
    },
    save: async (doc, entry, bytes, keep) => {
      const m = of(doc);
      m.set(entry.id, { entry, bytes });
      const removed = idsBeyond(
        [...m.values()].map((r) => r.entry),
        keep,
      );
      for (const id of removed) m.delete(id);
      return removed;
    },
    remove: async (doc, id) => {
      of(doc).delete(id);
    },
  };
}

const DB_NAME = 'spikeflow-history';
const ENTRIES = 'entries';
const DATA = 'data';

function requestResult<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('the browser aborted the write'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
  });
}

/** A storage error in words: a full store says so. */
function storageError(e: unknown, doing: string): Error {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') {
    return new Error(`The browser's storage for this page is full, so ${doing} failed. Delete old runs in History or keep fewer runs.`);
  }
  return new Error(`${doing[0].toUpperCase()}${doing.slice(1)} failed: ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * Runs in IndexedDB. `factory` is `indexedDB` (injectable); a browser without it
 * gets errors that say so, never a thrown constructor.
 */
export function indexedDbHistoryStore(factory: IDBFactory | undefined = globalThis.indexedDB): RunHistoryStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new Error('this browser has no IndexedDB'));
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        const entries = d.createObjectStore(ENTRIES, { keyPath: ['doc', 'id'] });
        entries.createIndex('doc', 'doc');
        d.createObjectStore(DATA, { keyPath: ['doc', 'id'] });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('another Spikeflow tab holds an older history database; close it and reload'));
    }).catch((e: unknown) => {
      db = null;
      throw e;
    });
    return db;
  };
  const entriesOf = async (d: IDBDatabase, key: string): Promise<RunHistoryEntry[]> => {
    const rows = await requestResult(d.transaction(ENTRIES, 'readonly').objectStore(ENTRIES).index('doc').getAll(key));
    return (rows as { entry: RunHistoryEntry }[]).map((r) => r.entry).sort(newestFirst);
  };
  return {
    describe: () => 'in this browser (IndexedDB)',
    list: async (doc) => {
      try {
        return await entriesOf(await open(), doc.key);
      } catch (e) {
        throw storageError(e, 'reading the run history');
      }
    },
    load: async (doc, id) => {
      let row: { bytes: Uint8Array | Blob } | undefined;
      try {
        const d = await open();
        row = (await requestResult(d.transaction(DATA, 'readonly').objectStore(DATA).get([doc.key, id]))) as { bytes: Uint8Array | Blob } | undefined;
        if (row && !(row.bytes instanceof Uint8Array)) return new Uint8Array(await row.bytes.arrayBuffer());
      } catch (e) {
        throw storageError(e, `reading run ${id}`);
      }
      if (!row) throw new Error(`Run ${id} is not in the history any more.`);
      return row.bytes as Uint8Array;
    },
    save: async (doc, entry, bytes, keep) => {
      try {
        const d = await open();
        // A Blob, not the bytes (see blobInSlices), made before the transaction: it must not idle while we yield.
        const blob = await blobInSlices(bytes);
        const tx = d.transaction([ENTRIES, DATA], 'readwrite');
        const done = transactionDone(tx);
        tx.objectStore(DATA).put({ doc: doc.key, id: entry.id, bytes: blob });
        tx.objectStore(ENTRIES).put({ doc: doc.key, id: entry.id, entry });
        await done;
        const removed = idsBeyond(await entriesOf(d, doc.key), keep);
        if (removed.length > 0) {
          const del = d.transaction([ENTRIES, DATA], 'readwrite');
          const deleted = transactionDone(del);
          for (const id of removed) {
            del.objectStore(ENTRIES).delete([doc.key, id]);
            del.objectStore(DATA).delete([doc.key, id]);
          }
          await deleted;
        }
        return removed;
      } catch (e) {
        throw storageError(e, 'keeping the run');
      }
    },
    remove: async (doc, id) => {
      try {
        const d = await open();
        const tx = d.transaction([ENTRIES, DATA], 'readwrite');
        const done = transactionDone(tx);
        tx.objectStore(ENTRIES).delete([doc.key, id]);
        tx.objectStore(DATA).delete([doc.key, id]);
        await done;
      } catch (e) {
        throw storageError(e, `deleting run ${id}`);
      }
    },
  };
}

/**
 * The bytes as a Blob, built a few megabytes at a time with a yield between: IndexedDB
 * clones a typed array on the UI thread inside put() (≈150 ms for a 20 MB run,
 * measured with bench/ui) but a Blob by reference, and one Blob of 20 MB is itself a
 * 45 ms copy; a Blob of Blobs does not copy its parts again.
 */
export async function blobInSlices(bytes: Uint8Array, sliceBytes = 1 << 20, yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))): Promise<Blob> {
  const parts: Blob[] = [];
  for (let k = 0; k < bytes.length; k += sliceBytes) {
    parts.push(new Blob([bytes.subarray(k, Math.min(bytes.length, k + sliceBytes)) as Uint8Array<ArrayBuffer>]));
    if (k + sliceBytes < bytes.length) await yieldNow();
  }
  return new Blob(parts);
}
