/**
 * A tiny key → value store on IndexedDB (one database, one object store), for the
 * journal and the browser's recent documents. A browser without IndexedDB (or one that
 * refuses it, e.g. some private modes) gets rejections that say so.
 */

export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every value, in key order. */
  all(): Promise<T[]>;
}

function requestResult<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Values in `dbName`/`storeName`; `factory` is `indexedDB` (injectable). */
export function indexedDbKeyValue<T>(dbName: string, storeName: string, factory: IDBFactory | undefined = globalThis.indexedDB): KeyValueStore<T> {
  let db: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new Error('this browser has no IndexedDB'));
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(dbName, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(storeName);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    }).catch((e: unknown) => {
      db = null;
      throw e;
    });
    return db;
  };
  const store = async (mode: IDBTransactionMode) => (await open()).transaction(storeName, mode).objectStore(storeName);
  return {
    get: async (key) => (await requestResult((await store('readonly')).get(key))) as T | undefined,
    put: async (key, value) => {
      await requestResult((await store('readwrite')).put(value, key));
    },
    delete: async (key) => {
      await requestResult((await store('readwrite')).delete(key));
    },
    all: async () => (await requestResult((await store('readonly')).getAll())) as T[],
  };
}

/** The same contract in memory (tests; the fallback when IndexedDB is refused). */
export function memoryKeyValue<T>(): KeyValueStore<T> {
  const m = new Map<string, T>();
  return {
    get: async (key) => m.get(key),
    put: async (key, value) => {
      m.set(key, value);
    },
    delete: async (key) => {
      m.delete(key);
    },
    all: async () => [...m.keys()].sort().map((k) => m.get(k)!),
  };
}
